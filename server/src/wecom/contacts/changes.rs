//! WeCom contact changes (`change_contact`): recorded in `wecom_contact_changes` for the
//! contacts feature, from a WeCom app's callback (registered in
//! [`crate::callback::dispatch::HANDLERS`]) or from a suite instruction ([`super::suite`]).

use async_trait::async_trait;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use time::OffsetDateTime;
use wechat::message::{ContactChange, Event};

use crate::{
    callback::dispatch::{EventHandler, NewMessage},
    entities::wecom_contact_change,
    error::AppResult,
    state::AppState,
};

/// `change_contact` events (of any account kind) → [`record`].
pub struct ContactChanges;

#[async_trait]
impl EventHandler for ContactChanges {
    fn applies(&self, message: &NewMessage<'_>) -> bool {
        matches!(message.event(), Some(Event::ChangeContact(_)))
    }

    async fn apply(&self, state: &AppState, message: &NewMessage<'_>) -> AppResult<()> {
        let Some(Event::ChangeContact(change)) = message.event() else {
            return Ok(());
        };
        record(
            &state.db,
            message.account_id,
            Some(message.inbound_id),
            change,
            message.xml,
        )
        .await
    }
}

/// Stores one contact change (from an app callback, or a suite instruction).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    inbound_id: Option<i64>,
    change: &ContactChange,
    xml: &str,
) -> AppResult<()> {
    let (change_type, user_id, party_id) = match change {
        ContactChange::CreateUser(u) => ("create_user".to_string(), Some(u.user_id.clone()), None),
        ContactChange::UpdateUser(u) => ("update_user".to_string(), Some(u.user_id.clone()), None),
        ContactChange::DeleteUser { user_id } => {
            ("delete_user".to_string(), Some(user_id.clone()), None)
        }
        ContactChange::CreateParty(p) => ("create_party".to_string(), None, Some(p.id)),
        ContactChange::UpdateParty(p) => ("update_party".to_string(), None, Some(p.id)),
        ContactChange::DeleteParty { id } => ("delete_party".to_string(), None, Some(*id)),
        ContactChange::UpdateTag(_) => ("update_tag".to_string(), None, None),
        ContactChange::Unknown { change_type } => (change_type.clone(), None, None),
    };
    wecom_contact_change::ActiveModel {
        account_id: Set(account_id),
        change_type: Set(change_type.chars().take(32).collect()),
        user_id: Set(user_id.map(|u| u.chars().take(64).collect())),
        party_id: Set(party_id),
        detail: Set(xml.to_string()),
        inbound_id: Set(inbound_id),
        received_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
