//! A safe XML reader and a CDATA-escaping writer.
//!
//! [`parse`] accepts the small element-only XML WeChat sends and rejects everything a
//! hostile body could abuse:
//!
//! * any `<!DOCTYPE …>` (so no DTD, no external entities — XXE is rejected, never resolved);
//! * any entity reference other than the five predefined ones and numeric character references;
//! * bodies larger than [`Limits::max_bytes`] (1 MiB default), nesting deeper than
//!   [`Limits::max_depth`] and more than [`Limits::max_elements`] elements.
//!
//! It never panics. CDATA and bare text are both accepted; whitespace-only text between
//! elements (and around a CDATA section) is formatting and ignored; a leaf without CDATA
//! keeps its text verbatim.
//!
//! ```
//! let root = wechat::xml::parse("<xml><A><![CDATA[x]]></A><B>1</B></xml>").unwrap();
//! assert_eq!(root.child_text("A"), Some("x"));
//! assert_eq!(root.child_text("B"), Some("1"));
//! assert!(wechat::xml::parse(r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml>&e;</xml>"#).is_err());
//! ```

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// Parser limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Maximum body size in bytes.
    pub max_bytes: usize,
    /// Maximum element nesting depth.
    pub max_depth: usize,
    /// Maximum number of elements.
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 1024 * 1024,
            max_depth: 16,
            max_elements: 20_000,
        }
    }
}

/// Why a document was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// Larger than the size limit.
    #[error("document larger than {0} bytes")]
    TooLarge(usize),
    /// Nested deeper than the depth limit.
    #[error("document nested deeper than {0}")]
    TooDeep(usize),
    /// More elements than the element limit.
    #[error("document has more than {0} elements")]
    TooManyElements(usize),
    /// A DOCTYPE declaration was present (DTDs are never processed).
    #[error("DOCTYPE is not allowed")]
    DocType,
    /// An entity reference other than the predefined ones.
    #[error("entity reference &{0}; is not allowed")]
    Entity(String),
    /// Not well-formed.
    #[error("malformed XML: {0}")]
    Malformed(String),
    /// No root element.
    #[error("no root element")]
    Empty,
    /// The root element has an unexpected name.
    #[error("unexpected root element <{0}>")]
    UnexpectedRoot(String),
}

/// An element: name, text (concatenated text/CDATA) and child elements.
/// Attributes are ignored (WeChat never uses them).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// Element name.
    pub name: String,
    /// Concatenated text and CDATA content (whitespace-only text nodes are dropped).
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// A leaf element with text.
    pub fn leaf(name: impl Into<String>, text: impl Into<String>) -> Self {
        Element {
            name: name.into(),
            text: text.into(),
            children: Vec::new(),
        }
    }

    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first child with this name.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// Serialises this element (strings as CDATA, see [`Writer`]).
    pub fn write_to(&self, w: &mut Writer) {
        if self.children.is_empty() {
            w.auto(&self.name, &self.text);
        } else {
            w.open(&self.name);
            for c in &self.children {
                c.write_to(w);
            }
            w.close(&self.name);
        }
    }

    /// Serialises this element as a document.
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new();
        self.write_to(&mut w);
        w.finish()
    }
}

/// Parses with default [`Limits`].
pub fn parse(input: &str) -> Result<Element, XmlError> {
    parse_with(input, Limits::default())
}

