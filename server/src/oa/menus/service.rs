//! Menu business rules. WeChat is called first and a version is stored only once WeChat
//! accepted the menu, so the newest version is always what WeChat last accepted from us.

use api::accounts::AccountKind;
use api::menus::{
    self, ConditionalMenu, ConditionalMenuInput, MatchRule, MenuButton, MenuCheck, MenuCompare,
    MenuOverview, MenuVersion, PublishMenuInput, TryMatchResult, UnmatchedKey, VersionSource,
};
use api::replies::Trigger;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionTrait};
use serde_json::json;
use time::OffsetDateTime;

use super::queries;
use crate::{
    audit::{self, Actor},
    entities::{conditional_menu, menu_version},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

fn to_json(buttons: &[MenuButton]) -> String {
    serde_json::to_string(buttons).expect("menu buttons serialise")
}

fn parse_buttons(s: &str) -> Vec<MenuButton> {
    serde_json::from_str(s).unwrap_or_default()
}

fn view(m: &menu_version::Model) -> MenuVersion {
    MenuVersion {
        id: m.id,
        number: m.number,
        buttons: parse_buttons(&m.buttons),
        source: VersionSource::parse(&m.source).unwrap_or(VersionSource::Published),
        rollback_of: m.rollback_of,
        note: m.note.clone(),
        created_by: m.created_by.clone(),
        created_at: rfc3339(m.created_at),
    }
}

fn view_conditional(m: &conditional_menu::Model) -> ConditionalMenu {
    ConditionalMenu {
        id: m.id,
        menuid: m.menuid.clone(),
        buttons: parse_buttons(&m.buttons),
        matchrule: serde_json::from_str(&m.matchrule).unwrap_or_default(),
        note: m.note.clone(),
        created_by: m.created_by.clone(),
        created_at: rfc3339(m.created_at),
    }
}

/// Click keys an enabled reply rule (of this account or global) answers.
async fn answered_keys<C: ConnectionTrait>(db: &C, account_id: i64) -> AppResult<Vec<String>> {
    let rules = crate::replies::service::rules_for(db, account_id).await?;
    Ok(rules
        .iter()
        .filter(|r| r.enabled)
        .flat_map(|r| serde_json::from_str::<Vec<Trigger>>(&r.triggers).unwrap_or_default())
        .filter_map(|t| match t {
            Trigger::MenuClick { key } => Some(key),
            _ => None,
        })
        .collect())
}

/// The click buttons of `buttons` whose key no enabled rule answers.
pub async fn unmatched<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    buttons: &[MenuButton],
) -> AppResult<Vec<UnmatchedKey>> {
    let known = answered_keys(db, account_id).await?;
    Ok(menus::click_keys(buttons)
        .into_iter()
        .filter(|(_, k)| !known.contains(k))
        .map(|(path, key)| UnmatchedKey { path, key })
        .collect())
}

/// Whether the account is a WeCom app (its menu goes through `wecom::menus`).
async fn is_work<C: ConnectionTrait>(db: &C, account_id: i64) -> AppResult<bool> {
    Ok(crate::accounts::queries::find(db, account_id)
        .await?
        .is_some_and(|a| *a.kind == AccountKind::WorkApp))
}

/// WeChat's menu rules for the account's kind.
async fn problems<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    buttons: &[MenuButton],
) -> AppResult<Vec<(String, menus::MenuRule)>> {
    Ok(if is_work(db, account_id).await? {
        menus::validate_work_menu(buttons)
    } else {
        menus::validate_menu(buttons)
    })
}

pub async fn check<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    buttons: &[MenuButton],
) -> AppResult<MenuCheck> {
    Ok(MenuCheck {
        issues: menus::to_field_issues(&problems(db, account_id, buttons).await?),
        unmatched_keys: unmatched(db, account_id, buttons).await?,
    })
}

