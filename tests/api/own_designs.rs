//! Organizers' own designs through the API: made from a built-in one, given an artist's background,
//! moved, each change a new version; papers keep the version they were rendered with and render
//! the same bytes again; bad pictures are refused whole; other organizations see nothing; previews
//! come as a sound PDF or a PNG.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use serde_json::{json, Value};

use crate::helpers::{pdf_text, tool, TestApp};

const DESIGN: &str = "nash-diplom";

/// A JPEG like an artist's blank: a gradient, so its bytes are its own.
pub fn background_jpeg() -> Vec<u8> {
    let image = RgbImage::from_fn(891, 630, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 180]));
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image)
        .write_to(&mut out, ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

/// A round stamp on a transparent square.
pub fn stamp_png() -> Vec<u8> {
    let image = RgbaImage::from_fn(200, 200, |x, y| {
        let (dx, dy) = (x as i32 - 100, y as i32 - 100);
        match dx * dx + dy * dy < 90 * 90 {
            true => Rgba([30, 60, 160, 200]),
            false => Rgba([0, 0, 0, 0]),
        }
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgba8(image)
        .write_to(&mut out, ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0_u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header says 20000 × 20000 (a real one would be 1.6 GB decoded).
fn huge_png() -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::new_rgb8(20_000, 1)
        .write_to(&mut out, ImageFormat::Png)
        .unwrap();
    let mut png = out.into_inner();
    png[20..24].copy_from_slice(&20_000_u32.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn create_design(app: &TestApp, token: &str, name: &str) -> Value {
    let reply = app.post(
        "/api/v1/designs",
        Some(token),
        "application/json",
        json!({"name": name, "from": "classic"}).to_string().as_bytes(),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()
}

fn put_picture(app: &TestApp, name: &str, asset: &str, content_type: &str, bytes: &[u8]) -> Value {
    let reply = app.send(
        "PUT",
        &format!("/api/v1/designs/{name}/pictures/{asset}"),
        &app.token,
        content_type,
        bytes,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

fn document_pdf(app: &TestApp, id: &str) -> Vec<u8> {
    let reply = app.get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token));
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.body
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn an_own_design_keeps_the_artists_jpeg_and_every_paper_keeps_its_version() {
    let app = TestApp::spawn();
    let dir = tempfile::tempdir().unwrap();
    let created = create_design(&app, &app.token, DESIGN);
    assert_eq!(created["version"], 1);
    assert_eq!(created["missing_pictures"], json!([]));
    assert_eq!(created["design"]["name"], DESIGN);

    let jpeg = background_jpeg();
    let with_background = put_picture(&app, DESIGN, "background", "image/jpeg", &jpeg);
    assert_eq!(with_background["version"], 2);
    assert_eq!(with_background["design"]["background"], "background");
    let reference_v2 = with_background["reference"].as_str().unwrap().to_string();
    assert!(reference_v2.ends_with("@2"), "{reference_v2}");

    let competition = app.create_competition("Республиканский конкурс «Зерде»");
    let chosen = app.put_json(
        &format!("/api/v1/competitions/{competition}/design"),
        &app.token,
        &json!({"design": DESIGN}),
    );
    assert_eq!(chosen.status, 200, "{}", chosen.text());
    assert_eq!(chosen.json()["design"], DESIGN);
    let upload = app.upload(
        &competition,
        "ФИО,Организация,Место\nСейтқали Айгерім Нұрланқызы,СОШ №12,1 место\nИванов Пётр,Лицей №5,Участник\n",
    );
    assert_eq!(upload.status, 200, "{}", upload.text());
    app.issue_and_wait(&competition);

    let first = app.documents(&competition);
    assert_eq!(first.len(), 2);
    let mut first_pdfs = Vec::new();
    for document in &first {
        assert_eq!(
            document["design"],
            reference_v2.as_str(),
            "the exact version is recorded"
        );
        let pdf = document_pdf(&app, document["id"].as_str().unwrap());
        assert!(
            contains(&pdf, &jpeg),
            "the background JPEG is in the PDF byte for byte"
        );
        let path = write(dir.path(), "v2.pdf", &pdf);
        assert!(tool("qpdf", &["--check"], &path).0);
        first_pdfs.push(pdf);
    }
    assert!(pdf_text(&write(dir.path(), "v2.pdf", &first_pdfs[0])).contains("Сейтқали Айгерім Нұрланқызы"));

    // The holder's name moves down 3 mm: version 3. Element 14 is classic's name line.
    let moved = app.send(
        "PATCH",
        &format!("/api/v1/designs/{DESIGN}"),
        &app.token,
        "application/json",
        json!({"elements": [{"element": 14, "box": {"y": 87.5}}]})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(moved.status, 200, "{}", moved.text());
    let moved = moved.json();
    assert_eq!(moved["version"], 3);
    assert_eq!(moved["design"]["elements"][13]["box"]["y"], 87.5);
    assert_eq!(moved["pictures"], with_background["pictures"], "pictures stay");
    let versions = app.get(&format!("/api/v1/designs/{DESIGN}/versions"), Some(&app.token));
    assert_eq!(versions.json()["versions"].as_array().unwrap().len(), 3);
    let old = app.get(&format!("/api/v1/designs/{DESIGN}?version=2"), Some(&app.token));
    assert_eq!(
        old.json()["design"]["elements"][13]["box"]["y"],
        84.5,
        "version 2 is unchanged"
    );

    // New rows get version 3; every earlier paper renders again to the same bytes.
    let upload = app.upload(&competition, "ФИО,Место\nӘбілқайыров Ерасыл,2 место\n");
    assert_eq!(upload.status, 200, "{}", upload.text());
    let job = app.issue_and_wait_with(&competition, "?reverify=true");
    assert_eq!(job["verified"], 3, "{job}");
    let after = app.documents(&competition);
    let newest = after
        .iter()
        .find(|d| d["holder"].as_str().unwrap_or_default().contains("Ерасыл"))
        .expect("the new paper");
    assert_eq!(newest["design"], moved["reference"]);
    for (document, before) in first.iter().zip(&first_pdfs) {
        let again = document_pdf(&app, document["id"].as_str().unwrap());
        assert_eq!(&again, before, "a paper issued with version 2 is unchanged");
    }
    let newest_pdf = document_pdf(&app, newest["id"].as_str().unwrap());
    assert!(contains(&newest_pdf, &jpeg));

    // The print file uses the stored design too.
    let print = app.get(
        &format!("/api/v1/competitions/{competition}/documents.pdf"),
        Some(&app.token),
    );
    assert_eq!(print.status, 200, "{}", print.text());
    assert!(contains(&print.body, &jpeg));
}

#[test]
fn a_huge_or_cut_short_picture_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn();
    create_design(&app, &app.token, DESIGN);
    let path = format!("/api/v1/designs/{DESIGN}/pictures/background");

    let huge = app.send("PUT", &path, &app.token, "image/png", &huge_png());
    assert_eq!(huge.status, 422, "{}", huge.text());
    let message = huge.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("20000 × 20000") && message.contains("пикселей"),
        "{message}"
    );

    let mut cut = background_jpeg();
    cut.truncate(cut.len() / 2);
    let cut = app.send("PUT", &path, &app.token, "image/jpeg", &cut);
    assert_eq!(cut.status, 422, "{}", cut.text());
    assert!(
        cut.json()["message"].as_str().unwrap().contains("повреждена"),
        "{}",
        cut.text()
    );

    let foreign = app.send(
        "PUT",
        &path,
        &app.token,
        "application/pdf",
        b"%PDF-1.7 not a picture",
    );
    assert_eq!(foreign.status, 422, "{}", foreign.text());

    let stored = app
        .get(&format!("/api/v1/designs/{DESIGN}"), Some(&app.token))
        .json();
    assert_eq!(stored["version"], 1, "no version was made");
    assert_eq!(stored["pictures"], json!({}));
    let versions = app.get(&format!("/api/v1/designs/{DESIGN}/versions"), Some(&app.token));
    assert_eq!(versions.json()["versions"].as_array().unwrap().len(), 1);

    // A design naming a picture not uploaded cannot be chosen for issuing.
    let mut definition = stored["design"].clone();
    definition["background"] = json!("blank.jpg");
    let replaced = app.put_json(&format!("/api/v1/designs/{DESIGN}"), &app.token, &definition);
    assert_eq!(replaced.status, 200, "{}", replaced.text());
    assert_eq!(replaced.json()["missing_pictures"], json!(["blank.jpg"]));
    let competition = app.create_competition("Олимпиада");
    app.put_json(
        &format!("/api/v1/competitions/{competition}/design"),
        &app.token,
        &json!({"design": DESIGN}),
    );
    app.upload(&competition, "ФИО,Место\nИванов Пётр,1 место\n");
    let issue = app.post(
        &format!("/api/v1/competitions/{competition}/issue"),
        Some(&app.token),
        "application/json",
        b"",
    );
    assert_eq!(issue.status, 422, "{}", issue.text());
    assert!(issue.json()["message"].as_str().unwrap().contains("blank.jpg"));

    // A design whose box leaves the page is refused by element.
    let off_page = app.send(
        "PATCH",
        &format!("/api/v1/designs/{DESIGN}"),
        &app.token,
        "application/json",
        json!({"elements": [{"element": 14, "box": {"x": 250}}]})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(off_page.status, 422, "{}", off_page.text());
    assert!(
        off_page.json()["message"]
            .as_str()
            .unwrap()
            .contains("element 14"),
        "{}",
        off_page.text()
    );
}

#[test]
fn another_organization_finds_no_trace_of_an_own_design() {
    let app = TestApp::spawn();
    create_design(&app, &app.token, DESIGN);
    let other = TestApp::token_for(&app.settings, "another-center");
    let design = format!("/api/v1/designs/{DESIGN}");
    assert_eq!(app.get(&design, Some(&other)).status, 404);
    assert_eq!(app.get(&format!("{design}/versions"), Some(&other)).status, 404);
    assert_eq!(app.get(&format!("{design}/preview"), Some(&other)).status, 404);
    assert_eq!(
        app.send(
            "PUT",
            &format!("{design}/pictures/logo"),
            &other,
            "image/png",
            &stamp_png()
        )
        .status,
        404
    );
    assert_eq!(
        app.send(
            "PATCH",
            &design,
            &other,
            "application/json",
            br#"{"elements":[{"element":14,"box":{"y":80}}]}"#
        )
        .status,
        404
    );
    assert_eq!(app.put_json(&design, &other, &json!({})).status, 404);
    let listed = app.get("/api/v1/designs", Some(&other)).json();
    assert!(
        !listed["designs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["name"] == DESIGN),
        "{listed}"
    );
    // Its competitions cannot choose it either; the name is free in its own organization.
    let reply = app.post(
        "/api/v1/competitions",
        Some(&other),
        "application/json",
        json!({"title": "Конкурс", "design": DESIGN})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(reply.status, 400, "{}", reply.text());
    create_design(&app, &other, DESIGN);
    let own = app.get(&design, Some(&app.token)).json();
    assert_eq!(own["version"], 1, "the first organization's design is untouched");
}

#[test]
fn previews_are_a_sound_pdf_or_a_png_with_sample_or_real_data() {
    let app = TestApp::spawn();
    let dir = tempfile::tempdir().unwrap();
    let pdf = app.get(
        "/api/v1/designs/classic/preview?language=kk&award=place_2",
        Some(&app.token),
    );
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    let path = write(dir.path(), "classic.pdf", &pdf.body);
    assert!(tool("qpdf", &["--check"], &path).0);
    assert!(pdf_text(&path).contains("Әбілқайырова Аружан"));

    create_design(&app, &app.token, DESIGN);
    let stamped = put_picture(&app, DESIGN, "stamp", "image/png", &stamp_png());
    let stamp = stamped["design"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["asset"] == "stamp")
        .expect("the stamp is placed");
    assert_eq!(
        stamp["box"]["width"], stamp["box"]["height"],
        "a square stamp stays square"
    );

    let png = app.get(
        &format!("/api/v1/designs/{DESIGN}/preview?format=png&dpi=50"),
        Some(&app.token),
    );
    assert_eq!(png.status, 200, "{}", png.text());
    assert_eq!(png.headers["content-type"], "image/png");
    let decoded = image::load_from_memory_with_format(&png.body, ImageFormat::Png).expect("a PNG");
    assert_eq!(
        (decoded.width(), decoded.height()),
        (585, 414),
        "A4 landscape at 50 dpi"
    );

    let own_pdf = app.get(&format!("/api/v1/designs/{DESIGN}/preview"), Some(&app.token));
    let path = write(dir.path(), "own.pdf", &own_pdf.body);
    assert!(tool("qpdf", &["--check"], &path).0);
    assert!(
        contains(&own_pdf.body, b"/SMask"),
        "the stamp keeps its transparency"
    );

    // A real row of a competition, in the competition's language unless asked otherwise.
    let competition = app.create_competition("Республиканский конкурс «Зерде»");
    app.upload(&competition, "ФИО,Место\nҚұдайбергенов Нұрсұлтан,1 место\n");
    let row = app.get(
        &format!("/api/v1/designs/{DESIGN}/preview?competition={competition}"),
        Some(&app.token),
    );
    assert_eq!(row.status, 200, "{}", row.text());
    let text = pdf_text(&write(dir.path(), "row.pdf", &row.body));
    assert!(
        text.contains("Құдайбергенов Нұрсұлтан") && text.contains("Зерде"),
        "{text}"
    );
    let wrong_entry = app.get(
        &format!("/api/v1/designs/{DESIGN}/preview?competition={competition}&entry=nope"),
        Some(&app.token),
    );
    assert_eq!(wrong_entry.status, 422, "{}", wrong_entry.text());

    let posted = app.post_json(
        "/api/v1/designs/preview",
        &json!({"design": DESIGN, "format": "png"}),
    );
    assert_eq!(posted.status, 200, "{}", posted.text());
    assert!(posted.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(
        app.get("/api/v1/designs/nope/preview", Some(&app.token)).status,
        404
    );
    let bad_format = app.get("/api/v1/designs/classic/preview?format=gif", Some(&app.token));
    assert_eq!(bad_format.status, 400);
}
