//! Messages: the log of inbound and outbound messages per account (filters, full-text search,
//! detail with the decrypted XML), conversations per follower/member, staff replies within the
//! 48-hour window, and the asynchronous delivery worker ([`delivery`]).

pub mod delivery;
pub mod handlers;
pub mod queries;
pub mod service;

use axum::routing::{MethodRouter, get, post};

use crate::state::AppState;

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/api/accounts/{id}/messages", get(handlers::list)),
        (
            "POST",
            "/api/accounts/{id}/messages/reply",
            post(handlers::reply),
        ),
        (
            "GET",
            "/api/accounts/{id}/messages/{message_id}",
            get(handlers::detail),
        ),
        (
            "GET",
            "/api/accounts/{id}/conversations",
            get(handlers::conversations),
        ),
        (
            "GET",
            "/api/accounts/{id}/conversations/{user}",
            get(handlers::conversation),
        ),
    ]
}

/// The OpenAPI schemas of the message log, conversations, staff replies and the inspector.
pub fn openapi_schemas(all: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let r = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let obj = |required: &[&str], props: Value| json!({"type": "object", "required": required, "properties": props});
    let s = json!({"type": "string"});
    let i = json!({"type": "integer", "format": "int64"});
    let b = json!({"type": "boolean"});
    let ns = json!({"type": ["string", "null"]});
    let ni = json!({"type": ["integer", "null"]});
    let dir = json!({"type": "string", "enum": ["in", "out"]});
    let page = |item: &str| {
        obj(
            &["items", "total", "page", "per_page"],
            json!({"items": {"type": "array", "items": r(item)}, "total": i, "page": i, "per_page": i}),
        )
    };
    let schemas = json!({
        "MessageItem": obj(&["id", "direction", "user", "msg_type", "summary", "at"], json!({
            "id": {"type": "string", "description": "in-12 / out-7"}, "direction": dir, "user": s,
            "msg_type": s, "event": ns, "summary": s, "channel": ns, "status": ns, "error": ns,
            "rule_id": ni, "staff_id": ni, "at": s
        })),
        "MessagePage": page("MessageItem"),
        "MessageDetail": obj(&["item", "raw", "attempts", "replies"], json!({
            "item": r("MessageItem"), "raw": s, "reply_xml": ns, "parsed": ns, "attempts": i,
            "replies": {"type": "array", "items": r("MessageItem")},
            "media": {"type": ["object", "null"], "properties": {"pic_url": ns, "media_id": s}}
        })),
        "ConversationSummary": obj(&["user", "inbound_count", "last_summary", "last_at", "window_open"], json!({
            "user": s, "remark": ns, "inbound_count": i, "last_summary": s, "last_at": s, "window_open": b
        })),
        "ConversationPage": page("ConversationSummary"),
        "Conversation": obj(&["user", "messages", "window_open", "truncated"], json!({
            "user": s, "remark": ns, "messages": {"type": "array", "items": r("MessageItem")},
            "window_open": b, "window_closes_at": ns, "truncated": b
        })),
        "StaffReplyRequest": {
            "description": "`reply.type`: text (content), image (media_id), news (article: title, description, url, pic_url).",
            "type": "object",
            "required": ["to_user", "reply"],
            "properties": {"to_user": s, "reply": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["text", "image", "news"]}}, "additionalProperties": true}}
        },
        "DeliverySummary": obj(&["id", "received_at", "method", "outcome", "status_code", "decrypted", "dedup_hit", "duration_ms", "budget_ms", "reply_mode", "replay"], json!({
            "id": i, "received_at": s, "method": s,
            "outcome": {"type": "string", "enum": ["verified", "accepted", "duplicate", "rejected"]},
            "status_code": i, "diagnosis": ns, "decrypted": b, "dedup_hit": b, "duration_ms": i,
            "budget_ms": i, "reply_mode": s, "replay": b, "replay_of": ni, "inbound_id": ni
        })),
        "DeliveryPage": page("DeliverySummary"),
        "DeliveryDetail": obj(&["summary", "query", "body"], json!({
            "summary": r("DeliverySummary"), "query": s, "body": s, "decrypted_xml": ns, "reply_xml": ns
        })),
    });
    if let (Some(all), Value::Object(add)) = (all.as_object_mut(), schemas) {
        all.extend(add);
    }
}
