//! How issue jobs are cut up and run, from the settings. Its own module so that the issuing of one
//! document (`issue`) and the batch that runs many (`batch`) both use it without needing each other.

use std::time::Duration;

/// How issue jobs are cut up and run; from the settings.
#[derive(Debug, Clone)]
pub struct BatchSettings {
    /// Documents a worker claims at once: the unit of progress, of cancelling, and of sharing.
    pub chunk_size: usize,
    /// Rendering threads per worker.
    pub threads: usize,
    /// How long a claim holds without its worker renewing it; after that another worker takes over.
    pub lease: Duration,
}

impl BatchSettings {
    /// `threads` 0 means one per core.
    pub fn new(chunk_size: usize, threads: usize, lease: Duration) -> BatchSettings {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        BatchSettings {
            chunk_size: chunk_size.max(1),
            threads: if threads == 0 { cores } else { threads },
            lease: lease.max(Duration::from_secs(1)),
        }
    }
}
