//! Backups that restore. A backup holds what cannot be made again:
//! - the database (SQLite: an online copy by `VACUUM INTO`; PostgreSQL: `pg_dump`, by the operator);
//! - the signing keys (`keys/`): without them no new paper verifies with the old published keys,
//!   and the private halves exist nowhere else;
//! - the issued PDFs (`documents/`): papers re-render byte for byte only with the same program,
//!   fonts and design versions, and a paper's recorded SHA-256 is of the bytes first issued.
//!   Design pictures live in the database, so they come with it.
//!
//! Left out: `uploads/` (previewed results files waiting 24 h for "import") and `mail/` (the
//! development mail transport's copies of sent messages).
//!
//! Order makes it consistent while the service runs: the database first, then the keys and the
//! PDFs. Keys are only ever added and PDF files are written whole before a document names them, so
//! everything the database copy names is in the files copied after it; files written meanwhile
//! are named by nothing and harmless. `backup.json`, written last, lists every file with its
//! SHA-256: a folder without it is an unfinished backup, and a restore checks every file.

mod files;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::db::{self, Backend, Db};
use crate::domain::time::now_rfc3339;
use files::{copy_tree, is_empty_or_missing, Copied};

pub const MANIFEST: &str = "backup.json";
/// The SQLite database's name inside a backup.
pub const DATABASE_FILE: &str = "gramota.db";
/// Folders of the data directory a backup carries: the signing keys, the papers, the applications' works.
const KEPT_FOLDERS: [&str; 3] = ["keys", "documents", "works"];

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} is not empty: a backup goes into a new folder, a restore into an empty data folder")]
    NotEmpty(PathBuf),
    #[error("{0} has no {MANIFEST}: not a backup, or one that did not finish")]
    NoManifest(PathBuf),
    #[error("the backup is damaged: {0}")]
    Damaged(String),
    #[error("the database: {0}")]
    Database(#[from] db::DbError),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{MANIFEST}: {0}")]
    Manifest(#[from] serde_json::Error),
}

/// What a backup holds, written last.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub created_at: String,
    pub gramota_version: String,
    /// `sqlite` (the database is `gramota.db` here) or `postgresql` (kept by `pg_dump`, not here).
    pub database: String,
    pub files: Vec<Copied>,
}

#[derive(Debug)]
pub struct BackupReport {
    pub files: usize,
    pub bytes: u64,
    /// False on PostgreSQL: the database is to be dumped with `pg_dump`.
    pub database_included: bool,
}

fn io(context: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |e| BackupError::Io(context.display().to_string(), e)
}

/// Copies the database, the keys and the PDFs into `out` (new or empty), while the service runs.
pub fn backup(settings: &Settings, out: &Path) -> Result<BackupReport, BackupError> {
    if !is_empty_or_missing(out).map_err(io(out))? {
        return Err(BackupError::NotEmpty(out.to_path_buf()));
    }
    // The keys are in it: as private as the data folder.
    crate::data_dir::prepare(out).map_err(io(out))?;
    let backend = Backend::of_url(&settings.database_url);
    let mut files = Vec::new();
    if backend == Backend::Sqlite {
        let db = Db::connect(&settings.database_url, 1)?;
        let target = out.join(DATABASE_FILE);
        db::backup::snapshot_sqlite(&mut *db.conn()?, &target)?;
        files.push(files::describe(out, Path::new(DATABASE_FILE)).map_err(io(&target))?);
    }
    for folder in KEPT_FOLDERS {
        let from = settings.data_dir.join(folder);
        files.extend(copy_tree(&from, &out.join(folder), Path::new(folder)).map_err(io(&from))?);
    }
    let report = BackupReport {
        files: files.len(),
        bytes: files.iter().map(|f| f.bytes).sum(),
        database_included: backend == Backend::Sqlite,
    };
    let manifest = Manifest {
        format: 1,
        created_at: now_rfc3339(),
        gramota_version: env!("CARGO_PKG_VERSION").to_string(),
        database: backend.name().to_string(),
        files,
    };
    let path = out.join(MANIFEST);
    files::write_synced(&path, &serde_json::to_vec_pretty(&manifest)?).map_err(io(&path))?;
    Ok(report)
}

#[derive(Debug)]
pub struct RestoreReport {
    pub files: usize,
    /// False for a PostgreSQL backup: the database is restored with `pg_restore`.
    pub database_restored: bool,
}

/// Restores a backup into the configured data folder, which must be empty or missing (and so must
/// the SQLite database file). Every file is checked against the manifest before it is placed.
pub fn restore(settings: &Settings, from: &Path) -> Result<RestoreReport, BackupError> {
    let path = from.join(MANIFEST);
    if !path.is_file() {
        return Err(BackupError::NoManifest(from.to_path_buf()));
    }
    let manifest: Manifest = serde_json::from_slice(&std::fs::read(&path).map_err(io(&path))?)?;
    let data_dir = &settings.data_dir;
    if !is_empty_or_missing(data_dir).map_err(io(data_dir))? {
        return Err(BackupError::NotEmpty(data_dir.clone()));
    }
    let has_database = manifest.database == Backend::Sqlite.name();
    let database_file = db::backup::sqlite_file(&settings.database_url);
    if has_database {
        if Backend::of_url(&settings.database_url) != Backend::Sqlite {
            return Err(BackupError::Damaged(
                "this backup holds an SQLite database, and DATABASE_URL names PostgreSQL".into(),
            ));
        }
        if database_file.exists() {
            return Err(BackupError::NotEmpty(database_file));
        }
    }
    // Checked whole before anything is written: a damaged backup leaves the folder empty.
    for file in &manifest.files {
        files::check(from, file).map_err(BackupError::Damaged)?;
    }
    crate::data_dir::prepare(data_dir).map_err(io(data_dir))?;
    for file in &manifest.files {
        let target = if file.path == DATABASE_FILE {
            database_file.clone()
        } else {
            data_dir.join(&file.path)
        };
        files::place(&from.join(&file.path), &target).map_err(io(&target))?;
    }
    Ok(RestoreReport {
        files: manifest.files.len(),
        database_restored: has_database,
    })
}
