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

    // Finding (low): the data folder was private but the PDFs and the database in it were
    // readable by every account (0644). Everything the commands wrote is its owner's alone.
    #[cfg(unix)]
    {
        let written = private_modes(&dir.path().join("data"));
        assert!(written.len() > 2, "keys and packs were written: {written:?}");
        for (path, mode) in written {
            let expected = if path.is_dir() { 0o700 } else { 0o600 };
            assert_eq!(mode, expected, "{} is {mode:o}", path.display());
        }
    }
}

/// Every folder and file below `root` with its permission bits.
#[cfg(unix)]
fn private_modes(root: &std::path::Path) -> Vec<(std::path::PathBuf, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut found = vec![];
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path.clone());
            }
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            found.push((path, mode));
        }
    }
    found
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

/// Finding (low): the key file was replaced by a rename without fsync, so a power cut soon after
/// `gramota keys rotate` could leave an empty key file and every paper unverifiable. Traced with
/// strace: the new file's bytes are synced before the rename, and the folder after it.
#[test]
fn rotating_the_keys_syncs_the_new_file_and_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (settings, _database) = test_settings(dir.path());
    let url = settings.database_url.clone();
    let created = gramota(dir.path(), &url).args(["keys", "list"]).output().unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let trace = dir.path().join("trace");
    let rotate = gramota(dir.path(), &url);
    let traced = Command::new("strace")
        .args([
            "-f",
            "-e",
            "trace=openat,fsync,fdatasync,rename,renameat,renameat2",
            "-o",
        ])
        .arg(&trace)
        .arg(rotate.get_program())
        .args(["keys", "rotate"])
        .envs(rotate.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(dir.path())
        .output()
        .expect("strace runs (scripts/test.sh installs it)");
    assert!(
        traced.status.success(),
        "{}",
        String::from_utf8_lossy(&traced.stderr)
    );

    // Lines look like `1234  openat(AT_FDCWD, "/…/keys/.tmpAbC", O_RDWR|…) = 7`.
    let text = std::fs::read_to_string(&trace).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let fd_of = |line: &str| line.rsplit("= ").next().map(str::trim).map(str::to_string);
    let rename = lines
        .iter()
        .position(|l| l.contains("rename") && l.contains("signing-keys.json"))
        .unwrap_or_else(|| panic!("the key file is replaced by a rename: {text}"));
    let temporary = lines[..rename]
        .iter()
        .rev()
        .find(|l| l.contains("openat(") && l.contains("/keys/.tmp"))
        .and_then(|l| fd_of(l))
        .unwrap_or_else(|| panic!("the new keys are written to a temporary file: {text}"));
    assert!(
        lines[..rename]
            .iter()
            .any(|l| l.contains(&format!("fsync({temporary})"))
                || l.contains(&format!("fdatasync({temporary})"))),
        "the new file is synced before the rename: {text}"
    );
    let folder = lines[rename..]
        .iter()
        .find(|l| l.contains("openat(") && l.contains("/keys\", O_RDONLY"))
        .and_then(|l| fd_of(l))
        .unwrap_or_else(|| panic!("the folder is opened after the rename: {text}"));
    assert!(
        lines[rename..]
            .iter()
            .any(|l| l.contains(&format!("fsync({folder})"))),
        "the folder is synced after the rename: {text}"
    );
}
