//! What an operator's Prometheus scrapes at `GET /metrics`, in its text format (0.0.4), written by
//! hand: a few counters and one histogram do not justify a metrics crate and its dependencies.
//! Counters live here, per service instance, and are counted where things happen; the figures
//! the database knows (jobs and mail by state) are read at each scrape, as `Gauges`.

mod text;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

pub use text::content_type;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Observations at most each bound (not cumulative here; summed when written).
    buckets: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

/// A request's labels: method, route pattern (never the raw path: codes and tokens are in paths,
/// and each would be a series of its own) and status.
type RequestKey = (String, String, u16);

#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<RequestKey, Histogram>>,
    documents_rendered: AtomicU64,
    verifications: Mutex<BTreeMap<&'static str, u64>>,
}

/// Figures read from the database and the pool at each scrape.
#[derive(Debug, Default)]
pub struct Gauges {
    pub jobs_by_state: Vec<(String, i64)>,
    pub mail_by_state: Vec<(String, i64)>,
    pub pool_connections: u32,
    pub pool_idle: u32,
    pub pool_max: u32,
}

impl Metrics {
    /// One answered request; `route` is the matched pattern, or `None` when no route matched.
    pub fn observe_request(&self, method: &str, route: Option<&str>, status: u16, took: Duration) {
        let key = (
            method.to_string(),
            route.unwrap_or("unmatched").to_string(),
            status,
        );
        let seconds = took.as_secs_f64();
        let Ok(mut requests) = self.requests.lock() else {
            return;
        };
        let histogram = requests.entry(key).or_default();
        if let Some(bucket) = BUCKETS.iter().position(|&bound| seconds <= bound) {
            histogram.buckets[bucket] += 1;
        }
        histogram.sum += seconds;
        histogram.count += 1;
    }

    pub fn add_rendered(&self, documents: u64) {
        self.documents_rendered.fetch_add(documents, Ordering::Relaxed);
    }

    /// A public lookup and what it answered: valid, revoked, superseded or not_found.
    pub fn count_verification(&self, status: &'static str) {
        if let Ok(mut verifications) = self.verifications.lock() {
            *verifications.entry(status).or_default() += 1;
        }
    }

    /// The whole exposition.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = text::Writer::default();
        out.family(
            "gramota_http_requests",
            "histogram",
            "HTTP requests by method, route pattern and status, with their latency in seconds",
        );
        let requests = self.requests.lock().map(|r| r.clone()).unwrap_or_default();
        for ((method, route, status), histogram) in &requests {
            let status = status.to_string();
            let labels = [
                ("method", method.as_str()),
                ("route", route.as_str()),
                ("status", &status),
            ];
            out.histogram(
                "gramota_http_requests",
                &labels,
                &BUCKETS,
                &histogram.buckets,
                histogram.sum,
                histogram.count,
            );
        }
        out.family(
            "gramota_documents_rendered_total",
            "counter",
            "Documents rendered by this instance's issue worker",
        );
        out.sample(
            "gramota_documents_rendered_total",
            &[],
            self.documents_rendered.load(Ordering::Relaxed) as f64,
        );
        out.family(
            "gramota_verifications_total",
            "counter",
            "Public verification lookups by the answer given",
        );
        let verifications = self.verifications.lock().map(|v| v.clone()).unwrap_or_default();
        for (status, count) in &verifications {
            out.sample(
                "gramota_verifications_total",
                &[("status", status)],
                *count as f64,
            );
        }
        out.family("gramota_jobs", "gauge", "Issue jobs in the database by state");
        for (state, count) in &gauges.jobs_by_state {
            out.sample("gramota_jobs", &[("state", state)], *count as f64);
        }
        out.family(
            "gramota_mail_messages",
            "gauge",
            "Messages in the mail outbox by state",
        );
        for (state, count) in &gauges.mail_by_state {
            out.sample("gramota_mail_messages", &[("state", state)], *count as f64);
        }
        out.family(
            "gramota_db_pool_connections",
            "gauge",
            "Database connections open in the pool",
        );
        out.sample(
            "gramota_db_pool_connections",
            &[],
            f64::from(gauges.pool_connections),
        );
        out.family(
            "gramota_db_pool_idle",
            "gauge",
            "Database connections idle in the pool",
        );
        out.sample("gramota_db_pool_idle", &[], f64::from(gauges.pool_idle));
        out.family("gramota_db_pool_max", "gauge", "The pool's size limit");
        out.sample("gramota_db_pool_max", &[], f64::from(gauges.pool_max));
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_land_in_cumulative_buckets_by_route_pattern() {
        let metrics = Metrics::default();
        let route = Some("/api/v1/verify/{code}");
        metrics.observe_request("GET", route, 200, Duration::from_micros(800));
        metrics.observe_request("GET", route, 200, Duration::from_millis(30));
        metrics.observe_request("GET", None, 404, Duration::from_millis(1));
        metrics.count_verification("valid");
        metrics.add_rendered(3);
        let text = metrics.render(&Gauges {
            jobs_by_state: vec![("done".into(), 2)],
            ..Gauges::default()
        });
        let labels = r#"method="GET",route="/api/v1/verify/{code}",status="200""#;
        assert!(
            text.contains(&format!(
                "gramota_http_requests_bucket{{{labels},le=\"0.001\"}} 1\n"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "gramota_http_requests_bucket{{{labels},le=\"0.025\"}} 1\n"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "gramota_http_requests_bucket{{{labels},le=\"0.05\"}} 2\n"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "gramota_http_requests_bucket{{{labels},le=\"+Inf\"}} 2\n"
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!("gramota_http_requests_count{{{labels}}} 2\n")),
            "{text}"
        );
        assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
        assert!(text.contains("gramota_documents_rendered_total 3\n"), "{text}");
        assert!(
            text.contains("gramota_verifications_total{status=\"valid\"} 1\n"),
            "{text}"
        );
        assert!(text.contains("gramota_jobs{state=\"done\"} 2\n"), "{text}");
        assert!(text.ends_with('\n'));
    }
}
