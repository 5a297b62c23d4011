//! Customer-service accounts: WeChat keeps them, so every read asks WeChat and every change is
//! made there (then read back). Field rules from `api::kf` are checked before calling.

use api::kf::{
    CreateKfAccount, InviteKfWorker, KfAccount, UpdateKfAccount, check_account, check_nickname,
    check_wechat_id,
};
use serde_json::json;
use time::OffsetDateTime;
use wechat::client::UploadFile;
use wechat::client::oa::{KfAccount as WxKf, KfOnline};

use crate::{
    audit::{self, Actor},
    error::{AppError, AppResult, field_error},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// Longest avatar (WeChat's image limit).
pub const MAX_AVATAR: usize = 1 << 20;

fn view(k: WxKf, online: &[KfOnline]) -> KfAccount {
    let on = online
        .iter()
        .find(|o| o.kf_account == k.kf_account && o.status != 0);
    KfAccount {
        nickname: k.kf_nick,
        kf_id: k.kf_id,
        has_avatar: !k.kf_headimgurl.is_empty(),
        bound_wx: k.kf_wx.filter(|w| !w.is_empty()),
        invite_wx: k.invite_wx.filter(|w| !w.is_empty()),
        invite_expires_at: k
            .invite_expire_time
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
            .map(rfc3339),
        invite_status: k.invite_status,
        online: on.is_some(),
        accepted_case: on.map(|o| o.accepted_case).unwrap_or(0),
        kf_account: k.kf_account,
    }
}

pub async fn list(state: &AppState, account_id: i64) -> AppResult<Vec<KfAccount>> {
    let client = wechat_clients::oa(state, account_id).await?;
    let accounts = client
        .kf_list()
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    // Online state is secondary: the list still shows when only it fails.
    let online = client.kf_online_list().await.unwrap_or_default();
    Ok(accounts.into_iter().map(|k| view(k, &online)).collect())
}

/// The account as WeChat now lists it.
async fn one(state: &AppState, account_id: i64, kf_account: &str) -> AppResult<KfAccount> {
    list(state, account_id)
        .await?
        .into_iter()
        .find(|k| k.kf_account == kf_account)
        .ok_or(AppError::NotFound)
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: CreateKfAccount,
) -> AppResult<KfAccount> {
    let kf_account = input.kf_account.trim().to_string();
    check_account(&kf_account).map_err(|r| field_error("kf_account", r))?;
    check_nickname(&input.nickname).map_err(|r| field_error("nickname", r))?;
    let client = wechat_clients::oa(state, account_id).await?;
    client
        .kf_add(&kf_account, input.nickname.trim())
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    audit::record(
        &state.db,
        actor,
        "kf.create",
        "account",
        Some(account_id),
        format!("added customer-service account {kf_account}"),
        json!({"kf_account": kf_account}),
    )
    .await?;
    one(state, account_id, &kf_account).await
}

pub async fn update(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    kf_account: &str,
    input: UpdateKfAccount,
) -> AppResult<KfAccount> {
    check_nickname(&input.nickname).map_err(|r| field_error("nickname", r))?;
    let client = wechat_clients::oa(state, account_id).await?;
    client
        .kf_update(kf_account, input.nickname.trim())
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    audit::record(
        &state.db,
        actor,
        "kf.update",
        "account",
        Some(account_id),
        format!("renamed customer-service account {kf_account}"),
        json!({"kf_account": kf_account}),
    )
    .await?;
    one(state, account_id, kf_account).await
}

pub async fn delete(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    kf_account: &str,
) -> AppResult<()> {
    let client = wechat_clients::oa(state, account_id).await?;
    client
        .kf_delete(kf_account)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    audit::record(
        &state.db,
        actor,
        "kf.delete",
        "account",
        Some(account_id),
        format!("deleted customer-service account {kf_account}"),
        json!({"kf_account": kf_account}),
    )
    .await
}

pub async fn invite(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    kf_account: &str,
    input: InviteKfWorker,
) -> AppResult<KfAccount> {
    let wx = input.invite_wx.trim().to_string();
    check_wechat_id(&wx).map_err(|r| field_error("invite_wx", r))?;
    let client = wechat_clients::oa(state, account_id).await?;
    client
        .kf_invite(kf_account, &wx)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    audit::record(
        &state.db,
        actor,
        "kf.invite",
        "account",
        Some(account_id),
        format!("invited a WeChat user to bind to {kf_account}"),
        json!({"kf_account": kf_account}),
    )
    .await?;
    one(state, account_id, kf_account).await
}

pub async fn avatar(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    kf_account: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> AppResult<KfAccount> {
    // The type comes from the bytes, not the name.
    let (ct, ext) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ("image/png", "png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        ("image/jpeg", "jpg")
    } else {
        return Err(AppError::Validation(vec![api::FieldIssue {
            field: "file".into(),
            code: "file_type".into(),
            message: format!("{file_name:?} is not a JPG or PNG image"),
        }]));
    };
    if bytes.len() > MAX_AVATAR {
        return Err(field_error(
            "file",
            api::validate::Rule::FileTooLarge {
                max_bytes: MAX_AVATAR,
            },
        ));
    }
    let client = wechat_clients::oa(state, account_id).await?;
    let file = UploadFile::from_bytes(format!("avatar.{ext}"), ct, bytes);
    client
        .kf_upload_headimg(kf_account, &file)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    audit::record(
        &state.db,
        actor,
        "kf.avatar",
        "account",
        Some(account_id),
        format!("uploaded the avatar of {kf_account}"),
        json!({"kf_account": kf_account}),
    )
    .await?;
    one(state, account_id, kf_account).await
}

/// Whether `kf_account` is one of the account's customer-service accounts (for staff replies).
pub async fn exists(state: &AppState, account_id: i64, kf_account: &str) -> AppResult<bool> {
    check_account(kf_account).map_err(|r| field_error("kf_account", r))?;
    Ok(list(state, account_id)
        .await?
        .iter()
        .any(|k| k.kf_account == kf_account))
}
