//! A WeCom suite's instructions, pushed to its instruction URL (`POST /wx/{account_id}` of a
//! `work_suite` account): acted on by the callback gateway, which answers `success` and records
//! the returned note as the delivery's diagnosis. Instructions are not messages: they are not
//! stored in `inbound_messages` nor de-duplicated, so a repeated instruction is acted on again.

use wechat::message::{SuiteInfo, SuiteInstruction};

use crate::{error::AppResult, state::AppState, wechat_clients};

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
        SuiteInfo::ChangeContact {
            auth_corp_id,
            change,
        } => {
            super::contacts::record(&state.db, account_id, None, change, xml).await?;
            format!("change_contact of corp {auth_corp_id} stored for the contacts feature")
        }
        _ => "suite instruction acknowledged (not acted on here)".into(),
    })
}
