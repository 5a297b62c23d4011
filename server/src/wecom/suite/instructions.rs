//! A WeCom suite's instructions, pushed to its instruction URL (`POST /wx/{account_id}` of a
//! `work_suite` account): acted on by the callback gateway, which answers `success` only after
//! this returns and records the returned note as the delivery's diagnosis. An error answers
//! WeChat with a failure, so it pushes the instruction again: an install is never acknowledged
//! before its corp is stored. Instructions are not messages: they are not stored in
//! `inbound_messages` nor de-duplicated; acting on one twice is harmless (see [`super::corps`]).

use api::wecom_suite::InstallOrigin;
use wechat::message::{SuiteInfo, SuiteInstruction};

use super::corps::{self, Completed};
use crate::{
    accounts::queries, audit::service::Actor, error::AppError, error::AppResult, state::AppState,
    wechat_clients,
};

/// Acts on one suite instruction of suite `account_id`; returns the note for the inspector.
pub async fn apply(
    state: &AppState,
    account_id: i64,
    instruction: &SuiteInstruction,
    xml: &str,
) -> AppResult<String> {
    Ok(match &instruction.info {
        SuiteInfo::SuiteTicket { suite_ticket } => {
            let client = wechat_clients::suite(state, account_id).await?;
            client
                .set_suite_ticket(suite_ticket)
                .await
                .map_err(|e| wechat_clients::api_error(&e))?;
            "suite_ticket stored (the suite client reads it for the suite token)".into()
        }
        SuiteInfo::CreateAuth {
            auth_code,
            state: link_state,
        } => {
            // The provider's install link always carries a state; an install from WeCom's app
            // market (线上自助注册授权) brings none.
            let origin = if link_state.as_deref().is_some_and(|s| !s.is_empty()) {
                InstallOrigin::ProviderLink
            } else {
                InstallOrigin::Market
            };
            install(state, account_id, auth_code, "create_auth", Some(origin)).await?
        }
        SuiteInfo::ResetPermanentCode { auth_code } => {
            install(state, account_id, auth_code, "reset_permanent_code", None).await?
        }
        SuiteInfo::ChangeAuth { auth_corp_id, .. } => {
            let account = account(state, account_id).await?;
            match corps::find(state, account_id, auth_corp_id).await? {
                Some(row) => {
                    corps::refresh(state, &account, &row, &Actor::system()).await?;
                    format!("change_auth of corp {auth_corp_id}: apps and privileges refreshed")
                }
                None => format!(
                    "change_auth of corp {auth_corp_id}, which never authorised this suite here: ignored"
                ),
            }
        }
        SuiteInfo::CancelAuth { auth_corp_id } => {
            let account = account(state, account_id).await?;
            if corps::revoke(state, &account, auth_corp_id).await? {
                format!("cancel_auth of corp {auth_corp_id}: marked revoked, its token dropped")
            } else {
                format!("cancel_auth of corp {auth_corp_id}: not active here, nothing to do")
            }
        }
        SuiteInfo::ChangeContact {
            auth_corp_id,
            change,
        } => {
            crate::wecom::contacts::record(&state.db, account_id, None, change, xml).await?;
            format!("change_contact of corp {auth_corp_id} stored for the contacts feature")
        }
        _ => "suite instruction acknowledged (not acted on here)".into(),
    })
}

async fn account(state: &AppState, id: i64) -> AppResult<crate::entities::account::Model> {
    queries::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn install(
    state: &AppState,
    account_id: i64,
    auth_code: &str,
    via: &str,
    origin: Option<InstallOrigin>,
) -> AppResult<String> {
    let account = account(state, account_id).await?;
    Ok(
        match corps::complete(state, &account, auth_code, &Actor::system(), via, origin).await? {
            Completed::Installed(c) => {
                let from = match origin {
                    Some(InstallOrigin::Market) => " from WeCom's app market",
                    _ => "",
                };
                format!(
                    "{via}: corp {} installed{from}, permanent code stored",
                    c.corpid
                )
            }
            Completed::TakenElsewhere(_) => {
                format!("{via}: the install page took this auth code; nothing more to do")
            }
        },
    )
}
