//! QR codes as vector runs: one rectangle per horizontal run of dark modules.

use qrcode::{Color, EcLevel, QrCode};

pub struct QrRuns {
    /// Modules per side, without the quiet zone.
    pub modules: usize,
    /// (row, first column, length) of each dark run.
    pub runs: Vec<(usize, usize, usize)>,
}

pub fn encode(data: &str) -> Result<QrRuns, qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)?;
    let modules = code.width();
    let colors = code.to_colors();
    let mut runs = Vec::new();
    for row in 0..modules {
        let line = &colors[row * modules..(row + 1) * modules];
        let mut column = 0;
        while column < modules {
            if line[column] == Color::Dark {
                let start = column;
                while column < modules && line[column] == Color::Dark {
                    column += 1;
                }
                runs.push((row, start, column - start));
            } else {
                column += 1;
            }
        }
    }
    Ok(QrRuns { modules, runs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::{Keyring, RecordFields};

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
