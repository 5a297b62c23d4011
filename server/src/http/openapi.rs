//! `GET /api/openapi.json`: an OpenAPI 3.1 document generated from the route table.

use serde_json::{Map, Value, json};

use crate::http::routes::{Access, ROUTES, RouteRule};

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn operation_id(rule: &RouteRule) -> String {
    let mut id = rule.method.to_ascii_lowercase();
    for seg in rule.path.trim_start_matches("/api/").split('/') {
        let seg = seg.trim_matches(['{', '}']).replace(['.', '-'], "_");
        id.push('_');
        id.push_str(&seg);
    }
    id
}

fn operation(rule: &RouteRule) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), json!(operation_id(rule)));
    op.insert("summary".into(), json!(rule.summary));
    op.insert(
        "tags".into(),
        json!([rule
            .path
            .trim_start_matches("/api/")
            .split('/')
            .next()
            .unwrap_or("api")]),
    );
    op.insert("x-access".into(), json!(rule.access.label()));
    if rule.access != Access::Public {
        op.insert("security".into(), json!([{ "session": [] }]));
    }
    let mut params = Vec::new();
    if rule.path.contains("{id}") {
        params.push(json!({"name":"id","in":"path","required":true,"schema":{"type":"integer","format":"int64"}}));
    }
    for name in ["rule_id", "tag_id", "group_id"] {
        if rule.path.contains(&format!("{{{name}}}")) {
            params.push(json!({"name":name,"in":"path","required":true,"schema":{"type":"integer","format":"int64"}}));
        }
    }
    if rule.path.contains("{openid}") {
        params
            .push(json!({"name":"openid","in":"path","required":true,"schema":{"type":"string"}}));
    }
    for q in rule.query {
        params.push(
            json!({"name": q, "in": "query", "required": false, "schema": {"type": "string"}}),
        );
    }
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }
    if let Some(req) = rule.request {
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": {"application/json": {"schema": schema_ref(req)}}}),
        );
    }
    let mut responses = Map::new();
    match rule.response {
        Some(resp) => {
            responses.insert(
                rule.status.to_string(),
                json!({"description": "OK", "content": {"application/json": {"schema": schema_ref(resp)}}}),
            );
        }
        None => {
            responses.insert("204".into(), json!({"description": "No Content"}));
        }
    }
    let error = json!({"description": "Error", "content": {"application/json": {"schema": schema_ref("ApiError")}}});
    if rule.access != Access::Public {
        responses.insert("401".into(), error.clone());
        responses.insert("403".into(), error.clone());
    }
    if rule.request.is_some() {
        responses.insert("400".into(), error.clone());
        responses.insert("422".into(), error.clone());
    }
    responses.insert("default".into(), error);
    op.insert("responses".into(), Value::Object(responses));
    Value::Object(op)
}

fn object(required: &[&str], props: Value) -> Value {
    json!({"type": "object", "required": required, "properties": props})
}

