//! `gramota backup --out DIR` and `gramota restore --from DIR`: the lines an operator reads.

use std::path::Path;

use crate::backup::{self, DATABASE_FILE};
use crate::config::Settings;

pub fn backup(settings: &Settings, out: &Path) -> Result<Vec<String>, backup::BackupError> {
    let report = backup::backup(settings, out)?;
    let mut lines = vec![format!(
        "backup written to {}: {} files, {} bytes ({} lists them with their SHA-256)",
        out.display(),
        report.files,
        report.bytes,
        backup::MANIFEST
    )];
    if !report.database_included {
        lines.push(
            "the database is PostgreSQL: this backup holds the keys and the PDFs only; dump the \
             database with pg_dump (see README, \"Backups\") and keep the two together"
                .into(),
        );
    }
    Ok(lines)
}

pub fn restore(settings: &Settings, from: &Path) -> Result<Vec<String>, backup::BackupError> {
    let report = backup::restore(settings, from)?;
    let mut lines = vec![format!(
        "restored {} files into {}",
        report.files,
        settings.data_dir.display()
    )];
    if !report.database_restored {
        lines.push(format!(
            "this backup has no {DATABASE_FILE}: restore the PostgreSQL database with pg_restore \
             (see README, \"Backups\") before starting the service"
        ));
    }
    Ok(lines)
}
