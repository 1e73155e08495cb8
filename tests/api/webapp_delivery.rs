//! The competition page's downloads and e-mail, over plain HTTP with the session and CSRF tokens:
//! the print file and each organization's bundle, sending to a real SMTP server (`smtp_server.py`)
//! and every message's state as the page shows it.

use std::process::Command;
use std::time::Duration;

use crate::delivery::{deliveries, issued_competition, wait_until_settled, SmtpServer};
use crate::helpers::{pdf_text, tool, unzip, TestApp};
use crate::webapp::{account, Browser, PASSWORD};

/// The links of the table row that names `organization`, as the browser reads them.
fn row_links(page: &str, organization: &str) -> Vec<String> {
    let at = page
        .find(organization)
        .unwrap_or_else(|| panic!("{organization} in {page}"));
    let row = page[at..].split("</tr>").next().unwrap();
    row.match_indices("href=\"")
        .map(|(i, _)| {
            let rest = &row[i + 6..];
            rest[..rest.find('"').unwrap()]
                .replace("&#x2f;", "/")
                .replace("&amp;", "&")
        })
        .collect()
}

fn pages_of(pdf: &[u8]) -> (usize, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("print.pdf");
    std::fs::write(&path, pdf).unwrap();
    let (sound, report) = tool("qpdf", &["--check"], &path);
    assert!(sound, "{report}");
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let pages = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .expect("pdfinfo names the pages");
    (pages, pdf_text(&path))
}

#[test]
fn the_print_file_and_each_organizations_bundle_download_from_the_competition_page() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let competition = app.create_competition("Облыстық байқау");
    let csv = "ФИО,Организация,Место\n\
        Сейтқали Айгерім,СОШ №12,1 место\n\
        Иванов Пётр,СОШ №12,Участник\n\
        Ким Ольга,СОШ №12,2 место\n\
        Әбілқайыров Ерасыл,\"Гимназия «Ақ жол», Астана\",1 место\n\
        Нұрланұлы Дәулет,\"Гимназия «Ақ жол», Астана\",Участник\n\
        Бекова Дана,,Участник\n";
    assert_eq!(app.upload(&competition, csv).status, 200);
    app.issue_and_wait(&competition);
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = format!("/app/competitions/{competition}");
    let detail = browser.get(&page).text();
    assert!(detail.contains("id=\"download-print\"") && detail.contains("id=\"open-bundles\""));

    let print = browser.get(&format!("{page}/documents.pdf"));
    assert_eq!(print.status, 200, "{}", print.text());
    assert_eq!(print.headers["content-type"], "application/pdf");
    let (pages, text) = pages_of(&print.body);
    assert_eq!(pages, 6, "every valid paper is a page");
    assert!(text.contains("Бекова Дана"));

    let bundles = browser.get(&format!("{page}/bundles"));
    assert_eq!(bundles.status, 200);
    let bundles = bundles.text();
    assert!(
        bundles.contains("<strong id=\"bundle-count\">3</strong>"),
        "{bundles}"
    );
    let school = row_links(&bundles, "СОШ №12");
    assert_eq!(school.len(), 2, "a ZIP and a print file: {school:?}");
    assert!(
        row_links(&bundles, "Организация не указана").is_empty(),
        "no bundle to name"
    );
    let zip = browser.get(&school[0]);
    assert_eq!(zip.status, 200, "{}", school[0]);
    assert_eq!(unzip(&zip.body).len(), 3);
    let (pages, text) = pages_of(&browser.get(&school[1]).body);
    assert_eq!(pages, 3);
    assert!(text.contains("Ким Ольга") && !text.contains("Әбілқайыров"));
    // A school name with quotes, a comma and Kazakh letters survives the link.
    let gymnasium = row_links(&bundles, "Гимназия «Ақ жол», Астана");
    let (pages, text) = pages_of(&browser.get(&gymnasium[1]).body);
    assert_eq!(pages, 2);
    assert!(text.contains("Нұрланұлы Дәулет"));
    assert_eq!(unzip(&browser.get(&gymnasium[0]).body).len(), 2);

    // E-mail is not configured on this service: the page says so and sending is refused with why.
    assert!(detail.contains("Почта на этом сервере не настроена"));
    assert!(!detail.contains("id=\"send-mail\""));
    let csrf = browser.csrf();
    let refused = browser.post(&format!("{page}/deliveries"), &[("csrf", &csrf)]);
    assert_eq!(refused.status, 409);
    assert!(
        refused.text().contains("отправка почты не настроена"),
        "{}",
        refused.text()
    );

    // Another organization's organizer: none of it exists.
    account(&app.settings, "other-center", "a@other.kz", "organizer");
    let mut other = Browser::new(&app);
    other.sign_in("a@other.kz", PASSWORD);
    for path in [
        format!("{page}/documents.pdf"),
        format!("{page}/bundles"),
        school[0].clone(),
        school[1].clone(),
        format!("{page}/deliveries"),
    ] {
        let reply = other.get(&path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.text().contains("СОШ №12"));
    }
    let csrf = other.csrf();
    assert_eq!(
        other
            .post(&format!("{page}/deliveries"), &[("csrf", &csrf)])
            .status,
        404
    );
}

