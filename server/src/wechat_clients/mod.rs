//! Per-account WeChat clients.
//!
//! [`for_account`] (and the typed shortcuts [`oa`], [`work`], [`suite`], [`pay`]) turn an
//! account id into a ready `wechat` client: credentials revealed from the vault, base URLs
//! chosen **only** from the account's `environment` by [`base_urls_for`], tokens shared by
//! every instance through the database ([`DbTokenStore`], one namespace per environment).
//!
//! A sandbox account is never sent to the real WeChat servers and a production account never
//! to the sandbox: [`base_urls_for`] is the one place that decides, and a sandbox account on a
//! server started without `--sandbox` is refused rather than sent anywhere.

pub mod token_store;

use std::sync::Arc;

use api::accounts::{AccountKind, SignType, WechatEnv};
use sea_orm::DatabaseConnection;
use wechat::{
    client::{
        BaseUrls, HttpCore, oa::OaClient, pay::PayClient, suite::SuiteClient, work::WorkClient,
    },
    pay::PayCredentials,
    token::{TokenKey, TokenManager},
};

pub mod emulator;

pub use emulator::Emulator;
pub use token_store::DbTokenStore;

use crate::{
    accounts::{queries, service},
    entities::db_enum::StoredEnum,
    error::{AppError, AppResult},
    state::AppState,
    vault::Vault,
};

/// HTTP core and token manager of one environment.
#[derive(Clone)]
pub struct Endpoint {
    pub core: Arc<HttpCore>,
    pub tokens: Arc<TokenManager>,
}

/// The process-wide WeChat plumbing: one [`Endpoint`] per environment (the sandbox one only
/// when the server runs with `--sandbox`).
#[derive(Clone)]
pub struct WechatRuntime {
    production: Endpoint,
    sandbox: Option<Endpoint>,
    emulator: Option<Arc<Emulator>>,
}

impl WechatRuntime {
    /// `sandbox`: the in-process emulator when running with `--sandbox` (its `root`, e.g.
    /// `http://127.0.0.1:8080/sandbox`, is where sandbox accounts are sent).
    pub fn new(db: DatabaseConnection, vault: Arc<Vault>, sandbox: Option<Arc<Emulator>>) -> Self {
        let sandbox_root = sandbox.as_ref().map(|s| s.root.as_str());
        let endpoint = |env: WechatEnv| -> Option<Endpoint> {
            let urls = base_urls_for(env, sandbox_root)?;
            let store = DbTokenStore::new(db.clone(), vault.clone(), env.as_str());
            Some(Endpoint {
                core: Arc::new(HttpCore::new(urls)),
                tokens: Arc::new(TokenManager::new(Arc::new(store))),
            })
        };
        WechatRuntime {
            production: endpoint(WechatEnv::Production).expect("production URLs always exist"),
            sandbox: endpoint(WechatEnv::Sandbox),
            emulator: sandbox,
        }
    }

    /// The running sandbox, if any.
    pub fn sandbox(&self) -> Option<&Emulator> {
        self.emulator.as_deref()
    }

    /// A handle on the running sandbox, for another instance to join it
    /// ([`Application::build_joining_sandbox`](crate::startup::Application::build_joining_sandbox)).
    pub fn emulator_handle(&self) -> Option<Arc<Emulator>> {
        self.emulator.clone()
    }

    /// The endpoint of `env`; a sandbox account without a running sandbox is refused.
    pub fn endpoint(&self, env: WechatEnv) -> AppResult<&Endpoint> {
        match env {
            WechatEnv::Production => Ok(&self.production),
            WechatEnv::Sandbox => self.sandbox.as_ref().ok_or_else(|| {
                AppError::refused(
                    "sandbox_not_running",
                    "this is a sandbox account and the sandbox is not running: start the server with --sandbox",
                )
            }),
        }
    }
}

/// THE decision: production accounts get WeChat's real hosts, sandbox accounts the in-process
/// emulator (`None` when it is not running). Nothing else builds base URLs for accounts.
pub fn base_urls_for(env: WechatEnv, sandbox_root: Option<&str>) -> Option<BaseUrls> {
    match env {
        WechatEnv::Production => Some(BaseUrls::production()),
        WechatEnv::Sandbox => sandbox_root.map(BaseUrls::under),
    }
}

/// The typed client of an account.
#[derive(Debug, Clone)]
pub enum Client {
    Oa(OaClient),
    Work(WorkClient),
    Suite(SuiteClient),
    Pay(PayClient),
}

