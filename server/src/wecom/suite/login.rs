//! The provider's login page (`GET /suite/{id}/login?auth_code=…`): where WeCom returns a
//! member after the provider's web login (第三方网页登录) and where it sends an admin who opens
//! the suite's business settings (业务设置URL). Public, limited per IP, one `get_login_info`
//! per auth code at most: the code's SHA-256 is inserted first (unique per suite), so a replay
//! or a second tab finds the row and is refused without calling WeCom. The provider token
//! comes from the shared token store (one fetch across instances).

use axum::{
    Extension,
    extract::{Query, State},
    response::Response,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;
use time::OffsetDateTime;
use wechat::client::suite::LoginInfo;

use super::provider::{self, Scope};
use crate::{
    audit::service::{self as audit, Actor},
    auth::handlers::ClientIp,
    entities::{account, wecom_suite_corp as corp, wecom_suite_login as login},
    error::AppResult,
    http::extract::Path,
    oa::web::{
        PageThrottle,
        pages::{Lang, error_page, page},
    },
    pay::pages::esc,
    state::AppState,
    wechat_clients,
};

pub const PENDING: &str = "pending";
pub const OK: &str = "ok";
pub const FAILED: &str = "failed";

#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    pub auth_code: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// WeCom's `usertype` in words (⚠️ unverified numbering, see `wechat::client::suite::LoginInfo`).
pub fn usertype_label(lang: Lang, t: i64) -> &'static str {
    match t {
        1 => lang.pick("创建者", "Creator"),
        2 => lang.pick("内部系统管理员", "Internal admin"),
        3 => lang.pick("外部系统管理员", "External admin"),
        4 => lang.pick("分级管理员", "Partial admin"),
        5 => lang.pick("成员", "Member"),
        _ => lang.pick("未知身份", "Unknown role"),
    }
}

/// What became of one visit.
enum Outcome {
    Ok(Box<LoginInfo>),
    Failed { errcode: Option<i64> },
}

/// `GET /suite/{id}/login?auth_code=…&state=…`.
pub async fn page_handler(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Query(q): Query<LoginQuery>,
) -> Response {
    let lang = match q.lang.as_deref() {
        Some(l) => Lang::parse(Some(l)),
        None => Lang::from_state(q.state.as_deref().unwrap_or_default()),
    };
    let missing = lang.pick(
        "链接缺少登录授权码，请从企业微信重新登录",
        "The link carries no login code: log in again from WeCom",
    );
    let (account, code) = match super::public_page_start(
        &state,
        &throttle,
        &ip,
        id,
        lang,
        q.auth_code,
        missing,
    )
    .await
    {
        Ok(started) => started,
        Err(page) => return page,
    };
    match visit(&state, &account, &code, &ip).await {
        Ok(Visit::Replayed) => error_page(
            lang,
            409,
            lang.pick(
                "这个登录链接已经使用过了（登录授权码只能用一次）。请回到企业微信重新扫码登录。",
                "This login link was already used (a login code works once). Go back to WeCom and log in again.",
            ),
        ),
        Ok(Visit::NotConfigured) => error_page(
            lang,
            503,
            lang.pick(
                "服务商尚未完成配置，暂时无法登录。请联系服务商。",
                "The provider has not finished its setup, so logging in is not possible yet. Contact the provider.",
            ),
        ),
        Ok(Visit::Done(Outcome::Ok(info), corp)) => welcome(lang, &info, corp.as_deref()),
        Ok(Visit::Done(Outcome::Failed { errcode }, _)) => refused(lang, errcode),
        Err(e) => {
            tracing::warn!(account_id = id, error = %e, "provider login page failed");
            error_page(
                lang,
                500,
                lang.pick(
                    "登录暂时无法完成，请稍后重试。",
                    "The login could not be completed: try again shortly.",
                ),
            )
        }
    }
}

