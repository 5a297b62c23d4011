//! Demo accounts, created once on the first start with `--sandbox`: an Official Account (safe
//! mode), a WeCom app, a Pay merchant bound to the Official Account, and a WeCom suite — all
//! `environment = sandbox`, created through the accounts service (audited as `system`), with
//! fresh WeChat-shaped credentials. `sandbox_demo` records each one so a later start (or
//! another instance) never creates it again, even after staff deleted it.

use api::accounts::{
    AccountKind, CreateAccountRequest, MessageMode, NewAccountSettings, NewOfficialAccount,
    NewPayMerchant, NewWorkApp, NewWorkSuite, SignType, WechatEnv,
};
use rand::Rng;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use crate::{
    audit::Actor,
    auth::passwords::random_alnum,
    entities::sandbox_demo,
    error::{AppError, AppResult},
    state::AppState,
};

fn hex(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
        .collect()
}

fn digits(n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| char::from(b"0123456789"[rng.random_range(0..10)]))
        .collect()
}

/// Claims demo `name` (false if it was already claimed, by this or another instance).
async fn claim(state: &AppState, name: &str) -> AppResult<bool> {
    let res = sandbox_demo::Entity::insert(sandbox_demo::ActiveModel {
        name: Set(name.to_string()),
        account_id: Set(None),
        created_at: Set(time::OffsetDateTime::now_utc().unix_timestamp()),
    })
    .exec_without_returning(&state.db)
    .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if e.sql_err().is_some() => Ok(false),
        Err(e) => Err(AppError::Database(e)),
    }
}

async fn record(state: &AppState, name: &str, account_id: i64) -> AppResult<()> {
    if let Some(row) = sandbox_demo::Entity::find_by_id(name.to_string())
        .one(&state.db)
        .await?
    {
        let mut row = row.into_active_model();
        row.account_id = Set(Some(account_id));
        row.update(&state.db).await?;
    }
    Ok(())
}

/// The demo account ids recorded so far (kind name → id).
pub async fn recorded(state: &AppState) -> AppResult<Vec<(String, Option<i64>)>> {
    Ok(sandbox_demo::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.name, r.account_id))
        .collect())
}

fn request(kind: AccountKind, oa_app_id: &str) -> CreateAccountRequest {
    let (name, settings) = match kind {
        AccountKind::OfficialAccount => (
            "演示公众号 Demo OA",
            NewAccountSettings::OfficialAccount(NewOfficialAccount {
                app_id: oa_app_id.to_string(),
                app_secret: hex(32),
                token: random_alnum(32),
                encoding_aes_key: Some(random_alnum(43)),
                message_mode: MessageMode::Safe,
                original_id: format!("gh_{}", hex(12)),
            }),
        ),
        AccountKind::WorkApp => (
            "演示企业微信应用 Demo WeCom app",
            NewAccountSettings::WorkApp(NewWorkApp {
                corp_id: format!("ww{}", hex(16)),
                agent_id: 1_000_002,
                secret: random_alnum(43),
                contacts_secret: Some(random_alnum(43)),
                token: random_alnum(32),
                encoding_aes_key: random_alnum(43),
            }),
        ),
        AccountKind::PayMerchant => (
            "演示商户 Demo merchant",
            NewAccountSettings::PayMerchant(NewPayMerchant {
                mch_id: format!("19{}", digits(8)),
                app_id: oa_app_id.to_string(),
                api_key: random_alnum(32),
                sign_type: SignType::HmacSha256,
                // The emulator knows a certificate by its fingerprint (it cannot see TLS client
                // certificates over plain HTTP), so random bytes stand in for apiclient_cert.p12
                // and refunds work in the sandbox.
                client_cert_p12_base64: Some(demo_certificate()),
                client_cert_password: None,
            }),
        ),
        AccountKind::WorkSuite => (
            "演示第三方应用 Demo suite",
            NewAccountSettings::WorkSuite(NewWorkSuite {
                suite_id: format!("ww{}", hex(16)),
                suite_secret: random_alnum(43),
                token: random_alnum(32),
                encoding_aes_key: random_alnum(43),
                // The emulator's provider: the login page and its `get_login_info` work too.
                provider_corp_id: Some(format!("ww{}", hex(16))),
                provider_secret: Some(random_alnum(43)),
            }),
        ),
    };
    CreateAccountRequest {
        name: name.to_string(),
        environment: WechatEnv::Sandbox,
        settings,
    }
}

fn demo_certificate() -> String {
    use base64::Engine;
    let bytes: Vec<u8> = (0..64).map(|_| rand::random::<u8>()).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The demo merchant's products (name, description, price in fen).
pub const DEMO_PRODUCTS: [(&str, &str, i64); 3] = [
    ("拿铁咖啡 Latte", "中杯 · medium", 1800),
    ("会员月卡 Monthly membership", "30 天 · 30 days", 2990),
    ("测试商品 Test item", "一分钱 · one fen", 1),
];

/// Creates the demo accounts not created before. Returns the ids created now.
pub async fn ensure(state: &AppState) -> AppResult<Vec<i64>> {
    let actor = Actor::system();
    // The merchant is bound to the demo OA's appid.
    let oa_app_id = format!("wx{}", hex(16));
    let mut created = Vec::new();
    for kind in AccountKind::ALL {
        let name = kind.as_str();
        if !claim(state, name).await? {
            continue;
        }
        let account =
            super::super::accounts::service::create(state, &actor, request(kind, &oa_app_id), true)
                .await?;
        record(state, name, account.id).await?;
        if kind == AccountKind::PayMerchant {
            for (name, description, price) in DEMO_PRODUCTS {
                crate::pay::products::insert(&state.db, account.id, name, description, price, true)
                    .await?;
            }
        }
        tracing::info!(
            account_id = account.id,
            kind = name,
            "sandbox demo account created"
        );
        created.push(account.id);
    }
    Ok(created)
}
