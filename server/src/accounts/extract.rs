//! Typed access to the account named by a route's `{id}`: a handler asks for the kinds it
//! serves (`OfficialAccount`, `PayMerchant`, …) and never sees another kind.
//!
//! A missing account and an account of another kind are both a 404, like an unknown URL: a
//! merchant has no menu, the same as a deleted account has none. Only `{id}` is read (through
//! [`RawPathParams`]), so a route with more parameters keeps its own `Path<(i64, …)>`.

use api::accounts::AccountKind;
use axum::{
    extract::{FromRequestParts, RawPathParams},
    http::request::Parts,
};

use super::queries;
use crate::{entities::account, error::AppError, state::AppState};

/// The account `{id}` names, if it exists and `admits` its kind.
async fn load(
    parts: &mut Parts,
    state: &AppState,
    admits: fn(AccountKind) -> bool,
) -> Result<account::Model, AppError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::NotFound)?;
    let id: i64 = params
        .iter()
        .find(|(name, _)| *name == "id")
        .and_then(|(_, value)| value.parse().ok())
        .ok_or(AppError::NotFound)?;
    let model = queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if admits(*model.kind) {
        Ok(model)
    } else {
        Err(AppError::NotFound)
    }
}

/// Declares an extractor holding the account of the kinds `admits` accepts.
macro_rules! account_extractor {
    ($(#[$doc:meta])* $name:ident, $admits:expr) => {
        $(#[$doc])*
        pub struct $name(pub account::Model);

        impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, Self::Rejection> {
                load(parts, state, $admits).await.map($name)
            }
        }
    };
}

account_extractor!(
    /// An account of any kind.
    AnyAccount,
    |_| true
);

account_extractor!(
    /// An Official Account: menus, followers, materials and drafts exist only there.
    OfficialAccount,
    |kind| kind == AccountKind::OfficialAccount
);

account_extractor!(
    /// A WeCom self-built app (one agentid): its contacts (通讯录), app messages and app menus.
    WorkApp,
    |kind| kind == AccountKind::WorkApp
);

account_extractor!(
    /// A WeCom third-party suite (第三方应用): its installs and authorised corps.
    SuiteAccount,
    |kind| kind == AccountKind::WorkSuite
);

account_extractor!(
    /// An account people message: an Official Account or a WeCom app (reply rules, messages).
    MessagingAccount,
    |kind| matches!(kind, AccountKind::OfficialAccount | AccountKind::WorkApp)
);

account_extractor!(
    /// An account WeChat calls back (everything but a pay merchant): its deliveries.
    CallbackAccount,
    AccountKind::has_callback
);

account_extractor!(
    /// A WeChat Pay merchant, for the staff pay API (`/api/pay/merchants/{id}/…`).
    PayMerchant,
    |kind| kind == AccountKind::PayMerchant
);

account_extractor!(
    /// An account with a custom menu: an Official Account or a WeCom app (per agentid).
    MenuAccount,
    |kind| matches!(kind, AccountKind::OfficialAccount | AccountKind::WorkApp)
);