enum Visit {
    Replayed,
    NotConfigured,
    Done(Outcome, Option<Box<corp::Model>>),
}

async fn visit(
    state: &AppState,
    account: &account::Model,
    code: &str,
    client_ip: &str,
) -> AppResult<Visit> {
    let Some((corpid, secret)) = provider::credentials(state, account).await? else {
        return Ok(Visit::NotConfigured);
    };
    // The code is taken before WeCom is asked: a replay (or a second tab) finds the row.
    let inserted = login::Entity::insert(login::ActiveModel {
        account_id: Set(account.id),
        code_hash: Set(super::corps::code_hash(code)),
        state: Set(PENDING.into()),
        agents: Set("[]".into()),
        client_ip: Set(Some(client_ip.chars().take(64).collect())),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    })
    .exec(&state.db)
    .await;
    let row_id = match inserted {
        Ok(r) => r.last_insert_id,
        Err(e) if e.sql_err().is_some() => {
            audit::record(
                &state.db,
                &Actor::system(),
                "suite.provider_login_replayed",
                "account",
                Some(account.id),
                "a used login code was presented again".to_string(),
                serde_json::json!({"client_ip": client_ip}),
            )
            .await?;
            return Ok(Visit::Replayed);
        }
        Err(e) => return Err(e.into()),
    };
    let client = wechat_clients::suite(state, account.id).await?;
    let answer = client.login_info(&corpid, &secret, code).await;
    let row = login::Entity::find_by_id(row_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| crate::error::AppError::internal("login row vanished"))?;
    let mut am: login::ActiveModel = row.into();
    let outcome = match answer {
        Ok(info) => {
            am.state = Set(OK.into());
            am.corpid = Set(Some(info.corp_info.corpid.clone()).filter(|s| !s.is_empty()));
            am.usertype = Set(Some(info.usertype));
            am.userid = Set(Some(info.user_info.userid.clone()).filter(|s| !s.is_empty()));
            am.open_userid = Set(info.user_info.open_userid.clone());
            am.name = Set(info.user_info.name.clone().filter(|s| !s.is_empty()));
            am.agents = Set(serde_json::to_string(
                &info.agent.iter().map(|a| a.agentid).collect::<Vec<_>>(),
            )
            .unwrap_or_else(|_| "[]".into()));
            Outcome::Ok(Box::new(info))
        }
        Err(e) => {
            let errcode = match &e {
                wechat::Error::Wechat(w) => Some(w.code),
                _ => None,
            };
            let ip = match &e {
                wechat::Error::Wechat(w) if w.code == 60020 => {
                    api::wecom_overview::ip_in_errmsg(&w.msg)
                }
                _ => None,
            };
            am.state = Set(FAILED.into());
            am.errcode = Set(errcode);
            am.detail = Set(Some(wechat_clients::describe(&e)));
            am.outbound_ip = Set(ip);
            // What staff see in the audit log reads like the API's error.
            tracing::info!(account_id = account.id, error = %provider::api_error(&e, Scope::Provider), "get_login_info refused");
            Outcome::Failed { errcode }
        }
    };
    let row = am.update(&state.db).await?;
    let corp_row = match &row.corpid {
        Some(c) => {
            corp::Entity::find()
                .filter(corp::Column::AccountId.eq(account.id))
                .filter(corp::Column::Corpid.eq(c))
                .one(&state.db)
                .await?
        }
        None => None,
    };
    let (action, summary) = match &outcome {
        Outcome::Ok(_) => (
            "suite.provider_login",
            format!(
                "{} ({}) of {} logged in through the provider login",
                row.name.clone().unwrap_or_default(),
                row.userid.clone().unwrap_or_default(),
                row.corpid.clone().unwrap_or_default()
            ),
        ),
        Outcome::Failed { errcode } => (
            "suite.provider_login_failed",
            format!(
                "WeCom refused a provider login (errcode {})",
                errcode
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "none".into())
            ),
        ),
    };
    audit::record(
        &state.db,
        &Actor::system(),
        action,
        "account",
        Some(account.id),
        summary,
        serde_json::json!({
            "login_id": row.id, "corpid": row.corpid, "userid": row.userid,
            "usertype": row.usertype, "errcode": row.errcode, "outbound_ip": row.outbound_ip,
        }),
    )
    .await?;
    Ok(Visit::Done(outcome, corp_row.map(Box::new)))
}

