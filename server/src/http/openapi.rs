//! `GET /api/openapi.json`: an OpenAPI 3.1 document generated from the route declarations, with
//! the JSON schemas (draft 2020-12, as OpenAPI 3.1 uses) derived from the `api` types.
//!
//! Responses are described as the server serializes them and requests as it deserializes them
//! (schemars' two contracts); a type whose two schemas differ is stored twice, the request's
//! under `{name}Input`.

use std::collections::BTreeSet;

use schemars::{SchemaGenerator, generate::SchemaSettings};
use serde_json::{Map, Value, json};

use crate::http::routes::{Access, Body, QueryParams, Route, RouteRule, table};

const COMPONENTS: &str = "#/components/schemas/";

fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "/components/schemas".into();
        s.meta_schema = None;
    })
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

/// The names of the `{name}` segments of a path, in order.
pub fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// The schemas of one route, before they are placed in the document.
struct Schemas {
    request: Option<(&'static str, Value)>,
    query: Vec<Value>,
    response: Option<(&'static str, Value)>,
}

fn body_schema(body: &Body, generator: &mut SchemaGenerator) -> (&'static str, Value) {
    match body {
        Body::Json(t) => ("application/json", (t.schema)(generator).to_value()),
        Body::Other { media_type, schema } => (media_type, schema()),
    }
}

/// The schema a `$ref` points at among a generator's definitions.
fn resolve<'a>(schema: &'a Value, generator: &'a SchemaGenerator) -> &'a Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(COMPONENTS))
        .and_then(|name| generator.definitions().get(name))
        .unwrap_or(schema)
}

fn query_params(rule: &RouteRule, input: &mut SchemaGenerator) -> Vec<Value> {
    match rule.query {
        QueryParams::None => Vec::new(),
        QueryParams::Names(names) => names
            .iter()
            .map(|q| json!({"name": q, "in": "query", "required": false, "schema": {"type": "string"}}))
            .collect(),
        QueryParams::Type(t) => {
            let schema = (t.schema)(input).to_value();
            let schema = resolve(&schema, input);
            let required: BTreeSet<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut params = Vec::new();
            for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
                let mut param = json!({
                    "name": name,
                    "in": "query",
                    "required": required.contains(name.as_str()),
                    "schema": prop,
                });
                if let Some(d) = prop.get("description") {
                    param["description"] = d.clone();
                }
                params.push(param);
            }
            params
        }
    }
}

fn operation(rule: &RouteRule, schemas: Schemas) -> Value {
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
    let mut params: Vec<Value> = path_params(rule.path)
        .into_iter()
        .map(|name| {
            let schema = if rule.text_params.contains(&name) {
                json!({"type": "string"})
            } else {
                json!({"type": "integer", "format": "int64"})
            };
            json!({"name": name, "in": "path", "required": true, "schema": schema})
        })
        .collect();
    params.extend(schemas.query);
    if !params.is_empty() {
        op.insert("parameters".into(), Value::Array(params));
    }
    if let Some((media_type, schema)) = &schemas.request {
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": {*media_type: {"schema": schema}}}),
        );
    }
    let mut responses = Map::new();
    match &schemas.response {
        Some((media_type, schema)) => {
            responses.insert(
                rule.status.to_string(),
                json!({"description": "OK", "content": {*media_type: {"schema": schema}}}),
            );
        }
        None => {
            responses.insert("204".into(), json!({"description": "No Content"}));
        }
    }
    let error = json!({"description": "Error", "content": {"application/json": {"schema": {"$ref": format!("{COMPONENTS}ApiError")}}}});
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

/// Point every `$ref` to a renamed component at its new name.
fn rename_refs(value: &mut Value, renamed: &BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "$ref"
                    && let Some(name) = v.as_str().and_then(|r| r.strip_prefix(COMPONENTS))
                    && renamed.contains(name)
                {
                    *v = json!(format!("{COMPONENTS}{name}Input"));
                } else {
                    rename_refs(v, renamed);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, renamed)),
        _ => {}
    }
}

/// The document for these routes.
pub fn document_for(rules: &[RouteRule]) -> Value {
    let mut output = settings().for_serialize().into_generator();
    let mut input = settings().for_deserialize().into_generator();
    output.subschema_for::<api::ApiError>();
    let mut all: Vec<(&RouteRule, Schemas)> = rules
        .iter()
        .map(|rule| {
            let schemas = Schemas {
                request: rule.request.as_ref().map(|b| body_schema(b, &mut input)),
                query: query_params(rule, &mut input),
                response: rule.response.as_ref().map(|b| body_schema(b, &mut output)),
            };
            (rule, schemas)
        })
        .collect();

    let mut components = output.take_definitions(true);
    let mut inputs = input.take_definitions(true);
    // A request type differs from the response type of the same name when its own schema does,
    // or when it refers to one that does: grow the set until it stops growing.
    let mut renamed: BTreeSet<String> = BTreeSet::new();
    loop {
        let more: Vec<String> = inputs
            .iter()
            .filter(|(name, _)| !renamed.contains(*name))
            .filter(|(name, schema)| {
                let mut schema = (*schema).clone();
                rename_refs(&mut schema, &renamed);
                components.get(*name).is_some_and(|s| *s != schema)
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        renamed.extend(more);
    }
    for schema in inputs.values_mut() {
        rename_refs(schema, &renamed);
    }
    for (_, schemas) in &mut all {
        if let Some((_, schema)) = &mut schemas.request {
            rename_refs(schema, &renamed);
        }
        schemas
            .query
            .iter_mut()
            .for_each(|p| rename_refs(p, &renamed));
    }
    for (name, schema) in inputs {
        let name = if renamed.contains(&name) {
            format!("{name}Input")
        } else {
            name
        };
        let previous = components.insert(name.clone(), schema.clone());
        assert!(
            previous.is_none_or(|p| p == schema),
            "two schemas named {name}"
        );
    }

    let mut paths: Map<String, Value> = Map::new();
    for (rule, schemas) in all {
        let entry = paths
            .entry(rule.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(methods) = entry {
            methods.insert(rule.method.to_ascii_lowercase(), operation(rule, schemas));
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
                    "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}}}},
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
            "schemas": components
        }
    })
}

/// The whole document.
pub fn document() -> Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| document_for(table())).clone()
}

pub async fn handler() -> axum::Json<Value> {
    axum::Json(document())
}

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/openapi.json", handler)
            .public()
            .summary("This document")
            // The document is no `api` type.
            .response_other("application/json", || {
                json!({"type": "object", "description": "An OpenAPI 3.1 document", "required": ["openapi", "info", "paths"]})
            }),
    ]
}
