//! Calls for the custom menu: the draft, validation, publish, versions, conditional menus.

use api::menus::{
    ConditionalMenu, ConditionalMenuInput, MenuButton, MenuCheck, MenuDraftInput, MenuOverview,
    MenuVersion, PublishMenuInput, RollbackInput, TryMatchInput, TryMatchResult,
};

use crate::api_client::{ClientError, delete, get, send};

/// The published menu, the saved draft and what WeChat holds.
pub async fn overview(account: i64) -> Result<MenuOverview, ClientError> {
    get(&format!("/api/accounts/{account}/menu")).await
}

/// Checks buttons with WeChat's rules without saving them.
pub async fn validate(account: i64, buttons: Vec<MenuButton>) -> Result<MenuCheck, ClientError> {
    let body = MenuDraftInput { buttons };
    send(
        "POST",
        &format!("/api/accounts/{account}/menu/validate"),
        &body,
    )
    .await
}

pub async fn save_draft(account: i64, buttons: Vec<MenuButton>) -> Result<MenuCheck, ClientError> {
    let body = MenuDraftInput { buttons };
    send("PUT", &format!("/api/accounts/{account}/menu/draft"), &body).await
}

pub async fn publish(account: i64, req: &PublishMenuInput) -> Result<MenuVersion, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/menu/publish"),
        req,
    )
    .await
}

/// Reads the menu WeChat has now as a new version.
pub async fn import(account: i64) -> Result<MenuVersion, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/menu/import"),
        &serde_json::json!({}),
    )
    .await
}

/// Deletes the menu on WeChat (and every conditional menu with it).
pub async fn remove(account: i64) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{account}/menu")).await
}

pub async fn versions(account: i64) -> Result<Vec<MenuVersion>, ClientError> {
    get(&format!("/api/accounts/{account}/menu/versions")).await
}

/// Publishes an earlier version again, as a new version.
pub async fn rollback(account: i64, version: i64) -> Result<MenuVersion, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/menu/versions/{version}/rollback"),
        &RollbackInput::default(),
    )
    .await
}

pub async fn conditional(account: i64) -> Result<Vec<ConditionalMenu>, ClientError> {
    get(&format!("/api/accounts/{account}/menu/conditional")).await
}

pub async fn create_conditional(
    account: i64,
    req: &ConditionalMenuInput,
) -> Result<ConditionalMenu, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/menu/conditional"),
        req,
    )
    .await
}

pub async fn delete_conditional(account: i64, menu: i64) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{account}/menu/conditional/{menu}")).await
}

/// The menu a follower (OpenID or WeChat ID) sees.
pub async fn try_match(account: i64, user_id: String) -> Result<TryMatchResult, ClientError> {
    let body = TryMatchInput { user_id };
    send(
        "POST",
        &format!("/api/accounts/{account}/menu/trymatch"),
        &body,
    )
    .await
}
