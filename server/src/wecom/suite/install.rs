//! Installing the suite in a corp: the install link staff hand to the corp's admin (服务商辅助
//! 授权: a pre-auth code, `set_session_info`, the link on `open.work.weixin.qq.com` and its QR
//! code), and the page WeCom sends the admin back to with the auth code (`/suite/{id}/installed`),
//! which completes the install the way the `create_auth` instruction does, whichever comes first.

use std::time::{Duration, Instant};

use api::wecom_suite::{InstallLink, InstallLinkRequest, InstallOrigin};
use axum::{
    Extension,
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;
use time::OffsetDateTime;

use super::corps::{self, Completed};
use crate::{
    audit::service::{self as audit, Actor},
    auth::handlers::ClientIp,
    entities::account,
    error::{AppError, AppResult},
    http::extract::Path,
    oa::web::{
        PageThrottle,
        pages::{Lang, error_page, page},
    },
    pay::{pages::esc, qr},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// How long the install page waits for the other path to finish with the same auth code.
const WAIT_FOR_OTHER: Duration = Duration::from_secs(5);

/// Where WeCom returns the admin: the public URL, or the emulator's loopback for a sandbox suite.
fn redirect_uri(state: &AppState, account: &account::Model) -> String {
    format!(
        "{}/suite/{}/installed",
        crate::oa::web::oauth::portal_base(state, account),
        account.id
    )
}

/// A pre-auth code (20 minutes), the session info, and the link with its QR code.
pub async fn link(
    state: &AppState,
    account: &account::Model,
    req: &InstallLinkRequest,
    actor: &Actor,
) -> AppResult<InstallLink> {
    let client = wechat_clients::suite(state, account.id).await?;
    let (pre_auth_code, expires_in) = client
        .pre_auth_code()
        .await
        .map_err(|e| super::provider::api_error(&e, super::provider::Scope::Suite))?;
    // auth_type 1 is a test authorisation: allowed before the app is on sale, for test corps.
    client
        .set_session_info(&pre_auth_code, &[], if req.test { 1 } else { 0 })
        .await
        .map_err(|e| super::provider::api_error(&e, super::provider::Scope::Suite))?;
    let redirect = redirect_uri(state, account);
    // The state names the page's language; nothing else rides on it (the auth code is the
    // proof, and it is only good once at WeCom).
    let url = client.install_url(&pre_auth_code, &redirect, "wxportal.zh");
    let matrix = qr::matrix(&qr::QrQuery {
        data: url.clone(),
        size: Some(240),
        margin: None,
    })
    .map_err(|e| AppError::internal(format!("install link QR: {e}")))?;
    let expires_at = OffsetDateTime::now_utc() + time::Duration::seconds(expires_in.max(0));
    audit::record(
        &state.db,
        actor,
        "suite.install_link",
        "account",
        Some(account.id),
        format!(
            "install link created{}",
            if req.test {
                " (test authorisation)"
            } else {
                ""
            }
        ),
        serde_json::json!({"test": req.test}),
    )
    .await?;
    Ok(InstallLink {
        url,
        qr_svg: matrix.svg(),
        redirect_uri: redirect,
        expires_at: rfc3339(expires_at),
        test: req.test,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct InstalledQuery {
    #[serde(default)]
    pub auth_code: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

/// `GET /suite/{id}/installed?auth_code=…&state=…`: the admin is back from WeCom's consent page.
pub async fn installed(
    State(state): State<AppState>,
    Extension(throttle): Extension<PageThrottle>,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Query(q): Query<InstalledQuery>,
) -> Response {
    let lang = Lang::from_state(q.state.as_deref().unwrap_or_default());
    let missing = lang.pick(
        "链接缺少临时授权码，请从企业微信重新安装",
        "The link carries no auth code: install again from WeCom",
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
    let outcome = corps::complete(
        &state,
        &account,
        &code,
        &Actor::system(),
        "install page",
        Some(InstallOrigin::ProviderLink),
    )
    .await;
    let done = match outcome {
        Ok(Completed::Installed(c)) => Some(c),
        Ok(Completed::TakenElsewhere(Some(c))) => Some(c),
        Ok(Completed::TakenElsewhere(None)) => wait_for_other(&state, &account, &code).await,
        Err(e) => {
            tracing::warn!(account_id = id, error = %e, "install page could not complete an install");
            return error_page(
                lang,
                502,
                lang.pick(
                    "授权未能完成：企业微信没有接受这个临时授权码（可能已过期）。请重新安装，或联系服务商。",
                    "The install could not be completed: WeCom did not accept the auth code (it may have expired). Install again, or contact the provider.",
                ),
            );
        }
    };
    match done {
        Some(c) => {
            let title = lang.pick("授权成功", "Installed");
            let body = format!(
                "<div class=\"card\"><h1>{title}</h1><p>{}</p><dl><dt>{}</dt><dd>{}</dd><dt>CorpID</dt><dd>{}</dd></dl><p class=\"muted\">{}</p></div>",
                esc(lang.pick(
                    "应用已安装到贵企业。",
                    "The app is now installed in your organisation."
                )),
                esc(lang.pick("企业", "Organisation")),
                esc(&c.corp_name),
                esc(&c.corpid),
                esc(lang.pick("可以关闭此页面。", "You can close this page.")),
            );
            page(lang, title, &body)
        }
        None => error_page(
            lang,
            202,
            lang.pick(
                "授权正在处理中，请稍后在企业微信中查看应用。",
                "The install is still being processed: check the app in WeCom shortly.",
            ),
        ),
    }
}

/// The instruction path holds the code: wait briefly for the corp it stores.
async fn wait_for_other(
    state: &AppState,
    account: &account::Model,
    code: &str,
) -> Option<crate::entities::wecom_suite_corp::Model> {
    let until = Instant::now() + WAIT_FOR_OTHER;
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(200)).await;
        // Taking it over is allowed too: the other path may have failed meanwhile.
        match corps::complete(
            state,
            account,
            code,
            &Actor::system(),
            "install page",
            Some(InstallOrigin::ProviderLink),
        )
        .await
        {
            Ok(Completed::Installed(c) | Completed::TakenElsewhere(Some(c))) => return Some(c),
            Ok(Completed::TakenElsewhere(None)) => {}
            Err(_) => return None,
        }
    }
    None
}
