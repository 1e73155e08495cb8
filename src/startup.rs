//! Building the application from settings: shared by `main` and the tests, which start the real
//! thing on port 0 with a fresh database.

use std::net::TcpListener;
use std::sync::Arc;

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
    let tightened = crate::data_dir::prepare(&settings.data_dir)
        .map_err(|e| StartupError::DataDir(settings.data_dir.display().to_string(), e))?;
    if tightened {
        tracing::warn!(
            data_dir = %settings.data_dir.display(),
            "the data folder was open to other accounts; it is now private to this one (0700)"
        );
    }
    let db = Db::connect(&settings.database_url, settings.db_pool_size)?;
    let renderer = Renderer::new().map_err(StartupError::Assets)?;
    let keys = KeyStore::open(&settings.data_dir)?;
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
    })
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub fn build(settings: Settings) -> Result<Application, StartupError> {
        let issuance = open(&settings)?;
        // Sessions past their expiry and spent invitations are swept at start-up and at each sign-in.
        crate::db::accounts::purge_expired(&mut *issuance.db.conn()?)?;
        // A fresh server is claimed in the browser, through a link only its operator can read.
        if let Some(link) = crate::setup::link_if_unclaimed(&mut *issuance.db.conn()?, &settings.public_url)?
        {
            tracing::warn!(
                "no account exists yet: open {link} in a browser to create the organization and its \
                 administrator (the link works once, for {} hours)",
                crate::setup::SETUP_LINK_HOURS
            );
        }
        let jobs = worker::spawn(issuance.clone()).map_err(|e| StartupError::Assets(e.to_string()))?;
        let listener =
            TcpListener::bind(&settings.bind).map_err(|e| StartupError::Bind(settings.bind.clone(), e))?;
        let port = listener
            .local_addr()
            .map_err(|e| StartupError::Bind(settings.bind.clone(), e))?
            .port();
        let scans = ScanLog::start(issuance.db.clone()).map_err(|e| StartupError::Assets(e.to_string()))?;
        let mail = delivery::worker::spawn(Delivery {
            db: issuance.db.clone(),
            store: issuance.store.clone(),
            settings: settings.mail.clone(),
            public_url: settings.public_url.clone(),
            composer: Arc::new(Composer::load().map_err(StartupError::Assets)?),
        })
        .map_err(|e| StartupError::Assets(e.to_string()))?;
        let mut state = AppState::new(issuance.db.clone(), issuance, jobs, scans, Arc::new(settings))
            .map_err(StartupError::Assets)?;
        state.mail = mail;
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
                .wrap(web::access_log::logger())
                .configure(web::routes)
        })
        .listen(listener)
        .map_err(|e| StartupError::Bind("listener".into(), e))?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (tests stop it to see what a page does offline).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
