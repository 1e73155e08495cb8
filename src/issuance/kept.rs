//! A paper's bytes wherever the request lands. The instance that rendered a paper keeps it on its
//! own disk; another instance of the same service (several behind one proxy, on one PostgreSQL,
//! with no shared file system) has never seen it. Every input of a paper is in the database — the
//! payload, the signed record, the design version and its pictures — and the renderer is
//! deterministic, so the other instance renders it again, checks the bytes against the SHA-256
//! recorded at issue, and keeps them: the second download is read from its disk.
//!
//! A paper whose personal data was erased has no signed record left and is not rendered again:
//! it stays gone (the caller answers 410).

use std::io::{ErrorKind, Write};

use super::issue::render_one;
use super::{Issuance, IssueError};
use crate::domain::Document;

impl Issuance {
    /// Writes the paper's PDF, whole, to `out`: from this instance's store, or rendered again.
    pub fn copy_paper(&self, document: &Document, out: &mut impl Write) -> std::io::Result<()> {
        match self.store.copy_to(document, out) {
            Err(e) if e.kind() == ErrorKind::NotFound && document.signed_record.is_some() => {
                let pdf = self.render_again(document)?;
                pdf.parts().iter().try_for_each(|part| out.write_all(part))
            }
            kept => kept,
        }
    }

    /// The paper's PDF, whole.
    pub fn read_paper(&self, document: &Document) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.copy_paper(document, &mut bytes)?;
        Ok(bytes)
    }

    fn render_again(&self, document: &Document) -> std::io::Result<super::render::PaperPdf> {
        let pdf = render_one(self, document).map_err(std::io::Error::other)?;
        if document.sha256.as_deref() != Some(pdf.sha256_hex().as_str()) {
            return Err(std::io::Error::new(
                ErrorKind::InvalidData,
                IssueError::NotReproducible(document.serial.to_string()),
            ));
        }
        self.store.keep_rendered(document, &pdf)?;
        tracing::info!(serial = %document.serial, "a paper another instance rendered was rendered here again");
        Ok(pdf)
    }
}
