//! The database's side of a backup: an online, consistent copy of an SQLite database. `VACUUM
//! INTO` reads the database in one read transaction, so the copy is the state at one moment while
//! the service keeps writing (WAL lets writers go on), and it is compact and self-contained (no
//! `-wal` file to carry along). PostgreSQL is copied with its own tools (`pg_dump`).

use std::path::{Path, PathBuf};

use diesel::sql_types::Text;
use diesel::RunQueryDsl;

use super::{DbConnection, DbError};

/// Writes a copy of the SQLite database to `target` (which must not exist). Returns false, and
/// writes nothing, on PostgreSQL.
pub fn snapshot_sqlite(conn: &mut DbConnection, target: &Path) -> Result<bool, DbError> {
    let DbConnection::Sqlite(sqlite) = conn else {
        return Ok(false);
    };
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target.to_string_lossy().into_owned())
        .execute(sqlite)?;
    Ok(true)
}

/// The file an SQLite `DATABASE_URL` names (a path, optionally written `sqlite://PATH` or
/// `file:PATH`).
pub fn sqlite_file(url: &str) -> PathBuf {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("file:"))
        .unwrap_or(url);
    PathBuf::from(path.split('?').next().unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sqlite_url_names_its_file() {
        assert_eq!(
            sqlite_file("/var/lib/gramota/gramota.db"),
            PathBuf::from("/var/lib/gramota/gramota.db")
        );
        assert_eq!(sqlite_file("sqlite://data/g.db"), PathBuf::from("data/g.db"));
        assert_eq!(sqlite_file("file:data/g.db?mode=rwc"), PathBuf::from("data/g.db"));
    }
}
