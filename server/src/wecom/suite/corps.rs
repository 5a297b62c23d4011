//! The corps that authorised a suite: completing an install from its one-time auth code,
//! refreshing what WeCom says of a corp, marking a corp revoked, and the corp's client.
//!
//! An auth code arrives twice, in the `create_auth` instruction and on the admin's redirect, and
//! WeCom exchanges it once (40078 afterwards). Each path inserts the code's SHA-256 into
//! `wecom_suite_auth_codes`; the insert that lands owns the exchange, the other reads the
//! outcome (the redirect page waits a few seconds for it). A failed exchange, or one whose owner
//! died, can be taken over.

use std::time::Duration;

use api::wecom_suite::{
    InstallOrigin, SuiteAgent, SuiteCorp, SuiteCorpLicence, SuiteCorpState, SuitePrivilege,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use wechat::client::suite::{AuthInfo, PermanentCode};
use wechat::client::work::WorkClient;
use wechat::token::TokenKey;

use crate::{
    audit::service::{self as audit, Actor},
    entities::{account, wecom_suite_auth_code as code_row, wecom_suite_corp as corp},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    vault::Binding,
    wechat_clients,
};

/// How long an exchange may hold its auth code before another path may take it over.
const EXCHANGE_LEASE: Duration = Duration::from_secs(60);

const EXCHANGING: &str = "exchanging";
const DONE: &str = "done";
const FAILED: &str = "failed";

fn binding(row: i64) -> Binding<'static> {
    Binding {
        table: "wecom_suite_corps",
        row,
        field: "permanent_code",
    }
}

pub(super) fn code_hash(auth_code: &str) -> String {
    hex::encode(Sha256::digest(auth_code.as_bytes()))
}

/// What became of an auth code.
#[derive(Debug)]
pub enum Completed {
    /// This call exchanged it: the corp as stored.
    Installed(corp::Model),
    /// Another path has it (or had it): what it left, if it finished.
    TakenElsewhere(Option<corp::Model>),
}

/// Exchanges `auth_code` of suite `account` for a permanent code (`v2/get_permanent_code`),
/// reads the corp's apps and privileges (`get_auth_info`) and stores the corp, active, with
/// how it was installed (`origin`; `None` keeps the stored one, as for
/// `reset_permanent_code`), then reads its licences.
pub async fn complete(
    state: &AppState,
    account: &account::Model,
    auth_code: &str,
    actor: &Actor,
    via: &str,
    origin: Option<InstallOrigin>,
) -> AppResult<Completed> {
    let hash = code_hash(auth_code);
    if !claim(state, account.id, &hash).await? {
        let row = code_row::Entity::find()
            .filter(code_row::Column::AccountId.eq(account.id))
            .filter(code_row::Column::CodeHash.eq(&hash))
            .one(&state.db)
            .await?;
        let done = match row.and_then(|r| r.corp_row_id) {
            Some(id) => corp::Entity::find_by_id(id).one(&state.db).await?,
            None => None,
        };
        return Ok(Completed::TakenElsewhere(done));
    }
    let outcome = exchange(state, account, auth_code, actor, via, origin).await;
    let (st, corp_id, error) = match &outcome {
        Ok(c) => (DONE, Some(c.id), None),
        Err(e) => (FAILED, None, Some(e.to_string())),
    };
    code_row::Entity::update_many()
        .col_expr(code_row::Column::State, st.into())
        .col_expr(code_row::Column::CorpRowId, corp_id.into())
        .col_expr(code_row::Column::Error, error.into())
        .filter(code_row::Column::AccountId.eq(account.id))
        .filter(code_row::Column::CodeHash.eq(&hash))
        .exec(&state.db)
        .await?;
    outcome.map(Completed::Installed)
}

