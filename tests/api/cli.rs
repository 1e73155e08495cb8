//! The binary as users and scripts call it.

use std::process::Command;

use crate::helpers::{gramota_bin, kazakh_results_csv, pdf_text, test_settings};

fn gramota(settings_dir: &std::path::Path, database_url: &str) -> Command {
    let mut command = Command::new(gramota_bin());
    command
        .current_dir(settings_dir)
        .env("GRAMOTA_DATA_DIR", settings_dir.join("data"))
        .env("DATABASE_URL", database_url)
        .env("GRAMOTA_PUBLIC_URL", "https://verify.gramota.test")
        .env("RUST_LOG", "warn");
    command
}

#[test]
fn token_issue_and_verify_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (settings, _database) = test_settings(dir.path());
    let url = settings.database_url.clone();

    let output = gramota(dir.path(), &url)
        .args(["token", "create", "--org", "cli-center"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let token = stdout.lines().last().unwrap();
    assert!(
        token.starts_with("gmt_") && token.len() == 44,
        "the token is the last line: {stdout}"
    );

    std::fs::write(dir.path().join("results.csv"), kazakh_results_csv(5)).unwrap();
    let out = dir.path().join("out");
    let output = gramota(dir.path(), &url)
        .args([
            "issue",
            "--results",
            "results.csv",
            "--title",
            "Облыстық олимпиада",
            "--org",
            "cli-center",
            "--language",
            "kk",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("issued 6 of 6 documents"),
        "progress as plain lines when stderr is not a terminal: five papers and the supervisor's letter"
    );
    let mut pdfs: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert_eq!(pdfs.len(), 6);
    assert!(out.join("documents.zip").is_file());
    let text = pdf_text(&pdfs[0]);
    assert!(
        text.contains("Облыстық олимпиада") && text.contains("ДИПЛОМ"),
        "{text}"
    );

    let genuine = gramota(dir.path(), &url)
        .arg("verify")
        .arg(&pdfs[0])
        .output()
        .unwrap();
    assert_eq!(
        genuine.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&genuine.stdout)
    );

    let mut forged = std::fs::read(&pdfs[0]).unwrap();
    let at = forged.len() / 2;
    forged[at] ^= 1;
    let forged_path = dir.path().join("forged.pdf");
    std::fs::write(&forged_path, forged).unwrap();
    let refused = gramota(dir.path(), &url)
        .arg("verify")
        .arg(&forged_path)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));

    let unknown = gramota(dir.path(), &url)
        .args(["verify", "https://verify.gramota.test/v/0000000000000000"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    let unreadable = gramota(dir.path(), &url)
        .args(["verify", "no such thing"])
        .output()
        .unwrap();
    assert_eq!(unreadable.status.code(), Some(2));
}

#[test]
fn a_bad_results_file_on_the_command_line_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (settings, _database) = test_settings(dir.path());
    let url = settings.database_url;
    std::fs::write(dir.path().join("bad.csv"), "ФИО,Место\n,1 место\n").unwrap();
    let output = gramota(dir.path(), &url)
        .args(["issue", "--results", "bad.csv", "--title", "T", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("row 2") && stderr.contains("nothing was stored"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}
