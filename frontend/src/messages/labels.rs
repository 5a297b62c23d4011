//! Message types, events, channels and send states in the UI language.

use crate::i18n::K;

pub fn msg_type_key(t: &str) -> Option<K> {
    Some(match t {
        "text" => K::MsgTypeText,
        "image" => K::MsgTypeImage,
        "voice" => K::MsgTypeVoice,
        "video" | "shortvideo" => K::MsgTypeVideo,
        "location" => K::MsgTypeLocation,
        "link" => K::MsgTypeLink,
        "event" => K::MsgTypeEvent,
        "news" | "mpnews" => K::MsgTypeNews,
        "music" => K::MsgTypeMusic,
        "file" => K::MsgTypeFile,
        "textcard" => K::MsgTypeCard,
        "markdown" => K::MsgTypeMarkdown,
        _ => return None,
    })
}

pub fn event_key(e: &str) -> Option<K> {
    Some(match e.to_ascii_lowercase().as_str() {
        "subscribe" => K::EvSubscribe,
        "unsubscribe" => K::EvUnsubscribe,
        "scan" => K::EvScan,
        "click" => K::EvClick,
        "view" => K::EvView,
        "location" => K::EvLocation,
        "enter_agent" => K::EvEnterAgent,
        "change_contact" => K::EvChangeContact,
        "publishjobfinish" => K::EvPublishFinish,
        "masssendjobfinish" => K::EvMassFinish,
        "templatesendjobfinish" => K::EvTemplateFinish,
        _ => return None,
    })
}

/// "文字", "事件 · 关注"; unknown values as they are (a WeChat name is better than nothing).
pub fn type_text(msg_type: &str, event: Option<&str>, lang: api::Lang) -> String {
    match event {
        Some(e) => format!(
            "{} · {}",
            K::MsgTypeEvent.text(lang),
            event_key(e).map_or_else(|| e.to_string(), |k| k.text(lang).to_string())
        ),
        None => msg_type_key(msg_type)
            .map_or_else(|| msg_type.to_string(), |k| k.text(lang).to_string()),
    }
}

/// A message's summary in the UI language: the server writes an event as `"{event} {key}"` and a
/// message without text as `"[{msg_type}]"`; text content is the follower's own words.
pub fn summary_text(summary: &str, msg_type: &str, event: Option<&str>, lang: api::Lang) -> String {
    if let Some(e) = event {
        let label = event_key(e).map_or_else(|| e.to_string(), |k| k.text(lang).to_string());
        let key = summary.strip_prefix(e).unwrap_or("").trim();
        return if key.is_empty() {
            format!("{} · {label}", K::MsgTypeEvent.text(lang))
        } else {
            format!("{} · {label} ({key})", K::MsgTypeEvent.text(lang))
        };
    }
    if summary == format!("[{msg_type}]") {
        let label = msg_type_key(msg_type)
            .map_or_else(|| msg_type.to_string(), |k| k.text(lang).to_string());
        return format!("[{label}]");
    }
    summary.to_string()
}

/// [`summary_text`] as a view: a follower's or member's own words are marked as data.
pub fn summary_view(
    summary: &str,
    msg_type: &str,
    event: Option<&str>,
    lang: api::Lang,
) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    let text = summary_text(summary, msg_type, event, lang);
    let theirs = event.is_none() && summary != format!("[{msg_type}]");
    if theirs {
        view! { <span data-user-content>{text}</span> }.into_any()
    } else {
        view! { <span>{text}</span> }.into_any()
    }
}

pub fn status_key(s: &str) -> Option<K> {
    Some(match s {
        "sent" => K::SendSent,
        "pending" => K::SendPending,
        "failed" => K::SendFailed,
        _ => return None,
    })
}

pub fn channel_key(c: &str) -> Option<K> {
    Some(match c {
        "passive" => K::ChannelPassive,
        "custom_service" => K::ChannelCustomService,
        "message_send" => K::ChannelMessageSend,
        "staff" => K::ChannelStaff,
        _ => return None,
    })
}

/// A known value in `lang`, else the value itself.
pub fn or_raw(key: Option<K>, raw: &str, lang: api::Lang) -> String {
    key.map_or_else(|| raw.to_string(), |k| k.text(lang).to_string())
}
