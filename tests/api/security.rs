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

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

fn get(address: &str, path: &str, headers: &[(&str, &str)]) -> u16 {
    let mut request = agent().get(format!("{address}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.call().expect("the server answers").status().as_u16()
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