//! Official Account menus: the editor's draft, validation against WeChat's rules, publishing with
//! a stored version per publish, compare and rollback, import of the live menu, delete,
//! conditional menus and "preview as follower" (`menu/trymatch`).

pub mod handlers;
pub mod queries;
pub mod service;

use axum::routing::{MethodRouter, delete, get, post, put};

use crate::state::AppState;

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/api/accounts/{id}/menu", get(handlers::overview)),
        (
            "DELETE",
            "/api/accounts/{id}/menu",
            delete(handlers::delete),
        ),
        (
            "PUT",
            "/api/accounts/{id}/menu/draft",
            put(handlers::save_draft),
        ),
        (
            "POST",
            "/api/accounts/{id}/menu/validate",
            post(handlers::validate),
        ),
        (
            "POST",
            "/api/accounts/{id}/menu/publish",
            post(handlers::publish),
        ),
        (
            "POST",
            "/api/accounts/{id}/menu/import",
            post(handlers::import),
        ),
        (
            "GET",
            "/api/accounts/{id}/menu/versions",
            get(handlers::versions),
        ),
        (
            "GET",
            "/api/accounts/{id}/menu/versions/{version_id}",
            get(handlers::version),
        ),
        (
            "POST",
            "/api/accounts/{id}/menu/versions/{version_id}/rollback",
            post(handlers::rollback),
        ),
        (
            "GET",
            "/api/accounts/{id}/menu/compare",
            get(handlers::compare),
        ),
        (
            "GET",
            "/api/accounts/{id}/menu/conditional",
            get(handlers::conditional_list),
        ),
        (
            "POST",
            "/api/accounts/{id}/menu/conditional",
            post(handlers::conditional_create),
        ),
        (
            "DELETE",
            "/api/accounts/{id}/menu/conditional/{menu_id}",
            delete(handlers::conditional_delete),
        ),
        (
            "POST",
            "/api/accounts/{id}/menu/trymatch",
            post(handlers::try_match),
        ),
    ]
}

/// The menu types of the OpenAPI document.
pub fn openapi_schemas(all: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let r = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let obj = |required: &[&str], props: Value| json!({"type": "object", "required": required, "properties": props});
    let s = json!({"type": "string"});
    let i = json!({"type": "integer", "format": "int64"});
    let button = json!({
        "type": "object",
        "description": "A button as WeChat spells it: name, type, key | url | media_id | article_id | appid + pagepath, sub_button",
        "required": ["name"],
        "properties": {"name": s, "type": {"type": "string", "enum": api::menus::TYPES}, "key": s, "url": s, "media_id": s, "article_id": s, "appid": s, "pagepath": s, "sub_button": {"type": "array", "items": {"type": "object"}}}
    });
    let buttons = json!({"type": "array", "items": r("MenuButton")});
    let rule = obj(
        &[],
        json!({"tag_id": s, "sex": s, "client_platform_type": s, "language": s, "country": s, "province": s, "city": s}),
    );
    let unmatched =
        json!({"type": "array", "items": obj(&["path", "key"], json!({"path": s, "key": s}))});
    let issues = json!({"type": "array", "items": obj(&["field", "code", "message"], json!({"field": s, "code": s, "message": s}))});
    let version = obj(
        &[
            "id",
            "number",
            "buttons",
            "source",
            "note",
            "created_by",
            "created_at",
        ],
        json!({"id": i, "number": i, "buttons": buttons, "source": {"type": "string", "enum": ["published", "imported", "rollback", "deleted"]}, "rollback_of": i, "note": s, "created_by": s, "created_at": s}),
    );
    let conditional = obj(
        &[
            "id",
            "menuid",
            "buttons",
            "matchrule",
            "note",
            "created_by",
            "created_at",
        ],
        json!({"id": i, "menuid": s, "buttons": buttons, "matchrule": r("MatchRule"), "note": s, "created_by": s, "created_at": s}),
    );
    let entries = [
        ("MenuButton", button),
        ("MatchRule", rule),
        ("MenuVersion", version),
        (
            "MenuVersionList",
            json!({"type": "array", "items": r("MenuVersion")}),
        ),
        (
            "MenuOverview",
            obj(
                &["draft", "current", "unmatched_keys"],
                json!({"draft": {"type": ["array", "null"], "items": r("MenuButton")}, "draft_updated_by": s, "draft_updated_at": s, "current": {"oneOf": [r("MenuVersion"), {"type": "null"}]}, "unmatched_keys": unmatched}),
            ),
        ),
        (
            "MenuDraftInput",
            obj(&["buttons"], json!({"buttons": buttons})),
        ),
        (
            "MenuCheck",
            obj(
                &["issues", "unmatched_keys"],
                json!({"issues": issues, "unmatched_keys": unmatched}),
            ),
        ),
        (
            "PublishMenuInput",
            obj(&["buttons"], json!({"buttons": buttons, "note": s})),
        ),
        ("RollbackInput", obj(&[], json!({"note": s}))),
        (
            "MenuCompare",
            obj(
                &["from", "changes"],
                json!({"from": i, "to": i, "changes": {"type": "array", "items": obj(&["path", "change"], json!({"path": s, "change": {"type": "string", "enum": ["added", "removed", "changed"]}, "before": r("MenuButton"), "after": r("MenuButton")}))}}),
            ),
        ),
        ("ConditionalMenu", conditional),
        (
            "ConditionalMenuList",
            json!({"type": "array", "items": r("ConditionalMenu")}),
        ),
        (
            "ConditionalMenuInput",
            obj(
                &["buttons", "matchrule"],
                json!({"buttons": buttons, "matchrule": r("MatchRule"), "note": s}),
            ),
        ),
        ("TryMatchInput", obj(&["user_id"], json!({"user_id": s}))),
        (
            "TryMatchResult",
            obj(&["buttons"], json!({"buttons": buttons})),
        ),
    ];
    if let Some(map) = all.as_object_mut() {
        for (name, schema) in entries {
            map.insert(name.into(), schema);
        }
    }
}