/// An account with its client.
#[derive(Debug, Clone)]
pub struct AccountClient {
    pub account_id: i64,
    pub kind: AccountKind,
    pub environment: WechatEnv,
    pub client: Client,
    /// The key of the account's main token (none for Pay).
    pub token_key: Option<TokenKey>,
    /// The environment's token manager (fetch counts, suite tickets).
    pub tokens: Arc<TokenManager>,
}

async fn secret(state: &AppState, id: i64, field: &str) -> AppResult<String> {
    service::reveal_secret(state, id, field)
        .await?
        .ok_or_else(|| {
            AppError::refused(
                "account_setting_missing",
                format!("account {id} has no {field} set"),
            )
        })
}

/// The client of account `id` (404 if there is none, 409 for a sandbox account without sandbox).
pub async fn for_account(state: &AppState, id: i64) -> AppResult<AccountClient> {
    let model = queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let kind = *model.kind;
    let stored: service::Stored =
        serde_json::from_str(&model.settings).map_err(AppError::internal)?;
    let environment = *model.environment;
    let ep = state.wechat.endpoint(environment)?.clone();
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let (client, token_key) = match kind {
        AccountKind::OfficialAccount => {
            let c = OaClient::new(
                ep.core.clone(),
                ep.tokens.clone(),
                v(&stored.app_id),
                secret(state, id, "app_secret").await?,
            )
            .use_stable_token(true);
            let key = c.token_key();
            (Client::Oa(c), Some(key))
        }
        AccountKind::WorkApp => {
            let c = match stored.suite_corp {
                // An authorised corp operated through the WeCom pages: the corp token through
                // the suite (boxed: the suite's client comes from here too).
                Some(link) => Box::pin(crate::wecom::suite::managed::client(state, link)).await?,
                None => WorkClient::new(
                    ep.core.clone(),
                    ep.tokens.clone(),
                    v(&stored.corp_id),
                    secret(state, id, "secret").await?,
                    stored.agent_id,
                ),
            };
            let key = c.token_key().clone();
            (Client::Work(c), Some(key))
        }
        AccountKind::WorkSuite => {
            let suite_id = v(&stored.suite_id);
            let c = SuiteClient::new(
                ep.core.clone(),
                ep.tokens.clone(),
                suite_id.clone(),
                secret(state, id, "suite_secret").await?,
            );
            (Client::Suite(c), Some(TokenKey::suite(&suite_id)))
        }
        AccountKind::PayMerchant => {
            let creds = PayCredentials {
                appid: v(&stored.app_id),
                mch_id: v(&stored.mch_id),
                api_key: secret(state, id, "api_key").await?.into(),
                sign_type: match stored.sign_type.unwrap_or_default() {
                    SignType::Md5 => wechat::pay::SignType::Md5,
                    SignType::HmacSha256 => wechat::pay::SignType::HmacSha256,
                },
            };
            let c = PayClient::new(ep.core.clone(), creds);
            (Client::Pay(c), None)
        }
    };
    Ok(AccountClient {
        account_id: id,
        kind,
        environment,
        client,
        token_key,
        tokens: ep.tokens,
    })
}

/// Why a merchant's certificate cannot be used (refunds need it).
fn cert_error(message: impl Into<String>) -> AppError {
    AppError::refused("no_client_cert", message)
}

/// The Pay v2 client of merchant `id` with its API client certificate, for the calls that
/// need it (refund). Production: the stored PKCS#12 is presented over TLS. Sandbox: the
/// emulator cannot see TLS client certificates over plain HTTP, so the certificate's SHA-256
/// is sent instead (the emulator was given the same fingerprint when the account was loaded).
/// A missing or unusable certificate is a clear 409, before anything is sent to WeChat.
pub async fn pay_with_cert(state: &AppState, id: i64) -> AppResult<PayClient> {
    let acc = for_account(state, id).await?;
    let Client::Pay(c) = acc.client else {
        return Err(wrong_kind(id, "a pay merchant"));
    };
    let der = client_cert_der(state, id).await?.ok_or_else(|| {
        cert_error(
            "refunds need the merchant's API certificate (apiclient_cert.p12): upload it on the merchant account",
        )
    })?;
    match acc.environment {
        WechatEnv::Sandbox => c
            .with_emulated_client_cert(&cert_fingerprint(&der))
            .map_err(|e| cert_error(format!("the merchant certificate cannot be used: {e}"))),
        WechatEnv::Production => {
            let password = match service::reveal_secret(state, id, "client_cert_password").await? {
                Some(p) => p,
                None => c.credentials().mch_id.clone(),
            };
            c.with_pkcs12(&der, &password).map_err(|e| {
                cert_error(format!(
                    "the merchant certificate cannot be used ({e}); check its password, or convert it with `openssl pkcs12 -legacy`"
                ))
            })
        }
    }
}