/// Parses and requires the root element to be named `root`.
pub fn parse_root(input: &str, root: &str) -> Result<Element, XmlError> {
    let e = parse(input)?;
    if e.name != root {
        return Err(XmlError::UnexpectedRoot(e.name));
    }
    Ok(e)
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

#[derive(Default)]
struct Frame {
    raw: String,
    had_cdata: bool,
}

/// Parses with explicit limits.
pub fn parse_with(input: &str, limits: Limits) -> Result<Element, XmlError> {
    if input.len() > limits.max_bytes {
        return Err(XmlError::TooLarge(limits.max_bytes));
    }
    let mut reader = Reader::from_str(input);
    {
        let cfg = reader.config_mut();
        cfg.trim_text(false);
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
    }
    let mut stack: Vec<Element> = Vec::new();
    let mut extra: Vec<Frame> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    let malformed = |e: &dyn std::fmt::Display| XmlError::Malformed(e.to_string());
    loop {
        let ev = reader.read_event().map_err(|e| malformed(&e))?;
        match ev {
            Event::DocType(_) => return Err(XmlError::DocType),
            Event::Start(s) | Event::Empty(s) if root.is_some() => {
                let _ = s;
                return Err(XmlError::Malformed("content after the root element".into()));
            }
            Event::Start(s) => {
                count += 1;
                if count > limits.max_elements {
                    return Err(XmlError::TooManyElements(limits.max_elements));
                }
                if stack.len() >= limits.max_depth {
                    return Err(XmlError::TooDeep(limits.max_depth));
                }
                let name = std::str::from_utf8(s.name().as_ref())
                    .map_err(|e| malformed(&e))?
                    .to_owned();
                stack.push(Element {
                    name,
                    ..Default::default()
                });
                extra.push(Frame::default());
            }
            Event::Empty(s) => {
                count += 1;
                if count > limits.max_elements {
                    return Err(XmlError::TooManyElements(limits.max_elements));
                }
                if stack.len() >= limits.max_depth {
                    return Err(XmlError::TooDeep(limits.max_depth));
                }
                let name = std::str::from_utf8(s.name().as_ref())
                    .map_err(|e| malformed(&e))?
                    .to_owned();
                let el = Element {
                    name,
                    ..Default::default()
                };
                match stack.last_mut() {
                    Some(p) => p.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let mut el = stack
                    .pop()
                    .ok_or_else(|| XmlError::Malformed("unbalanced end tag".into()))?;
                let frame = extra.pop().unwrap_or_default();
                // Leaf without CDATA: keep every character (e.g. "&lt; &gt;" is "< >").
                // With CDATA or child elements: whitespace-only text nodes are formatting.
                if el.children.is_empty() && !frame.had_cdata {
                    el.text = frame.raw;
                }
                match stack.last_mut() {
                    Some(p) => p.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| malformed(&e))?;
                match stack.last_mut() {
                    Some(p) => {
                        if !s.trim().is_empty() {
                            p.text.push_str(&s);
                        }
                        if let Some(f) = extra.last_mut() {
                            f.raw.push_str(&s);
                        }
                    }
                    None => {
                        if !s.trim().is_empty() {
                            return Err(XmlError::Malformed(
                                "text outside the root element".into(),
                            ));
                        }
                    }
                }
            }
            Event::CData(c) => {
                let s = c.decode().map_err(|e| malformed(&e))?;
                match stack.last_mut() {
                    Some(p) => p.text.push_str(&s),
                    None => {
                        return Err(XmlError::Malformed("CDATA outside the root element".into()));
                    }
                }
                if let Some(f) = extra.last_mut() {
                    f.had_cdata = true;
                    f.raw.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let ch = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        _ => return Err(XmlError::Malformed("invalid character reference".into())),
                    }
                } else {
                    let name = r.decode().map_err(|e| malformed(&e))?;
                    predefined(&name).ok_or_else(|| XmlError::Entity(name.into_owned()))?
                };
                match stack.last_mut() {
                    Some(p) => {
                        p.text.push(ch);
                        if let Some(f) = extra.last_mut() {
                            f.raw.push(ch);
                        }
                    }
                    None => {
                        return Err(XmlError::Malformed(
                            "reference outside the root element".into(),
                        ));
                    }
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Malformed("unclosed element".into()));
    }
    root.ok_or(XmlError::Empty)
}

/// Builds XML text. String values go into CDATA sections; a `]]>` inside a value is
/// split across two CDATA sections (`]]]]><![CDATA[>`) so any content survives.
///
/// ```
/// let mut w = wechat::xml::Writer::new();
/// w.open("xml");
/// w.cdata("Content", "a]]>b");
/// w.number("CreateTime", 1);
/// w.close("xml");
/// let s = w.finish();
/// assert_eq!(s, "<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content><CreateTime>1</CreateTime></xml>");
/// assert_eq!(wechat::xml::parse(&s).unwrap().child_text("Content"), Some("a]]>b"));
/// ```
#[derive(Debug, Default, Clone)]
pub struct Writer {
    buf: String,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer::default()
    }
    /// `<name>`
    pub fn open(&mut self, name: &str) {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push('>');
    }
    /// `</name>`
    pub fn close(&mut self, name: &str) {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
    }
    /// `<name><![CDATA[value]]></name>` with `]]>` split safely.
    pub fn cdata(&mut self, name: &str, value: &str) {
        self.open(name);
        push_cdata(&mut self.buf, value);
        self.close(name);
    }
    /// `<name>value</name>` for numbers.
    pub fn number(&mut self, name: &str, value: impl std::fmt::Display) {
        self.open(name);
        self.buf.push_str(&value.to_string());
        self.close(name);
    }
    /// Bare text if the value is a plain integer, CDATA otherwise.
    pub fn auto(&mut self, name: &str, value: &str) {
        if !value.is_empty()
            && value.len() <= 20
            && value
                .strip_prefix('-')
                .unwrap_or(value)
                .bytes()
                .all(|b| b.is_ascii_digit())
            && value != "-"
        {
            self.open(name);
            self.buf.push_str(value);
            self.close(name);
        } else {
            self.cdata(name, value);
        }
    }
    /// Escaped text (`&`, `<`, `>`) without CDATA.
    pub fn escaped(&mut self, name: &str, value: &str) {
        self.open(name);
        self.buf.push_str(&escape_text(value));
        self.close(name);
    }
    /// Appends raw text (caller guarantees well-formedness).
    pub fn raw(&mut self, s: &str) {
        self.buf.push_str(s);
    }
    /// The document.
    pub fn finish(self) -> String {
        self.buf
    }
}

/// Appends `<![CDATA[value]]>`, splitting any `]]>` in the value.
pub fn push_cdata(buf: &mut String, value: &str) {
    buf.push_str("<![CDATA[");
    buf.push_str(&value.replace("]]>", "]]]]><![CDATA[>"));
    buf.push_str("]]>");
}

/// Escapes `&`, `<`, `>` for text content.
pub fn escape_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn xxe_is_rejected_not_resolved() {
        let payloads = [
            r#"<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>"#,
            r#"<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml>&b;</xml>"#,
            r#"<!DOCTYPE xml SYSTEM "http://evil.example/x.dtd"><xml/>"#,
        ];
        for p in payloads {
            assert_eq!(parse(p), Err(XmlError::DocType), "{p}");
        }
        assert_eq!(
            parse("<xml><A>&xxe;</A></xml>"),
            Err(XmlError::Entity("xxe".into()))
        );
    }

    #[test]
    fn predefined_and_char_refs_resolve() {
        let e = parse("<xml><A>a&lt;b&amp;c&#20013;&#x6587;</A></xml>").unwrap();
        assert_eq!(e.child_text("A"), Some("a<b&c中文"));
        let e = parse("<xml><B>&lt; &gt;</B><C> </C></xml>").unwrap();
        assert_eq!(e.child_text("B"), Some("< >"));
        assert_eq!(e.child_text("C"), Some(" "));
    }

    #[test]
    fn cdata_and_bare_alike() {
        let a = parse("<xml><A><![CDATA[hi]]></A><B>hi</B><C/></xml>").unwrap();
        assert_eq!(a.child_text("A"), a.child_text("B"));
        assert_eq!(a.child_text("C"), Some(""));
        let b = parse("<xml>\n  <A>\n    <![CDATA[ x ]]>\n  </A>\n</xml>").unwrap();
        assert_eq!(b.child_text("A"), Some(" x "));
    }

    #[test]
    fn limits() {
        let big = format!("<xml><A>{}</A></xml>", "a".repeat(2 * 1024 * 1024));
        assert_eq!(parse(&big), Err(XmlError::TooLarge(1024 * 1024)));
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        assert_eq!(parse(&deep), Err(XmlError::TooDeep(16)));
        let many = format!("<xml>{}</xml>", "<a/>".repeat(30_000));
        assert_eq!(parse(&many), Err(XmlError::TooManyElements(20_000)));
    }

    #[test]
    fn malformed() {
        for s in [
            "",
            "<xml>",
            "<xml></yml>",
            "text",
            "<a/><b/>",
            "<xml><![CDATA[x</xml>",
            "</x>",
        ] {
            assert!(parse(s).is_err(), "{s:?}");
        }
    }

    proptest! {
        #[test]
        fn cdata_roundtrip_any_string(s in "\\PC*") {
            let mut w = Writer::new();
            w.open("xml");
            w.cdata("A", &s);
            w.close("xml");
            let e = parse(&w.finish()).unwrap();
            // whitespace-only CDATA is kept verbatim
            prop_assert_eq!(e.child_text("A").unwrap(), s.as_str());
        }

        #[test]
        fn never_panics(s in ".{0,300}") {
            let _ = parse(&s);
        }
    }
}