fn schemas() -> Value {
    let s = json!({"type": "string"});
    let i = json!({"type": "integer", "format": "int64"});
    let b = json!({"type": "boolean"});
    let role = json!({"type": "string", "enum": ["admin", "operator", "viewer"]});
    let lang = json!({"type": "string", "enum": ["zh-CN", "en"]});
    let secret = schema_ref("SecretView");
    let mut all = json!({
        "ApiError": object(&["error"], json!({"error": object(&["code", "message"], json!({
            "code": s, "message": s,
            "fields": {"type": "array", "items": object(&["field", "code", "message"], json!({"field": s, "code": s, "message": s}))}
        }))})),
        "LoginRequest": object(&["username", "password"], json!({"username": s, "password": s})),
        "Me": object(&["id", "username", "role", "must_change_password", "lang"], json!({"id": i, "username": s, "role": role, "must_change_password": b, "lang": lang})),
        "UpdateMeRequest": object(&["lang"], json!({"lang": lang})),
        "ChangePasswordRequest": object(&["current_password", "new_password"], json!({"current_password": s, "new_password": s})),
        "StaffUser": object(&["id", "username", "role", "disabled", "must_change_password", "created_at"], json!({"id": i, "username": s, "role": role, "disabled": b, "must_change_password": b, "created_at": s, "last_login_at": {"type": ["string", "null"]}})),
        "StaffUserList": {"type": "array", "items": schema_ref("StaffUser")},
        "CreateStaffRequest": object(&["username", "password", "role"], json!({"username": s, "password": s, "role": role})),
        "UpdateStaffRequest": object(&[], json!({"role": role, "disabled": b, "password": s})),
        "SecretView": object(&["set", "masked"], json!({"set": b, "masked": s})),
        "CreateAccountRequest": {
            "description": "`kind` selects the fields: official_account (app_id, app_secret, token, encoding_aes_key, message_mode, original_id); work_app (corp_id, agent_id, secret, contacts_secret, token, encoding_aes_key); pay_merchant (mch_id, app_id, api_key, sign_type, client_cert_p12_base64, client_cert_password); work_suite (suite_id, suite_secret, token, encoding_aes_key, provider_corp_id, provider_secret).",
            "type": "object",
            "required": ["kind", "name"],
            "properties": {"kind": {"type": "string", "enum": ["official_account", "work_app", "pay_merchant", "work_suite"]}, "name": s, "environment": {"type": "string", "enum": ["production", "sandbox"]}},
            "additionalProperties": true
        },
        "UpdateAccountRequest": {"type": "object", "description": "Any subset of the fields of the account's kind; secret fields need the admin role.", "additionalProperties": true},
        "Account": object(&["id", "name", "kind", "environment", "created_at", "updated_at", "settings"], json!({
            "id": i, "name": s, "kind": s, "environment": s,
            "callback_url": {"type": ["string", "null"]},
            "created_at": s, "updated_at": s,
            "settings": {"type": "object", "description": "Tagged by `kind`; secrets appear as SecretView.", "additionalProperties": true, "properties": {"app_secret": secret}}
        })),
        "AccountList": {"type": "array", "items": schema_ref("Account")},
        "GeneratedCredentials": object(&["token", "encoding_aes_key"], json!({"token": s, "encoding_aes_key": s})),
        "AuditEntry": object(&["id", "at", "actor", "action", "target_type", "summary", "detail"], json!({"id": i, "at": s, "actor": s, "action": s, "target_type": s, "target_id": {"type": ["integer", "null"]}, "summary": s, "detail": {}})),
        "AuditPage": object(&["items", "total", "page", "per_page"], json!({"items": {"type": "array", "items": schema_ref("AuditEntry")}, "total": i, "page": i, "per_page": i})),
        "SystemInfo": object(&["version", "public_url", "default_environment"], json!({"version": s, "public_url": s, "default_environment": {"type": "string", "enum": ["production", "sandbox"]}})),
        "Product": object(&["id", "merchant_id", "name", "description", "price_fen", "active", "created_at", "updated_at"], json!({"id": i, "merchant_id": i, "name": s, "description": s, "price_fen": {"type": "integer", "format": "int64", "description": "fen"}, "active": b, "created_at": s, "updated_at": s})),
        "ProductList": {"type": "array", "items": schema_ref("Product")},
        "CreateProductRequest": object(&["name", "price_fen"], json!({"name": s, "description": s, "price_fen": i, "active": b})),
        "UpdateProductRequest": object(&[], json!({"name": s, "description": s, "price_fen": i, "active": b})),
        "ReplyRule": object(&["id", "name", "enabled", "priority", "triggers", "conditions", "replies", "hit_count", "created_at", "updated_at"], json!({"id": i, "account_id": i, "name": s, "enabled": b, "priority": i, "triggers": {"type": "array", "items": {"type": "object"}}, "conditions": {"type": "object"}, "replies": {"type": "array", "items": {"type": "object"}}, "hit_count": i, "created_at": s, "updated_at": s})),
        "ReplyRuleList": {"type": "array", "items": schema_ref("ReplyRule")},
        "ReplyRuleInput": object(&[], json!({"name": s, "enabled": b, "priority": i, "global": b, "triggers": {"type": "array", "items": {"type": "object"}}, "conditions": {"type": "object"}, "replies": {"type": "array", "items": {"type": "object"}}})),
        "SimulateRequest": object(&["msg_type"], json!({"msg_type": s, "content": s, "event": s, "event_key": s, "from_user": s})),
        "SimulateResponse": object(&["verdicts"], json!({"rule_id": i, "rule_name": s, "reply_xml": s, "verdicts": {"type": "array", "items": object(&["rule_id", "name", "fired", "reason"], json!({"rule_id": i, "name": s, "fired": b, "reason": s}))}})),
        "Product": object(&["id", "merchant_id", "name", "description", "price_fen", "active", "created_at", "updated_at"], json!({"id": i, "merchant_id": i, "name": s, "description": s, "price_fen": {"type": "integer", "format": "int64", "description": "fen"}, "active": b, "created_at": s, "updated_at": s})),
        "ProductList": {"type": "array", "items": schema_ref("Product")},
        "CreateProductRequest": object(&["name", "price_fen"], json!({"name": s, "description": s, "price_fen": i, "active": b})),
        "UpdateProductRequest": object(&[], json!({"name": s, "description": s, "price_fen": i, "active": b})),
        "TestConnectionResult": object(&["ok", "detail", "fetches_today", "environment"], json!({"ok": b, "detail": s, "fetches_today": i, "environment": {"type": "string", "enum": ["production", "sandbox"]}, "errcode": i, "hint": s})),
        "SandboxActRequest": {
            "description": "`type`: subscribe (scene?), unsubscribe, scan (scene), text (content), image, location (latitude, longitude, label?), link (title, url, description?), click (key), enter_agent, verify_url. `subject`: the follower's openid / member's userid.",
            "type": "object",
            "required": ["type"],
            "properties": {"type": s, "subject": s},
            "additionalProperties": true
        },
        "SandboxActResult": object(&["ok", "outcome", "url", "latency_ms", "attempts", "message", "seen"], json!({
            "ok": b, "outcome": s, "subject": s, "url": s, "http_status": i, "latency_ms": i,
            "attempts": {"type": "array", "items": object(&["elapsed_ms", "response"], json!({"status": i, "error": s, "elapsed_ms": i, "response": s}))},
            "message": s, "reply": s, "reply_error": s,
            "seen": {"type": "array", "items": object(&["source", "msg_type", "text"], json!({"source": s, "msg_type": s, "text": s}))}
        })),
        "SandboxPersonPage": object(&["items", "total", "page", "per_page"], json!({"items": {"type": "array", "items": object(&["id", "name", "subscribed", "tags"], json!({"id": s, "name": s, "subscribed": b, "tags": {"type": "array", "items": s}}))}, "total": i, "page": i, "per_page": i})),
        "ReplyRule": object(&["id", "name", "enabled", "priority", "triggers", "conditions", "replies", "hit_count", "created_at", "updated_at"], json!({"id": i, "account_id": i, "name": s, "enabled": b, "priority": i, "triggers": {"type": "array", "items": {"type": "object"}}, "conditions": {"type": "object"}, "replies": {"type": "array", "items": {"type": "object"}}, "hit_count": i, "created_at": s, "updated_at": s})),
        "ReplyRuleList": {"type": "array", "items": schema_ref("ReplyRule")},
        "ReplyRuleInput": object(&[], json!({"name": s, "enabled": b, "priority": i, "global": b, "triggers": {"type": "array", "items": {"type": "object"}}, "conditions": {"type": "object"}, "replies": {"type": "array", "items": {"type": "object"}}})),
        "SimulateRequest": object(&["msg_type"], json!({"msg_type": s, "content": s, "event": s, "event_key": s, "from_user": s})),
        "SimulateResponse": object(&["verdicts"], json!({"rule_id": i, "rule_name": s, "reply_xml": s, "verdicts": {"type": "array", "items": object(&["rule_id", "name", "fired", "reason"], json!({"rule_id": i, "name": s, "fired": b, "reason": s}))}})),
        "Product": object(&["id", "merchant_id", "name", "description", "price_fen", "active", "created_at", "updated_at"], json!({"id": i, "merchant_id": i, "name": s, "description": s, "price_fen": {"type": "integer", "format": "int64", "description": "fen"}, "active": b, "created_at": s, "updated_at": s})),
        "ProductList": {"type": "array", "items": schema_ref("Product")},
        "CreateProductRequest": object(&["name", "price_fen"], json!({"name": s, "description": s, "price_fen": i, "active": b})),
        "UpdateProductRequest": object(&[], json!({"name": s, "description": s, "price_fen": i, "active": b})),
        "OpenApi": {"type": "object"}
    });
    crate::pay::openapi_schemas(&mut all);
    crate::messages::openapi_schemas(&mut all);
    crate::oa::followers::openapi_schemas(&mut all);
    crate::oa::menus::openapi_schemas(&mut all);
    crate::oa::materials::openapi_schemas(&mut all);
    crate::oa::drafts::openapi_schemas(&mut all);
    all
}

/// The whole document.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for rule in ROUTES {
        let entry = paths
            .entry(rule.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(methods) = entry {
            methods.insert(rule.method.to_ascii_lowercase(), operation(rule));
        }
    }
    for (path, summary) in [
        ("/healthz", "Liveness: the process answers"),
        ("/readyz", "Readiness: the database answers (503 otherwise)"),
    ] {
        paths.insert(
            path.to_string(),
            json!({"get": {
                "operationId": path.trim_start_matches('/'),
                "summary": summary,
                "tags": ["health"],
                "x-access": "public",
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": object(&["status"], json!({"status": {"type": "string"}}))}}},
                    "503": {"description": "Not ready"}
                }
            }}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "wxportal API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "JSON API of the wxportal SPA. Errors are {\"error\":{\"code\",\"message\"[,\"fields\"]}}. Unsafe methods need a same-origin request and a JSON body."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE}},
            "schemas": schemas()
        }
    })
}

pub async fn handler() -> axum::Json<Value> {
    axum::Json(document())
}
