//! The article body's HTML, cleaned to what WeChat's article page shows: an allow-list of
//! tags and attributes, links and images only over http(s), and inline styles reduced to
//! typographic properties with plain values (WeChat's articles are laid out with them; no
//! `url()`, no positioning, nothing that could cover the page). The server stores nothing
//! else (imported articles included); the SPA cleans what is pasted into the editor the same
//! way.

/// Tags kept (others are dropped, their text kept).
const ALLOWED: &[&str] = &[
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "img",
    "hr",
    "section",
    "span",
    "sub",
    "sup",
];

/// Tags dropped with everything inside them.
const DROPPED: &[&str] = &[
    "script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select",
    "svg", "math", "head", "title", "frame", "frameset", "form", "button",
];

const VOID: &[&str] = &["br", "img", "hr"];

/// CSS properties kept in a `style` attribute.
const STYLE_PROPERTIES: &[&str] = &[
    "color",
    "background-color",
    "font-size",
    "font-weight",
    "font-style",
    "text-align",
    "text-decoration",
    "text-indent",
    "line-height",
    "letter-spacing",
    "vertical-align",
    "white-space",
    "word-break",
    "box-sizing",
    "margin",
    "margin-top",
    "margin-right",
    "margin-bottom",
    "margin-left",
    "padding",
    "padding-top",
    "padding-right",
    "padding-bottom",
    "padding-left",
    "border",
    "border-top",
    "border-right",
    "border-bottom",
    "border-left",
    "border-color",
    "border-style",
    "border-width",
    "border-radius",
    "width",
    "max-width",
    "height",
];

/// Longest `style` attribute kept, in bytes (WeChat's editors write a few hundred).
const STYLE_MAX: usize = 1024;

/// A CSS value made only of words, numbers, units, colours and `rgb()`/`rgba()`: no `url()`,
/// `expression()`, `var()`, escapes, comments or quotes.
fn plain_css_value(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || " #%.,()+-!".contains(c))
        && lower.split('(').skip(1).count()
            == lower.matches("rgb(").count() + lower.matches("rgba(").count()
}

/// The allowed declarations of a `style` attribute, normalised (`prop: value; …`), or `None`
/// when nothing is left.
fn clean_style(style: &str) -> Option<String> {
    let mut kept: Vec<String> = Vec::new();
    for decl in style.split(';') {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        let prop = prop.trim().to_ascii_lowercase();
        let value = value.trim();
        if STYLE_PROPERTIES.contains(&prop.as_str()) && plain_css_value(value) {
            kept.push(format!("{prop}: {value}"));
        }
    }
    let joined = kept.join("; ");
    (!joined.is_empty() && joined.len() <= STYLE_MAX).then_some(joined)
}

/// One parsed tag: name (lower case), attributes (name lower case, raw value), closing?
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    closing: bool,
}

/// Parses the tag starting at `s[0] == '<'`; returns it and the bytes consumed, or `None`
/// when `<` does not start a tag (it is then text).
fn parse_tag(s: &str) -> Option<(Option<Tag>, usize)> {
    let b = s.as_bytes();
    if let Some(body) = s.strip_prefix("<!--") {
        let end = body.find("-->").map(|i| i + 7).unwrap_or(s.len());
        return Some((None, end));
    }
    if b.len() > 1 && (b[1] == b'!' || b[1] == b'?') {
        let end = s.find('>').map(|i| i + 1).unwrap_or(s.len());
        return Some((None, end));
    }
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric()) {
        i += 1;
    }
    if i == start {
        return None;
    }
    let name = s[start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return Some((None, b.len()));
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
            i += 1;
        }
        let attr = s[ns..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                let ve = s[vs..].bytes().position(|c| c == q).map(|p| vs + p);
                let Some(ve) = ve else {
                    return Some((None, b.len()));
                };
                value = s[vs..ve].to_string();
                i = ve + 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = s[vs..i].to_string();
            }
        }
        if !attr.is_empty() {
            attrs.push((attr, value));
        }
    }
    Some((
        Some(Tag {
            name,
            attrs,
            closing,
        }),
        i,
    ))
}

/// An http(s) URL with no quote or angle bracket in it (anything else is dropped).
fn safe_url(v: &str, mailto: bool) -> Option<String> {
    let t = v.trim();
    let lower = t.to_ascii_lowercase();
    let ok = lower.starts_with("http://")
        || lower.starts_with("https://")
        || (mailto && lower.starts_with("mailto:"));
    (ok && !t.contains(['"', '<', '>', '\'', '`']) && !t.chars().any(char::is_control))
        .then(|| t.to_string())
}

