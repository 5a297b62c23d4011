//! Small browser helpers: storage, time formatting, base64, randomness, clipboard.

use api::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const LANG_KEY: &str = "wxportal.lang";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The language remembered in this browser (used while signed out).
pub fn stored_lang() -> Option<Lang> {
    storage()?
        .get_item(LANG_KEY)
        .ok()?
        .and_then(|v| Lang::parse(&v))
}

pub fn store_lang(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(LANG_KEY, lang.code());
    }
}

/// Sets `<html lang>` so screen readers, fonts and tests see the UI language.
pub fn set_document_lang(lang: Lang) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", lang.code());
    }
}

pub fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

/// `2026-11-21 13:54` in Beijing time (the time of WeChat's days and bills, whatever the
/// browser's zone); the input unchanged if it does not parse.
pub fn format_time(rfc3339: &str) -> String {
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339)).get_time();
    if ms.is_nan() {
        return rfc3339.to_string();
    }
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms + 8.0 * 3_600_000.0));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_utc_full_year(),
        d.get_utc_month() + 1,
        d.get_utc_date(),
        d.get_utc_hours(),
        d.get_utc_minutes()
    )
}

/// `2026-11-21` of an RFC 3339 time, in Beijing time.
pub fn format_day(rfc3339: &str) -> String {
    let full = format_time(rfc3339);
    full.split(' ').next().unwrap_or_default().to_string()
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(ALPHABET[(n >> 18) as usize & 63] as char);
        out.push(ALPHABET[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            ALPHABET[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut buf).ok())
        .is_some();
    if !filled {
        for b in buf.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    buf
}

/// A strong temporary password: 14 characters without look-alikes, with letters and digits.
pub fn random_password() -> String {
    const LETTERS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    loop {
        let bytes = random_bytes(14);
        let pw: String = bytes
            .iter()
            .enumerate()
            .map(|(i, b)| {
                if i % 4 == 3 {
                    DIGITS[*b as usize % DIGITS.len()] as char
                } else {
                    LETTERS[*b as usize % LETTERS.len()] as char
                }
            })
            .collect();
        if pw.chars().any(|c| c.is_ascii_digit()) && pw.chars().any(|c| c.is_ascii_alphabetic()) {
            return pw;
        }
    }
}

/// Copies `text`; falls back to a hidden textarea where the Clipboard API is unavailable.
pub async fn copy_text(text: String) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = window.navigator().clipboard();
    if JsFuture::from(clipboard.write_text(&text)).await.is_ok() {
        return true;
    }
    copy_with_textarea(&text)
}

fn copy_with_textarea(text: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Ok(el) = doc.create_element("textarea") else {
        return false;
    };
    let Ok(area) = el.dyn_into::<web_sys::HtmlTextAreaElement>() else {
        return false;
    };
    area.set_value(text);
    let _ = area.set_attribute("style", "position:fixed;top:-1000px;opacity:0");
    let Some(body) = doc.body() else {
        return false;
    };
    let _ = body.append_child(&area);
    area.select();
    let ok = doc
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    area.remove();
    ok
}

/// Once the DOM shows the inline errors, focuses and reveals the first invalid input.
pub fn focus_first_error() {
    leptos::prelude::set_timeout(
        || {
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let found = doc
                .query_selector(".field.has-error input, .field.has-error select")
                .ok()
                .flatten();
            if let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.focus();
            }
        },
        std::time::Duration::from_millis(0),
    );
}

/// Reads a chosen file's bytes.
pub async fn read_file(file: web_sys::File) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foo"), "Zm9v");
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(
            api::validate::base64_blob(&base64_encode(&[0xff; 100]), 1024),
            Ok(())
        );
    }
}
