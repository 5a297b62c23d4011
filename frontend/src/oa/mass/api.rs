//! Calls for the mass sends (群发) of one Official Account.

use api::Page;
use api::mass::{
    MassDeleteInput, MassInput, MassJob, MassPreviewInput, MassQuota, MassSpeed, MassSpeedInput,
};

use crate::api_client::{ClientError, get, send, send_no_content};

pub async fn list(account: i64, page: u64, per_page: u64) -> Result<Page<MassJob>, ClientError> {
    get(&format!(
        "/api/accounts/{account}/mass?page={page}&per_page={per_page}"
    ))
    .await
}

pub async fn create(account: i64, req: &MassInput) -> Result<MassJob, ClientError> {
    send("POST", &format!("/api/accounts/{account}/mass"), req).await
}

pub async fn quota(account: i64) -> Result<MassQuota, ClientError> {
    get(&format!("/api/accounts/{account}/mass/quota")).await
}

pub async fn preview(account: i64, req: &MassPreviewInput) -> Result<(), ClientError> {
    send_no_content(
        "POST",
        &format!("/api/accounts/{account}/mass/preview"),
        req,
    )
    .await
}

pub async fn cancel(account: i64, job: i64) -> Result<MassJob, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/mass/{job}/cancel"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn delete_article(
    account: i64,
    job: i64,
    req: &MassDeleteInput,
) -> Result<MassJob, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/mass/{job}/delete-article"),
        req,
    )
    .await
}

pub async fn speed(account: i64) -> Result<MassSpeed, ClientError> {
    get(&format!("/api/accounts/{account}/mass/speed")).await
}

pub async fn set_speed(account: i64, req: &MassSpeedInput) -> Result<MassSpeed, ClientError> {
    send("PUT", &format!("/api/accounts/{account}/mass/speed"), req).await
}