fn attr_text(v: &str) -> String {
    v.replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn emit_open(out: &mut String, tag: &Tag) {
    out.push('<');
    out.push_str(&tag.name);
    let get = |n: &str| tag.attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v);
    match tag.name.as_str() {
        "a" => {
            if let Some(href) = get("href").and_then(|v| safe_url(v, true)) {
                out.push_str(&format!(" href=\"{href}\""));
            }
        }
        "img" => {
            // WeChat's article HTML keeps the real address in `data-src` (lazy loading).
            if let Some(src) = get("src")
                .or(get("data-src"))
                .and_then(|v| safe_url(v, false))
            {
                out.push_str(&format!(" src=\"{src}\""));
            }
            if let Some(alt) = get("alt") {
                out.push_str(&format!(" alt=\"{}\"", attr_text(alt)));
            }
        }
        _ => {}
    }
    if let Some(style) = get("style").and_then(|v| clean_style(v)) {
        out.push_str(&format!(" style=\"{}\"", attr_text(&style)));
    }
    out.push('>');
}

/// The allow-listed form of `html`.
pub fn sanitize_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Inside a dropped element: its name, until its closing tag.
    let mut dropping: Option<String> = None;
    while let Some(lt) = rest.find('<') {
        let (text, tail) = rest.split_at(lt);
        if dropping.is_none() {
            out.push_str(&text.replace('>', "&gt;"));
        }
        match parse_tag(tail) {
            None => {
                if dropping.is_none() {
                    out.push_str("&lt;");
                }
                rest = &tail[1..];
            }
            Some((tag, used)) => {
                rest = &tail[used..];
                let Some(tag) = tag else { continue };
                if let Some(d) = &dropping {
                    if tag.closing && &tag.name == d {
                        dropping = None;
                    }
                    continue;
                }
                if DROPPED.contains(&tag.name.as_str()) {
                    if !tag.closing {
                        dropping = Some(tag.name);
                    }
                    continue;
                }
                if !ALLOWED.contains(&tag.name.as_str()) {
                    continue;
                }
                if tag.closing {
                    if !VOID.contains(&tag.name.as_str()) {
                        out.push_str(&format!("</{}>", tag.name));
                    }
                } else {
                    emit_open(&mut out, &tag);
                }
            }
        }
    }
    if dropping.is_none() {
        out.push_str(&rest.replace('>', "&gt;"));
    }
    out
}

/// The image addresses of a body, in order (what the editor shows through the portal).
pub fn image_urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let tail = &rest[lt..];
        match parse_tag(tail) {
            Some((Some(tag), used)) => {
                if tag.name == "img"
                    && !tag.closing
                    && let Some((_, v)) = tag.attrs.iter().find(|(k, _)| k == "src")
                {
                    out.push(v.clone());
                }
                rest = &tail[used..];
            }
            Some((None, used)) => rest = &tail[used..],
            None => rest = &tail[1..],
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_formatting_and_drops_scripts_handlers_and_bad_urls() {
        let dirty = "<h2 class=x onclick=\"alert(1)\">标题</h2><p>a <b>b</b> <i>c</i></p>\
            <script>alert(1)</script><style>p{}</style><ul><li>x</li></ul>\
            <a href=\"javascript:alert(1)\">j</a><a href='https://e.com/?a=1&amp;b=2'>ok</a>\
            <img src=x onerror=alert(1)><img src=\"http://mmbiz.qpic.cn/a/0\" alt='图'>\
            <iframe src=https://e.com></iframe><!-- c --><blockquote>q</blockquote><div>d</div>";
        assert_eq!(
            sanitize_html(dirty),
            "<h2>标题</h2><p>a <b>b</b> <i>c</i></p><ul><li>x</li></ul>\
             <a>j</a><a href=\"https://e.com/?a=1&amp;b=2\">ok</a>\
             <img><img src=\"http://mmbiz.qpic.cn/a/0\" alt=\"图\"><blockquote>q</blockquote>d"
        );
    }

    #[test]
    fn keeps_typographic_inline_styles_and_drops_the_rest() {
        let dirty = "<section style=\"text-align:center; COLOR: rgb(255, 0, 0);position:fixed;\
            background-image:url(http://e.com/x.png); font-size: 16px\">a</section>\
            <span style=\"color: red; width: expression(alert(1))\">b</span>\
            <p style=\"background-color: var(--x); margin:0 auto\">c</p>\
            <img src=\"http://mmbiz.qpic.cn/a/0\" style=\"width: 100%; height: auto\">\
            <p style=\"color: #333&quot;><script>\">d</p><p style=\"z-index: 9\">e</p>";
        assert_eq!(
            sanitize_html(dirty),
            "<section style=\"text-align: center; color: rgb(255, 0, 0); font-size: 16px\">a</section>\
             <span style=\"color: red\">b</span><p style=\"margin: 0 auto\">c</p>\
             <img src=\"http://mmbiz.qpic.cn/a/0\" style=\"width: 100%; height: auto\">\
             <p>d</p><p>e</p>"
        );
    }

    #[test]
    fn text_that_looks_like_a_tag_stays_text() {
        assert_eq!(sanitize_html("1 < 2 > 0"), "1 &lt; 2 &gt; 0");
        assert_eq!(sanitize_html("<p>x<script>"), "<p>x");
        assert_eq!(sanitize_html("<a href=\"x"), "");
    }

    #[test]
    fn lists_image_sources() {
        assert_eq!(
            image_urls("<p><img src=\"http://a/1\"></p><img alt=x src='http://a/2'>"),
            ["http://a/1", "http://a/2"]
        );
    }
}
