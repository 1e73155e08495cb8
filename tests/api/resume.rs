//! Issue jobs that survive their process: the real `gramota serve` binary is killed mid-batch
//! (SIGKILL) and started again, and two of them share one batch on PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gramota::db::{self, Db};
use gramota::domain::token::sha256_hex;
use gramota::domain::{Document, DocumentStatus};
use gramota::issuance::storage::DocumentStore;
use gramota::issuance::sweep::{remove_left_packs, LEFT_PACK_AGE};
use serde_json::Value;

use crate::helpers::{gramota_bin, kazakh_results_csv, test_settings, unzip, TestApp};

/// One `gramota serve` process on a free port, killed when dropped.
struct Serve {
    child: Child,
    address: String,
    agent: ureq::Agent,
    token: String,
}

impl Serve {
    fn start(dir: &Path, database_url: &str, token: &str, log: &str) -> Serve {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = std::fs::File::create(dir.join(log)).unwrap();
        let child = Command::new(gramota_bin())
            .arg("serve")
            .current_dir(dir)
            .env("GRAMOTA_BIND", format!("127.0.0.1:{port}"))
            .env("GRAMOTA_DATA_DIR", dir.join("data"))
            .env("DATABASE_URL", database_url)
            .env("GRAMOTA_PUBLIC_URL", "https://verify.gramota.test")
            .env("GRAMOTA_RATE_LIMIT_PER_MINUTE", "0")
            // Small chunks on one thread: the batch takes long enough to be killed in the middle.
            .env("GRAMOTA_ISSUE_CHUNK_SIZE", "2")
            .env("GRAMOTA_ISSUE_THREADS", "1")
            .env("GRAMOTA_JOB_STALE_AFTER_SECONDS", "2")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("gramota serve starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let serve = Serve {
            child,
            address: format!("http://127.0.0.1:{port}"),
            agent,
            token: token.to_string(),
        };
        let started = Instant::now();
        while serve.request("GET", "/healthz", None).0 != 200 {
            assert!(started.elapsed() < Duration::from_secs(60), "serve did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        serve
    }

    fn request(&self, method: &str, path: &str, body: Option<(&str, &[u8])>) -> (u16, Vec<u8>) {
        let url = format!("{}{path}", self.address);
        let auth = format!("Bearer {}", self.token);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("Authorization", &auth).call(),
            (_, Some((content_type, body))) => self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .header("Content-Type", content_type)
                .send(body),
            _ => self.agent.post(&url).header("Authorization", &auth).send_empty(),
        };
        let Ok(mut response) = response else {
            return (0, Vec::new());
        };
        let mut bytes = Vec::new();
        response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .reader()
            .read_to_end(&mut bytes)
            .unwrap();
        (response.status().as_u16(), bytes)
    }

    fn json(&self, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Value {
        let (status, bytes) = self.request(method, path, body);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap()
    }

    /// A competition with `rows` distinct Kazakh names, queued for issuing; returns (competition, job).
    fn competition_issued(&self, title: &str, rows: usize) -> (String, String) {
        let body = serde_json::json!({"title": title, "language": "kk", "ends_on": "2026-11-20"});
        let competition = self.json(
            "POST",
            "/api/v1/competitions",
            Some(("application/json", body.to_string().as_bytes())),
        )["id"]
            .as_str()
            .unwrap()
            .to_string();
        let csv = kazakh_results_csv(rows);
        let upload = self.json(
            "POST",
            &format!("/api/v1/competitions/{competition}/results"),
            Some(("text/csv", csv.as_bytes())),
        );
        assert_eq!(upload["imported"], rows);
        let job = self.issue(&competition);
        (competition, job)
    }

    fn issue(&self, competition: &str) -> String {
        self.json("POST", &format!("/api/v1/competitions/{competition}/issue"), None)["job_id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn job(&self, job: &str) -> Value {
        self.json("GET", &format!("/api/v1/jobs/{job}"), None)
    }

    fn wait_done(&self, job: &str) -> Value {
        let started = Instant::now();
        loop {
            let view = self.job(job);
            match view["state"].as_str() {
                Some("done") => return view,
                Some("queued" | "running") => {}
                _ => panic!("job ended badly: {view}"),
            }
            assert!(started.elapsed() < Duration::from_secs(300), "too slow: {view}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn documents(&self, competition: &str) -> Vec<Value> {
        self.json(
            "GET",
            &format!("/api/v1/competitions/{competition}/documents"),
            None,
        )
        .as_array()
        .unwrap()
        .clone()
    }

    /// SIGKILL: no destructor, no flush, no goodbye.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The rendered documents of a competition as the database has them, each with the SHA-256 of the
/// PDF the store gives for it, by serial.
fn stored_papers(
    data_dir: &Path,
    database_url: &str,
    competition: &str,
) -> BTreeMap<String, (Document, String)> {
    let db = Db::connect(database_url, 1).unwrap();
    let store = DocumentStore::new(data_dir);
    let documents = db::documents::list_for_competition(&mut db.conn().unwrap(), competition).unwrap();
    documents
        .into_iter()
        .filter(|d| d.status == DocumentStatus::Valid)
        .map(|d| {
            let digest = sha256_hex(&store.read(&d).unwrap());
            (d.serial.to_string(), (d, digest))
        })
        .collect()
}

/// Every file the competition's papers are kept in, with its SHA-256.
fn files_in(folder: &Path) -> BTreeMap<PathBuf, String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .map(|p| {
            let digest = sha256_hex(&std::fs::read(&p).unwrap());
            (p, digest)
        })
        .collect()
}

/// What must hold after any batch, however often it was interrupted: one document per entry and
/// one letter of gratitude for the one supervisor, serials contiguous from 1, every stored PDF the
/// bytes its digest says.
fn check_batch(serve: &Serve, dir: &Path, database_url: &str, competition: &str, rows: usize) -> Vec<Value> {
    let documents = serve.documents(competition);
    assert_eq!(
        documents.len(),
        rows + 1,
        "one document per entry and a letter, none missing"
    );
    let letters: Vec<&Value> = documents.iter().filter(|d| d["kind"] == "letter").collect();
    assert_eq!(letters.len(), 1, "the supervisor is thanked once");
    assert_eq!(letters[0]["holder"], "Ахметова Гүлнар");
    assert_eq!(letters[0]["pupils"].as_array().map(Vec::len), Some(rows));
    let holders: BTreeSet<&str> = documents
        .iter()
        .filter(|d| d["kind"] != "letter")
        .map(|d| d["holder"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<String> = kazakh_results_csv(rows)
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(expected.len(), rows, "the test's names are distinct");
    assert_eq!(
        holders,
        expected.iter().map(String::as_str).collect(),
        "every entry has exactly one document"
    );
    let mut numbers: Vec<u32> = documents
        .iter()
        .map(|d| {
            d["serial"]
                .as_str()
                .unwrap()
                .rsplit('-')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=rows as u32 + 1).collect::<Vec<_>>(),
        "serials contiguous and unique"
    );
    let stored = stored_papers(&dir.join("data"), database_url, competition);
    assert_eq!(stored.len(), documents.len());
    for document in &documents {
        assert_eq!(document["status"], "valid");
        let (kept, digest) = &stored[document["serial"].as_str().unwrap()];
        assert_eq!(
            document["sha256"].as_str(),
            Some(digest.as_str()),
            "the recorded digest is the stored PDF's"
        );
        assert!(kept.packed.is_some(), "a batch's papers are packed");
    }
    // The designs' fonts are on disk once, not with every paper: the paper and the letter
    // designs' starts, each far larger than what a paper adds to it.
    let shared: Vec<u64> = std::fs::read_dir(dir.join("data").join("documents").join("shared"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .collect();
    assert!(!shared.is_empty() && shared.len() <= 2, "{shared:?}");
    let largest_own = stored
        .values()
        .filter_map(|(kept, _)| kept.packed.map(|p| p.length))
        .max()
        .unwrap();
    assert!(
        shared.iter().all(|&start| start > 2 * largest_own),
        "shared starts {shared:?}, largest own part {largest_own}"
    );
    documents
}

/// Acceptance 2 of issue 4: a real process killed mid-batch, restarted, finishes with no duplicate,
/// no gap, and the PDFs written before the kill unchanged.
#[test]
fn a_batch_killed_mid_way_resumes_without_duplicates_or_changed_bytes() {
    const ROWS: usize = 240;
    // Every row's paper and the one supervisor's letter of gratitude.
    const DOCUMENTS: usize = ROWS + 1;
    let dir = tempfile::tempdir().unwrap();
    let (settings, _database) = test_settings(&dir.path().join("data"));
    let token = TestApp::token_for(&settings, "resume-center");
    let first = Serve::start(dir.path(), &settings.database_url, &token, "first.log");
    let (competition, job) = first.competition_issued("Қайта жалғау сынағы", ROWS);

    let started = Instant::now();
    let done_at_kill = loop {
        let view = first.job(&job);
        let done = view["done"].as_i64().unwrap();
        if done >= 16 {
            break done;
        }
        assert_ne!(view["state"], "done", "the batch ended before it could be killed");
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no progress: {view}"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    first.kill();
    assert!(
        (done_at_kill as usize) < ROWS,
        "killed in the middle: {done_at_kill} of {ROWS}"
    );
    let before = stored_papers(&dir.path().join("data"), &settings.database_url, &competition);
    assert!(
        before.len() >= done_at_kill as usize && before.len() < ROWS,
        "{} papers at the kill, {done_at_kill} counted done",
        before.len()
    );
    let folder = dir.path().join("data").join("documents").join(&competition);
    let files_before = files_in(&folder);

    let second = Serve::start(dir.path(), &settings.database_url, &token, "second.log");
    let view = second.wait_done(&job);
    assert_eq!(
        (view["done"].as_i64(), view["total"].as_i64()),
        (Some(DOCUMENTS as i64), Some(DOCUMENTS as i64))
    );
    let workers = view["rendered_by"]
        .as_object()
        .unwrap_or_else(|| panic!("{view}"));
    assert_eq!(workers.len(), 2, "the killed worker and its successor: {view}");
    assert_eq!(
        workers.values().map(|n| n.as_i64().unwrap()).sum::<i64>(),
        DOCUMENTS as i64
    );

    check_batch(&second, dir.path(), &settings.database_url, &competition, ROWS);
    let after = stored_papers(&dir.path().join("data"), &settings.database_url, &competition);
    for (serial, (kept, digest)) in &before {
        let (kept_after, digest_after) = &after[serial];
        assert_eq!(digest_after, digest, "{serial} changed after the restart");
        assert_eq!(kept_after.packed, kept.packed, "{serial} moved after the restart");
    }
    // What the killed worker wrote is left as it was, a pack it did not finish too.
    let files_after = files_in(&folder);
    for (path, digest) in &files_before {
        assert_eq!(files_after.get(path), Some(digest), "{} changed", path.display());
    }

    // A clean run of the same input: every document rendered again from what was stored for it.
    let reverify = second.json(
        "POST",
        &format!("/api/v1/competitions/{competition}/issue?reverify=true"),
        None,
    )["job_id"]
        .as_str()
        .unwrap()
        .to_string();
    let checked = second.wait_done(&reverify);
    assert_eq!(checked["verified"], DOCUMENTS, "{checked}");
    assert_eq!(checked["total"], 0, "nothing was left to render");
}

/// Acceptance 3 of issue 4: two processes on one PostgreSQL split one batch, without a duplicate.
#[test]
fn two_serve_processes_share_one_batch_on_postgresql() {
    if std::env::var("GRAMOTA_TEST_POSTGRES_URL").map_or(true, |u| u.is_empty()) {
        eprintln!("skipped: needs GRAMOTA_TEST_POSTGRES_URL");
        return;
    }
    const ROWS: usize = 300;
    const DOCUMENTS: usize = ROWS + 1;
    let dir = tempfile::tempdir().unwrap();
    let (settings, _database) = test_settings(&dir.path().join("data"));
    let token = TestApp::token_for(&settings, "shared-center");
    // One after the other: the first creates the signing keys both then use.
    let a = Serve::start(dir.path(), &settings.database_url, &token, "a.log");
    let b = Serve::start(dir.path(), &settings.database_url, &token, "b.log");
    let (competition, job) = a.competition_issued("Екі процесс", ROWS);
    // Asking the second process too wakes its worker; it answers with the same job.
    assert_eq!(b.issue(&competition), job);

    let view = a.wait_done(&job);
    eprintln!("shared batch: {}", view["rendered_by"]);
    assert_eq!(view["done"], DOCUMENTS, "{view}");
    let workers = view["rendered_by"].as_object().unwrap();
    assert_eq!(workers.len(), 2, "both processes took part: {view}");
    assert!(workers.values().all(|n| n.as_i64().unwrap() > 0));
    assert_eq!(
        workers.values().map(|n| n.as_i64().unwrap()).sum::<i64>(),
        DOCUMENTS as i64
    );
    check_batch(&b, dir.path(), &settings.database_url, &competition, ROWS);

    let (status, zip) = b.request(
        "GET",
        &format!("/api/v1/competitions/{competition}/documents.zip"),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(unzip(&zip).len(), DOCUMENTS);
}

/// A pack no document names (a worker killed between writing it and recording it) is removed once
/// old, with its competition done; the packs documents name, and a new one, stay.
#[test]
fn packs_no_document_names_are_removed_once_old() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Қалдық файлдар");
    assert_eq!(app.upload(&competition, &kazakh_results_csv(5)).status, 200);
    app.issue_and_wait(&competition);
    let folder = app.settings.data_dir.join("documents").join(&competition);
    let hours_ago = std::time::SystemTime::now() - Duration::from_secs(2 * 3600);
    let in_use = files_in(&folder);
    assert!(!in_use.is_empty());
    let written_at = |path: &Path| {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(hours_ago).unwrap();
    };
    in_use.keys().for_each(|path| written_at(path));
    let old_left = folder.join(format!("{}.pdfpack", uuid::Uuid::new_v4()));
    let new_left = folder.join(format!("{}.pdfpack", uuid::Uuid::new_v4()));
    for left in [&old_left, &new_left] {
        std::fs::write(left, b"%gramota-shared half a pack").unwrap();
    }
    written_at(&old_left);

    let db = Db::connect(&app.settings.database_url, 1).unwrap();
    let store = DocumentStore::new(&app.settings.data_dir);
    let removed = remove_left_packs(&db, &store, LEFT_PACK_AGE).unwrap();
    assert_eq!(removed, 1);
    assert!(!old_left.exists() && new_left.exists());
    let mut kept = files_in(&folder);
    kept.remove(&new_left);
    assert_eq!(kept, in_use, "the packs documents name are left as they were");
    let documents = app.documents(&competition);
    let stored = stored_papers(&app.settings.data_dir, &app.settings.database_url, &competition);
    assert_eq!((documents.len(), stored.len()), (5, 5));
    for document in &documents {
        let (_, digest) = &stored[document["serial"].as_str().unwrap()];
        assert_eq!(
            document["sha256"].as_str(),
            Some(digest.as_str()),
            "every paper still reads"
        );
    }
}

impl Serve {
    /// SIGTERM, as an orchestrator stops a service; the exit status and how long the stop took.
    fn terminate(&mut self) -> (std::process::ExitStatus, Duration) {
        let started = Instant::now();
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, started.elapsed());
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "still running 30 s after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Issue 17: SIGTERM mid-batch stops the process within 30 s with status 0, the chunk in hand
/// stored and the rest of its claims given back (nothing waits for a lease), the scans made just
/// before in the database; a restart finishes the batch with no duplicate or missing serial.
#[test]
fn sigterm_mid_batch_stops_cleanly_and_a_restart_finishes_the_batch() {
    const ROWS: usize = 240;
    const DOCUMENTS: usize = ROWS + 1;
    const SCANS: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let (settings, _database) = test_settings(&dir.path().join("data"));
    let token = TestApp::token_for(&settings, "shutdown-center");
    let mut first = Serve::start(dir.path(), &settings.database_url, &token, "first.log");
    let (competition, job) = first.competition_issued("Тоқтату сынағы", ROWS);
    let started = Instant::now();
    loop {
        let view = first.job(&job);
        if view["done"].as_i64().unwrap() >= 16 {
            break;
        }
        assert_ne!(
            view["state"], "done",
            "the batch ended before it could be stopped"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no progress: {view}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // Scans of papers already issued, in the last instant before the stop: the scan log writes
    // them every 200 ms.
    let codes: Vec<(String, String)> = first
        .documents(&competition)
        .iter()
        .filter(|d| d["status"] == "valid")
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(!codes.is_empty());
    for i in 0..SCANS {
        let (_, code) = &codes[i % codes.len()];
        let view = first.json("GET", &format!("/api/v1/verify/{code}"), None);
        assert_eq!(view["status"], "valid");
    }
    let (status, took) = first.terminate();
    assert!(status.success(), "exit status {status:?}");
    assert!(took < Duration::from_secs(30), "{took:?}");
    eprintln!("stopped {took:?} after SIGTERM");
    let log = std::fs::read_to_string(dir.path().join("first.log")).unwrap();
    assert!(log.contains("gramota stopped"), "{log}");

    let db = Db::connect(&settings.database_url, 1).unwrap();
    let mut conn = db.conn().unwrap();
    let scanned: i64 = codes
        .iter()
        .map(|(id, _)| db::scans::summary(&mut conn, id).unwrap().scans)
        .sum();
    assert_eq!(
        scanned, SCANS as i64,
        "every scan before SIGTERM is in the database"
    );
    assert_eq!(
        db::claims::count_claimed(&mut conn, &job).unwrap(),
        0,
        "no document left claimed by the stopped worker"
    );
    let stopped = db::jobs::find(&mut conn, &job).unwrap();
    let rendered = stored_papers(&dir.path().join("data"), &settings.database_url, &competition);
    assert!(
        (stopped.done as usize) < DOCUMENTS,
        "stopped in the middle: {} of {DOCUMENTS}",
        stopped.done
    );
    assert_eq!(
        rendered.len(),
        stopped.done as usize,
        "every rendered paper is counted, none half-written"
    );
    drop(conn);

    let second = Serve::start(dir.path(), &settings.database_url, &token, "second.log");
    let view = second.wait_done(&job);
    assert_eq!(view["done"].as_i64(), Some(DOCUMENTS as i64), "{view}");
    check_batch(&second, dir.path(), &settings.database_url, &competition, ROWS);
    let after = stored_papers(&dir.path().join("data"), &settings.database_url, &competition);
    for (serial, (_, digest)) in &rendered {
        assert_eq!(&after[serial].1, digest, "{serial} changed after the restart");
    }
}
