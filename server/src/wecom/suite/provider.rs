//! The provider side of a suite (服务商): its credentials (the provider CorpID in the
//! account's settings, the provider secret sealed like every secret), the URLs to paste into
//! WeCom's provider console, the logins recorded by [`super::login`], the provider check, and
//! WeCom's 60020 on provider and suite calls explained.
//!
//! WeCom checks the caller's IP on provider calls (`get_provider_token`, `get_login_info`)
//! against the provider's IP whitelist, and on suite calls (`get_suite_token`, pre-auth codes,
//! permanent codes) against the suite's own whitelist (⚠️ unverified which console page holds
//! which: 服务商管理后台 → 服务商信息 / 通用开发参数 for the provider, 应用管理 → the suite →
//! 开发信息 for the suite). A 60020 names the IP WeCom saw.

use api::wecom_overview::ip_in_errmsg;
use api::wecom_suite_provider::{
    ProviderCheck, ProviderCheckItem, ProviderCheckKind, ProviderFix, ProviderLogin,
    ProviderLoginState, ProviderView,
};
use axum::{Json, extract::State};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use time::OffsetDateTime;
use wechat::client::suite::SuiteClient;

use crate::{
    accounts::{extract::SuiteAccount, service as accounts},
    audit::service as audit,
    auth::CurrentUser,
    entities::{account, wecom_suite_corp as corp, wecom_suite_login as login},
    error::{AppError, AppResult},
    http::routes::Route,
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// Which whitelist a 60020 is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Provider,
    Suite,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Provider => "provider",
            Scope::Suite => "suite",
        }
    }
}

/// A `wechat` error of a provider or suite call as the API's error: a 60020 becomes
/// [`AppError::WechatUntrustedIp`] (where to whitelist, and the IP WeCom named).
pub fn api_error(e: &wechat::Error, scope: Scope) -> AppError {
    match e {
        wechat::Error::Wechat(w) if w.code == 60020 => AppError::WechatUntrustedIp {
            scope: scope.as_str(),
            ip: ip_in_errmsg(&w.msg),
            message: wechat_clients::describe(e),
        },
        _ => wechat_clients::api_error(e),
    }
}

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/suite/provider", view)
            .viewer()
            .summary("The provider login: URLs for WeCom's provider console and who logged in from which corp")
            .response::<ProviderView>(),
        Route::post("/api/accounts/{id}/suite/provider/check", check)
            .operator()
            .summary("Fetch the provider and suite tokens fresh; a 60020 names the IP to whitelist")
            .response::<ProviderCheck>(),
    ]
}

/// The provider CorpID and secret, when both are set.
pub async fn credentials(
    state: &AppState,
    account: &account::Model,
) -> AppResult<Option<(String, String)>> {
    let Some(corpid) = provider_corp_id(account) else {
        return Ok(None);
    };
    Ok(
        accounts::reveal_secret(state, account.id, "provider_secret")
            .await?
            .filter(|s| !s.is_empty())
            .map(|s| (corpid, s)),
    )
}

fn provider_corp_id(account: &account::Model) -> Option<String> {
    serde_json::from_str::<accounts::Stored>(&account.settings)
        .ok()
        .and_then(|s| s.provider_corp_id)
        .filter(|s| !s.is_empty())
}

/// The login page: the login redirect and the business-settings URL (业务设置URL).
pub fn login_redirect_url(state: &AppState, account: &account::Model) -> String {
    format!(
        "{}/suite/{}/login",
        crate::oa::web::oauth::portal_base(state, account),
        account.id
    )
}

/// How many logins the staff view lists.
const LIST_LIMIT: u64 = 100;

pub async fn view(
    State(state): State<AppState>,
    SuiteAccount(account): SuiteAccount,
) -> AppResult<Json<ProviderView>> {
    let client = wechat_clients::suite(&state, account.id).await?;
    let corp_id = provider_corp_id(&account);
    let configured = credentials(&state, &account).await?.is_some();
    let redirect = login_redirect_url(&state, &account);
    let scan = corp_id
        .as_deref()
        .map(|c| client.login_url(c, &redirect, "wxportal.zh", "member"));
    let corps: HashMap<String, corp::Model> = corp::Entity::find()
        .filter(corp::Column::AccountId.eq(account.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.corpid.clone(), c))
        .collect();
    let rows = login::Entity::find()
        .filter(login::Column::AccountId.eq(account.id))
        .filter(login::Column::State.ne(super::login::PENDING))
        .order_by_desc(login::Column::Id)
        .limit(LIST_LIMIT)
        .all(&state.db)
        .await?;
    let logins = rows
        .into_iter()
        .map(|r| {
            let c = r.corpid.as_ref().and_then(|id| corps.get(id));
            ProviderLogin {
                id: r.id,
                state: if r.state == super::login::OK {
                    ProviderLoginState::Ok
                } else {
                    ProviderLoginState::Failed
                },
                at: rfc3339(r.created_at),
                corp_name: c.map(|c| c.corp_name.clone()),
                corp_revoked: c.is_some_and(|c| c.state == "revoked"),
                corpid: r.corpid,
                usertype: r.usertype,
                userid: r.userid,
                open_userid: r.open_userid,
                name: r.name,
                agents: serde_json::from_str(&r.agents).unwrap_or_default(),
                errcode: r.errcode,
                detail: r.detail,
                outbound_ip: r.outbound_ip,
            }
        })
        .collect();
    Ok(Json(ProviderView {
        provider_corp_id: corp_id,
        configured,
        login_redirect_url: redirect,
        scan_login_url: scan,
        logins,
    }))
}

