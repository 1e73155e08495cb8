//! QR codes as vector runs: one rectangle per horizontal run of dark modules.
//!
//! The mask is chosen here rather than by the qrcode crate: its choice masked and scored the whole
//! grid module by module eight times, 22 million instructions a code, most of rendering a paper.
//! Here each row and column is one `u128` bit set: everything that does not depend on the data
//! (functional patterns, format information, each mask's pattern) is computed once per QR version,
//! a code's data modules are read once, and the eight candidates are scored with word operations.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{EcLevel, Version};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum QrError {
    #[error("{0}")]
    Encoding(#[from] qrcode::types::QrError),
    #[error(
        "the verification link needs a QR code of {0} modules; at most {MAX_WIDTH} fit the printed size"
    )]
    TooLarge(usize),
}

/// Rows of up to 128 modules: QR version 27, about 1,400 bytes at level M. A signed record's link is
/// under 600 bytes (version 15), and a larger code would no longer scan at the printed size anyway.
const MAX_WIDTH: usize = 128;

pub struct QrRuns {
    /// Modules per side, without the quiet zone.
    pub modules: usize,
    /// Dark rectangles: (first row, first column, width, height) in modules. A horizontal run that
    /// repeats in the rows below grows downwards instead of starting a new rectangle.
    pub runs: Vec<(usize, usize, usize, usize)>,
}

/// A QR code's modules: bit `x` of `rows[y]` is set when the module in column `x`, row `y` is dark.
pub struct QrGrid {
    pub width: usize,
    pub rows: Vec<u128>,
}

#[cfg(test)]
impl QrGrid {
    fn is_dark(&self, x: usize, y: usize) -> bool {
        self.rows[y] >> x & 1 == 1
    }
}

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// What every code of one version shares: for each mask, the modules that do not carry data
/// (finder, timing and alignment patterns, format and version information) together with the mask's
/// own pattern over the data area; a code is then `fixed ^ data`, by rows and by columns.
struct VersionPlan {
    rows_per_mask: [Vec<u128>; 8],
    columns_per_mask: [Vec<u128>; 8],
    /// Where each bit of the codewords (data then error correction, most significant bit first)
    /// goes: (column, row). The placement is fixed by the version, so it is found once instead of
    /// walking the grid for every code.
    data_positions: Vec<(u8, u8)>,
}

impl VersionPlan {
    fn new(version: Version, width: usize, data_len: usize, ec_len: usize) -> Self {
        let mut blank = Canvas::new(version, EcLevel::M);
        blank.draw_all_functional_patterns();
        let data_positions = data_positions(&blank, width, data_len, ec_len);
        let rows_per_mask = MASKS.map(|mask| {
            let mut canvas = blank.clone();
            // Data modules are still empty, i.e. light: masking them leaves the bare pattern.
            canvas.apply_mask(mask);
            bit_rows(width, |x, y| canvas.get(x, y).is_dark())
        });
        let columns_per_mask = rows_per_mask.clone().map(|rows| transpose(&rows, width));
        VersionPlan {
            rows_per_mask,
            columns_per_mask,
            data_positions,
        }
    }

    fn get(version: Version, width: usize, data_len: usize, ec_len: usize) -> Rc<VersionPlan> {
        thread_local! {
            static PLANS: RefCell<HashMap<(i16, usize, usize), Rc<VersionPlan>>> = RefCell::new(HashMap::new());
        }
        let number = match version {
            Version::Normal(v) => v,
            Version::Micro(v) => -v,
        };
        PLANS.with(|plans| {
            plans
                .borrow_mut()
                .entry((number, data_len, ec_len))
                .or_insert_with(|| Rc::new(VersionPlan::new(version, width, data_len, ec_len)))
                .clone()
        })
    }
}

/// The module each codeword bit lands on. Drawing synthetic codewords in which bit `i` spells
/// bit `k` of `i + 1` marks every data module with its bit's number after one drawing per `k`.
fn data_positions(blank: &Canvas, width: usize, data_len: usize, ec_len: usize) -> Vec<(u8, u8)> {
    let total = (data_len + ec_len) * 8;
    let digits = usize::BITS - total.leading_zeros();
    let mut numbers = vec![0usize; width * width];
    for k in 0..digits {
        let stream: Vec<u8> = (0..data_len + ec_len)
            .map(|byte| (0..8).fold(0u8, |b, j| b << 1 | u8::from((byte * 8 + j + 1) >> k & 1 == 1)))
            .collect();
        let mut canvas = blank.clone();
        let (data, ec) = stream.split_at(data_len);
        canvas.draw_data(data, ec);
        for (i, number) in numbers.iter_mut().enumerate() {
            let (x, y) = ((i % width) as i16, (i / width) as i16);
            if canvas.get(x, y) == Module::Unmasked(qrcode::Color::Dark) {
                *number |= 1 << k;
            }
        }
    }
    let mut positions = vec![(u8::MAX, u8::MAX); total];
    for (i, &number) in numbers.iter().enumerate() {
        if let Some(slot) = number.checked_sub(1).and_then(|n| positions.get_mut(n)) {
            // Widths are at most MAX_WIDTH (128), so coordinates fit a byte.
            *slot = ((i % width) as u8, (i / width) as u8);
        }
    }
    positions
}

