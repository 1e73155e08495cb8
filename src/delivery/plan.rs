//! Who gets which documents: one message per address. A participant's address gets their papers;
//! a supervisor's address gets one message with the papers of all their pupils. What the outbox
//! already holds for an address is not queued again. A supervisor's letter of gratitude goes in
//! that same message, to the first address a pupil's row gives for the supervisor.

use std::collections::{BTreeMap, HashMap, HashSet};

use lettre::Address;
use serde::Serialize;

use crate::domain::entry::supervisor_key;
use crate::domain::outbox::{PlannedMessage, RecipientKind};
use crate::domain::{Document, DocumentStatus, Recipient, StoredEntry};

/// What sending a competition's documents would do.
#[derive(Debug, Default)]
pub struct Plan {
    pub messages: Vec<PlannedMessage>,
    /// Documents with no address to send them to (neither the holder's nor a supervisor's).
    pub without_address: usize,
    /// Addresses the results file gave that are not e-mail addresses.
    pub invalid_addresses: Vec<InvalidAddress>,
    /// Document and address pairs already queued or sent before.
    pub already_queued: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct InvalidAddress {
    pub row: i32,
    pub holder: String,
    pub address: String,
}

/// Where a jury member's letter goes: the address of the account they judge for, by judge id.
#[derive(Debug, Clone)]
pub struct JudgeAddress {
    pub name: String,
    pub email: String,
}

/// A cell may hold "a@b.kz; c@d.kz": the first address is used.
fn first_address(cell: &str) -> &str {
    cell.split([';', ',', ' ']).find(|p| !p.is_empty()).unwrap_or("")
}

/// `documents` in the order they are listed; `entries` the competition's; `queued` what the
/// outbox holds as (kind, address in lower case, document id).
pub fn plan(
    documents: &[Document],
    entries: &[StoredEntry],
    judges: &HashMap<String, JudgeAddress>,
    queued: &HashSet<(RecipientKind, String, String)>,
) -> Plan {
    // A letter's address: the first good one its supervisor's pupils' rows give.
    let mut supervisor_addresses: HashMap<String, &StoredEntry> = Default::default();
    for entry in entries {
        let (Some(name), Some(cell)) = (&entry.supervisor, &entry.supervisor_email) else {
            continue;
        };
        if let Some(key) = supervisor_key(name) {
            if first_address(cell.trim()).parse::<Address>().is_ok() {
                supervisor_addresses.entry(key).or_insert(entry);
            }
        }
    }
    let entries: HashMap<&str, &StoredEntry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut plan = Plan::default();
    // One group per (kind, address in lower case), numbered in first-seen order for stable output.
    let mut groups: BTreeMap<usize, PlannedMessage> = BTreeMap::new();
    let mut order: HashMap<(RecipientKind, String), usize> = Default::default();

    let sendable = documents
        .iter()
        .filter(|d| d.status == DocumentStatus::Valid && d.sha256.is_some());
    for document in sendable {
        // A jury member's letter goes to the address of the account they judge for.
        if let Some(Recipient::Judge(judge_id)) = &document.recipient {
            match judges.get(judge_id) {
                Some(judge) => {
                    let Ok(address) = judge.email.parse::<Address>() else {
                        plan.without_address += 1;
                        continue;
                    };
                    let key = address.to_string().to_lowercase();
                    if queued.contains(&(RecipientKind::Holder, key.clone(), document.id.clone())) {
                        plan.already_queued += 1;
                        continue;
                    }
                    let next = order.len();
                    let at = *order.entry((RecipientKind::Holder, key)).or_insert(next);
                    groups
                        .entry(at)
                        .or_insert_with(|| PlannedMessage {
                            kind: RecipientKind::Holder,
                            name: judge.name.clone(),
                            email: judge.email.clone(),
                            language: document.payload.language,
                            document_ids: Vec::new(),
                        })
                        .document_ids
                        .push(document.id.clone());
                }
                None => plan.without_address += 1,
            }
            continue;
        }
        // A team member's own paper goes where the team's goes.
        let entry_id = document
            .entry_id
            .as_deref()
            .or_else(|| document.recipient.as_ref().and_then(Recipient::team_entry));
        let recipients = match (entry_id, &document.supervisor_key) {
            (Some(entry_id), _) => {
                let Some(entry) = entries.get(entry_id) else {
                    continue;
                };
                [
                    (
                        RecipientKind::Holder,
                        entry.email.as_deref(),
                        Some(document.payload.holder.as_str()),
                        *entry,
                    ),
                    (
                        RecipientKind::Supervisor,
                        entry.supervisor_email.as_deref(),
                        entry.supervisor.as_deref(),
                        *entry,
                    ),
                ]
            }
            (None, Some(key)) => {
                let Some(entry) = supervisor_addresses.get(key) else {
                    plan.without_address += 1;
                    continue;
                };
                [
                    (RecipientKind::Holder, None, None, *entry),
                    (
                        RecipientKind::Supervisor,
                        entry.supervisor_email.as_deref(),
                        entry.supervisor.as_deref(),
                        *entry,
                    ),
                ]
            }
            (None, None) => continue,
        };
        let mut addressed = false;
        for (kind, cell, name, entry) in recipients {
            let Some(cell) = cell else { continue };
            let text = first_address(cell.trim());
            if text.parse::<Address>().is_err() {
                plan.invalid_addresses.push(InvalidAddress {
                    row: entry.source_row,
                    holder: entry.holder.clone(),
                    address: cell.to_string(),
                });
                continue;
            }
            addressed = true;
            let key = text.to_lowercase();
            if queued.contains(&(kind, key.clone(), document.id.clone())) {
                plan.already_queued += 1;
                continue;
            }
            let next = order.len();
            let at = *order.entry((kind, key)).or_insert(next);
            let message = groups.entry(at).or_insert_with(|| PlannedMessage {
                kind,
                name: name.unwrap_or_default().to_string(),
                email: text.to_string(),
                language: document.payload.language,
                document_ids: Vec::new(),
            });
            // Two holders sharing one address (siblings, a parent's mailbox): no single name fits.
            if kind == RecipientKind::Holder && message.name != document.payload.holder {
                message.name.clear();
            }
            message.document_ids.push(document.id.clone());
        }
        if !addressed {
            plan.without_address += 1;
        }
    }
    plan.messages = groups.into_values().collect();
    plan
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::{Award, DocumentPayload, Serial, VerificationCode};
    use crate::i18n::Lang;

    pub fn document(id: &str, holder: &str) -> Document {
        Document {
            id: id.into(),
            organization_id: "o".into(),
            competition_id: "c".into(),
            entry_id: Some(format!("e{id}")),
            supervisor_key: None,
            recipient: None,
            serial: Serial::from_stored(format!("KZ-2026-00000{id}")),
            code: VerificationCode::parse("ABCDEFGHJKMNPQRS").unwrap(),
            status: DocumentStatus::Valid,
            design: "classic".into(),
            payload: DocumentPayload {
                language: Lang::Kk,
                award: "place_1".into(),
                award_title: "I орын".into(),
                holder: holder.into(),
                team_members: vec![],
                school: None,
                region: None,
                supervisor: None,
                nomination: None,
                age_group: None,
                competition: "Жас зерттеуші".into(),
                issuer: "Дарын".into(),
                city: None,
                date: "2026-11-20".into(),
                valid_until: None,
                serial: format!("KZ-2026-00000{id}"),
                code: "ABCDEFGHJKMNPQRS".into(),
                pupils: vec![],
                hours: None,
                custom: Default::default(),
                signer: None,
                signer_title: None,
                team: None,
                reviewed: None,
                event: None,
                reason: None,
            },
            sha256: Some("00".into()),
            revoked_reason: None,
            issued_at: "2026-11-20T00:00:00Z".into(),
            signed_record: None,
            superseded_by: None,
            public_lookup: true,
            packed: None,
        }
    }

    fn entry(id: &str, email: Option<&str>, supervisor_email: Option<&str>) -> StoredEntry {
        StoredEntry {
            id: format!("e{id}"),
            competition_id: "c".into(),
            source_row: 2,
            holder: id.into(),
            team_members: vec![],
            school: None,
            region: None,
            settlement_type: None,
            supervisor: Some("Ахметова Гүлнар".into()),
            nomination: None,
            age_group: None,
            email: email.map(str::to_string),
            supervisor_email: supervisor_email.map(str::to_string),
            award: Award::Place(1),
            award_title: None,
            birth_date: None,
            phone: None,
            hours: None,
            custom: Default::default(),
            attended: None,
        }
    }

    #[test]
    fn one_message_per_address_and_nothing_queued_twice() {
        let documents = [
            document("1", "Сейтқали Айгерім"),
            document("2", "Әбілқайыров Ерасыл"),
            document("3", "Иванов Пётр"),
            document("4", "Ким Анна"),
        ];
        let entries = [
            entry("1", Some("a@school.kz"), Some("Teacher@School.kz")),
            entry("2", Some("parent@mail.kz"), Some("teacher@school.kz")),
            entry("3", Some("parent@mail.kz; other@mail.kz"), None),
            entry("4", Some("not an address"), None),
        ];
        let mut letter = document("5", "Ахметова Гүлнар");
        letter.entry_id = None;
        letter.supervisor_key = supervisor_key("Ахметова  Гүлнар");
        let documents = [documents.as_slice(), &[letter]].concat();
        let plan = plan(&documents, &entries, &HashMap::new(), &HashSet::new());
        let summary: Vec<(RecipientKind, &str, &str, usize)> = plan
            .messages
            .iter()
            .map(|m| (m.kind, m.email.as_str(), m.name.as_str(), m.document_ids.len()))
            .collect();
        assert_eq!(
            summary,
            [
                (RecipientKind::Holder, "a@school.kz", "Сейтқали Айгерім", 1),
                (
                    RecipientKind::Supervisor,
                    "Teacher@School.kz",
                    "Ахметова Гүлнар",
                    3
                ),
                // Two holders share a parent's mailbox: one message, no single name.
                (RecipientKind::Holder, "parent@mail.kz", "", 2),
            ]
        );
        assert_eq!(plan.without_address, 1);
        assert_eq!(plan.invalid_addresses.len(), 1);

        let queued: HashSet<(RecipientKind, String, String)> = plan
            .messages
            .iter()
            .flat_map(|m| {
                m.document_ids
                    .iter()
                    .map(|d| (m.kind, m.email.to_lowercase(), d.clone()))
            })
            .collect();
        let again = super::plan(&documents, &entries, &HashMap::new(), &queued);
        assert!(again.messages.is_empty());
        assert_eq!(
            again.already_queued, 6,
            "the letter is queued once, with the pupils' papers"
        );
    }

    #[test]
    fn a_judges_letter_goes_to_their_account_and_a_members_paper_with_the_team() {
        let entries = [entry("1", Some("team@school.kz"), None)];
        let mut judge = document("7", "Ахметова Гүлнар");
        judge.entry_id = None;
        judge.recipient = Some(Recipient::Judge("j1".into()));
        let mut unaddressed = document("8", "Ким Олег");
        unaddressed.entry_id = None;
        unaddressed.recipient = Some(Recipient::Judge("j2".into()));
        let mut member = document("9", "Иванов Пётр");
        member.entry_id = None;
        member.recipient = Some(Recipient::Member {
            entry_id: "e1".into(),
            key: "k".into(),
        });
        let judges = HashMap::from([(
            "j1".to_string(),
            JudgeAddress {
                name: "Ахметова Гүлнар".into(),
                email: "expert@center.kz".into(),
            },
        )]);
        let documents = [document("1", "Парламент"), judge, unaddressed, member];
        let plan = plan(&documents, &entries, &judges, &HashSet::new());
        let summary: Vec<(&str, usize)> = plan
            .messages
            .iter()
            .map(|m| (m.email.as_str(), m.document_ids.len()))
            .collect();
        assert_eq!(summary, [("team@school.kz", 2), ("expert@center.kz", 1)]);
        assert_eq!(plan.without_address, 1, "a judge without an account's address");
    }
}
