//! A small, safe XML reader (no DTD, no entities beyond the predefined ones, depth and size
//! limits) into a tree, and CDATA writing helpers. Enough for WeChat's message and Pay XML.

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::events::Event;

/// Largest body accepted.
pub const MAX_XML_BYTES: usize = 1 << 20;
const MAX_DEPTH: usize = 16;

/// An element: name, concatenated text/CDATA, children in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Node {
    /// Element name.
    pub name: String,
    /// Text content (CDATA and text, concatenated).
    pub text: String,
    /// Child elements.
    pub children: Vec<Node>,
}

impl Node {
    /// First child named `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Text of the first child named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// Flat map of the direct children (Pay v2 maps).
    pub fn to_map(&self) -> BTreeMap<String, String> {
        self.children
            .iter()
            .map(|c| (c.name.clone(), c.text.clone()))
            .collect()
    }
}

/// Parses a document and returns its root element.
pub fn parse(s: &str) -> Result<Node, String> {
    if s.len() > MAX_XML_BYTES {
        return Err("document too large".into());
    }
    let mut reader = Reader::from_str(s);
    let mut stack: Vec<Node> = Vec::new();
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err("document too deep".into());
                }
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                stack.push(Node {
                    name,
                    ..Node::default()
                });
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let node = Node {
                    name,
                    ..Node::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok(node),
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("unbalanced end tag")?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok(node),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::GeneralRef(r) => {
                let ch = if r.is_char_ref() {
                    r.resolve_char_ref().map_err(|e| e.to_string())?
                } else {
                    match r.decode().map_err(|e| e.to_string())?.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        other => return Err(format!("unknown entity &{other};")),
                    }
                };
                if let (Some(top), Some(c)) = (stack.last_mut(), ch) {
                    top.text.push(c);
                }
            }
            Event::DocType(_) => return Err("DTD not allowed".into()),
            Event::Eof => return Err("no root element".into()),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

/// Wraps text in CDATA, splitting any `]]>` inside it.
pub fn cdata(s: &str) -> String {
    format!("<![CDATA[{}]]>", s.replace("]]>", "]]]]><![CDATA[>"))
}

/// Writes `<name><![CDATA[value]]></name>`.
pub fn el(name: &str, value: &str) -> String {
    format!("<{name}>{}</{name}>", cdata(value))
}

/// Writes a bare (numeric) element `<name>value</name>`.
pub fn num(name: &str, value: impl std::fmt::Display) -> String {
    format!("<{name}>{value}</{name}>")
}

/// Writes a Pay v2 map as `<xml>` with every value in CDATA (as WeChat Pay does).
pub fn pay_xml(map: &BTreeMap<String, String>) -> String {
    let mut s = String::from("<xml>");
    for (k, v) in map {
        s.push_str(&el(k, v));
    }
    s.push_str("</xml>");
    s
}

/// Field order of WeChat Pay's API responses (per the documented examples:
/// `return_code, return_msg, appid, mch_id, nonce_str, sign, result_code, prepay_id, …`);
/// fields outside the list follow alphabetically. Notifications are written sorted
/// ([`pay_xml`]), as WeChat's notify examples are.
const PAY_ORDER: &[&str] = &[
    "return_code",
    "return_msg",
    "appid",
    "mch_id",
    "device_info",
    "nonce_str",
    "sign",
    "result_code",
    "err_code",
    "err_code_des",
    "openid",
    "is_subscribe",
    "trade_type",
    "prepay_id",
    "code_url",
    "mweb_url",
    "short_url",
    "bank_type",
    "total_fee",
    "fee_type",
    "cash_fee",
    "transaction_id",
    "out_trade_no",
    "attach",
    "time_end",
    "trade_state",
    "trade_state_desc",
];

/// Writes a Pay v2 API response map in WeChat Pay's field order.
pub fn pay_xml_response(map: &BTreeMap<String, String>) -> String {
    let rank = |k: &str| {
        PAY_ORDER
            .iter()
            .position(|x| *x == k)
            .unwrap_or(PAY_ORDER.len())
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    let mut s = String::from("<xml>");
    for k in keys {
        s.push_str(&el(k, &map[k]));
    }
    s.push_str("</xml>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cdata_text_and_entities() {
        let n = parse(
            "<?xml version=\"1.0\"?><xml><A><![CDATA[x]]]]><![CDATA[>y]]></A><B>1 &amp; 2&#x4e2d;</B><C><item><D>d</D></item></C><E/></xml>",
        )
        .unwrap();
        assert_eq!(n.get("A"), Some("x]]>y"));
        assert_eq!(n.get("B"), Some("1 & 2中"));
        assert_eq!(
            n.child("C").unwrap().child("item").unwrap().get("D"),
            Some("d")
        );
        assert_eq!(n.get("E"), Some(""));
        assert_eq!(el("A", "x]]>y"), "<A><![CDATA[x]]]]><![CDATA[>y]]></A>");
    }

    #[test]
    fn rejects_dtd_and_garbage() {
        assert!(parse("<!DOCTYPE x [<!ENTITY a \"b\">]><xml>&a;</xml>").is_err());
        assert!(parse("<xml>&a;</xml>").is_err());
        assert!(parse("not xml").is_err());
    }
}