/// The stored client certificate (DER), if any.
pub async fn client_cert_der(state: &AppState, id: i64) -> AppResult<Option<Vec<u8>>> {
    use base64::Engine;
    let Some(b64) = service::reveal_secret(state, id, "client_cert").await? else {
        return Ok(None);
    };
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map(Some)
        .map_err(|_| {
            cert_error("the stored merchant certificate is not valid base64: upload it again")
        })
}

/// SHA-256 (lowercase hex) of a certificate: how the emulator recognises it.
pub fn cert_fingerprint(der: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(der))
}

fn wrong_kind(id: i64, want: &str) -> AppError {
    AppError::refused("wrong_account_kind", format!("account {id} is not {want}"))
}

/// The Official Account client of account `id`.
pub async fn oa(state: &AppState, id: i64) -> AppResult<OaClient> {
    match for_account(state, id).await?.client {
        Client::Oa(c) => Ok(c),
        _ => Err(wrong_kind(id, "an official account")),
    }
}

/// The WeCom app client of account `id`.
pub async fn work(state: &AppState, id: i64) -> AppResult<WorkClient> {
    match for_account(state, id).await?.client {
        Client::Work(c) => Ok(c),
        _ => Err(wrong_kind(id, "a work app")),
    }
}

/// The contacts-sync client of WeCom app `id` (its `contacts_secret`), if one is set: the
/// directory's writes and the compliant listings. Its tokens are keyed by corp and a hash of
/// the secret, shared through the token store like the app's (one refresh at a time).
pub async fn work_contacts(state: &AppState, id: i64) -> AppResult<Option<WorkClient>> {
    let model = queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if *model.kind != AccountKind::WorkApp {
        return Err(wrong_kind(id, "a work app"));
    }
    let Some(secret) = service::reveal_secret(state, id, "contacts_secret")
        .await?
        .filter(|s| !s.is_empty())
    else {
        return Ok(None);
    };
    let stored: service::Stored =
        serde_json::from_str(&model.settings).map_err(AppError::internal)?;
    let ep = state.wechat.endpoint(*model.environment)?.clone();
    Ok(Some(WorkClient::new(
        ep.core.clone(),
        ep.tokens.clone(),
        stored.corp_id.unwrap_or_default(),
        secret,
        None,
    )))
}

/// The suite client of account `id`.
pub async fn suite(state: &AppState, id: i64) -> AppResult<SuiteClient> {
    match for_account(state, id).await?.client {
        Client::Suite(c) => Ok(c),
        _ => Err(wrong_kind(id, "a work suite")),
    }
}

/// The Pay v2 client of account `id`.
pub async fn pay(state: &AppState, id: i64) -> AppResult<PayClient> {
    match for_account(state, id).await?.client {
        Client::Pay(c) => Ok(c),
        _ => Err(wrong_kind(id, "a pay merchant")),
    }
}

/// A `wechat` error as the API's error shape (`wechat`, 502), errcode and hint in the message.
pub fn api_error(e: &wechat::Error) -> AppError {
    match e {
        wechat::Error::Wechat(w) => AppError::WechatCode {
            errcode: w.code,
            message: describe(e),
        },
        _ => AppError::Wechat(describe(e)),
    }
}

/// A one-line description of a `wechat` error (never contains secrets or tokens).
pub fn describe(e: &wechat::Error) -> String {
    match e {
        wechat::Error::Wechat(w) => match w.hint {
            Some(h) => format!("WeChat errcode {}: {} — {h}", w.code, w.msg),
            None => format!("WeChat errcode {}: {}", w.code, w.msg),
        },
        wechat::Error::Http(_) => format!("cannot reach WeChat: {e}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_never_goes_to_the_sandbox_and_back() {
        let root = "http://127.0.0.1:8080/sandbox";
        let prod = base_urls_for(WechatEnv::Production, Some(root)).unwrap();
        assert_eq!(prod, BaseUrls::production());
        for url in [
            &prod.api,
            &prod.qyapi,
            &prod.mch,
            &prod.open,
            &prod.mp,
            &prod.open_work,
        ] {
            assert!(
                url.starts_with("https://") && !url.contains("127.0.0.1"),
                "{url}"
            );
        }
        let sbx = base_urls_for(WechatEnv::Sandbox, Some(root)).unwrap();
        for url in [
            &sbx.api,
            &sbx.qyapi,
            &sbx.mch,
            &sbx.open,
            &sbx.mp,
            &sbx.open_work,
        ] {
            assert!(url.starts_with(root), "{url}");
        }
        // No sandbox running: a sandbox account gets nowhere, certainly not production.
        assert_eq!(base_urls_for(WechatEnv::Sandbox, None), None);
    }
}