fn welcome(lang: Lang, info: &LoginInfo, corp: Option<&corp::Model>) -> Response {
    let title = lang.pick("登录成功", "Logged in");
    let who = info
        .user_info
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| info.user_info.userid.clone());
    let corp_line = match corp {
        Some(c) => format!("{} ({})", esc(&c.corp_name), esc(&c.corpid)),
        None => esc(&info.corp_info.corpid),
    };
    let revoked = corp
        .filter(|c| c.state == "revoked")
        .map(|_| {
            format!(
                "<p class=\"note\">{}</p>",
                esc(lang.pick(
                    "贵企业已取消对本应用的授权：可以登录，但应用在企业内不可用，需重新安装。",
                    "Your organisation has cancelled its authorisation of this app: you are logged in, but the app does not work in it until it is installed again."
                ))
            )
        })
        .unwrap_or_default();
    let unknown = if corp.is_none() {
        format!(
            "<p class=\"muted\">{}</p>",
            esc(lang.pick(
                "贵企业尚未安装本应用。",
                "Your organisation has not installed this app."
            ))
        )
    } else {
        String::new()
    };
    let agents = if info.agent.is_empty() {
        esc(lang.pick("无", "None"))
    } else {
        info.agent
            .iter()
            .map(|a| a.agentid.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let body = format!(
        "<div class=\"card\" data-testid=\"provider-login\"><h1>{title}</h1><p>{hello}</p>{revoked}<dl>\
         <dt>{l_name}</dt><dd data-testid=\"login-name\">{who}</dd>\
         <dt>UserID</dt><dd data-testid=\"login-userid\">{userid}</dd>\
         <dt>{l_role}</dt><dd>{role}</dd>\
         <dt>{l_corp}</dt><dd data-testid=\"login-corp\">{corp_line}</dd>\
         <dt>{l_agents}</dt><dd>{agents}</dd></dl>{unknown}</div>",
        hello = esc(lang.pick(
            "企业微信已确认您的身份。",
            "WeCom has confirmed who you are."
        )),
        l_name = esc(lang.pick("姓名", "Name")),
        who = esc(&who),
        userid = esc(&info.user_info.userid),
        l_role = esc(lang.pick("身份", "Role")),
        role = esc(usertype_label(lang, info.usertype)),
        l_corp = esc(lang.pick("企业", "Organisation")),
        l_agents = esc(lang.pick("可管理的应用", "Apps you manage")),
    );
    page(lang, title, &body)
}

fn refused(lang: Lang, errcode: Option<i64>) -> Response {
    match errcode {
        Some(40029 | 40078 | 40054) => error_page(
            lang,
            400,
            lang.pick(
                "登录授权码无效或已过期（有效期约 10 分钟，只能用一次）。请回到企业微信重新扫码登录。",
                "The login code is invalid or has expired (it lasts about 10 minutes and works once). Go back to WeCom and log in again.",
            ),
        ),
        Some(60020) => error_page(
            lang,
            502,
            lang.pick(
                "服务商的服务器暂时不被企业微信允许访问（IP 白名单），无法完成登录。请联系服务商。",
                "WeCom does not yet allow the provider's server to call it (IP whitelist), so the login could not be completed. Contact the provider.",
            ),
        ),
        _ => error_page(
            lang,
            502,
            lang.pick(
                "企业微信没有确认这次登录，请稍后重新登录。",
                "WeCom did not confirm this login: log in again shortly.",
            ),
        ),
    }
}
