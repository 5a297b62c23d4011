use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{Value, json};
use wxportal::http::{openapi::path_params, routes::table};

use crate::helpers::{Client, json_of, pay_merchant, spawn_app, spawn_app_with};

const COMPONENTS: &str = "#/components/schemas/";

/// Every `$ref` string in `value`.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_lists_every_route_with_its_access() {
    let app = spawn_app().await;
    let doc = json_of(app.client().get("/api/openapi.json").await, StatusCode::OK).await;
    assert_eq!(doc["openapi"], "3.1.0");
    for rule in table() {
        let op = &doc["paths"][rule.path][rule.method.to_ascii_lowercase()];
        assert!(op.is_object(), "{} {} missing", rule.method, rule.path);
        assert_eq!(op["x-access"], rule.access.label());
        assert!(op["responses"].is_object());
        if let Some(req) = rule.request.and_then(|b| b.json()) {
            let r = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap();
            let name = r.rsplit('/').next().unwrap();
            // The request contract of a type is stored under `{name}Input` when it differs from
            // the response contract.
            let req = (req.name)();
            assert!(
                name == req || name == format!("{req}Input"),
                "{name} for {req}"
            );
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "schema {name}"
            );
        }
        if let Some(resp) = rule.response.and_then(|b| b.json()) {
            let status = rule.status.to_string();
            let schema = &op["responses"][&status]["content"]["application/json"]["schema"];
            assert!(schema.is_object(), "{} {}", rule.method, rule.path);
            let mut found = Vec::new();
            refs(schema, &mut found);
            assert!(
                !found.is_empty(),
                "{} refers to no component",
                (resp.name)()
            );
            for r in found {
                let name = r.strip_prefix(COMPONENTS).unwrap();
                assert!(
                    doc["components"]["schemas"][name].is_object(),
                    "schema {name}"
                );
            }
        }
    }
    let count: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|m| m.as_object().unwrap().len())
        .sum();
    // Every API route, plus /healthz and /readyz.
    assert_eq!(count, table().len() + 2);
    assert!(doc["paths"]["/readyz"]["get"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["session"]["name"],
        "wxportal_session"
    );
}

#[tokio::test]
async fn the_document_gives_each_route_the_status_it_answers_with() {
    let app = spawn_app().await;
    let doc = json_of(app.client().get("/api/openapi.json").await, StatusCode::OK).await;
    // What the handlers answer (their own tests assert these statuses on real requests).
    for (method, path, status) in [
        ("post", "/api/auth/login", "200"),
        ("post", "/api/accounts", "201"),
        ("post", "/api/accounts/{id}/reply-rules", "201"),
        ("post", "/api/accounts/{id}/menu/publish", "201"),
        ("post", "/api/accounts/{id}/followers/sync", "202"),
        ("post", "/api/accounts/{id}/followers/tagging", "202"),
        ("post", "/api/pay/orders/{id}/query", "200"),
        ("post", "/api/pay/orders/{id}/refunds", "200"),
        ("get", "/api/accounts", "200"),
        ("delete", "/api/accounts/{id}", "204"),
    ] {
        let responses = doc["paths"][path][method]["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} missing"));
        let success: Vec<&String> = responses.keys().filter(|k| k.starts_with('2')).collect();
        assert_eq!(success, [status], "{method} {path}");
    }
}

