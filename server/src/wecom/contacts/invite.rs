//! Inviting members to join the corp (`batch/invite`, 邀请成员): members, departments and tags
//! in one call; WeCom invites what it can and names the rest (`invaliduser`, `invalidparty`,
//! `invalidtag`), which is answered per item. Nothing in the mirror changes: a member's status
//! turns active only when they join, which arrives as a `change_contact` event.

use api::wecom_extattr::{InviteInput, InviteResult, validate_invite};

use super::mirror::{Clients, refused};
use super::service::audit;
use crate::{
    audit::Actor,
    error::{AppError, AppResult},
    state::AppState,
};

pub async fn invite(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: &InviteInput,
) -> AppResult<InviteResult> {
    if let Some(i) = validate_invite(input) {
        return Err(AppError::Validation(vec![i]));
    }
    let clients = Clients::load(state, account_id).await?;
    // The contacts secret sees everyone; the app secret invites within its visible range.
    let answer = clients
        .reader()
        .batch_invite(&input.userids, &input.department_ids, &input.tag_ids)
        .await
        .map_err(|e| refused(&e))?;
    audit(
        state,
        actor,
        account_id,
        "wecom.member.invite",
        format!(
            "invited {} members, {} departments, {} tags",
            input.userids.len(),
            input.department_ids.len(),
            input.tag_ids.len()
        ),
    )
    .await;
    Ok(InviteResult {
        invalid_userids: answer.invaliduser,
        invalid_department_ids: answer.invalidparty,
        invalid_tag_ids: answer.invalidtag,
    })
}
