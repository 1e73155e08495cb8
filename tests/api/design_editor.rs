//! The visual design editor end to end (tests/browser/editor.mjs in Chromium): an organizer's own
//! design on a JPEG background is edited by dragging and in the inspector, saved, and issued; the
//! issued PDF has the elements where they were dragged, and its QR code still decodes.

use std::process::Command;

use serde_json::{json, Value};

use crate::helpers::{decode_qr, TestApp};
use crate::webapp::{account, PASSWORD};

fn background_jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(1188, 840, |x, y| {
        image::Rgb([250 - (x % 40) as u8, 245, 230 - (y % 30) as u8])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(&picture)
        .unwrap();
    bytes
}

fn element<'a>(design: &'a Value, text: &str) -> &'a Value {
    design["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"] == text)
        .unwrap_or_else(|| panic!("no element {text}"))
}

#[test]
fn an_own_background_is_dressed_in_the_editor_and_the_paper_prints_it_so() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let created = app.post_json(
        "/api/v1/designs",
        &json!({"name": "moi-diplom", "from": "classic"}),
    );
    assert_eq!(created.status, 201, "{}", created.text());
    let uploaded = app.send(
        "PUT",
        "/api/v1/designs/moi-diplom/pictures/background",
        &app.token,
        "image/jpeg",
        &background_jpeg(),
    );
    assert_eq!(uploaded.status, 200, "{}", uploaded.text());

    let stdout = crate::helpers::browser_script(
        "editor.mjs",
        &[
            ("BASE_URL", &app.address),
            ("PASSWORD", PASSWORD),
            ("ORGANIZER_EMAIL", "metodist@dvorets.kz"),
            ("DESIGN", "moi-diplom"),
        ],
    );
    let result: Value = serde_json::from_str(
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("RESULT "))
            .expect("the script says where things went"),
    )
    .unwrap();

    // The saved version says what the editor did.
    let shown = app.get("/api/v1/designs/moi-diplom", Some(&app.token)).json();
    let design = shown["design"].clone();
    let holder = element(&design, "{holder}");
    assert_eq!(holder["box"]["x"].as_f64(), result["holderX"].as_f64());
    assert_eq!(holder["size"], 30.0);
    assert_eq!(holder["colour"], "#AA0000");
    let qr = design["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "qr")
        .unwrap();
    assert_eq!(qr["x"].as_f64(), result["qrX"].as_f64());
    assert!(qr["x"].as_f64().unwrap() < 100.0, "the QR code went left: {qr}");
    assert_eq!(qr["size"], 32.0, "the QR code kept its size after undo");
    element(&design, "Тестовый текст редактора");

    // A paper issued with it: the name where it was dragged, the QR code readable.
    let reply = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Жұлдыз", "language": "ru", "ends_on": "2026-11-20", "letters": false, "design": "moi-diplom"}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let id = reply.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.upload(&id, "ФИО,Место\nСейтқали Айгерім,1 место\n").status,
        200
    );
    app.issue_and_wait(&id);
    let document = &app.documents(&id)[0];
    let pdf = app.get(
        &format!("/api/v1/documents/{}/pdf", document["id"].as_str().unwrap()),
        Some(&app.token),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paper.pdf");
    std::fs::write(&path, &pdf.body).unwrap();
    let output = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(output.status.success());
    let bbox = String::from_utf8_lossy(&output.stdout);
    let word = bbox
        .lines()
        .find(|l| l.contains(">Сейтқали<"))
        .unwrap_or_else(|| panic!("the name is printed: {bbox}"));
    let number = |key: &str| -> f64 {
        let at = word.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        word[at..].split('"').next().unwrap().parse().unwrap()
    };
    let points = |mm: f64| mm * 72.0 / 25.4;
    let b = &holder["box"];
    let (top, bottom) = (
        points(b["y"].as_f64().unwrap()),
        points(b["y"].as_f64().unwrap() + b["height"].as_f64().unwrap()),
    );
    let (left, right) = (
        points(b["x"].as_f64().unwrap()),
        points(b["x"].as_f64().unwrap() + b["width"].as_f64().unwrap()),
    );
    assert!(
        number("yMin") >= top - 1.0 && number("yMax") <= bottom + 1.0,
        "the name lies in its dragged box vertically: {word} in {top}–{bottom}"
    );
    assert!(
        number("xMin") >= left - 1.0 && number("xMax") <= right + 1.0,
        "and horizontally: {word} in {left}–{right}"
    );
    assert!(
        decode_qr(&path).starts_with("https://verify.gramota.test/v/"),
        "the moved QR code still decodes at 150 dpi"
    );
}

