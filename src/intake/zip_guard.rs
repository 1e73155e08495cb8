//! An XLSX is a ZIP, and a ZIP can inflate a few kilobytes into gigabytes. Before anything is
//! unpacked, the central directory is read and the archive refused if what it declares is absurd.
//! The declared sizes are what counts: calamine's `zip` stops inflating an entry at its declared
//! size, so an archive that under-declares fails to read instead of inflating on.

use std::io::Cursor;

use super::IntakeLimits;
use crate::i18n::Message;

/// Worksheets, styles, strings, relations: a results workbook has a few dozen entries.
const MAX_ENTRIES: usize = 10_000;
/// Small entries cannot inflate into much whatever their ratio, and repetitive XML compresses well.
const RATIO_CHECKED_ABOVE: u64 = 1024 * 1024;

pub fn check(bytes: &[u8], limits: IntakeLimits) -> Result<(), Message> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Message::CorruptXlsx(e.to_string()))?;
    let limit_mb = limits.max_unpacked_bytes / (1024 * 1024);
    if archive.len() > MAX_ENTRIES {
        return Err(Message::XlsxTooLarge(limit_mb));
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        // `by_index_raw` reads the entry's headers and hands out the still compressed bytes.
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| Message::CorruptXlsx(e.to_string()))?;
        let size = entry.size();
        total = total.saturating_add(size);
        let ratio = size / entry.compressed_size().max(1);
        if total > limits.max_unpacked_bytes
            || (size > RATIO_CHECKED_ABOVE && ratio > limits.max_compression_ratio)
        {
            return Err(Message::XlsxTooLarge(limit_mb));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-entry stored ZIP whose headers declare `declared` bytes and whose data is `data`.
    pub fn stored_zip(name: &str, data: &[u8], declared: u32) -> Vec<u8> {
        let crc = 0u32;
        let size = u32::try_from(data.len()).unwrap();
        let mut local = Vec::new();
        local.extend(b"PK\x03\x04");
        local.extend(20u16.to_le_bytes()); // version needed
        local.extend(0u16.to_le_bytes()); // flags
        local.extend(0u16.to_le_bytes()); // stored
        local.extend([0u8; 4]); // time, date
        local.extend(crc.to_le_bytes());
        local.extend(size.to_le_bytes());
        local.extend(declared.to_le_bytes());
        local.extend(u16::try_from(name.len()).unwrap().to_le_bytes());
        local.extend(0u16.to_le_bytes());
        local.extend(name.as_bytes());
        local.extend(data);
        let directory_offset = u32::try_from(local.len()).unwrap();
        let mut central = Vec::new();
        central.extend(b"PK\x01\x02");
        central.extend(20u16.to_le_bytes()); // version made by
        central.extend(20u16.to_le_bytes());
        central.extend(0u16.to_le_bytes());
        central.extend(0u16.to_le_bytes());
        central.extend([0u8; 4]);
        central.extend(crc.to_le_bytes());
        central.extend(size.to_le_bytes());
        central.extend(declared.to_le_bytes());
        central.extend(u16::try_from(name.len()).unwrap().to_le_bytes());
        central.extend([0u8; 12]); // extra, comment, disk, internal attributes
        central.extend([0u8; 4]); // external attributes
        central.extend(0u32.to_le_bytes()); // local header offset
        central.extend(name.as_bytes());
        let directory_size = u32::try_from(central.len()).unwrap();
        let mut zip = local;
        zip.extend(central);
        zip.extend(b"PK\x05\x06");
        zip.extend([0u8; 4]);
        zip.extend(1u16.to_le_bytes());
        zip.extend(1u16.to_le_bytes());
        zip.extend(directory_size.to_le_bytes());
        zip.extend(directory_offset.to_le_bytes());
        zip.extend(0u16.to_le_bytes());
        zip
    }

    #[test]
    fn refuses_what_the_directory_declares_too_big() {
        let limits = IntakeLimits::default();
        let honest = stored_zip("xl/worksheets/sheet1.xml", b"<x/>", 4);
        assert_eq!(check(&honest, limits), Ok(()));
        let bomb = stored_zip("xl/worksheets/sheet1.xml", &[0; 1000], u32::MAX);
        assert_eq!(check(&bomb, limits), Err(Message::XlsxTooLarge(100)));
        let dense = stored_zip("xl/worksheets/sheet1.xml", &[0; 4000], 4000 * 500);
        assert_eq!(check(&dense, limits), Err(Message::XlsxTooLarge(100)));
        assert!(matches!(
            check(b"PK\x03\x04", limits),
            Err(Message::CorruptXlsx(_))
        ));
    }
}
