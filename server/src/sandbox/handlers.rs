use api::{
    Page, PageQuery,
    sandbox::{
        FollowersQuery, SandboxActRequest, SandboxActResult, SandboxPerson, TestConnectionResult,
    },
};
use axum::{Json, extract::State};

use super::service;
use crate::{
    accounts::extract::AnyAccount,
    error::AppResult,
    http::extract::{self, Query},
    state::AppState,
};

/// `POST /api/accounts/{id}/test-connection`
pub async fn test_connection(
    State(state): State<AppState>,
    AnyAccount(account): AnyAccount,
) -> AppResult<Json<TestConnectionResult>> {
    Ok(Json(service::test_connection(&state, &account).await?))
}

/// `POST /api/accounts/{id}/sandbox/act`
pub async fn act(
    State(state): State<AppState>,
    AnyAccount(account): AnyAccount,
    body: extract::Json<SandboxActRequest>,
) -> AppResult<Json<SandboxActResult>> {
    Ok(Json(service::act(&state, account, body.value).await?))
}

/// `GET /api/accounts/{id}/sandbox/followers?q=&page=`
pub async fn followers(
    State(state): State<AppState>,
    AnyAccount(account): AnyAccount,
    Query(query): Query<FollowersQuery>,
) -> AppResult<Json<Page<SandboxPerson>>> {
    let page = PageQuery {
        page: query.page.unwrap_or(1),
        per_page: query.per_page.unwrap_or(api::page::DEFAULT_PER_PAGE),
    };
    Ok(Json(
        service::people(&state, account, query.q.as_deref(), page).await?,
    ))
}
