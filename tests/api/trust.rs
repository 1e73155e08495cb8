//! Signed records, keys, revocation and corrected re-issue, as users and verifiers meet them.

use std::process::Command;

use gramota::trust::jwks::{self, Jwks};
use gramota::trust::record;
use gramota::trust::{KeyStatus, Keyring};

use crate::helpers::{decode_qr, TestApp};

fn issue_one(app: &TestApp, csv: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut body = serde_json::json!({"title": "Облыстық байқау «Жас ақын»", "ends_on": "2026-11-20"});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let reply = app.post_json("/api/v1/competitions", &body);
    assert_eq!(reply.status, 201, "{}", reply.text());
    let competition = reply.json()["id"].as_str().unwrap().to_string();
    assert_eq!(app.upload(&competition, csv).status, 200);
    app.issue_and_wait(&competition);
    app.documents(&competition).remove(0)
}

fn key_set(app: &TestApp) -> Jwks {
    let reply = app.get("/.well-known/gramota-keys.json", None);
    assert_eq!(reply.status, 200);
    serde_json::from_slice(&reply.body).unwrap()
}

/// The QR code's fragment, read from the rendered PDF as a phone would read it.
fn scanned_fragment(app: &TestApp, document: &serde_json::Value) -> (String, String) {
    let id = document["id"].as_str().unwrap();
    let pdf = app.get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token));
    assert_eq!(pdf.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paper.pdf");
    std::fs::write(&path, &pdf.body).unwrap();
    let url = decode_qr(&path);
    let (address, fragment) = url.split_once('#').unwrap();
    (
        address.rsplit('/').next().unwrap().to_string(),
        fragment.to_string(),
    )
}

#[test]
fn the_qr_code_verifies_offline_with_the_published_keys_and_carries_the_full_name() {
    let app = TestApp::spawn();
    let document = issue_one(
        &app,
        "ФИО,Место\nСейтқали Айгерім Нұрланқызы,Гран-при\n",
        serde_json::json!({}),
    );
    let (code, fragment) = scanned_fragment(&app, &document);
    let keys = jwks::keyring_from(&key_set(&app));
    let verified = record::verify(&fragment, &code, &keys).expect("genuine");
    assert_eq!(verified.key_status, KeyStatus::Active);
    assert_eq!(verified.fields.holder, "Сейтқали Айгерім Нұрланқызы");
    assert_eq!(verified.fields.award, "grand_prix");
    assert_eq!(verified.fields.competition, "Облыстық байқау «Жас ақын»");
    assert_eq!(verified.fields.serial, document["serial"].as_str().unwrap());
    assert_eq!(verified.fields.date, "2026-11-20");
    assert!(
        record::verify(&fragment, "0000000000000000", &keys).is_err(),
        "bound to its code"
    );
}

