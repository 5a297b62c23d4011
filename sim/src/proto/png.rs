//! QR code rendering to PNG (8-bit greyscale, zlib via flate2).

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use qrcode::{Color, QrCode};

/// Renders `content` as a QR code PNG with a 4-module quiet zone and `scale` pixels per module.
pub fn qr_png(content: &str, scale: usize) -> Vec<u8> {
    let code = QrCode::new(content.as_bytes())
        .unwrap_or_else(|_| QrCode::new(b"weixin").expect("constant content always encodes"));
    let w = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let side = (w + 2 * quiet) * scale;
    let mut raw = Vec::with_capacity((side + 1) * side);
    for y in 0..side {
        raw.push(0u8); // filter: none
        let my = (y / scale) as isize - quiet as isize;
        for x in 0..side {
            let mx = (x / scale) as isize - quiet as isize;
            let dark = mx >= 0
                && my >= 0
                && (mx as usize) < w
                && (my as usize) < w
                && colors[my as usize * w + mx as usize] == Color::Dark;
            raw.push(if dark { 0 } else { 255 });
        }
    }
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(&raw).expect("writing to a Vec");
    let idat = z.finish().expect("writing to a Vec");

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(side as u32).to_be_bytes());
    ihdr.extend_from_slice(&(side as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, deflate, no filter, no interlace
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32(kind, 0xFFFF_FFFF);
    crc = crc32(data, crc);
    out.extend_from_slice(&(crc ^ 0xFFFF_FFFF).to_be_bytes());
}

fn crc32(data: &[u8], mut crc: u32) -> u32 {
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_has_signature_and_known_crc() {
        let p = qr_png("http://weixin.qq.com/q/abc", 2);
        assert_eq!(&p[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(
            &p[p.len() - 12..],
            &[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]
        );
    }
}
