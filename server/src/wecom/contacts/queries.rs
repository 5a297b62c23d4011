//! Reads of the contacts mirror: the department tree with member counts, the member list
//! (department subtree, tag, status, search by name / userid / mobile / email, paging) and
//! tags with their members. These are what other features (the app message recipient picker)
//! read too.

use std::collections::BTreeMap;

use api::Page;
use api::page::PageQuery;
use api::wecom_contacts::{
    Department, Member, MemberDepartment, MemberQuery, MemberRef, MemberStatus, Tag, TagDetail,
};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func, LikeExpr, Query},
};

use crate::{
    entities::{
        wecom_department as dept, wecom_member as member, wecom_member_department as md,
        wecom_tag as tag, wecom_tag_member as tm,
    },
    error::{AppError, AppResult},
    util::{like_contains_pattern, rfc3339},
};

/// Every department with its direct member count, ordered for display (parent, then WeCom's
/// order descending, then id).
pub async fn departments(db: &DatabaseConnection, account_id: i64) -> AppResult<Vec<Department>> {
    let counts: BTreeMap<i64, i64> = md::Entity::find()
        .select_only()
        .column(md::Column::DeptId)
        .column_as(md::Column::Id.count(), "n")
        .filter(md::Column::AccountId.eq(account_id))
        .group_by(md::Column::DeptId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let rows = dept::Entity::find()
        .filter(dept::Column::AccountId.eq(account_id))
        .order_by_asc(dept::Column::ParentId)
        .order_by_desc(dept::Column::SortOrder)
        .order_by_asc(dept::Column::DeptId)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|d| Department {
            id: d.dept_id,
            name: d.name,
            name_en: d.name_en,
            parent_id: d.parent_id,
            order: d.sort_order,
            member_count: counts.get(&d.dept_id).copied().unwrap_or(0) as u64,
        })
        .collect())
}

/// `id` and its descendants in the mirror.
pub async fn subtree(db: &DatabaseConnection, account_id: i64, id: i64) -> AppResult<Vec<i64>> {
    let pairs: Vec<(i64, i64)> = dept::Entity::find()
        .select_only()
        .column(dept::Column::DeptId)
        .column(dept::Column::ParentId)
        .filter(dept::Column::AccountId.eq(account_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() {
        let cur = out[i];
        out.extend(
            pairs
                .iter()
                .filter(|(d, p)| *p == cur && *d != cur && !out.contains(d))
                .map(|(d, _)| *d)
                .collect::<Vec<_>>(),
        );
        i += 1;
    }
    Ok(out)
}

fn lower_like(col: member::Column, needle: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(col)))
        .like(LikeExpr::new(like_contains_pattern(&needle.to_lowercase())).escape('\\'))
}

/// Members matching the query, by userid, one page.
pub async fn members(
    db: &DatabaseConnection,
    account_id: i64,
    q: &MemberQuery,
) -> AppResult<Page<Member>> {
    let paging = PageQuery {
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(api::page::DEFAULT_PER_PAGE),
    }
    .clamped();
    let mut find = member::Entity::find().filter(member::Column::AccountId.eq(account_id));
    if let Some(s) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        find = find.filter(
            Condition::any()
                .add(lower_like(member::Column::Name, s))
                .add(lower_like(member::Column::Userid, s))
                .add(lower_like(member::Column::Mobile, s))
                .add(lower_like(member::Column::Email, s)),
        );
    }
    if let Some(d) = q.department {
        let ids = subtree(db, account_id, d).await?;
        find = find.filter(
            member::Column::Userid.in_subquery(
                Query::select()
                    .column(md::Column::Userid)
                    .from(md::Entity)
                    .and_where(md::Column::AccountId.eq(account_id))
                    .and_where(md::Column::DeptId.is_in(ids))
                    .to_owned(),
            ),
        );
    }
    if let Some(t) = q.tag {
        find = find.filter(
            member::Column::Userid.in_subquery(
                Query::select()
                    .column(tm::Column::MemberRef)
                    .from(tm::Entity)
                    .and_where(tm::Column::AccountId.eq(account_id))
                    .and_where(tm::Column::TagId.eq(t))
                    .and_where(tm::Column::MemberKind.eq("user"))
                    .to_owned(),
            ),
        );
    }
    if let Some(s) = q.status {
        find = find.filter(member::Column::Status.eq(s.wecom()));
    }
    let total = find.clone().count(db).await?;
    let rows = find
        .order_by_asc(member::Column::Userid)
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(db)
        .await?;
    let items = with_relations(db, account_id, rows).await?;
    Ok(Page {
        items,
        total,
        page: paging.page,
        per_page: paging.per_page,
    })
}

/// One member.
pub async fn member(db: &DatabaseConnection, account_id: i64, userid: &str) -> AppResult<Member> {
    let row = member::Entity::find()
        .filter(member::Column::AccountId.eq(account_id))
        .filter(member::Column::Userid.eq(userid))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_relations(db, account_id, vec![row]).await?.remove(0))
}

