//! Why a send or a job failed, in the UI language.
//!
//! The server stores these reasons in English (`outbound_messages.error`, a WeCom send part's
//! `error`, a sync job's `error`) from a fixed set of sentences, most ending in WeChat's own
//! answer as `wechat_clients::describe` writes it: `WeChat errcode N: errmsg — hint`. Each is
//! re-worded here; WeChat's error code is explained by [`super::errors`]. What cannot be
//! translated (WeChat's errmsg for a code this SPA does not know, a network error's text) comes
//! back separately as raw detail, for the page to show as protocol text.

use api::Lang;

use super::diagnoses::reword;
use super::errors::reason_text;

/// `(English template, Chinese template)`; `{}` are the values, in the same order.
const SENTENCES: &[(&str, &str)] = &[
    (
        "WeCom reported invaliduser {}: not a member, or outside the app's visible range",
        "企业微信返回无效成员 {}：不是本企业成员，或不在应用的可见范围内",
    ),
    ("this account has no agentid", "此账号没有设置 AgentId"),
    (
        "interrupted before WeChat was called; safe to retry",
        "调用微信之前被中断；可以放心重试",
    ),
    (
        "interrupted while WeChat was called: it may have been delivered; check with the recipients before retrying",
        "调用微信时被中断：消息可能已送达；重试前请先与接收人确认",
    ),
    (
        "abandoned: {} started a fresh full sync",
        "已放弃：{} 开始了新的全量同步",
    ),
    (
        "channel {} is not delivered through an API",
        "渠道 {} 不通过接口发送",
    ),
];

/// A failure reason in `lang`: the sentence, and raw detail to show beside it as protocol text.
pub fn failure_text(raw: &str, lang: Lang) -> (String, Option<String>) {
    if lang == Lang::En {
        return (raw.to_string(), None);
    }
    // `delivery::deliver_one`: a failure that will be tried again.
    if let Some(rest) = raw.strip_prefix("attempt ")
        && let Some((head, reason)) = rest.split_once(": ")
        && let Some((attempts, wait)) = head.split_once(" failed, retrying in ")
        && let Some((n, of)) = attempts.split_once(" of ")
    {
        let (text, detail) = failure_text(reason, lang);
        let wait = wait.trim_end_matches('s');
        return (
            format!("第 {n} 次尝试（共 {of} 次）失败，{wait} 秒后重试：{text}"),
            detail,
        );
    }
    if let Some(rest) = raw.strip_prefix("WeChat errcode ") {
        let (code, msg) = rest.split_once(": ").unwrap_or((rest, ""));
        let known = code
            .parse::<i64>()
            .ok()
            .and_then(|n| super::errors::errcode_known(n).then_some(n));
        let text = reason_text(&format!("errcode:{code}"), lang).unwrap_or_else(|| raw.into());
        // WeChat's own errmsg adds nothing to a code explained above; for any other code it is
        // all there is to go on.
        let detail = (known.is_none() && !msg.is_empty()).then(|| msg.to_string());
        return (text, detail);
    }
    if let Some(detail) = raw.strip_prefix("cannot reach WeChat: ") {
        return ("无法连接微信服务器".into(), Some(detail.into()));
    }
    if let Some(detail) = raw.strip_prefix("the stored body is not JSON: ") {
        return ("保存的消息体不是有效的 JSON".into(), Some(detail.into()));
    }
    match reword(SENTENCES, raw) {
        Some(text) => (text, None),
        None => ("发送失败".into(), Some(raw.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_read_in_chinese_with_wechat_s_words_kept_apart() {
        let (text, detail) = failure_text(
            "WeChat errcode 45015: response out of time limit or subscription is canceled",
            Lang::ZhCn,
        );
        assert!(text.starts_with("微信返回错误码 45015："), "{text}");
        assert!(!text.contains("response"), "{text}");
        assert_eq!(detail, None);

        let (text, detail) = failure_text("WeChat errcode 99999: something odd", Lang::ZhCn);
        assert!(text.contains("99999"), "{text}");
        assert_eq!(detail.as_deref(), Some("something odd"));

        let (text, _) = failure_text(
            "attempt 2 of 5 failed, retrying in 4s: WeChat errcode -1: system error",
            Lang::ZhCn,
        );
        assert!(
            text.starts_with("第 2 次尝试（共 5 次）失败，4 秒后重试：微信返回错误码 -1"),
            "{text}"
        );

        let (text, detail) = failure_text("cannot reach WeChat: connection refused", Lang::ZhCn);
        assert_eq!(
            (text.as_str(), detail.as_deref()),
            ("无法连接微信服务器", Some("connection refused"))
        );

        let (text, detail) = failure_text(
            "WeCom reported invaliduser \"zhangsan|lisi\": not a member, or outside the app's visible range",
            Lang::ZhCn,
        );
        assert_eq!(
            text,
            "企业微信返回无效成员 zhangsan|lisi：不是本企业成员，或不在应用的可见范围内"
        );
        assert_eq!(detail, None);

        let (text, detail) = failure_text("odd new reason", Lang::ZhCn);
        assert_eq!(
            (text.as_str(), detail.as_deref()),
            ("发送失败", Some("odd new reason"))
        );

        let (text, detail) = failure_text("odd new reason", Lang::En);
        assert_eq!((text.as_str(), detail), ("odd new reason", None));
    }
}
