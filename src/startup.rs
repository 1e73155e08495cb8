//! Building the application from settings: shared by `main` and the tests, which start the real
//! thing on port 0 with a fresh database.

use std::net::TcpListener;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use actix_web::dev::Server;
use actix_web::middleware::ErrorHandlers;
use actix_web::{App, HttpServer};

use crate::config::Settings;
use crate::db::Db;
use crate::delivery::{self, Composer, Delivery};
use crate::i18n::Message;
use crate::issuance::render::Renderer;
use crate::issuance::storage::DocumentStore;
use crate::issuance::{worker, BatchSettings, Issuance};
use crate::shutdown::{Background, Shutdown};
use crate::trust::KeyStore;
use crate::verification::scan_log::ScanLog;
use crate::web::{self, error::localize, ApiError, AppState};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("cannot open the database: {0}")]
    Database(#[from] crate::db::DbError),
    #[error("cannot load the bundled fonts or templates: {0}")]
    Assets(String),
    #[error("cannot open the signing keys: {0}")]
    Keys(#[from] crate::trust::keys::KeyError),
    #[error("cannot listen on {0}: {1}")]
    Bind(String, std::io::Error),
}

/// Opens the database and the renderer: what the service and the offline commands share.
pub fn open(settings: &Settings) -> Result<Issuance, StartupError> {
    let data_dir_error = |e| StartupError::DataDir(settings.data_dir.display().to_string(), e);
    crate::data_dir::prepare(&settings.data_dir).map_err(data_dir_error)?;
    let db = Db::connect(&settings.database_url, settings.db_pool_size)?;
    let renderer = Renderer::new().map_err(StartupError::Assets)?;
    let shared = settings.signing_secret.as_ref().map(|secret| (&db, secret));
    let keys = KeyStore::open(&settings.data_dir, shared)?;
    Ok(Issuance {
        db,
        keys: Arc::new(keys),
        renderer: Arc::new(renderer),
        store: DocumentStore::new(&settings.data_dir),
        public_url: settings.public_url.clone(),
        batch: BatchSettings::new(
            settings.issue_chunk_size,
            settings.issue_threads,
            settings.job_stale_after,
        ),
        designs: Arc::default(),
        shutdown: Shutdown::default(),
        metrics: Arc::default(),
    })
}

/// What an older install needs once, done when the service starts rather than at every command:
/// the data folder made private (files written since are private by the umask), and download
/// links stored in plain text turned into digests.
fn upgrade_once(settings: &Settings, db: &Db) -> Result<(), StartupError> {
    let tightened = crate::data_dir::tighten(&settings.data_dir)
        .map_err(|e| StartupError::DataDir(settings.data_dir.display().to_string(), e))?;
    if tightened > 0 {
        tracing::warn!(
            data_dir = %settings.data_dir.display(),
            tightened,
            "the data folder was open to other accounts; it and its files are now private to this one (0700, 0600)"
        );
    }
    let rehashed = crate::db::outbox::hash_stored_tokens(&mut *db.conn()?)?;
    if rehashed > 0 {
        tracing::info!(
            links = rehashed,
            "download links are now kept as digests of their tokens"
        );
    }
    Ok(())
}

/// How long requests in hand may take to finish after a stop is asked.
const REQUESTS_GRACE: Duration = Duration::from_secs(20);
/// The whole stop, background threads included: within the 30 s an orchestrator usually allows.
const STOP_DEADLINE: Duration = Duration::from_secs(28);

pub struct Application {
    port: u16,
    server: Server,
    background: Background,
}

impl Application {
    pub fn build(settings: Settings) -> Result<Application, StartupError> {
        let issuance = open(&settings)?;
        upgrade_once(&settings, &issuance.db)?;
        // Sessions past their expiry and spent invitations are swept at start-up and at each sign-in.
        crate::db::accounts::purge_expired(&mut *issuance.db.conn()?)?;
        // Entries stored before persons were get theirs, so the reports count everyone.
        let assigned = crate::persons::assign_missing(&mut *issuance.db.conn()?)?;
        if assigned > 0 {
            tracing::info!(competitions = assigned, "persons recognized in earlier entries");
        }
        // A fresh server is claimed in the browser, through a link only its operator can read.
        if let Some(link) = crate::setup::link_if_unclaimed(&mut *issuance.db.conn()?, &settings.public_url)?
        {
            tracing::warn!(
                "no account exists yet: open {link} in a browser to create the organization and its \
                 administrator (the link works once, for {} hours)",
                crate::setup::SETUP_LINK_HOURS
            );
        }
        let shutdown = issuance.shutdown.clone();
        let mut background = Background::new(shutdown.clone());
        let (jobs, thread) =
            worker::spawn(issuance.clone()).map_err(|e| StartupError::Assets(e.to_string()))?;
        background.add("issue worker", thread);
        let listener =
            TcpListener::bind(&settings.bind).map_err(|e| StartupError::Bind(settings.bind.clone(), e))?;
        let port = listener
            .local_addr()
            .map_err(|e| StartupError::Bind(settings.bind.clone(), e))?
            .port();
        let (scans, thread) = ScanLog::start(issuance.db.clone(), shutdown.clone())
            .map_err(|e| StartupError::Assets(e.to_string()))?;
        background.add("scan log", thread);
        let works = crate::applications::works::WorkStore::in_data_dir(&settings.data_dir);
        let thread = crate::retention::spawn(
            issuance.db.clone(),
            issuance.store.clone(),
            works,
            shutdown.clone(),
        )
        .map_err(|e| StartupError::Assets(e.to_string()))?;
        background.add("retention", thread);
        let verified = Arc::new(crate::verification::cache::VerifiedCache::new());
        let thread =
            crate::verification::cache::spawn(issuance.db.clone(), verified.clone(), shutdown.clone())
                .map_err(|e| StartupError::Assets(e.to_string()))?;
        background.add("verified papers", thread);
        let delivery = Delivery {
            db: issuance.db.clone(),
            papers: issuance.clone(),
            settings: settings.mail.clone(),
            public_url: settings.public_url.clone(),
            composer: Arc::new(Composer::load().map_err(StartupError::Assets)?),
        };
        let (mail, thread) =
            delivery::worker::spawn(delivery, shutdown).map_err(|e| StartupError::Assets(e.to_string()))?;
        if let Some(thread) = thread {
            background.add("mail worker", thread);
        }
        let mut state = AppState::new(issuance.db.clone(), issuance, jobs, scans, Arc::new(settings))
            .map_err(StartupError::Assets)?;
        state.mail = mail;
        state.verified = verified;
        let state = actix_web::web::Data::new(state);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(
                    actix_web::web::JsonConfig::default()
                        .limit(1024 * 1024)
                        .error_handler(|err, _req| {
                            ApiError::Invalid(Message::InvalidJson(err.to_string())).into()
                        }),
                )
                .app_data(
                    actix_web::web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()),
                )
                .app_data(actix_web::web::QueryConfig::default().error_handler(|err, _req| {
                    ApiError::Invalid(Message::InvalidJson(err.to_string())).into()
                }))
                .wrap(ErrorHandlers::new().default_handler(localize))
                .wrap(actix_web::middleware::from_fn(web::observe::observe))
                .wrap(web::access_log::logger())
                .configure(web::routes)
        })
        // Signals are ours (see `stop_on_signal`): actix would stop at once on Ctrl-C.
        .disable_signals()
        .shutdown_timeout(REQUESTS_GRACE.as_secs())
        .listen(listener)
        .map_err(|e| StartupError::Bind("listener".into(), e))?
        .run();
        Ok(Application {
            port,
            server,
            background,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (tests stop it to see what a page does offline).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped, then stops the background threads in order.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.serve(Arc::default()).await
    }

    /// Serves until SIGTERM or Ctrl-C, then stops gracefully: no new connections, requests in hand
    /// finished (for at most 20 s), the background threads stopped (see `crate::shutdown`), all
    /// within 28 s of the signal.
    pub async fn run_until_signal(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let signals = stop_on_signal()?;
        let asked: Arc<OnceLock<Instant>> = Arc::default();
        let asked_at = asked.clone();
        actix_web::rt::spawn(async move {
            let signal = signals.await;
            let _ = asked_at.set(Instant::now());
            tracing::info!(signal, "stopping: no new requests, finishing those in hand");
            handle.stop(true).await;
        });
        self.serve(asked).await
    }

    async fn serve(self, asked: Arc<OnceLock<Instant>>) -> std::io::Result<()> {
        let served = self.server.await;
        let deadline = asked.get().copied().unwrap_or_else(Instant::now) + STOP_DEADLINE;
        let left = self.background.stop(deadline);
        if !left.is_empty() {
            tracing::warn!(
                ?left,
                "stopped before these finished; their leases run out on their own"
            );
        }
        served
    }
}

/// Resolves with the signal's name at the first SIGTERM or Ctrl-C (SIGINT). The handlers are set
/// up before this returns, so a signal sent once the service answers is never missed.
fn stop_on_signal() -> std::io::Result<impl std::future::Future<Output = &'static str>> {
    #[cfg(unix)]
    {
        use actix_web::rt::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        Ok(async move {
            match futures_util::future::select(Box::pin(terminate.recv()), Box::pin(interrupt.recv())).await {
                futures_util::future::Either::Left(_) => "SIGTERM",
                futures_util::future::Either::Right(_) => "SIGINT",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async move {
            let _ = actix_web::rt::signal::ctrl_c().await;
            "Ctrl-C"
        })
    }
}