/// The document is a valid OpenAPI 3.1 document: it parses as one, every `$ref` resolves, every
/// path parameter is declared, every operation has an id, and bodies have schemas.
#[tokio::test]
async fn the_document_is_valid_openapi() {
    let app = spawn_app().await;
    let text = app
        .client()
        .get("/api/openapi.json")
        .await
        .text()
        .await
        .unwrap();
    let spec = oas3::from_json(&text).expect("parses as OpenAPI 3.1");
    assert_eq!(spec.validate_version().unwrap().minor, 1);
    assert_eq!(spec.operations().count(), table().len() + 2);
    let doc: Value = serde_json::from_str(&text).unwrap();

    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 100, "{} refs", all.len());
    for r in &all {
        let pointer = r.strip_prefix('#').expect("local ref");
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
    // The component schemas are valid JSON Schemas (draft 2020-12).
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        let mut root = schema.clone();
        root["components"] = doc["components"].clone();
        jsonschema::draft202012::new(&root).unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    let mut ids = BTreeSet::new();
    for (path, methods) in doc["paths"].as_object().unwrap() {
        for (method, op) in methods.as_object().unwrap() {
            let id = op["operationId"].as_str().expect("operationId");
            assert!(ids.insert(id.to_string()), "duplicate operationId {id}");
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| {
                    assert_eq!(p["required"], true);
                    assert!(p["schema"]["type"].is_string());
                    p["name"].as_str().unwrap()
                })
                .collect();
            let in_path: BTreeSet<&str> = path_params(path).into_iter().collect();
            assert_eq!(declared, in_path, "{method} {path}");
            let names: Vec<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            assert_eq!(
                names.len(),
                names.iter().collect::<BTreeSet<_>>().len(),
                "{method} {path}: {names:?}"
            );
            for (status, response) in op["responses"].as_object().unwrap() {
                if status == "204" {
                    assert!(response.get("content").is_none(), "{method} {path}");
                } else if status.starts_with('2') || status.starts_with('4') {
                    let content = response["content"].as_object().unwrap_or_else(|| {
                        panic!("{method} {path} {status}: a response without a body")
                    });
                    assert!(
                        content.values().all(|c| c["schema"].is_object()),
                        "{method} {path} {status}"
                    );
                }
            }
            if let Some(body) = op.get("requestBody") {
                assert!(
                    body["content"]
                        .as_object()
                        .unwrap()
                        .values()
                        .all(|c| c["schema"].is_object()),
                    "{method} {path}"
                );
            }
        }
    }
}

