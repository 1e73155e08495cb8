//! First run: `gramota serve` on a fresh data folder prints a one-time setup link; the browser at
//! that link creates the organization and its first administrator (tests/browser/first_run.mjs);
//! the link then works no more, and a restarted server with an account prints none.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{gramota_bin, test_settings};

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
    let (_, database) = test_settings(&dir.path().join("data"));
    let first_log = dir.path().join("first.log");
    let server = serve(dir.path(), &database.url, &first_log);
    let link = link_in(&first_log).expect("a fresh server prints its setup link");
    assert!(link.starts_with(&server.address), "{link}");

    crate::helpers::browser_script(
        "first_run.mjs",
        &[("BASE_URL", &server.address), ("SETUP_LINK", &link)],
    );
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
