//! Operating an authorised corp through the WeCom pages (代管授权企业).
//!
//! Staff click "管理" on a corp of the suite's 授权企业 list: [`ensure`] creates (once, the
//! unique `(kind, lookup_key)` of `accounts` deciding between instances) or opens a `work_app`
//! account bound to that corp ([`SuiteCorpLink`] in its settings, no secret of its own). Its
//! client ([`client`], called by `wechat_clients::for_account`) is the corp's
//! `WorkClient::for_suite_corp` acting as the suite's app: the corp token comes from
//! `service/get_corp_token` with the sealed permanent code, through the shared token store (one
//! refresh across instances). So the contacts mirror and sync, app messages and the overview
//! work unchanged, within the privileges the corp granted; WeCom's refusals (60011 outside the
//! visible range, …) come back as for any app. Third-party apps cannot call `menu/*`
//! ([`refuse_menus`]). After `cancel_auth` the corp row is `revoked`: every call is refused
//! (`suite_corp_revoked`), the account and its data stay, and a new install revives it (the
//! same corp row, so the same account).
//!
//! Data callbacks of the corp (`super::data_callbacks`) are stored under this account too.

use api::{
    accounts::AccountKind,
    wecom_managed::{ManagedCorp, SuiteCorpLink},
    wecom_suite::SuiteAgent,
};
use axum::{Json, extract::State};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use time::OffsetDateTime;
use wechat::client::work::WorkClient;

use super::corps;
use crate::{
    accounts::{
        extract::{SuiteAccount, WorkApp},
        service::Stored,
    },
    audit::service::{self as audit, Actor},
    auth::CurrentUser,
    entities::{account, db_enum::DbEnum, wecom_suite_corp as corp},
    error::{AppError, AppResult},
    http::{extract::Path, routes::Route},
    state::AppState,
};

pub fn routes() -> Vec<Route> {
    vec![
        Route::post("/api/accounts/{id}/suite/corps/{corp_id}/manage", manage)
            .operator()
            .summary("Open the authorised corp in the WeCom pages: its WeCom-app account, created on first use (credentials: the suite's and the corp's permanent code)")
            .response::<ManagedCorp>(),
        Route::get("/api/accounts/{id}/wecom/suite-corp", show)
            .viewer()
            .summary("The suite corp a WeCom-app account operates, with its state (404 for a self-built app)")
            .response::<ManagedCorp>(),
    ]
}

/// The natural key of the account managing corp row `corp_row_id` (unique per kind).
fn lookup_key(corp_row_id: i64) -> String {
    format!("suite-corp:{corp_row_id}")
}

/// The suite's app in the corp (the first agent `get_auth_info` listed).
fn agent_of(row: &corp::Model) -> Option<i64> {
    serde_json::from_str::<Vec<SuiteAgent>>(&row.agents)
        .ok()
        .and_then(|a| a.first().map(|a| a.agentid))
}

/// The binding in an account's settings, if it manages a suite corp.
pub fn link_of(model: &account::Model) -> Option<SuiteCorpLink> {
    if *model.kind != AccountKind::WorkApp {
        return None;
    }
    serde_json::from_str::<Stored>(&model.settings)
        .ok()
        .and_then(|s| s.suite_corp)
}

async fn find_account(state: &AppState, corp_row_id: i64) -> AppResult<Option<account::Model>> {
    Ok(account::Entity::find()
        .filter(account::Column::Kind.eq(DbEnum(AccountKind::WorkApp)))
        .filter(account::Column::LookupKey.eq(lookup_key(corp_row_id)))
        .one(&state.db)
        .await?)
}