pub async fn overview<C: ConnectionTrait>(db: &C, account_id: i64) -> AppResult<MenuOverview> {
    let draft = queries::draft(db, account_id).await?;
    let current = queries::latest(db, account_id).await?.map(|m| view(&m));
    let shown = match (&draft, &current) {
        (Some(d), _) => parse_buttons(&d.buttons),
        (None, Some(c)) => c.buttons.clone(),
        (None, None) => Vec::new(),
    };
    Ok(MenuOverview {
        draft_updated_by: draft.as_ref().map(|d| d.updated_by.clone()),
        draft_updated_at: draft.as_ref().map(|d| rfc3339(d.updated_at)),
        draft: draft.map(|d| parse_buttons(&d.buttons)),
        current,
        unmatched_keys: unmatched(db, account_id, &shown).await?,
    })
}

/// Saves the editor's work in progress (any shape: problems are reported, not refused).
pub async fn save_draft<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    buttons: Vec<MenuButton>,
) -> AppResult<MenuCheck> {
    if buttons.len() > 10 || buttons.iter().any(|b| b.sub_button.len() > 10) {
        return Err(AppError::BadRequest("too many buttons for a menu".into()));
    }
    queries::upsert_draft(db, account_id, to_json(&buttons), &actor.name).await?;
    check(db, account_id, &buttons).await
}

async fn refuse_invalid(
    state: &AppState,
    account_id: i64,
    buttons: &[MenuButton],
) -> AppResult<()> {
    let issues = problems(&state.db, account_id, buttons).await?;
    if issues.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(menus::to_field_issues(&issues)))
    }
}

fn to_wechat(buttons: &[MenuButton]) -> AppResult<Vec<wechat::client::oa::Button>> {
    serde_json::from_value(json!(buttons)).map_err(AppError::internal)
}

fn from_wechat(buttons: &[wechat::client::oa::Button]) -> Vec<MenuButton> {
    serde_json::from_value(json!(buttons)).unwrap_or_default()
}

/// Sends `buttons` to WeChat and records the version (the draft is cleared: it is published).
async fn send_and_record(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    buttons: Vec<MenuButton>,
    source: VersionSource,
    rollback_of: Option<i64>,
    note: String,
) -> AppResult<MenuVersion> {
    let buttons = menus::normalized(&buttons);
    refuse_invalid(state, account_id, &buttons).await?;
    if is_work(&state.db, account_id).await? {
        crate::wecom::menus::publish(state, account_id, &buttons).await?;
    } else {
        let client = wechat_clients::oa(state, account_id).await?;
        client
            .menu_create(&to_wechat(&buttons)?)
            .await
            .map_err(|e| wechat_clients::api_error(&e))?;
    }
    let txn = state.db.begin().await?;
    let row = queries::insert_version(
        &txn,
        account_id,
        to_json(&buttons),
        source.as_str(),
        rollback_of,
        note.chars().take(500).collect(),
        &actor.name,
    )
    .await?;
    queries::delete_draft(&txn, account_id).await?;
    // `menu/create` leaves conditional menus alone; nothing else to change here.
    audit::service::record(
        &txn,
        actor,
        &format!("menu.{}", source.as_str()),
        "account",
        Some(account_id),
        format!("menu version {} ({})", row.number, source.as_str()),
        json!({"version_id": row.id, "number": row.number, "rollback_of": rollback_of}),
    )
    .await?;
    txn.commit().await?;
    Ok(view(&row))
}

pub async fn publish(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: PublishMenuInput,
) -> AppResult<MenuVersion> {
    send_and_record(
        state,
        actor,
        account_id,
        input.buttons,
        VersionSource::Published,
        None,
        input.note,
    )
    .await
}

