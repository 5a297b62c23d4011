use api::templates::{
    AddTemplateInput, Industry, IndustryInput, Template, TemplateJob, TemplateRecipient,
    TemplateSendInput,
};
use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;

use super::{jobs, service};
use crate::auth::CurrentUser;
use crate::{
    accounts::extract::OfficialAccount,
    error::AppResult,
    http::extract::{self, Path, Query},
    state::AppState,
};

pub async fn industry(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<Industry>> {
    Ok(Json(service::industry(&state, account.id).await?))
}

pub async fn set_industry(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<IndustryInput>,
) -> AppResult<Json<Industry>> {
    Ok(Json(
        service::set_industry(&state, &user.actor(), account.id, body.value).await?,
    ))
}

pub async fn list(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<Vec<Template>>> {
    Ok(Json(service::list(&state.db, account.id).await?))
}

pub async fn sync(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<Vec<Template>>> {
    Ok(Json(service::sync(&state, account.id).await?))
}

pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<AddTemplateInput>,
) -> AppResult<(StatusCode, Json<Vec<Template>>)> {
    let list = service::add(&state, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::CREATED, Json(list)))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    Path((_, template_id)): Path<(i64, String)>,
) -> AppResult<StatusCode> {
    service::delete(&state, &user.actor(), account.id, &template_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn start_job(
    State(state): State<AppState>,
    user: CurrentUser,
    OfficialAccount(account): OfficialAccount,
    body: extract::Json<TemplateSendInput>,
) -> AppResult<(StatusCode, Json<TemplateJob>)> {
    let job = jobs::start(&state, &user.actor(), account.id, body.value).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

pub async fn jobs(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
) -> AppResult<Json<Vec<TemplateJob>>> {
    Ok(Json(jobs::list(&state.db, account.id).await?))
}

pub async fn job(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Path((_, job_id)): Path<(i64, i64)>,
) -> AppResult<Json<TemplateJob>> {
    Ok(Json(jobs::get(&state.db, account.id, job_id).await?))
}

#[derive(Debug, Default, Deserialize)]
pub struct RecipientQuery {
    #[serde(default)]
    pub state: Option<String>,
}

pub async fn recipients(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Path((_, job_id)): Path<(i64, i64)>,
    Query(q): Query<RecipientQuery>,
) -> AppResult<Json<Vec<TemplateRecipient>>> {
    Ok(Json(
        jobs::recipients(&state.db, account.id, job_id, q.state.as_deref()).await?,
    ))
}

pub async fn follower_log(
    State(state): State<AppState>,
    OfficialAccount(account): OfficialAccount,
    Path((_, openid)): Path<(i64, String)>,
) -> AppResult<Json<Vec<TemplateRecipient>>> {
    Ok(Json(
        jobs::follower_log(&state.db, account.id, &openid).await?,
    ))
}
