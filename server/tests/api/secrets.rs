//! Secrets are encrypted at rest, bound to their row and field, and never returned in clear.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;
use wxportal::{entities::account_secret, vault::Binding};

use crate::helpers::{AES_KEY, OA_SECRET, json_of, official_account, pay_merchant, spawn_app};

#[tokio::test]
async fn the_database_holds_ciphertext_not_secrets() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let r = c
        .post("/api/accounts", &official_account("wxb11529c136998cb6"))
        .await;
    let text = r.text().await.unwrap();
    assert!(
        !text.contains(OA_SECRET),
        "response leaks the secret: {text}"
    );
    assert!(!text.contains(AES_KEY));
    let id = serde_json::from_str::<serde_json::Value>(&text).unwrap()["id"]
        .as_i64()
        .unwrap();

    let rows = account_secret::Entity::find()
        .filter(account_secret::Column::AccountId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    let fields: Vec<&str> = rows.iter().map(|r| r.field.as_str()).collect();
    // AppSecret, EncodingAESKey and the Token.
    assert_eq!(fields.len(), 3, "{fields:?}");
    for row in &rows {
        assert!(row.ciphertext.starts_with("wxv1:"), "{}", row.ciphertext);
        assert!(!row.ciphertext.contains(OA_SECRET) && !row.ciphertext.contains(AES_KEY));
        assert!(!row.masked.contains(&OA_SECRET[2..30]));
    }
    // …and it decrypts with the master key, only in its own place.
    let secret_row = rows.iter().find(|r| r.field == "app_secret").unwrap();
    let b = Binding {
        table: "account_secrets",
        row: id,
        field: "app_secret",
    };
    assert_eq!(
        app.vault.decrypt_string(&secret_row.ciphertext, b).unwrap(),
        OA_SECRET
    );
    let elsewhere = Binding {
        table: "account_secrets",
        row: id,
        field: "encoding_aes_key",
    };
    assert!(
        app.vault
            .decrypt_string(&secret_row.ciphertext, elsewhere)
            .is_err()
    );
    // No table has the clear value anywhere: the accounts row neither.
    let acct = wxportal::entities::account::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!acct.settings.contains(OA_SECRET) && !acct.settings.contains(AES_KEY));
}

#[tokio::test]
async fn reveal_reads_the_clear_value_for_the_server_only() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let created = json_of(
        c.post("/api/accounts", &pay_merchant()).await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let state = state_for(&app).await;
    assert_eq!(
        wxportal::accounts::service::reveal_secret(&state, id, "api_key")
            .await
            .unwrap()
            .as_deref(),
        Some("192006250b4c09247ec02edce69f6a2d")
    );
    assert_eq!(
        wxportal::accounts::service::reveal_secret(&state, id, "client_cert")
            .await
            .unwrap()
            .as_deref(),
        Some("aGVsbG8gY2VydGlmaWNhdGU=")
    );
    // Password defaults to the mch_id, so none is stored.
    assert_eq!(
        wxportal::accounts::service::reveal_secret(&state, id, "client_cert_password")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        created["settings"]["client_cert"]["masked"],
        "PKCS#12 · 17 bytes"
    );

    // Ciphertext moved to another account does not decrypt.
    let other = json_of(
        c.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let other_id = other["id"].as_i64().unwrap();
    let stolen = account_secret::Entity::find_by_id((id, "api_key".to_string()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut victim = account_secret::Entity::find_by_id((other_id, "app_secret".to_string()))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    victim.ciphertext = Set(stolen.ciphertext);
    victim.update(&app.db).await.unwrap();
    assert!(
        wxportal::accounts::service::reveal_secret(&state, other_id, "app_secret")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn secrets_are_replace_only() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let created = json_of(
        c.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    // There is no way to read them back: GET shows masks only.
    let text = c
        .get(&format!("/api/accounts/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!text.contains(OA_SECRET));
    let list = c.get("/api/accounts").await.text().await.unwrap();
    assert!(!list.contains(OA_SECRET));
    // Replacing works and the old value is gone.
    let new_secret = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
    json_of(
        c.patch(
            &format!("/api/accounts/{id}"),
            &json!({"app_secret": new_secret}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let state = state_for(&app).await;
    assert_eq!(
        wxportal::accounts::service::reveal_secret(&state, id, "app_secret")
            .await
            .unwrap()
            .as_deref(),
        Some(new_secret)
    );
}

async fn state_for(app: &crate::helpers::TestApp) -> wxportal::state::AppState {
    wxportal::state::AppState {
        db: app.db.clone(),
        settings: std::sync::Arc::new(app.settings.clone()),
        vault: std::sync::Arc::new(app.vault.clone()),
        passwords: app.passwords.clone(),
        wechat: wxportal::wechat_clients::WechatRuntime::new(
            app.db.clone(),
            std::sync::Arc::new(app.vault.clone()),
            None,
        ),
        callbacks: Default::default(),
        writer: Default::default(),
        product_pages: Default::default(),
        subscribed_counts: Default::default(),
    }
}
