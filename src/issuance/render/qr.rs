//! QR codes as vector runs: one rectangle per horizontal run of dark modules.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

pub struct QrRuns {
    /// Modules per side, without the quiet zone.
    pub modules: usize,
    /// Dark rectangles: (first row, first column, width, height) in modules. A horizontal run that
    /// repeats in the rows below grows downwards instead of starting a new rectangle.
    pub runs: Vec<(usize, usize, usize, usize)>,
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

/// The QR code's modules, dark or light, row by row, at error correction level M. The mask is
/// chosen by the standard's penalty rules, scored here in one pass per mask: the qrcode crate's
/// own scoring took 22 million instructions a code, three quarters of rendering a whole paper.
pub fn modules(data: &str) -> Result<(usize, Vec<Color>), qrcode::types::QrError> {
    let bits = qrcode::bits::encode_auto(data.as_bytes(), EcLevel::M)?;
    let version = bits.version();
    let (codewords, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M)?;
    let mut unmasked = Canvas::new(version, EcLevel::M);
    unmasked.draw_all_functional_patterns();
    unmasked.draw_data(&codewords, &ec);
    let width = usize::try_from(version.width()).unwrap_or(0);
    let mut best: Option<(u32, Vec<Color>)> = None;
    for mask in MASKS {
        let mut canvas = unmasked.clone();
        canvas.apply_mask(mask);
        let colors = canvas.into_colors();
        let score = penalty(&colors, width);
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, colors));
        }
    }
    let (_, colors) = best.unwrap_or_default();
    Ok((width, colors))
}

/// ISO/IEC 18004 mask penalty: runs of five or more, 2×2 blocks, finder-like patterns, and the
/// balance of dark and light.
fn penalty(colors: &[Color], width: usize) -> u32 {
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
    let total = (width * width) as u32;
    let percent = dark_count * 100 / total;
    score + percent.abs_diff(50) / 5 * 10
}

pub fn encode(data: &str) -> Result<QrRuns, qrcode::types::QrError> {
    let (modules, colors) = modules(data)?;
    let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new();
    // Rectangles that reached the previous row, by (first column, width), as indexes into `runs`.
    let mut open: Vec<((usize, usize), usize)> = Vec::new();
    for row in 0..modules {
        let line = &colors[row * modules..(row + 1) * modules];
        let mut still_open = Vec::new();
        let mut column = 0;
        while column < modules {
            if line[column] == Color::Dark {
                let start = column;
                while column < modules && line[column] == Color::Dark {
                    column += 1;
                }
                let key = (start, column - start);
                let index = match open.iter().find(|(k, _)| *k == key) {
                    Some(&(_, index)) => {
                        runs[index].3 += 1;
                        index
                    }
                    None => {
                        runs.push((row, start, column - start, 1));
                        runs.len() - 1
                    }
                };
                still_open.push((key, index));
            } else {
                column += 1;
            }
        }
        open = still_open;
    }
    Ok(QrRuns { modules, runs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::{Keyring, RecordFields};

    /// The chosen mask gives a code a reader decodes (rqrr reads the modules back).
    #[test]
    fn the_code_reads_back() {
        let data = "https://gramota.kz/v/ABCDEFGHJKMNPQRS#QRE2EAJHARCL6DA2T2QQRE2EAJHARCL6DA2T2Q";
        let (n, colors) = modules(data).unwrap();
        let quiet = 4;
        let size = n + 2 * quiet;
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(size * 4, size * 4, |x, y| {
            let (mx, my) = (x / 4, y / 4);
            let inside = (quiet..quiet + n).contains(&mx) && (quiet..quiet + n).contains(&my);
            let dark = inside && colors[(my - quiet) * n + (mx - quiet)] == Color::Dark;
            if dark {
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

    /// The rectangles cover exactly the dark modules, each once.
    #[test]
    fn rectangles_cover_exactly_the_dark_modules() {
        let data = "https://gramota.kz/v/ABCDEFGHJKMNPQRS#QRE2EAJHARCL6DA2T2Q";
        let runs = encode(data).unwrap();
        let (n, colors) = modules(data).unwrap();
        let mut covered = vec![0u8; n * n];
        for &(row, column, width, height) in &runs.runs {
            for r in row..row + height {
                for c in column..column + width {
                    covered[r * n + c] += 1;
                }
            }
        }
        let dark: Vec<u8> = colors.iter().map(|c| u8::from(*c == Color::Dark)).collect();
        assert_eq!(covered, dark);
        assert!(
            runs.runs.len() < dark.iter().filter(|d| **d == 1).count() / 2,
            "runs are merged"
        );
    }

    /// The longest realistic record still gives a QR code a phone camera reads at the printed size.
    #[test]
    fn the_longest_realistic_record_fits_version_15_at_level_m() {
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
        assert!(version <= 15, "version {version}");
    }
}
