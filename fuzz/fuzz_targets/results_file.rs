//! A results file is whatever an organizer uploads: CSV in any encoding, XLSX (a ZIP of XML), or
//! garbage. Any input must end in a reading or a refusal, never a panic, a hang or unbounded
//! memory; the limits are the service's own.
#![no_main]

use gramota::intake::{self, IntakeOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = intake::read(data, &IntakeOptions::default());
    // The same bytes behind a ZIP's magic reach the XLSX reader's archive checks.
    let mut zipped = b"PK\x03\x04".to_vec();
    zipped.extend_from_slice(data);
    let _ = intake::read(&zipped, &IntakeOptions::default());
});