/// A route documents a JSON request body exactly when it reads one: a malformed JSON body is
/// refused as such by the routes that read one and ignored by the others.
#[tokio::test]
async fn every_route_that_reads_a_json_body_documents_it() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut account = crate::helpers::official_account("wx0000000000000042");
    account["environment"] = json!("sandbox");
    let oa = json_of(
        admin.post("/api/accounts", &account).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let merchant = json_of(
        admin.post("/api/accounts", &pay_merchant()).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let product = json_of(
        admin
            .post(
                &format!("/api/pay/merchants/{merchant}/products"),
                &json!({"name": "Tea", "price_fen": 100}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let staff = app.create_user("bodyprobe", api::staff::Role::Viewer).await;
    // WeCom app routes (contacts, `…/wecom/…`) take a WeCom app (another kind is a 404
    // before any body).
    let work = json_of(
        admin
            .post("/api/accounts", &crate::helpers::work_app())
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();

    // Suite routes (`…/suite/…`) take a WeCom suite.
    let suite = json_of(
        admin
            .post("/api/accounts", &crate::helpers::work_suite())
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();

    let (mut reads, mut ignores, mut unknown) = (0, 0, Vec::new());
    // Signing out last: the probe runs signed in.
    let mut rules: Vec<_> = table().iter().collect();
    rules.sort_by_key(|r| r.path == "/api/auth/logout");
    for rule in rules {
        if matches!(rule.method, "GET" | "DELETE") {
            continue;
        }
        let id = if rule.path.starts_with("/api/staff") {
            staff
        } else if rule.path.starts_with("/api/pay/products") {
            product
        } else if rule.path.starts_with("/api/pay/") {
            merchant
        } else if rule.path.contains("/contacts") || rule.path.contains("/wecom/") {
            work
        } else if rule.path.contains("/suite/") {
            suite
        } else {
            oa
        };
        let path = rule.path.replace("{id}", &id.to_string());
        let r = admin
            .http
            .request(
                reqwest::Method::from_bytes(rule.method.as_bytes()).unwrap(),
                admin.url(&path),
            )
            .header("content-type", "application/json")
            .body("{\"unterminated\": ")
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        let message = body["error"]["message"].as_str().unwrap_or("");
        let documented = rule.request.and_then(|b| b.json()).is_some();
        if status == StatusCode::BAD_REQUEST && message.starts_with("malformed JSON") {
            assert!(
                documented,
                "{} {} reads a JSON body but documents none",
                rule.method, rule.path
            );
            reads += 1;
        } else if status == StatusCode::NOT_FOUND && rule.path.matches('{').count() > 1 {
            // A nested resource that does not exist may be refused before its body is read.
            unknown.push(format!("{} {}", rule.method, rule.path));
        } else {
            assert!(
                !documented,
                "{} {} documents a JSON body but ignored a malformed one: {status} {body}",
                rule.method, rule.path
            );
            ignores += 1;
        }
    }
    assert!(reads > 20 && ignores > 5, "{reads} {ignores} {unknown:?}");
}

/// Validate `instance` against a schema of the document (resolving `$ref`s into its components).
fn assert_matches(doc: &Value, schema: &Value, instance: &Value, what: &str) {
    assert!(schema.is_object(), "{what}: no schema");
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    let validator = jsonschema::draft202012::new(&root).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{instance:#}");
}

/// Real requests to varied routes: what is sent matches the documented request schema, and what
/// comes back matches the documented response schema of the documented status.
struct Checker {
    doc: Value,
    client: Client,
    checked: usize,
}

impl Checker {
    async fn call(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let op = &self.doc["paths"][template][method.to_ascii_lowercase()];
        assert!(op.is_object(), "{method} {template} is not documented");
        if let Some(body) = body.as_ref().filter(|_| op.get("requestBody").is_some()) {
            assert_matches(
                &self.doc,
                &op["requestBody"]["content"]["application/json"]["schema"],
                body,
                &format!("request of {method} {template}"),
            );
        }
        let r = self.client.request(method, path, body.as_ref()).await;
        let status = r.status().as_u16().to_string();
        let text = r.text().await.unwrap();
        let responses = op["responses"].as_object().unwrap();
        let documented = responses
            .get(&status)
            .or_else(|| {
                responses
                    .get("default")
                    .filter(|_| !status.starts_with('2'))
            })
            .unwrap_or_else(|| panic!("{method} {path} answered {status}: {text}"));
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{method} {path} answered {status}: {text}"));
        assert_matches(
            &self.doc,
            &documented["content"]["application/json"]["schema"],
            &value,
            &format!("response {status} of {method} {template}"),
        );
        self.checked += 1;
        value
    }
}

#[tokio::test]
async fn real_answers_match_their_documented_schemas() {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let admin = app.admin().await;
    let doc = json_of(admin.get("/api/openapi.json").await, StatusCode::OK).await;
    let mut c = Checker {
        doc,
        client: admin,
        checked: 0,
    };

    let me = c.call("GET", "/api/auth/me", "/api/auth/me", None).await;
    // The validation bites: a role the schema does not know is refused.
    let mut wrong = me.clone();
    wrong["role"] = json!("superuser");
    let schema = &c.doc["paths"]["/api/auth/me"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let mut root = schema.clone();
    root["components"] = c.doc["components"].clone();
    let validator = jsonschema::draft202012::new(&root).unwrap();
    assert!(validator.is_valid(&me) && !validator.is_valid(&wrong));
    c.call("GET", "/api/system/info", "/api/system/info", None)
        .await;
    c.call("GET", "/api/staff", "/api/staff", None).await;
    c.call(
        "GET",
        "/api/tools/credentials",
        "/api/tools/credentials",
        None,
    )
    .await;
    // The sandbox's demo accounts: one of each kind, settings tagged by kind.
    let accounts = c.call("GET", "/api/accounts", "/api/accounts", None).await;
    let of_kind = |kind: &str| {
        accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["kind"] == kind)
            .unwrap_or_else(|| panic!("a demo {kind}"))["id"]
            .as_i64()
            .unwrap()
    };
    let (oa, merchant) = (of_kind("official_account"), of_kind("pay_merchant"));
    let created = c
        .call(
            "POST",
            "/api/accounts",
            "/api/accounts",
            Some(pay_merchant()),
        )
        .await;
    assert_eq!(created["settings"]["api_key"]["set"], true);
    let a = |rest: &str| format!("/api/accounts/{oa}{rest}");

    c.call(
        "POST",
        "/api/accounts/{id}/test-connection",
        &a("/test-connection"),
        Some(json!({})),
    )
    .await;
    c.call(
        "POST",
        "/api/accounts/{id}/reply-rules",
        &a("/reply-rules"),
        Some(json!({
            "name": "hello", "priority": 5,
            "triggers": [{"type": "keyword", "mode": "contains", "pattern": "hi"}, {"type": "menu_click", "key": "TODAY"}],
            "replies": [{"type": "text", "content": "hello there"}]
        })),
    )
    .await;
    c.call(
        "GET",
        "/api/accounts/{id}/reply-rules",
        &a("/reply-rules"),
        None,
    )
    .await;
    c.call(
        "POST",
        "/api/accounts/{id}/reply-rules/simulate",
        &a("/reply-rules/simulate"),
        Some(json!({"msg_type": "text", "content": "hi"})),
    )
    .await;

    let people = c
        .call(
            "GET",
            "/api/accounts/{id}/sandbox/followers",
            &a("/sandbox/followers"),
            None,
        )
        .await;
    let openid = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["subscribed"] == true)
        .expect("a subscribed follower")["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.call(
        "POST",
        "/api/accounts/{id}/sandbox/act",
        &a("/sandbox/act"),
        Some(json!({"type": "text", "subject": openid, "content": "hi"})),
    )
    .await;
    let messages = c
        .call("GET", "/api/accounts/{id}/messages", &a("/messages"), None)
        .await;
    assert!(messages["total"].as_u64().unwrap() > 0, "{messages}");
    let deliveries = c
        .call(
            "GET",
            "/api/accounts/{id}/deliveries",
            &a("/deliveries"),
            None,
        )
        .await;
    let delivery = deliveries["items"][0]["id"].as_i64().unwrap();
    c.call(
        "GET",
        "/api/accounts/{id}/deliveries/{delivery_id}",
        &a(&format!("/deliveries/{delivery}")),
        None,
    )
    .await;

    c.call(
        "POST",
        "/api/accounts/{id}/menu/publish",
        &a("/menu/publish"),
        Some(json!({"buttons": [
            {"name": "今日", "type": "click", "key": "TODAY"},
            {"name": "更多", "sub_button": [{"name": "官网", "type": "view", "url": "https://example.com/"}]}
        ], "note": "first"})),
    )
    .await;
    c.call("GET", "/api/accounts/{id}/menu", &a("/menu"), None)
        .await;
    c.call("GET", "/api/accounts/{id}/tags", &a("/tags"), None)
        .await;

    let m = |rest: &str| format!("/api/pay/merchants/{merchant}{rest}");
    let product = c
        .call(
            "POST",
            "/api/pay/merchants/{id}/products",
            &m("/products"),
            Some(json!({"name": "Tea", "description": "green", "price_fen": 1200})),
        )
        .await;
    c.call(
        "PATCH",
        "/api/pay/products/{id}",
        &format!("/api/pay/products/{}", product["id"]),
        Some(json!({"active": false})),
    )
    .await;
    c.call("GET", "/api/pay/merchants/{id}/orders", &m("/orders"), None)
        .await;
    c.call(
        "GET",
        "/api/pay/merchants/{id}/dashboard",
        &m("/dashboard"),
        None,
    )
    .await;

    let audit = c.call("GET", "/api/audit", "/api/audit", None).await;
    assert!(audit["total"].as_u64().unwrap() > 0);
    // An error answers with the documented error shape.
    let missing = c
        .call("GET", "/api/accounts/{id}", "/api/accounts/999999", None)
        .await;
    assert_eq!(missing["error"]["code"], "not_found");
    assert!(c.checked >= 20, "{}", c.checked);
}
