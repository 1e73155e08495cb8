//! One print-ready PDF of a competition's papers: every valid document as a page, the fonts and
//! pictures they share written once. Documents are read a page of the database at a time, their
//! pages drawn on every core and written in serial order as they are made, so memory holds only
//! the cross-reference offsets, not the papers.

use std::collections::BTreeSet;
use std::io::Write;

use super::issue::{qr_url, Issuance, IssueError};
use super::parallel::map_in_order;
use super::render::RenderError;
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
    let design = &competition.details.design;
    let renderer = &issuance.renderer;
    // A paper with letters beyond the usual alphabet widens the shared subsets for all of them.
    let prepared = renderer.prepared(design)?;
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
    let prepared = renderer.prepared_with(design, &extra)?;
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
