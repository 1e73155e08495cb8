//! One print-ready PDF of a competition's papers: every valid document as a page, the fonts and
//! pictures they share written once. Pages are written as they are made, so memory holds only
//! the cross-reference offsets, not the pages.

use std::collections::BTreeSet;
use std::io::Write;

use super::issue::qr_url;
use super::render::{RenderError, Renderer};
use crate::domain::{Document, DocumentStatus};

/// Writes the print file for `documents` (revoked and superseded ones stay out) in `design`.
pub fn write_print_pdf<W: Write>(
    renderer: &Renderer,
    public_url: &str,
    design: &str,
    title: &str,
    documents: &[Document],
    out: W,
) -> Result<W, RenderError> {
    let current: Vec<&Document> = documents
        .iter()
        .filter(|d| d.status == DocumentStatus::Valid)
        .collect();
    // A paper with letters beyond the usual alphabet widens the shared subsets for all.
    let prepared = renderer.prepared(design)?;
    let mut extra = BTreeSet::new();
    for document in &current {
        let url = qr_url(public_url, document);
        if let Err(RenderError::OutsideSubset(chars)) = prepared.check(&document.payload, &url) {
            extra.extend(chars);
        }
    }
    let prepared = renderer.prepared_with(design, &extra)?;
    let write_error = |e: std::io::Error| RenderError::Write(e.to_string());
    let mut print = prepared.combined(out, title).map_err(write_error)?;
    for document in current {
        print.add(renderer.fonts(), &document.payload, &qr_url(public_url, document))?;
    }
    print.finish().map_err(write_error)
}