pub async fn rollback(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    version_id: i64,
    note: String,
) -> AppResult<MenuVersion> {
    let old = queries::version(&state.db, account_id, version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let buttons = parse_buttons(&old.buttons);
    if buttons.is_empty() {
        return Err(AppError::refused(
            "menu_version_empty",
            format!(
                "version {} has no buttons (the menu was deleted then); delete the menu instead",
                old.number
            ),
        ));
    }
    let note = if note.trim().is_empty() {
        format!("rollback to version {}", old.number)
    } else {
        note
    };
    send_and_record(
        state,
        actor,
        account_id,
        buttons,
        VersionSource::Rollback,
        Some(old.id),
        note,
    )
    .await
}

/// Reads the live menu (and conditional menus) from WeChat and stores it as a version.
pub async fn import(state: &AppState, actor: &Actor, account_id: i64) -> AppResult<MenuVersion> {
    if is_work(&state.db, account_id).await? {
        return import_work(state, actor, account_id).await;
    }
    let client = wechat_clients::oa(state, account_id).await?;
    let info = match client.menu_get().await {
        Ok(info) => info,
        Err(wechat::Error::Wechat(w)) if w.code == 46003 => {
            return Err(AppError::refused(
                "no_menu",
                "WeChat has no menu for this account (errcode 46003): nothing to import",
            ));
        }
        Err(e) => return Err(wechat_clients::api_error(&e)),
    };
    let buttons = info
        .menu
        .as_ref()
        .map(|m| from_wechat(&m.button))
        .unwrap_or_default();
    let now = OffsetDateTime::now_utc();
    let txn = state.db.begin().await?;
    let row = queries::insert_version(
        &txn,
        account_id,
        to_json(&buttons),
        VersionSource::Imported.as_str(),
        None,
        "imported from WeChat".into(),
        &actor.name,
    )
    .await?;
    queries::delete_conditional_all(&txn, account_id).await?;
    for c in &info.conditionalmenu {
        let rule: MatchRule = c
            .matchrule
            .as_ref()
            .and_then(|r| serde_json::from_value(json!(r)).ok())
            .unwrap_or_default();
        conditional_menu::ActiveModel {
            account_id: Set(account_id),
            menuid: Set(c.menuid.map(|i| i.to_string()).unwrap_or_default()),
            buttons: Set(to_json(&from_wechat(&c.button))),
            matchrule: Set(serde_json::to_string(&rule).expect("rule serialises")),
            note: Set("imported from WeChat".into()),
            created_by: Set(actor.name.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::service::record(
        &txn,
        actor,
        "menu.imported",
        "account",
        Some(account_id),
        format!("menu imported from WeChat as version {}", row.number),
        json!({"version_id": row.id, "conditional": info.conditionalmenu.len()}),
    )
    .await?;
    txn.commit().await?;
    Ok(view(&row))
}

/// A WeCom app's live menu (`menu/get?agentid=`) stored as a version; WeCom has no
/// conditional menus.
async fn import_work(state: &AppState, actor: &Actor, account_id: i64) -> AppResult<MenuVersion> {
    let buttons = crate::wecom::menus::live(state, account_id)
        .await?
        .ok_or_else(|| {
            AppError::refused("no_menu", "no menu published: WeCom has no menu for this app (errcode 46003), nothing to import",)
        })?;
    let txn = state.db.begin().await?;
    let row = queries::insert_version(
        &txn,
        account_id,
        to_json(&buttons),
        VersionSource::Imported.as_str(),
        None,
        "imported from WeChat".into(),
        &actor.name,
    )
    .await?;
    audit::service::record(
        &txn,
        actor,
        "menu.imported",
        "account",
        Some(account_id),
        format!("menu imported from WeCom as version {}", row.number),
        json!({"version_id": row.id}),
    )
    .await?;
    txn.commit().await?;
    Ok(view(&row))
}

/// `menu/delete` (WeChat also drops every conditional menu); recorded as an empty version.
pub async fn delete(state: &AppState, actor: &Actor, account_id: i64) -> AppResult<()> {
    if is_work(&state.db, account_id).await? {
        crate::wecom::menus::delete(state, account_id).await?;
    } else {
        let client = wechat_clients::oa(state, account_id).await?;
        client
            .menu_delete()
            .await
            .map_err(|e| wechat_clients::api_error(&e))?;
    }
    let txn = state.db.begin().await?;
    let row = queries::insert_version(
        &txn,
        account_id,
        "[]".into(),
        VersionSource::Deleted.as_str(),
        None,
        "menu deleted".into(),
        &actor.name,
    )
    .await?;
    queries::delete_conditional_all(&txn, account_id).await?;
    audit::service::record(
        &txn,
        actor,
        "menu.deleted",
        "account",
        Some(account_id),
        "menu deleted in WeChat".into(),
        json!({"version_id": row.id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn versions<C: ConnectionTrait>(db: &C, account_id: i64) -> AppResult<Vec<MenuVersion>> {
    Ok(queries::versions(db, account_id)
        .await?
        .iter()
        .map(view)
        .collect())
}

pub async fn version<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    id: i64,
) -> AppResult<MenuVersion> {
    queries::version(db, account_id, id)
        .await?
        .map(|m| view(&m))
        .ok_or(AppError::NotFound)
}

/// `from` version → `to` version (absent: the saved draft).
pub async fn compare<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    from: i64,
    to: Option<i64>,
) -> AppResult<MenuCompare> {
    let a = version(db, account_id, from).await?;
    let b = match to {
        Some(to) => version(db, account_id, to).await?.buttons,
        None => queries::draft(db, account_id)
            .await?
            .map(|d| parse_buttons(&d.buttons))
            .ok_or(AppError::NotFound)?,
    };
    Ok(MenuCompare {
        from,
        to,
        changes: menus::diff(&a.buttons, &b),
    })
}

pub async fn conditional_list<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> AppResult<Vec<ConditionalMenu>> {
    Ok(queries::conditional(db, account_id)
        .await?
        .iter()
        .map(view_conditional)
        .collect())
}

pub async fn conditional_create(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: ConditionalMenuInput,
) -> AppResult<ConditionalMenu> {
    let buttons = menus::normalized(&input.buttons);
    let rule = input.matchrule.normalized();
    let mut issues = menus::validate_menu(&buttons);
    issues.extend(menus::validate_rule(&rule));
    if !issues.is_empty() {
        return Err(AppError::Validation(menus::to_field_issues(&issues)));
    }
    let wx_rule: wechat::client::oa::MatchRule =
        serde_json::from_value(json!(rule)).map_err(AppError::internal)?;
    let client = wechat_clients::oa(state, account_id).await?;
    let menuid = client
        .menu_add_conditional(&to_wechat(&buttons)?, &wx_rule)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let txn = state.db.begin().await?;
    let row = conditional_menu::ActiveModel {
        account_id: Set(account_id),
        menuid: Set(menuid.clone()),
        buttons: Set(to_json(&buttons)),
        matchrule: Set(serde_json::to_string(&rule).expect("rule serialises")),
        note: Set(input.note.chars().take(500).collect()),
        created_by: Set(actor.name.clone()),
        created_at: Set(OffsetDateTime::now_utc()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::service::record(
        &txn,
        actor,
        "menu.conditional_create",
        "account",
        Some(account_id),
        format!("conditional menu {menuid} created"),
        json!({"menuid": menuid, "matchrule": rule}),
    )
    .await?;
    txn.commit().await?;
    Ok(view_conditional(&row))
}

pub async fn conditional_delete(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    id: i64,
) -> AppResult<()> {
    let row = conditional_menu::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .filter(|m| m.account_id == account_id)
        .ok_or(AppError::NotFound)?;
    let client = wechat_clients::oa(state, account_id).await?;
    match client.menu_del_conditional(&row.menuid).await {
        Ok(()) => {}
        // Already gone in WeChat (deleted in its console, or by `menu/delete`): drop our row too.
        Err(wechat::Error::Wechat(w)) if w.code == 65301 => {}
        Err(e) => return Err(wechat_clients::api_error(&e)),
    }
    let txn = state.db.begin().await?;
    conditional_menu::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    audit::service::record(
        &txn,
        actor,
        "menu.conditional_delete",
        "account",
        Some(account_id),
        format!("conditional menu {} deleted", row.menuid),
        json!({"menuid": row.menuid}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn try_match(
    state: &AppState,
    account_id: i64,
    user_id: &str,
) -> AppResult<TryMatchResult> {
    let user_id = user_id.trim();
    if user_id.is_empty() {
        return Err(AppError::Validation(vec![api::FieldIssue {
            field: "user_id".into(),
            code: "required".into(),
            message: "Required".into(),
        }]));
    }
    let client = wechat_clients::oa(state, account_id).await?;
    let buttons = client
        .menu_try_match(user_id)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    Ok(TryMatchResult {
        buttons: from_wechat(&buttons),
    })
}
