//! Followers of Official Accounts, their user tags and legacy groups: the list and detail
//! (remark pushed to WeChat), full sync from WeChat with a checkpoint and a cross-instance
//! lease (`sync`), tag/group management (`service`), bulk tagging and group moves in batches of 50 as
//! background jobs with progress (`bulk`), drift between WeChat and our copy with per-item
//! resolution (`drift`), and the follower record kept up to date by subscribe / unsubscribe /
//! SCAN callbacks (`events`).

pub mod bulk;
pub mod drift;
pub mod events;
pub mod handlers;
pub mod queries;
pub mod service;
pub mod sync;

use axum::routing::{MethodRouter, delete, get, patch, post};

use crate::state::AppState;

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("GET", "/api/accounts/{id}/followers", get(handlers::list)),
        (
            "GET",
            "/api/accounts/{id}/followers/sync",
            get(handlers::sync_status),
        ),
        (
            "POST",
            "/api/accounts/{id}/followers/sync",
            post(handlers::sync_start),
        ),
        (
            "POST",
            "/api/accounts/{id}/followers/tagging",
            post(handlers::tagging),
        ),
        (
            "POST",
            "/api/accounts/{id}/followers/move-group",
            post(handlers::move_group),
        ),
        (
            "GET",
            "/api/accounts/{id}/followers/bulk-jobs",
            get(handlers::bulk_jobs),
        ),
        (
            "GET",
            "/api/accounts/{id}/followers/bulk-jobs/{job_id}",
            get(handlers::bulk_job),
        ),
        (
            "GET",
            "/api/accounts/{id}/followers/drift",
            get(handlers::drift_report),
        ),
        (
            "POST",
            "/api/accounts/{id}/followers/drift/resolve",
            post(handlers::drift_resolve),
        ),
        (
            "GET",
            "/api/accounts/{id}/followers/{openid}",
            get(handlers::get),
        ),
        (
            "PATCH",
            "/api/accounts/{id}/followers/{openid}",
            patch(handlers::update),
        ),
        ("GET", "/api/accounts/{id}/tags", get(handlers::tags)),
        (
            "POST",
            "/api/accounts/{id}/tags",
            post(handlers::create_tag),
        ),
        (
            "PATCH",
            "/api/accounts/{id}/tags/{tag_id}",
            patch(handlers::rename_tag),
        ),
        (
            "DELETE",
            "/api/accounts/{id}/tags/{tag_id}",
            delete(handlers::delete_tag),
        ),
        (
            "POST",
            "/api/accounts/{id}/groups",
            post(handlers::create_group),
        ),
        (
            "PATCH",
            "/api/accounts/{id}/groups/{group_id}",
            patch(handlers::rename_group),
        ),
        (
            "DELETE",
            "/api/accounts/{id}/groups/{group_id}",
            delete(handlers::delete_group),
        ),
    ]
}

