//! Queries of the followers module: follower upserts from WeChat, filters of the list, tags and
//! groups mirrored from WeChat, tag membership (kept in `follower_tags` for filtering and as the
//! `followers.tags` JSON copy the reply rules read; both written together).

use std::collections::{BTreeSet, HashMap};

use api::followers::{FollowerQuery, FollowerSort};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, Order,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};
use time::{Date, OffsetDateTime, macros::format_description};
use wechat::client::oa::{Group, Tag, UserInfo};

use crate::{
    entities::{follower, follower_tag, oa_group, oa_tag},
    error::{AppError, AppResult},
};

fn from_unix(t: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(t).ok()
}

/// The tag ids stored on a follower (the JSON copy).
pub fn tag_ids(f: &follower::Model) -> Vec<i64> {
    serde_json::from_str(&f.tags).unwrap_or_default()
}

fn tags_json(ids: &BTreeSet<i64>) -> String {
    serde_json::to_string(&ids.iter().collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

fn qr_scene(u: &UserInfo) -> Option<String> {
    match (&u.qr_scene_str, u.qr_scene) {
        (Some(s), _) if !s.is_empty() => Some(s.clone()),
        (_, Some(n)) if n != 0 => Some(n.to_string()),
        _ => None,
    }
}

/// Stores what `user/info/batchget` said, membership included; the caller's transaction.
pub async fn upsert_followers<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    job_id: i64,
    infos: &[UserInfo],
) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    let (subscribed, gone): (Vec<&UserInfo>, Vec<&UserInfo>) =
        infos.iter().partition(|u| u.subscribe == 1);
    if !gone.is_empty() {
        follower::Entity::update_many()
            .col_expr(follower::Column::Subscribed, Expr::value(false))
            .col_expr(follower::Column::UpdatedAt, Expr::value(now))
            .filter(follower::Column::AccountId.eq(account_id))
            .filter(follower::Column::Openid.is_in(gone.iter().map(|u| u.openid.clone())))
            .exec(db)
            .await?;
    }
    if subscribed.is_empty() {
        return Ok(());
    }
    let rows = subscribed.iter().map(|u| {
        let tags: BTreeSet<i64> = u.tagid_list.iter().copied().collect();
        follower::ActiveModel {
            account_id: Set(account_id),
            openid: Set(u.openid.clone()),
            subscribed: Set(true),
            subscribe_time: Set(u.subscribe_time.and_then(from_unix)),
            subscribe_scene: Set(u.subscribe_scene.clone().filter(|s| !s.is_empty())),
            qr_scene: Set(qr_scene(u)),
            remark: Set(u.remark.clone().filter(|s| !s.is_empty())),
            tags: Set(tags_json(&tags)),
            created_at: Set(now),
            updated_at: Set(now),
            unionid: Set(u.unionid.clone().filter(|s| !s.is_empty())),
            nickname: Set(None),
            language: Set(u.language.clone().filter(|s| !s.is_empty())),
            group_id: Set(u.groupid),
            synced_at: Set(Some(now)),
            seen_sync_id: Set(Some(job_id)),
            ..Default::default()
        }
    });
    follower::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([follower::Column::AccountId, follower::Column::Openid])
                .update_columns([
                    follower::Column::Subscribed,
                    follower::Column::SubscribeTime,
                    follower::Column::SubscribeScene,
                    follower::Column::QrScene,
                    follower::Column::Remark,
                    follower::Column::Tags,
                    follower::Column::UpdatedAt,
                    follower::Column::Unionid,
                    follower::Column::Language,
                    follower::Column::GroupId,
                    follower::Column::SyncedAt,
                    follower::Column::SeenSyncId,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    // Only the ids: the chunk's rows were just written.
    let stored: Vec<(i64, String)> = follower::Entity::find()
        .select_only()
        .column(follower::Column::Id)
        .column(follower::Column::Openid)
        .filter(follower::Column::AccountId.eq(account_id))
        .filter(follower::Column::Openid.is_in(subscribed.iter().map(|u| u.openid.clone())))
        .into_tuple()
        .all(db)
        .await?;
    let by_openid: HashMap<&str, i64> = stored.iter().map(|(id, o)| (o.as_str(), *id)).collect();
    let ids: Vec<i64> = stored.iter().map(|(id, _)| *id).collect();
    follower_tag::Entity::delete_many()
        .filter(follower_tag::Column::FollowerId.is_in(ids))
        .exec(db)
        .await?;
    let mut members = Vec::new();
    for u in &subscribed {
        let Some(id) = by_openid.get(u.openid.as_str()) else {
            continue;
        };
        let tags: BTreeSet<i64> = u.tagid_list.iter().copied().collect();
        for t in tags {
            members.push(follower_tag::ActiveModel {
                follower_id: Set(*id),
                tag_id: Set(t),
                account_id: Set(account_id),
            });
        }
    }
    if !members.is_empty() {
        follower_tag::Entity::insert_many(members)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Refreshes PostgreSQL's planner statistics of the follower tables.
///
/// PostgreSQL plans by statistics that autovacuum refreshes only now and then (and never where
/// it is turned off). A full sync grows `followers` from nothing much faster than that; planned
/// on statistics of an empty table, the upsert's lookup by openid walked every follower of the
/// account instead of using the unique index (measured at 100,000 followers: about a second per
/// 400-openid chunk). The sync calls this as the table doubles. MySQL recalculates statistics
/// by itself and SQLite's planner takes the unique index without any, so only PostgreSQL runs it.
pub async fn refresh_statistics<C: ConnectionTrait>(db: &C) {
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    if let Err(e) = db
        .execute_unprepared("ANALYZE followers, follower_tags")
        .await
    {
        tracing::warn!(error = %e, "ANALYZE of the follower tables failed; their queries may be planned on stale statistics");
    }
}

/// Replaces the account's tags with WeChat's list.
pub async fn replace_tags<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    tags: &[Tag],
) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    let existing = oa_tag::Entity::find()
        .filter(oa_tag::Column::AccountId.eq(account_id))
        .all(db)
        .await?;
    for e in &existing {
        if !tags.iter().any(|t| t.id == e.wx_id) {
            delete_tag_local(db, account_id, e.wx_id).await?;
        }
    }
    for t in tags {
        upsert_tag(db, account_id, t.id, &t.name, t.count, now).await?;
    }
    Ok(())
}

/// Creates or renames the local copy of tag `wx_id`.
pub async fn upsert_tag<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    wx_id: i64,
    name: &str,
    wx_count: Option<i64>,
    synced: OffsetDateTime,
) -> AppResult<()> {
    let found = oa_tag::Entity::find()
        .filter(oa_tag::Column::AccountId.eq(account_id))
        .filter(oa_tag::Column::WxId.eq(wx_id))
        .one(db)
        .await?;
    match found {
        Some(m) => {
            let mut am: oa_tag::ActiveModel = m.into();
            am.name = Set(name.to_string());
            if wx_count.is_some() {
                am.wx_count = Set(wx_count);
            }
            am.synced_at = Set(Some(synced));
            am.updated_at = Set(synced);
            am.update(db).await?;
        }
        None => {
            oa_tag::ActiveModel {
                account_id: Set(account_id),
                wx_id: Set(wx_id),
                name: Set(name.to_string()),
                wx_count: Set(wx_count),
                synced_at: Set(Some(synced)),
                updated_at: Set(synced),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Removes tag `wx_id` and every membership of it, here only.
pub async fn delete_tag_local<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    wx_id: i64,
) -> AppResult<()> {
    let members: Vec<i64> = follower_tag::Entity::find()
        .select_only()
        .column(follower_tag::Column::FollowerId)
        .filter(follower_tag::Column::AccountId.eq(account_id))
        .filter(follower_tag::Column::TagId.eq(wx_id))
        .into_tuple()
        .all(db)
        .await?;
    for chunk in members.chunks(500) {
        set_membership(db, account_id, chunk, wx_id, false).await?;
    }
    oa_tag::Entity::delete_many()
        .filter(oa_tag::Column::AccountId.eq(account_id))
        .filter(oa_tag::Column::WxId.eq(wx_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Adds or removes tag `tag_id` on followers `ids` (rows and JSON copies).
pub async fn set_membership<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    ids: &[i64],
    tag_id: i64,
    add: bool,
) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let now = OffsetDateTime::now_utc();
    let rows = follower::Entity::find()
        .filter(follower::Column::AccountId.eq(account_id))
        .filter(follower::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    for f in rows {
        let mut tags: BTreeSet<i64> = tag_ids(&f).into_iter().collect();
        let changed = if add {
            tags.insert(tag_id)
        } else {
            tags.remove(&tag_id)
        };
        if !changed {
            continue;
        }
        let id = f.id;
        let mut am: follower::ActiveModel = f.into();
        am.tags = Set(tags_json(&tags));
        am.updated_at = Set(now);
        am.update(db).await?;
        if add {
            follower_tag::Entity::insert(follower_tag::ActiveModel {
                follower_id: Set(id),
                tag_id: Set(tag_id),
                account_id: Set(account_id),
            })
            .on_conflict(
                OnConflict::columns([
                    follower_tag::Column::FollowerId,
                    follower_tag::Column::TagId,
                ])
                // Changes nothing: MySQL has no `ON CONFLICT DO NOTHING`.
                .update_column(follower_tag::Column::AccountId)
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        } else {
            follower_tag::Entity::delete_many()
                .filter(follower_tag::Column::FollowerId.eq(id))
                .filter(follower_tag::Column::TagId.eq(tag_id))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Replaces the account's legacy groups with WeChat's list.
pub async fn replace_groups<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    groups: &[Group],
) -> AppResult<()> {
    let now = OffsetDateTime::now_utc();
    let existing = oa_group::Entity::find()
        .filter(oa_group::Column::AccountId.eq(account_id))
        .all(db)
        .await?;
    for e in &existing {
        if !groups.iter().any(|g| g.id == e.wx_id) {
            delete_group_local(db, account_id, e.wx_id).await?;
        }
    }
    for g in groups {
        upsert_group(db, account_id, g.id, &g.name, g.count, now).await?;
    }
    Ok(())
}

/// Creates or renames the local copy of group `wx_id`.
pub async fn upsert_group<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    wx_id: i64,
    name: &str,
    wx_count: Option<i64>,
    synced: OffsetDateTime,
) -> AppResult<()> {
    let found = oa_group::Entity::find()
        .filter(oa_group::Column::AccountId.eq(account_id))
        .filter(oa_group::Column::WxId.eq(wx_id))
        .one(db)
        .await?;
    match found {
        Some(m) => {
            let mut am: oa_group::ActiveModel = m.into();
            am.name = Set(name.to_string());
            if wx_count.is_some() {
                am.wx_count = Set(wx_count);
            }
            am.synced_at = Set(Some(synced));
            am.updated_at = Set(synced);
            am.update(db).await?;
        }
        None => {
            oa_group::ActiveModel {
                account_id: Set(account_id),
                wx_id: Set(wx_id),
                name: Set(name.to_string()),
                wx_count: Set(wx_count),
                synced_at: Set(Some(synced)),
                updated_at: Set(synced),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Removes group `wx_id` here; its members go back to group 0 (as WeChat does).
pub async fn delete_group_local<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    wx_id: i64,
) -> AppResult<()> {
    follower::Entity::update_many()
        .col_expr(follower::Column::GroupId, Expr::value(0i64))
        .col_expr(
            follower::Column::UpdatedAt,
            Expr::value(OffsetDateTime::now_utc()),
        )
        .filter(follower::Column::AccountId.eq(account_id))
        .filter(follower::Column::GroupId.eq(wx_id))
        .exec(db)
        .await?;
    oa_group::Entity::delete_many()
        .filter(oa_group::Column::AccountId.eq(account_id))
        .filter(oa_group::Column::WxId.eq(wx_id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn tags_of<C: ConnectionTrait>(db: &C, account_id: i64) -> AppResult<Vec<oa_tag::Model>> {
    Ok(oa_tag::Entity::find()
        .filter(oa_tag::Column::AccountId.eq(account_id))
        .order_by_asc(oa_tag::Column::WxId)
        .all(db)
        .await?)
}

pub async fn groups_of<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> AppResult<Vec<oa_group::Model>> {
    Ok(oa_group::Entity::find()
        .filter(oa_group::Column::AccountId.eq(account_id))
        .order_by_asc(oa_group::Column::WxId)
        .all(db)
        .await?)
}

fn day(s: &str, field: &str) -> AppResult<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map_err(|_| AppError::BadRequest(format!("{field} must be a date (YYYY-MM-DD)")))
}

/// The list's order. The three databases put NULLs at different ends, so followers without the
/// sorted value are put last explicitly (`col IS NULL` first, then the value); the id breaks ties
/// so that offset paging is stable.
pub fn sorted(select: Select<follower::Entity>, sort: FollowerSort) -> Select<follower::Entity> {
    let time = |order: Order| {
        let col = follower::Column::SubscribeTime;
        select
            .clone()
            .order_by(Expr::col(col).is_null(), Order::Asc)
            .order_by(col, order)
            .order_by_desc(follower::Column::Id)
    };
    // A text column: an empty string counts as no value.
    let text = |col: follower::Column| {
        select
            .clone()
            .order_by(
                Expr::col(col).is_null().or(Expr::col(col).eq("")),
                Order::Asc,
            )
            .order_by(col, Order::Asc)
            .order_by_desc(follower::Column::Id)
    };
    match sort {
        FollowerSort::Newest => select.order_by_desc(follower::Column::Id),
        FollowerSort::SubscribedDesc => time(Order::Desc),
        FollowerSort::SubscribedAsc => time(Order::Asc),
        FollowerSort::Remark => text(follower::Column::Remark),
        FollowerSort::Nickname => text(follower::Column::Nickname),
    }
}

/// The list's filter.
pub fn filter(account_id: i64, q: &FollowerQuery) -> AppResult<Condition> {
    let mut c = Condition::all().add(follower::Column::AccountId.eq(account_id));
    if let Some(s) = q.subscribed {
        c = c.add(follower::Column::Subscribed.eq(s));
    }
    if let Some(g) = q.group {
        c = c.add(follower::Column::GroupId.eq(g));
    }
    if let Some(s) = q.scene.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        c = c.add(follower::Column::SubscribeScene.eq(s));
    }
    if let Some(s) = q
        .qr_scene
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        c = c.add(follower::Column::QrScene.eq(s));
    }
    if let Some(f) = q.from.as_deref().filter(|s| !s.is_empty()) {
        let start = day(f, "from")?.midnight().assume_utc();
        c = c.add(follower::Column::SubscribeTime.gte(start));
    }
    if let Some(t) = q.to.as_deref().filter(|s| !s.is_empty()) {
        let end = day(t, "to")?
            .next_day()
            .ok_or_else(|| AppError::BadRequest("to is out of range".into()))?
            .midnight()
            .assume_utc();
        c = c.add(follower::Column::SubscribeTime.lt(end));
    }
    if let Some(t) = q.tag {
        c = c.add(
            follower::Column::Id.in_subquery(
                Query::select()
                    .column(follower_tag::Column::FollowerId)
                    .from(follower_tag::Entity)
                    .and_where(follower_tag::Column::AccountId.eq(account_id))
                    .and_where(follower_tag::Column::TagId.eq(t))
                    .to_owned(),
            ),
        );
    }
    if let Some(s) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let like = format!("%{}%", s.replace(['\\', '%', '_'], ""));
        c = c.add(
            Condition::any()
                .add(follower::Column::Openid.eq(s))
                .add(follower::Column::Remark.like(like.clone()))
                .add(follower::Column::Nickname.like(like)),
        );
    }
    Ok(c)
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    openid: &str,
) -> AppResult<Option<follower::Model>> {
    Ok(follower::Entity::find()
        .filter(follower::Column::AccountId.eq(account_id))
        .filter(follower::Column::Openid.eq(openid))
        .one(db)
        .await?)
}
