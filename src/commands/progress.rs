//! Progress of an offline batch: a bar on a terminal, a plain line now and then otherwise (a log,
//! a CI job), so a person sees the batch move either way.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::issuance::Progress;

pub enum Reporter {
    Bar(ProgressBar),
    Lines(Mutex<Option<Instant>>),
}

impl Reporter {
    pub fn new() -> Reporter {
        if !std::io::stderr().is_terminal() {
            return Reporter::Lines(Mutex::new(None));
        }
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents  {per_sec}  eta {eta}")
        {
            bar.set_style(style);
        }
        Reporter::Bar(bar)
    }

    pub fn report(&self, progress: Progress) {
        let done = u64::try_from(progress.done).unwrap_or(0);
        let total = u64::try_from(progress.total).unwrap_or(0);
        match self {
            Reporter::Bar(bar) => {
                bar.set_length(total);
                bar.set_position(done);
            }
            Reporter::Lines(last) => {
                let Ok(mut last) = last.lock() else { return };
                let due = last.is_none_or(|t| t.elapsed() >= Duration::from_secs(2));
                if due || done == total {
                    eprintln!("issued {done} of {total} documents");
                    *last = Some(Instant::now());
                }
            }
        }
    }

    pub fn finish(&self) {
        if let Reporter::Bar(bar) = self {
            bar.finish_and_clear();
            eprintln!(
                "issued {} of {} documents",
                bar.position(),
                bar.length().unwrap_or(0)
            );
        }
    }
}
