//! Scans attributed to QR codes, from the `subscribe` (with a `qrscene_` EventKey) and `SCAN`
//! callbacks of an Official Account (registered in [`crate::callback::dispatch::HANDLERS`]).

use async_trait::async_trait;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use time::OffsetDateTime;
use wechat::message::Event;

use super::{queries, service::live_at};
use crate::{
    callback::dispatch::{EventHandler, NewMessage, Receiver},
    entities::{oa_qrcode, oa_qrcode_scan},
    error::AppResult,
    pay::days::{date_str, day_of},
    state::AppState,
};

/// subscribe through a QR code / SCAN → a row of `oa_qrcode_scans` for the code.
pub struct QrScans;

#[async_trait]
impl EventHandler for QrScans {
    fn applies(&self, message: &NewMessage<'_>) -> bool {
        message.receiver == Receiver::OfficialAccount
            && message.event().is_some_and(|e| {
                matches!(e, Event::Subscribe { .. } | Event::Scan { .. }) && e.qr_scene().is_some()
            })
    }

    async fn apply(&self, state: &AppState, message: &NewMessage<'_>) -> AppResult<()> {
        record(&state.db, message).await
    }
}

/// The code a scan belongs to: the one with the event's ticket, else the newest code with the
/// scene that was live when it was scanned, else the newest code with the scene.
fn pick<'a>(
    codes: &'a [oa_qrcode::Model],
    ticket: Option<&str>,
    at: OffsetDateTime,
) -> Option<&'a oa_qrcode::Model> {
    ticket
        .and_then(|t| codes.iter().find(|c| c.ticket == t))
        .or_else(|| codes.iter().find(|c| live_at(c, at)))
        .or_else(|| codes.first())
}

pub async fn record<C: ConnectionTrait>(db: &C, message: &NewMessage<'_>) -> AppResult<()> {
    let Some(e) = message.event() else {
        return Ok(());
    };
    let (Some(scene), openid) = (e.qr_scene(), message.msg.header.from_user_name.as_str()) else {
        return Ok(());
    };
    if openid.is_empty() || scene.is_empty() {
        return Ok(());
    }
    let ticket = match e {
        Event::Subscribe { ticket, .. } | Event::Scan { ticket, .. } => ticket.as_deref(),
        _ => None,
    };
    let at = OffsetDateTime::from_unix_timestamp(message.msg.header.create_time)
        .unwrap_or_else(|_| OffsetDateTime::now_utc());
    let codes = queries::by_scene(db, message.account_id, scene).await?;
    let Some(code) = pick(&codes, ticket, at) else {
        // A scene no code of the portal has (made elsewhere): nothing to attribute.
        return Ok(());
    };
    // A message whose dispatch is re-run (after a crash) is counted once.
    let seen = oa_qrcode_scan::Entity::find()
        .filter(oa_qrcode_scan::Column::InboundId.eq(message.inbound_id))
        .one(db)
        .await?;
    if seen.is_some() {
        return Ok(());
    }
    oa_qrcode_scan::ActiveModel {
        account_id: Set(message.account_id),
        qrcode_id: Set(code.id),
        openid: Set(openid.chars().take(64).collect()),
        subscribe: Set(matches!(e, Event::Subscribe { .. })),
        day: Set(date_str(day_of(at))),
        inbound_id: Set(message.inbound_id),
        scanned_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
