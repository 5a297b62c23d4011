//! A corp's interface licences (接口许可), so `unlicenseduser` in a send's answer means
//! something: WeCom checks, after the app's trial (`license_check_time`), that each member the
//! suite's app reaches has an active account bought by the provider, and names the others in
//! `unlicenseduser` instead of delivering to them (⚠️ unverified, see
//! `wechat::client::suite_license`).
//!
//! Read with the provider token (`get_app_license_info`, then `list_actived_account` page by
//! page, counted by type) on install, on every `get_auth_info` refresh and on staff request, and
//! stored on the corp's row: status, trial, check time, the counts and when; a failed read
//! keeps the last counts and stores what went wrong. Every read is audited.

use sea_orm::{ActiveModelTrait, Set};
use time::OffsetDateTime;

use super::provider::{self, Scope};
use crate::{
    audit::service::{self as audit, Actor},
    entities::{account, wecom_suite_corp as corp},
    error::{AppError, AppResult},
    state::AppState,
    wechat_clients,
};
use api::wecom_suite::SuiteCorpState;

/// At most this many pages are read (1,000 accounts each): a bound, not an expected size.
const MAX_PAGES: usize = 50;

/// What WeCom said of the corp's licences.
struct Read {
    info: wechat::client::suite_license::AppLicenseInfo,
    basic: i64,
    external: i64,
}

fn at(secs: i64) -> Option<OffsetDateTime> {
    (secs > 0)
        .then(|| OffsetDateTime::from_unix_timestamp(secs).ok())
        .flatten()
}

async fn read(state: &AppState, account: &account::Model, corpid: &str) -> AppResult<Read> {
    let (provider_corpid, secret) = provider::credentials(state, account)
        .await?
        .ok_or_else(|| {
            AppError::refused(
                "no_provider_secret",
                "reading licences needs the provider CorpID and provider secret (服务商 Secret) on the suite account",
            )
        })?;
    let client = wechat_clients::suite(state, account.id).await?;
    let err = |e: wechat::Error| provider::api_error(&e, Scope::Provider);
    let info = client
        .app_license_info(&provider_corpid, &secret, corpid)
        .await
        .map_err(err)?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let (mut basic, mut external, mut cursor) = (0, 0, String::new());
    for _ in 0..MAX_PAGES {
        let page = client
            .list_actived_account(
                &provider_corpid,
                &secret,
                corpid,
                &cursor,
                wechat::client::suite_license::LICENSE_PAGE_LIMIT,
            )
            .await
            .map_err(err)?;
        for a in page.account_list.iter().filter(|a| a.expire_time > now) {
            match a.kind {
                2 => external += 1,
                _ => basic += 1,
            }
        }
        if page.has_more == 0 || page.next_cursor.is_empty() {
            break;
        }
        cursor = page.next_cursor;
    }
    Ok(Read {
        info,
        basic,
        external,
    })
}

/// Reads the corp's licences from WeCom and stores them on `row` (or the failure, keeping the
/// last counts). `Err` only when the row could not be written; the read's own failure is
/// returned in the second value.
async fn refresh_inner(
    state: &AppState,
    account: &account::Model,
    row: &corp::Model,
    actor: &Actor,
) -> AppResult<(corp::Model, Option<AppError>)> {
    let outcome = read(state, account, &row.corpid).await;
    let now = OffsetDateTime::now_utc();
    let mut am: corp::ActiveModel = row.clone().into();
    am.license_checked_at = Set(Some(now));
    let (summary, detail, failure) = match outcome {
        Ok(r) => {
            am.license_status = Set(Some(r.info.license_status));
            am.license_trial_start = Set(at(r.info.trail_info.start_time));
            am.license_trial_end = Set(at(r.info.trail_info.end_time));
            am.license_check_time = Set(at(r.info.license_check_time));
            am.license_basic = Set(Some(r.basic));
            am.license_external = Set(Some(r.external));
            am.license_error = Set(None);
            (
                format!(
                    "licences of {} read: status {}, {} basic and {} 互通 accounts active",
                    row.corpid, r.info.license_status, r.basic, r.external
                ),
                serde_json::json!({"license_status": r.info.license_status, "basic": r.basic, "external": r.external}),
                None,
            )
        }
        Err(e) => {
            am.license_error = Set(Some(e.to_string()));
            (
                format!("licences of {} could not be read", row.corpid),
                serde_json::json!({"error": e.to_string()}),
                Some(e),
            )
        }
    };
    let stored = am.update(&state.db).await?;
    let mut data = detail;
    data["account_id"] = account.id.into();
    data["corpid"] = row.corpid.clone().into();
    audit::record(
        &state.db,
        actor,
        "suite_corp.licences",
        "suite_corp",
        Some(row.id),
        summary,
        data,
    )
    .await?;
    Ok((stored, failure))
}

/// The staff action: the read's failure is the answer (stored on the row as well).
pub async fn refresh(
    state: &AppState,
    account: &account::Model,
    row: &corp::Model,
    actor: &Actor,
) -> AppResult<corp::Model> {
    if row.state != SuiteCorpState::Active.as_str() {
        return Err(AppError::refused(
            "suite_corp_revoked",
            format!("{} uninstalled the suite", row.corpid),
        ));
    }
    match refresh_inner(state, account, row, actor).await? {
        (_, Some(e)) => Err(e),
        (stored, None) => Ok(stored),
    }
}

/// On install and on `get_auth_info`: a failed read is stored on the row and logged, never
/// the install's failure (WeCom would push the instruction again for nothing).
pub async fn refresh_quietly(
    state: &AppState,
    account: &account::Model,
    row: corp::Model,
    actor: &Actor,
) -> AppResult<corp::Model> {
    match refresh_inner(state, account, &row, actor).await {
        Ok((stored, failure)) => {
            if let Some(e) = failure {
                tracing::warn!(corp = %row.corpid, error = %e, "suite corp licences not read");
            }
            Ok(stored)
        }
        Err(e) => {
            tracing::warn!(corp = %row.corpid, error = %e, "suite corp licences not stored");
            Ok(row)
        }
    }
}
