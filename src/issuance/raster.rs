//! A PDF page as a PNG picture, by poppler's `pdftoppm` (design previews). Rasterizing costs
//! memory by the pixel: a 1,200 mm page at 300 dpi is 14,000 × 10,000 px, and pdftoppm took about
//! 800 MB for it, without a time limit, as many at once as were asked for. So the resolution is
//! lowered until the long side fits [`MAX_SIDE_PX`], a run that takes longer than [`TIMEOUT`] is
//! killed, and at most one run per core goes at once (more are refused, to be retried).

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The long side of a preview picture at most: a screen's worth, and ~48 MB of RGB for pdftoppm.
pub const MAX_SIDE_PX: u32 = 4000;
/// A preview that takes longer has gone wrong.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// Designs are at most 1,200 mm a side: the resolution that keeps such a page within the cap,
/// used when a PDF's page size cannot be read.
const FALLBACK_DPI: u32 = 84;

/// How many runs go at once: one per core.
struct Runs {
    running: AtomicUsize,
}

static RUNS: Runs = Runs {
    running: AtomicUsize::new(0),
};

#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("pdftoppm is not installed")]
    NotInstalled,
    #[error("too many previews at once")]
    Busy,
    #[error("pdftoppm took longer than {} s", TIMEOUT.as_secs())]
    TimedOut,
    #[error("pdftoppm failed: {0}")]
    Failed(String),
}

impl Runs {
    /// One of the `most` runs allowed at once, given back when dropped.
    fn take(&self, most: usize) -> Result<Slot<'_>, RasterError> {
        self.running
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < most).then_some(n + 1)
            })
            .map(|_| Slot(self))
            .map_err(|_| RasterError::Busy)
    }
}

struct Slot<'a>(&'a Runs);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The first page of a PDF as a PNG at `dpi`, or at the lower resolution that keeps its long side
/// within [`MAX_SIDE_PX`] (the PDF on pdftoppm's standard input, the picture on its output).
pub fn png_of(pdf: &[u8], dpi: u32) -> Result<Vec<u8>, RasterError> {
    let _slot = RUNS.take(std::thread::available_parallelism().map_or(2, |n| n.get()))?;
    let dpi = capped_dpi(pdf, dpi);
    let mut child = Command::new("pdftoppm")
        .args(["-png", "-singlefile", "-r", &dpi.to_string(), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => RasterError::NotInstalled,
            _ => RasterError::Failed(e.to_string()),
        })?;
    // Written and read on threads of their own: a large PDF would otherwise fill one pipe while
    // the picture fills the other, and the clock below must keep running.
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| RasterError::Failed("no stdin".into()))?;
    let input = pdf.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let finished = wait_at_most(&mut child, TIMEOUT);
    let picture = stdout.join().unwrap_or_default();
    let complaint = stderr.join().unwrap_or_default();
    let written = writer
        .join()
        .map_err(|_| RasterError::Failed("writer panicked".into()))?;
    let status = finished?;
    if !status.success() || !picture.starts_with(b"\x89PNG") {
        let detail = String::from_utf8_lossy(&complaint).trim().to_string();
        let detail = match written {
            Err(e) if detail.is_empty() => e.to_string(),
            _ => detail,
        };
        return Err(RasterError::Failed(detail));
    }
    Ok(picture)
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Waits for the child; past `limit` it is killed (its pipes then close and the readers end).
fn wait_at_most(child: &mut Child, limit: Duration) -> Result<std::process::ExitStatus, RasterError> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| RasterError::Failed(e.to_string()))? {
            return Ok(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(RasterError::TimedOut);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `dpi`, lowered so the first page's long side is at most [`MAX_SIDE_PX`] pixels.
fn capped_dpi(pdf: &[u8], dpi: u32) -> u32 {
    let Some(long_side_points) = first_page_long_side(pdf) else {
        return dpi.min(FALLBACK_DPI);
    };
    let inches = f64::from(long_side_points) / 72.0;
    let most = (f64::from(MAX_SIDE_PX) / inches).floor().max(1.0) as u32;
    dpi.min(most)
}

fn first_page_long_side(pdf: &[u8]) -> Option<f32> {
    let document = lopdf::Document::load_mem(pdf).ok()?;
    let (_, page) = document.get_pages().into_iter().next()?;
    let media_box = document.get_dictionary(page).ok()?.get(b"MediaBox").ok()?;
    let numbers: Vec<f32> = media_box
        .as_array()
        .ok()?
        .iter()
        .map(|n| n.as_float().ok())
        .collect::<Option<_>>()?;
    let [x0, y0, x1, y1] = numbers.as_slice() else {
        return None;
    };
    Some((x1 - x0).abs().max((y1 - y0).abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resolution_is_lowered_to_keep_the_picture_within_the_cap() {
        // Without a readable page, the largest page a design may have is assumed.
        assert_eq!(capped_dpi(b"not a pdf", 300), FALLBACK_DPI);
        assert_eq!(capped_dpi(b"not a pdf", 40), 40);
    }

    #[test]
    fn a_run_past_the_time_limit_is_killed() {
        let Ok(mut child) = Command::new("sleep").arg("30").spawn() else {
            return;
        };
        let started = Instant::now();
        assert!(matches!(
            wait_at_most(&mut child, Duration::from_millis(100)),
            Err(RasterError::TimedOut)
        ));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(child.try_wait().unwrap().is_some(), "the process is gone");
    }

    #[test]
    fn no_more_runs_at_once_than_allowed() {
        let runs = Runs {
            running: AtomicUsize::new(0),
        };
        let held: Vec<_> = std::iter::from_fn(|| runs.take(3).ok()).take(10).collect();
        assert_eq!(held.len(), 3);
        assert!(matches!(runs.take(3), Err(RasterError::Busy)));
        drop(held);
        assert!(runs.take(3).is_ok());
    }
}