fn bit_rows(width: usize, dark: impl Fn(i16, i16) -> bool) -> Vec<u128> {
    (0..width)
        .map(|y| (0..width).fold(0u128, |row, x| row | u128::from(dark(x as i16, y as i16)) << x))
        .collect()
}

fn transpose(rows: &[u128], width: usize) -> Vec<u128> {
    let mut columns = vec![0u128; width];
    for (y, row) in rows.iter().enumerate() {
        let mut bits = *row;
        while bits != 0 {
            let x = bits.trailing_zeros() as usize;
            columns[x] |= 1 << y;
            bits &= bits - 1;
        }
    }
    columns
}

/// The QR code's modules at error correction level M, the mask chosen by the standard's penalty
/// rules (ISO/IEC 18004 7.8.3), the first of equals winning.
pub fn modules(data: &str) -> Result<QrGrid, QrError> {
    let bits = qrcode::bits::encode_auto(data.as_bytes(), EcLevel::M)?;
    let version = bits.version();
    let width = usize::try_from(version.width()).unwrap_or(usize::MAX);
    if width > MAX_WIDTH {
        return Err(QrError::TooLarge(width));
    }
    let (codewords, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M)?;
    let plan = VersionPlan::get(version, width, codewords.len(), ec.len());
    let mut data_rows = vec![0u128; width];
    let mut data_columns = vec![0u128; width];
    for (i, &byte) in codewords.iter().chain(&ec).enumerate() {
        let mut bits = byte;
        while bits != 0 {
            let j = bits.leading_zeros() as usize;
            bits &= !(0x80 >> j);
            if let Some(&(x, y)) = plan.data_positions.get(i * 8 + j) {
                if x != u8::MAX {
                    data_rows[usize::from(y)] |= 1 << x;
                    data_columns[usize::from(x)] |= 1 << y;
                }
            }
        }
    }
    let mut best: Option<(u32, usize)> = None;
    let mut rows = vec![0u128; width];
    let mut columns = vec![0u128; width];
    for mask in 0..MASKS.len() {
        xor_into(&mut rows, &plan.rows_per_mask[mask], &data_rows);
        xor_into(&mut columns, &plan.columns_per_mask[mask], &data_columns);
        let score = penalty(&rows, &columns, width);
        if best.is_none_or(|(lowest, _)| score < lowest) {
            best = Some((score, mask));
        }
    }
    let chosen = best.map_or(0, |(_, mask)| mask);
    xor_into(&mut rows, &plan.rows_per_mask[chosen], &data_rows);
    Ok(QrGrid { width, rows })
}

fn xor_into(out: &mut [u128], fixed: &[u128], data: &[u128]) {
    for ((o, f), d) in out.iter_mut().zip(fixed).zip(data) {
        *o = f ^ d;
    }
}

/// The four penalty rules over bit sets: runs of five or more alike (in rows and columns), 2×2
/// blocks alike, finder-like 1:1:3:1:1 patterns beside four light modules, and the balance of dark
/// and light.
fn penalty(rows: &[u128], columns: &[u128], width: usize) -> u32 {
    let inner = (1u128 << (width - 1)) - 1; // bit x: module x has a right neighbour
    let finder_starts = (1u128 << (width - 10)) - 1; // bit x: a window of 11 fits from x
    let mut score = 0;
    for line in rows.iter().chain(columns) {
        let line = *line;
        // Bit x: module x is like module x + 1. A run of n ≥ 5 alike is n − 1 such bits in a row,
        // which holds n − 4 windows of four; it scores n − 2 = windows + 2 per run.
        let alike = !(line ^ line >> 1) & inner;
        let fours = alike & alike >> 1 & alike >> 2 & alike >> 3;
        score += fours.count_ones() + 2 * (fours & !(fours << 1)).count_ones();
        score += 40 * (finder_like(line, FINDER_THEN_LIGHT) & finder_starts).count_ones();
        score += 40 * (finder_like(line, LIGHT_THEN_FINDER) & finder_starts).count_ones();
    }
    for pair in rows.windows(2) {
        let (upper, lower) = (pair[0], pair[1]);
        let vertical = !(upper ^ lower);
        let horizontal = !(upper ^ upper >> 1);
        score += 3 * (vertical & vertical >> 1 & horizontal & inner).count_ones();
    }
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let percent = dark * 100 / (width * width) as u32;
    score + percent.abs_diff(50) / 5 * 10
}

