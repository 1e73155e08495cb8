//! One print-ready PDF of a competition's papers: every valid document as a page, the fonts and
//! pictures they share written once. Documents are read a page of the database at a time, their
//! pages drawn on every core and written in serial order as they are made, so memory holds only
//! the cross-reference offsets, not the papers.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::Arc;

use super::issue::{qr_url, Issuance, IssueError};
use super::own_designs::reference_for;
use super::parallel::map_in_order;
use super::render::{PreparedDesign, RenderError};
use crate::db;
use crate::db::bundles::{rendered_page, Selection};
use crate::domain::{Competition, Document};

/// Documents read from the database at once.
const PAGE: i64 = 512;

/// Writes the print file of the competition's valid papers, only those of one organization's
/// entries when `organization` is given.
pub fn write_print_pdf<W: Write>(
    issuance: &Issuance,
    competition: &Competition,
    organization: Option<String>,
    out: W,
) -> Result<W, IssueError> {
    let selection = Selection {
        only_valid: true,
        organization,
    };
    let threads = issuance.batch.threads;
    let renderer = &issuance.renderer;
    let ready = issuance.design(&print_design(issuance, competition)?)?;
    let prepared = &ready.prepared;
    // A paper with letters beyond the usual alphabet widens the shared subsets for all of them.
    let mut extra = BTreeSet::new();
    for_each_page(issuance, competition, &selection, |documents| {
        let outside = map_in_order(documents, threads, |document| {
            match prepared.check(&document.payload, &qr_url(&issuance.public_url, document)) {
                Err(RenderError::OutsideSubset(chars)) => Ok(chars),
                other => other.map(|()| BTreeSet::new()).map_err(IssueError::from),
            }
        })?;
        extra.extend(outside.into_iter().flatten());
        Ok(())
    })?;
    let prepared = match extra.is_empty() {
        true => ready.prepared.clone(),
        false => Arc::new(PreparedDesign::prepare(
            ready.prepared.design(),
            renderer.fonts(),
            &ready.pictures,
            &extra,
        )?),
    };
    let write_error = |e: std::io::Error| RenderError::Write(e.to_string());
    let mut print = prepared
        .combined(out, &competition.details.title)
        .map_err(write_error)?;
    for_each_page(issuance, competition, &selection, |documents| {
        let pages = map_in_order(documents, threads, |document| {
            let url = qr_url(&issuance.public_url, document);
            Ok::<_, IssueError>(prepared.print_page(renderer.fonts(), &document.payload, &url)?)
        })?;
        for (document, page) in documents.iter().zip(pages) {
            print.add_page(&page, &document.payload)?;
        }
        Ok(())
    })?;
    Ok(print.finish().map_err(write_error)?)
}

/// The design the print file is drawn with: the one the newest valid paper was rendered with (a
/// competition whose papers were issued with different versions of a design prints them all with
/// the newest), or the competition's when nothing is issued yet.
pub fn print_design(issuance: &Issuance, competition: &Competition) -> Result<String, IssueError> {
    let mut conn = issuance.db.conn()?;
    match db::designs::newest_used(&mut conn, &competition.id)? {
        Some(reference) => Ok(reference),
        None => Ok(reference_for(
            &mut conn,
            &issuance.renderer,
            &competition.organization_id,
            &competition.details.design,
        )?
        .to_string()),
    }
}

/// The selected documents in serial order, `PAGE` at a time; the database connection is held only
/// while a page is read, not while it is written to a slow client.
fn for_each_page(
    issuance: &Issuance,
    competition: &Competition,
    selection: &Selection,
    mut each: impl FnMut(&[Document]) -> Result<(), IssueError>,
) -> Result<(), IssueError> {
    let mut after: Option<String> = None;
    loop {
        let documents = {
            let mut conn = issuance.db.conn()?;
            rendered_page(&mut conn, &competition.id, selection, after.as_deref(), PAGE)?
        };
        let Some(last) = documents.last() else {
            return Ok(());
        };
        after = Some(last.serial.to_string());
        each(&documents)?;
    }
}
