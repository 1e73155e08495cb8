//! Requests per minute per client address on the public endpoints: a token bucket per address,
//! so a burst up to the limit passes and a scraper walking codes is slowed to the limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Buckets untouched this long are full again and can be forgotten.
const IDLE: Duration = Duration::from_secs(120);

impl RateLimiter {
    /// `per_minute` of 0 turns limiting off.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the client's bucket, or says in how many seconds to come back.
    pub fn check(&self, client: Option<IpAddr>, now: Instant) -> Result<(), u64> {
        let (Some(client), limit) = (client, f64::from(self.per_minute)) else {
            return Ok(());
        };
        if self.per_minute == 0 {
            return Ok(());
        }
        let per_second = limit / 60.0;
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() > 100_000 {
            buckets.retain(|_, b| now.duration_since(b.updated) < IDLE);
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: limit,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(limit);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_waits_for_refill() {
        let limiter = RateLimiter::new(60);
        let client = Some(IpAddr::from([10, 0, 0, 1]));
        let start = Instant::now();
        for _ in 0..60 {
            assert_eq!(limiter.check(client, start), Ok(()));
        }
        assert_eq!(limiter.check(client, start), Err(1));
        assert_eq!(
            limiter.check(Some(IpAddr::from([10, 0, 0, 2])), start),
            Ok(()),
            "per address"
        );
        assert_eq!(limiter.check(client, start + Duration::from_secs(1)), Ok(()));
        assert!(RateLimiter::new(0).check(client, start).is_ok());
    }
}
