//! Stopping in order. On SIGTERM or Ctrl-C the HTTP server stops accepting and lets the requests in
//! hand finish; then the background threads are told to stop: the issue worker finishes the chunk
//! it holds and gives back the rest of its claims, the mail worker gives back the message it has
//! not started handing over, and the scan log writes what is queued. A process stopped this way
//! leaves nothing for a lease to expire on, so another instance takes over at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The one flag every background thread looks at between two pieces of work.
#[derive(Debug, Clone, Default)]
pub struct Shutdown(Arc<AtomicBool>);

impl Shutdown {
    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_requested(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Sleeps for `duration` unless a stop is asked for first; tells whether it was.
    pub fn sleep(&self, duration: Duration) -> bool {
        let until = Instant::now() + duration;
        loop {
            if self.is_requested() {
                return true;
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            std::thread::sleep(left.min(Duration::from_millis(50)));
        }
    }
}

/// The service's background threads, stopped together.
#[derive(Debug, Default)]
pub struct Background {
    shutdown: Shutdown,
    threads: Vec<(&'static str, JoinHandle<()>)>,
}

impl Background {
    pub fn new(shutdown: Shutdown) -> Background {
        Background {
            shutdown,
            threads: Vec::new(),
        }
    }

    pub fn add(&mut self, name: &'static str, thread: JoinHandle<()>) {
        self.threads.push((name, thread));
    }

    /// Asks every thread to stop and waits for them until `deadline`; names those still running
    /// then (their leases run out on their own, as after a crash).
    pub fn stop(self, deadline: Instant) -> Vec<&'static str> {
        self.shutdown.request();
        let mut left = Vec::new();
        for (name, thread) in self.threads {
            while !thread.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            if thread.is_finished() {
                if thread.join().is_err() {
                    tracing::error!(thread = name, "a background thread panicked");
                }
            } else {
                left.push(name);
            }
        }
        left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_wakes_a_sleeper_and_joins_the_threads() {
        let shutdown = Shutdown::default();
        let mut background = Background::new(shutdown.clone());
        let sleeper = shutdown.clone();
        background.add(
            "sleeper",
            std::thread::spawn(move || assert!(sleeper.sleep(Duration::from_secs(60)))),
        );
        let started = Instant::now();
        let left = background.stop(Instant::now() + Duration::from_secs(5));
        assert!(left.is_empty(), "{left:?}");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert!(!Shutdown::default().sleep(Duration::from_millis(10)));
    }

    #[test]
    fn a_thread_past_the_deadline_is_named() {
        let mut background = Background::new(Shutdown::default());
        background.add(
            "stubborn",
            std::thread::spawn(|| std::thread::sleep(Duration::from_millis(500))),
        );
        let left = background.stop(Instant::now() + Duration::from_millis(50));
        assert_eq!(left, vec!["stubborn"]);
    }
}
