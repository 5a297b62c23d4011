//! Calls for the template messages (模板消息) of one Official Account.

use api::templates::{
    AddTemplateInput, Industry, IndustryInput, Template, TemplateJob, TemplateRecipient,
    TemplateSendInput,
};

use crate::api_client::{ClientError, delete, enc, get, send};

fn base(account: i64) -> String {
    format!("/api/accounts/{account}/templates")
}

pub async fn industry(account: i64) -> Result<Industry, ClientError> {
    get(&format!("{}/industry", base(account))).await
}

pub async fn set_industry(account: i64, req: &IndustryInput) -> Result<Industry, ClientError> {
    send("PUT", &format!("{}/industry", base(account)), req).await
}

pub async fn list(account: i64) -> Result<Vec<Template>, ClientError> {
    get(&base(account)).await
}

pub async fn add(account: i64, req: &AddTemplateInput) -> Result<Vec<Template>, ClientError> {
    send("POST", &base(account), req).await
}

pub async fn sync(account: i64) -> Result<Vec<Template>, ClientError> {
    send(
        "POST",
        &format!("{}/sync", base(account)),
        &serde_json::json!({}),
    )
    .await
}

pub async fn remove(account: i64, template_id: &str) -> Result<(), ClientError> {
    delete(&format!("{}/{}", base(account), enc(template_id))).await
}

pub async fn start_job(account: i64, req: &TemplateSendInput) -> Result<TemplateJob, ClientError> {
    send("POST", &format!("{}/jobs", base(account)), req).await
}

pub async fn jobs(account: i64) -> Result<Vec<TemplateJob>, ClientError> {
    get(&format!("{}/jobs", base(account))).await
}

pub async fn job(account: i64, job: i64) -> Result<TemplateJob, ClientError> {
    get(&format!("{}/jobs/{job}", base(account))).await
}

/// The job's recipients; `state` (a [`api::templates::DeliveryState`] name) or empty for all.
pub async fn recipients(
    account: i64,
    job: i64,
    state: &str,
) -> Result<Vec<TemplateRecipient>, ClientError> {
    let q = if state.is_empty() {
        String::new()
    } else {
        format!("?state={}", enc(state))
    };
    get(&format!("{}/jobs/{job}/recipients{q}", base(account))).await
}

/// The template messages sent to one follower, newest first.
pub async fn follower_log(
    account: i64,
    openid: &str,
) -> Result<Vec<TemplateRecipient>, ClientError> {
    get(&format!(
        "/api/accounts/{account}/templates/followers/{}",
        crate::api_client::enc(openid)
    ))
    .await
}
