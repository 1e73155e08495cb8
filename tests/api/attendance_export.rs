//! A seminar's or webinar's attendance in the competition's results export and in the upload's
//! preview (issue 23 part 7): the mark as the intake reads it back, so an exported file uploaded
//! again certifies the same people; an unmarked row counts as attended, as it does for papers.

use crate::helpers::TestApp;
use crate::webapp::{account, Browser, PASSWORD};

const WEBINAR: &str = r#"{"title": "Вебинар «Қазақ тілі»", "kind": "webinar", "language": "ru", "ends_on": "2026-11-20", "hours": 2}"#;

fn webinar(app: &TestApp) -> String {
    let reply = app.post_json("/api/v1/competitions", &serde_json::from_str(WEBINAR).unwrap());
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_str().unwrap().to_string()
}

#[test]
fn attendance_is_in_the_results_export_and_an_exported_file_certifies_the_same_people() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let competition = webinar(&app);
    let csv = "ФИО,Организация,Присутствовал\n\
               Әлиева Дана,СОШ №1,да\n\
               Бекова Аида,СОШ №2,нет\n\
               Ким Анна,СОШ №3,\n\
               Өтегенов Ғалым,СОШ №4,+\n";
    assert_eq!(app.upload(&competition, csv).status, 200);

    // Ким Анна is marked as attended in the papers page after all.
    let mut browser = Browser::new(&app);
    assert_eq!(browser.sign_in("metodist@dvorets.kz", PASSWORD).status, 303);
    let papers = browser
        .get(&format!("/app/competitions/{competition}/papers"))
        .text();
    let at = papers.find("Ким Анна").expect("listed");
    let marker = "id=\"entry-";
    let start = papers[..at].rfind(marker).expect("the row's id") + marker.len();
    let entry = papers[start..start + 36].to_string();
    let csrf = browser.csrf();
    let marked = browser.post(
        &format!("/app/competitions/{competition}/entries/{entry}/attended"),
        &[("csrf", &csrf), ("attended", "true")],
    );
    assert_eq!(marked.status, 303, "{}", marked.text());

    let rows = app.results_csv(&competition);
    let column = rows[0]
        .iter()
        .position(|h| h == "Присутствовал")
        .unwrap_or_else(|| panic!("an attendance column: {:?}", rows[0]));
    let marks: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[1].as_str(), r[column].as_str()))
        .collect();
    assert_eq!(
        marks,
        [
            ("Әлиева Дана", "да"),
            ("Бекова Аида", "нет"),
            ("Ким Анна", "да"),
            ("Өтегенов Ғалым", "да")
        ]
    );
    let bearer = format!("Bearer {}", app.token);
    let kk = app.get_with(
        &format!("/api/v1/competitions/{competition}/results.csv"),
        &[("Authorization", &bearer), ("Accept-Language", "kk")],
    );
    let kk = String::from_utf8_lossy(&kk.body).into_owned();
    assert!(kk.contains("Қатысты") && kk.contains(";жоқ"), "{kk}");

    // The XLSX export uploaded into another webinar certifies the three who came, not Бекова.
    let xlsx = app.get(
        &format!("/api/v1/competitions/{competition}/results.xlsx"),
        Some(&app.token),
    );
    assert_eq!(xlsx.status, 200);
    let again = webinar(&app);
    let upload = app.upload_file(&again, "", &xlsx.body);
    assert_eq!(upload.status, 200, "{}", upload.text());
    app.issue_and_wait(&again);
    let mut holders: Vec<String> = app
        .documents(&again)
        .iter()
        .map(|d| d["holder"].as_str().unwrap().to_string())
        .collect();
    holders.sort();
    assert_eq!(holders, ["Ким Анна", "Әлиева Дана", "Өтегенов Ғалым"]);

    // A competition whose file had no attendance exports no such column.
    let plain = app.create_competition("Олимпиада");
    assert_eq!(app.upload(&plain, "ФИО,Место\nИванов Пётр,1 место\n").status, 200);
    assert!(!app.results_csv(&plain)[0].iter().any(|h| h == "Присутствовал"));
}

#[test]
fn the_uploads_preview_shows_each_rows_attendance() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let competition = webinar(&app);
    let mut browser = Browser::new(&app);
    assert_eq!(browser.sign_in("metodist@dvorets.kz", PASSWORD).status, 303);
    let csrf = browser.csrf();
    let csv = "ФИО,Организация,Қатысты\nӘлиева Дана,СОШ №1,иә\nБекова Аида,СОШ №2,жоқ\n";
    let mut page = browser.post_file(
        &format!("/app/competitions/{competition}/upload"),
        &[("csrf", &csrf)],
        csv.as_bytes(),
    );
    if page.status == 303 {
        let location = page.location().to_string();
        page = browser.get(&location);
    }
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    let table = &text[text.find("id=\"preview-table\"").expect("the preview")..];
    assert!(table.contains("<th scope=\"col\">Присутствовал</th>"), "{table}");
    assert_eq!(
        table.matches("<td class=\"attended\">да</td>").count(),
        1,
        "{table}"
    );
    assert_eq!(table.matches("<td class=\"attended\">нет</td>").count(), 1);
}
