//! Issue 22: every paper also an Open Badges 3.0 credential (VC-JWT, EdDSA), checked by software
//! that is not gramota's: `tests/credentials/verify.mjs` (jose, ajv with the Open Badges 3.0 JSON
//! Schema, node's zlib for the Bitstring Status List, did-resolver with web-did-resolver for the
//! issuer's did:web), which fetches the DID document and the status list from the test server by
//! the URLs the credential names. The credential a PDF carries is taken out with poppler's
//! `pdfdetach` and checked by the same verifier.

use std::path::{Path, PathBuf};
use std::process::Command;

use data_encoding::BASE64URL_NOPAD;
use serde_json::Value;

use crate::helpers::{decode_qr, TestApp};

const RESULTS: &str = "ФИО,Организация,Регион,Дата рождения,Номинация,Место\n\
    Сейтқали Айгерім Нұрланқызы,СОШ №12,Павлодарская область,14.03.2012,Экология,1 место\n\
    Әбілқайыров Ерасыл,Гимназия №1,г. Алматы,02.09.2011,Техника,Диплом II степени\n";

/// Runs the independent verifier on the files; one verdict per file, in order.
fn verify_independently(app: &TestApp, files: &[&Path]) -> Vec<Value> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/credentials");
    assert!(
        folder.join("node_modules/jose").exists(),
        "run `npm ci` in tests/credentials first (scripts/test.sh does)"
    );
    let output = Command::new("node")
        .arg(folder.join("verify.mjs"))
        .args(files)
        .current_dir(&folder)
        .env("PUBLIC_URL", &app.settings.public_url)
        .env("SERVER", &app.address)
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "verify.mjs: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{stdout}");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a verdict"))
        .collect()
}

/// The two papers: Айгерім's, then Ерасыл's.
fn issued(app: &TestApp) -> (Value, Value) {
    let competition = app.create_competition("Республиканский конкурс «Жас зерттеуші»");
    let reply = app.upload(&competition, RESULTS);
    assert_eq!(reply.status, 200, "{}", reply.text());
    app.issue_and_wait(&competition);
    let documents = app.documents(&competition);
    let of = |surname: &str| {
        documents
            .iter()
            .find(|d| d["holder"].as_str().unwrap_or("").starts_with(surname))
            .cloned()
            .expect("the paper")
    };
    (of("Сейтқали"), of("Әбілқайыров"))
}

fn credential_of(app: &TestApp, document: &Value, query: &str) -> (u16, String, Vec<u8>) {
    let id = document["id"].as_str().unwrap();
    let reply = app.get(
        &format!("/api/v1/documents/{id}/credential{query}"),
        Some(&app.token),
    );
    let content_type = reply.headers.get("content-type").cloned().unwrap_or_default();
    (reply.status, content_type, reply.body)
}