/// Patterns of 11 modules, module `x` first: 1011101 then 0000, and 0000 then 1011101.
const FINDER_THEN_LIGHT: [bool; 11] = [
    true, false, true, true, true, false, true, false, false, false, false,
];
const LIGHT_THEN_FINDER: [bool; 11] = [
    false, false, false, false, true, false, true, true, true, false, true,
];

/// Bit x: the 11 modules from x on match `pattern`.
fn finder_like(line: u128, pattern: [bool; 11]) -> u128 {
    pattern.iter().enumerate().fold(!0u128, |found, (offset, &dark)| {
        let shifted = line >> offset;
        found & if dark { shifted } else { !shifted }
    })
}

pub fn encode(data: &str) -> Result<QrRuns, QrError> {
    let grid = modules(data)?;
    let modules = grid.width;
    let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new();
    // Rectangles that reached the previous row, by (first column, width), as indexes into `runs`;
    // in column order, like the runs of the row being read, so one cursor walks both.
    let mut open: Vec<((usize, usize), usize)> = Vec::new();
    let mut still_open = Vec::new();
    for (row, &line) in grid.rows.iter().enumerate() {
        still_open.clear();
        let mut above = open.iter().peekable();
        let mut bits = line;
        while bits != 0 {
            let start = bits.trailing_zeros() as usize;
            let length = (!(bits >> start)).trailing_zeros() as usize;
            bits &= !(((1u128 << length) - 1) << start);
            let key = (start, length);
            while above.next_if(|((column, _), _)| *column < start).is_some() {}
            let index = match above.next_if(|(k, _)| *k == key) {
                Some(&(_, index)) => {
                    runs[index].3 += 1;
                    index
                }
                None => {
                    runs.push((row, start, length, 1));
                    runs.len() - 1
                }
            };
            still_open.push((key, index));
        }
        std::mem::swap(&mut open, &mut still_open);
    }
    Ok(QrRuns { modules, runs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::{Keyring, RecordFields};
    use qrcode::Color;

    /// The chosen mask gives a code a reader decodes (rqrr reads the modules back).
    #[test]
    fn the_code_reads_back() {
        let data = "https://gramota.kz/v/ABCDEFGHJKMNPQRS#QRE2EAJHARCL6DA2T2QQRE2EAJHARCL6DA2T2Q";
        let grid = modules(data).unwrap();
        let (n, quiet) = (grid.width, 4);
        let size = n + 2 * quiet;
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(size * 4, size * 4, |x, y| {
            let (mx, my) = (x / 4, y / 4);
            let inside = (quiet..quiet + n).contains(&mx) && (quiet..quiet + n).contains(&my);
            if inside && grid.is_dark(mx - quiet, my - quiet) {
                0
            } else {
                255
            }
        });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, data);
    }

    /// The straightforward reading of the penalty rules, module by module: the bit-set scoring
    /// must choose exactly the mask it chooses, or papers issued before would render differently.
    fn reference_modules(data: &str) -> (usize, Vec<Color>) {
        let bits = qrcode::bits::encode_auto(data.as_bytes(), EcLevel::M).unwrap();
        let version = bits.version();
        let (codewords, ec) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).unwrap();
        let mut unmasked = Canvas::new(version, EcLevel::M);
        unmasked.draw_all_functional_patterns();
        unmasked.draw_data(&codewords, &ec);
        let width = version.width() as usize;
        let mut best: Option<(u32, Vec<Color>)> = None;
        for mask in MASKS {
            let mut canvas = unmasked.clone();
            canvas.apply_mask(mask);
            let colors = canvas.into_colors();
            let score = reference_penalty(&colors, width);
            if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
                best = Some((score, colors));
            }
        }
        (width, best.unwrap().1)
    }

    fn reference_penalty(colors: &[Color], width: usize) -> u32 {
        let dark = |x: usize, y: usize| colors[y * width + x] == Color::Dark;
        let mut score = 0;
        for horizontal in [true, false] {
            for line in 0..width {
                let at = |i: usize| if horizontal { dark(i, line) } else { dark(line, i) };
                let mut run = 1;
                let mut window: u16 = 0;
                for i in 0..width {
                    if i > 0 {
                        if at(i) == at(i - 1) {
                            run += 1;
                        } else {
                            if run >= 5 {
                                score += run - 2;
                            }
                            run = 1;
                        }
                    }
                    window = ((window << 1) | u16::from(at(i))) & 0x7FF;
                    if i >= 10 && (window == 0b101_1101_0000 || window == 0b000_0101_1101) {
                        score += 40;
                    }
                }
                if run >= 5 {
                    score += run - 2;
                }
            }
        }
        let mut dark_count = 0;
        for y in 0..width {
            for x in 0..width {
                dark_count += u32::from(dark(x, y));
                if x + 1 < width && y + 1 < width {
                    let c = dark(x, y);
                    if dark(x + 1, y) == c && dark(x, y + 1) == c && dark(x + 1, y + 1) == c {
                        score += 3;
                    }
                }
            }
        }
        let percent = dark_count * 100 / (width * width) as u32;
        score + percent.abs_diff(50) / 5 * 10
    }

    #[test]
    fn the_bit_set_scoring_chooses_what_the_module_by_module_rules_choose() {
        // Lengths from version 1 to about 20, varied content so that every mask gets to win.
        let mut distinct_codes = std::collections::BTreeSet::new();
        for i in 0..400usize {
            let data: String = (0..(i * 7) % 900 + 1)
                .map(|j| char::from(b"ABCDEFGHJKMNPQRSTUVWXYZ234567:/#."[(i * 31 + j * j * 7 + j / 3) % 32]))
                .collect();
            let grid = modules(&data).unwrap();
            let (width, colors) = reference_modules(&data);
            assert_eq!(grid.width, width);
            let expected: Vec<bool> = colors.iter().map(|c| *c == Color::Dark).collect();
            let got: Vec<bool> = (0..width * width)
                .map(|i| grid.is_dark(i % width, i / width))
                .collect();
            assert_eq!(got, expected, "data of {} chars", data.len());
            distinct_codes.insert(format!("{:?}", &got[..width.min(64)]));
        }
        assert!(distinct_codes.len() > 100);
    }

    /// The rectangles cover exactly the dark modules, each once.
    #[test]
    fn rectangles_cover_exactly_the_dark_modules() {
        let data = "https://gramota.kz/v/ABCDEFGHJKMNPQRS#QRE2EAJHARCL6DA2T2Q";
        let runs = encode(data).unwrap();
        let grid = modules(data).unwrap();
        let n = grid.width;
        let mut covered = vec![0u8; n * n];
        for &(row, column, width, height) in &runs.runs {
            for r in row..row + height {
                for c in column..column + width {
                    covered[r * n + c] += 1;
                }
            }
        }
        let dark: Vec<u8> = (0..n * n).map(|i| u8::from(grid.is_dark(i % n, i / n))).collect();
        assert_eq!(covered, dark);
        assert!(
            runs.runs.len() < dark.iter().filter(|d| **d == 1).count() / 2,
            "runs are merged"
        );
    }

    /// A link too long for a code that scans at the printed size is refused, not drawn.
    #[test]
    fn a_link_past_version_27_is_refused() {
        let data = "A".repeat(2500);
        assert!(matches!(modules(&data), Err(QrError::TooLarge(_))));
    }

    /// The longest realistic record still gives a QR code a phone camera reads at the printed size.
    #[test]
    fn the_longest_realistic_record_fits_version_16_at_level_m() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Keyring::open_or_create(dir.path()).unwrap();
        let fields = RecordFields {
            valid_until: Some("2027-11-20".into()),
            ..crate::trust::record::longest_realistic_record()
        };
        let fragment = fields.sign(keyring.active().unwrap()).unwrap();
        let url = format!("https://gramota.example.kz/v/{}#{fragment}", fields.code);
        let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let qrcode::Version::Normal(version) = code.version() else {
            panic!("micro QR")
        };
        let printed_mm = 32.0;
        let module_mm = printed_mm / (code.width() as f32 + 4.0);
        println!("fragment {} chars, URL {} chars, QR version {version}, {} modules, {module_mm:.3} mm per module at {printed_mm} mm", fragment.len(), url.len(), code.width());
        // With the organizer's own award title (key 9) the longest record takes version 16:
        // 0.38 mm modules at 32 mm, still read by phone cameras at arm's length (≥ 0.33 mm).
        assert!(
            version <= 16 && module_mm >= 0.33,
            "version {version}, {module_mm:.3} mm"
        );
    }
}
