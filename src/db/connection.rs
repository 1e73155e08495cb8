use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgresql",
        }
    }

    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database migrations failed: {0}")]
    Migration(String),
    #[error("a background database task stopped unexpectedly")]
    TaskAborted,
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

impl DbError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, DbError::Query(diesel::result::Error::NotFound))
    }

    /// The database is there but busy: SQLite's file stayed locked by another writer past
    /// busy_timeout, PostgreSQL could not take a lock, or no connection came free in time. Worth
    /// retrying shortly, unlike a broken query.
    pub fn is_busy(&self) -> bool {
        match self {
            DbError::Pool(_) => true,
            DbError::Query(diesel::result::Error::DatabaseError(_, info)) => {
                let message = info.message();
                message.contains("database is locked")
                    || message.contains("database table is locked")
                    || message.contains("could not obtain lock")
            }
            _ => false,
        }
    }

    /// The disk under the database is full (SQLite's SQLITE_FULL, PostgreSQL's "could not extend
    /// file … No space left on device"): nothing was written, and nothing will be until an
    /// operator frees space. Said as such, not as an unreachable database.
    pub fn is_disk_full(&self) -> bool {
        match self {
            DbError::Query(diesel::result::Error::DatabaseError(_, info)) => {
                let message = info.message();
                message.contains("database or disk is full")
                    || message.contains("No space left on device")
                    || message.contains("disk quota exceeded")
            }
            _ => false,
        }
    }

    /// What went wrong in a few words, for a background worker's log line.
    pub fn summary(&self) -> &'static str {
        if self.is_disk_full() {
            "the disk under the database is full; free space and the work resumes"
        } else if self.is_busy() {
            "the database is busy"
        } else if matches!(self, DbError::Pool(_)) {
            "could not reach the database"
        } else {
            "a database query failed"
        }
    }
}

/// What SQLite may keep in memory across all connections, page caches included, in bytes.
const SQLITE_HEAP_LIMIT: i64 = 4 * 1024 * 1024;

/// SQLite needs its pragmas on every connection; PostgreSQL needs nothing.
#[derive(Debug)]
struct ConnectionSetup;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(sqlite) = conn {
            sqlite
                .batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
                     PRAGMA synchronous = NORMAL;",
                )
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// The pool, shared by the web handlers, the job worker and the command line.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager<DbConnection>>,
    backend: Backend,
}

impl Db {
    /// Opens the database, creating an SQLite file if needed, and applies pending migrations.
    pub fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        let backend = Backend::of_url(url);
        if backend == Backend::Sqlite {
            let mut first = SqliteConnection::establish(url)
                .map_err(|e| DbError::Migration(format!("cannot open {url}: {e}")))?;
            // WAL is a property of the file, so it is set once, before the pool opens it.
            first
                .batch_execute("PRAGMA journal_mode = WAL;")
                .map_err(DbError::Query)?;
            // The soft heap limit is the process's, for all connections: their page caches
            // (2 MiB each by default) otherwise fill one by one as the database grows, and the
            // soak's server grew 10 MB in 17 minutes with no leak. Pages past the limit are
            // recycled; the file's pages stay in the operating system's cache, a read away.
            first
                .batch_execute(&format!("PRAGMA soft_heap_limit = {SQLITE_HEAP_LIMIT};"))
                .map_err(DbError::Query)?;
        }
        let pool = Pool::builder()
            .max_size(max_connections)
            .connection_timeout(Duration::from_secs(30))
            // A file connection cannot go stale; a network one is checked before each use.
            .test_on_check_out(backend == Backend::Postgres)
            .connection_customizer(Box::new(ConnectionSetup))
            .build(ConnectionManager::<DbConnection>::new(url))?;
        let db = Db { pool, backend };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.conn()?;
        let result = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
            DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        };
        result.map_err(|e| DbError::Migration(e.to_string()))
    }

    /// The pool's connections: open, idle, and the most it opens.
    pub fn pool_state(&self) -> (u32, u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections, self.pool.max_size())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn conn(&self) -> Result<PooledConnection<ConnectionManager<DbConnection>>, DbError> {
        Ok(self.pool.get()?)
    }

    /// A connection if one is free now, without waiting: for work that can also do without it
    /// (a second reader beside the first), so that it never holds one while waiting for another.
    pub fn try_conn(&self) -> Option<PooledConnection<ConnectionManager<DbConnection>>> {
        self.pool.try_get()
    }

    /// Runs work that takes its own connections (see [`Db::try_conn`]) on the blocking pool.
    pub async fn run_pooled<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&Db) -> Result<T, E> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || work(&db))
            .await
            .map_err(|_| DbError::TaskAborted)?
    }

    /// Runs database work on the blocking pool, off the async executor. The work may fail with any
    /// error a database error converts into, so a service's own error comes back as it is.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.conn()?;
            work(&mut conn)
        })
        .await
        .map_err(|_| DbError::TaskAborted)?
    }

    /// A short read by key, for the public lookups that must answer thousands of times a second. On
    /// SQLite, with a connection free at once, it runs right here: a read through an index takes
    /// microseconds, less than handing it to a blocking thread and back. Otherwise as [`Db::run`].
    pub async fn read<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    {
        if self.backend == Backend::Sqlite {
            if let Some(mut conn) = self.pool.try_get() {
                return work(&mut conn);
            }
        }
        self.run(work).await
    }
}

