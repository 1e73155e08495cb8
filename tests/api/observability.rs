//! Issue 17: observability. `/metrics` parses as Prometheus text and counts what was done; every
//! response has an `X-Request-Id` that is on its log line; `--log-format json` writes JSON lines;
//! a log written to a file has no colour codes.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::helpers::{gramota_bin, kazakh_results_csv, TestApp};

/// Every sample of a Prometheus text exposition, by its name and labels as written; panics on a
/// line that is not a comment or `name{labels} number`.
fn parse(text: &str) -> HashMap<String, f64> {
    let mut samples = HashMap::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with("# HELP ") || line.starts_with("# TYPE ") {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
        if name_end < series.len() {
            assert!(series.ends_with('}'), "{line}");
        }
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("{line}"));
        assert!(
            samples.insert(series.to_string(), value).is_none(),
            "twice: {line}"
        );
    }
    samples
}

fn metrics(app: &TestApp) -> HashMap<String, f64> {
    let reply = app.get("/metrics", None);
    assert_eq!(reply.status, 200);
    assert!(reply.headers["content-type"].starts_with("text/plain; version=0.0.4"));
    parse(&reply.text())
}

#[test]
fn metrics_parse_and_count_the_requests_made() {
    let app = TestApp::spawn_with_env(&[("GRAMOTA_RATE_LIMIT_PER_MINUTE", "0")]);
    let before = metrics(&app);
    let verify = |code: &str| app.get(&format!("/api/v1/verify/{code}"), None);
    let status = verify("NOSUCHCODE1").status;
    assert_eq!(verify("NOSUCHCODE2").status, status);
    let competition = app.create_competition("Метрика");
    assert_eq!(app.upload(&competition, &kazakh_results_csv(3)).status, 200);
    app.issue_and_wait(&competition);
    let code = app.documents(&competition)[0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(verify(&code).status, 200);
    let after = metrics(&app);

    let count = |m: &HashMap<String, f64>, status: u16| {
        m.get(&format!(
            "gramota_http_requests_count{{method=\"GET\",route=\"/api/v1/verify/{{code}}\",status=\"{status}\"}}"
        ))
        .copied()
        .unwrap_or(0.0)
    };
    assert_eq!(
        count(&after, status) - count(&before, status),
        2.0,
        "two lookups of unknown codes"
    );
    assert_eq!(count(&after, 200) - count(&before, 200), 1.0);
    let inf =
        r#"gramota_http_requests_bucket{method="GET",route="/api/v1/verify/{code}",status="200",le="+Inf"}"#;
    assert_eq!(
        after[inf], 1.0,
        "the histogram's last bucket counts every request"
    );
    assert!(
        after.keys().all(|k| !k.contains("NOSUCHCODE")),
        "routes are patterns, never paths with codes"
    );
    assert_eq!(after["gramota_verifications_total{status=\"not_found\"}"], 2.0);
    assert_eq!(after["gramota_verifications_total{status=\"valid\"}"], 1.0);
    assert_eq!(after["gramota_documents_rendered_total"], 3.0);
    assert_eq!(after["gramota_jobs{state=\"done\"}"], 1.0);
    assert!(after["gramota_db_pool_max"] >= 1.0);
    assert!(after["gramota_db_pool_connections"] >= after["gramota_db_pool_idle"]);
}

/// Finding (issue 17, production): `/metrics` answered anyone who reached the port, so behind a
/// proxy that forwards everything it told the internet how busy each organization is. Only the
/// hosts in `metrics_from` may read it, the client's address taken after the trusted proxies.
#[test]
fn metrics_answer_only_the_monitoring_hosts() {
    let app = TestApp::spawn_with_env(&[
        ("GRAMOTA_TRUSTED_PROXIES", "127.0.0.1"),
        ("GRAMOTA_METRICS_FROM", "10.9.0.0/16"),
    ]);
    let from = |client: &str| app.get_with("/metrics", &[("X-Forwarded-For", client)]).status;
    assert_eq!(from("10.9.4.2"), 200, "the monitoring host, through the proxy");
    assert_eq!(
        from("203.0.113.7"),
        403,
        "someone on the internet, through the proxy"
    );
    assert_eq!(
        app.get("/metrics", None).status,
        403,
        "the proxy itself is not in the list"
    );

    let default = TestApp::spawn();
    assert_eq!(
        default.get("/metrics", None).status,
        200,
        "the loopback by default"
    );
    assert_eq!(
        default
            .get_with("/metrics", &[("X-Forwarded-For", "203.0.113.7")])
            .status,
        200,
        "an untrusted peer's X-Forwarded-For is ignored: the peer is the loopback"
    );
}

#[test]
fn every_response_has_its_own_request_id() {
    let app = TestApp::spawn();
    let ids: Vec<String> = ["/healthz", "/healthz", "/no/such/page"]
        .iter()
        .map(|path| app.get(path, None).headers["x-request-id"].clone())
        .collect();
    for id in &ids {
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    }
    assert_ne!(ids[0], ids[1]);
    assert_ne!(ids[1], ids[2]);
}

/// Runs `gramota serve` with its log in a file, makes one request, stops it with `signal` (it must
/// exit with status 0); the log and the request id of the request.
fn serve_and_log(dir: &Path, args: &[&str], env: &[(&str, &str)], signal: &str) -> (String, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = dir.join("serve.log");
    let mut child = Command::new(gramota_bin())
        .args(args)
        .arg("serve")
        .envs(env.iter().copied())
        .env("GRAMOTA_BIND", format!("127.0.0.1:{port}"))
        .env("GRAMOTA_DATA_DIR", dir.join("data"))
        .env("DATABASE_URL", dir.join("data/gramota.db"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let address = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while agent.get(format!("{address}/healthz")).call().is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let reply = agent
        .get(format!("{address}/.well-known/gramota-keys.json"))
        .call()
        .unwrap();
    let id = reply.headers()["x-request-id"].to_str().unwrap().to_string();
    let stopped = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    (std::fs::read_to_string(&log).unwrap(), id)
}

#[test]
fn json_log_lines_parse_and_name_the_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let (log, id) = serve_and_log(dir.path(), &["--log-format", "json"], &[], "-TERM");
    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    assert!(lines.len() >= 3, "{log}");
    let access = lines
        .iter()
        .find(|l| {
            l["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("gramota-keys.json"))
        })
        .unwrap_or_else(|| panic!("no access line: {log}"));
    assert!(
        access["fields"]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("request_id={id}")),
        "{access}"
    );
    assert!(lines
        .iter()
        .all(|l| l["level"].is_string() && l["timestamp"].is_string()));
    // The environment chooses it too.
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = serve_and_log(dir.path(), &[], &[("GRAMOTA_LOG_FORMAT", "json")], "-TERM");
    assert!(
        log.lines()
            .all(|line| serde_json::from_str::<Value>(line).is_ok()),
        "{log}"
    );
}

#[test]
fn a_log_written_to_a_file_has_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    // Stopped with Ctrl-C's signal: as clean as SIGTERM.
    let (log, id) = serve_and_log(dir.path(), &[], &[], "-INT");
    assert!(log.contains("signal=\"SIGINT\""), "{log}");
    assert!(log.contains("gramota stopped"), "{log}");
    assert!(log.contains("gramota is serving"), "{log}");
    assert!(!log.contains("\x1b["), "{log}");
    assert!(log.contains(&format!("request_id={id}")), "{log}");
}
