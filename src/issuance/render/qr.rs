//! QR codes as vector runs: one rectangle per horizontal run of dark modules.

use qrcode::{Color, EcLevel, QrCode};

pub struct QrRuns {
    /// Modules per side, without the quiet zone.
    pub modules: usize,
    /// Dark rectangles: (first row, first column, width, height) in modules. A horizontal run that
    /// repeats in the rows below grows downwards instead of starting a new rectangle.
    pub runs: Vec<(usize, usize, usize, usize)>,
}

pub fn encode(data: &str) -> Result<QrRuns, qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)?;
    let modules = code.width();
    let colors = code.to_colors();
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

    /// The rectangles cover exactly the dark modules, each once.
    #[test]
    fn rectangles_cover_exactly_the_dark_modules() {
        let data = "https://gramota.kz/v/ABCDEFGHJKMNPQRS#QRE2EAJHARCL6DA2T2Q";
        let runs = encode(data).unwrap();
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).unwrap();
        let n = code.width();
        let mut covered = vec![0u8; n * n];
        for &(row, column, width, height) in &runs.runs {
            for r in row..row + height {
                for c in column..column + width {
                    covered[r * n + c] += 1;
                }
            }
        }
        let dark: Vec<u8> = code
            .to_colors()
            .iter()
            .map(|c| u8::from(*c == Color::Dark))
            .collect();
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
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let qrcode::Version::Normal(version) = code.version() else {
            panic!("micro QR")
        };
        let printed_mm = 32.0;
        let module_mm = printed_mm / (code.width() as f32 + 4.0);
        println!("fragment {} chars, URL {} chars, QR version {version}, {} modules, {module_mm:.3} mm per module at {printed_mm} mm", fragment.len(), url.len(), code.width());
        assert!(version <= 15, "version {version}");
    }
}
