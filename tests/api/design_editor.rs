//! The visual design editor end to end (tests/browser/editor.mjs in Chromium): an organizer's own
//! design on a JPEG background is edited by dragging and in the inspector, saved, and issued; the
//! issued PDF has the elements where they were dragged, and its QR code still decodes.

use std::path::Path;
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
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        scripts.join("node_modules/playwright-core").exists(),
        "run `npm ci` in tests/browser first (scripts/test.sh does)"
    );
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

    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let output = Command::new("node")
        .arg(scripts.join("editor.mjs"))
        .current_dir(&scripts)
        .env("BASE_URL", &app.address)
        .env("PASSWORD", PASSWORD)
        .env("ORGANIZER_EMAIL", "metodist@dvorets.kz")
        .env("DESIGN", "moi-diplom")
        .env("SCREENSHOTS", &screenshots)
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{stdout}");
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