fn payload_of(compact: &str) -> Value {
    let payload = compact.split('.').nth(1).expect("a compact JWS");
    serde_json::from_slice(&BASE64URL_NOPAD.decode(payload.as_bytes()).unwrap()).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn credentials_verify_with_independent_software_and_revocation_reaches_them() {
    let app = TestApp::spawn();
    let (aigerim, yerasyl) = issued(&app);
    let (aigerim, yerasyl) = (&aigerim, &yerasyl);

    let (status, content_type, body) = credential_of(&app, aigerim, "");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let download: Value = serde_json::from_slice(&body).unwrap();
    let credential = &download["credential"];
    assert_eq!(
        payload_of(download["compactJwsString"].as_str().unwrap()),
        *credential
    );
    let subject = &credential["credentialSubject"];
    assert_eq!(subject["name"], "Сейтқали Айгерім Нұрланқызы");
    assert_eq!(
        subject["identifier"][0]["identityHash"],
        "Сейтқали Айгерім Нұрланқызы"
    );
    assert_eq!(credential["id"], aigerim["verify_url"]);
    let achievement = &subject["achievement"];
    assert!(
        achievement["name"].as_str().unwrap().contains("«Жас зерттеуші»"),
        "{achievement}"
    );
    assert!(
        achievement["description"].as_str().unwrap().contains("Экология"),
        "{achievement}"
    );
    assert!(credential["description"]
        .as_str()
        .unwrap()
        .contains(aigerim["serial"].as_str().unwrap()));
    // Never a birth date, a school or a region: a credential travels further than the paper.
    let text = credential.to_string();
    for private in ["14.03.2012", "2012-03-14", "СОШ", "Павлодар"] {
        assert!(!text.contains(private), "{private} in {text}");
    }

    let (status, content_type, jwt) = credential_of(&app, yerasyl, "?format=jwt");
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/vc+jwt");
    let jwt = String::from_utf8(jwt).unwrap();
    assert_eq!(jwt.split('.').count(), 3);

    // One changed field (the award) under the same signature.
    let compact = download["compactJwsString"].as_str().unwrap();
    let mut changed = credential.clone();
    changed["credentialSubject"]["achievement"]["name"] = Value::from("Гран-при — «Жас зерттеуші»");
    assert_ne!(changed, *credential, "the field was changed");
    let parts: Vec<&str> = compact.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        BASE64URL_NOPAD.encode(changed.to_string().as_bytes()),
        parts[2]
    );

    let revoke = app.post_json(
        &format!("/api/v1/documents/{}/revoke", yerasyl["id"].as_str().unwrap()),
        &serde_json::json!({"reason": "Ошибка в фамилии"}),
    );
    assert_eq!(revoke.status, 200, "{}", revoke.text());

    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(dir.path(), "genuine.json", &body),
        write(dir.path(), "revoked.jwt", jwt.as_bytes()),
        write(dir.path(), "changed.jwt", forged.as_bytes()),
    ];
    let verdicts = verify_independently(&app, &files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let [genuine, revoked, changed] = &verdicts[..] else {
        panic!("three verdicts: {verdicts:?}")
    };
    assert_eq!(genuine["verified"], true, "{genuine}");
    assert_eq!(genuine["schema_errors"], serde_json::json!([]), "{genuine}");
    assert_eq!(genuine["revoked"], false, "{genuine}");
    assert_eq!(revoked["verified"], true, "{revoked}");
    assert_eq!(revoked["schema_errors"], serde_json::json!([]), "{revoked}");
    assert_eq!(
        revoked["revoked"], true,
        "the status list says revoked: {revoked}"
    );
    assert_eq!(changed["verified"], false, "{changed}");
    assert!(
        changed["error"].as_str().unwrap().contains("signature"),
        "{changed}"
    );

    // The organizer still gets a revoked paper's credential: the list says what it is.
    assert_eq!(credential_of(&app, yerasyl, "").0, 200);
}