/// The OpenAPI schemas of this module's request and response types.
pub fn openapi_schemas(all: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let r = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
    let obj = |required: &[&str], props: Value| json!({"type": "object", "required": required, "properties": props});
    let s = json!({"type": "string"});
    let i = json!({"type": "integer", "format": "int64"});
    let b = json!({"type": "boolean"});
    let ns = json!({"type": ["string", "null"]});
    let ni = json!({"type": ["integer", "null"]});
    let tag_ref = obj(&["id", "name"], json!({"id": i, "name": s}));
    let follower_query = obj(
        &[],
        json!({"q": s, "tag": i, "group": i, "subscribed": b, "scene": s, "from": s, "to": s}),
    );
    let selection = json!({
        "description": "`{\"by\":\"openids\",\"openids\":[…]}` or `{\"by\":\"filter\",\"filter\":{…list filters…}}`",
        "type": "object",
        "required": ["by"],
        "properties": {"by": {"type": "string", "enum": ["openids", "filter"]}, "openids": {"type": "array", "items": s}, "filter": follower_query}
    });
    let drift_item = obj(
        &["kind"],
        json!({"kind": {"type": "string", "enum": ["tag", "group", "member", "remark"]}, "id": ni, "openid": ns, "ours": ns, "theirs": ns}),
    );
    let tag = obj(
        &["id", "name", "count"],
        json!({"id": i, "name": s, "count": i, "wx_count": ni, "synced_at": ns}),
    );
    let job = obj(
        &[
            "id",
            "status",
            "phase",
            "total",
            "stored",
            "calls",
            "retries",
            "rate_per_sec",
        ],
        json!({"id": i, "status": {"type": "string", "enum": ["running", "done", "failed"]}, "phase": s, "started_by": s, "total": i, "stored": i, "calls": i, "retries": i, "resumed_from": i, "rate_per_sec": {"type": "number"}, "error": ns, "started_at": s, "updated_at": s, "finished_at": ns}),
    );
    let bulk_job = obj(
        &[
            "id",
            "kind",
            "target_id",
            "status",
            "total",
            "done",
            "calls",
            "started_by",
            "started_at",
        ],
        json!({"id": i, "kind": {"type": "string", "enum": ["tag", "untag", "move_group"]}, "target_id": i, "status": {"type": "string", "enum": ["running", "done", "failed"]}, "total": i, "done": i, "calls": i, "error": ns, "started_by": s, "started_at": s, "finished_at": ns}),
    );
    let schemas = [
        (
            "Follower",
            obj(
                &["openid", "subscribed", "tags"],
                json!({"openid": s, "subscribed": b, "nickname": ns, "remark": ns, "language": ns, "unionid": ns, "subscribe_time": ns, "subscribe_scene": ns, "qr_scene": ns, "tags": {"type": "array", "items": tag_ref}, "group": {"oneOf": [tag_ref, {"type": "null"}]}, "synced_at": ns, "updated_at": s}),
            ),
        ),
        (
            "FollowerPage",
            obj(
                &["items", "total", "page", "per_page"],
                json!({"items": {"type": "array", "items": r("Follower")}, "total": i, "page": i, "per_page": i}),
            ),
        ),
        (
            "UpdateFollowerRequest",
            obj(&["remark"], json!({"remark": s})),
        ),
        ("SyncJob", job),
        (
            "SyncState",
            obj(
                &["subscribed"],
                json!({"job": {"oneOf": [r("SyncJob"), {"type": "null"}]}, "subscribed": i}),
            ),
        ),
        ("Tag", tag),
        (
            "TagsAndGroups",
            obj(
                &["tags", "groups"],
                json!({"tags": {"type": "array", "items": r("Tag")}, "groups": {"type": "array", "items": r("Tag")}}),
            ),
        ),
        ("TagInput", obj(&["name"], json!({"name": s}))),
        (
            "TaggingRequest",
            obj(
                &["tag_id", "selection"],
                json!({"tag_id": i, "remove": b, "selection": selection}),
            ),
        ),
        (
            "MoveGroupRequest",
            obj(
                &["group_id", "selection"],
                json!({"group_id": i, "selection": selection}),
            ),
        ),
        ("BulkJob", bulk_job),
        (
            "BulkJobList",
            json!({"type": "array", "items": r("BulkJob")}),
        ),
        ("DriftItem", drift_item),
        (
            "DriftReport",
            obj(
                &["items", "remarks_checked", "checked_at"],
                json!({"items": {"type": "array", "items": r("DriftItem")}, "remarks_checked": i, "checked_at": s}),
            ),
        ),
        (
            "ResolveDriftRequest",
            obj(
                &["item", "winner"],
                json!({"item": r("DriftItem"), "winner": {"type": "string", "enum": ["ours", "theirs"]}}),
            ),
        ),
    ];
    if let Some(map) = all.as_object_mut() {
        for (name, schema) in schemas {
            map.insert(name.to_string(), schema);
        }
    }
}
