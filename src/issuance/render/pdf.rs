//! A small PDF writer: numbered objects into a byte buffer, then the cross-reference table.
//! Objects shared by every paper of a design (fonts, background) are written once into a
//! [`Fragment`] and copied into each file as bytes, so a document only writes what is its own.

use std::cell::RefCell;
use std::io::Write;
use std::sync::Arc;

use data_encoding::HEXLOWER;
use sha2::{Digest, Sha256};

use flate2::write::ZlibEncoder;
use flate2::{Compress, Compression};

/// Bytes of numbered objects with their offsets relative to the fragment's start.
#[derive(Debug, Clone, Default)]
pub struct Fragment {
    pub bytes: Vec<u8>,
    /// (object number, offset in `bytes`)
    pub offsets: Vec<(u32, usize)>,
}

impl Fragment {
    pub fn object(&mut self, number: u32, body: &[u8]) {
        self.offsets.push((number, self.bytes.len()));
        self.bytes
            .extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        self.bytes.extend_from_slice(body);
        self.bytes.extend_from_slice(b"\nendobj\n");
    }

    /// A stream object; `dict` holds the entries besides /Length.
    pub fn stream(&mut self, number: u32, dict: &str, data: &[u8]) {
        self.offsets.push((number, self.bytes.len()));
        self.bytes.extend_from_slice(
            format!("{number} 0 obj\n<<{dict}/Length {}>>\nstream\n", data.len()).as_bytes(),
        );
        self.bytes.extend_from_slice(data);
        self.bytes.extend_from_slice(b"\nendstream\nendobj\n");
    }
}

/// The first line of every file; the binary comment tells transfer programs the file is not text.
pub const HEADER: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";

/// The start of every paper of a design: the header and the shared objects, byte for byte the
/// same in each file, with the SHA-256 state after them, so that a paper's digest only hashes
/// what is its own.
#[derive(Debug)]
pub struct Prefix {
    pub bytes: Vec<u8>,
    /// (object number, offset in the file)
    pub offsets: Vec<(u32, usize)>,
    hashed: Sha256,
    /// The prefix's own SHA-256 in lowercase hex: its name where it is stored once for all papers.
    pub id: String,
}

impl Prefix {
    pub fn new(shared: &Fragment) -> Prefix {
        let mut bytes = Vec::with_capacity(HEADER.len() + shared.bytes.len());
        bytes.extend_from_slice(HEADER);
        bytes.extend_from_slice(&shared.bytes);
        let offsets = shared
            .offsets
            .iter()
            .map(|&(n, offset)| (n, HEADER.len() + offset))
            .collect();
        let hashed = Sha256::new_with_prefix(&bytes);
        let id = HEXLOWER.encode(&hashed.clone().finalize());
        Prefix {
            bytes,
            offsets,
            hashed,
            id,
        }
    }
}

/// A paper's PDF: the design's shared prefix followed by the paper's own bytes.
#[derive(Debug, Clone)]
pub struct PaperPdf {
    prefix: Arc<Prefix>,
    tail: Vec<u8>,
    sha256: [u8; 32],
}

impl PaperPdf {
    /// The file's SHA-256 in lowercase hex.
    pub fn sha256_hex(&self) -> String {
        HEXLOWER.encode(&self.sha256)
    }

    /// The file as two slices, to write without joining them.
    pub fn parts(&self) -> [&[u8]; 2] {
        [&self.prefix.bytes, &self.tail]
    }

    /// The design's shared prefix, the same in every paper of the design.
    pub fn prefix(&self) -> &Prefix {
        &self.prefix
    }

    /// What follows the prefix: the paper's own bytes.
    pub fn tail(&self) -> &[u8] {
        &self.tail
    }

    pub fn into_bytes(self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.prefix.bytes.len() + self.tail.len());
        bytes.extend_from_slice(&self.prefix.bytes);
        bytes.extend_from_slice(&self.tail);
        bytes
    }
}

/// One PDF file being assembled after a design's prefix.
pub struct PdfFile {
    prefix: Arc<Prefix>,
    bytes: Vec<u8>,
    offsets: Vec<(u32, usize)>,
}

impl PdfFile {
    pub fn after(prefix: Arc<Prefix>, capacity: usize) -> PdfFile {
        PdfFile {
            offsets: prefix.offsets.clone(),
            prefix,
            bytes: Vec::with_capacity(capacity),
        }
    }

    fn position(&self) -> usize {
        self.prefix.bytes.len() + self.bytes.len()
    }

    pub fn append(&mut self, fragment: &Fragment) {
        let base = self.position();
        self.bytes.extend_from_slice(&fragment.bytes);
        self.offsets
            .extend(fragment.offsets.iter().map(|&(n, offset)| (n, base + offset)));
    }

