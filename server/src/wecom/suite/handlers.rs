use api::wecom_suite::{InstallLink, InstallLinkRequest, SuiteCorp, SuiteCorpList, SuiteOverview};
use axum::{Json, extract::State};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{corps, install};
use crate::{
    accounts::extract::SuiteAccount,
    auth::CurrentUser,
    entities::{wechat_token, wecom_suite_corp as corp},
    error::{AppError, AppResult},
    http::extract::{self, Path},
    state::AppState,
    wechat_clients,
};

/// A suite_ticket is valid 30 minutes (WeCom pushes one every 10).
const TICKET_VALID_SECS: i64 = 30 * 60;

pub async fn overview(
    State(state): State<AppState>,
    SuiteAccount(account): SuiteAccount,
) -> AppResult<Json<SuiteOverview>> {
    let client = wechat_clients::suite(&state, account.id).await?;
    let suite_id = client.suite_id().as_str().to_string();
    let key = format!(
        "{}/{}",
        account.environment.as_str(),
        wechat::token::TokenKey::suite_ticket(&suite_id).as_str()
    );
    let ticket = wechat_token::Entity::find_by_id(key).one(&state.db).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let received = ticket.as_ref().map(|t| t.fetched_at);
    let count = |st: &'static str| {
        corp::Entity::find()
            .filter(corp::Column::AccountId.eq(account.id))
            .filter(corp::Column::State.eq(st))
            .count(&state.db)
    };
    Ok(Json(SuiteOverview {
        suite_id,
        ticket_received_at: received
            .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
            .map(crate::util::rfc3339),
        ticket_stale: received.is_none_or(|s| now - s > TICKET_VALID_SECS),
        instruction_url: format!(
            "{}/wx/{}",
            state.settings.public_url.trim_end_matches('/'),
            account.id
        ),
        data_url: super::data_callbacks::url(&state.settings.public_url, account.id),
        corps_active: count("active").await?,
        corps_revoked: count("revoked").await?,
    }))
}

pub async fn install_link(
    State(state): State<AppState>,
    user: CurrentUser,
    SuiteAccount(account): SuiteAccount,
    body: extract::Json<InstallLinkRequest>,
) -> AppResult<Json<InstallLink>> {
    Ok(Json(
        install::link(&state, &account, &body.value, &user.actor()).await?,
    ))
}

pub async fn list(
    State(state): State<AppState>,
    SuiteAccount(account): SuiteAccount,
) -> AppResult<Json<SuiteCorpList>> {
    Ok(Json(SuiteCorpList {
        items: corps::list(&state, account.id).await?,
    }))
}

async fn corp_row(state: &AppState, account_id: i64, corp_id: i64) -> AppResult<corp::Model> {
    corp::Entity::find_by_id(corp_id)
        .filter(corp::Column::AccountId.eq(account_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn refresh(
    State(state): State<AppState>,
    user: CurrentUser,
    SuiteAccount(account): SuiteAccount,
    Path((_, corp_id)): Path<(i64, i64)>,
) -> AppResult<Json<SuiteCorp>> {
    let row = corp_row(&state, account.id, corp_id).await?;
    let fresh = corps::refresh(&state, &account, &row, &user.actor()).await?;
    Ok(Json(corps::to_api(&fresh)))
}

/// 刷新许可: the corp's interface licences read again (a failure is the answer, and is also
/// stored on the corp).
pub async fn refresh_licences(
    State(state): State<AppState>,
    user: CurrentUser,
    SuiteAccount(account): SuiteAccount,
    Path((_, corp_id)): Path<(i64, i64)>,
) -> AppResult<Json<SuiteCorp>> {
    let row = corp_row(&state, account.id, corp_id).await?;
    let fresh = super::licences::refresh(&state, &account, &row, &user.actor()).await?;
    Ok(Json(corps::to_api(&fresh)))
}
