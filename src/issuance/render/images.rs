//! Pictures a design draws (backgrounds, logos, signatures, stamps) as PDF image objects. A JPEG
//! goes into the PDF byte for byte (no re-encoding, no downsampling: the artist's file is what
//! prints); a PNG is decoded once and its colour and transparency stored deflated.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use super::pdf::{deflate, Fragment};

/// Beyond this many pixels a side the picture is larger than any print needs (A3 at 600 dpi is
/// about 10,000 px), and decoding it could take gigabytes.
pub const MAX_SIDE_PX: u32 = 12_000;
/// And beyond this many pixels in all: 12,000 × 12,000 px is a 547 KB PNG that decodes to 432 MB
/// and took a preview to 1.8 GB. 40 megapixels is an A3 page at 400 dpi, or A4 at 600 dpi, more
/// than a print needs. Checked from the file's header, before anything is decoded.
pub const MAX_PIXELS: u64 = 40_000_000;
const MAX_DECODED_BYTES: u64 = 600 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImageError {
    #[error("the file is not a JPEG or PNG picture")]
    NotAnImage,
    #[error("the picture is {width} × {height} pixels; at most {MAX_SIDE_PX} pixels a side are accepted")]
    TooLarge { width: u32, height: u32 },
    #[error("the picture is {width} × {height} pixels; at most {MAX_PIXELS} pixels in all are accepted")]
    TooManyPixels { width: u32, height: u32 },
    #[error("the picture is damaged or cut short: {0}")]
    Damaged(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
}

/// A checked picture: its format and size are known and it decodes completely.
#[derive(Debug, Clone)]
pub struct Picture {
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
    bytes: Vec<u8>,
}

impl Picture {
    pub fn check(bytes: Vec<u8>) -> Result<Picture, ImageError> {
        let reader = ImageReader::new(Cursor::new(&bytes))
            .with_guessed_format()
            .map_err(|e| ImageError::Damaged(e.to_string()))?;
        let kind = match reader.format() {
            Some(ImageFormat::Jpeg) => Kind::Jpeg,
            Some(ImageFormat::Png) => Kind::Png,
            _ => return Err(ImageError::NotAnImage),
        };
        let (width, height) = reader
            .into_dimensions()
            .map_err(|e| ImageError::Damaged(e.to_string()))?;
        if width > MAX_SIDE_PX || height > MAX_SIDE_PX {
            return Err(ImageError::TooLarge { width, height });
        }
        if u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(ImageError::TooManyPixels { width, height });
        }
        if kind == Kind::Jpeg && !bytes.ends_with(&[0xFF, 0xD9]) {
            // A JPEG that stops before its end marker prints grey bands; decoders only warn.
            return Err(ImageError::Damaged("the JPEG has no end marker".into()));
        }
        decode(&bytes)?;
        Ok(Picture {
            kind,
            width,
            height,
            bytes,
        })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Writes the image object (and its transparency mask, numbered `object + 1`) and tells how
    /// many object numbers it took.
    pub fn write(&self, object: u32, out: &mut Fragment) -> Result<u32, ImageError> {
        match self.kind {
            Kind::Jpeg => {
                let colour_space = match jpeg_components(&self.bytes) {
                    Some(1) => "/DeviceGray",
                    Some(4) => "/DeviceCMYK/Decode[1 0 1 0 1 0 1 0]",
                    _ => "/DeviceRGB",
                };
                out.stream(
                    object,
                    &format!(
                        "/Type/XObject/Subtype/Image/Width {}/Height {}/ColorSpace{colour_space}/BitsPerComponent 8/Filter/DCTDecode",
                        self.width, self.height
                    ),
                    &self.bytes,
                );
                Ok(1)
            }
            Kind::Png => {
                let decoded = decode(&self.bytes)?;
                let has_alpha = decoded.color().has_alpha();
                let rgba = decoded.to_rgba8();
                let rgb: Vec<u8> = rgba.pixels().flat_map(|p| [p[0], p[1], p[2]]).collect();
                let mask = if has_alpha {
                    let alpha: Vec<u8> = rgba.pixels().map(|p| p[3]).collect();
                    out.stream(
                        object + 1,
                        &format!(
                            "/Type/XObject/Subtype/Image/Width {}/Height {}/ColorSpace/DeviceGray/BitsPerComponent 8/Filter/FlateDecode",
                            self.width, self.height
                        ),
                        &deflate(&alpha, 6),
                    );
                    format!("/SMask {} 0 R", object + 1)
                } else {
                    String::new()
                };
                out.stream(
                    object,
                    &format!(
                        "/Type/XObject/Subtype/Image/Width {}/Height {}/ColorSpace/DeviceRGB/BitsPerComponent 8/Filter/FlateDecode{mask}",
                        self.width, self.height
                    ),
                    &deflate(&rgb, 6),
                );
                Ok(if has_alpha { 2 } else { 1 })
            }
        }
    }
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Damaged(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE_PX);
    limits.max_image_height = Some(MAX_SIDE_PX);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    // A decoder's own bug must end in a refusal, not a dead request: the picture fuzzer found a
    // 404-byte JPEG on which zune-jpeg 0.5.15 indexes out of bounds in its IDCT
    // (`fuzz/regressions/picture-zune-jpeg-idct-panic.jpg`), and a 206-byte PNG on which png 0.18.1
    // slices past a palette's end (`picture-png-palette-panic.png`).
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.decode()))
        .map_err(|_| ImageError::Damaged("the picture's decoder failed on it".into()))?
        .map_err(|e| ImageError::Damaged(e.to_string()))
}