async fn with_relations(
    db: &DatabaseConnection,
    account_id: i64,
    rows: Vec<member::Model>,
) -> AppResult<Vec<Member>> {
    let ids: Vec<String> = rows.iter().map(|m| m.userid.clone()).collect();
    let mut depts: BTreeMap<String, Vec<MemberDepartment>> = BTreeMap::new();
    let mut tags: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    if !ids.is_empty() {
        for d in md::Entity::find()
            .filter(md::Column::AccountId.eq(account_id))
            .filter(md::Column::Userid.is_in(ids.clone()))
            .order_by_asc(md::Column::Id)
            .all(db)
            .await?
        {
            depts.entry(d.userid).or_default().push(MemberDepartment {
                id: d.dept_id,
                is_leader: d.is_leader,
            });
        }
        for t in tm::Entity::find()
            .filter(tm::Column::AccountId.eq(account_id))
            .filter(tm::Column::MemberKind.eq("user"))
            .filter(tm::Column::MemberRef.is_in(ids))
            .order_by_asc(tm::Column::TagId)
            .all(db)
            .await?
        {
            tags.entry(t.member_ref).or_default().push(t.tag_id);
        }
    }
    Ok(rows
        .into_iter()
        .map(|m| Member {
            departments: depts.remove(&m.userid).unwrap_or_default(),
            tags: tags.remove(&m.userid).unwrap_or_default(),
            userid: m.userid,
            name: m.name,
            alias: m.alias,
            position: m.position,
            mobile: m.mobile,
            email: m.email,
            gender: m.gender,
            telephone: m.telephone,
            restricted: m.restricted,
            status: MemberStatus::from_wecom(m.status as i64),
            enabled: m.enabled,
            main_department: m.main_department,
            extattr: m
                .extattr
                .as_deref()
                .and_then(|x| serde_json::from_str(x).ok())
                .unwrap_or_default(),
            extattr_ignored: Vec::new(),
            updated_at: rfc3339(m.updated_at),
        })
        .collect())
}

/// Every tag with its counts.
pub async fn tags(db: &DatabaseConnection, account_id: i64) -> AppResult<Vec<Tag>> {
    let counts: Vec<(i64, String, i64)> = tm::Entity::find()
        .select_only()
        .column(tm::Column::TagId)
        .column(tm::Column::MemberKind)
        .column_as(tm::Column::Id.count(), "n")
        .filter(tm::Column::AccountId.eq(account_id))
        .group_by(tm::Column::TagId)
        .group_by(tm::Column::MemberKind)
        .into_tuple()
        .all(db)
        .await?;
    let count = |id: i64, kind: &str| {
        counts
            .iter()
            .find(|(t, k, _)| *t == id && k == kind)
            .map(|c| c.2 as u64)
            .unwrap_or(0)
    };
    Ok(tag::Entity::find()
        .filter(tag::Column::AccountId.eq(account_id))
        .order_by_asc(tag::Column::TagId)
        .all(db)
        .await?
        .into_iter()
        .map(|t| Tag {
            id: t.tag_id,
            user_count: count(t.tag_id, "user"),
            department_count: count(t.tag_id, "party"),
            name: t.name,
            created_here: t.created_here,
        })
        .collect())
}

/// One tag with its members (names from the mirror; a member not mirrored shows its userid).
pub async fn tag_detail(
    db: &DatabaseConnection,
    account_id: i64,
    tag_id: i64,
) -> AppResult<TagDetail> {
    let tag = tags(db, account_id)
        .await?
        .into_iter()
        .find(|t| t.id == tag_id)
        .ok_or(AppError::NotFound)?;
    let rows = tm::Entity::find()
        .filter(tm::Column::AccountId.eq(account_id))
        .filter(tm::Column::TagId.eq(tag_id))
        .order_by_asc(tm::Column::Id)
        .all(db)
        .await?;
    let userids: Vec<String> = rows
        .iter()
        .filter(|r| r.member_kind == "user")
        .map(|r| r.member_ref.clone())
        .collect();
    let names: BTreeMap<String, String> = if userids.is_empty() {
        BTreeMap::new()
    } else {
        member::Entity::find()
            .select_only()
            .column(member::Column::Userid)
            .column(member::Column::Name)
            .filter(member::Column::AccountId.eq(account_id))
            .filter(member::Column::Userid.is_in(userids.clone()))
            .into_tuple::<(String, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    Ok(TagDetail {
        tag,
        users: userids
            .into_iter()
            .map(|u| MemberRef {
                name: names.get(&u).cloned().unwrap_or_else(|| u.clone()),
                userid: u,
            })
            .collect(),
        departments: rows
            .iter()
            .filter(|r| r.member_kind == "party")
            .filter_map(|r| r.member_ref.parse().ok())
            .collect(),
    })
}
