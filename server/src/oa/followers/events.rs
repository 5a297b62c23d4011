//! The follower record kept up to date by subscribe / unsubscribe / SCAN events of an Official
//! Account (registered in [`crate::callback::dispatch::HANDLERS`]).

use async_trait::async_trait;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use time::OffsetDateTime;
use wechat::message::{Event, InboundMessage, MessageKind};

use super::queries::find;
use crate::{
    callback::dispatch::{EventHandler, NewMessage, Receiver},
    entities::follower,
    error::AppResult,
    state::AppState,
};

/// subscribe / unsubscribe / SCAN → [`apply_event`].
pub struct Followers;

#[async_trait]
impl EventHandler for Followers {
    fn applies(&self, message: &NewMessage<'_>) -> bool {
        message.receiver == Receiver::OfficialAccount
            && matches!(
                message.event(),
                Some(Event::Subscribe { .. } | Event::Unsubscribe | Event::Scan { .. })
            )
    }

    async fn apply(&self, state: &AppState, message: &NewMessage<'_>) -> AppResult<()> {
        apply_event(&state.db, message.account_id, message.msg).await
    }
}

/// Finds or creates the follower (race-safe: a concurrent insert is re-read).
async fn ensure<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    openid: &str,
) -> AppResult<follower::Model> {
    if let Some(f) = find(db, account_id, openid).await? {
        return Ok(f);
    }
    let now = OffsetDateTime::now_utc();
    let res = follower::ActiveModel {
        account_id: Set(account_id),
        openid: Set(openid.to_string()),
        subscribed: Set(false),
        subscribe_time: Set(None),
        subscribe_scene: Set(None),
        qr_scene: Set(None),
        remark: Set(None),
        tags: Set("[]".into()),
        unionid: Set(None),
        nickname: Set(None),
        language: Set(None),
        group_id: Set(None),
        synced_at: Set(None),
        seen_sync_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match res {
        Ok(m) => Ok(m),
        Err(e) => match find(db, account_id, openid).await? {
            Some(f) => Ok(f),
            None => Err(e.into()),
        },
    }
}

/// Applies subscribe / unsubscribe / SCAN to the follower record (OA accounts).
pub async fn apply_event<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    msg: &InboundMessage,
) -> AppResult<()> {
    let MessageKind::Event(e) = &msg.kind else {
        return Ok(());
    };
    let openid = msg.header.from_user_name.as_str();
    if openid.is_empty() || msg.header.agent_id.is_some() {
        return Ok(());
    }
    let at = OffsetDateTime::from_unix_timestamp(msg.header.create_time)
        .unwrap_or_else(|_| OffsetDateTime::now_utc());
    match e {
        Event::Subscribe { .. } => {
            let f = ensure(db, account_id, openid).await?;
            let scene = e.qr_scene().map(str::to_string);
            let mut am: follower::ActiveModel = f.into();
            am.subscribed = Set(true);
            am.subscribe_time = Set(Some(at));
            am.subscribe_scene = Set(Some(
                if scene.is_some() {
                    "ADD_SCENE_QR_CODE"
                } else {
                    "ADD_SCENE_OTHERS"
                }
                .into(),
            ));
            // The scene that subscribed them (none: not a QR code), as WeChat's user/info
            // reports `qr_scene` after a (re-)subscribe.
            am.qr_scene = Set(scene);
            am.updated_at = Set(OffsetDateTime::now_utc());
            am.update(db).await?;
        }
        Event::Unsubscribe => {
            let f = ensure(db, account_id, openid).await?;
            let mut am: follower::ActiveModel = f.into();
            am.subscribed = Set(false);
            am.updated_at = Set(OffsetDateTime::now_utc());
            am.update(db).await?;
        }
        Event::Scan { .. } => {
            // An existing follower scanned a code: it proves they follow, but `qr_scene`
            // keeps the scene that subscribed them (subscribe attribution; the scan itself
            // is counted by `oa::qrcodes`).
            let f = ensure(db, account_id, openid).await?;
            let mut am: follower::ActiveModel = f.into();
            am.subscribed = Set(true);
            am.updated_at = Set(OffsetDateTime::now_utc());
            am.update(db).await?;
        }
        _ => {}
    }
    Ok(())
}
