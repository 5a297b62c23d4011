//! The simulator's verdicts in the UI language. The server words each reason in English from
//! a fixed set of templates (`replies::matching`); each is matched here by its fixed parts and
//! re-worded with its value, and an unknown one is shown as it came.

use api::Lang;

use crate::i18n::{K, fill};

/// The value between a fixed `prefix` and `suffix`, without Rust's debug quotes.
fn between<'a>(s: &'a str, prefix: &str, suffix: &str) -> Option<&'a str> {
    let v = s.strip_prefix(prefix)?.strip_suffix(suffix)?;
    Some(v.trim_matches('"'))
}

/// One reason (reasons of several triggers are joined by `; `).
fn one(reason: &str, lang: Lang) -> String {
    let t = |k: K| k.text(lang).to_string();
    let with = |k: K, v: &str| fill(k.text(lang), "v", v);
    match reason {
        "disabled" => return t(K::VerdictDisabled),
        "a higher-priority rule fired" => return t(K::VerdictOutranked),
        "trigger matched" => return t(K::VerdictMatched),
        "fallback: another rule fired" => return t(K::VerdictFallbackOther),
        "fallback: no other rule fired" => return t(K::VerdictFallbackFired),
        "fallback: events get no fallback reply" => return t(K::VerdictFallbackEvent),
        "fallback only" => return t(K::VerdictFallbackOnly),
        "not a text message" => return t(K::VerdictNotText),
        "not a subscribe event" => return t(K::VerdictNotSubscribe),
        "not a QR scan" => return t(K::VerdictNotScan),
        _ => {}
    }
    if let Some(v) = between(reason, "keyword ", " does not match") {
        return with(K::VerdictKeyword, v);
    }
    if let Some(v) = between(reason, "message type is not ", "") {
        let ty = crate::messages::labels::msg_type_key(v)
            .map_or(v.to_string(), |k| k.text(lang).to_string());
        return with(K::VerdictMsgType, &ty);
    }
    if let Some(v) = between(reason, "not a menu click on ", "") {
        return with(K::VerdictMenu, v);
    }
    if let Some(v) = between(reason, "subscribe scene is not ", "")
        .or_else(|| between(reason, "scene is not ", ""))
    {
        return with(K::VerdictScene, v);
    }
    if let Some(v) = between(reason, "follower does not carry tag ", "") {
        return with(K::VerdictTag, v);
    }
    if let Some(v) = between(reason, "", " is outside the time window") {
        return with(K::VerdictTime, v);
    }
    if let Some(rest) = reason.strip_prefix("weekday ")
        && let Some((day, _)) = rest.split_once(" not in ")
    {
        return with(K::VerdictWeekday, day);
    }
    if reason.starts_with("invalid regex") {
        return t(K::VerdictBadRegex);
    }
    reason.to_string()
}

pub fn verdict_text(reason: &str, lang: Lang) -> String {
    reason
        .split("; ")
        .map(|r| one(r, lang))
        .collect::<Vec<_>>()
        .join(if lang == Lang::ZhCn { "；" } else { "; " })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_reasons_are_reworded_with_their_values() {
        assert_eq!(verdict_text("trigger matched", Lang::ZhCn), "触发条件匹配");
        assert_eq!(
            verdict_text("keyword \"hi\" does not match; not a QR scan", Lang::ZhCn),
            "关键词“hi”不匹配；不是扫码事件"
        );
        assert_eq!(
            verdict_text("09:30 is outside the time window", Lang::ZhCn),
            "当前时间 09:30 不在生效时段内"
        );
        assert_eq!(verdict_text("something new", Lang::ZhCn), "something new");
    }
}