/// The number of colour components in a JPEG's frame header.
fn jpeg_components(bytes: &[u8]) -> Option<u8> {
    let mut at = 2;
    while at + 9 < bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            return Some(bytes[at + 9]);
        }
        at += 2 + length;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_that_crashes_the_decoder_is_refused() {
        for bytes in [
            &include_bytes!("../../../fuzz/regressions/picture-zune-jpeg-idct-panic.jpg")[..],
            &include_bytes!("../../../fuzz/regressions/picture-png-palette-panic.png")[..],
        ] {
            assert!(matches!(
                Picture::check(bytes.to_vec()),
                Err(ImageError::Damaged(_))
            ));
        }
    }

    fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let image = if alpha {
            DynamicImage::new_rgba8(width, height)
        } else {
            DynamicImage::new_rgb8(width, height)
        };
        image.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0_u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        DynamicImage::new_rgb8(width, height)
            .write_to(&mut out, ImageFormat::Jpeg)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn a_jpeg_goes_in_byte_for_byte() {
        let bytes = jpeg(64, 32);
        let picture = Picture::check(bytes.clone()).unwrap();
        assert_eq!((picture.width, picture.height), (64, 32));
        let mut out = Fragment::default();
        assert_eq!(picture.write(7, &mut out).unwrap(), 1);
        let found = out.bytes.windows(bytes.len()).any(|w| w == bytes.as_slice());
        assert!(found, "the JPEG's bytes are in the object unchanged");
        assert!(String::from_utf8_lossy(&out.bytes).contains("/DCTDecode"));
    }

    #[test]
    fn a_png_with_transparency_gets_a_mask() {
        let picture = Picture::check(png(10, 10, true)).unwrap();
        let mut out = Fragment::default();
        assert_eq!(picture.write(7, &mut out).unwrap(), 2);
        assert!(String::from_utf8_lossy(&out.bytes).contains("/SMask 8 0 R"));
    }

    #[test]
    fn huge_cut_short_and_foreign_files_are_refused() {
        // A 20000 × 20000 PNG header is refused before anything is decoded.
        let huge = png(20_000, 1, false);
        let mut header = huge.clone();
        // Patch the height in IHDR (bytes 20..24) instead of encoding 400 megapixels.
        header[20..24].copy_from_slice(&20_000_u32.to_be_bytes());
        let crc = crc32(&header[12..29]);
        header[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            Picture::check(header).unwrap_err(),
            ImageError::TooLarge {
                width: 20_000,
                height: 20_000
            }
        );
        let mut cut = jpeg(200, 200);
        cut.truncate(cut.len() / 2);
        assert!(matches!(Picture::check(cut), Err(ImageError::Damaged(_))));
        let mut cut_png = png(200, 200, false);
        cut_png.truncate(cut_png.len() - 20);
        assert!(matches!(Picture::check(cut_png), Err(ImageError::Damaged(_))));
        assert_eq!(
            Picture::check(b"%PDF-1.7 not a picture".to_vec()).unwrap_err(),
            ImageError::NotAnImage
        );
    }
}
