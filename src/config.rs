//! Typed settings: defaults, then `gramota.toml`, then the environment. Read once at start-up and
//! passed to whatever needs them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

mod address_ranges;
mod signing_secret;
pub use address_ranges::{unmapped, AddressRanges};
pub use signing_secret::SigningSecret;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Address to listen on, e.g. `127.0.0.1:8080`; port 0 picks a free port.
    pub bind: String,
    pub data_dir: PathBuf,
    /// An SQLite file path, or a `postgres://` URL.
    pub database_url: String,
    /// The base URL printed in QR codes.
    pub public_url: String,
    /// Requests per minute per client address on public endpoints; 0 turns limiting off.
    pub rate_limit_per_minute: u32,
    /// Reverse proxies believed when they name the client in `Forwarded` / `X-Forwarded-For`.
    pub trusted_proxies: AddressRanges,
    /// The monitoring hosts that may read `/metrics` (the client's address, after the proxies);
    /// the loopback addresses by default.
    pub metrics_from: AddressRanges,
    pub max_upload_bytes: usize,
    pub max_rows: usize,
    /// ZIP and print-file downloads at once; more are refused with 503 until one ends.
    pub max_concurrent_downloads: usize,
    pub db_pool_size: u32,
    /// A running job whose worker has not reported for this long is taken over.
    pub job_stale_after: Duration,
    /// Documents an issue worker claims and renders at a time.
    pub issue_chunk_size: usize,
    /// Rendering threads per issue worker; 0 means one per core.
    pub issue_threads: usize,
    /// E-mail delivery: `[mail]` in gramota.toml, `GRAMOTA_MAIL_*` and `GRAMOTA_SMTP_*`.
    pub mail: crate::delivery::settings::MailSettings,
    /// The secret shared by every instance of a deployment, whose keys are then kept in the
    /// database; `None` for a single server, whose keys are a file in its data folder.
    pub signing_secret: Option<SigningSecret>,
}

/// The same settings as they may appear in `gramota.toml`; all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    public_url: Option<String>,
    rate_limit_per_minute: Option<u32>,
    trusted_proxies: Option<Vec<String>>,
    metrics_from: Option<Vec<String>>,
    max_upload_bytes: Option<usize>,
    max_rows: Option<usize>,
    max_concurrent_downloads: Option<usize>,
    db_pool_size: Option<u32>,
    job_stale_after_seconds: Option<u64>,
    issue_chunk_size: Option<usize>,
    issue_threads: Option<usize>,
    mail: Option<crate::delivery::settings::FileMailSettings>,
    signing_secret_file: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("gramota.toml is not valid: {0}")]
    File(#[from] toml::de::Error),
    #[error("{name} must be {expected}, not \"{value}\"")]
    Env {
        name: &'static str,
        expected: &'static str,
        value: String,
    },
    #[error(transparent)]
    Mail(#[from] crate::delivery::settings::MailSettingsError),
    #[error("{setting}: \"{entry}\" is neither an IP address nor a CIDR range such as 10.0.0.0/8")]
    AddressRange { setting: &'static str, entry: String },
    #[error("cannot read the signing secret file {path}: {source}")]
    SigningSecretFile { path: String, source: std::io::Error },
    #[error(
        "{from} is not a signing secret: it must be the 43 characters `gramota keys secret` prints \
         (32 random bytes in base64url)"
    )]
    SigningSecret { from: String },
}

impl Settings {
    /// `file` is the text of `gramota.toml` if there is one; `env` the process environment.
    pub fn load(file: Option<&str>, env: &HashMap<String, String>) -> Result<Settings, ConfigError> {
        let file: FileSettings = match file {
            Some(text) => toml::from_str(text)?,
            None => FileSettings::default(),
        };
        let text = |name: &str| env.get(name).filter(|v| !v.is_empty()).cloned();
        let number = |name: &'static str| -> Result<Option<u64>, ConfigError> {
            text(name)
                .map(|v| {
                    v.trim().parse::<u64>().map_err(|_| ConfigError::Env {
                        name,
                        expected: "a whole number",
                        value: v.clone(),
                    })
                })
                .transpose()
        };