/// Inserts many rows: batched on PostgreSQL; one statement per row on SQLite, where diesel's own
/// batch would open a nested transaction inside `write_transaction`'s `BEGIN IMMEDIATE`.
#[macro_export]
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let rows = $rows;
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => {
                for row in rows {
                    diesel::insert_into($table).values(row).execute(c)?;
                }
            }
            $crate::db::DbConnection::Postgres(c) => {
                // Chunks keep each statement under the bound-parameter limit.
                for chunk in rows.chunks(1000) {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
            }
        }
    }};
}

/// A transaction that takes the write lock up front on SQLite (`BEGIN IMMEDIATE`), so concurrent
/// writers wait on busy_timeout instead of failing on a lock upgrade; on PostgreSQL a plain one.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    E: From<diesel::result::Error>,
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
{
    match conn {
        DbConnection::Sqlite(_) => {
            conn.batch_execute("BEGIN IMMEDIATE")?;
            match work(conn) {
                Ok(value) => {
                    conn.batch_execute("COMMIT")?;
                    Ok(value)
                }
                Err(e) => {
                    // The original error matters more than a failed rollback.
                    let _ = conn.batch_execute("ROLLBACK");
                    Err(e)
                }
            }
        }
        DbConnection::Postgres(_) => conn.transaction(work),
    }
}

/// The three ways a queue of plain mail (account mail, mail to applicants) records a message's
/// fate, for a table with `id`, `sent_at`, `failed_at`, `next_attempt_at` and `last_error`.
#[macro_export]
macro_rules! mail_queue_marks {
    ($table:ident :: $name:ident) => {
        pub fn mark_sent(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
            diesel::update($table::$name.filter($table::id.eq(id)))
                .set((
                    $table::sent_at.eq(Some(now_rfc3339())),
                    $table::last_error.eq(None::<String>),
                ))
                .execute(conn)?;
            Ok(())
        }

        pub fn retry_later(conn: &mut DbConnection, id: &str, at: &str, error: &str) -> Result<(), DbError> {
            diesel::update($table::$name.filter($table::id.eq(id)))
                .set((
                    $table::next_attempt_at.eq(at),
                    $table::last_error.eq(Some(error)),
                ))
                .execute(conn)?;
            Ok(())
        }

        pub fn mark_failed(conn: &mut DbConnection, id: &str, error: &str) -> Result<(), DbError> {
            diesel::update($table::$name.filter($table::id.eq(id)))
                .set((
                    $table::failed_at.eq(Some(now_rfc3339())),
                    $table::last_error.eq(Some(error)),
                ))
                .execute(conn)?;
            Ok(())
        }
    };
}