#[test]
fn an_own_design_is_renamed_and_deleted_while_its_papers_still_verify() {
    let app = TestApp::spawn();
    let created = app.post_json("/api/v1/designs", &json!({"name": "old-name", "from": "modern"}));
    assert_eq!(created.status, 201, "{}", created.text());
    let reply = app.post_json(
        "/api/v1/competitions",
        &json!({"title": "Жұлдыз", "language": "kk", "ends_on": "2026-11-20", "letters": false, "design": "old-name"}),
    );
    let id = reply.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.upload(&id, "ФИО,Место\nСейтқали Айгерім,1 место\n").status,
        200
    );
    app.issue_and_wait(&id);

    let renamed = app.post_json("/api/v1/designs/old-name/rename", &json!({"name": "Жаңа-макет"}));
    let new = crate::helpers::query_value("Жаңа-макет");
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    assert_eq!(app.get("/api/v1/designs/old-name", Some(&app.token)).status, 404);
    let competition = app
        .get(&format!("/api/v1/competitions/{id}"), Some(&app.token))
        .json();
    assert_eq!(
        competition["design"], "Жаңа-макет",
        "the competition follows the new name"
    );
    let taken = app.post_json(
        &format!("/api/v1/designs/{new}/rename"),
        &json!({"name": "classic"}),
    );
    assert_eq!(taken.status, 422, "a built-in design's name is refused");

    let in_use = app.send(
        "DELETE",
        &format!("/api/v1/designs/{new}"),
        &app.token,
        "application/json",
        b"",
    );
    assert_eq!(in_use.status, 409, "{}", in_use.text());
    assert!(
        in_use.text().contains("Жұлдыз"),
        "the competitions that choose it are named"
    );
    let moved = app.send(
        "PUT",
        &format!("/api/v1/competitions/{id}/design"),
        &app.token,
        "application/json",
        json!({"design": "classic"}).to_string().as_bytes(),
    );
    assert_eq!(moved.status, 200, "{}", moved.text());
    let deleted = app.send(
        "DELETE",
        &format!("/api/v1/designs/{new}"),
        &app.token,
        "application/json",
        b"",
    );
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    let list = app.get("/api/v1/designs", Some(&app.token)).text();
    assert!(!list.contains("Жаңа-макет"), "{list}");
    let again = app.post_json(
        "/api/v1/designs",
        &json!({"name": "Жаңа-макет", "from": "classic"}),
    );
    assert_eq!(again.status, 201, "the name is free again");

    // The paper drawn with the deleted design verifies and re-renders byte for byte.
    let code = app.documents(&id)[0]["code"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/verify/{code}"), None).json()["status"],
        "valid"
    );
    let reverified = app.issue_and_wait_with(&id, "?reverify=true");
    assert_eq!(reverified["verified"], 1, "{reverified}");
}

#[test]
fn the_command_line_lists_and_previews_an_organizations_own_designs() {
    let app = TestApp::spawn();
    let created = app.post_json("/api/v1/designs", &json!({"name": "svoy", "from": "modern"}));
    assert_eq!(created.status, 201, "{}", created.text());
    let gramota = |args: &[&str]| {
        Command::new(crate::helpers::gramota_bin())
            .args(args)
            .env("GRAMOTA_DATA_DIR", &app.settings.data_dir)
            .env("DATABASE_URL", &app.settings.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let listed = gramota(&["design", "list", "--org", "dvorets-test"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.status.success(), "{text}");
    assert!(text.contains("classic") && text.contains("svoy"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("svoy.pdf");
    let previewed = gramota(&[
        "design",
        "preview",
        "svoy",
        "--org",
        "dvorets-test",
        "--language",
        "kk",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        previewed.status.success(),
        "{}",
        String::from_utf8_lossy(&previewed.stderr)
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
}
