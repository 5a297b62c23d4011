//! The preflight: each credential tried against WeCom the way the features use it, and each
//! refusal turned into the fix it calls for ([`fix_for`]). Nothing is changed at WeCom: only
//! tokens and reads.
//!
//! | check | call | telling answers |
//! |---|---|---|
//! | `app_token` | `gettoken` with the app secret (fresh, not the cache) | 40001/40014/42001 wrong or reset secret, 40013 wrong CorpID, 60020 |
//! | `token_cache` | `department/simplelist` once with the cached token | 40014/42001/42009: expired, refreshed here automatically |
//! | `app_agent` | `menu/get?agentid=` | 48002 the "app secret" is the contacts secret, 301002 another app's token |
//! | `app_read` | `user/get` of one mirrored member | 301002/60011 outside the visible range |
//! | `contacts_token` | `gettoken` with the contacts-sync secret | as `app_token` |
//! | `contacts_read` | `department/simplelist` + `user/list_id` | 60020, 48009 |
//! | `legacy_listing` | `department/list` | 48009: IP added after 2022-08-15 (a notice: the sync does not need it) |
//!
//! A corp operated through a suite (`suite::managed`) has one credential, the corp token:
//! `app_agent` checks the agentid against the apps `get_auth_info` granted (WeCom refuses
//! `menu/*` to third-party apps), `contacts_token` is skipped (no contacts secret there) and the
//! listings run with the corp token.

use api::wecom_overview::{
    PreflightCheck, PreflightCheckKind as Kind, PreflightFix as Fix, PreflightReport,
    PreflightStatus as Status, ip_in_errmsg,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use time::OffsetDateTime;
use wechat::client::work::WorkClient;

use crate::{
    entities::wecom_member as member, error::AppResult, state::AppState, util::rfc3339,
    wechat_clients,
};

/// Whether the call was a token request or a call carrying a token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Token,
    Call,
}

/// The fix for WeCom's `code`.
fn fix_for(code: i64, stage: Stage) -> Fix {
    match code {
        60020 => Fix::UntrustedIp,
        40013 => Fix::WrongCorpId,
        40001 | 40014 | 42001 if stage == Stage::Token => Fix::WrongSecret,
        40001 | 40014 | 42001 | 42009 => Fix::TokenRefreshed,
        48009 => Fix::ListApisClosed,
        48002 => Fix::ContactsSecretNotForApps,
        301002 | 60011 => Fix::VisibleRange,
        _ => Fix::Other,
    }
}

struct Run {
    checks: Vec<PreflightCheck>,
    outbound_ip: Option<String>,
}

impl Run {
    fn push(&mut self, check: Kind, status: Status, fix: Option<Fix>, detail: impl Into<String>) {
        self.checks.push(PreflightCheck {
            check,
            status,
            errcode: None,
            fix,
            detail: detail.into(),
        });
    }

    /// A failed call: its errcode, fix and WeChat's words; the outbound IP when WeCom named it.
    fn failed(&mut self, check: Kind, e: &wechat::Error, stage: Stage) {
        let (errcode, fix) = match e {
            wechat::Error::Wechat(w) => {
                if w.code == 60020 && self.outbound_ip.is_none() {
                    self.outbound_ip = ip_in_errmsg(&w.msg);
                }
                (Some(w.code), fix_for(w.code, stage))
            }
            _ => (None, Fix::Unreachable),
        };
        self.checks.push(PreflightCheck {
            check,
            status: Status::Failed,
            errcode,
            fix: Some(fix),
            detail: wechat_clients::describe(e),
        });
    }

    fn skipped(&mut self, check: Kind, fix: Option<Fix>) {
        self.push(check, Status::Skipped, fix, "");
    }
}

/// Runs every check for WeCom app `account_id`.
pub async fn run(state: &AppState, account_id: i64) -> AppResult<PreflightReport> {
    let app = wechat_clients::work(state, account_id).await?;
    let model = crate::accounts::queries::find(&state.db, account_id)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let managed = match crate::wecom::suite::managed::link_of(&model) {
        Some(link) => Some(crate::wecom::suite::managed::granted_agents(state, link).await?),
        None => None,
    };
    let contacts = match managed {
        Some(_) => None,
        None => wechat_clients::work_contacts(state, account_id).await?,
    };
    let mut r = Run {
        checks: Vec::new(),
        outbound_ip: None,
    };

    match app.fetch_access_token().await {
        Ok(_) => {
            r.push(Kind::AppToken, Status::Ok, None, "");
            token_cache(&mut r, &app).await;
            match &managed {
                Some(granted) => granted_agent(&mut r, &app, granted),
                None => app_agent(&mut r, &app).await,
            }
            app_read(&mut r, state, account_id, &app).await?;
        }
        Err(e) => {
            r.failed(Kind::AppToken, &e, Stage::Token);
            for k in [Kind::TokenCache, Kind::AppAgent, Kind::AppRead] {
                r.skipped(k, None);
            }
        }
    }

    match contacts {
        // The corp token is the managed corp's only credential: the listings use it.
        None if managed.is_some() => {
            r.skipped(Kind::ContactsToken, Some(Fix::ManagedCorpToken));
            contacts_read(&mut r, &app).await;
            legacy_listing(&mut r, &app).await;
        }
        None => {
            r.skipped(Kind::ContactsToken, Some(Fix::NoContactsSecret));
            r.skipped(Kind::ContactsRead, None);
            r.skipped(Kind::LegacyListing, None);
        }
        Some(c) => match c.fetch_access_token().await {
            Ok(_) => {
                r.push(Kind::ContactsToken, Status::Ok, None, "");
                contacts_read(&mut r, &c).await;
                legacy_listing(&mut r, &c).await;
            }
            Err(e) => {
                r.failed(Kind::ContactsToken, &e, Stage::Token);
                r.skipped(Kind::ContactsRead, None);
                r.skipped(Kind::LegacyListing, None);
            }
        },
    }

    Ok(PreflightReport {
        checked_at: rfc3339(OffsetDateTime::now_utc()),
        outbound_ip: r.outbound_ip,
        checks: r.checks,
    })
}

