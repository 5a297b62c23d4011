use api::staff::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{OA_SECRET, assert_error, json_of, official_account, spawn_app};

#[tokio::test]
async fn changes_are_audited_without_secret_values() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let created = json_of(
        c.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let new_secret = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
    json_of(
        c.patch(
            &format!("/api/accounts/{id}"),
            &json!({"name": "New", "app_secret": new_secret}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    c.delete(&format!("/api/accounts/{id}")).await;
    let staff = json_of(
        c.post(
            "/api/staff",
            &json!({"username": "sam", "password": "sams-pass-123", "role": "viewer"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let sid = staff["id"].as_i64().unwrap();
    json_of(
        c.patch(&format!("/api/staff/{sid}"), &json!({"role": "operator"}))
            .await,
        StatusCode::OK,
    )
    .await;
    c.delete(&format!("/api/staff/{sid}")).await;

    let r = c.get("/api/audit?per_page=50").await;
    let text = r.text().await.unwrap();
    assert!(!text.contains(OA_SECRET) && !text.contains(new_secret));
    let page: serde_json::Value = serde_json::from_str(&text).unwrap();
    let actions: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "staff.delete",
            "staff.update",
            "staff.create",
            "account.delete",
            "account.secret_replace",
            "account.update",
            "account.create",
            "auth.password_change",
            "staff.create",
        ]
    );
    assert_eq!(page["total"], 9);
    let secret_replace = &page["items"][4];
    assert_eq!(secret_replace["actor"], "admin");
    assert_eq!(secret_replace["target_type"], "account");
    assert_eq!(secret_replace["target_id"], id);
    assert_eq!(
        secret_replace["detail"]["secrets_replaced"],
        json!(["app_secret"])
    );
    assert_eq!(page["items"][5]["detail"]["changed"], json!(["name"]));
    assert_eq!(page["items"][8]["actor"], "system");

    // Filters and paging.
    let acc = json_of(
        c.get(&format!("/api/audit?target_type=account&target_id={id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(acc["total"], 4);
    let p2 = json_of(c.get("/api/audit?page=2&per_page=4").await, StatusCode::OK).await;
    assert_eq!(p2["items"].as_array().unwrap().len(), 4);
    assert_eq!(p2["page"], 2);
    assert_eq!(p2["items"][0]["action"], "account.secret_replace");
    let sys = json_of(c.get("/api/audit?actor=system").await, StatusCode::OK).await;
    assert_eq!(sys["total"], 1);
}

#[tokio::test]
async fn only_admins_see_the_audit_log() {
    let app = spawn_app().await;
    let (op, _) = app.signed_in("oper", Role::Operator).await;
    assert_error(
        op.get("/api/audit").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        app.client().get("/api/audit").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}
