//! `change_contact` keeps the mirror current. Since WeCom's 2022 rules a callback may carry
//! only ids, so each event is read as "these ids changed": the member, department or tag is
//! re-read from WeCom ([`super::mirror`]) in a task of its own, so the callback's answer does
//! not wait for WeCom.

use async_trait::async_trait;
use wechat::message::{ContactChange, Event};

use super::mirror::{self, Clients};
use crate::{
    callback::dispatch::{EventHandler, NewMessage, Receiver},
    error::AppResult,
    state::AppState,
};

/// `change_contact` of a WeCom app → the contacts mirror.
pub struct ContactMirror;

#[async_trait]
impl EventHandler for ContactMirror {
    fn applies(&self, message: &NewMessage<'_>) -> bool {
        message.receiver == Receiver::WorkApp
            && matches!(message.event(), Some(Event::ChangeContact(_)))
    }

    async fn apply(&self, state: &AppState, message: &NewMessage<'_>) -> AppResult<()> {
        let Some(Event::ChangeContact(change)) = message.event() else {
            return Ok(());
        };
        let state = state.clone();
        let account_id = message.account_id;
        let change = change.clone();
        tokio::spawn(async move {
            if let Err(e) = apply_change(&state, account_id, &change).await {
                tracing::warn!(account_id, error = %e, "could not apply a contact change to the mirror; the next sync will");
            }
        });
        Ok(())
    }
}

/// Re-reads what one change names.
pub async fn apply_change(
    state: &AppState,
    account_id: i64,
    change: &ContactChange,
) -> Result<(), mirror::RereadError> {
    let db = &state.db;
    match change {
        ContactChange::DeleteUser { user_id } => {
            return Ok(mirror::delete_member(db, account_id, user_id).await?);
        }
        ContactChange::DeleteParty { id } => {
            return Ok(mirror::delete_department(db, account_id, *id).await?);
        }
        ContactChange::Unknown { .. } => return Ok(()),
        _ => {}
    }
    let clients = Clients::load(state, account_id).await?;
    match change {
        ContactChange::CreateUser(u) | ContactChange::UpdateUser(u) => {
            if let Some(new) = u.new_user_id.as_deref().filter(|n| *n != u.user_id) {
                mirror::delete_member(db, account_id, &u.user_id).await?;
                mirror::reread_member(db, &clients, account_id, new).await
            } else {
                mirror::reread_member(db, &clients, account_id, &u.user_id).await
            }
        }
        ContactChange::CreateParty(p) | ContactChange::UpdateParty(p) => {
            mirror::reread_department(db, &clients, account_id, p.id).await
        }
        ContactChange::UpdateTag(t) => {
            mirror::reread_tag(db, &clients, account_id, t.tag_id, None).await
        }
        _ => Ok(()),
    }
}
