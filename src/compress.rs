//! Deflate with a compressor kept per thread and reset between uses: setting one up (its hash
//! tables) costs more than compressing the few hundred bytes of a signed record or the few
//! kilobytes of a page.

use std::cell::RefCell;
use std::thread::LocalKey;

use flate2::{Compress, FlushCompress, Status};

/// Compresses `data` in one go with the thread's compressor from `compressor`.
pub fn deflate_with(
    compressor: &'static LocalKey<RefCell<Compress>>,
    data: &[u8],
) -> std::io::Result<Vec<u8>> {
    compressor.with(|cell| {
        let mut compressor = cell.borrow_mut();
        compressor.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 128);
        loop {
            let consumed = usize::try_from(compressor.total_in())
                .unwrap_or(data.len())
                .min(data.len());
            match compressor.compress_vec(&data[consumed..], &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => return Ok(out),
                Ok(_) => out.reserve(out.capacity().max(1024)),
                Err(e) => return Err(std::io::Error::other(e)),
            }
        }
    })
}
