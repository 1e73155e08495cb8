//! Requests per minute per client address on the public endpoints: a token bucket per address,
//! so a burst up to the limit passes and a scraper walking codes is slowed to the limit.
//!
//! Behind a proxy a scan rush brings a new address with nearly every request (195 a second in the
//! soak), so the table is swept every `IDLE`: it holds the addresses of the last minute or two,
//! not every phone of the day (the soak's server grew by megabytes while it waited for 100,000).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<Buckets>,
}

struct Buckets {
    by_client: HashMap<IpAddr, Bucket>,
    swept: Option<Instant>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// A bucket untouched this long has refilled (a minute empties and refills it), so forgetting it
/// changes nothing.
const IDLE: Duration = Duration::from_secs(60);

impl RateLimiter {
    /// `per_minute` of 0 turns limiting off.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(Buckets {
                by_client: HashMap::new(),
                swept: None,
            }),
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
        buckets.sweep(now);
        let bucket = buckets.by_client.entry(client).or_insert(Bucket {
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

impl Buckets {
    /// Forgets the refilled buckets, once per `IDLE`, and gives back the room they took when the
    /// table has shrunk well below its capacity.
    fn sweep(&mut self, now: Instant) {
        let due = self.swept.is_none_or(|at| now.duration_since(at) >= IDLE);
        if !due {
            return;
        }
        self.swept = Some(now);
        self.by_client.retain(|_, b| now.duration_since(b.updated) < IDLE);
        if self.by_client.capacity() > 4 * self.by_client.len().max(1024) {
            self.by_client.shrink_to(2 * self.by_client.len());
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

    #[test]
    fn a_rush_of_new_addresses_is_forgotten_once_their_buckets_refill() {
        let limiter = RateLimiter::new(120);
        let start = Instant::now();
        let address = |n: u32| Some(IpAddr::from(n.to_be_bytes()));
        for n in 0..50_000u32 {
            let at = start + Duration::from_millis(u64::from(n) * 5);
            assert_eq!(limiter.check(address(n), at), Ok(()));
        }
        let buckets = limiter.buckets.lock().unwrap();
        assert!(
            buckets.by_client.len() <= 2 * 12_000,
            "a minute or two of addresses at 200 a second, not all {}",
            buckets.by_client.len()
        );
        drop(buckets);
        // A client that used its minute still waits after a sweep: only refilled buckets go.
        let busy = Some(IpAddr::from([192, 0, 2, 1]));
        let later = start + Duration::from_secs(300);
        for _ in 0..120 {
            assert_eq!(limiter.check(busy, later), Ok(()));
        }
        assert!(limiter.check(busy, later + Duration::from_millis(100)).is_err());
        assert!(limiter.check(busy, later + Duration::from_secs(61)).is_ok());
    }
}
