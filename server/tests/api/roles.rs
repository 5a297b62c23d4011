//! Walk every declared route × roles and prove each route's rule.

use std::collections::BTreeSet;

use api::staff::Role;
use reqwest::StatusCode;
use serde_json::json;
use wxportal::http::routes::{Access, table};

use crate::helpers::{USER_PASSWORD, json_of, official_account, spawn_app};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    /// Signed in, but must still change the password.
    PendingChange,
    Signed(Role),
}

fn expected(access: Access, who: Who) -> Result<(), (StatusCode, &'static str)> {
    match (access, who) {
        (Access::Public, _) => Ok(()),
        (_, Who::Anonymous) => Err((StatusCode::UNAUTHORIZED, "unauthenticated")),
        (Access::Authenticated, _) => Ok(()),
        (Access::Role(_), Who::PendingChange) => {
            Err((StatusCode::FORBIDDEN, "password_change_required"))
        }
        (Access::Role(needed), Who::Signed(role)) if role.allows(needed) => Ok(()),
        (Access::Role(_), Who::Signed(_)) => Err((StatusCode::FORBIDDEN, "forbidden")),
    }
}

#[tokio::test]
async fn every_route_enforces_its_rule_for_every_role() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.create_user("viewer1", Role::Viewer).await;
    app.create_user("operator1", Role::Operator).await;
    app.create_user("admin1", Role::Admin).await;
    let pending = json_of(
        admin
            .post(
                "/api/staff",
                &json!({"username": "pending1", "password": USER_PASSWORD, "role": "admin"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(pending["must_change_password"], true);

    let mut checked = 0;
    for who in [
        Who::Anonymous,
        Who::PendingChange,
        Who::Signed(Role::Viewer),
        Who::Signed(Role::Operator),
        Who::Signed(Role::Admin),
    ] {
        for rule in table() {
            // Fresh targets so destructive routes always have something to act on.
            let spare_staff = app
                .create_user(&format!("spare{checked}"), Role::Viewer)
                .await;
            // A sandbox account on a server without the sandbox: routes that would call WeChat
            // answer without leaving the machine (a production account would try the real hosts).
            let mut account = official_account(&format!("wx{:016}", checked));
            account["environment"] = json!("sandbox");
            let spare_account = json_of(
                admin.post("/api/accounts", &account).await,
                StatusCode::CREATED,
            )
            .await["id"]
                .as_i64()
                .unwrap();
            let id = if rule.path.starts_with("/api/staff") {
                spare_staff
            } else {
                spare_account
            };
            let path = rule.path.replace("{id}", &id.to_string());

            let c = app.client();
            match who {
                Who::Anonymous => {}
                Who::PendingChange => assert_eq!(
                    c.login("pending1", USER_PASSWORD).await.status(),
                    StatusCode::OK
                ),
                Who::Signed(role) => {
                    let name = format!("{}1", role.as_str());
                    assert_eq!(c.login(&name, USER_PASSWORD).await.status(), StatusCode::OK);
                }
            }
            let body = (rule.method != "GET" && rule.method != "DELETE").then(|| json!({}));
            let r = c.request(rule.method, &path, body.as_ref()).await;
            let status = r.status();
            let text = r.text().await.unwrap();
            match expected(rule.access, who) {
                Ok(()) => {
                    assert!(
                        status != StatusCode::UNAUTHORIZED
                            && status != StatusCode::FORBIDDEN
                            && !status.is_server_error(),
                        "{who:?} {} {path}: expected access, got {status} {text}",
                        rule.method
                    );
                    // A success is the one the declaration documents.
                    if status.is_success() {
                        assert_eq!(
                            status.as_u16(),
                            rule.status,
                            "{who:?} {} {path}: {text}",
                            rule.method
                        );
                    }
                }
                Err((want, code)) => {
                    assert_eq!(status, want, "{who:?} {} {path}: {text}", rule.method);
                    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(
                        body["error"]["code"], code,
                        "{who:?} {} {path}",
                        rule.method
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, table().len() * 5);
}

#[test]
fn the_route_table_covers_every_registered_route() {
    let registered: BTreeSet<(&str, &str)> = wxportal::startup::registered_api_routes()
        .into_iter()
        .collect();
    let table: BTreeSet<(&str, &str)> = table().iter().map(|r| (r.method, r.path)).collect();
    assert_eq!(registered, table);
    assert_eq!(
        registered.len(),
        wxportal::startup::registered_api_routes().len(),
        "no duplicates"
    );
}

#[test]
fn the_rules_are_the_ones_agreed() {
    let rule = |m: &str, p: &str| wxportal::http::routes::rule_for(m, p).unwrap().access;
    assert_eq!(rule("POST", "/api/auth/login"), Access::Public);
    assert_eq!(rule("GET", "/api/openapi.json"), Access::Public);
    assert_eq!(rule("GET", "/api/auth/me"), Access::Authenticated);
    assert_eq!(rule("POST", "/api/auth/password"), Access::Authenticated);
    assert_eq!(rule("GET", "/api/system/info"), Access::Authenticated);
    assert_eq!(rule("GET", "/api/accounts"), Access::VIEWER);
    assert_eq!(rule("GET", "/api/accounts/{id}"), Access::VIEWER);
    assert_eq!(rule("POST", "/api/accounts"), Access::OPERATOR);
    assert_eq!(rule("PATCH", "/api/accounts/{id}"), Access::OPERATOR);
    assert_eq!(rule("DELETE", "/api/accounts/{id}"), Access::ADMIN);
    assert_eq!(rule("POST", "/api/accounts/{id}/reveal"), Access::ADMIN);
    assert_eq!(rule("GET", "/api/tools/credentials"), Access::OPERATOR);
    assert_eq!(rule("GET", "/api/audit"), Access::ADMIN);
    for (m, p) in [
        ("GET", "/api/staff"),
        ("POST", "/api/staff"),
        ("GET", "/api/staff/{id}"),
        ("PATCH", "/api/staff/{id}"),
        ("DELETE", "/api/staff/{id}"),
    ] {
        assert_eq!(rule(m, p), Access::ADMIN);
    }
}
