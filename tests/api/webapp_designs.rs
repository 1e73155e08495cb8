//! Designs in the web application without scripts: an organizer makes an own design from a
//! built-in one, uploads a background, sees it as a picture, and chooses it on a competition's
//! page; forms carry their CSRF token; another organization cannot see it.

use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

fn jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(400, 283, |x, y| {
        image::Rgb([200, (x % 256) as u8, (y % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

#[test]
fn an_organizer_makes_a_design_and_chooses_it_for_a_competition() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let csrf = browser.csrf();

    let list = browser.get("/app/designs");
    assert_eq!(list.status, 200);
    assert!(
        list.text().contains(r#"<option value="classic">"#),
        "{}",
        list.text()
    );
    let no_token = browser.post("/app/designs", &[("name", "blank"), ("from", "classic")]);
    assert_eq!(no_token.status, 403, "a form without its CSRF token is refused");
    let bad_name = browser.post(
        "/app/designs",
        &[("csrf", &csrf), ("name", "a/b"), ("from", "classic")],
    );
    assert_eq!(bad_name.status, 422);
    assert!(bad_name.text().contains("имя макета"), "{}", bad_name.text());

    let created = browser.post(
        "/app/designs",
        &[("csrf", &csrf), ("name", "oblys-2026"), ("from", "modern")],
    );
    assert_eq!(created.status, 303, "{}", created.text());
    let page = created.location().split('?').next().unwrap().to_string();
    assert_eq!(page, "/app/designs/oblys-2026");
    let uploaded = browser.post_file(
        &format!("{page}/pictures"),
        &[("csrf", &csrf), ("asset", "background")],
        &jpeg(),
    );
    assert_eq!(uploaded.status, 303, "{}", uploaded.text());
    let shown = browser.get(uploaded.location());
    assert!(shown.text().contains("Картинка загружена"), "{}", shown.text());
    assert!(shown.text().contains("background"));
    let refused = browser.post_file(
        &format!("{page}/pictures"),
        &[("csrf", &csrf), ("asset", "logo")],
        b"GIF89a",
    );
    assert_eq!(refused.status, 422);
    assert!(
        refused.text().contains("не является картинкой"),
        "{}",
        refused.text()
    );

    let preview = browser.get("/app/design-preview?design=oblys-2026&language=kk&format=png");
    assert_eq!(preview.status, 200);
    assert!(preview.body.starts_with(b"\x89PNG"), "{}", preview.text());

    let competition = browser.post(
        "/app/competitions",
        &[
            ("csrf", &csrf),
            ("title", "Облыстық байқау"),
            ("language", "kk"),
            ("ends_on", "2026-11-20"),
        ],
    );
    assert_eq!(competition.status, 303, "{}", competition.text());
    let competition = competition.location().to_string();
    let detail = browser.get(&competition).text();
    assert!(
        detail.contains(r#"<option value="oblys-2026">oblys-2026 (свой)</option>"#),
        "{detail}"
    );
    assert!(detail.contains(r#"id="design-current">classic<"#));
    // Looking at another design without scripts: the form reloads the page with its preview.
    let looked = browser
        .get(&format!("{competition}?design=oblys-2026&language=ru"))
        .text();
    assert!(
        looked.contains("design-preview?design=oblys-2026&amp;language=ru&amp;format=png&amp;competition="),
        "{looked}"
    );
    assert!(looked.contains(r#"name="design" id="design-chosen" value="oblys-2026""#));
    let id = competition.rsplit('/').next().unwrap();
    let chosen = browser.post(
        &format!("{competition}/design"),
        &[("csrf", &csrf), ("design", "oblys-2026")],
    );
    assert_eq!(chosen.status, 303, "{}", chosen.text());
    assert!(chosen.location().contains("done=design"));
    assert!(browser
        .get(&competition)
        .text()
        .contains(r#"id="design-current">oblys-2026<"#));
    let api = app.get(&format!("/api/v1/competitions/{id}"), Some(&app.token));
    assert_eq!(api.json()["design"], "oblys-2026");

    // Another organization's organizer sees neither the design nor its preview.
    account(&app.settings, "another-center", "metodist@other.kz", "organizer");
    let mut other = Browser::new(&app);
    other.sign_in("metodist@other.kz", PASSWORD);
    let other_csrf = other.csrf();
    assert_eq!(other.get("/app/designs/oblys-2026").status, 404);
    assert_eq!(
        other
            .get("/app/design-preview?design=oblys-2026&format=png")
            .status,
        404
    );
    assert!(!other.get("/app/designs").text().contains("oblys-2026"));
    let foreign = other.post(
        &format!("{competition}/design"),
        &[("csrf", &other_csrf), ("design", "classic")],
    );
    assert_eq!(foreign.status, 404);
}
