//! Followers, tags and legacy groups: reads from our database, changes pushed to WeChat first
//! and stored only once WeChat accepted them (so the portal never claims what WeChat refused).

use std::collections::HashMap;

use api::{
    Page, PageQuery,
    followers::{
        Follower, FollowerQuery, REMARK_MAX_CHARS, Selection, TAG_NAME_MAX_BYTES, Tag, TagRef,
        TagsAndGroups,
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait, sea_query::Expr,
};
use serde_json::json;
use time::OffsetDateTime;

use super::queries;
use crate::{
    audit::{self, Actor},
    entities::{follower, follower_tag},
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// Max followers one bulk action may select ("all matching this filter" included).
pub const BULK_MAX: u64 = 100_000;

/// Tag and group names by WeChat id.
pub struct Names {
    tags: HashMap<i64, String>,
    groups: HashMap<i64, String>,
}

impl Names {
    pub async fn load(db: &DatabaseConnection, account_id: i64) -> AppResult<Names> {
        Ok(Names {
            tags: queries::tags_of(db, account_id)
                .await?
                .into_iter()
                .map(|t| (t.wx_id, t.name))
                .collect(),
            groups: queries::groups_of(db, account_id)
                .await?
                .into_iter()
                .map(|g| (g.wx_id, g.name))
                .collect(),
        })
    }

    fn tag(&self, id: i64) -> TagRef {
        TagRef {
            id,
            name: self
                .tags
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("#{id}")),
        }
    }
}

pub fn to_api(f: &follower::Model, names: &Names) -> Follower {
    Follower {
        openid: f.openid.clone(),
        subscribed: f.subscribed,
        nickname: f.nickname.clone(),
        remark: f.remark.clone(),
        language: f.language.clone(),
        unionid: f.unionid.clone(),
        subscribe_time: f.subscribe_time.map(rfc3339),
        subscribe_scene: f.subscribe_scene.clone(),
        qr_scene: f.qr_scene.clone(),
        tags: queries::tag_ids(f)
            .into_iter()
            .map(|t| names.tag(t))
            .collect(),
        group: f.group_id.map(|g| TagRef {
            id: g,
            name: names
                .groups
                .get(&g)
                .cloned()
                .unwrap_or_else(|| format!("#{g}")),
        }),
        synced_at: f.synced_at.map(rfc3339),
        updated_at: rfc3339(f.updated_at),
    }
}

/// The follower list in the asked order, newest stored first by default (paged on the
/// `(account_id, …, id)` indexes; by subscribe time on `(account_id, subscribe_time)`).
pub async fn list(
    db: &DatabaseConnection,
    account_id: i64,
    q: &FollowerQuery,
) -> AppResult<Page<Follower>> {
    let page = PageQuery {
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(api::page::DEFAULT_PER_PAGE),
    }
    .clamped();
    let cond = queries::filter(account_id, q)?;
    let total = follower::Entity::find()
        .filter(cond.clone())
        .count(db)
        .await?;
    let rows = queries::sorted(
        follower::Entity::find().filter(cond),
        q.sort.unwrap_or_default(),
    )
    .offset(page.offset())
    .limit(page.per_page)
    .all(db)
    .await?;
    let names = Names::load(db, account_id).await?;
    Ok(Page {
        items: rows.iter().map(|f| to_api(f, &names)).collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

pub async fn get(db: &DatabaseConnection, account_id: i64, openid: &str) -> AppResult<Follower> {
    let f = queries::find(db, account_id, openid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(to_api(&f, &Names::load(db, account_id).await?))
}

fn wx(e: wechat::Error) -> AppError {
    wechat_clients::api_error(&e)
}

/// Sets the remark at WeChat, then here.
pub async fn update_remark(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    openid: &str,
    remark: &str,
) -> AppResult<Follower> {
    let remark = remark.trim();
    if remark.chars().count() > REMARK_MAX_CHARS {
        return Err(crate::error::field_error(
            "remark",
            api::validate::Rule::TooLong {
                max: REMARK_MAX_CHARS,
            },
        ));
    }
    let f = queries::find(&state.db, account_id, openid)
        .await?
        .ok_or(AppError::NotFound)?;
    let client = wechat_clients::oa(state, account_id).await?;
    client
        .user_update_remark(openid, remark)
        .await
        .map_err(wx)?;
    let txn = state.db.begin().await?;
    let mut am: follower::ActiveModel = f.into();
    am.remark = Set((!remark.is_empty()).then(|| remark.to_string()));
    am.updated_at = Set(OffsetDateTime::now_utc());
    am.update(&txn).await?;
    audit::service::record(
        &txn,
        actor,
        "follower.remark",
        "account",
        Some(account_id),
        format!("remark of {openid} set"),
        json!({"openid": openid}),
    )
    .await?;
    txn.commit().await?;
    get(&state.db, account_id, openid).await
}

fn check_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::error::field_error(
            "name",
            api::validate::Rule::Required,
        ));
    }
    if name.len() > TAG_NAME_MAX_BYTES {
        return Err(crate::error::field_error(
            "name",
            api::validate::Rule::TooLong {
                max: TAG_NAME_MAX_BYTES,
            },
        ));
    }
    Ok(name.to_string())
}

/// Tags and groups with the member counts we hold.
pub async fn tags_and_groups(db: &DatabaseConnection, account_id: i64) -> AppResult<TagsAndGroups> {
    let counts: Vec<(i64, i64)> = follower_tag::Entity::find()
        .select_only()
        .column(follower_tag::Column::TagId)
        .column_as(
            sea_orm::sea_query::ExprTrait::count(Expr::col(follower_tag::Column::FollowerId)),
            "n",
        )
        .filter(follower_tag::Column::AccountId.eq(account_id))
        .group_by(follower_tag::Column::TagId)
        .into_tuple()
        .all(db)
        .await?;
    let counts: HashMap<i64, i64> = counts.into_iter().collect();
    let tags = queries::tags_of(db, account_id)
        .await?
        .into_iter()
        .map(|t| Tag {
            id: t.wx_id,
            name: t.name,
            count: counts.get(&t.wx_id).copied().unwrap_or(0).max(0) as u64,
            wx_count: t.wx_count,
            synced_at: t.synced_at.map(rfc3339),
        })
        .collect();
    let gcounts: Vec<(Option<i64>, i64)> = follower::Entity::find()
        .select_only()
        .column(follower::Column::GroupId)
        .column_as(
            sea_orm::sea_query::ExprTrait::count(Expr::col(follower::Column::Id)),
            "n",
        )
        .filter(follower::Column::AccountId.eq(account_id))
        .filter(follower::Column::Subscribed.eq(true))
        .group_by(follower::Column::GroupId)
        .into_tuple()
        .all(db)
        .await?;
    let gcounts: HashMap<i64, i64> = gcounts
        .into_iter()
        .filter_map(|(g, n)| g.map(|g| (g, n)))
        .collect();
    let groups = queries::groups_of(db, account_id)
        .await?
        .into_iter()
        .map(|g| Tag {
            id: g.wx_id,
            name: g.name,
            count: gcounts.get(&g.wx_id).copied().unwrap_or(0).max(0) as u64,
            wx_count: g.wx_count,
            synced_at: g.synced_at.map(rfc3339),
        })
        .collect();
    Ok(TagsAndGroups { tags, groups })
}

/// 404 unless the account has tag (`group`: legacy group) `wx_id`.
pub(super) async fn tag_exists(
    db: &DatabaseConnection,
    account_id: i64,
    wx_id: i64,
    group: bool,
) -> AppResult<()> {
    let known = if group {
        queries::groups_of(db, account_id)
            .await?
            .iter()
            .any(|g| g.wx_id == wx_id)
    } else {
        queries::tags_of(db, account_id)
            .await?
            .iter()
            .any(|t| t.wx_id == wx_id)
    };
    if known {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Creates a tag (`group`: a legacy group) at WeChat, then here.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    name: &str,
    group: bool,
) -> AppResult<Tag> {
    let name = check_name(name)?;
    let client = wechat_clients::oa(state, account_id).await?;
    let id = if group {
        client.groups_create(&name).await.map_err(wx)?.id
    } else {
        client.tags_create(&name).await.map_err(wx)?.id
    };
    let now = OffsetDateTime::now_utc();
    let txn = state.db.begin().await?;
    if group {
        queries::upsert_group(&txn, account_id, id, &name, Some(0), now).await?;
    } else {
        queries::upsert_tag(&txn, account_id, id, &name, Some(0), now).await?;
    }
    let what = if group { "group" } else { "tag" };
    audit::service::record(
        &txn,
        actor,
        &format!("{what}.create"),
        "account",
        Some(account_id),
        format!("{what} {name} ({id}) created"),
        json!({"id": id, "name": name}),
    )
    .await?;
    txn.commit().await?;
    Ok(Tag {
        id,
        name,
        count: 0,
        wx_count: Some(0),
        synced_at: Some(rfc3339(now)),
    })
}

/// Renames a tag / group at WeChat, then here.
pub async fn rename(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    wx_id: i64,
    name: &str,
    group: bool,
) -> AppResult<()> {
    let name = check_name(name)?;
    tag_exists(&state.db, account_id, wx_id, group).await?;
    let client = wechat_clients::oa(state, account_id).await?;
    if group {
        client.groups_update(wx_id, &name).await.map_err(wx)?;
    } else {
        client.tags_update(wx_id, &name).await.map_err(wx)?;
    }
    let now = OffsetDateTime::now_utc();
    let txn = state.db.begin().await?;
    if group {
        queries::upsert_group(&txn, account_id, wx_id, &name, None, now).await?;
    } else {
        queries::upsert_tag(&txn, account_id, wx_id, &name, None, now).await?;
    }
    let what = if group { "group" } else { "tag" };
    audit::service::record(
        &txn,
        actor,
        &format!("{what}.rename"),
        "account",
        Some(account_id),
        format!("{what} {wx_id} renamed to {name}"),
        json!({"id": wx_id, "name": name}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a tag / group at WeChat, then here (memberships with it).
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    wx_id: i64,
    group: bool,
) -> AppResult<()> {
    tag_exists(&state.db, account_id, wx_id, group).await?;
    let client = wechat_clients::oa(state, account_id).await?;
    if group {
        client.groups_delete(wx_id).await.map_err(wx)?;
    } else {
        client.tags_delete(wx_id).await.map_err(wx)?;
    }
    let txn = state.db.begin().await?;
    if group {
        queries::delete_group_local(&txn, account_id, wx_id).await?;
    } else {
        queries::delete_tag_local(&txn, account_id, wx_id).await?;
    }
    let what = if group { "group" } else { "tag" };
    audit::service::record(
        &txn,
        actor,
        &format!("{what}.delete"),
        "account",
        Some(account_id),
        format!("{what} {wx_id} deleted"),
        json!({"id": wx_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// `(id, openid)` of the subscribed followers a selection names.
pub async fn select(
    db: &DatabaseConnection,
    account_id: i64,
    selection: &Selection,
) -> AppResult<Vec<(i64, String)>> {
    let mut cond = match selection {
        Selection::Openids { openids } => {
            if openids.is_empty() {
                return Err(AppError::BadRequest("select at least one follower".into()));
            }
            if openids.len() as u64 > BULK_MAX {
                return Err(AppError::BadRequest(format!(
                    "at most {BULK_MAX} followers at once"
                )));
            }
            sea_orm::Condition::all()
                .add(follower::Column::AccountId.eq(account_id))
                .add(follower::Column::Openid.is_in(openids.iter().cloned()))
        }
        Selection::Filter { filter } => queries::filter(account_id, filter)?,
    };
    cond = cond.add(follower::Column::Subscribed.eq(true));
    let n = follower::Entity::find()
        .filter(cond.clone())
        .count(db)
        .await?;
    if n > BULK_MAX {
        return Err(AppError::BadRequest(format!(
            "{n} followers match; narrow the filter to at most {BULK_MAX}"
        )));
    }
    Ok(follower::Entity::find()
        .select_only()
        .column(follower::Column::Id)
        .column(follower::Column::Openid)
        .filter(cond)
        .order_by_asc(follower::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