    /// Writes the cross-reference table and trailer; objects must be numbered 1..=N without gaps.
    pub fn finish(mut self, root: u32, info: u32, id: &[u8; 16]) -> PaperPdf {
        self.offsets.sort_unstable_by_key(|&(n, _)| n);
        let count = self.offsets.len() + 1;
        let xref_at = self.position();
        self.bytes
            .extend_from_slice(format!("xref\n0 {count}\n0000000000 65535 f \n").as_bytes());
        for &(_, offset) in &self.offsets {
            self.bytes
                .extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        let id = hex(id);
        self.bytes.extend_from_slice(
            format!(
                "trailer\n<</Size {count}/Root {root} 0 R/Info {info} 0 R/ID[<{id}><{id}>]>>\nstartxref\n{xref_at}\n%%EOF\n"
            )
            .as_bytes(),
        );
        let sha256 = self
            .prefix
            .hashed
            .clone()
            .chain_update(&self.bytes)
            .finalize()
            .into();
        PaperPdf {
            prefix: self.prefix,
            tail: self.bytes,
            sha256,
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02X}");
            s
        })
}

/// A PDF text string: UTF-16BE with a byte-order mark, in hex, so any name survives.
pub fn text_string(text: &str) -> String {
    let mut units = vec![0xFEFF_u16];
    units.extend(text.encode_utf16());
    let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    format!("<{}>", hex(&bytes))
}

/// A PDF literal string of ASCII text (the verification URL is ASCII by construction).
pub fn ascii_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('(');
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            _ => out.push('?'),
        }
    }
    out.push(')');
    out
}

/// A PDF name's characters (without the `/`): anything but a regular character written `#XX`,
/// so `application/vc+jwt` becomes `application#2Fvc+jwt`.
pub fn pdf_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for byte in text.bytes() {
        let delimiter = b"()<>[]{}/%#".contains(&byte);
        if (0x21..=0x7E).contains(&byte) && !delimiter {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("#{byte:02X}"));
        }
    }
    out
}

pub fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() / 2 + 64), Compression::new(level));
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

thread_local! {
    /// A compressor per thread, reset between streams: setting one up costs more than
    /// compressing a page's few kilobytes.
    static PAGE_COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), true));
}

/// Deflates a page's content stream with the thread's reused compressor.
pub fn deflate_page(data: &[u8]) -> Vec<u8> {
    // A deflate into memory cannot fail; fall back to a fresh encoder if it does.
    crate::compress::deflate_with(&PAGE_COMPRESSOR, data).unwrap_or_else(|_| deflate(data, 1))
}

/// A PDF date `D:YYYYMMDDHHmmSSZ` from an ISO date.
pub fn date(iso: &str) -> String {
    let digits: String = iso.chars().filter(char::is_ascii_digit).take(8).collect();
    format!("(D:{digits:0<8}000000Z)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_has_a_cross_reference_entry_for_every_object_at_its_offset() {
        let mut shared = Fragment::default();
        shared.object(3, b"<</Type/Pages/Kids[]/Count 0>>");
        let mut own = Fragment::default();
        own.object(1, b"<</Type/Catalog/Pages 3 0 R>>");
        own.object(2, b"<<>>");
        let mut file = PdfFile::after(Arc::new(Prefix::new(&shared)), 1024);
        file.append(&own);
        let pdf = file.finish(1, 2, &[7; 16]);
        assert_eq!(
            pdf.sha256_hex(),
            crate::domain::token::sha256_hex(&pdf.clone().into_bytes())
        );
        let bytes = pdf.into_bytes();
        assert!(bytes.starts_with(HEADER));
        let text = String::from_utf8_lossy(&bytes);
        for n in 1..=3 {
            let needle = format!("{n} 0 obj");
            let at = bytes
                .windows(needle.len())
                .position(|w| w == needle.as_bytes())
                .unwrap();
            assert!(text.contains(&format!("{at:010} 00000 n")), "object {n}");
        }
        assert!(text.contains("/Size 4"));
    }

    #[test]
    fn page_streams_inflate_back() {
        use std::io::Read;
        for text in [&b"0 0 m 10 10 l S\n"[..], &[b'x'; 100_000][..], b""] {
            let packed = deflate_page(text);
            let mut unpacked = Vec::new();
            flate2::read::ZlibDecoder::new(&packed[..])
                .read_to_end(&mut unpacked)
                .unwrap();
            assert_eq!(unpacked, text);
        }
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(ascii_string("a(b)\\"), "(a\\(b\\)\\\\)");
        assert_eq!(text_string("Ә"), "<FEFF04D8>");
        assert_eq!(date("2026-11-20"), "(D:20261120000000Z)");
        assert_eq!(pdf_name("application/vc+jwt"), "application#2Fvc+jwt");
        assert_eq!(pdf_name("a b#"), "a#20b#23");
    }
}
