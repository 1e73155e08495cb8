//! Several instances of one deployment on one database, each with its own empty data folder (no
//! shared file system): any instance serves any paper, byte for byte, and all sign with one key set
//! made from one shared secret.

use gramota::config::SigningSecret;
use gramota::trust::jwks::{self, Jwks};

use crate::helpers::{decode_qr, kazakh_results_csv, TestApp};

fn instance_a(secret: &str) -> TestApp {
    TestApp::spawn_with_env(&[("GRAMOTA_SIGNING_SECRET", secret)])
}

fn key_set(app: &TestApp) -> Jwks {
    serde_json::from_slice(&app.get("/.well-known/gramota-keys.json", None).body).unwrap()
}

/// The key id a paper's QR code was signed with, checked against `app`'s published keys.
fn signed_with(app: &TestApp, document: &serde_json::Value) -> String {
    let id = document["id"].as_str().unwrap();
    let pdf = app.get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token));
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("paper.pdf"), &pdf.body).unwrap();
    let scanned = decode_qr(&dir.path().join("paper.pdf"));
    let (_, fragment) = scanned.split_once('#').expect("a signed record in the QR code");
    let keyring = jwks::keyring_from(&key_set(app));
    let code = document["code"].as_str().unwrap();
    gramota::trust::record::verify(fragment, code, &keyring)
        .unwrap_or_else(|e| panic!("{code} verifies with {}'s keys: {e}", app.address))
        .kid
}

#[test]
fn a_second_instance_serves_every_paper_of_the_first_byte_for_byte_and_revokes_for_both() {
    let secret = SigningSecret::generate();
    let a = instance_a(&secret);
    let competition = a.create_competition("Облыстық шығармашылық байқауы");
    let uploaded = a.upload(&competition, &kazakh_results_csv(500));
    assert_eq!(uploaded.status, 200, "{}", uploaded.text());
    a.issue_and_wait(&competition);
    let documents = a.documents(&competition);
    assert_eq!(documents.len(), 500);

    let b = a
        .another_instance(&[("GRAMOTA_SIGNING_SECRET", &secret)])
        .expect("the second instance starts");
    let b_documents = b.data_dir().join("documents");
    assert!(
        !b_documents.join(&competition).exists(),
        "B starts with none of A's papers"
    );

    let zip = format!("/api/v1/competitions/{competition}/documents.zip");
    let from_a = a.get(&zip, Some(&a.token));
    let from_b = b.get(&zip, Some(&b.token));
    assert_eq!(from_b.status, 200, "{}", from_b.text());
    assert!(from_a.body == from_b.body, "B's ZIP is A's, byte for byte");
    assert!(b_documents.join(&competition).exists(), "B kept what it rendered");
    let again = b.get(&zip, Some(&b.token));
    assert!(again.body == from_a.body, "and reads it back from its own disk");

    let print = format!("/api/v1/competitions/{competition}/documents.pdf");
    let (print_a, print_b) = (a.get(&print, Some(&a.token)), b.get(&print, Some(&b.token)));
    assert_eq!(print_b.status, 200, "{}", print_b.text());
    assert!(
        print_a.body == print_b.body,
        "the print file is the same from either"
    );

    let paper = |app: &TestApp, id: &str| app.get(&format!("/api/v1/documents/{id}/pdf"), Some(&app.token));
    let one = documents[123]["id"].as_str().unwrap();
    let single_a = paper(&a, one);
    assert_eq!(single_a.status, 200);
    let c = a
        .another_instance(&[("GRAMOTA_SIGNING_SECRET", &secret)])
        .expect("a third instance starts");
    let single_c = paper(&c, one);
    assert_eq!(single_c.status, 200, "{}", single_c.text());
    assert!(
        single_a.body == single_c.body,
        "one PDF, from an instance that never made a ZIP"
    );
    // Rendered again with the Open Badges credential it carries, signed when it was issued.
    let embedded = b"/EmbeddedFiles<</Names[(credential.jwt) ";
    assert!(
        single_c.body.windows(embedded.len()).any(|w| w == embedded),
        "the paper carries its credential"
    );

    // Revoked through B: A's verification page says so at once.
    // A keeps the papers it verified in memory; a revocation through B reaches A's page within a
    // tenth of a second (the database names the changed paper, A reads the names 10 times a second).
    let revoked = &documents[7];
    let id = revoked["id"].as_str().unwrap();
    let code = revoked["code"].as_str().unwrap();
    for _ in 0..3 {
        assert_eq!(
            a.get(&format!("/api/v1/verify/{code}"), None).json()["status"],
            "valid"
        );
    }
    let reply = b.post_json(
        &format!("/api/v1/documents/{id}/revoke"),
        &serde_json::json!({"reason": "ошибка в фамилии"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        b.get(&format!("/api/v1/verify/{code}"), None).json()["status"],
        "revoked",
        "at once on the instance that revoked"
    );
    let revoked_at = std::time::Instant::now();
    let seen = loop {
        let seen = a.get(&format!("/api/v1/verify/{code}"), None).json();
        if seen["status"] == "revoked" || revoked_at.elapsed() > std::time::Duration::from_secs(2) {
            break seen;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert_eq!(seen["status"], "revoked", "{seen}");
    let took = revoked_at.elapsed();
    assert!(
        took < std::time::Duration::from_millis(500),
        "A saw the revocation after {took:?}"
    );

    // One key set: B publishes A's keys, and A's papers verify with them.
    let kids = |set: Jwks| set.keys.into_iter().map(|k| k.kid).collect::<Vec<_>>();
    assert_eq!(kids(key_set(&a)), kids(key_set(&b)));
    assert_eq!(signed_with(&b, &documents[0]), signed_with(&a, &documents[0]));
}

#[test]
fn another_secret_is_refused_and_a_rotation_through_one_instance_is_used_by_the_others() {
    let secret = SigningSecret::generate();
    let a = instance_a(&secret);
    let first = a.create_competition("Жас зерттеушілер байқауы");
    assert_eq!(a.upload(&first, &kazakh_results_csv(3)).status, 200);
    a.issue_and_wait(&first);
    let old = a.documents(&first).remove(0);
    let old_kid = signed_with(&a, &old);

    let other = SigningSecret::generate();
    let refused = a
        .another_instance(&[("GRAMOTA_SIGNING_SECRET", &other)])
        .err()
        .expect("an instance with another secret does not start");
    let message = refused.to_string();
    assert!(message.contains("signing secret is not the one"), "{message}");
    assert!(
        !message.contains(&other) && !message.contains(&secret),
        "no secret in the message"
    );

    let b = a
        .another_instance(&[("GRAMOTA_SIGNING_SECRET", &secret)])
        .expect("the same secret starts");
    // Rotated through A, as `gramota keys rotate` on A's machine does it.
    let new_kid = gramota::commands::keys::rotate(&a.settings).unwrap();
    assert_ne!(new_kid, old_kid);
    let second = b.create_competition("Шығармашылық байқау");
    assert_eq!(b.upload(&second, &kazakh_results_csv(3)).status, 200);
    b.issue_and_wait(&second);
    let new = b.documents(&second).remove(0);
    assert_eq!(signed_with(&b, &new), new_kid, "B signs with the key A made");
    assert_eq!(signed_with(&a, &new), new_kid, "A verifies B's new paper");
    assert_eq!(signed_with(&b, &old), old_kid, "B verifies A's old paper");
    let listed = gramota::commands::keys::list(&b.settings).unwrap();
    assert!(
        listed
            .iter()
            .any(|l| l.starts_with(&old_kid) && l.contains("retired")),
        "{listed:?}"
    );
}