        let data_dir = text("GRAMOTA_DATA_DIR")
            .map(PathBuf::from)
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = text("DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| data_dir.join("gramota.db").to_string_lossy().into_owned());
        let database_url = database_url
            .strip_prefix("sqlite://")
            .map(str::to_string)
            .unwrap_or(database_url);
        let mail = crate::delivery::settings::MailSettings::load(file.mail, env, &data_dir)?;
        let ranges = |setting: &'static str, env_name: &str, file: Option<Vec<String>>, default: &[&str]| {
            match (text(env_name), file) {
                (Some(list), _) => AddressRanges::parse(list.split(',')),
                (None, Some(list)) => AddressRanges::parse(list.iter().map(String::as_str)),
                (None, None) => AddressRanges::parse(default.iter().copied()),
            }
            .map_err(|entry| ConfigError::AddressRange { setting, entry })
        };
        let trusted_proxies = ranges(
            "trusted_proxies",
            "GRAMOTA_TRUSTED_PROXIES",
            file.trusted_proxies,
            &[],
        )?;
        let metrics_from = ranges(
            "metrics_from",
            "GRAMOTA_METRICS_FROM",
            file.metrics_from,
            &["127.0.0.1", "::1"],
        )?;
        let signing_secret = match (
            text("GRAMOTA_SIGNING_SECRET"),
            text("GRAMOTA_SIGNING_SECRET_FILE"),
        ) {
            (Some(secret), _) => Some((secret, "GRAMOTA_SIGNING_SECRET".to_string())),
            (None, file_path) => match file_path.map(PathBuf::from).or(file.signing_secret_file) {
                Some(path) => {
                    let shown = path.display().to_string();
                    let secret =
                        std::fs::read_to_string(&path).map_err(|source| ConfigError::SigningSecretFile {
                            path: shown.clone(),
                            source,
                        })?;
                    Some((secret, shown))
                }
                None => None,
            },
        }
        .map(|(secret, from)| SigningSecret::parse(&secret).ok_or(ConfigError::SigningSecret { from }))
        .transpose()?;
        Ok(Settings {
            mail,
            signing_secret,
            trusted_proxies,
            metrics_from,
            bind: text("GRAMOTA_BIND")
                .or(file.bind)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            public_url: text("GRAMOTA_PUBLIC_URL")
                .or(file.public_url)
                .unwrap_or_else(|| "http://127.0.0.1:8080".into())
                .trim_end_matches('/')
                .to_string(),
            rate_limit_per_minute: number("GRAMOTA_RATE_LIMIT_PER_MINUTE")?
                .map(|n| n as u32)
                .or(file.rate_limit_per_minute)
                .unwrap_or(120),
            max_upload_bytes: number("GRAMOTA_MAX_UPLOAD_BYTES")?
                .map(|n| n as usize)
                .or(file.max_upload_bytes)
                .unwrap_or(20 * 1024 * 1024),
            max_rows: number("GRAMOTA_MAX_ROWS")?
                .map(|n| n as usize)
                .or(file.max_rows)
                .unwrap_or(100_000),
            max_concurrent_downloads: number("GRAMOTA_MAX_CONCURRENT_DOWNLOADS")?
                .map(|n| n as usize)
                .or(file.max_concurrent_downloads)
                .filter(|n| *n > 0)
                .unwrap_or_else(|| 2 * std::thread::available_parallelism().map_or(2, |n| n.get())),
            db_pool_size: number("GRAMOTA_DB_POOL_SIZE")?
                .map(|n| n as u32)
                .or(file.db_pool_size)
                .unwrap_or(8),
            job_stale_after: Duration::from_secs(
                number("GRAMOTA_JOB_STALE_AFTER_SECONDS")?
                    .or(file.job_stale_after_seconds)
                    .unwrap_or(60),
            ),
            issue_chunk_size: number("GRAMOTA_ISSUE_CHUNK_SIZE")?
                .map(|n| n as usize)
                .or(file.issue_chunk_size)
                .unwrap_or(256),
            issue_threads: number("GRAMOTA_ISSUE_THREADS")?
                .map(|n| n as usize)
                .or(file.issue_threads)
                .unwrap_or(0),
            data_dir,
            database_url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_then_file_then_environment() {
        let defaults = Settings::load(None, &env(&[])).unwrap();
        assert_eq!(defaults.bind, "127.0.0.1:8080");
        assert_eq!(defaults.public_url, "http://127.0.0.1:8080");
        assert!(defaults.database_url.ends_with("gramota.db"));

        let file = "bind = \"0.0.0.0:9000\"\npublic_url = \"https://d.example.kz/\"\n";
        let from_file = Settings::load(Some(file), &env(&[])).unwrap();
        assert_eq!(from_file.bind, "0.0.0.0:9000");
        assert_eq!(from_file.public_url, "https://d.example.kz");

        let from_env = Settings::load(Some(file), &env(&[("GRAMOTA_BIND", "127.0.0.1:1")])).unwrap();
        assert_eq!(from_env.bind, "127.0.0.1:1");
    }

    #[test]
    fn bad_values_are_named() {
        let err = Settings::load(None, &env(&[("GRAMOTA_RATE_LIMIT_PER_MINUTE", "lots")])).unwrap_err();
        assert!(err.to_string().contains("GRAMOTA_RATE_LIMIT_PER_MINUTE"));
        assert!(Settings::load(Some("colour = 1"), &env(&[])).is_err());
    }

    #[test]
    fn trusted_proxies_from_the_file_or_the_environment() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        assert!(Settings::load(None, &env(&[]))
            .unwrap()
            .trusted_proxies
            .is_empty());
        let file = "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]\n";
        let from_file = Settings::load(Some(file), &env(&[])).unwrap().trusted_proxies;
        assert!(from_file.contains(ip("10.2.3.4")) && from_file.contains(ip("127.0.0.1")));
        let from_env = Settings::load(
            Some(file),
            &env(&[("GRAMOTA_TRUSTED_PROXIES", "192.168.0.0/16, ::1")]),
        )
        .unwrap()
        .trusted_proxies;
        assert!(from_env.contains(ip("192.168.7.7")) && from_env.contains(ip("::1")));
        assert!(
            !from_env.contains(ip("10.2.3.4")),
            "the environment replaces the file"
        );
        let err = Settings::load(None, &env(&[("GRAMOTA_TRUSTED_PROXIES", "10.0.0.0/8,proxy")])).unwrap_err();
        assert!(err.to_string().contains("\"proxy\""), "{err}");
    }

    #[test]
    fn the_signing_secret_from_the_environment_or_a_file_never_from_the_toml_itself() {
        assert!(Settings::load(None, &env(&[])).unwrap().signing_secret.is_none());
        let secret = SigningSecret::generate();
        let given = Settings::load(None, &env(&[("GRAMOTA_SIGNING_SECRET", &secret)])).unwrap();
        assert_eq!(given.signing_secret, SigningSecret::parse(&secret));
        assert!(
            !format!("{given:?}").contains(&secret),
            "not in the settings' debug output"
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        std::fs::write(&path, format!("{secret}\n")).unwrap();
        let file = format!("signing_secret_file = {:?}\n", path.display().to_string());
        let from_file = Settings::load(Some(&file), &env(&[])).unwrap();
        assert_eq!(from_file.signing_secret, SigningSecret::parse(&secret));
        assert!(Settings::load(Some("signing_secret = \"x\"\n"), &env(&[])).is_err());

        let err = Settings::load(None, &env(&[("GRAMOTA_SIGNING_SECRET", "hunter2")])).unwrap_err();
        assert!(
            err.to_string().starts_with("GRAMOTA_SIGNING_SECRET is not"),
            "{err}"
        );
        assert!(
            !err.to_string().contains("hunter2"),
            "the wrong secret is not echoed"
        );
        let missing = dir.path().join("none");
        let err = Settings::load(
            None,
            &env(&[("GRAMOTA_SIGNING_SECRET_FILE", missing.to_str().unwrap())]),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("cannot read the signing secret file"),
            "{err}"
        );
    }

    #[test]
    fn metrics_are_for_the_loopback_unless_told_otherwise() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let defaults = Settings::load(None, &env(&[])).unwrap().metrics_from;
        assert!(defaults.contains(ip("127.0.0.1")) && defaults.contains(ip("::1")));
        assert!(!defaults.contains(ip("10.0.0.5")));
        let monitoring = Settings::load(Some("metrics_from = [\"10.0.9.0/24\"]\n"), &env(&[]))
            .unwrap()
            .metrics_from;
        assert!(monitoring.contains(ip("10.0.9.7")) && !monitoring.contains(ip("127.0.0.1")));
        let err = Settings::load(None, &env(&[("GRAMOTA_METRICS_FROM", "prometheus")])).unwrap_err();
        assert!(
            err.to_string().starts_with("metrics_from: \"prometheus\""),
            "{err}"
        );
    }
}