/// The cached token on one call, without the client's automatic retry, so an expired token
/// is seen (and then refreshed, as every other call would do by itself).
async fn token_cache(r: &mut Run, app: &WorkClient) {
    const PATH: &str = "/cgi-bin/department/simplelist";
    match app.get_once(PATH, &[]).await {
        Ok(_) => r.push(Kind::TokenCache, Status::Ok, None, ""),
        Err(wechat::Error::Wechat(w)) if w.is_token_invalid() => {
            let first = w.code;
            let again = match app.refresh_token().await {
                Ok(_) => app.get_once(PATH, &[]).await.map(drop),
                Err(e) => Err(e),
            };
            match again {
                Ok(()) => r.checks.push(PreflightCheck {
                    check: Kind::TokenCache,
                    status: Status::Notice,
                    errcode: Some(first),
                    fix: Some(Fix::TokenRefreshed),
                    detail: format!("WeChat errcode {first}: {}", w.msg),
                }),
                Err(e) => r.failed(Kind::TokenCache, &e, Stage::Call),
            }
        }
        Err(e) => r.failed(Kind::TokenCache, &e, Stage::Call),
    }
}

async fn app_agent(r: &mut Run, app: &WorkClient) {
    let Some(agent) = app.agent_id() else {
        r.push(Kind::AppAgent, Status::Failed, Some(Fix::NoAgentId), "");
        return;
    };
    match app.menu_get(agent).await {
        Ok(_) => r.push(Kind::AppAgent, Status::Ok, None, format!("agentid {agent}")),
        Err(wechat::Error::Wechat(w)) if w.code == 46003 => r.push(
            Kind::AppAgent,
            Status::Ok,
            None,
            format!("agentid {agent} (no menu published)"),
        ),
        Err(e) => r.failed(Kind::AppAgent, &e, Stage::Call),
    }
}

/// A managed corp's agentid among the apps the corp granted (`get_auth_info`), without a call:
/// `menu/get` is not open to third-party apps.
fn granted_agent(r: &mut Run, app: &WorkClient, granted: &[i64]) {
    match app.agent_id() {
        None => r.push(Kind::AppAgent, Status::Failed, Some(Fix::NoAgentId), ""),
        Some(agent) if granted.contains(&agent) => r.push(
            Kind::AppAgent,
            Status::Ok,
            None,
            format!("agentid {agent} (granted by the corp: get_auth_info)"),
        ),
        Some(agent) => r.push(
            Kind::AppAgent,
            Status::Failed,
            Some(Fix::NoAgentId),
            format!("agentid {agent} is not among the apps the corp granted: {granted:?}"),
        ),
    }
}

async fn app_read(
    r: &mut Run,
    state: &AppState,
    account_id: i64,
    app: &WorkClient,
) -> AppResult<()> {
    let first = member::Entity::find()
        .filter(member::Column::AccountId.eq(account_id))
        .order_by_asc(member::Column::Id)
        .one(&state.db)
        .await?;
    let Some(m) = first else {
        r.skipped(Kind::AppRead, Some(Fix::NoMemberToRead));
        return Ok(());
    };
    match app.user_get(&m.userid).await {
        Ok(_) => r.push(Kind::AppRead, Status::Ok, None, m.userid),
        Err(e) => r.failed(Kind::AppRead, &e, Stage::Call),
    }
    Ok(())
}

async fn contacts_read(r: &mut Run, c: &WorkClient) {
    let depts = match c.department_simple_list(None).await {
        Ok(d) => d.len(),
        Err(e) => return r.failed(Kind::ContactsRead, &e, Stage::Call),
    };
    match c.user_list_id("", 1).await {
        Ok(_) => r.push(
            Kind::ContactsRead,
            Status::Ok,
            None,
            format!("{depts} departments"),
        ),
        Err(e) => r.failed(Kind::ContactsRead, &e, Stage::Call),
    }
}

async fn legacy_listing(r: &mut Run, c: &WorkClient) {
    match c.department_list(None).await {
        Ok(_) => r.push(Kind::LegacyListing, Status::Ok, None, ""),
        Err(wechat::Error::Wechat(w)) if w.code == 48009 => r.checks.push(PreflightCheck {
            check: Kind::LegacyListing,
            status: Status::Notice,
            errcode: Some(48009),
            fix: Some(Fix::ListApisClosed),
            detail: format!("WeChat errcode 48009: {}", w.msg),
        }),
        Err(e) => r.failed(Kind::LegacyListing, &e, Stage::Call),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_errcode_has_its_fix() {
        assert_eq!(fix_for(40001, Stage::Token), Fix::WrongSecret);
        assert_eq!(fix_for(42001, Stage::Token), Fix::WrongSecret);
        assert_eq!(fix_for(40013, Stage::Token), Fix::WrongCorpId);
        assert_eq!(fix_for(42009, Stage::Call), Fix::TokenRefreshed);
        assert_eq!(fix_for(60020, Stage::Call), Fix::UntrustedIp);
        assert_eq!(fix_for(48009, Stage::Call), Fix::ListApisClosed);
        assert_eq!(fix_for(48002, Stage::Call), Fix::ContactsSecretNotForApps);
        assert_eq!(fix_for(301002, Stage::Call), Fix::VisibleRange);
        assert_eq!(fix_for(12345, Stage::Call), Fix::Other);
    }
}
