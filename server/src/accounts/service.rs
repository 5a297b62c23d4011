//! Account rules: validation, natural-key uniqueness, secret encryption, audit.

use std::collections::HashMap;

use api::{
    FieldIssue,
    accounts::{
        Account, AccountKind, AccountSettings, CreateAccountRequest, GeneratedCredentials,
        MessageMode, NewAccountSettings, OfficialAccountView, PayMerchantView, SecretView,
        SignType, UpdateAccountRequest, WechatEnv, WorkAppView, WorkSuiteView,
    },
    staff::Role,
};
use base64::Engine;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set, SqlErr, TransactionTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;

use super::queries::{self, SECRETS_TABLE};
use crate::{
    audit::{self, Actor},
    auth::CurrentUser,
    auth::passwords::random_alnum,
    entities::account,
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    vault::{Binding, Vault},
};

/// Non-secret settings, stored as JSON in `accounts.settings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// Legacy: the Token used to be stored here in clear. It is sealed in the vault now
    /// ([`seal_legacy_tokens`] moves old values at startup); never written.
    #[serde(default, skip_serializing)]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_mode: Option<MessageMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corp_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mch_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_type: Option<SignType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_corp_id: Option<String>,
    /// A WeCom app that operates a suite's authorised corp (`wecom::suite::managed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite_corp: Option<api::wecom_managed::SuiteCorpLink>,
}

/// The secret fields of each kind, as named in the API.
pub fn secret_fields(kind: AccountKind) -> &'static [&'static str] {
    match kind {
        AccountKind::OfficialAccount => &["app_secret", "token", "encoding_aes_key"],
        AccountKind::WorkApp => &["secret", "contacts_secret", "token", "encoding_aes_key"],
        AccountKind::PayMerchant => &["api_key", "client_cert", "client_cert_password"],
        AccountKind::WorkSuite => &[
            "suite_secret",
            "token",
            "encoding_aes_key",
            "provider_secret",
        ],
    }
}

/// The natural key that must be unique per kind.
pub fn lookup_key(kind: AccountKind, s: &Stored) -> String {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    match kind {
        AccountKind::OfficialAccount => v(&s.app_id),
        AccountKind::WorkApp => format!("{}:{}", v(&s.corp_id), s.agent_id.unwrap_or_default()),
        AccountKind::PayMerchant => v(&s.mch_id),
        AccountKind::WorkSuite => v(&s.suite_id),
    }
}

fn duplicate(kind: AccountKind) -> AppError {
    let what = match kind {
        AccountKind::OfficialAccount => "an official account with this app_id",
        AccountKind::WorkApp => "a work app with this corp_id and agent_id",
        AccountKind::PayMerchant => "a pay merchant with this mch_id",
        AccountKind::WorkSuite => "a work suite with this suite_id",
    };
    AppError::refused("duplicate", format!("{what} already exists"))
}

