//! Issue 17: backups that restore. A backup taken by `gramota backup` while the service runs (and
//! answers scans) is restored by `gramota restore` into an empty folder; a fresh instance on it
//! verifies every old paper, gives back its PDF byte for byte, publishes the same keys, and
//! continues the serials. On PostgreSQL the database goes by the README's pg_dump / pg_restore.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::helpers::{gramota_bin, kazakh_results_csv, TestApp};

fn gramota(args: &[&str], data_dir: &Path, database_url: &str) -> Output {
    Command::new(gramota_bin())
        .args(args)
        .env("GRAMOTA_DATA_DIR", data_dir)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("gramota runs")
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-q", "-c", sql])
        .status()
        .expect("psql runs");
    assert!(status.success(), "{sql}");
}

fn number(serial: &str) -> u32 {
    serial.rsplit('-').next().unwrap().parse().unwrap()
}

#[test]
fn a_backup_taken_while_serving_restores_into_an_empty_folder() {
    // Scans as fast as they come: no public rate limit.
    let app = TestApp::spawn_with_env(&[("GRAMOTA_RATE_LIMIT_PER_MINUTE", "0")]);
    let competition = app.create_competition("Облыстық олимпиада");
    assert_eq!(app.upload(&competition, &kazakh_results_csv(12)).status, 200);
    app.issue_and_wait(&competition);
    // A corrected paper: kept in a file of its own, the old one superseded.
    let first = app.documents(&competition)[0].clone();
    let reissued = app.post_json(
        &format!("/api/v1/documents/{}/reissue", first["id"].as_str().unwrap()),
        &json!({"holder": "Сейтқали Айгерім Нұрланқызы"}),
    );
    assert!(reissued.status < 300, "{}", reissued.text());
    let documents = app.documents(&competition);
    let papers: Vec<(Value, Vec<u8>)> = documents
        .iter()
        .map(|d| {
            let pdf = app.get(
                &format!("/api/v1/documents/{}/pdf", d["id"].as_str().unwrap()),
                Some(&app.token),
            );
            assert_eq!(pdf.status, 200);
            assert!(pdf.body.starts_with(b"%PDF"));
            (d.clone(), pdf.body)
        })
        .collect();
    assert!(papers.iter().any(|(d, _)| d["status"] == "superseded"));
    let keys = app.get("/.well-known/gramota-keys.json", None).body;
    let old_serials: BTreeSet<String> = documents
        .iter()
        .map(|d| d["serial"].as_str().unwrap().to_string())
        .collect();

    // The backup runs while the service answers scans (each one a write to the scan log).
    let root = tempfile::tempdir().unwrap();
    let backup = root.path().join("backup");
    let scanning = Arc::new(AtomicBool::new(true));
    let scans = {
        let scanning = scanning.clone();
        let address = app.address.clone();
        let code = documents[1]["code"].as_str().unwrap().to_string();
        std::thread::spawn(move || {
            let agent = ureq::agent();
            let mut answered = 0;
            while scanning.load(Ordering::SeqCst) {
                let reply = agent.get(format!("{address}/api/v1/verify/{code}")).call();
                assert_eq!(reply.map(|r| r.status().as_u16()).ok(), Some(200));
                answered += 1;
            }
            answered
        })
    };
    let settings = &app.settings;
    let postgres = settings.database_url.starts_with("postgres");
    let dump = root.path().join("gramota.pgdump");
    if postgres {
        // The README's procedure: the database first, then `gramota backup` for the files.
        let status = Command::new("pg_dump")
            .args(["--format=custom", "--file"])
            .arg(&dump)
            .arg(&settings.database_url)
            .status()
            .expect("pg_dump runs");
        assert!(status.success());
    }
    let made = gramota(
        &["backup", "--out", backup.to_str().unwrap()],
        &settings.data_dir,
        &settings.database_url,
    );
    scanning.store(false, Ordering::SeqCst);
    assert!(scans.join().unwrap() > 0, "scans went on during the backup");
    let said = String::from_utf8_lossy(&made.stdout);
    assert!(
        made.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(said.contains("backup written"), "{said}");
    assert_eq!(said.contains("pg_dump"), postgres, "{said}");
    assert!(backup.join("backup.json").is_file());
    assert!(backup.join("keys/signing-keys.json").is_file());
    assert_eq!(backup.join("gramota.db").is_file(), !postgres);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&backup), 0o700, "the keys are in it");
        assert_eq!(mode(&backup.join("keys/signing-keys.json")), 0o600);
    }
    // A second backup never overwrites the first.
    let again = gramota(
        &["backup", "--out", backup.to_str().unwrap()],
        &settings.data_dir,
        &settings.database_url,
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

    // Restore into an empty folder, next to a new database.
    let data = root.path().join("restored").join("data");
    let database_url = if postgres {
        let base = std::env::var("GRAMOTA_TEST_POSTGRES_URL").unwrap();
        let name = format!("gramota_restored_{}", uuid::Uuid::new_v4().simple());
        psql(&base, &format!("CREATE DATABASE {name}"));
        let (server, _) = base.rsplit_once('/').unwrap();
        let url = format!("{server}/{name}");
        let status = Command::new("pg_restore")
            .args(["--no-owner", "--dbname", &url])
            .arg(&dump)
            .status()
            .expect("pg_restore runs");
        assert!(status.success());
        url
    } else {
        data.join("gramota.db").to_string_lossy().into_owned()
    };
    let restored = gramota(
        &["restore", "--from", backup.to_str().unwrap()],
        &data,
        &database_url,
    );
    let said = String::from_utf8_lossy(&restored.stdout);
    assert!(
        restored.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert_eq!(said.contains("pg_restore"), postgres, "{said}");
    // Not over a folder that has something in it.
    let twice = gramota(
        &["restore", "--from", backup.to_str().unwrap()],
        &data,
        &database_url,
    );
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("not empty"));

    let (data_dir, url) = (data.clone(), database_url.clone());
    let fresh = TestApp::spawn_with(move |s| {
        s.data_dir = data_dir;
        s.database_url = url;
    });
    assert_eq!(fresh.get("/.well-known/gramota-keys.json", None).body, keys);
    for (document, pdf) in &papers {
        let code = document["code"].as_str().unwrap();
        let verdict = fresh.get(&format!("/api/v1/verify/{code}"), None).json();
        assert_eq!(verdict["status"], document["status"], "{verdict}");
        let again = fresh.get(
            &format!("/api/v1/documents/{}/pdf", document["id"].as_str().unwrap()),
            Some(&fresh.token),
        );
        assert_eq!(again.status, 200);
        assert!(
            again.body == *pdf,
            "{} differs after the restore",
            document["serial"]
        );
    }
    // New papers continue the serials of the old ones.
    let next = fresh.create_competition("Қалалық байқау");
    assert_eq!(fresh.upload(&next, &kazakh_results_csv(5)).status, 200);
    fresh.issue_and_wait(&next);
    let new_serials: Vec<String> = fresh
        .documents(&next)
        .iter()
        .map(|d| d["serial"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(new_serials.len(), 5);
    let highest_old = old_serials.iter().map(|s| number(s)).max().unwrap();
    for serial in &new_serials {
        assert!(!old_serials.contains(serial), "{serial} used twice");
        assert!(number(serial) > highest_old, "{serial} after {highest_old}");
    }
    // The papers were signed with the restored key: the published keys did not change.
    assert_eq!(fresh.get("/.well-known/gramota-keys.json", None).body, keys);
    if postgres {
        drop(fresh);
        let base = std::env::var("GRAMOTA_TEST_POSTGRES_URL").unwrap();
        let name = database_url.rsplit('/').next().unwrap();
        psql(&base, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}