/// The account managing `row` of suite `suite`, created on first use.
pub async fn ensure(
    state: &AppState,
    suite: &account::Model,
    row: &corp::Model,
    actor: &Actor,
) -> AppResult<account::Model> {
    if let Some(m) = find_account(state, row.id).await? {
        return follow_agent(state, m, row).await;
    }
    let now = OffsetDateTime::now_utc();
    let stored = Stored {
        corp_id: Some(row.corpid.clone()),
        agent_id: agent_of(row),
        suite_corp: Some(SuiteCorpLink {
            suite_account_id: suite.id,
            suite_corp_id: row.id,
        }),
        ..Default::default()
    };
    let inserted = account::Entity::insert(account::ActiveModel {
        kind: Set(AccountKind::WorkApp.into()),
        name: Set(format!("{} · {}", row.corp_name, suite.name)),
        environment: Set(suite.environment),
        lookup_key: Set(lookup_key(row.id)),
        settings: Set(serde_json::to_string(&stored).map_err(AppError::internal)?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(&state.db)
    .await;
    match inserted {
        Ok(_) => crate::callback::config::bump(&state.db).await?,
        // Another instance (or click) created it first: open that one.
        Err(e) if e.sql_err().is_some() => {}
        Err(e) => return Err(e.into()),
    }
    let m = find_account(state, row.id)
        .await?
        .ok_or_else(|| AppError::internal("the managed corp's account vanished"))?;
    audit::record(
        &state.db,
        actor,
        "suite_corp.manage",
        "account",
        Some(m.id),
        format!(
            "{} ({}) of suite {} is operated as account {}",
            row.corp_name, row.corpid, suite.name, m.id
        ),
        serde_json::json!({"suite_account_id": suite.id, "suite_corp_id": row.id, "corpid": row.corpid}),
    )
    .await?;
    Ok(m)
}

/// A new install may give the suite's app another agentid: the settings follow it.
async fn follow_agent(
    state: &AppState,
    m: account::Model,
    row: &corp::Model,
) -> AppResult<account::Model> {
    let mut stored: Stored = serde_json::from_str(&m.settings).map_err(AppError::internal)?;
    let agent = agent_of(row);
    if agent.is_none() || stored.agent_id == agent {
        return Ok(m);
    }
    stored.agent_id = agent;
    let mut am: account::ActiveModel = m.into();
    am.settings = Set(serde_json::to_string(&stored).map_err(AppError::internal)?);
    am.updated_at = Set(OffsetDateTime::now_utc());
    let m = am.update(&state.db).await?;
    crate::callback::config::bump(&state.db).await?;
    Ok(m)
}

async fn corp_row(state: &AppState, link: SuiteCorpLink) -> AppResult<corp::Model> {
    corp::Entity::find_by_id(link.suite_corp_id)
        .filter(corp::Column::AccountId.eq(link.suite_account_id))
        .one(&state.db)
        .await?
        .ok_or_else(|| {
            AppError::refused(
                "suite_corp_revoked",
                "the suite corp this account operated is gone",
            )
        })
}

/// The client of a managed corp: the corp token through the suite (refused once revoked).
pub async fn client(state: &AppState, link: SuiteCorpLink) -> AppResult<WorkClient> {
    let row = corp_row(state, link).await?;
    let c = corps::corp_client(state, &row).await?;
    Ok(match agent_of(&row) {
        Some(agent) => c.with_suite_agent(agent),
        None => c,
    })
}

/// The agentids the corp granted the suite (`get_auth_info`, as stored).
pub async fn granted_agents(state: &AppState, link: SuiteCorpLink) -> AppResult<Vec<i64>> {
    let row = corp_row(state, link).await?;
    Ok(serde_json::from_str::<Vec<SuiteAgent>>(&row.agents)
        .unwrap_or_default()
        .iter()
        .map(|a| a.agentid)
        .collect())
}

/// Refuses (`suite_corp_revoked`) when account `account_id` operates a corp that uninstalled
/// the suite; a self-built app, or an active corp, passes.
pub async fn check_usable(state: &AppState, account_id: i64) -> AppResult<()> {
    let Some(model) = crate::accounts::queries::find(&state.db, account_id).await? else {
        return Ok(());
    };
    let Some(link) = link_of(&model) else {
        return Ok(());
    };
    let row = corp_row(state, link).await?;
    if row.state != api::wecom_suite::SuiteCorpState::Active.as_str() {
        return Err(AppError::refused(
            "suite_corp_revoked",
            format!("{} uninstalled the suite", row.corpid),
        ));
    }
    Ok(())
}

/// Third-party apps cannot call `menu/*` (WeCom's rule for suites): the menu pages say so
/// instead of sending calls WeCom refuses.
pub fn refuse_menus(model: &account::Model) -> AppResult<()> {
    match link_of(model) {
        Some(_) => Err(AppError::refused(
            "suite_app_no_menu",
            "a third-party (suite) app cannot set an app menu through the API (menu/*); the corp's admin sets it in WeCom's admin console",
        )),
        None => Ok(()),
    }
}

/// A managed corp as its pages see it.
async fn view(state: &AppState, account_id: i64, link: SuiteCorpLink) -> AppResult<ManagedCorp> {
    let row = corp::Entity::find_by_id(link.suite_corp_id)
        .filter(corp::Column::AccountId.eq(link.suite_account_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let suite = crate::accounts::queries::find(&state.db, link.suite_account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ManagedCorp {
        account_id,
        suite_account_id: suite.id,
        suite_name: suite.name,
        corp: corps::to_api(&row),
    })
}

pub async fn manage(
    State(state): State<AppState>,
    user: CurrentUser,
    SuiteAccount(suite): SuiteAccount,
    Path((_, corp_id)): Path<(i64, i64)>,
) -> AppResult<Json<ManagedCorp>> {
    let row = corp::Entity::find_by_id(corp_id)
        .filter(corp::Column::AccountId.eq(suite.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let m = ensure(&state, &suite, &row, &user.actor()).await?;
    let link = link_of(&m).ok_or_else(|| AppError::internal("managed account without link"))?;
    Ok(Json(view(&state, m.id, link).await?))
}

pub async fn show(
    State(state): State<AppState>,
    WorkApp(app): WorkApp,
) -> AppResult<Json<ManagedCorp>> {
    let link = link_of(&app).ok_or(AppError::NotFound)?;
    Ok(Json(view(&state, app.id, link).await?))
}
