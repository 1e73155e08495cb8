//! First run: `gramota serve` on a fresh data folder prints a one-time setup link; the browser at
//! that link creates the organization and its first administrator (tests/browser/first_run.mjs);
//! the link then works no more, and a restarted server with an account prints none. The
//! administrator then fills the profile in the browser (tests/browser/profile.mjs): papers issued
//! afterwards print the head who signs and carry the logo; a paper issued before keeps its bytes.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gramota::commands::{create_token, TokenRequest};
use gramota::db::organizations::OrganizationNames;
use serde_json::{json, Value};

use crate::helpers::{collapse_whitespace, gramota_bin, pdf_text, test_settings};
use crate::own_designs::{background_jpeg, contains, stamp_png};

struct Serve {
    child: Child,
    address: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, database_url: &str, log: &Path) -> Serve {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("http://127.0.0.1:{port}");
    let child = Command::new(gramota_bin())
        .arg("serve")
        .current_dir(dir)
        .env("GRAMOTA_BIND", format!("127.0.0.1:{port}"))
        .env("GRAMOTA_DATA_DIR", dir.join("data"))
        .env("DATABASE_URL", database_url)
        .env("GRAMOTA_PUBLIC_URL", &address)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .expect("gramota serve starts");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let started = Instant::now();
    while agent
        .get(&format!("{address}/healthz"))
        .call()
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
        != 200
    {
        assert!(started.elapsed() < Duration::from_secs(60), "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Serve { child, address }
}

/// The setup link the log printed, if any.
fn link_in(log: &Path) -> Option<String> {
    let text = std::fs::read_to_string(log).unwrap();
    let start = text.find("http://127.0.0.1:")?;
    let link: String = text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    link.contains("/app/setup/").then_some(link)
}

#[test]
fn a_fresh_server_is_claimed_in_the_browser_through_the_link_in_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let (settings, database) = test_settings(&dir.path().join("data"));
    let first_log = dir.path().join("first.log");
    let server = serve(dir.path(), &database.url, &first_log);
    let link = link_in(&first_log).expect("a fresh server prints its setup link");
    assert!(link.starts_with(&server.address), "{link}");

    crate::helpers::browser_script(
        "first_run.mjs",
        &[("BASE_URL", &server.address), ("SETUP_LINK", &link)],
    );
    profile_reaches_new_papers_only(&server, &settings, dir.path());
    drop(server);

    // With an account, a restart prints no link, and an old link stays closed.
    let second_log = dir.path().join("second.log");
    let server = serve(dir.path(), &database.url, &second_log);
    assert_eq!(
        link_in(&second_log),
        None,
        "a claimed server prints no setup link"
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let path = &link[link.find("/app/setup/").unwrap()..];
    let reply = agent.get(&format!("{}{path}", server.address)).call().unwrap();
    assert_eq!(reply.status().as_u16(), 410);
    let login = agent
        .get(&format!("{}/app/login", server.address))
        .call()
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(
        !login.contains("no-accounts"),
        "a claimed server shows the sign-in form only"
    );
    let made_up = agent
        .get(&format!("{}/app/setup/{}", server.address, "A".repeat(43)))
        .call()
        .unwrap();
    assert_eq!(made_up.status().as_u16(), 410);
}

/// The API of the running server, with a token made as `gramota token create` makes it.
struct Api {
    agent: ureq::Agent,
    address: String,
    token: String,
}

impl Api {
    fn call(&self, method: &str, path: &str, content_type: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.address))
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Content-Type", content_type)
            .body(body.to_vec())
            .unwrap();
        let mut response = self.agent.run(request).expect("the server answers");
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_vec().unwrap())
    }

    fn json(&self, method: &str, path: &str, body: &Value) -> Value {
        let (status, bytes) = self.call(method, path, "application/json", body.to_string().as_bytes());
        assert!(
            status < 300,
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }

    /// A Kazakh competition with one prize winner, issued; returns the paper's PDF.
    fn issued_paper(&self, title: &str) -> (String, Vec<u8>) {
        let created = self.json(
            "POST",
            "/api/v1/competitions",
            &json!({"title": title, "language": "kk", "ends_on": "2026-11-20", "letters": false}),
        );
        let id = created["id"].as_str().unwrap().to_string();
        let csv = "Аты-жөні,Мектеп,Орын\nСейтқали Айгерім,№5 мектеп,1 орын\n";
        let (status, reply) = self.call(
            "POST",
            &format!("/api/v1/competitions/{id}/results"),
            "text/csv",
            csv.as_bytes(),
        );
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&reply));
        self.issue(&id, "");
        (id.clone(), self.paper(&id))
    }

    fn issue(&self, id: &str, query: &str) -> Value {
        let job = self.json(
            "POST",
            &format!("/api/v1/competitions/{id}/issue{query}"),
            &json!({}),
        );
        let job_id = job["job_id"].as_str().unwrap().to_string();
        let started = Instant::now();
        loop {
            let job = self.json("GET", &format!("/api/v1/jobs/{job_id}"), &Value::Null);
            match job["state"].as_str() {
                Some("done") => return job,
                Some("failed") => panic!("job failed: {job}"),
                _ => assert!(started.elapsed() < Duration::from_secs(120), "{job}"),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn paper(&self, competition: &str) -> Vec<u8> {
        let documents = self.json(
            "GET",
            &format!("/api/v1/competitions/{competition}/documents"),
            &Value::Null,
        );
        let document = documents[0]["id"].as_str().unwrap();
        let (status, pdf) = self.call(
            "GET",
            &format!("/api/v1/documents/{document}/pdf"),
            "application/json",
            b"",
        );
        assert_eq!(status, 200);
        pdf
    }
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paper.pdf");
    std::fs::write(&path, pdf).unwrap();
    collapse_whitespace(&pdf_text(&path))
}

/// A paper issued before the profile is filled in the browser keeps its bytes; one issued after
/// prints the head's name and title and carries the logo's JPEG byte for byte.
fn profile_reaches_new_papers_only(server: &Serve, settings: &gramota::config::Settings, dir: &Path) {
    let none = OrganizationNames {
        kk: None,
        ru: None,
        en: None,
        city: None,
    };
    let token = create_token(
        settings,
        TokenRequest {
            org: "dvorets-astana".into(),
            names: none,
            label: None,
        },
    )
    .expect("a token for the organization made in the browser");
    let api = Api {
        agent: ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into(),
        address: server.address.clone(),
        token,
    };
    let (before, earlier) = api.issued_paper("Бірінші байқау");
    let (head_name, head_title) = ("Ахметова Гүлнар Серікқызы", "Директордың м.а.");
    assert!(!text_of(&earlier).contains(head_name));

    let logo = background_jpeg();
    let (logo_file, stamp_file) = (dir.join("logo.jpg"), dir.join("stamp.png"));
    std::fs::write(&logo_file, &logo).unwrap();
    std::fs::write(&stamp_file, stamp_png()).unwrap();
    crate::helpers::browser_script(
        "profile.mjs",
        &[
            ("BASE_URL", &server.address),
            ("EMAIL", "admin@dvorets.kz"),
            ("PASSWORD", "correct horse battery staple"),
            ("HEAD_NAME", head_name),
            ("HEAD_TITLE", head_title),
            ("LOGO_FILE", logo_file.to_str().unwrap()),
            ("STAMP_FILE", stamp_file.to_str().unwrap()),
        ],
    );

    let (_, after) = api.issued_paper("Екінші байқау");
    let text = text_of(&after);
    assert!(text.contains(head_name) && text.contains(head_title), "{text}");
    assert!(
        contains(&after, &logo),
        "the logo's JPEG is embedded byte for byte"
    );
    assert!(!contains(&earlier, &logo));
    assert_eq!(api.paper(&before), earlier, "the earlier paper keeps its bytes");
    let reverified = api.issue(&before, "?reverify=true");
    assert_eq!(
        reverified["verified"], 1,
        "re-rendered from its record, byte for byte: {reverified}"
    );
}
