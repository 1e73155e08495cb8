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
