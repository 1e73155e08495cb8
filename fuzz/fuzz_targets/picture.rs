//! A design's picture is whatever an organizer uploads as a background, logo, signature or stamp:
//! a JPEG or PNG from Canva or CorelDRAW, or anything else with that name. Any input must end in
//! a checked picture or a refusal, never a panic, a hang or unbounded memory (the limits are the
//! service's own: 12,000 px a side, 40 megapixels, 600 MB decoded). The seeds in
//! `fuzz/seeds/picture` are small real pictures of each colour model the renderer handles.
#![no_main]

use gramota::issuance::render::images::Picture;
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    // A decoder's own panic is caught by `images::decode` and ends in a refusal, as the service
    // needs; libfuzzer-sys's hook would abort on it before the catch and hide every later finding.
    // A panic nothing catches still fails the run: libfuzzer-sys aborts on it after unwinding.
    init: std::panic::set_hook(Box::new(|_| {})),
    |data: &[u8]| {
        let _ = Picture::check(data.to_vec());
        // The same bytes behind each format's signature reach that decoder's header and chunk code
        // even when the fuzzer has not found the signature itself.
        for magic in [&b"\x89PNG\r\n\x1a\n"[..], &b"\xff\xd8\xff"[..]] {
            let mut bytes = magic.to_vec();
            bytes.extend_from_slice(data);
            let _ = Picture::check(bytes);
        }
    }
);
