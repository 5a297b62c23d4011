//! WeCom app menus: `menu/create|get|delete?agentid=` for the app's agent. The editor's draft,
//! versions, compare and rollback are the Official Account menu feature's (`oa::menus`, the
//! same tables keyed by account), which calls these for a WeCom app; 46003 means "no menu".
//! A managed suite corp (`wecom::suite::managed`) has none: third-party apps cannot call `menu/*`.

use api::menus::MenuButton;
use serde_json::json;

use crate::{
    error::{AppError, AppResult},
    state::AppState,
    wechat_clients,
};

async fn client(
    state: &AppState,
    account_id: i64,
) -> AppResult<(wechat::client::work::WorkClient, i64)> {
    if let Some(model) = crate::accounts::queries::find(&state.db, account_id).await? {
        crate::wecom::suite::managed::refuse_menus(&model)?;
    }
    let c = wechat_clients::work(state, account_id).await?;
    let agent = c
        .agent_id()
        .ok_or_else(|| AppError::refused("no_agentid", "this WeCom app has no agentid"))?;
    Ok((c, agent))
}

pub async fn publish(state: &AppState, account_id: i64, buttons: &[MenuButton]) -> AppResult<()> {
    let (c, agent) = client(state, account_id).await?;
    c.menu_create(agent, &json!(buttons))
        .await
        .map_err(|e| wechat_clients::api_error(&e))
}

/// The live menu; `None` when WeCom has none (46003).
pub async fn live(state: &AppState, account_id: i64) -> AppResult<Option<Vec<MenuButton>>> {
    let (c, agent) = client(state, account_id).await?;
    match c.menu_get(agent).await {
        Ok(v) => Ok(Some(
            serde_json::from_value(v.get("button").cloned().unwrap_or_default())
                .map_err(AppError::internal)?,
        )),
        Err(wechat::Error::Wechat(w)) if w.code == 46003 => Ok(None),
        Err(e) => Err(wechat_clients::api_error(&e)),
    }
}

pub async fn delete(state: &AppState, account_id: i64) -> AppResult<()> {
    let (c, agent) = client(state, account_id).await?;
    c.menu_delete(agent)
        .await
        .map_err(|e| wechat_clients::api_error(&e))
}
