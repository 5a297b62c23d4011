//! Drift between the contacts mirror and WeCom, and per-item repair.
//!
//! What can be read cheaply on WeCom's compliant path is compared: departments
//! (`department/simplelist`: id, parent, order), members and their departments (`user/list_id`),
//! tags (`tag/list`: id, name) and each tag's members and departments (`tag/get`). Changes the
//! mirror misses happen: writes made with the contacts secret elsewhere produce no callback, and
//! callbacks can be lost. A repair re-reads the one item from WeCom (WeCom is the source of
//! truth for a directory), which also removes it here when WeCom no longer has it.

use std::collections::{BTreeMap, BTreeSet};

use api::wecom_contacts::{DriftIssue, DriftItem, DriftRepairInput, DriftReport, DriftSide};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use time::OffsetDateTime;

use super::mirror::{self, Clients, refused};
use crate::{
    audit::{self, Actor},
    entities::{
        wecom_department as dept, wecom_member as member, wecom_member_department as md,
        wecom_tag as tag, wecom_tag_member as tm,
    },
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
};

fn item(
    kind: &str,
    id: String,
    name: String,
    issue: DriftIssue,
    ours: Option<DriftSide>,
    theirs: Option<DriftSide>,
) -> DriftItem {
    DriftItem {
        kind: kind.to_owned(),
        id,
        name,
        issue,
        ours,
        theirs,
    }
}

/// Compares two keyed maps: missing on either side, or different values.
fn compare<K: Ord + ToString, V: PartialEq>(
    kind: &str,
    ours: &BTreeMap<K, V>,
    theirs: &BTreeMap<K, V>,
    name: impl Fn(&K) -> String,
    show: impl Fn(&V) -> DriftSide,
    out: &mut Vec<DriftItem>,
) {
    for (k, t) in theirs {
        let issue = match ours.get(k) {
            None => DriftIssue::MissingHere,
            Some(o) if o != t => DriftIssue::Differs,
            Some(_) => continue,
        };
        let o = ours.get(k).map(&show);
        out.push(item(kind, k.to_string(), name(k), issue, o, Some(show(t))));
    }
    for (k, o) in ours {
        if !theirs.contains_key(k) {
            out.push(item(
                kind,
                k.to_string(),
                name(k),
                DriftIssue::MissingThere,
                Some(show(o)),
                None,
            ));
        }
    }
}

