use api::{Page, audit::AuditEntry, audit::AuditQuery};
use axum::{Json, extract::State};

use crate::{error::AppResult, http::extract::Query, state::AppState};

pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> AppResult<Json<Page<AuditEntry>>> {
    Ok(Json(super::service::list(&state.db, q).await?))
}
