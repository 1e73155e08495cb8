//! The jury protocol's contents, from the stored scores: what the CSV, XLSX and PDF show.

use std::collections::HashMap;

use super::{ranking, JudgingError, Ranking};
use crate::db::{self, DbConnection};
use crate::domain::jury::{self, Score};
use crate::domain::{CompetitionId, OrgId, StoredEntry};
use crate::export::{self, protocol_pdf, protocol_table, Protocol, ProtocolRow, Signature};
use crate::i18n::Lang;

/// The file a protocol is given as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolFormat {
    Csv,
    Xlsx,
    /// Printable, with the signatures.
    Pdf,
}

impl ProtocolFormat {
    /// `csv`, `xlsx` or `pdf`, as the download's name ends.
    pub fn from_extension(extension: &str) -> Option<ProtocolFormat> {
        match extension {
            "csv" => Some(ProtocolFormat::Csv),
            "xlsx" => Some(ProtocolFormat::Xlsx),
            "pdf" => Some(ProtocolFormat::Pdf),
            _ => None,
        }
    }
}

/// A protocol file: `protocol.csv`, `protocol.xlsx` or `protocol.pdf`.
pub struct ProtocolFile {
    pub file_name: &'static str,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The protocol of one of the organizer's competitions as a file, for the API and the pages
/// alike: the ranking as it stands, nothing written.
pub fn protocol_file(
    conn: &mut DbConnection,
    organization_id: &OrgId,
    competition_id: &CompetitionId,
    format: ProtocolFormat,
    lang: Lang,
) -> Result<ProtocolFile, JudgingError> {
    let protocol = protocol(conn, organization_id, competition_id, lang)?;
    let (file_name, content_type, bytes) = match format {
        ProtocolFormat::Csv => (
            "protocol.csv",
            "text/csv; charset=utf-8",
            export::to_csv(&protocol_table(&protocol, lang))?,
        ),
        ProtocolFormat::Xlsx => (
            "protocol.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            export::to_xlsx(&protocol_table(&protocol, lang))?,
        ),
        ProtocolFormat::Pdf => ("protocol.pdf", "application/pdf", protocol_pdf(&protocol, lang)?),
    };
    Ok(ProtocolFile {
        file_name,
        content_type,
        bytes,
    })
}

/// The protocol of one of the organizer's competitions, the ranking as it stands; nothing written.
pub fn protocol(
    conn: &mut DbConnection,
    organization_id: &str,
    competition_id: &str,
    lang: Lang,
) -> Result<Protocol, JudgingError> {
    let competition = db::competitions::find_owned(conn, organization_id, competition_id)?;
    let Ranking { ranked, entries, .. } = ranking(conn, competition_id)?;
    let criteria = db::jury::criteria(conn, competition_id)?;
    let judges = db::jury_panel::judges(conn, competition_id)?;
    let named = db::jury_panel::named_chair(conn, competition_id)?;
    let signed = db::jury_panel::sign_off(conn, competition_id)?;
    let marks = db::jury::marks(conn, competition_id)?;
    let (marks, _) = super::assign::counted_marks(conn, competition_id, criteria.len(), marks)?;

    let points: HashMap<(&str, &str, &str), f64> = marks
        .iter()
        .map(|m| {
            (
                (m.entry_id.as_str(), m.judge_id.as_str(), m.criterion_id.as_str()),
                m.points.as_f64(),
            )
        })
        .collect();
    let by_id: HashMap<&str, &StoredEntry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let remarks = remarks_by_entry(conn, competition_id, &judges, &criteria)?;
    let aggregation = db::jury::rules(conn, competition_id)?.aggregation;
    let mut rounds = super::revision::past_rounds(conn, competition_id, &judges, &criteria, aggregation)?;
    let rows = ranked
        .iter()
        .filter_map(|r| {
            let entry = by_id.get(r.entry_id.as_str())?;
            let mut row_marks = Vec::with_capacity(judges.len() * criteria.len());
            let mut judge_totals = Vec::with_capacity(judges.len());
            for judge in &judges {
                let sheet: Vec<Option<f64>> = criteria
                    .iter()
                    .map(|c| {
                        points
                            .get(&(entry.id.as_str(), judge.id.as_str(), c.id.as_str()))
                            .copied()
                    })
                    .collect();
                let total = sheet.iter().all(Option::is_some).then(|| {
                    let sum: f64 = criteria
                        .iter()
                        .zip(&sheet)
                        .map(|(c, p)| p.unwrap_or(0.0) * c.weight.get())
                        .sum();
                    Score::from_points(sum).as_f64()
                });
                judge_totals.push(total);
                row_marks.extend(sheet);
            }
            Some(ProtocolRow {
                place: r.place,
                holder: entry.holder.clone(),
                school: entry.school.clone(),
                nomination: r.group.0.clone(),
                age_group: r.group.1.clone(),
                score: r.score.map(Score::as_f64),
                award: r.award,
                out_of_competition: r.out_of_competition,
                marks: row_marks,
                judge_totals,
                band: r.band.clone(),
                disagreement: r.disagreement,
                chair_decides: r.chair_decides,
                remarks: remarks.get(entry.id.as_str()).cloned().unwrap_or_default(),
                rounds: rounds.remove(entry.id.as_str()).unwrap_or_default(),
            })
        })
        .collect();
    Ok(Protocol {
        competition: competition.title_in(lang).to_string(),
        chair: jury::chair(&judges, named.as_deref()).map(|j| j.name.clone()),
        judges: judges.iter().map(|j| j.name.clone()).collect(),
        criteria: criteria.iter().map(|c| c.name.clone()).collect(),
        signed: signed.map(|s| Signature {
            by: s.signed_by,
            at: s.signed_at,
        }),
        rows,
    })
}

/// The judges' remarks on each entry as the protocol prints them: "Judge (criterion): text", the
/// remarks on the whole work last.
fn remarks_by_entry(
    conn: &mut DbConnection,
    competition_id: &str,
    judges: &[crate::domain::jury::Judge],
    criteria: &[crate::domain::jury::Criterion],
) -> Result<HashMap<String, Vec<String>>, JudgingError> {
    let judge_name: HashMap<&str, &str> = judges.iter().map(|j| (j.id.as_str(), j.name.as_str())).collect();
    let criterion_name: HashMap<&str, &str> = criteria
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let mut by_entry: HashMap<String, Vec<String>> = HashMap::new();
    for remark in db::jury_review::remarks(conn, competition_id)? {
        let judge = judge_name
            .get(remark.judge_id.as_str())
            .copied()
            .unwrap_or_default();
        let line = match remark.criterion_id.as_deref().and_then(|c| criterion_name.get(c)) {
            Some(criterion) => format!("{judge} ({criterion}): {}", remark.text),
            None => format!("{judge}: {}", remark.text),
        };
        by_entry.entry(remark.entry_id).or_default().push(line);
    }
    Ok(by_entry)
}
