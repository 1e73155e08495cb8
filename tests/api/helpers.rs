use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::Value;

use gramota::commands::{create_token, TokenRequest};
use gramota::config::Settings;
use gramota::db::organizations::OrganizationNames;
use gramota::startup::{Application, StartupError};

pub struct TestApp {
    pub address: String,
    pub settings: Settings,
    pub token: String,
    server: actix_web::dev::ServerHandle,
    agent: ureq::Agent,
    // Dropped in this order: the database first, then the folder.
    _database: TestDatabase,
    _data_dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One test's database: a new PostgreSQL database when the suite runs against PostgreSQL (dropped
/// when the test ends), otherwise an SQLite file in the test's data directory.
pub struct TestDatabase {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    fn create(data_dir: &Path) -> TestDatabase {
        match std::env::var("GRAMOTA_TEST_POSTGRES_URL") {
            Ok(base) if !base.is_empty() => {
                let name = format!("gramota_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = PgConnection::establish(&base).expect("cannot reach the test PostgreSQL");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("cannot create a test database");
                let (server, _) = base.rsplit_once('/').expect("URL ends in /DATABASE");
                TestDatabase {
                    url: format!("{server}/{name}"),
                    postgres: Some((base, name)),
                }
            }
            _ => TestDatabase {
                url: data_dir.join("gramota.db").to_string_lossy().into_owned(),
                postgres: None,
            },
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((base, name)) = &self.postgres {
            if let Ok(mut admin) = PgConnection::establish(base) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
    }
}

pub fn test_settings(data_dir: &Path) -> (Settings, TestDatabase) {
    test_settings_with(data_dir, &[])
}

/// The test settings with more environment variables, read as `gramota serve` reads them.
pub fn test_settings_with(data_dir: &Path, extra: &[(&str, &str)]) -> (Settings, TestDatabase) {
    let database = TestDatabase::create(data_dir);
    (settings_for(data_dir, &database.url, extra), database)
}

fn settings_for(data_dir: &Path, database_url: &str, extra: &[(&str, &str)]) -> Settings {
    let mut env: HashMap<String, String> = [
        ("GRAMOTA_BIND", "127.0.0.1:0".to_string()),
        ("GRAMOTA_DATA_DIR", data_dir.to_string_lossy().into_owned()),
        ("DATABASE_URL", database_url.to_string()),
        ("GRAMOTA_PUBLIC_URL", "https://verify.gramota.test".to_string()),
        ("GRAMOTA_DB_POOL_SIZE", "4".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::load(None, &env).expect("test settings")
}

impl TestApp {
    pub fn spawn() -> TestApp {
        Self::spawn_with(|_| {})
    }

    pub fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        Self::spawn_configured(&[], adjust)
    }

    /// A server configured through the environment, as an operator configures one.
    pub fn spawn_with_env(extra: &[(&str, &str)]) -> TestApp {
        Self::spawn_configured(extra, |_| {})
    }

    fn spawn_configured(extra: &[(&str, &str)], adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let (mut settings, database) = test_settings_with(data_dir.path(), extra);
        adjust(&mut settings);
        let token = Self::token_for(&settings, "dvorets-test");
        Self::start(settings, token, database, data_dir)
    }

    /// Another instance of the same deployment: its own empty data folder, this one's database
    /// (which stays this instance's to drop), configured by `extra` as an operator would.
    pub fn another_instance(&self, extra: &[(&str, &str)]) -> Result<TestApp, StartupError> {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let settings = settings_for(data_dir.path(), &self.settings.database_url, extra);
        // The database is the first instance's: this one must not drop it.
        let database = TestDatabase {
            url: settings.database_url.clone(),
            postgres: None,
        };
        Self::try_start(settings, self.token.clone(), database, data_dir)
    }

    fn start(
        settings: Settings,
        token: String,
        database: TestDatabase,
        data_dir: tempfile::TempDir,
    ) -> TestApp {
        Self::try_start(settings, token, database, data_dir).expect("application builds")
    }

    fn try_start(
        settings: Settings,
        token: String,
        database: TestDatabase,
        data_dir: tempfile::TempDir,
    ) -> Result<TestApp, StartupError> {
        let (port_tx, port_rx) = mpsc::channel();
        let server_settings = settings.clone();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match Application::build(server_settings) {
                    Ok(app) => {
                        port_tx
                            .send(Ok((app.port(), app.handle())))
                            .expect("test waits for the port");
                        app.run_until_stopped().await
                    }
                    Err(e) => {
                        port_tx.send(Err(e)).expect("test waits for the port");
                        Ok(())
                    }
                }
            })
        });
        let (port, server) = port_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server started or refused")?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Ok(TestApp {
            address: format!("http://127.0.0.1:{port}"),
            settings,
            token,
            server,
            agent,
            _database: database,
            _data_dir: data_dir,
        })
    }

    pub fn data_dir(&self) -> &Path {
        self._data_dir.path()
    }

    /// Stops the server, as a network outage would look to a browser.
    pub fn stop(&self) {
        actix_web::rt::System::new().block_on(self.server.stop(false));
    }

    /// A token for another organization in the same database, as `gramota token create` makes it.
    pub fn token_for(settings: &Settings, org: &str) -> String {
        let names = OrganizationNames {
            kk: Some("Қосымша білім берудің республикалық оқу-әдістемелік орталығы".into()),
            ru: Some("Республиканский учебно-методический центр дополнительного образования".into()),
            en: None,
            city: Some("Астана".into()),
        };
        create_token(
            settings,
            TokenRequest {
                org: org.into(),
                names,
                label: None,
            },
        )
        .expect("token")
    }

    fn finish(&self, response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = response.expect("request reached the server");
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_lowercase(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .read_to_end(&mut body)
            .expect("body");
        Reply {
            status: response.status().as_u16(),
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let mut request = self
            .agent
            .get(format!("{}{path}", self.address))
            .header("Accept-Language", "ru");
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        self.finish(request.call())
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(format!("{}{path}", self.address));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.finish(request.call())
    }

    pub fn get_lang(&self, path: &str, accept_language: &str) -> Reply {
        let request = self
            .agent
            .get(format!("{}{path}", self.address))
            .header("Accept-Language", accept_language);
        self.finish(request.call())
    }

    pub fn post(&self, path: &str, token: Option<&str>, content_type: &str, body: &[u8]) -> Reply {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.address))
            .header("Content-Type", content_type)
            .header("Accept-Language", "ru");
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        self.finish(request.send(body))
    }

    pub fn put_json(&self, path: &str, token: &str, body: &Value) -> Reply {
        let request = self
            .agent
            .put(format!("{}{path}", self.address))
            .header("Content-Type", "application/json")
            .header("Accept-Language", "ru")
            .header("Authorization", format!("Bearer {token}"));
        self.finish(request.send(body.to_string().as_bytes()))
    }

    /// A PUT or PATCH with any body (a picture, a JSON change), or a DELETE (the body unsent).
    pub fn send(&self, method: &str, path: &str, token: &str, content_type: &str, body: &[u8]) -> Reply {
        let url = format!("{}{path}", self.address);
        let request = match method {
            "PUT" => self.agent.put(url),
            "PATCH" => self.agent.patch(url),
            "DELETE" => {
                let request = self
                    .agent
                    .delete(url)
                    .header("Accept-Language", "ru")
                    .header("Authorization", format!("Bearer {token}"));
                return self.finish(request.call());
            }
            other => panic!("send does not do {other}"),
        };
        let request = request
            .header("Content-Type", content_type)
            .header("Accept-Language", "ru")
            .header("Authorization", format!("Bearer {token}"));
        self.finish(request.send(body))
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.post(
            path,
            Some(&self.token),
            "application/json",
            body.to_string().as_bytes(),
        )
    }

    /// A competition without letters of gratitude, so a test counts one paper per row; letters are
    /// tested in `letters.rs` (and in `resume.rs`, where they must resume like papers).
    pub fn create_competition(&self, title: &str) -> String {
        let reply = self.post_json(
            "/api/v1/competitions",
            &serde_json::json!({"title": title, "language": "ru", "ends_on": "2026-11-20", "level": "national",
                                "letters": false}),
        );
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_str().expect("id").to_string()
    }

    pub fn upload(&self, competition: &str, csv: &str) -> Reply {
        self.post(
            &format!("/api/v1/competitions/{competition}/results"),
            Some(&self.token),
            "text/csv",
            csv.as_bytes(),
        )
    }

    /// Posts a results file to `/api/v1/competitions/{competition}/results{suffix}`, where the
    /// suffix is e.g. `/preview?columns=...` (see [`query_value`]).
    pub fn upload_file(&self, competition: &str, suffix: &str, file: &[u8]) -> Reply {
        self.post(
            &format!("/api/v1/competitions/{competition}/results{suffix}"),
            Some(&self.token),
            "application/octet-stream",
            file,
        )
    }

    /// The competition's entries as the CSV export lists them: what the database holds.
    pub fn results_csv(&self, competition: &str) -> Vec<Vec<String>> {
        let reply = self.get(
            &format!("/api/v1/competitions/{competition}/results.csv"),
            Some(&self.token),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
        let body = reply.body.strip_prefix(b"\xEF\xBB\xBF").expect("a BOM");
        csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(body)
            .records()
            .map(|r| r.expect("a CSV row").iter().map(str::to_string).collect())
            .collect()
    }

    /// Queues issuing and waits until the job is done.
    pub fn issue_and_wait(&self, competition: &str) -> Value {
        self.issue_and_wait_with(competition, "")
    }

    /// The same with a query string, e.g. `?reverify=true`.
    pub fn issue_and_wait_with(&self, competition: &str, query: &str) -> Value {
        let reply = self.post(
            &format!("/api/v1/competitions/{competition}/issue{query}"),
            Some(&self.token),
            "application/json",
            b"",
        );
        assert_eq!(reply.status, 202, "{}", reply.text());
        let job_id = reply.json()["job_id"].as_str().expect("job id").to_string();
        let started = Instant::now();
        loop {
            let job = self
                .get(&format!("/api/v1/jobs/{job_id}"), Some(&self.token))
                .json();
            match job["state"].as_str() {
                Some("done") => return job,
                Some("failed") => panic!("job failed: {job}"),
                _ if started.elapsed() > Duration::from_secs(300) => panic!("job too slow: {job}"),
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    pub fn documents(&self, competition: &str) -> Vec<Value> {
        let reply = self.get(
            &format!("/api/v1/competitions/{competition}/documents"),
            Some(&self.token),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json().as_array().expect("array").clone()
    }

    pub fn zip(&self, competition: &str) -> Vec<(String, Vec<u8>)> {
        let reply = self.get(
            &format!("/api/v1/competitions/{competition}/documents.zip"),
            Some(&self.token),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(
            reply.headers.get("content-type").map(String::as_str),
            Some("application/zip")
        );
        unzip(&reply.body)
    }
}

/// Percent-encodes a query parameter value (JSON with Cyrillic letters, quotes and braces).
pub fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut content = Vec::new();
            file.read_to_end(&mut content).expect("entry bytes");
            (file.name().expect("a file name").to_string(), content)
        })
        .collect()
}

/// Runs a tool from poppler, qpdf or zbar on a file and returns its standard output.
pub fn tool(program: &str, args: &[&str], file: &Path) -> (bool, String) {
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed (see .ci/run): {e}"));
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The text of a PDF as `pdftotext` extracts it.
pub fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (see .ci/run)");
    assert!(output.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A paper's PDF downloaded into `dir` (named by its serial) and checked by qpdf.
pub fn download_paper(app: &TestApp, dir: &Path, document: &Value) -> PathBuf {
    let reply = app.get(
        &format!("/api/v1/documents/{}/pdf", document["id"].as_str().unwrap()),
        Some(&app.token),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let path = dir.join(format!("{}.pdf", document["serial"].as_str().unwrap()));
    std::fs::write(&path, &reply.body).unwrap();
    let (sound, report) = tool("qpdf", &["--check"], &path);
    assert!(sound, "{report}");
    path
}

/// What a phone sees: the page rasterized at 150 dpi, the QR code decoded by zbar.
pub fn decode_qr(pdf: &Path) -> String {
    let dir = pdf.parent().expect("folder");
    let prefix: PathBuf = dir.join(format!(
        "{}-page",
        pdf.file_stem().unwrap_or_default().to_string_lossy()
    ));
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm must be installed");
    assert!(status.success());
    let png = prefix.with_extension("png");
    // QR codes only: another symbology's false reading of the page's ornaments (zbar tries them
    // all by default) would be printed beside the QR code's text.
    let output = Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(&png)
        .output()
        .expect("zbarimg must be installed");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub const SURNAMES: [&str; 10] = [
    "Сейтқали",
    "Әбілқайыров",
    "Нұрланұлы",
    "Жұмабеков",
    "Құдайбергенов",
    "Өтегенов",
    "Ғабитов",
    "Үсенов",
    "Іскаков",
    "Һашимов",
];
pub const GIVEN: [&str; 10] = [
    "Айгерім",
    "Аружан",
    "Ерасыл",
    "Нұрсұлтан",
    "Әсем",
    "Ғалым",
    "Ұлжан",
    "Өмірзақ",
    "Іңкәр",
    "Дәулет",
];

/// A results file of `rows` distinct Kazakh names, in the shape organizers send.
pub fn kazakh_results_csv(rows: usize) -> String {
    let awards = [
        "1 орын",
        "2 орын",
        "3 орын",
        "Бас жүлде",
        "Қатысушы",
        "Диплом I степени",
    ];
    let mut csv = String::from("Аты-жөні,Мектеп,Облыс,Жетекшісі,Аталым,Орын\n");
    for i in 0..rows {
        let name = format!(
            "{} {} {}",
            SURNAMES[i % 10],
            GIVEN[(i / 10) % 10],
            ["Қ.", "Ә.", "Ң."][i / 100 % 3]
        );
        csv.push_str(&format!(
            "{name},\"№{} мектеп-гимназия, Павлодар\",Павлодар облысы,Ахметова Гүлнар,Ғылыми жоба,{}\n",
            i % 40 + 1,
            awards[i % awards.len()]
        ));
    }
    csv
}

/// The binary under test. `GRAMOTA_TEST_BIN` names another build of it: builds of several
/// worktrees sharing one target directory overwrite each other's `target/debug/gramota`.
pub fn gramota_bin() -> PathBuf {
    std::env::var_os("GRAMOTA_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_gramota")))
}

/// Runs `tests/browser/SCRIPT` in Node.js (playwright-core driving Debian's chromium) with `env`
/// and `SCREENSHOTS` set; fails the test with its output when it fails, returns its stdout.
pub fn browser_script(script: &str, env: &[(&str, &str)]) -> String {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        scripts.join("node_modules/playwright-core").exists(),
        "run `npm ci` in tests/browser first (scripts/test.sh does)"
    );
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let output = Command::new("node")
        .arg(scripts.join(script))
        .current_dir(&scripts)
        .env("SCREENSHOTS", &screenshots)
        .envs(env.iter().copied())
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{script}: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{stdout}");
    stdout
}