/// Takes the auth code for this call: a new code, a failed one, or one whose owner's lease ran out.
async fn claim(state: &AppState, account_id: i64, hash: &str) -> AppResult<bool> {
    let now = OffsetDateTime::now_utc();
    // A plain insert: the unique key refuses the second path on every database (MySQL's
    // ON DUPLICATE KEY form of "do nothing" reports a row either way).
    let inserted = code_row::Entity::insert(code_row::ActiveModel {
        account_id: Set(account_id),
        code_hash: Set(hash.to_string()),
        state: Set(EXCHANGING.into()),
        corp_row_id: Set(None),
        error: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(&state.db)
    .await;
    match inserted {
        Ok(_) => return Ok(true),
        Err(e) if e.sql_err().is_some() => {}
        Err(e) => return Err(e.into()),
    }
    let stale = now - EXCHANGE_LEASE;
    let taken = code_row::Entity::update_many()
        .col_expr(code_row::Column::State, EXCHANGING.into())
        .col_expr(code_row::Column::CreatedAt, now.into())
        .filter(code_row::Column::AccountId.eq(account_id))
        .filter(code_row::Column::CodeHash.eq(hash))
        .filter(
            Condition::any()
                .add(code_row::Column::State.eq(FAILED))
                .add(
                    Condition::all()
                        .add(code_row::Column::State.eq(EXCHANGING))
                        .add(code_row::Column::CreatedAt.lt(stale)),
                ),
        )
        .exec(&state.db)
        .await?;
    Ok(taken.rows_affected == 1)
}

async fn exchange(
    state: &AppState,
    account: &account::Model,
    auth_code: &str,
    actor: &Actor,
    via: &str,
    origin: Option<InstallOrigin>,
) -> AppResult<corp::Model> {
    let client = wechat_clients::suite(state, account.id).await?;
    let p: PermanentCode = client
        .permanent_code_v2(auth_code)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let corpid = p.auth_corpid().to_string();
    if corpid.is_empty() || p.permanent_code.is_empty() {
        return Err(AppError::Wechat(
            "WeCom answered get_permanent_code without a corp or a permanent code".into(),
        ));
    }
    let info = client
        .auth_info(&corpid, &p.permanent_code)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let installed_by = p.auth_user_info.as_ref().and_then(|u| {
        u.name
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| (!u.userid.is_empty()).then(|| u.userid.clone()))
    });
    let stored = store(
        state,
        account,
        client.suite_id().as_str(),
        &p.auth_corp_info,
        &info.auth_info,
        Some(Install {
            installed_by,
            permanent_code: &p.permanent_code,
            origin,
        }),
    )
    .await?;
    audit::record(
        &state.db,
        actor,
        "suite_corp.install",
        "suite_corp",
        Some(stored.id),
        format!(
            "{} ({}) authorised the suite ({via})",
            stored.corp_name, stored.corpid
        ),
        serde_json::json!({"account_id": account.id, "corpid": stored.corpid, "via": via, "origin": origin.map(InstallOrigin::as_str)}),
    )
    .await?;
    super::licences::refresh_quietly(state, account, stored, actor).await
}

/// What an install brings besides the corp's apps: who, the permanent code, and how.
struct Install<'a> {
    installed_by: Option<String>,
    permanent_code: &'a str,
    /// `None` keeps the stored origin (`reset_permanent_code`).
    origin: Option<InstallOrigin>,
}