fn non_empty(o: Option<String>) -> Option<String> {
    o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Split a create request into stored settings and `(field, value)` secrets.
fn split(settings: NewAccountSettings) -> (Stored, Vec<(&'static str, String)>) {
    let mut secrets = Vec::new();
    let stored = match settings {
        NewAccountSettings::OfficialAccount(oa) => {
            secrets.push(("app_secret", oa.app_secret));
            secrets.push(("token", oa.token));
            if let Some(k) = non_empty(oa.encoding_aes_key) {
                secrets.push(("encoding_aes_key", k));
            }
            Stored {
                app_id: Some(oa.app_id),
                message_mode: Some(oa.message_mode),
                original_id: Some(oa.original_id),
                ..Default::default()
            }
        }
        NewAccountSettings::WorkApp(app) => {
            secrets.push(("secret", app.secret));
            secrets.push(("token", app.token));
            if let Some(s) = non_empty(app.contacts_secret) {
                secrets.push(("contacts_secret", s));
            }
            secrets.push(("encoding_aes_key", app.encoding_aes_key));
            Stored {
                corp_id: Some(app.corp_id),
                agent_id: Some(app.agent_id),
                ..Default::default()
            }
        }
        NewAccountSettings::PayMerchant(m) => {
            secrets.push(("api_key", m.api_key));
            if let Some(cert) = non_empty(m.client_cert_p12_base64) {
                secrets.push(("client_cert", cert));
                if let Some(p) = m.client_cert_password.filter(|p| !p.is_empty()) {
                    secrets.push(("client_cert_password", p));
                }
            }
            Stored {
                mch_id: Some(m.mch_id),
                app_id: Some(m.app_id),
                sign_type: Some(m.sign_type),
                ..Default::default()
            }
        }
        NewAccountSettings::WorkSuite(s) => {
            secrets.push(("suite_secret", s.suite_secret));
            secrets.push(("token", s.token));
            secrets.push(("encoding_aes_key", s.encoding_aes_key));
            if let Some(p) = non_empty(s.provider_secret) {
                secrets.push(("provider_secret", p));
            }
            Stored {
                suite_id: Some(s.suite_id),
                provider_corp_id: non_empty(s.provider_corp_id),
                ..Default::default()
            }
        }
    };
    (stored, secrets)
}

/// How a secret is shown in lists.
fn mask(field: &str, value: &str) -> String {
    match field {
        "client_cert" => {
            let len = base64::engine::general_purpose::STANDARD
                .decode(value.trim())
                .map_or(0, |b| b.len());
            format!("PKCS#12 · {len} bytes")
        }
        "client_cert_password" => "••••••".to_string(),
        _ => SecretView::of(value).masked,
    }
}

fn binding(account_id: i64, field: &str) -> Binding<'_> {
    Binding {
        table: SECRETS_TABLE,
        row: account_id,
        field,
    }
}

async fn store_secrets<C: sea_orm::ConnectionTrait>(
    db: &C,
    vault: &Vault,
    account_id: i64,
    secrets: &[(&'static str, String)],
) -> AppResult<()> {
    for (field, value) in secrets {
        let ciphertext = vault.encrypt(value.as_bytes(), binding(account_id, field));
        queries::put_secret(db, account_id, field, ciphertext, mask(field, value)).await?;
    }
    Ok(())
}

fn secret_view(masked: &HashMap<String, String>, field: &str) -> SecretView {
    match masked.get(field) {
        Some(m) => SecretView {
            set: true,
            masked: m.clone(),
        },
        None => SecretView::unset(),
    }
}

/// The API view of a stored account.
pub fn view(
    model: &account::Model,
    masked: &HashMap<String, String>,
    public_url: &str,
) -> AppResult<Account> {
    let kind = *model.kind;
    let s: Stored = serde_json::from_str(&model.settings).map_err(AppError::internal)?;
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let settings = match kind {
        AccountKind::OfficialAccount => AccountSettings::OfficialAccount(OfficialAccountView {
            app_id: v(&s.app_id),
            app_secret: secret_view(masked, "app_secret"),
            token: secret_view(masked, "token"),
            encoding_aes_key: secret_view(masked, "encoding_aes_key"),
            message_mode: s.message_mode.unwrap_or_default(),
            original_id: v(&s.original_id),
        }),
        AccountKind::WorkApp => AccountSettings::WorkApp(WorkAppView {
            corp_id: v(&s.corp_id),
            agent_id: s.agent_id.unwrap_or_default(),
            secret: secret_view(masked, "secret"),
            contacts_secret: secret_view(masked, "contacts_secret"),
            token: secret_view(masked, "token"),
            encoding_aes_key: secret_view(masked, "encoding_aes_key"),
            suite_corp: s.suite_corp,
        }),
        AccountKind::PayMerchant => AccountSettings::PayMerchant(PayMerchantView {
            mch_id: v(&s.mch_id),
            app_id: v(&s.app_id),
            api_key: secret_view(masked, "api_key"),
            sign_type: s.sign_type.unwrap_or_default(),
            client_cert: secret_view(masked, "client_cert"),
        }),
        AccountKind::WorkSuite => AccountSettings::WorkSuite(WorkSuiteView {
            suite_id: v(&s.suite_id),
            suite_secret: secret_view(masked, "suite_secret"),
            token: secret_view(masked, "token"),
            encoding_aes_key: secret_view(masked, "encoding_aes_key"),
            provider_corp_id: s.provider_corp_id.clone(),
            provider_secret: secret_view(masked, "provider_secret"),
        }),
    };
    Ok(Account {
        id: model.id,
        name: model.name.clone(),
        kind,
        environment: *model.environment,
        callback_url: kind
            .has_callback()
            .then(|| format!("{public_url}/wx/{}", model.id)),
        created_at: rfc3339(model.created_at),
        updated_at: rfc3339(model.updated_at),
        settings,
    })
}

pub async fn get(state: &AppState, id: i64) -> AppResult<Account> {
    let model = queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let masked = queries::masked_secrets(&state.db, &[id]).await?;
    view(
        &model,
        masked.get(&id).unwrap_or(&HashMap::new()),
        &state.settings.public_url,
    )
}

pub async fn list(
    state: &AppState,
    kind: Option<AccountKind>,
    q: Option<&str>,
) -> AppResult<Vec<Account>> {
    let models = queries::list(&state.db, kind, q).await?;
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let masked = queries::masked_secrets(&state.db, &ids).await?;
    let empty = HashMap::new();
    models
        .iter()
        .map(|m| {
            view(
                m,
                masked.get(&m.id).unwrap_or(&empty),
                &state.settings.public_url,
            )
        })
        .collect()
}

/// An admin reveals a Token or EncodingAESKey to paste it into WeChat's console (audited).
pub async fn reveal_for_admin(
    state: &AppState,
    actor: &Actor,
    id: i64,
    field: &str,
) -> AppResult<String> {
    let model = queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !api::accounts::REVEALABLE_SECRETS.contains(&field)
        || !secret_fields(*model.kind).contains(&field)
    {
        return Err(AppError::Validation(vec![FieldIssue {
            field: "field".into(),
            code: api::validate::Rule::NotForKind.code().into(),
            message: format!("{field:?} cannot be revealed for this account"),
        }]));
    }
    let value = reveal_secret(state, id, field)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = state.db.begin().await?;
    audit::record(
        &txn,
        actor,
        "account.secret_reveal",
        "account",
        Some(id),
        format!("revealed the {field} of account {}", model.name),
        json!({"field": field}),
    )
    .await?;
    txn.commit().await?;
    Ok(value)
}

/// Moves Tokens stored in clear by earlier versions into the vault (idempotent; at startup,
/// before the callback endpoints serve). Each account in its own transaction.
pub async fn seal_legacy_tokens(state: &AppState) -> AppResult<usize> {
    let mut sealed = 0;
    for model in account::Entity::find().all(&state.db).await? {
        let mut stored: Stored =
            serde_json::from_str(&model.settings).map_err(AppError::internal)?;
        let Some(token) = stored.token.take() else {
            continue;
        };
        let txn = state.db.begin().await?;
        if reveal_secret(state, model.id, "token").await?.is_none() {
            store_secrets(&txn, &state.vault, model.id, &[("token", token)]).await?;
        }
        let mut active = model.clone().into_active_model();
        active.settings = Set(serde_json::to_string(&stored).map_err(AppError::internal)?);
        active.update(&txn).await?;
        crate::callback::config::bump(&txn).await?;
        txn.commit().await?;
        sealed += 1;
    }
    Ok(sealed)
}

/// The clear value of one secret, for the parts of the server that talk to WeChat.
pub async fn reveal_secret(
    state: &AppState,
    account_id: i64,
    field: &str,
) -> AppResult<Option<String>> {
    let row = crate::entities::account_secret::Entity::find_by_id((account_id, field.to_string()))
        .one(&state.db)
        .await?;
    match row {
        Some(row) => state
            .vault
            .decrypt_string(&row.ciphertext, binding(account_id, field))
            .map(Some)
            .map_err(AppError::internal),
        None => Ok(None),
    }
}

fn unique_violation(kind: AccountKind) -> impl Fn(sea_orm::DbErr) -> AppError {
    move |e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => duplicate(kind),
        _ => AppError::Database(e),
    }
}

/// `environment_given`: whether the request named an environment; if not, `--sandbox`
/// makes new accounts sandbox accounts.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    req: CreateAccountRequest,
    environment_given: bool,
) -> AppResult<Account> {
    let issues = req.validate();
    if !issues.is_empty() {
        return Err(issues.into());
    }
    let kind = req.settings.kind();
    let environment = if environment_given || !state.settings.sandbox {
        req.environment
    } else {
        WechatEnv::Sandbox
    };
    let name = req.name.trim().to_string();
    let (stored, secrets) = split(req.settings);
    let key = lookup_key(kind, &stored);
    if queries::lookup_key_taken(&state.db, kind, &key, None).await? {
        return Err(duplicate(kind));
    }
    let now = OffsetDateTime::now_utc();
    let txn = state.db.begin().await?;
    let inserted = account::Entity::insert(account::ActiveModel {
        kind: Set(kind.into()),
        name: Set(name.clone()),
        environment: Set(environment.into()),
        lookup_key: Set(key),
        settings: Set(serde_json::to_string(&stored).map_err(AppError::internal)?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await
    .map_err(unique_violation(kind))?;
    let id = inserted.last_insert_id;
    // A callback may have found no account under this id before: it must look again.
    crate::callback::config::bump(&txn).await?;
    store_secrets(&txn, &state.vault, id, &secrets).await?;
    let secret_names: Vec<&str> = secrets.iter().map(|(f, _)| *f).collect();
    audit::record(
        &txn,
        actor,
        "account.create",
        "account",
        Some(id),
        format!("created {} account {name}", kind.as_str()),
        json!({"kind": kind.as_str(), "environment": environment, "secrets_set": secret_names}),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(account_id = id, kind = kind.as_str(), "account created");
    get(state, id).await
}

/// The secrets a PATCH sets, with their API field names mapped to stored names.
fn patch_secrets(req: &UpdateAccountRequest) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut push = |field: &'static str, v: &Option<String>| {
        if let Some(v) = v {
            out.push((field, v.trim().to_string()));
        }
    };
    push("app_secret", &req.app_secret);
    push("token", &req.token);
    push("encoding_aes_key", &req.encoding_aes_key);
    push("secret", &req.secret);
    push("contacts_secret", &req.contacts_secret);
    push("api_key", &req.api_key);
    push("client_cert", &req.client_cert_p12_base64);
    push("client_cert_password", &req.client_cert_password);
    push("suite_secret", &req.suite_secret);
    push("provider_secret", &req.provider_secret);
    out
}

/// How much a message mode protects: a lower value accepts what a higher one refuses.
fn mode_strength(mode: MessageMode) -> u8 {
    match mode {
        MessageMode::Plain => 0,
        MessageMode::Compatible => 1,
        MessageMode::Safe => 2,
    }
}

/// Changes that weaken an account's protection or move it between WeChat and the sandbox:
/// admin only, like replacing a secret (a viewer who learned the Token could forge plain-mode
/// pushes once an operator lowered the mode).
fn security_change(
    model: &account::Model,
    stored: &Stored,
    req: &UpdateAccountRequest,
) -> Option<&'static str> {
    if req.environment.is_some_and(|env| model.environment != env) {
        return Some("switching between WeChat and the sandbox");
    }
    if req
        .message_mode
        .is_some_and(|m| mode_strength(m) < mode_strength(stored.message_mode.unwrap_or_default()))
    {
        return Some("lowering the message encryption mode");
    }
    if req.sign_type == Some(SignType::Md5) && stored.sign_type.unwrap_or_default() != SignType::Md5
    {
        return Some("downgrading the pay signature to MD5");
    }
    None
}

/// The shared token store's keys of tokens (and their tickets) fetched with a secret that
/// `secrets` replaces: the app secret of an Official Account or a WeCom app, a WeCom app's
/// contacts secret (keyed by a hash of the old one).
async fn stale_token_keys(
    state: &AppState,
    model: &account::Model,
    secrets: &[(&'static str, String)],
) -> AppResult<Vec<wechat::token::TokenKey>> {
    use wechat::token::TokenKey;
    let replaces = |f: &str| secrets.iter().any(|(n, _)| *n == f);
    let old: Stored = serde_json::from_str(&model.settings).map_err(AppError::internal)?;
    let mut keys = Vec::new();
    match *model.kind {
        AccountKind::OfficialAccount if replaces("app_secret") => {
            if let Some(appid) = old.app_id.as_deref() {
                keys.push(TokenKey::oa(appid));
                keys.push(TokenKey::oa_jsapi_ticket(appid));
            }
        }
        AccountKind::WorkApp => {
            let corp = old.corp_id.clone().unwrap_or_default();
            let mut with_tickets = |k: TokenKey| {
                keys.push(TokenKey::work_jsapi_ticket(&k));
                keys.push(TokenKey::work_agent_ticket(&k));
                keys.push(k);
            };
            if replaces("secret")
                && let Some(agent) = old.agent_id
            {
                with_tickets(TokenKey::work_agent(&corp, agent));
            }
            if replaces("contacts_secret")
                && let Some(s) = reveal_secret(state, model.id, "contacts_secret").await?
            {
                with_tickets(TokenKey::work_secret(&corp, &s));
            }
        }
        _ => {}
    }
    Ok(keys)
}

pub async fn update(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    req: UpdateAccountRequest,
) -> AppResult<Account> {
    let model = queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let kind = *model.kind;
    let secrets = patch_secrets(&req);
    // A corp operated through a suite uses the suite's token and the corp's permanent code;
    // a secret stored on it would never be used (nor its Token/EncodingAESKey: its messages
    // arrive at the suite's data URL).
    if !secrets.is_empty() && crate::wecom::suite::managed::link_of(&model).is_some() {
        return Err(AppError::refused(
            "managed_account_secret",
            "this account operates a corp through a suite: it has no secret of its own (its access is the suite's token and the corp's permanent code)",
        ));
    }
    if !secrets.is_empty() && !user.role.allows(Role::Admin) {
        return Err(AppError::Forbidden(
            "replacing a secret needs the admin role".into(),
        ));
    }
    let mut stored: Stored = serde_json::from_str(&model.settings).map_err(AppError::internal)?;
    if let Some(what) = security_change(&model, &stored, &req)
        && !user.role.allows(Role::Admin)
    {
        return Err(AppError::Forbidden(format!("{what} needs the admin role")));
    }
    let issues = req.validate(kind);
    if !issues.is_empty() {
        return Err(issues.into());
    }
    let mut changed: Vec<&'static str> = Vec::new();
    macro_rules! apply {
        ($field:ident) => {
            if let Some(v) = req.$field.clone() {
                if stored.$field.as_ref() != Some(&v) {
                    stored.$field = Some(v);
                    changed.push(stringify!($field));
                }
            }
        };
    }
    apply!(app_id);
    apply!(message_mode);
    apply!(original_id);
    apply!(corp_id);
    apply!(agent_id);
    apply!(mch_id);
    apply!(sign_type);
    apply!(suite_id);
    apply!(provider_corp_id);
    let mut active = model.clone().into_active_model();
    if let Some(name) = req.name.as_deref().map(str::trim)
        && name != model.name
    {
        active.name = Set(name.to_string());
        changed.push("name");
    }
    if let Some(env) = req.environment
        && model.environment != env
    {
        active.environment = Set(env.into());
        changed.push("environment");
    }
    if kind == AccountKind::OfficialAccount
        && stored.message_mode.unwrap_or_default() != MessageMode::Plain
        && req.encoding_aes_key.is_none()
    {
        let masked = queries::masked_secrets(&state.db, &[id]).await?;
        let has_key = masked
            .get(&id)
            .is_some_and(|m| m.contains_key("encoding_aes_key"));
        if !has_key {
            return Err(AppError::Validation(vec![FieldIssue {
                field: "encoding_aes_key".into(),
                code: api::validate::Rule::Required.code().into(),
                message: "Required unless message_mode is plain".into(),
            }]));
        }
    }
    if changed.is_empty() && secrets.is_empty() {
        return get(state, id).await;
    }
    // A managed corp's account keeps its natural key (`suite-corp:{row}`): 管理 finds it by it.
    let key = if crate::wecom::suite::managed::link_of(&model).is_some() {
        model.lookup_key.clone()
    } else {
        lookup_key(kind, &stored)
    };
    if key != model.lookup_key && queries::lookup_key_taken(&state.db, kind, &key, Some(id)).await?
    {
        return Err(duplicate(kind));
    }
    active.lookup_key = Set(key);
    active.settings = Set(serde_json::to_string(&stored).map_err(AppError::internal)?);
    active.updated_at = Set(OffsetDateTime::now_utc());
    let actor = user.actor();
    // Tokens fetched with a secret being replaced are dropped with it (below, in the same
    // transaction): the next call fetches with the new secret instead of using a token of the
    // old one until it expires.
    let stale_tokens = stale_token_keys(state, &model, &secrets).await?;
    let txn = state.db.begin().await?;
    active.update(&txn).await.map_err(unique_violation(kind))?;
    crate::callback::config::bump(&txn).await?;
    store_secrets(&txn, &state.vault, id, &secrets).await?;
    crate::wechat_clients::token_store::forget(&txn, model.environment.as_str(), &stale_tokens)
        .await?;
    let cert_replaced = secrets.iter().any(|(f, _)| *f == "client_cert");
    let password_given = secrets.iter().any(|(f, _)| *f == "client_cert_password");
    if cert_replaced && !password_given {
        // A new certificate without a password uses the default (the mch_id).
        queries::delete_secret(&txn, id, "client_cert_password").await?;
    }
    if !changed.is_empty() {
        audit::record(
            &txn,
            &actor,
            "account.update",
            "account",
            Some(id),
            format!("updated account {}: {}", model.name, changed.join(", ")),
            json!({"changed": changed}),
        )
        .await?;
    }
    if !secrets.is_empty() {
        let names: Vec<&str> = secrets.iter().map(|(f, _)| *f).collect();
        audit::record(
            &txn,
            &actor,
            "account.secret_replace",
            "account",
            Some(id),
            format!(
                "replaced secrets of account {}: {}",
                model.name,
                names.join(", ")
            ),
            json!({"secrets_replaced": names}),
        )
        .await?;
    }
    txn.commit().await?;
    get(state, id).await
}

/// Deletes an account and everything stored for it (admin only). A merchant with paid orders is
/// refused: orders are the books (refunds, reconciliation, disputes) and must outlive staff
/// mistakes.
pub async fn delete(state: &AppState, actor: &Actor, id: i64) -> AppResult<()> {
    let model = queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let orders = queries::pay_order_count(&state.db, id).await?;
    if orders > 0 {
        return Err(AppError::refused(
            "merchant_has_orders",
            format!(
                "this merchant has {orders} paid orders; they are kept for refunds and reconciliation, so the merchant cannot be deleted"
            ),
        ));
    }
    let txn = state.db.begin().await?;
    queries::delete_account(&txn, id).await?;
    audit::record(
        &txn,
        actor,
        "account.delete",
        "account",
        Some(id),
        format!("deleted {} account {}", model.kind.as_str(), model.name),
        json!({"kind": model.kind.as_str(), "name": model.name}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A random Token (32 alphanumerics) and EncodingAESKey (43 alphanumerics), like WeChat's console.
pub fn generate_credentials() -> GeneratedCredentials {
    GeneratedCredentials {
        token: random_alnum(32),
        encoding_aes_key: random_alnum(43),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_credentials_pass_validation() {
        let c = generate_credentials();
        assert_eq!(api::validate::token(&c.token), Ok(()));
        assert_eq!(api::validate::encoding_aes_key(&c.encoding_aes_key), Ok(()));
        assert_ne!(c.token, generate_credentials().token);
    }

    #[test]
    fn secrets_are_masked() {
        assert_eq!(
            mask("app_secret", "abcdefghijklmnopqrstuvwxyz012345"),
            "ab••••••45"
        );
        assert_eq!(mask("client_cert", "aGVsbG8="), "PKCS#12 · 5 bytes");
    }
}
