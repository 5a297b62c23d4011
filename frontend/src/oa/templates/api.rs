//! Calls for template messages.

use api::templates::{
    AddTemplateInput, Industry, IndustryInput, Template, TemplateJob, TemplateRecipient,
    TemplateSendInput,
};

use crate::api_client::{ClientError, delete, enc, get, send};

pub async fn industry(account: i64) -> Result<Industry, ClientError> {
    get(&format!("/api/accounts/{account}/templates/industry")).await
}

pub async fn set_industry(account: i64, input: &IndustryInput) -> Result<Industry, ClientError> {
    send("PUT", &format!("/api/accounts/{account}/templates/industry"), input).await
}

pub async fn list(account: i64) -> Result<Vec<Template>, ClientError> {
    get(&format!("/api/accounts/{account}/templates")).await
}

pub async fn sync(account: i64) -> Result<Vec<Template>, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/templates/sync"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn add(account: i64, input: &AddTemplateInput) -> Result<Vec<Template>, ClientError> {
    send("POST", &format!("/api/accounts/{account}/templates"), input).await
}

pub async fn remove(account: i64, template_id: &str) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{account}/templates/{}", enc(template_id))).await
}

pub async fn start(account: i64, input: &TemplateSendInput) -> Result<TemplateJob, ClientError> {
    send("POST", &format!("/api/accounts/{account}/templates/jobs"), input).await
}

pub async fn jobs(account: i64) -> Result<Vec<TemplateJob>, ClientError> {
    get(&format!("/api/accounts/{account}/templates/jobs")).await
}

pub async fn recipients(account: i64, job: i64) -> Result<Vec<TemplateRecipient>, ClientError> {
    get(&format!("/api/accounts/{account}/templates/jobs/{job}/recipients")).await
}