/// Inserts or updates the corp, active; an install's permanent code replaces the sealed one.
/// Cached corp tokens are dropped in the same transaction (they belong to the old code).
async fn store(
    state: &AppState,
    account: &account::Model,
    suite_id: &str,
    corp_info: &wechat::client::suite::AuthCorpInfo,
    auth: &AuthInfo,
    install: Option<Install<'_>>,
) -> AppResult<corp::Model> {
    let installed_by = install.as_ref().and_then(|i| i.installed_by.clone());
    let permanent_code = install.as_ref().map(|i| i.permanent_code);
    let origin = install
        .as_ref()
        .and_then(|i| i.origin)
        .map(|o| o.as_str().to_string());
    let now = OffsetDateTime::now_utc();
    let agents = serde_json::to_string(&agents_of(auth)).map_err(AppError::internal)?;
    let logo = corp_info
        .extra
        .get("corp_square_logo_url")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let txn = state.db.begin().await?;
    let existing = corp::Entity::find()
        .filter(corp::Column::AccountId.eq(account.id))
        .filter(corp::Column::Corpid.eq(&corp_info.corpid))
        .one(&txn)
        .await?;
    let mut row = match existing {
        Some(m) => {
            let mut am: corp::ActiveModel = m.into();
            am.corp_name = Set(corp_info.corp_name.clone());
            am.corp_full_name = Set(corp_info.corp_full_name.clone());
            am.corp_logo_url = Set(logo);
            am.agents = Set(agents);
            if installed_by.is_some() {
                am.installed_by = Set(installed_by);
            }
            if origin.is_some() {
                am.install_origin = Set(origin);
            }
            am.state = Set(SuiteCorpState::Active.as_str().into());
            am.revoked_at = Set(None);
            am.updated_at = Set(now);
            am.update(&txn).await?
        }
        None => {
            corp::ActiveModel {
                account_id: Set(account.id),
                corpid: Set(corp_info.corpid.clone()),
                corp_name: Set(corp_info.corp_name.clone()),
                corp_full_name: Set(corp_info.corp_full_name.clone()),
                corp_logo_url: Set(logo),
                agents: Set(agents),
                installed_by: Set(installed_by),
                permanent_code: Set(String::new()),
                state: Set(SuiteCorpState::Active.as_str().into()),
                authorized_at: Set(now),
                updated_at: Set(now),
                revoked_at: Set(None),
                install_origin: Set(origin),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    if let Some(code) = permanent_code {
        let sealed = state.vault.encrypt(code.as_bytes(), binding(row.id));
        let mut am: corp::ActiveModel = row.into();
        am.permanent_code = Set(sealed);
        row = am.update(&txn).await?;
        forget_token(&txn, account, suite_id, &row.corpid).await?;
    }
    txn.commit().await?;
    Ok(row)
}

fn agents_of(auth: &AuthInfo) -> Vec<SuiteAgent> {
    auth.agent
        .iter()
        .map(|a| SuiteAgent {
            agentid: a.agentid,
            name: a.name.clone(),
            logo_url: a.square_logo_url.clone().filter(|s| !s.is_empty()),
            privilege: a
                .privilege
                .clone()
                .and_then(|p| serde_json::from_value::<SuitePrivilege>(p).ok())
                .unwrap_or_default(),
        })
        .collect()
}

/// The cached token of `corpid`'s corp, dropped in `db`'s transaction.
async fn forget_token<C: sea_orm::ConnectionTrait>(
    db: &C,
    account: &account::Model,
    suite_id: &str,
    corpid: &str,
) -> AppResult<()> {
    wechat_clients::token_store::forget(
        db,
        account.environment.as_str(),
        &[TokenKey::suite_corp(suite_id, corpid)],
    )
    .await?;
    Ok(())
}

/// The corp `corpid` of suite `account_id`, if it ever authorised the suite.
pub async fn find(
    state: &AppState,
    account_id: i64,
    corpid: &str,
) -> AppResult<Option<corp::Model>> {
    Ok(corp::Entity::find()
        .filter(corp::Column::AccountId.eq(account_id))
        .filter(corp::Column::Corpid.eq(corpid))
        .one(&state.db)
        .await?)
}

/// `get_auth_info` again (after `change_auth`, or on staff request): apps and privileges,
/// then the licences.
pub async fn refresh(
    state: &AppState,
    account: &account::Model,
    row: &corp::Model,
    actor: &Actor,
) -> AppResult<corp::Model> {
    if row.state != SuiteCorpState::Active.as_str() {
        return Err(AppError::refused(
            "suite_corp_revoked",
            format!(
                "{} uninstalled the suite; it has no permanent code to use",
                row.corpid
            ),
        ));
    }
    let code = permanent_code(state, row)?;
    let client = wechat_clients::suite(state, account.id).await?;
    let info = client
        .auth_info(&row.corpid, &code)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let stored = store(
        state,
        account,
        client.suite_id().as_str(),
        &info.auth_corp_info,
        &info.auth_info,
        None,
    )
    .await?;
    super::licences::refresh_quietly(state, account, stored, actor).await
}

/// `cancel_auth`: the corp uninstalled the app. The row stays (its history means something);
/// its cached token goes, and nothing is called with the permanent code any more.
pub async fn revoke(state: &AppState, account: &account::Model, corpid: &str) -> AppResult<bool> {
    let now = OffsetDateTime::now_utc();
    let client = wechat_clients::suite(state, account.id).await?;
    let suite_id = client.suite_id().as_str();
    let txn = state.db.begin().await?;
    let r = corp::Entity::update_many()
        .col_expr(corp::Column::State, SuiteCorpState::Revoked.as_str().into())
        .col_expr(corp::Column::RevokedAt, Some(now).into())
        .col_expr(corp::Column::UpdatedAt, now.into())
        .filter(corp::Column::AccountId.eq(account.id))
        .filter(corp::Column::Corpid.eq(corpid))
        .filter(corp::Column::State.eq(SuiteCorpState::Active.as_str()))
        .exec(&txn)
        .await?;
    forget_token(&txn, account, suite_id, corpid).await?;
    txn.commit().await?;
    Ok(r.rows_affected == 1)
}

fn permanent_code(state: &AppState, row: &corp::Model) -> AppResult<String> {
    state
        .vault
        .decrypt_string(&row.permanent_code, binding(row.id))
        .map_err(AppError::internal)
}

/// A client of the authorised corp, with its token from `get_corp_token` through the token
/// store (one refresh across instances), within the privileges the corp granted.
pub async fn corp_client(state: &AppState, row: &corp::Model) -> AppResult<WorkClient> {
    if row.state != SuiteCorpState::Active.as_str() {
        return Err(AppError::refused(
            "suite_corp_revoked",
            format!("{} uninstalled the suite", row.corpid),
        ));
    }
    let suite = wechat_clients::suite(state, row.account_id).await?;
    let code = permanent_code(state, row)?;
    Ok(WorkClient::for_suite_corp(suite, row.corpid.clone(), code))
}

/// Every corp of suite `account_id`, active first, newest first.
pub async fn list(state: &AppState, account_id: i64) -> AppResult<Vec<SuiteCorp>> {
    let rows = corp::Entity::find()
        .filter(corp::Column::AccountId.eq(account_id))
        .order_by_asc(corp::Column::State)
        .order_by_desc(corp::Column::AuthorizedAt)
        .all(&state.db)
        .await?;
    Ok(rows.iter().map(to_api).collect())
}

pub fn to_api(m: &corp::Model) -> SuiteCorp {
    SuiteCorp {
        id: m.id,
        corpid: m.corpid.clone(),
        corp_name: m.corp_name.clone(),
        corp_full_name: m.corp_full_name.clone(),
        corp_logo_url: m.corp_logo_url.clone(),
        agents: serde_json::from_str(&m.agents).unwrap_or_default(),
        installed_by: m.installed_by.clone(),
        state: SuiteCorpState::parse(&m.state).unwrap_or(SuiteCorpState::Revoked),
        authorized_at: rfc3339(m.authorized_at),
        updated_at: rfc3339(m.updated_at),
        revoked_at: m.revoked_at.map(rfc3339),
        origin: m.install_origin.as_deref().and_then(InstallOrigin::parse),
        licence: licence_of(m),
        licence_error: m.license_error.clone(),
        licence_checked_at: m.license_checked_at.map(rfc3339),
    }
}

/// The licences as last read successfully (status and counts are written together).
fn licence_of(m: &corp::Model) -> Option<SuiteCorpLicence> {
    let (status, checked_at) = (m.license_status?, m.license_checked_at?);
    Some(SuiteCorpLicence {
        status,
        trial_start: m.license_trial_start.map(rfc3339),
        trial_end: m.license_trial_end.map(rfc3339),
        check_time: m.license_check_time.map(rfc3339),
        enforced: status == 1 && m.license_check_time.is_some_and(|t| t <= checked_at),
        basic: m.license_basic.unwrap_or(0),
        external: m.license_external.unwrap_or(0),
        checked_at: rfc3339(checked_at),
    })
}