#[test]
fn mail_is_sent_from_the_competition_page_and_every_state_is_shown() {
    let mail_dir = tempfile::tempdir().unwrap();
    let mut server = SmtpServer::start(mail_dir.path(), &["pupil3@school.test"]);
    let settings_dir = tempfile::tempdir().unwrap();
    let mail = server.settings(&[], settings_dir.path());
    let app = TestApp::spawn_with(|s| s.mail = mail);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    // Six pupils, four supervisors: ten messages.
    let (competition, _) = issued_competition(&app, 6);
    let mut browser = Browser::new(&app);
    browser.sign_in("metodist@dvorets.kz", PASSWORD);
    let page = format!("/app/competitions/{competition}");
    assert!(browser.get(&page).text().contains("id=\"send-mail\""));

    // Without the CSRF token nothing is queued.
    assert_eq!(browser.post(&format!("{page}/deliveries"), &[]).status, 403);
    assert_eq!(
        deliveries(&app, &competition)["messages"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let csrf = browser.csrf();
    let sent = browser.post(&format!("{page}/deliveries"), &[("csrf", &csrf)]);
    assert_eq!(sent.status, 303, "{}", sent.text());
    assert!(
        sent.location().contains("done=queued&n=10"),
        "{}",
        sent.location()
    );
    assert_eq!(
        deliveries(&app, &competition)["messages"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    let status = wait_until_settled(&app, &competition, Duration::from_secs(120));
    assert_eq!(status["summary"]["failed"], 1, "{}", status["summary"]);
    assert_eq!(status["summary"]["sent"], 9);

    // The page: totals, the refused message first with the server's own words and a button.
    let list = browser
        .get(&format!("{page}/deliveries"))
        .text()
        .replace("&#x2f;", "/");
    assert!(list.contains("<strong id=\"sum-sent\">9</strong>"), "{list}");
    assert!(list.contains("<strong id=\"sum-failed\">1</strong>"));
    let first = list.find("class=\"card message").unwrap();
    let card = list[first..].split("</li>").next().unwrap();
    assert!(
        card.contains("pupil3@school.test") && card.contains("не доставлено"),
        "{card}"
    );
    assert!(
        card.contains("550") && card.contains("mailbox unavailable"),
        "{card}"
    );
    let action = card.find("/app/deliveries/").expect("a resend button");
    let resend = card[action..action + 16 + 36 + 7].to_string();
    assert!(resend.ends_with("/resend"), "{resend}");
    assert!(list.contains("id=\"resend-failed\""));
    let detail = browser.get(&page).text();
    assert!(detail.contains("<strong id=\"mail-sent\">9</strong>"));
    assert!(detail.contains("<strong id=\"mail-failed\">1</strong>"));
    assert!(browser
        .get("/app/competitions")
        .text()
        .contains("<strong id=\"total-failed\">1</strong>"));
    // The document's own card says the same.
    let documents = browser.get(&format!(
        "{page}/documents?q={}",
        crate::helpers::query_value("Жұмабеков")
    ));
    let documents = documents.text().replace("&#x2f;", "/");
    assert!(
        documents.contains("550") && documents.contains(&resend),
        "{documents}"
    );

    // Both resend forms need the token.
    assert_eq!(browser.post(&resend, &[]).status, 403);
    assert_eq!(
        browser.post(&format!("{page}/deliveries/resend"), &[]).status,
        403
    );

    // The mailbox is fixed; the organizer presses the message's button.
    server.stop();
    server.set_reject(&[]);
    server.resume();
    let again = browser.post(&resend, &[("csrf", &csrf)]);
    assert_eq!(again.status, 303, "{}", again.text());
    assert!(again.location().ends_with("done=resent"));
    let status = wait_until_settled(&app, &competition, Duration::from_secs(60));
    assert_eq!(
        (
            status["summary"]["sent"].as_i64(),
            status["summary"]["failed"].as_i64()
        ),
        (Some(10), Some(0))
    );
    let received = server.received();
    assert_eq!(received.len(), 10);
    assert_eq!(
        received.iter().filter(|m| m.to == "pupil3@school.test").count(),
        1
    );

    // Sending again queues nothing new: nothing goes twice.
    let repeat = browser.post(&format!("{page}/deliveries"), &[("csrf", &csrf)]);
    assert!(
        repeat.location().contains("done=queued&n=0"),
        "{}",
        repeat.location()
    );
    let settled = browser.get(&format!("{page}/deliveries")).text();
    assert!(settled.contains("<strong id=\"sum-sent\">10</strong>"));
    assert!(
        !settled.contains("id=\"resend-failed\""),
        "nothing needs attention"
    );
}
