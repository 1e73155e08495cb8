//! A personal paper for each member of a team (a school parliament, a school newspaper), beside
//! the team's diploma: the member is the holder, the team and its award are named. Switched on per
//! competition (`PaperSettings::member_papers`); reserved by the issue run after the teams' own
//! papers, so a team of 12 gets 1 diploma and 12 personal papers, and a re-run or a member added
//! later never gives anyone a second one.

use super::issue::{new_document, numbered, payload_for, IssueError, Run};
use crate::db::{self, DbConnection};
use crate::domain::entry::supervisor_key;
use crate::domain::time::format_date;
use crate::domain::token::sha256_hex;
use crate::domain::{Competition, DocumentPayload, Organization, Recipient, Serial, StoredEntry};

/// Reserves a paper for every member of every team that has its own paper and whose member has
/// none yet; inside the run's transaction, under its competition lock.
pub(super) fn reserve(conn: &mut DbConnection, run: &Run<'_>) -> Result<usize, IssueError> {
    let given = db::documents::recipients_with_papers(conn, &run.competition.id)?;
    let teams = db::entries::teams_with_documents(conn, &run.competition.id)?;
    let mut wanted: Vec<(&StoredEntry, &str, Recipient)> = Vec::new();
    for team in &teams {
        for member in &team.team_members {
            // One person however their name is spaced, as a supervisor is; kept as a digest, so
            // the name is not left behind when retention erases the competition's names.
            let Some(name) = supervisor_key(member) else {
                continue;
            };
            let recipient = Recipient::Member {
                entry_id: team.id.clone(),
                key: sha256_hex(name.as_bytes())[..16].to_string(),
            };
            if !given.contains(&recipient.to_text()) && !wanted.iter().any(|(_, _, r)| *r == recipient) {
                wanted.push((team, member.as_str(), recipient));
            }
        }
    }
    if wanted.is_empty() {
        return Ok(0);
    }
    let numbers = numbered(conn, run.organization, run.date.year(), wanted.len())?;
    let mut documents = wanted
        .into_iter()
        .zip(numbers)
        .map(|((team, member, recipient), (serial, code))| {
            let payload = run.settings.worded(member_payload(
                run.competition,
                run.organization,
                team,
                member,
                &serial,
                code.as_str(),
                &format_date(run.date),
            ));
            let mut document = new_document(run.competition, None, run.design, payload)?;
            document.recipient = Some(recipient);
            document.job_id = Some(run.job_id.to_string());
            Ok(document)
        })
        .collect::<Result<Vec<_>, IssueError>>()?;
    super::issue::insert_new(conn, run.credentials, &run.organization.id, &mut documents)?;
    Ok(documents.len())
}

/// What a member's paper says: the team's paper with the member as holder and the team named.
pub(super) fn member_payload(
    competition: &Competition,
    organization: &Organization,
    team: &StoredEntry,
    member: &str,
    serial: &Serial,
    code: &str,
    date: &str,
) -> DocumentPayload {
    DocumentPayload {
        holder: member.to_string(),
        team_members: Vec::new(),
        team: Some(team.holder.clone()),
        ..payload_for(competition, organization, Some(team), serial, code, date)
    }
}
