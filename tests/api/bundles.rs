//! Cancelling a job, and the streamed ZIP: readable names, folders, per-organization bundles.

use std::time::Duration;

use crate::helpers::{kazakh_results_csv, unzip, TestApp};

#[test]
fn a_cancelled_job_stops_and_the_next_one_finishes_the_batch() {
    const ROWS: usize = 60;
    let app = TestApp::spawn_with(|settings| {
        settings.issue_chunk_size = 1;
        settings.issue_threads = 1;
    });
    let competition = app.create_competition("Тоқтату сынағы");
    assert_eq!(app.upload(&competition, &kazakh_results_csv(ROWS)).status, 200);
    let issued = app.post(
        &format!("/api/v1/competitions/{competition}/issue"),
        Some(&app.token),
        "application/json",
        b"",
    );
    assert_eq!(issued.status, 202);
    let job = issued.json()["job_id"].as_str().unwrap().to_string();
    let cancel = format!("/api/v1/jobs/{job}/cancel");
    let cancelled = app.post(&cancel, Some(&app.token), "application/json", b"");
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    assert_eq!(cancelled.json()["state"], "cancelled");

    // The worker stops at the next chunk; what it did stays done.
    std::thread::sleep(Duration::from_millis(1500));
    let first = app.get(&format!("/api/v1/jobs/{job}"), Some(&app.token)).json();
    std::thread::sleep(Duration::from_millis(500));
    let later = app.get(&format!("/api/v1/jobs/{job}"), Some(&app.token)).json();
    assert_eq!(later["state"], "cancelled");
    assert_eq!(
        first["done"], later["done"],
        "nothing is rendered after the cancel"
    );
    let done = later["done"].as_i64().unwrap();
    assert!(done < ROWS as i64, "cancelled mid-way: {later}");
    // A job's documents are reserved in one transaction when its worker starts: a cancel that
    // comes first leaves none; otherwise every reserved paper not rendered stays pending.
    let reserved = app.documents(&competition);
    let pending = reserved.iter().filter(|d| d["status"] == "pending").count();
    if reserved.is_empty() {
        assert_eq!(done, 0, "nothing reserved, nothing rendered: {later}");
    } else {
        assert_eq!(reserved.len(), ROWS, "all or nothing is reserved");
        assert_eq!(pending as i64, ROWS as i64 - done);
    }

    let again = app.post(&cancel, Some(&app.token), "application/json", b"");
    assert_eq!(again.status, 409, "an ended job cannot be cancelled");

    let next = app.issue_and_wait(&competition);
    assert_ne!(next["id"].as_str(), Some(job.as_str()));
    assert_eq!(next["total"].as_i64(), Some(ROWS as i64 - done), "{next}");
    let documents = app.documents(&competition);
    assert_eq!(documents.len(), ROWS);
    assert!(documents.iter().all(|d| d["status"] == "valid"));
    let mut serials: Vec<&str> = documents.iter().map(|d| d["serial"].as_str().unwrap()).collect();
    serials.sort_unstable();
    serials.dedup();
    assert_eq!(serials.len(), ROWS);
    assert!(serials[ROWS - 1].ends_with(&format!("-{ROWS:06}")));
}

#[test]
fn the_zip_has_readable_names_folders_and_organization_bundles() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Бумалар");
    let csv = "ФИО,Организация,Регион,Место\n\
               Сейтқали Айгерім,СОШ №12,Павлодарская область,1 место\n\
               Иванов Пётр,\"Лицей: «Дарын» / Астана\",г. Астана,Участник\n\
               Әбілқайыров Ерасыл,СОШ №12,Павлодарская область,2 место\n";
    assert_eq!(app.upload(&competition, csv).status, 200);
    app.issue_and_wait(&competition);
    let documents = app.documents(&competition);
    let serial = |holder: &str| {
        documents.iter().find(|d| d["holder"] == holder).unwrap()["serial"]
            .as_str()
            .unwrap()
            .to_string()
    };

    let mut names: Vec<String> = app.zip(&competition).into_iter().map(|(n, _)| n).collect();
    names.sort();
    let mut expected = vec![
        format!("{}_Сейтқали-Айгерім.pdf", serial("Сейтқали Айгерім")),
        format!("{}_Иванов-Пётр.pdf", serial("Иванов Пётр")),
        format!("{}_Әбілқайыров-Ерасыл.pdf", serial("Әбілқайыров Ерасыл")),
    ];
    expected.sort();
    assert_eq!(names, expected);

    let zip_url = format!("/api/v1/competitions/{competition}/documents.zip");
    let by_region = app.get(&format!("{zip_url}?folders=region"), Some(&app.token));
    assert_eq!(by_region.status, 200);
    let mut folders: Vec<String> = unzip(&by_region.body)
        .into_iter()
        .map(|(n, _)| n.split('/').next().unwrap().to_string())
        .collect();
    folders.sort();
    folders.dedup();
    assert_eq!(folders, ["Павлодарская-область", "г.-Астана"]);

    let by_organization = app.get(&format!("{zip_url}?folders=organization"), Some(&app.token));
    let paths: Vec<String> = unzip(&by_organization.body).into_iter().map(|(n, _)| n).collect();
    assert!(
        paths.contains(&format!(
            "Лицей_-«Дарын»-_-Астана/{}_Иванов-Пётр.pdf",
            serial("Иванов Пётр")
        )),
        "path syntax in an organization's name is replaced: {paths:?}"
    );

    let bundles = app
        .get(
            &format!("/api/v1/competitions/{competition}/bundles"),
            Some(&app.token),
        )
        .json();
    let school = bundles
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["organization"] == "СОШ №12")
        .expect("a bundle per organization");
    assert_eq!(school["documents"], 2);
    let bundle = app.get(school["zip_url"].as_str().unwrap(), Some(&app.token));
    assert_eq!(bundle.status, 200);
    let files = unzip(&bundle.body);
    assert_eq!(files.len(), 2);
    let pdf = app.get(documents[0]["pdf_url"].as_str().unwrap(), Some(&app.token));
    assert!(
        files.iter().any(|(_, bytes)| *bytes == pdf.body),
        "the stored bytes, unchanged"
    );

    let bad = app.get(&format!("{zip_url}?folders=colour"), Some(&app.token));
    assert_eq!(bad.status, 400);
}