#[test]
fn reissue_supersedes_with_a_link_and_rotation_keeps_old_papers_verifying() {
    let app = TestApp::spawn();
    let old = issue_one(
        &app,
        "ФИО,Место\nСейтқали Айгерм,1 место\n",
        serde_json::json!({}),
    );
    let (old_code, old_fragment) = scanned_fragment(&app, &old);

    // The key rotates between the first paper and its correction, as `gramota keys rotate` does.
    let mut keyring = Keyring::open_or_create(&app.settings.data_dir).unwrap();
    let old_kid = keyring.active().unwrap().kid_hex();
    keyring.rotate().unwrap();

    let id = old["id"].as_str().unwrap();
    let reply = app.post_json(
        &format!("/api/v1/documents/{id}/reissue"),
        &serde_json::json!({"holder": "Сейтқали Айгерім"}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let new = reply.json();
    assert_ne!(new["serial"], old["serial"]);
    assert_eq!(new["holder"], "Сейтқали Айгерім");
    assert_eq!(new["status"], "valid");

    let old_public = app.get(&format!("/api/v1/verify/{old_code}"), None).json();
    assert_eq!(old_public["status"], "superseded");
    assert_eq!(old_public["superseded_by"], new["verify_url"]);
    let page = app.get_lang(&format!("/v/{old_code}"), "ru").text();
    assert!(
        page.contains("Документ заменён") && page.contains(new["code"].as_str().unwrap()),
        "{page}"
    );

    let keys = jwks::keyring_from(&key_set(&app));
    let verified_old =
        record::verify(&old_fragment, &old_code, &keys).expect("the retired key still verifies");
    assert_eq!(verified_old.kid, old_kid);
    assert_eq!(verified_old.key_status, KeyStatus::Retired);
    let (new_code, new_fragment) = scanned_fragment(&app, &new);
    let verified_new = record::verify(&new_fragment, &new_code, &keys).unwrap();
    assert_ne!(
        verified_new.kid, old_kid,
        "the correction is signed with the new key"
    );
    assert_eq!(verified_new.fields.holder, "Сейтқали Айгерім");

    let again = app.post_json(&format!("/api/v1/documents/{id}/reissue"), &serde_json::json!({}));
    assert_eq!(again.status, 409, "a superseded paper is not re-issued twice");

    keyring = Keyring::open_or_create(&app.settings.data_dir).unwrap();
    keyring.mark_compromised(&old_kid).unwrap();
    let keys = jwks::keyring_from(&key_set(&app));
    assert_eq!(
        record::verify(&old_fragment, &old_code, &keys)
            .unwrap()
            .key_status,
        KeyStatus::Compromised
    );
}

#[test]
fn public_lookup_can_be_turned_off_and_scans_are_logged() {
    let app = TestApp::spawn();
    let document = issue_one(&app, "ФИО,Место\nКим Анна,2 место\n", serde_json::json!({}));
    let id = document["id"].as_str().unwrap();
    let code = document["code"].as_str().unwrap();
    for _ in 0..3 {
        assert_eq!(app.get(&format!("/api/v1/verify/{code}"), None).status, 200);
    }
    let revoke = app.post_json(
        &format!("/api/v1/documents/{id}/revoke"),
        &serde_json::json!({"reason": "дубликат"}),
    );
    assert_eq!(revoke.status, 200);
    assert_eq!(app.get_lang(&format!("/v/{code}"), "ru").status, 200);
    // The page's script refreshing the status is the same visit, not another scan.
    let refresh = app.get_with(&format!("/api/v1/verify/{code}"), &[("X-Gramota-Refresh", "1")]);
    assert_eq!(refresh.status, 200);

    let mut log = serde_json::Value::Null;
    for _ in 0..50 {
        log = app
            .get(&format!("/api/v1/documents/{id}"), Some(&app.token))
            .json()["scan_log"]
            .clone();
        if log["scans"] == 4 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(log["scans"], 4, "{log}");
    assert_eq!(log["scans_while_revoked"], 1, "a revoked paper was presented");

    let off = app.post_json(
        &format!("/api/v1/documents/{id}/visibility"),
        &serde_json::json!({"public": false}),
    );
    assert_eq!(off.status, 200);
    let hidden = app.get(&format!("/api/v1/verify/{code}"), None);
    assert_eq!(
        (hidden.status, hidden.text()),
        (404, r#"{"status":"not_found"}"#.to_string())
    );
    app.post_json(
        &format!("/api/v1/documents/{id}/visibility"),
        &serde_json::json!({"public": true}),
    );
    assert_eq!(app.get(&format!("/api/v1/verify/{code}"), None).status, 200);
}

#[test]
fn a_course_certificate_past_its_validity_verifies_as_expired() {
    let app = TestApp::spawn();
    let extra = serde_json::json!({"kind": "course", "ends_on": "2024-05-31", "valid_until": "2025-05-31"});
    let document = issue_one(&app, "ФИО\nИванова Мария\n", extra);
    let code = document["code"].as_str().unwrap();
    let public = app.get(&format!("/api/v1/verify/{code}"), None).json();
    assert_eq!(public["status"], "expired");
    assert_eq!(public["valid_until"], "2025-05-31");
    let (code, fragment) = scanned_fragment(&app, &document);
    let keys = jwks::keyring_from(&key_set(&app));
    assert_eq!(
        record::verify(&fragment, &code, &keys)
            .unwrap()
            .fields
            .valid_until
            .as_deref(),
        Some("2025-05-31")
    );
}

/// `gramota verify` on the issued PDF says genuine; on the same PDF with the name edited, not.
#[test]
fn the_command_line_catches_an_edited_name() {
    let app = TestApp::spawn();
    let document = issue_one(
        &app,
        "ФИО,Место\nСейтқали Айгерім,1 место\n",
        serde_json::json!({}),
    );
    let id = document["id"].as_str().unwrap();
    let pdf = app
        .get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token))
        .body;
    let dir = tempfile::tempdir().unwrap();
    let genuine = dir.path().join("genuine.pdf");
    std::fs::write(&genuine, &pdf).unwrap();

    // Edit the name: the glyphs of the 30 pt line, swapped, in an uncompressed copy of the file.
    let qdf = dir.path().join("qdf.pdf");
    let status = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(&genuine)
        .arg(&qdf)
        .status()
        .unwrap();
    assert!(status.success());
    let text = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    let name_font = text.find(" 30 Tf").expect("the name line");
    let start = name_font + text[name_font..].find('<').unwrap() + 1;
    let glyphs = &text[start..start + 8];
    let swapped = format!("{}{}", &glyphs[4..], &glyphs[..4]);
    assert_ne!(glyphs, swapped);
    let edited_text = format!("{}{}{}", &text[..start], swapped, &text[start + 8..]);
    let edited_qdf = dir.path().join("edited-qdf.pdf");
    std::fs::write(&edited_qdf, edited_text.as_bytes()).unwrap();
    let edited = dir.path().join("edited.pdf");
    let status = Command::new("fix-qdf").arg(&edited_qdf).output().unwrap();
    std::fs::write(&edited, status.stdout).unwrap();

    let verify = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_gramota"))
            .arg("verify")
            .arg(file)
            .env("GRAMOTA_DATA_DIR", &app.settings.data_dir)
            .env("DATABASE_URL", &app.settings.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let ok = verify(&genuine);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let refused = verify(&edited);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&refused.stdout)
    );
    assert!(String::from_utf8_lossy(&refused.stdout).contains("differs from the one that was issued"));
}
