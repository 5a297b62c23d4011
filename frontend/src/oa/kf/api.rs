//! Calls for customer-service accounts of one Official Account.

use api::kf::{CreateKfAccount, InviteKfWorker, KfAccount, UpdateKfAccount};
use web_sys::FormData;

use crate::api_client::{ClientError, delete, enc, get, send, upload};

pub async fn list(account: i64) -> Result<Vec<KfAccount>, ClientError> {
    get(&format!("/api/accounts/{account}/kf")).await
}

pub async fn create(account: i64, req: &CreateKfAccount) -> Result<KfAccount, ClientError> {
    send("POST", &format!("/api/accounts/{account}/kf"), req).await
}

pub async fn update(
    account: i64,
    kf: &str,
    req: &UpdateKfAccount,
) -> Result<KfAccount, ClientError> {
    send(
        "PATCH",
        &format!("/api/accounts/{account}/kf/{}", enc(kf)),
        req,
    )
    .await
}

pub async fn invite(
    account: i64,
    kf: &str,
    req: &InviteKfWorker,
) -> Result<KfAccount, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/kf/{}/invite", enc(kf)),
        req,
    )
    .await
}

pub async fn avatar(account: i64, kf: &str, form: &FormData) -> Result<KfAccount, ClientError> {
    upload(
        &format!("/api/accounts/{account}/kf/{}/avatar", enc(kf)),
        form,
    )
    .await
}

pub async fn remove(account: i64, kf: &str) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{account}/kf/{}", enc(kf))).await
}
