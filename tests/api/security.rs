//! The security audit's findings (issue 17), each reproduced as the attack it was: a crowd of
//! sign-ins, a reverse proxy in front, parallel password guessing, a flood of long e-mails, a
//! disabled person's tokens, secrets in the request log.

use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl};

use crate::helpers::{gramota_bin, test_settings, TestApp, TestDatabase};
use crate::webapp::{account, Browser, PASSWORD};

/// A CSRF token a client makes up itself: before signing in the token is a cookie of its own.
const CSRF: &str = "5e1f0c4a9b7d3e2f1a0c9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f";

/// An HTTP answer: status, headers (lower-case names) and body as text.
struct Answer {
    status: u16,
    retry_after: Option<String>,
    body: String,
    took: Duration,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

/// One `POST /app/login` as a script sends it, optionally through a proxy that names the client.
fn sign_in(address: &str, email: &str, password: &str, forwarded_for: Option<&str>) -> Answer {
    let body = serde_urlencoded::to_string([("csrf", CSRF), ("email", email), ("password", password)])
        .expect("a form");
    let mut request = agent()
        .post(format!("{address}/app/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept-Language", "ru")
        .header("Cookie", format!("gramota_csrf={CSRF}"));
    if let Some(client) = forwarded_for {
        request = request.header("X-Forwarded-For", client);
    }
    let started = Instant::now();
    let mut response = request.send(body.as_bytes()).expect("the server answers");
    let mut text = String::new();
    let _ = response.body_mut().as_reader().read_to_string(&mut text);
    Answer {
        status: response.status().as_u16(),
        retry_after: response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: text,
        took: started.elapsed(),
    }
}

fn get(address: &str, path: &str, headers: &[(&str, &str)]) -> u16 {
    let mut request = agent().get(format!("{address}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.call().expect("the server answers").status().as_u16()
}

/// Runs `count` sign-ins at once, each from its own thread, and gathers the answers.
fn at_once(count: usize, each: impl Fn(usize) -> Answer + Send + Sync + 'static) -> Vec<Answer> {
    let each = std::sync::Arc::new(each);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(count));
    let threads: Vec<_> = (0..count)
        .map(|i| {
            let (each, barrier) = (each.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                each(i)
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().expect("a sign-in thread"))
        .collect()
}

/// `gramota serve` as its own process, so its memory and its log are its own.
struct Served {
    child: Child,
    address: String,
    log: PathBuf,
    _database: TestDatabase,
    _dir: tempfile::TempDir,
}

impl Served {
    fn start() -> Served {
        let dir = tempfile::tempdir().expect("temp dir");
        let (settings, database) = test_settings(dir.path());
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = dir.path().join("serve.log");
        let child = Command::new(gramota_bin())
            .arg("serve")
            .current_dir(dir.path())
            .env("GRAMOTA_BIND", format!("127.0.0.1:{port}"))
            .env("GRAMOTA_DATA_DIR", dir.path().join("data"))
            .env("DATABASE_URL", &settings.database_url)
            .env("GRAMOTA_PUBLIC_URL", "https://verify.gramota.test")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("a log file"))
            .spawn()
            .expect("gramota serve starts");
        let served = Served {
            child,
            address: format!("http://127.0.0.1:{port}"),
            log,
            _database: database,
            _dir: dir,
        };
        let started = Instant::now();
        while agent()
            .get(format!("{}/healthz", served.address))
            .call()
            .map(|r| r.status().as_u16())
            .unwrap_or(0)
            != 200
        {
            assert!(started.elapsed() < Duration::from_secs(60), "serve did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        served
    }

    /// A line of /proc/PID/status in MiB: `VmRSS` now, `VmHWM` the peak so far.
    fn memory_mib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("status");
        let line = status
            .lines()
            .find(|l| l.starts_with(field))
            .unwrap_or_else(|| panic!("{field} in /proc/PID/status"));
        let kib: u64 = line
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .expect("a number of kB");
        kib / 1024
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Finding 1: every sign-in, even for an e-mail without an account, runs Argon2 with 19 MiB. A
/// crowd of them at once must not all run (the server took 3.2 GB and kept it): past a small cap
/// the rest are refused at once with 503 and `Retry-After`, and the memory is given back.
#[test]
fn a_crowd_of_sign_ins_without_accounts_is_refused_quickly_instead_of_exhausting_memory() {
    let served = Served::start();
    // Warm up: the decoy hash is made once, the first workers and pools start.
    for i in 0..3 {
        let warm = sign_in(&served.address, &format!("warm{i}@nowhere.kz"), "guess", None);
        assert_eq!(warm.status, 401, "{}", warm.body);
    }
    let before = served.memory_mib("VmRSS");
    let address = served.address.clone();
    let answers = at_once(150, move |i| {
        sign_in(&address, &format!("stranger{i}@nowhere.kz"), "guess", None)
    });
    let peak = served.memory_mib("VmHWM");
    let refused: Vec<_> = answers.iter().filter(|a| a.status == 503).collect();
    let tried = answers.iter().filter(|a| a.status == 401).count();
    assert_eq!(
        refused.len() + tried,
        150,
        "every answer is a refusal or a wrong password: {:?}",
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    assert!(
        !refused.is_empty(),
        "150 sign-ins at once all ran Argon2 ({tried} wrong-password answers, none refused); \
         memory went from {before} MiB to a peak of {peak} MiB"
    );
    for answer in &refused {
        let retry: u64 = answer
            .retry_after
            .as_deref()
            .and_then(|v| v.parse().ok())
            .expect("a refusal says when to come back");
        assert!((1..=60).contains(&retry), "{retry}");
        assert!(
            answer.took < Duration::from_secs(5),
            "refused quickly: {:?}",
            answer.took
        );
    }
    assert!(
        peak < before + 250,
        "the peak stays bounded: {before} MiB before, {peak} MiB at the peak"
    );
    std::thread::sleep(Duration::from_millis(500));
    let after = served.memory_mib("VmRSS");
    eprintln!(
        "150 sign-ins at once: {} refused, {tried} checked; {before} MiB before, peak {peak} MiB, {after} MiB after",
        refused.len()
    );
    assert!(
        after < before + 80,
        "the memory is given back: {before} MiB before, {after} MiB after"
    );
}

/// Finding 2: behind a reverse proxy every client had the proxy's address. With the proxy
/// trusted, each client behind it has its own public rate limit.
#[test]
fn behind_a_trusted_proxy_each_client_has_its_own_rate_limit() {
    let app = TestApp::spawn_with_env(&[
        ("GRAMOTA_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
        ("GRAMOTA_RATE_LIMIT_PER_MINUTE", "5"),
    ]);
    let path = "/api/v1/verify/ABCD-EFGH-JKMN";
    let first = [("X-Forwarded-For", "203.0.113.7, 10.1.2.3")];
    for _ in 0..5 {
        assert_ne!(get(&app.address, path, &first), 429);
    }
    assert_eq!(get(&app.address, path, &first), 429, "the sixth request waits");
    // Another phone behind the same proxy is not in the first one's bucket.
    let second = [("X-Forwarded-For", "198.51.100.20")];
    assert_ne!(
        get(&app.address, path, &second),
        429,
        "a second client behind the proxy shares the first one's bucket"
    );
    // RFC 7239 says the same.
    let third = [("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https")];
    assert_ne!(get(&app.address, path, &third), 429);
    // A client cannot escape by naming itself: the first one, lying about who it is on the left.
    let liar = [("X-Forwarded-For", "192.0.2.99, 203.0.113.7")];
    assert_eq!(
        get(&app.address, path, &liar),
        429,
        "the right-most untrusted address counts"
    );
}

/// Without trusted proxies, `X-Forwarded-For` is the client's own claim and is not believed.
#[test]
fn without_trusted_proxies_forwarded_headers_are_ignored() {
    let app = TestApp::spawn_with_env(&[("GRAMOTA_RATE_LIMIT_PER_MINUTE", "3")]);
    let path = "/api/v1/verify/ABCD-EFGH-JKMN";
    for i in 0..3 {
        let claim = format!("203.0.113.{i}");
        assert_ne!(get(&app.address, path, &[("X-Forwarded-For", &claim)]), 429);
    }
    assert_eq!(
        get(&app.address, path, &[("X-Forwarded-For", "198.51.100.1")]),
        429
    );
}

/// Finding 2: ten wrong passwords from anyone locked the account for 15 minutes, the owner's
/// right password refused too. Wrong passwords count per account and client.
#[test]
fn wrong_passwords_from_another_client_do_not_lock_the_owner_out() {
    let app = TestApp::spawn_with_env(&[("GRAMOTA_TRUSTED_PROXIES", "127.0.0.1")]);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let attacker = Some("198.51.100.66");
    for attempt in 1..=10 {
        let answer = sign_in(&app.address, "metodist@dvorets.kz", "wrong password", attacker);
        assert_eq!(answer.status, 401, "attempt {attempt}");
    }
    let locked = sign_in(&app.address, "metodist@dvorets.kz", PASSWORD, attacker);
    assert_eq!(locked.status, 429, "the guessing client waits: {}", locked.body);
    let owner = sign_in(&app.address, "metodist@dvorets.kz", PASSWORD, Some("203.0.113.5"));
    assert_eq!(
        owner.status, 303,
        "the owner, from their own address, signs in: {}",
        owner.body
    );
}

/// Finding 3: the throttle checked, then verified, then counted: 40 wrong passwords at once got
/// 28 real tries against a limit of 10. An attempt is reserved before the password is checked.
#[test]
fn parallel_wrong_passwords_get_no_more_tries_than_the_limit() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let address = app.address.clone();
    let answers = at_once(40, move |_| {
        sign_in(&address, "metodist@dvorets.kz", "wrong password", None)
    });
    let tried = answers.iter().filter(|a| a.status == 401).count();
    assert!(
        answers.iter().all(|a| [401, 429, 503].contains(&a.status)),
        "{:?}",
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    assert!(
        tried <= 10,
        "{tried} passwords were checked against a limit of 10"
    );
    // Tries refused as too many at once (503) were not checked and do not count: the rest of the
    // ten are there, and not one more.
    let mut checked = tried;
    for _ in 0..20 {
        match sign_in(&app.address, "metodist@dvorets.kz", "wrong password", None).status {
            401 => checked += 1,
            429 => break,
            other => panic!("{other}"),
        }
    }
    assert_eq!(checked, 10, "wrong passwords checked in all");
    assert_eq!(
        sign_in(&app.address, "metodist@dvorets.kz", PASSWORD, None).status,
        429,
        "the limit holds for the right password as well"
    );
}

/// The database's size in bytes, as its own engine counts it.
fn database_bytes(url: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Size {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    if url.starts_with("postgres") {
        let mut conn = diesel::PgConnection::establish(url).expect("PostgreSQL");
        diesel::sql_query("SELECT pg_database_size(current_database())::BIGINT AS n")
            .get_result::<Size>(&mut conn)
            .expect("size")
            .n
    } else {
        let mut conn = diesel::SqliteConnection::establish(url).expect("SQLite");
        diesel::sql_query("SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()")
            .get_result::<Size>(&mut conn)
            .expect("size")
            .n
    }
}

/// Finding 4: each failed sign-in stored the raw e-mail field, up to 64 KB: 100 requests grew the
/// database by 10 MB. The field is bounded and only a short key of it is kept.
#[test]
fn failed_sign_ins_with_huge_emails_do_not_grow_the_database() {
    let app = TestApp::spawn();
    let before = database_bytes(&app.settings.database_url);
    for i in 0..100 {
        // Random letters, so no storage engine compresses them away.
        let noise: String = (0..60_000)
            .map(|n| char::from(b'a' + ((n * 7 + i * 13 + n / 3 * 11) % 26) as u8))
            .collect();
        let answer = sign_in(&app.address, &format!("{noise}{i}@example.kz"), "guess", None);
        assert!(
            [400, 401].contains(&answer.status),
            "{} {}",
            answer.status,
            answer.body
        );
    }
    let grown = database_bytes(&app.settings.database_url) - before;
    assert!(
        grown < 1024 * 1024,
        "100 failed sign-ins grew the database by {grown} bytes"
    );
}

/// A person's id, read from the people page: the card `id="person-ID"` that holds their e-mail.
fn person_id(page: &str, email: &str) -> String {
    let at = page.find(email).unwrap_or_else(|| panic!("{email} on the page"));
    let card = page[..at].rfind("id=\"person-").expect("a person card") + 11;
    page[card..card + 36].to_string()
}

/// Finding 8: disabling a person left the API tokens they had made working.
#[test]
fn a_disabled_persons_api_tokens_are_refused() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "admin@dvorets.kz", "admin");
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut organizer = Browser::new(&app);
    assert_eq!(organizer.sign_in("metodist@dvorets.kz", PASSWORD).status, 303);
    let csrf = organizer.csrf();
    let made = organizer.post("/app/tokens", &[("csrf", &csrf), ("label", "script")]);
    assert_eq!(made.status, 200, "{}", made.text());
    let text = made.text();
    let at = text.find("id=\"new-token\"").expect("the new token is shown");
    let value = text[..at].rfind("value=\"").expect("its value") + 7;
    let token = text[value..value + text[value..].find('"').expect("a quote")].to_string();
    assert!(token.starts_with("gmt_"), "{token}");
    assert_eq!(app.get("/api/v1/competitions", Some(&token)).status, 200);
    // The admin's own token keeps working; the command-line token too.
    let mut admin = Browser::new(&app);
    assert_eq!(admin.sign_in("admin@dvorets.kz", PASSWORD).status, 303);
    let people = admin.get("/app/people");
    let page = people.text().replace("&#x2f;", "/");
    let id = person_id(&page, "metodist@dvorets.kz");
    let disabled = admin.post(&format!("/app/people/{id}/disable"), &[("csrf", &people.csrf())]);
    assert_eq!(disabled.status, 303);
    assert_eq!(
        app.get("/api/v1/competitions", Some(&token)).status,
        401,
        "the disabled person's token still works"
    );
    assert_eq!(app.get("/api/v1/competitions", Some(&app.token)).status, 200);
    // Enabled again, their tokens work again: disabling is not revoking.
    let people = admin.get("/app/people");
    admin.post(&format!("/app/people/{id}/enable"), &[("csrf", &people.csrf())]);
    assert_eq!(app.get("/api/v1/competitions", Some(&token)).status, 200);
}

/// Finding 9: the request log at INFO wrote invitation tokens, `/find` codes and surnames and
/// download tokens in full. The log keeps the route, not the secret.
#[test]
fn the_request_log_holds_no_secrets() {
    let served = Served::start();
    let invitation = "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d";
    let download = "Zq8vN3kLm2Px7Rt4Wy6Bc9Df1Gh5Jk0S";
    let code = "QWER-TYUP-ASDF";
    let surname = "Сейтқали";
    let find = format!(
        "/find?code={code}&surname={}",
        &serde_urlencoded::to_string([("", surname)]).unwrap()[1..]
    );
    for path in [
        format!("/app/invite/{invitation}"),
        format!("/d/{download}"),
        find.clone(),
        format!("/find/pdf?code={code}&surname=Seitkali"),
    ] {
        assert_ne!(get(&served.address, &path, &[]), 0);
    }
    // The log is written as requests finish; give it a moment.
    let started = Instant::now();
    while !served.log_text().contains("/find/pdf") && started.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = served.log_text();
    assert!(log.contains("/find/pdf"), "requests are logged: {log}");
    for secret in [invitation, download, code, "Seitkali", "%D0%A1%D0%B5%D0%B9%D1%82"] {
        assert!(!log.contains(secret), "the log holds {secret}: {log}");
    }
}

/// One issued paper for `holder`; returns the document's JSON.
fn issued(app: &TestApp, holder: &str) -> serde_json::Value {
    let competition = app.create_competition("Облыстық байқау «Жас ақын»");
    let csv = format!("ФИО,Школа,Место\n{holder},СОШ №12,1 место\n");
    assert_eq!(app.upload(&competition, &csv).status, 200);
    app.issue_and_wait(&competition);
    app.documents(&competition).remove(0)
}

/// Finding 5: a code alone (no paper in hand, no surname) showed a child's given name in full,
/// `/find` took any word of the name for the surname, and a paper hidden from the public was
/// still found there.
#[test]
fn a_code_alone_tells_no_given_name_and_find_wants_the_surname_of_a_public_paper() {
    let app = TestApp::spawn();
    let document = issued(&app, "Сейтқали Айгерім Нұрланқызы");
    let (id, code) = (
        document["id"].as_str().unwrap(),
        document["code"].as_str().unwrap(),
    );
    let page = app.get(&format!("/v/{code}"), None);
    assert_eq!(page.status, 200);
    assert!(
        !page.text().contains("Айгерім"),
        "the verification page shows the given name"
    );
    assert!(
        page.text().contains("А*** С."),
        "the holder still recognizes the initials"
    );
    let json = app.get(&format!("/api/v1/verify/{code}"), None).json();
    assert_eq!(json["holder"], "А*** С.", "the JSON masks the same way");

    let find = |surname: &str| {
        let query = serde_urlencoded::to_string([("code", code), ("surname", surname)]).unwrap();
        (
            app.get(&format!("/find?{query}"), None).status,
            app.get(&format!("/find/pdf?{query}"), None).status,
        )
    };
    assert_eq!(find("Айгерім"), (404, 404), "the given name is not the surname");
    assert_eq!(
        find("Нұрланқызы"),
        (404, 404),
        "the patronymic is not the surname"
    );
    assert_eq!(find(" СЕЙТҚАЛИ "), (200, 200), "the surname, in any case");

    let hidden = app.post_json(
        &format!("/api/v1/documents/{id}/visibility"),
        &serde_json::json!({"public": false}),
    );
    assert_eq!(hidden.status, 200);
    assert_eq!(
        find("Сейтқали"),
        (404, 404),
        "a paper hidden from the public is not found"
    );
}

/// Finding 6: CSV had no column limit (XLSX has 200): a line of commas took hundreds of MB, and
/// reading a header of 40,000 columns took seconds. Refused at once, in the request's language.
#[test]
fn a_csv_with_too_many_columns_is_refused_quickly() {
    let app = TestApp::spawn();
    let competition = app.create_competition("Колонки");
    let mut csv = String::from("ФИО,Место");
    for i in 0..299 {
        csv.push_str(&format!(",Поле {i}"));
    }
    csv.push_str("\nИванов Пётр,1 место\n");
    let reply = app.upload(&competition, &csv);
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(
        reply.text().contains("200"),
        "the limit is named: {}",
        reply.text()
    );

    let wide = format!("ФИО,Место{}\n", ",".repeat(40_000));
    let started = Instant::now();
    let reply = app.upload(&competition, &wide);
    let took = started.elapsed();
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("200"), "{}", reply.text());
    assert!(took < Duration::from_secs(1), "40,000 columns took {took:?}");
}

/// A valid grey PNG of `width` × `height` pixels, all black: a few KB that decode to width × height bytes.
fn huge_png(width: u32, height: u32) -> Vec<u8> {
    use std::io::Write;
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    let mut deflate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let row = vec![0u8; width as usize + 1];
    for _ in 0..height {
        deflate.write_all(&row).unwrap();
    }
    chunk(&mut png, b"IDAT", &deflate.finish().unwrap());
    chunk(&mut png, b"IEND", &[]);
    png
}

/// Finding 7: a 547 KB PNG of 12,000 × 12,000 px was accepted and one preview peaked at 1.8 GB.
/// Pictures above 40 megapixels are refused from their header, before decoding.
#[test]
fn a_picture_of_too_many_pixels_is_refused() {
    let app = TestApp::spawn();
    let made = app.post_json(
        "/api/v1/designs",
        &serde_json::json!({"name": "oblys", "from": "classic"}),
    );
    assert!([200, 201].contains(&made.status), "{}", made.text());
    let png = huge_png(8_000, 8_000);
    assert!(png.len() < 1_000_000, "{} bytes", png.len());
    let reply = app.send(
        "PUT",
        "/api/v1/designs/oblys/pictures/background",
        &app.token,
        "image/png",
        &png,
    );
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(
        reply.text().contains("40"),
        "the limit is named: {}",
        reply.text()
    );
    // A picture within the limit is still taken.
    let fine = huge_png(2_000, 1_400);
    let reply = app.send(
        "PUT",
        "/api/v1/designs/oblys/pictures/background",
        &app.token,
        "image/png",
        &fine,
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

/// Low: `/find/pdf` answered a child's paper without `no-store`, `noindex` or `nosniff`.
#[test]
fn a_found_paper_is_not_cached_indexed_or_sniffed() {
    let app = TestApp::spawn();
    let document = issued(&app, "Сейтқали Айгерім Нұрланқызы");
    let code = document["code"].as_str().unwrap();
    let query = serde_urlencoded::to_string([("code", code), ("surname", "Сейтқали")]).unwrap();
    let pdf = app.get(&format!("/find/pdf?{query}"), None);
    assert_eq!(pdf.status, 200);
    assert_eq!(
        pdf.headers.get("content-type").map(String::as_str),
        Some("application/pdf")
    );
    for (header, value) in [
        ("cache-control", "no-store"),
        ("x-robots-tag", "noindex, nofollow"),
        ("x-content-type-options", "nosniff"),
    ] {
        assert_eq!(
            pdf.headers.get(header).map(String::as_str),
            Some(value),
            "{header}"
        );
    }
}

/// Low: a database locked by another writer answered 500 after 10 s; it is "busy, come back".
#[test]
fn a_locked_database_answers_503_with_retry_after() {
    let app = TestApp::spawn();
    if app.settings.database_url.starts_with("postgres") {
        return; // SQLite's whole-file lock; PostgreSQL locks rows.
    }
    let mut holder = diesel::SqliteConnection::establish(&app.settings.database_url).expect("SQLite");
    diesel::sql_query("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .expect("the write lock");
    let reply = app.post_json(
        "/api/v1/competitions",
        &serde_json::json!({"title": "Заблокировано", "language": "ru", "ends_on": "2026-11-20"}),
    );
    diesel::sql_query("ROLLBACK")
        .execute(&mut holder)
        .expect("released");
    assert_eq!(reply.status, 503, "{}", reply.text());
    let retry: u64 = reply.headers["retry-after"].parse().expect("Retry-After");
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(reply.text().contains("занят"), "{}", reply.text());
}

/// Low: control and text-direction override characters were kept in names and titles: a name
/// with U+202E before "вортеП" prints and verifies as "Петров".
#[test]
fn control_and_direction_override_characters_are_dropped_from_names_and_titles() {
    let app = TestApp::spawn();
    let reply = app.post_json(
        "/api/v1/competitions",
        &serde_json::json!({"title": "Конкурс\u{202E}«Жас ақын»\u{0007}", "language": "ru",
                            "ends_on": "2026-11-20", "letters": false}),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
    let competition = reply.json()["id"].as_str().unwrap().to_string();
    let csv = "ФИО,Школа,Место\nИванов \u{202E}вортеП\u{2066},СОШ №1\u{200F},1 место\n";
    assert_eq!(app.upload(&competition, csv).status, 200);
    let shown = app
        .get(&format!("/api/v1/competitions/{competition}"), Some(&app.token))
        .json()["title"]
        .as_str()
        .expect("a title")
        .to_string();
    let rows = app.results_csv(&competition);
    let hidden = ['\u{202E}', '\u{2066}', '\u{200F}', '\u{0007}', '\u{0000}'];
    for text in std::iter::once(shown).chain(rows.into_iter().flatten()) {
        assert!(
            !text.chars().any(|c| hidden.contains(&c)),
            "an invisible control or direction character is kept: {text:?}"
        );
    }
}

/// Finding 8, the jury's side: a judge seated as a person with an account judges by token only
/// while that account is enabled.
#[test]
fn a_disabled_persons_jury_token_is_refused() {
    use gramota::db::{self, Db};
    use gramota::domain::account::Email;

    let app = TestApp::spawn();
    let competition = app.create_competition("Жюри");
    let base = format!("/api/v1/competitions/{competition}");
    let judge = app.post_json(
        &format!("{base}/judges"),
        &serde_json::json!({"name": "Ахметова Г.С.", "organization": "Гороно"}),
    );
    assert_eq!(judge.status, 201, "{}", judge.text());
    let (judge_id, token) = (
        judge.json()["id"].as_str().expect("an id").to_string(),
        judge.json()["token"].as_str().expect("a token").to_string(),
    );
    assert_eq!(app.get(&format!("{base}/criteria"), Some(&token)).status, 200);

    account(&app.settings, "dvorets-test", "expert@dvorets.kz", "jury");
    let db = Db::connect(&app.settings.database_url, 1).expect("the database");
    let mut conn = db.conn().expect("a connection");
    let email = Email::parse("expert@dvorets.kz").expect("an address");
    let (person, _) = db::accounts::find_for_sign_in(&mut conn, &email)
        .expect("a query")
        .expect("the account");
    db::jury::assign_user(&mut conn, &judge_id, &person.id).expect("seated");
    assert_eq!(app.get(&format!("{base}/criteria"), Some(&token)).status, 200);
    db::accounts::set_disabled(&mut conn, &person.organization_id, &person.id, true).expect("disabled");
    assert_eq!(
        app.get(&format!("{base}/criteria"), Some(&token)).status,
        401,
        "the disabled person's jury token still works"
    );
}

/// Low: the data folder (the SQLite database with every child's name, the PDFs) was readable by
/// every account on the machine; only the keys were private.
#[test]
fn the_data_folder_is_private_to_the_service() {
    use std::os::unix::fs::PermissionsExt;
    let served = Served::start();
    let data = served.log.with_file_name("data");
    let mode = std::fs::metadata(&data)
        .expect("the data folder")
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o077,
        0,
        "the data folder is open to others: {:o}",
        mode & 0o777
    );
}

/// Finding 2, the account's side: an account takes at most a hundred tries in a window from
/// clients that have already failed, but a client's tries refused by its own limit (which cost
/// nothing to send) do not count towards it, and a client that has not failed is never refused.
#[test]
fn the_account_ceiling_counts_real_tries_and_spares_new_clients() {
    let app = TestApp::spawn_with_env(&[("GRAMOTA_TRUSTED_PROXIES", "127.0.0.1")]);
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let try_from = |client: &str, password: &str| {
        sign_in(&app.address, "metodist@dvorets.kz", password, Some(client)).status
    };
    for _ in 0..10 {
        assert_eq!(try_from("198.51.100.1", "wrong password"), 401);
    }
    for _ in 0..100 {
        assert_eq!(try_from("198.51.100.1", "wrong password"), 429);
    }
    // Those hundred refusals did not bring the account to its ceiling.
    assert_eq!(try_from("198.51.100.2", "wrong password"), 401);
    assert_eq!(
        try_from("198.51.100.2", "wrong password"),
        401,
        "a second real try is refused for tries that were never checked"
    );
    // More clients, ten tries each, until the account's ceiling refuses one: after 100 real tries.
    let mut tried = 12;
    'clients: for client in 3..20 {
        for _ in 0..10 {
            match try_from(&format!("198.51.100.{client}"), "wrong password") {
                401 => tried += 1,
                429 => break 'clients,
                other => panic!("{other}"),
            }
        }
    }
    assert_eq!(tried, 100, "real tries before the account's ceiling");
    assert_eq!(
        try_from("198.51.100.2", PASSWORD),
        429,
        "a client that has failed waits"
    );
    assert_eq!(
        try_from("203.0.113.77", PASSWORD),
        303,
        "a new client is not refused"
    );
}

/// Low: every previewed results file was kept 24 hours, however many: an organizer (or a stolen
/// session) could fill the disk with 20 MB previews. An organization keeps its newest ten.
#[test]
fn previewed_uploads_are_kept_within_a_quota() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut browser = Browser::new(&app);
    assert_eq!(browser.sign_in("metodist@dvorets.kz", PASSWORD).status, 303);
    let csrf = browser.csrf();
    let created = browser.post(
        "/app/competitions",
        &[
            ("csrf", &csrf),
            ("title", "Квота"),
            ("language", "ru"),
            ("ends_on", "2026-11-20"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.text());
    let competition = created.location().to_string();
    let mut last = String::new();
    for i in 0..15 {
        let results = format!("ФИО,Место\nИванов Пётр {i},1 место\n");
        let preview = browser.post_file(
            &format!("{competition}/upload"),
            &[("csrf", &csrf)],
            results.as_bytes(),
        );
        assert_eq!(preview.status, 200, "{}", preview.text());
        let text = preview.text();
        let start = text.find(r#"name="upload" value=""#).expect("an upload id") + 21;
        last = text[start..start + 32].to_string();
    }
    let uploads = app.settings.data_dir.join("uploads");
    let kept: usize = std::fs::read_dir(&uploads)
        .expect("the uploads folder")
        .map(|org| std::fs::read_dir(org.unwrap().path()).unwrap().count())
        .sum();
    assert!(kept <= 10, "{kept} previewed files are kept");
    // The newest one is there to be imported.
    let imported = browser.post(
        &format!("{competition}/import"),
        &[("csrf", &csrf), ("upload", &last)],
    );
    assert_eq!(imported.status, 303, "{}", imported.text());
}

/// Low: ZIP and print downloads had no cap: each holds a thread (the print file renders on every
/// core) for as long as its client reads, however many clients. Beyond the cap the answer is 503.
#[test]
fn downloads_beyond_the_cap_are_refused_until_one_ends() {
    use std::io::Write;
    let app = TestApp::spawn_with_env(&[("GRAMOTA_MAX_CONCURRENT_DOWNLOADS", "1")]);
    let competition = app.create_competition("Много дипломов");
    let csv = crate::helpers::kazakh_results_csv(300);
    assert_eq!(app.upload(&competition, &csv).status, 200);
    app.issue_and_wait(&competition);
    let path = format!("/api/v1/competitions/{competition}/documents.zip");

    // A client that starts the ZIP (tens of MB) and stops reading: the download stays open.
    let address = app.address.trim_start_matches("http://").to_string();
    let mut slow = std::net::TcpStream::connect(&address).expect("a connection");
    write!(
        slow,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\r\n",
        app.token
    )
    .unwrap();
    let mut start = [0u8; 512];
    let read = slow.read(&mut start).expect("the answer starts");
    assert!(String::from_utf8_lossy(&start[..read]).starts_with("HTTP/1.1 200"));

    let refused = app.get(&path, Some(&app.token));
    assert_eq!(refused.status, 503, "a second download at once is refused");
    let retry: u64 = refused.headers["retry-after"].parse().expect("Retry-After");
    assert!((1..=60).contains(&retry));
    let print = app.get(
        &format!("/api/v1/competitions/{competition}/documents.pdf"),
        Some(&app.token),
    );
    assert_eq!(print.status, 503, "the print file shares the cap");

    // When the slow client hangs up, its place is free again.
    drop(slow);
    let started = Instant::now();
    loop {
        let reply = app.get(&path, Some(&app.token));
        if reply.status == 200 {
            assert_eq!(crate::helpers::unzip(&reply.body).len(), 300);
            assert!(
                reply.body.len() > 8_000_000,
                "larger than the socket buffers hold"
            );
            break;
        }
        assert_eq!(reply.status, 503);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the place is not given back"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Low: an invitation for an e-mail that already has an account made a link that, once opened,
/// was used up without making anything. The invitation is refused at once, saying why.
#[test]
fn an_invitation_for_an_existing_account_is_refused_at_once() {
    let app = TestApp::spawn();
    account(&app.settings, "dvorets-test", "admin@dvorets.kz", "admin");
    account(&app.settings, "dvorets-test", "metodist@dvorets.kz", "organizer");
    let mut admin = Browser::new(&app);
    assert_eq!(admin.sign_in("admin@dvorets.kz", PASSWORD).status, 303);
    let csrf = admin.get("/app/people").csrf();
    let page = admin.post(
        "/app/people",
        &[
            ("csrf", &csrf),
            ("email", " Metodist@Dvorets.kz"),
            ("role", "jury"),
        ],
    );
    assert_eq!(page.status, 409, "{}", page.text());
    assert!(!page.text().contains("id=\"invite-link\""), "no link is made");
    assert!(page.text().contains("уже есть учётная запись"), "{}", page.text());
    // A new address is invited as before.
    let fresh = admin.post(
        "/app/people",
        &[("csrf", &csrf), ("email", "new@dvorets.kz"), ("role", "jury")],
    );
    assert_eq!(fresh.status, 200);
    assert!(fresh.text().contains("id=\"invite-link\""));
}

/// Finding 3, at the database: forty tries counted at once under one key each get their own
/// number, 1 to 40, on SQLite and on PostgreSQL alike (what several instances rely on).
#[test]
fn sign_in_attempts_are_counted_atomically_in_the_database() {
    use gramota::db::{sign_in_attempts, Db};
    let app = TestApp::spawn();
    let db = Db::connect(&app.settings.database_url, 8).expect("the database");
    let threads: Vec<_> = (0..40)
        .map(|_| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut conn = db.conn().expect("a connection");
                sign_in_attempts::count(&mut conn, "key", "2026-12-04T10:00:00Z", "2026-12-04T09:45:00Z")
                    .expect("counted")
                    .attempts
            })
        })
        .collect();
    let mut numbers: Vec<i32> = threads.into_iter().map(|t| t.join().expect("a thread")).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=40).collect::<Vec<_>>());
    // A window that is over starts again.
    let mut conn = db.conn().expect("a connection");
    let later = sign_in_attempts::count(&mut conn, "key", "2026-12-04T10:20:00Z", "2026-12-04T10:05:00Z")
        .expect("counted");
    assert_eq!(
        (later.attempts, later.window_start.as_str()),
        (1, "2026-12-04T10:20:00Z")
    );
}
