//! `LogoValidator` (`validators/logo.py`): any `logo.svg` is enough; otherwise `logo.png` must be a
//! PNG, square and at most 50 KiB. Dimensions are read from the image header (PNG, and JPEG / GIF /
//! BMP so a mislabelled file still gets its "not square" message like Pillow gives it).

use std::path::Path;

use super::ModuleResult;

const FILE: &str = "logo.png";
pub const MAX_BYTES: u64 = 50 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Other,
}

/// The image format and size, or `None` when the file is not an image Pillow could open.
pub fn probe(bytes: &[u8]) -> Option<(Format, u32, u32)> {
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        if bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
            return Some((Format::Png, be32(&bytes[16..20]), be32(&bytes[20..24])));
        }
        return None;
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        let w = u16::from_le_bytes([*bytes.get(6)?, *bytes.get(7)?]) as u32;
        let h = u16::from_le_bytes([*bytes.get(8)?, *bytes.get(9)?]) as u32;
        return Some((Format::Other, w, h));
    }
    if bytes.starts_with(b"BM") && bytes.len() >= 26 {
        let w = i32::from_le_bytes([bytes[18], bytes[19], bytes[20], bytes[21]]).unsigned_abs();
        let h = i32::from_le_bytes([bytes[22], bytes[23], bytes[24], bytes[25]]).unsigned_abs();
        return Some((Format::Other, w, h));
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        return jpeg_size(bytes).map(|(w, h)| (Format::Other, w, h));
    }
    None
}

fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof && i + 9 <= bytes.len() {
            let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]) as u32;
            let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]) as u32;
            return Some((w, h));
        }
        i += 2 + len;
    }
    None
}

pub fn validate(result: &mut ModuleResult) {
    if result.file("logo.svg").is_file() {
        return;
    }
    let path = result.file(FILE);
    if !path.is_file() {
        result.error(FILE, "logo", "Logo is missing");
        return;
    }
    check_png(result, &path);
}

fn check_png(result: &mut ModuleResult, path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_default();
    // An image Pillow cannot open crashes the real checker; here it is "not in PNG format".
    let Some((format, width, height)) = probe(&bytes) else {
        result.error(FILE, "logo", "Logo is not in PNG format");
        return;
    };
    if format != Format::Png {
        result.error(FILE, "logo", "Logo is not in PNG format");
    }
    if width != height {
        result.error(
            FILE,
            "logo",
            format!("Logo is not square - {width}x{height}px"),
        );
    }
    if bytes.len() as u64 > MAX_BYTES {
        result.error(FILE, "logo", "Logo file weights more than 50 KiB");
    }
}
