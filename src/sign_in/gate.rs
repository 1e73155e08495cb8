//! A cap on Argon2 work. Each password check takes 19 MiB and tens of milliseconds of a core, and
//! anyone may ask for one (an unknown e-mail is checked against a decoy, so the answer takes as
//! long); 150 sign-ins at once took the server from 570 MB to 3.2 GB. A few checks run at once
//! (twice the cores), a short queue waits for them, and a request beyond that is refused at once,
//! to be retried, rather than queued without bound.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct PasswordGate {
    /// Checks running or waiting to run.
    admitted: Arc<Semaphore>,
    /// Checks running.
    running: Arc<Semaphore>,
}

/// A place in the queue; [`Admission::run`] waits for a turn and runs the check.
pub struct Admission {
    ticket: OwnedSemaphorePermit,
    running: Arc<Semaphore>,
}

#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error("the password check stopped unexpectedly")]
    Aborted,
}

impl PasswordGate {
    /// `running` checks at once, and `waiting` more in the queue.
    pub fn new(running: usize, waiting: usize) -> PasswordGate {
        let running = running.max(1);
        PasswordGate {
            admitted: Arc::new(Semaphore::new(running + waiting)),
            running: Arc::new(Semaphore::new(running)),
        }
    }

    /// Two checks per core at once and as many again waiting: about 4 × 19 MiB per core at most.
    pub fn for_this_machine() -> PasswordGate {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PasswordGate::new(2 * cores, 2 * cores)
    }

    /// A place in the queue, or `None` at once when the queue is full.
    pub fn admit(&self) -> Option<Admission> {
        let ticket = self.admitted.clone().try_acquire_owned().ok()?;
        Some(Admission {
            ticket,
            running: self.running.clone(),
        })
    }
}

impl Admission {
    /// Waits for a turn, then runs `work` on a blocking thread. The turn is held by the thread
    /// itself, so a client that hangs up does not free it while the check still runs.
    pub async fn run<T, F>(self, work: F) -> Result<T, GateError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let turn = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| GateError::Aborted)?;
        let ticket = self.ticket;
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(turn);
            drop(ticket);
            result
        })
        .await
        .map_err(|_| GateError::Aborted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn beyond_the_queue_admission_is_refused_at_once() {
        let gate = PasswordGate::new(2, 3);
        let held: Vec<_> = (0..5).map(|_| gate.admit().expect("room")).collect();
        assert!(gate.admit().is_none(), "the sixth is refused");
        drop(held);
        assert!(gate.admit().is_some(), "room again once they are done");
    }

    #[test]
    fn no_more_than_the_cap_run_at_once() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let gate = PasswordGate::new(2, 10);
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let runs: Vec<_> = (0..12)
            .map(|_| {
                let admission = gate.admit().expect("room for 12");
                let (now, most) = (now.clone(), most.clone());
                runtime.spawn(admission.run(move || {
                    let running = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(running, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    now.fetch_sub(1, Ordering::SeqCst);
                    running
                }))
            })
            .collect();
        let results: Vec<_> = runtime.block_on(async {
            let mut results = Vec::new();
            for run in runs {
                results.push(run.await.expect("a task"));
            }
            results
        });
        assert_eq!(
            results.iter().filter(|r| r.is_ok()).count(),
            12,
            "every admitted check ran"
        );
        assert_eq!(most.load(Ordering::SeqCst), 2, "two at a time");
        assert!(gate.admit().is_some());
    }
}