/// Reads WeCom and the mirror of WeCom app `account_id` and lists every difference.
pub async fn check(state: &AppState, account_id: i64) -> AppResult<DriftReport> {
    let clients = Clients::load(state, account_id).await?;
    let reader = clients.reader();
    let db = &state.db;
    let mut items = Vec::new();

    // Departments: parent and order.
    let theirs: BTreeMap<i64, (i64, i64)> = reader
        .department_simple_list(None)
        .await
        .map_err(|e| refused(&e))?
        .into_iter()
        .map(|d| (d.id, (d.parentid, d.order)))
        .collect();
    let rows = dept::Entity::find()
        .filter(dept::Column::AccountId.eq(account_id))
        .all(db)
        .await?;
    let names: BTreeMap<i64, String> = rows.iter().map(|d| (d.dept_id, d.name.clone())).collect();
    let ours: BTreeMap<i64, (i64, i64)> = rows
        .iter()
        .map(|d| (d.dept_id, (d.parent_id, d.sort_order)))
        .collect();
    let departments = theirs.len() as u64;
    compare(
        "department",
        &ours,
        &theirs,
        |id| names.get(id).cloned().unwrap_or_default(),
        |(p, o)| DriftSide {
            parent_id: Some(*p),
            order: Some(*o),
            ..Default::default()
        },
        &mut items,
    );

    // Members: their departments, from every page of user/list_id.
    let mut theirs: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    let mut cursor = String::new();
    loop {
        let page = reader
            .user_list_id(&cursor, 10_000)
            .await
            .map_err(|e| refused(&e))?;
        for du in page.dept_user {
            theirs.entry(du.userid).or_default().insert(du.department);
        }
        if page.next_cursor.is_empty() {
            break;
        }
        cursor = page.next_cursor;
    }
    let people = member::Entity::find()
        .filter(member::Column::AccountId.eq(account_id))
        .all(db)
        .await?;
    let member_names: BTreeMap<String, String> = people
        .iter()
        .map(|m| (m.userid.clone(), m.name.clone()))
        .collect();
    let mut ours: BTreeMap<String, BTreeSet<i64>> = people
        .iter()
        .map(|m| (m.userid.clone(), BTreeSet::new()))
        .collect();
    for r in md::Entity::find()
        .filter(md::Column::AccountId.eq(account_id))
        .all(db)
        .await?
    {
        if let Some(set) = ours.get_mut(&r.userid) {
            set.insert(r.dept_id);
        }
    }
    let members = theirs.len() as u64;
    compare(
        "member",
        &ours,
        &theirs,
        |u| member_names.get(u).cloned().unwrap_or_default(),
        |d| DriftSide {
            departments: d.iter().copied().collect(),
            ..Default::default()
        },
        &mut items,
    );

    // Tags: name, members and departments.
    type TagView = (String, BTreeSet<String>, BTreeSet<i64>);
    let mut theirs: BTreeMap<i64, TagView> = BTreeMap::new();
    for t in reader.tag_list().await.map_err(|e| refused(&e))? {
        let v = reader.tag_get(t.tagid).await.map_err(|e| refused(&e))?;
        let (_, users, parties) = mirror::tag_members_of(&v);
        theirs.insert(
            t.tagid,
            (
                t.tagname,
                users.into_iter().collect(),
                parties.into_iter().collect(),
            ),
        );
    }
    let mut ours: BTreeMap<i64, TagView> = tag::Entity::find()
        .filter(tag::Column::AccountId.eq(account_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.tag_id, (t.name, BTreeSet::new(), BTreeSet::new())))
        .collect();
    for r in tm::Entity::find()
        .filter(tm::Column::AccountId.eq(account_id))
        .all(db)
        .await?
    {
        if let Some((_, users, parties)) = ours.get_mut(&r.tag_id) {
            if r.member_kind == "party" {
                if let Ok(d) = r.member_ref.parse() {
                    parties.insert(d);
                }
            } else {
                users.insert(r.member_ref);
            }
        }
    }
    let tags = theirs.len() as u64;
    let tag_names: BTreeMap<i64, String> = theirs
        .iter()
        .map(|(k, v)| (*k, v.0.clone()))
        .chain(ours.iter().map(|(k, v)| (*k, v.0.clone())))
        .collect();
    compare(
        "tag",
        &ours,
        &theirs,
        |id| tag_names.get(id).cloned().unwrap_or_default(),
        |(name, users, parties)| DriftSide {
            name: Some(name.clone()),
            users: users.iter().cloned().collect(),
            departments: parties.iter().copied().collect(),
            ..Default::default()
        },
        &mut items,
    );

    Ok(DriftReport {
        checked_at: rfc3339(OffsetDateTime::now_utc()),
        departments,
        members,
        tags,
        items,
    })
}

/// Re-reads one item from WeCom into the mirror (removing it here when WeCom has none).
pub async fn repair(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: &DriftRepairInput,
) -> AppResult<()> {
    let clients = Clients::load(state, account_id).await?;
    let db = &state.db;
    let bad = || AppError::BadRequest(format!("unknown item {}/{}", input.kind, input.id));
    match input.kind.as_str() {
        "department" => {
            let id = input.id.parse().map_err(|_| bad())?;
            mirror::reread_department(db, &clients, account_id, id).await?;
        }
        "member" => {
            if input.id.is_empty() || input.id.len() > 64 {
                return Err(bad());
            }
            mirror::reread_member(db, &clients, account_id, &input.id).await?;
        }
        "tag" => {
            let id = input.id.parse().map_err(|_| bad())?;
            mirror::reread_tag(db, &clients, account_id, id, None).await?;
        }
        _ => return Err(bad()),
    }
    audit::service::record(
        &state.db,
        actor,
        "wecom.contacts.drift_repair",
        "account",
        Some(account_id),
        format!("re-read {} {} from WeCom", input.kind, input.id),
        serde_json::json!({"kind": input.kind, "id": input.id}),
    )
    .await?;
    Ok(())
}
