//! Calls for a WeCom suite's installs and authorised corps.

use api::wecom_suite::{InstallLink, InstallLinkRequest, SuiteCorp, SuiteCorpList, SuiteOverview};

use crate::api_client::{ClientError, get, send};

pub async fn overview(account: i64) -> Result<SuiteOverview, ClientError> {
    get(&format!("/api/accounts/{account}/suite/overview")).await
}

pub async fn corps(account: i64) -> Result<SuiteCorpList, ClientError> {
    get(&format!("/api/accounts/{account}/suite/corps")).await
}

pub async fn install_link(account: i64, test: bool) -> Result<InstallLink, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/suite/install-link"),
        &InstallLinkRequest { test },
    )
    .await
}

pub async fn refresh(account: i64, corp: i64) -> Result<SuiteCorp, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/suite/corps/{corp}/refresh"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn refresh_licences(account: i64, corp: i64) -> Result<SuiteCorp, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/suite/corps/{corp}/licences"),
        &serde_json::json!({}),
    )
    .await
}

pub async fn provider(
    account: i64,
) -> Result<::api::wecom_suite_provider::ProviderView, ClientError> {
    get(&format!("/api/accounts/{account}/suite/provider")).await
}

pub async fn provider_check(
    account: i64,
) -> Result<::api::wecom_suite_provider::ProviderCheck, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/suite/provider/check"),
        &serde_json::json!({}),
    )
    .await
}