/// The fix for WeCom's `code` on a check.
fn fix_for(code: i64, kind: ProviderCheckKind) -> ProviderFix {
    match (code, kind) {
        (60020, ProviderCheckKind::ProviderToken) => ProviderFix::ProviderIp,
        (60020, ProviderCheckKind::SuiteToken) => ProviderFix::SuiteIp,
        (40085 | 40084, ProviderCheckKind::SuiteToken) => ProviderFix::NoTicket,
        (40001 | 40013 | 40014 | 40082 | 40089 | 40091, _) => ProviderFix::WrongSecret,
        _ => ProviderFix::Other,
    }
}

fn item(
    kind: ProviderCheckKind,
    outcome: Result<(), wechat::Error>,
    ip: &mut Option<String>,
) -> ProviderCheckItem {
    match outcome {
        Ok(()) => ProviderCheckItem {
            check: kind,
            ok: true,
            errcode: None,
            fix: None,
            detail: String::new(),
        },
        Err(e) => {
            let (errcode, fix) = match &e {
                wechat::Error::Wechat(w) => {
                    if w.code == 60020 && ip.is_none() {
                        *ip = ip_in_errmsg(&w.msg);
                    }
                    (Some(w.code), fix_for(w.code, kind))
                }
                wechat::Error::Invalid(_) if kind == ProviderCheckKind::SuiteToken => {
                    (None, ProviderFix::NoTicket)
                }
                _ => (None, ProviderFix::Unreachable),
            };
            ProviderCheckItem {
                check: kind,
                ok: false,
                errcode,
                fix: Some(fix),
                detail: wechat_clients::describe(&e),
            }
        }
    }
}

/// Both tokens fetched fresh (not the cache: a cached token proves nothing about the IP).
pub async fn run_check(
    state: &AppState,
    account: &account::Model,
    client: &SuiteClient,
) -> AppResult<ProviderCheck> {
    let mut ip = None;
    let provider = match credentials(state, account).await? {
        Some((corpid, secret)) => item(
            ProviderCheckKind::ProviderToken,
            client
                .fetch_provider_token(&corpid, &secret)
                .await
                .map(drop),
            &mut ip,
        ),
        None => ProviderCheckItem {
            check: ProviderCheckKind::ProviderToken,
            ok: false,
            errcode: None,
            fix: Some(ProviderFix::NotConfigured),
            detail: String::new(),
        },
    };
    let suite = item(
        ProviderCheckKind::SuiteToken,
        client.fetch_suite_token().await.map(drop),
        &mut ip,
    );
    Ok(ProviderCheck {
        checked_at: rfc3339(OffsetDateTime::now_utc()),
        outbound_ip: ip,
        checks: vec![provider, suite],
    })
}

pub async fn check(
    State(state): State<AppState>,
    user: CurrentUser,
    SuiteAccount(account): SuiteAccount,
) -> AppResult<Json<ProviderCheck>> {
    let client = wechat_clients::suite(&state, account.id).await?;
    let report = run_check(&state, &account, &client).await?;
    let failed: Vec<_> = report
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| serde_json::json!({"check": c.check, "errcode": c.errcode, "fix": c.fix}))
        .collect();
    audit::record(
        &state.db,
        &user.actor(),
        "suite.provider_check",
        "account",
        Some(account.id),
        if failed.is_empty() {
            "provider check passed".to_string()
        } else {
            format!("provider check: {} failed", failed.len())
        },
        serde_json::json!({"failed": failed, "outbound_ip": report.outbound_ip}),
    )
    .await?;
    Ok(Json(report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wechat::error::WechatApiError;

    #[test]
    fn a_60020_names_the_whitelist_and_the_ip() {
        let e = wechat::Error::Wechat(WechatApiError::new(
            60020,
            "not allow to access from your ip, from ip: 203.0.113.7",
        ));
        match api_error(&e, Scope::Provider) {
            AppError::WechatUntrustedIp { scope, ip, .. } => {
                assert_eq!(scope, "provider");
                assert_eq!(ip.as_deref(), Some("203.0.113.7"));
            }
            other => panic!("{other:?}"),
        }
        let e = wechat::Error::Wechat(WechatApiError::new(40001, "invalid credential"));
        assert!(matches!(
            api_error(&e, Scope::Suite),
            AppError::WechatCode { errcode: 40001, .. }
        ));
        assert_eq!(
            fix_for(60020, ProviderCheckKind::SuiteToken),
            ProviderFix::SuiteIp
        );
        assert_eq!(
            fix_for(40085, ProviderCheckKind::SuiteToken),
            ProviderFix::NoTicket
        );
    }
}
