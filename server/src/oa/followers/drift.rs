//! Drift: what WeChat holds versus what we hold — tags and legacy groups (missing on one side
//! or renamed), tag membership (from `user/tag/get` per tag) and the remarks of followers that
//! have one here — and resolving each item by choosing the side that wins.
//!
//! Remarks set in WeChat's console on followers without a remark here are not compared (that
//! would mean fetching every follower); the next full sync brings them in.

use std::collections::{BTreeMap, BTreeSet};

use api::followers::{DriftItem, DriftKind, DriftReport, Winner};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};
use serde_json::json;
use time::OffsetDateTime;
use wechat::client::oa::OaClient;

use super::queries;
use crate::{
    audit::{self, Actor},
    entities::{follower, follower_tag},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// At most this many items in one report.
pub const MAX_ITEMS: usize = 1000;
/// At most this many remarks compared per report.
pub const MAX_REMARKS: u64 = 2000;

fn wx(e: wechat::Error) -> AppError {
    wechat_clients::api_error(&e)
}

fn named(
    kind: DriftKind,
    ours: BTreeMap<i64, String>,
    theirs: BTreeMap<i64, String>,
) -> Vec<DriftItem> {
    let ids: BTreeSet<i64> = ours.keys().chain(theirs.keys()).copied().collect();
    ids.into_iter()
        .filter_map(|id| {
            let (o, t) = (ours.get(&id).cloned(), theirs.get(&id).cloned());
            (o != t).then_some(DriftItem {
                kind,
                id: Some(id),
                openid: None,
                ours: o,
                theirs: t,
            })
        })
        .collect()
}

/// Every member of WeChat tag `tag` (pages of 10,000).
async fn wechat_members(client: &OaClient, tag: i64) -> AppResult<BTreeSet<String>> {
    let mut all = BTreeSet::new();
    let mut next = String::new();
    loop {
        let page = client.tag_users(tag, &next).await.map_err(wx)?;
        if page.count == 0 || page.data.openid.is_empty() {
            return Ok(all);
        }
        all.extend(page.data.openid);
        if page.next_openid.is_empty() || page.next_openid == next {
            return Ok(all);
        }
        next = page.next_openid;
    }
}

async fn our_members(state: &AppState, account_id: i64, tag: i64) -> AppResult<BTreeSet<String>> {
    Ok(our_members_ids(&state.db, account_id, tag)
        .await?
        .into_iter()
        .map(|(_, o)| o)
        .collect())
}

/// Compares WeChat with our copy now.
pub async fn report(state: &AppState, account_id: i64) -> AppResult<DriftReport> {
    let client = wechat_clients::oa(state, account_id).await?;
    let theirs_tags = client.tags_get().await.map_err(wx)?;
    let ours_tags = queries::tags_of(&state.db, account_id).await?;
    let mut items = named(
        DriftKind::Tag,
        ours_tags
            .iter()
            .map(|t| (t.wx_id, t.name.clone()))
            .collect(),
        theirs_tags.iter().map(|t| (t.id, t.name.clone())).collect(),
    );
    match client.groups_get().await {
        Ok(groups) => {
            let ours = queries::groups_of(&state.db, account_id).await?;
            items.extend(named(
                DriftKind::Group,
                ours.iter().map(|g| (g.wx_id, g.name.clone())).collect(),
                groups.iter().map(|g| (g.id, g.name.clone())).collect(),
            ));
        }
        Err(e) => {
            tracing::info!(account_id, error = %wechat_clients::describe(&e), "legacy groups not available; not compared")
        }
    }
    // Membership of the tags both sides have.
    for t in theirs_tags
        .iter()
        .filter(|t| ours_tags.iter().any(|o| o.wx_id == t.id))
    {
        if items.len() >= MAX_ITEMS {
            break;
        }
        let theirs = wechat_members(&client, t.id).await?;
        let ours = our_members(state, account_id, t.id).await?;
        for o in ours
            .symmetric_difference(&theirs)
            .take(MAX_ITEMS - items.len())
        {
            let here = ours.contains(o);
            items.push(DriftItem {
                kind: DriftKind::Member,
                id: Some(t.id),
                openid: Some(o.clone()),
                ours: here.then(|| t.name.clone()),
                theirs: (!here).then(|| t.name.clone()),
            });
        }
    }
    let with_remark: Vec<(String, Option<String>)> = follower::Entity::find()
        .select_only()
        .column(follower::Column::Openid)
        .column(follower::Column::Remark)
        .filter(follower::Column::AccountId.eq(account_id))
        .filter(follower::Column::Subscribed.eq(true))
        .filter(follower::Column::Remark.is_not_null())
        .limit(MAX_REMARKS)
        .into_tuple()
        .all(&state.db)
        .await?;
    for batch in with_remark.chunks(super::sync::BATCH) {
        if items.len() >= MAX_ITEMS {
            break;
        }
        let openids: Vec<String> = batch.iter().map(|(o, _)| o.clone()).collect();
        let infos = client
            .user_info_batch(&openids, "zh_CN")
            .await
            .map_err(wx)?;
        for (openid, ours) in batch {
            let Some(info) = infos.iter().find(|i| &i.openid == openid) else {
                continue;
            };
            if info.subscribe != 1 {
                continue;
            }
            let theirs = info.remark.clone().filter(|r| !r.is_empty());
            if *ours != theirs {
                items.push(DriftItem {
                    kind: DriftKind::Remark,
                    id: None,
                    openid: Some(openid.clone()),
                    ours: ours.clone(),
                    theirs,
                });
            }
        }
    }
    Ok(DriftReport {
        items,
        remarks_checked: with_remark.len() as u64,
        checked_at: rfc3339(OffsetDateTime::now_utc()),
    })
}

async fn follower_id(state: &AppState, account_id: i64, openid: &str) -> AppResult<i64> {
    queries::find(&state.db, account_id, openid)
        .await?
        .map(|f| f.id)
        .ok_or_else(|| {
            AppError::refused(
                "follower_not_stored",
                format!("follower {openid} is not stored yet: sync the followers first"),
            )
        })
}

/// Applies one item in favour of `winner`.
pub async fn resolve(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    item: &DriftItem,
    winner: Winner,
) -> AppResult<()> {
    let client = wechat_clients::oa(state, account_id).await?;
    let now = OffsetDateTime::now_utc();
    let need_id = || {
        item.id
            .ok_or_else(|| AppError::BadRequest("the item has no id".into()))
    };
    let need_openid = || {
        item.openid
            .clone()
            .ok_or_else(|| AppError::BadRequest("the item has no openid".into()))
    };
    let txn = state.db.begin().await?;
    match (item.kind, winner) {
        (DriftKind::Tag | DriftKind::Group, Winner::Theirs) => {
            let id = need_id()?;
            let group = item.kind == DriftKind::Group;
            match (&item.theirs, group) {
                (Some(name), false) => {
                    queries::upsert_tag(&txn, account_id, id, name, None, now).await?
                }
                (Some(name), true) => {
                    queries::upsert_group(&txn, account_id, id, name, None, now).await?
                }
                (None, false) => queries::delete_tag_local(&txn, account_id, id).await?,
                (None, true) => queries::delete_group_local(&txn, account_id, id).await?,
            }
        }
        (DriftKind::Tag, Winner::Ours) => {
            let id = need_id()?;
            match (&item.ours, &item.theirs) {
                (None, _) => client.tags_delete(id).await.map_err(wx)?,
                (Some(name), Some(_)) => client.tags_update(id, name).await.map_err(wx)?,
                (Some(name), None) => {
                    // Gone at WeChat: create it again (WeChat gives a new id) with our members.
                    let created = client.tags_create(name).await.map_err(wx)?;
                    let members: Vec<(i64, String)> = our_members_ids(&txn, account_id, id).await?;
                    for batch in members.chunks(api::followers::TAGGING_BATCH) {
                        let openids: Vec<String> = batch.iter().map(|(_, o)| o.clone()).collect();
                        client
                            .tags_batch_tagging(created.id, &openids)
                            .await
                            .map_err(wx)?;
                    }
                    let ids: Vec<i64> = members.iter().map(|(i, _)| *i).collect();
                    queries::upsert_tag(
                        &txn,
                        account_id,
                        created.id,
                        name,
                        Some(ids.len() as i64),
                        now,
                    )
                    .await?;
                    for chunk in ids.chunks(500) {
                        queries::set_membership(&txn, account_id, chunk, created.id, true).await?;
                    }
                    queries::delete_tag_local(&txn, account_id, id).await?;
                }
            }
        }
        (DriftKind::Group, Winner::Ours) => {
            let id = need_id()?;
            match (&item.ours, &item.theirs) {
                (None, _) => client.groups_delete(id).await.map_err(wx)?,
                (Some(name), Some(_)) => client.groups_update(id, name).await.map_err(wx)?,
                (Some(name), None) => {
                    let created = client.groups_create(name).await.map_err(wx)?;
                    let members: Vec<(i64, String)> = follower::Entity::find()
                        .select_only()
                        .column(follower::Column::Id)
                        .column(follower::Column::Openid)
                        .filter(follower::Column::AccountId.eq(account_id))
                        .filter(follower::Column::GroupId.eq(id))
                        .filter(follower::Column::Subscribed.eq(true))
                        .into_tuple()
                        .all(&txn)
                        .await?;
                    for batch in members.chunks(api::followers::TAGGING_BATCH) {
                        let openids: Vec<String> = batch.iter().map(|(_, o)| o.clone()).collect();
                        client
                            .groups_move_members(&openids, created.id)
                            .await
                            .map_err(wx)?;
                    }
                    queries::upsert_group(&txn, account_id, created.id, name, None, now).await?;
                    follower::Entity::update_many()
                        .col_expr(
                            follower::Column::GroupId,
                            sea_orm::sea_query::Expr::value(created.id),
                        )
                        .filter(follower::Column::AccountId.eq(account_id))
                        .filter(follower::Column::GroupId.eq(id))
                        .exec(&txn)
                        .await?;
                    queries::delete_group_local(&txn, account_id, id).await?;
                }
            }
        }
        (DriftKind::Member, w) => {
            let tag = need_id()?;
            let openid = need_openid()?;
            let tagged_here = item.ours.is_some();
            match w {
                Winner::Ours if tagged_here => client
                    .tags_batch_tagging(tag, std::slice::from_ref(&openid))
                    .await
                    .map_err(wx)?,
                Winner::Ours => client
                    .tags_batch_untagging(tag, std::slice::from_ref(&openid))
                    .await
                    .map_err(wx)?,
                Winner::Theirs => {
                    let fid = follower_id(state, account_id, &openid).await?;
                    queries::set_membership(&txn, account_id, &[fid], tag, !tagged_here).await?;
                }
            }
        }
        (DriftKind::Remark, w) => {
            let openid = need_openid()?;
            match w {
                Winner::Ours => client
                    .user_update_remark(&openid, item.ours.as_deref().unwrap_or(""))
                    .await
                    .map_err(wx)?,
                Winner::Theirs => {
                    follower_id(state, account_id, &openid).await?;
                    follower::Entity::update_many()
                        .col_expr(
                            follower::Column::Remark,
                            sea_orm::sea_query::Expr::value(item.theirs.clone()),
                        )
                        .col_expr(
                            follower::Column::UpdatedAt,
                            sea_orm::sea_query::Expr::value(now),
                        )
                        .filter(follower::Column::AccountId.eq(account_id))
                        .filter(follower::Column::Openid.eq(openid.clone()))
                        .exec(&txn)
                        .await?;
                }
            }
        }
    }
    audit::service::record(
        &txn,
        actor,
        "followers.drift_resolve",
        "account",
        Some(account_id),
        format!(
            "{:?} drift resolved: {} wins",
            item.kind,
            if winner == Winner::Ours {
                "portal"
            } else {
                "WeChat"
            }
        ),
        json!({"item": item, "winner": winner}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn our_members_ids<C: sea_orm::ConnectionTrait>(
    db: &C,
    account_id: i64,
    tag: i64,
) -> AppResult<Vec<(i64, String)>> {
    let ids: Vec<i64> = follower_tag::Entity::find()
        .select_only()
        .column(follower_tag::Column::FollowerId)
        .filter(follower_tag::Column::AccountId.eq(account_id))
        .filter(follower_tag::Column::TagId.eq(tag))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> = follower::Entity::find()
            .select_only()
            .column(follower::Column::Id)
            .column(follower::Column::Openid)
            .filter(follower::Column::Id.is_in(chunk.iter().copied()))
            .filter(follower::Column::Subscribed.eq(true))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}