#[test]
fn credentials_holder_gets_theirs_only_with_the_papers_record() {
    let app = TestApp::spawn();
    let (first, second) = issued(&app);
    let dir = tempfile::tempdir().unwrap();
    let fragment_of = |document: &Value| {
        let id = document["id"].as_str().unwrap();
        let pdf = app.get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token));
        assert_eq!(pdf.status, 200);
        let path = write(dir.path(), &format!("{id}.pdf"), &pdf.body);
        let url = decode_qr(&path);
        url.split_once('#').expect("a fragment").1.to_string()
    };
    let (first, second) = (&first, &second);
    let (record, other_record) = (fragment_of(first), fragment_of(second));
    let code = first["code"].as_str().unwrap();
    let path = format!("/api/v1/verify/{code}/credential");
    let form = |record: &str| format!("record={}", crate::helpers::query_value(record));

    // The page offers it only once its script has checked the record in the URL's fragment,
    // which it then sends: in a real Chromium, with the record, a changed one, and none.
    let page = app.get(&format!("/v/{code}"), None).text();
    assert!(page.contains(&format!("action=\"{path}\"")), "{page}");
    let profile = dir.path().join("profile");
    let dom = |fragment: &str| {
        crate::browser::rendered_dom(&format!("{}/v/{code}#{fragment}", app.address), &profile)
    };
    let offered = dom(&record);
    assert!(
        offered.contains(r#"data-checked="yes""#),
        "the scripts ran: {offered}"
    );
    assert!(
        offered.contains(&format!(
            r#"<form id="credential" class="check" method="post" action="{path}">"#
        )),
        "shown: {offered}"
    );
    assert!(
        offered.contains(&format!(r#"value="{record}""#)),
        "the record is sent"
    );
    assert!(offered.contains("Скачать как цифровое удостоверение Open Badges 3.0 (JSON)"));
    let mut changed = record.clone();
    changed.replace_range(10..11, if &record[10..11] == "A" { "B" } else { "A" });
    for (what, fragment) in [("changed", changed.as_str()), ("none", "")] {
        let dom = dom(fragment);
        assert!(dom.contains(r#"data-checked="yes""#), "{what}: {dom}");
        assert!(
            dom.contains(r#"<form id="credential" class="check" method="post""#),
            "{what}"
        );
        assert!(
            !dom.contains(&format!(r#"action="{path}">"#)),
            "{what}: hidden: {dom}"
        );
    }

    let reply = app.post(
        &path,
        None,
        "application/x-www-form-urlencoded",
        form(&record).as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.headers["content-disposition"].contains("attachment"));
    assert_eq!(reply.headers["cache-control"], "no-store");
    let held = reply.json();
    let (_, _, organizers) = credential_of(&app, first, "");
    let organizers: Value = serde_json::from_slice(&organizers).unwrap();
    assert_eq!(held, organizers, "the same signed credential");
    assert_eq!(
        held["credential"]["credentialSubject"]["name"],
        "Сейтқали Айгерім Нұрланқызы"
    );

    let json = serde_json::json!({"record": record}).to_string();
    let reply = app.post(
        &format!("{path}?format=jwt"),
        None,
        "application/json",
        json.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.text(), held["compactJwsString"].as_str().unwrap());

    // The code alone, another paper's record, a changed record: the same 404.
    for refused in ["", other_record.as_str(), &record[..record.len() - 2]] {
        let reply = app.post(
            &path,
            None,
            "application/x-www-form-urlencoded",
            form(refused).as_bytes(),
        );
        assert_eq!(reply.status, 404, "{refused}: {}", reply.text());
    }
    let reply = app.post(
        "/api/v1/verify/ABCD-EFGH-JKMN/credential",
        None,
        "application/x-www-form-urlencoded",
        form(&record).as_bytes(),
    );
    assert_eq!(reply.status, 404);

    // Revoked: the holder gets no new credential.
    let revoke = app.post_json(
        &format!("/api/v1/documents/{}/revoke", first["id"].as_str().unwrap()),
        &serde_json::json!({"reason": "Ошибка"}),
    );
    assert_eq!(revoke.status, 200);
    let reply = app.post(
        &path,
        None,
        "application/x-www-form-urlencoded",
        form(&record).as_bytes(),
    );
    assert_eq!(reply.status, 404);
}

#[test]
fn credentials_issuer_profile_and_status_list_are_public() {
    let app = TestApp::spawn();
    let (paper, _) = issued(&app);
    let (_, _, body) = credential_of(&app, &paper, "");
    let credential = serde_json::from_slice::<Value>(&body).unwrap()["credential"].clone();
    let issuer = &credential["issuer"];
    let prefix = format!("{}/", app.settings.public_url.trim_end_matches('/'));
    let local = |url: &str| {
        url.strip_prefix(&prefix)
            .map(|p| format!("/{p}"))
            .expect("our URL")
    };

    // The issuer is the organization's DID; its profile is where the achievements are named from.
    assert_eq!(issuer["id"], "did:web:verify.gramota.test:o:dvorets-test");
    let achievement = credential["credentialSubject"]["achievement"]["id"]
        .as_str()
        .unwrap();
    let (profile_url, _) = achievement.split_once('#').expect("a fragment of the profile");
    let profile = app.get(&local(profile_url), None);
    assert_eq!(profile.status, 200, "{}", profile.text());
    let profile = profile.json();
    assert_eq!(profile["id"], issuer["id"]);
    assert_eq!(profile["type"], serde_json::json!(["Profile"]));
    assert!(profile["name"].is_string());

    let list_url = credential["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap();
    let list = app.get(&local(list_url), None);
    assert_eq!(list.status, 200);
    assert_eq!(list.headers["content-type"], "application/vc+jwt");
    assert!(list.headers["cache-control"].starts_with("public, max-age="));
    let list = payload_of(&list.text());
    assert_eq!(list["id"], list_url);
    assert_eq!(list["issuer"], issuer["id"]);
    assert_eq!(list["credentialSubject"]["statusPurpose"], "revocation");

    assert_eq!(app.get("/api/v1/issuers/no-such-issuer", None).status, 404);
    assert_eq!(
        app.get("/api/v1/issuers/no-such-issuer/status-list", None).status,
        404
    );
    // Another organization's paper is not found for this organizer.
    let stranger = TestApp::token_for(&app.settings, "another-center");
    let id = paper["id"].as_str().unwrap();
    let reply = app.get(&format!("/api/v1/documents/{id}/credential"), Some(&stranger));
    assert_eq!(reply.status, 404);
}

#[test]
fn credentials_of_letters_courses_and_participation_verify_and_conform() {
    let app = TestApp::spawn();
    let create = |body: Value| {
        let reply = app.post_json("/api/v1/competitions", &body);
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()["id"].as_str().unwrap().to_string()
    };
    let contest =
        create(serde_json::json!({"title": "«Жас зерттеуші»", "language": "kk", "ends_on": "2026-11-20"}));
    let reply = app.upload(
        &contest,
        "ФИО,Руководитель,Место\nСейтқали Айгерім,Ахметова Г.С.,Участник\nИванов Пётр,Ахметова Г.С.,2 место\n",
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    app.issue_and_wait(&contest);
    let course = create(
        serde_json::json!({"title": "Робототехника негіздері", "kind": "course", "hours": 72,
                                           "language": "en", "ends_on": "2026-11-20"}),
    );
    let reply = app.upload(&course, "ФИО,ИИН\nНұрланұлы Дәулет,070512600127\n");
    assert_eq!(reply.status, 200, "{}", reply.text());
    app.issue_and_wait(&course);

    let mut papers = app.documents(&contest);
    papers.extend(app.documents(&course));
    let pick = |kind: &str| papers.iter().find(|d| d["kind"] == kind).cloned().expect(kind);
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut credentials = Vec::new();
    for kind in ["letter", "certificate", "course"] {
        let (status, _, body) = credential_of(&app, &pick(kind), "");
        assert_eq!(status, 200, "{kind}: {}", String::from_utf8_lossy(&body));
        files.push(write(dir.path(), &format!("{kind}.json"), &body));
        credentials.push(serde_json::from_slice::<Value>(&body).unwrap()["credential"].clone());
    }
    let [letter, certificate, course] = &credentials[..] else {
        unreachable!()
    };

    let letter_text = letter.to_string();
    assert_eq!(letter["credentialSubject"]["name"], "Ахметова Г.С.");
    assert!(
        !letter_text.contains("Сейтқали") && !letter_text.contains("Иванов"),
        "no pupils: {letter_text}"
    );
    assert_eq!(
        letter["credentialSubject"]["achievement"]["name"],
        "Алғыс хат — «Жас зерттеуші»"
    );
    assert_eq!(
        certificate["credentialSubject"]["achievement"]["achievementType"],
        "Certificate"
    );
    assert_eq!(
        course["credentialSubject"]["achievement"]["achievementType"],
        "CertificateOfCompletion"
    );
    assert_eq!(
        course["credentialSubject"]["achievement"]["criteria"]["narrative"],
        "Has completed the course «Робототехника негіздері» (72 academic hours)"
    );
    assert!(
        !course.to_string().contains("070512600127"),
        "never the ID number"
    );

    let verdicts = verify_independently(&app, &files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    for verdict in &verdicts {
        assert_eq!(verdict["verified"], true, "{verdict}");
        assert_eq!(verdict["schema_errors"], serde_json::json!([]), "{verdict}");
        assert_eq!(verdict["revoked"], false, "{verdict}");
    }

    // A corrected paper supersedes the old one: the old credential is revoked in the list.
    let old = pick("certificate");
    let reissue = app.post_json(
        &format!("/api/v1/documents/{}/reissue", old["id"].as_str().unwrap()),
        &serde_json::json!({"holder": "Сейтқали Айгерім Нұрланқызы"}),
    );
    assert_eq!(reissue.status, 201, "{}", reissue.text());
    let verdicts = verify_independently(&app, &[files[1].as_path()]);
    assert_eq!(verdicts[0]["verified"], true, "{}", verdicts[0]);
    assert_eq!(verdicts[0]["revoked"], true, "superseded: {}", verdicts[0]);
}

/// Runs a command on files; its stdout, after checking it succeeded.
fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{program} {args:?}: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The paper's PDF from the API, written to `dir`.
fn pdf_of(app: &TestApp, document: &Value, dir: &Path) -> PathBuf {
    let id = document["id"].as_str().unwrap();
    let pdf = app.get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token));
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    write(dir, &format!("{id}.pdf"), &pdf.body)
}

/// The credential a PDF carries, as `pdfdetach` (poppler) lists and saves it.
fn detached(pdf: &Path) -> (String, Vec<u8>) {
    let pdf_text = pdf.to_str().unwrap();
    let listed = run("pdfdetach", &["-list", pdf_text]);
    let saved = pdf.with_extension("jwt");
    run(
        "pdfdetach",
        &["-save", "1", "-o", saved.to_str().unwrap(), pdf_text],
    );
    (listed, std::fs::read(&saved).unwrap())
}

#[test]
fn credentials_travel_in_the_pdf_as_an_embedded_file_and_verify_after_pdfdetach() {
    let app = TestApp::spawn();
    let (aigerim, yerasyl) = issued(&app);
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, paper) in [("aigerim", &aigerim), ("yerasyl", &yerasyl)] {
        let pdf = pdf_of(&app, paper, dir.path());
        let pdf_text = pdf.to_str().unwrap();
        let checked = run("qpdf", &["--check", pdf_text]);
        assert!(
            checked.contains("No syntax or stream encoding errors"),
            "{checked}"
        );
        let (listed, jwt) = detached(&pdf);
        assert!(
            listed.contains("1 embedded files") && listed.contains("1: credential.jwt"),
            "{listed}"
        );
        // The very credential the API serves, byte for byte, and its JSON.
        let (status, _, served) = credential_of(&app, paper, "?format=jwt");
        assert_eq!(status, 200);
        assert_eq!(jwt, served, "{name}: the PDF carries what the API serves");
        let (_, _, json) = credential_of(&app, paper, "");
        let json: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(json["compactJwsString"].as_str().unwrap().as_bytes(), &jwt[..]);
        assert_eq!(payload_of(std::str::from_utf8(&jwt).unwrap()), json["credential"]);
        // The file's dictionary says what it is, for PDF/A-3 and PDF 2.0 readers.
        let raw = String::from_utf8_lossy(&std::fs::read(&pdf).unwrap()).into_owned();
        for said in [
            "/AF[",
            "/AFRelationship/Alternative",
            "/Subtype/application#2Fvc+jwt",
            &format!("/Params<</Size {}>>", jwt.len()),
        ] {
            assert!(raw.contains(said), "{name}: {said}");
        }
        // And the QR code still reads, the signed record after `#`.
        let scanned = decode_qr(&pdf);
        let verify_url = paper["verify_url"].as_str().unwrap();
        assert!(
            scanned.starts_with(&format!("{verify_url}#")),
            "{name}: {scanned}"
        );
        files.push(write(dir.path(), &format!("{name}.jwt"), &jwt));
    }

    // One changed field under the same signature: the holder's name.
    let genuine = String::from_utf8(std::fs::read(&files[0]).unwrap()).unwrap();
    let parts: Vec<&str> = genuine.split('.').collect();
    let mut changed = payload_of(&genuine);
    changed["credentialSubject"]["name"] = Value::from("Сейтқали Әйгерім Нұрланқызы");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        BASE64URL_NOPAD.encode(changed.to_string().as_bytes()),
        parts[2]
    );
    files.push(write(dir.path(), "changed.jwt", forged.as_bytes()));

    let revoke = app.post_json(
        &format!("/api/v1/documents/{}/revoke", yerasyl["id"].as_str().unwrap()),
        &serde_json::json!({"reason": "Ошибка в фамилии"}),
    );
    assert_eq!(revoke.status, 200, "{}", revoke.text());
    let verdicts = verify_independently(&app, &files.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let [genuine, revoked, changed] = &verdicts[..] else {
        panic!("three verdicts: {verdicts:?}")
    };
    for verdict in [genuine, revoked] {
        assert_eq!(verdict["verified"], true, "{verdict}");
        assert_eq!(verdict["schema_errors"], serde_json::json!([]), "{verdict}");
        assert!(
            verdict["kid"]
                .as_str()
                .unwrap()
                .starts_with("did:web:verify.gramota.test:o:dvorets-test#"),
            "resolved through the DID document: {verdict}"
        );
    }
    assert_eq!(genuine["revoked"], false, "{genuine}");
    assert_eq!(
        revoked["revoked"], true,
        "the status list says revoked: {revoked}"
    );
    assert_eq!(changed["verified"], false, "{changed}");
    assert!(
        changed["error"].as_str().unwrap().contains("signature"),
        "{changed}"
    );
}

#[test]
fn credentials_of_a_letter_a_course_and_a_corrected_paper_are_embedded_too() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/v1/competitions",
        &serde_json::json!({"title": "«Жас зерттеуші»", "language": "kk", "ends_on": "2026-11-20"}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let contest = reply.json()["id"].as_str().unwrap().to_string();
    let reply = app.upload(
        &contest,
        "ФИО,Руководитель,Место\nСейтқали Айгерім,Ахметова Г.С.,Участник\nИванов Пётр,Ахметова Г.С.,2 место\n",
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    app.issue_and_wait(&contest);
    let papers = app.documents(&contest);
    let letter = papers.iter().find(|d| d["kind"] == "letter").expect("a letter");
    let certificate = papers
        .iter()
        .find(|d| d["kind"] == "certificate")
        .expect("a certificate");
    let reissue = app.post_json(
        &format!(
            "/api/v1/documents/{}/reissue",
            certificate["id"].as_str().unwrap()
        ),
        &serde_json::json!({"holder": "Сейтқали Айгерім Нұрланқызы"}),
    );
    assert_eq!(reissue.status, 201, "{}", reissue.text());
    let corrected = reissue.json();
    let dir = tempfile::tempdir().unwrap();
    let mut places = Vec::new();
    for paper in [letter, &corrected] {
        let (_, jwt) = detached(&pdf_of(&app, paper, dir.path()));
        let (_, _, served) = credential_of(&app, paper, "?format=jwt");
        assert_eq!(jwt, served, "{paper}");
        let credential = payload_of(std::str::from_utf8(&jwt).unwrap());
        assert_eq!(credential["id"], paper["verify_url"]);
        places.push(credential["credentialStatus"]["statusListIndex"].clone());
    }
    assert_ne!(places[0], places[1], "each paper its own place: {places:?}");
    assert_eq!(
        payload_of(std::str::from_utf8(&detached(&pdf_of(&app, &corrected, dir.path())).1).unwrap())
            ["credentialSubject"]["name"],
        "Сейтқали Айгерім Нұрланқызы"
    );
}

#[test]
fn credentials_did_document_lists_every_key_and_resolves_old_and_new_kids() {
    let secret = gramota::config::SigningSecret::generate();
    let app = TestApp::spawn_with_env(&[("GRAMOTA_SIGNING_SECRET", &secret)]);
    let (before, _) = issued(&app);
    let kid_of = |paper: &Value| {
        let (_, _, jwt) = credential_of(&app, paper, "?format=jwt");
        let jwt = String::from_utf8(jwt).unwrap();
        let header: Value = serde_json::from_slice(
            &BASE64URL_NOPAD
                .decode(jwt.split('.').next().unwrap().as_bytes())
                .unwrap(),
        )
        .unwrap();
        (header["kid"].as_str().unwrap().to_string(), jwt)
    };
    let (old_kid, old_jwt) = kid_of(&before);

    let did = "did:web:verify.gramota.test:o:dvorets-test";
    let document = app.get("/o/dvorets-test/did.json", None);
    assert_eq!(document.status, 200, "{}", document.text());
    assert_eq!(document.headers["content-type"], "application/did+json");
    assert!(document.headers["cache-control"].starts_with("public"));
    let document = document.json();
    assert_eq!(document["id"], did);
    let methods = |document: &Value| -> Vec<String> {
        document["verificationMethod"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(methods(&document).contains(&old_kid), "{document}");
    assert!(
        !document.to_string().contains("\"d\""),
        "no private key: {document}"
    );
    let method = &document["verificationMethod"][0];
    assert_eq!(method["type"], "JsonWebKey");
    assert_eq!(method["controller"], did);
    assert_eq!(method["publicKeyJwk"]["crv"], "Ed25519");
    // The same keys as the published key set.
    let set = app.get("/.well-known/gramota-keys.json", None).json();
    let xs = |keys: Vec<&Value>| {
        let mut xs: Vec<String> = keys
            .iter()
            .map(|k| k["x"].as_str().unwrap().to_string())
            .collect();
        xs.sort();
        xs
    };
    assert_eq!(
        xs(document["verificationMethod"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["publicKeyJwk"])
            .collect()),
        xs(set["keys"].as_array().unwrap().iter().collect())
    );
    assert_eq!(app.get("/o/no-such-center/did.json", None).status, 404);

    // After a rotation the document lists both keys: a credential signed before still resolves.
    let new_key = gramota::commands::keys::rotate(&app.settings).unwrap();
    let competition = app.create_competition("Шығармашылық байқау");
    assert_eq!(app.upload(&competition, RESULTS).status, 200);
    app.issue_and_wait(&competition);
    let after = app.documents(&competition).remove(0);
    let (new_kid, new_jwt) = kid_of(&after);
    assert_eq!(new_kid, format!("{did}#{new_key}"));
    assert_ne!(new_kid, old_kid);
    let document = app.get("/o/dvorets-test/did.json", None).json();
    let listed = methods(&document);
    assert!(
        listed.contains(&old_kid) && listed.contains(&new_kid),
        "{listed:?}"
    );
    // The paper issued before keeps its credential, signed by the key of its day.
    assert_eq!(kid_of(&before), (old_kid, old_jwt.clone()));
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(dir.path(), "old.jwt", old_jwt.as_bytes()),
        write(dir.path(), "new.jwt", new_jwt.as_bytes()),
    ];
    for verdict in verify_independently(&app, &files.iter().map(PathBuf::as_path).collect::<Vec<_>>()) {
        assert_eq!(verdict["verified"], true, "{verdict}");
        assert_eq!(verdict["revoked"], false, "{verdict}");
    }
}

#[test]
fn credentials_of_papers_issued_before_are_still_made_on_request() {
    let app = TestApp::spawn();
    let (paper, _) = issued(&app);
    let id = paper["id"].as_str().unwrap();
    let pdf_before = app.get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token));
    // As a paper issued before credentials were made at issue: none kept, no place yet.
    let db = gramota::db::Db::connect(&app.settings.database_url, 1).unwrap();
    let sql = |statement: String| {
        diesel::RunQueryDsl::execute(diesel::sql_query(statement), &mut *db.conn().unwrap()).unwrap()
    };
    assert_eq!(
        sql(format!(
            "DELETE FROM document_credentials WHERE document_id = '{id}'"
        )),
        1
    );
    assert_eq!(
        sql(format!(
            "DELETE FROM credential_status WHERE document_id = '{id}'"
        )),
        1
    );

    let (status, _, first) = credential_of(&app, &paper, "?format=jwt");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&first));
    let (_, _, second) = credential_of(&app, &paper, "?format=jwt");
    let place = |jwt: &[u8]| {
        payload_of(std::str::from_utf8(jwt).unwrap())["credentialStatus"]["statusListIndex"].clone()
    };
    assert_eq!(place(&first), place(&second), "its place, given once, is kept");
    // Kept in the table (an UPDATE that changes nothing counts the rows it matches).
    assert_eq!(
        sql(format!(
            "UPDATE credential_status SET list_index = list_index WHERE document_id = '{id}'"
        )),
        1
    );
    let pdf_after = app.get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token));
    assert!(
        pdf_after.body == pdf_before.body,
        "its PDF is the one it was issued with"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "made-now.jwt", &first);
    let verdicts = verify_independently(&app, &[file.as_path()]);
    assert_eq!(verdicts[0]["verified"], true, "{}", verdicts[0]);
    assert_eq!(
        verdicts[0]["schema_errors"],
        serde_json::json!([]),
        "{}",
        verdicts[0]
    );
    assert_eq!(verdicts[0]["revoked"], false, "{}", verdicts[0]);
}
