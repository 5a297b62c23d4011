//! A pay merchant account as the pay module needs it: ids, sign type and the API key.

use api::accounts::{AccountKind, WechatEnv};
use wechat::pay::SignType;

use crate::{
    accounts::{queries, service},
    error::{AppError, AppResult},
    state::AppState,
};

/// A merchant with its revealed API key. Deliberately not `Debug`: the key must never be logged.
pub struct Merchant {
    pub id: i64,
    /// The account's name, shown to payers on the product page.
    pub name: String,
    pub app_id: String,
    pub mch_id: String,
    pub api_key: String,
    /// The sign type configured for the merchant (used for new orders).
    pub sign_type: SignType,
    pub environment: WechatEnv,
}

/// Maps the API's sign type to the protocol's.
pub fn sign_type_of(s: api::accounts::SignType) -> SignType {
    match s {
        api::accounts::SignType::Md5 => SignType::Md5,
        api::accounts::SignType::HmacSha256 => SignType::HmacSha256,
    }
}

/// The merchant `id`, or `None` if there is no such account or it is not a pay merchant.
pub async fn find(state: &AppState, id: i64) -> AppResult<Option<Merchant>> {
    let Some(model) = queries::find(&state.db, id).await? else {
        return Ok(None);
    };
    if model.kind != AccountKind::PayMerchant {
        return Ok(None);
    }
    let stored: service::Stored =
        serde_json::from_str(&model.settings).map_err(AppError::internal)?;
    let Some(api_key) = service::reveal_secret(state, id, "api_key").await? else {
        return Ok(None);
    };
    Ok(Some(Merchant {
        id,
        name: model.name,
        app_id: stored.app_id.unwrap_or_default(),
        mch_id: stored.mch_id.unwrap_or_default(),
        api_key,
        sign_type: sign_type_of(stored.sign_type.unwrap_or_default()),
        environment: *model.environment,
    }))
}

/// Like [`find`], for staff routes: 404 when `id` is not a pay merchant.
pub async fn require(state: &AppState, id: i64) -> AppResult<Merchant> {
    find(state, id).await?.ok_or(AppError::NotFound)
}
