//! Calls for a WeCom app's overview and preflight.

use api::wecom_overview::{PreflightReport, WecomOverview};

use crate::api_client::{ClientError, get, send};

pub async fn overview(account: i64) -> Result<WecomOverview, ClientError> {
    get(&format!("/api/accounts/{account}/wecom/overview")).await
}

pub async fn preflight(account: i64) -> Result<PreflightReport, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/wecom/preflight"),
        &serde_json::json!({}),
    )
    .await
}
