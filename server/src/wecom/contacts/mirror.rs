//! The local mirror of a WeCom app's directory: writes of departments, members (with their
//! departments), tags (with their members), and re-reading one item from WeCom — what the
//! sync, the `change_contact` handler and the CRUD routes all go through.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use time::OffsetDateTime;
use wechat::client::work::{WorkClient, WorkUser};

use crate::{
    entities::{
        wecom_department as dept, wecom_member as member, wecom_member_department as md,
        wecom_tag as tag, wecom_tag_member as tm,
    },
    error::{AppError, AppResult},
    state::AppState,
    wechat_clients,
};

/// The two credentials of a WeCom app, each with its role since WeCom's 2022 rules.
#[derive(Clone)]
pub struct Clients {
    /// The app secret: member details and department names within the app's visible range.
    pub app: WorkClient,
    /// The contacts-sync secret: directory writes and the compliant listings.
    pub contacts: Option<WorkClient>,
}

impl Clients {
    /// A corp operated through a suite has one credential, the corp token: it is both (what
    /// it may write follows the privileges the corp granted; WeCom answers the rest).
    pub async fn load(state: &AppState, account_id: i64) -> AppResult<Clients> {
        let app = wechat_clients::work(state, account_id).await?;
        let managed = crate::accounts::queries::find(&state.db, account_id)
            .await?
            .is_some_and(|m| crate::wecom::suite::managed::link_of(&m).is_some());
        let contacts = if managed {
            Some(app.clone())
        } else {
            wechat_clients::work_contacts(state, account_id).await?
        };
        Ok(Clients { app, contacts })
    }

    /// Listings (`department/simplelist`, `user/list_id`, tags): the contacts secret where set,
    /// else the app secret within its visible range.
    pub fn reader(&self) -> &WorkClient {
        self.contacts.as_ref().unwrap_or(&self.app)
    }

    /// Department and member writes need the contacts-sync secret (WeCom: 60011 otherwise).
    pub fn directory_writer(&self) -> AppResult<&WorkClient> {
        self.contacts.as_ref().ok_or_else(|| {
            AppError::refused(
                "no_contacts_secret",
                "changing departments and members needs the contacts-sync secret (通讯录同步 Secret): an admin sets it on the account",
            )
        })
    }

    /// Tag writes: the contacts secret where set, else the app (which may change only the
    /// tags it created: 81011).
    pub fn tag_writer(&self) -> &WorkClient {
        self.reader()
    }
}

/// WeCom's errcode of a failed call, if WeCom answered.
pub fn errcode(e: &wechat::Error) -> Option<i64> {
    match e {
        wechat::Error::Wechat(w) => Some(w.code),
        _ => None,
    }
}

/// A WeCom refusal as a 409 with WeChat's errcode and reason; transport trouble stays a 502.
pub fn refused(e: &wechat::Error) -> AppError {
    match e {
        wechat::Error::Wechat(w)
            if w.code > 0 && ![40001, 40014, 42001, 45009].contains(&w.code) =>
        {
            AppError::RefusedCode {
                errcode: w.code,
                message: wechat_clients::describe(e),
            }
        }
        _ => wechat_clients::api_error(e),
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Stores a department (insert or update).
pub async fn store_department<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    id: i64,
    name: &str,
    name_en: &str,
    parent_id: i64,
    order: i64,
) -> AppResult<()> {
    let existing = dept::Entity::find()
        .filter(dept::Column::AccountId.eq(account_id))
        .filter(dept::Column::DeptId.eq(id))
        .one(db)
        .await?;
    let mut am = match existing {
        Some(m) => m.into(),
        None => dept::ActiveModel {
            account_id: Set(account_id),
            dept_id: Set(id),
            ..Default::default()
        },
    };
    am.name = Set(clip(name, 128));
    am.name_en = Set(clip(name_en, 128));
    am.parent_id = Set(parent_id);
    am.sort_order = Set(order);
    am.updated_at = Set(now());
    am.save(db).await?;
    Ok(())
}

/// Removes the row and its memberships together (one transaction: no orphans after a crash).
pub async fn delete_department(db: &DatabaseConnection, account_id: i64, id: i64) -> AppResult<()> {
    let txn = db.begin().await?;
    dept::Entity::delete_many()
        .filter(dept::Column::AccountId.eq(account_id))
        .filter(dept::Column::DeptId.eq(id))
        .exec(&txn)
        .await?;
    md::Entity::delete_many()
        .filter(md::Column::AccountId.eq(account_id))
        .filter(md::Column::DeptId.eq(id))
        .exec(&txn)
        .await?;
    tm::Entity::delete_many()
        .filter(tm::Column::AccountId.eq(account_id))
        .filter(tm::Column::MemberKind.eq("party"))
        .filter(tm::Column::MemberRef.eq(id.to_string()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Stores a member as `user/get` returned it, with its departments, in one transaction.
/// Fields WeCom withheld (all of mobile, email and gender absent) mark the member restricted.
pub async fn store_member(
    db: &DatabaseConnection,
    account_id: i64,
    u: &WorkUser,
    job_id: Option<i64>,
) -> AppResult<()> {
    // A callback's re-read and the portal's own may store the same member at once: the
    // second insert then meets the first's row, and one more try updates it.
    match store_member_once(db, account_id, u, job_id).await {
        Err(AppError::Database(_)) => store_member_once(db, account_id, u, job_id).await,
        other => other,
    }
}

async fn store_member_once(
    db: &DatabaseConnection,
    account_id: i64,
    u: &WorkUser,
    job_id: Option<i64>,
) -> AppResult<()> {
    let restricted = u.mobile.is_none() && u.email.is_none() && u.gender.is_none();
    // Read outside the transaction, which then starts with a write: SQLite refuses to upgrade
    // a reading transaction while another writes ("database is locked").
    let existing = member::Entity::find()
        .filter(member::Column::AccountId.eq(account_id))
        .filter(member::Column::Userid.eq(&u.userid))
        .one(db)
        .await?;
    let txn = db.begin().await?;
    md::Entity::delete_many()
        .filter(md::Column::AccountId.eq(account_id))
        .filter(md::Column::Userid.eq(&u.userid))
        .exec(&txn)
        .await?;
    let mut am = match existing {
        Some(m) => m.into(),
        None => member::ActiveModel {
            account_id: Set(account_id),
            userid: Set(u.userid.clone()),
            ..Default::default()
        },
    };
    let opt = |v: &Option<String>, max: usize| v.as_deref().map(|s| clip(s, max));
    am.name = Set(clip(&u.name, 128));
    am.alias = Set(clip(u.alias.as_deref().unwrap_or(""), 64));
    am.position = Set(clip(u.position.as_deref().unwrap_or(""), 128));
    am.mobile = Set(opt(&u.mobile, 32));
    am.email = Set(opt(&u.email, 128));
    am.gender = Set(opt(&u.gender, 4));
    am.telephone = Set(opt(&u.telephone, 64));
    am.restricted = Set(restricted);
    am.status = Set(u.status.unwrap_or(4) as i32);
    am.enabled = Set(u.enable.unwrap_or(1) != 0);
    am.main_department = Set(u
        .main_department
        .or(u.department.first().copied())
        .unwrap_or(1));
    // Kept as it was when WeCom sent none (a read that withholds the field).
    if let Some(x) = u.extra.get("extattr") {
        am.extattr = Set(Some(
            serde_json::to_string(&super::extattr::from_wecom(x)).map_err(AppError::internal)?,
        ));
    }
    am.sync_job_id = Set(job_id);
    am.updated_at = Set(now());
    am.save(&txn).await?;
    let mut seen = Vec::new();
    for (i, d) in u.department.iter().enumerate() {
        if seen.contains(d) {
            continue;
        }
        seen.push(*d);
        md::ActiveModel {
            account_id: Set(account_id),
            userid: Set(u.userid.clone()),
            dept_id: Set(*d),
            is_leader: Set(u.is_leader_in_dept.get(i).copied().unwrap_or(0) == 1),
            sort_order: Set(u.order.get(i).copied().unwrap_or(0)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Removes the row and its memberships together (one transaction: no orphans after a crash).
pub async fn delete_member(
    db: &DatabaseConnection,
    account_id: i64,
    userid: &str,
) -> AppResult<()> {
    let txn = db.begin().await?;
    member::Entity::delete_many()
        .filter(member::Column::AccountId.eq(account_id))
        .filter(member::Column::Userid.eq(userid))
        .exec(&txn)
        .await?;
    md::Entity::delete_many()
        .filter(md::Column::AccountId.eq(account_id))
        .filter(md::Column::Userid.eq(userid))
        .exec(&txn)
        .await?;
    tm::Entity::delete_many()
        .filter(tm::Column::AccountId.eq(account_id))
        .filter(tm::Column::MemberKind.eq("user"))
        .filter(tm::Column::MemberRef.eq(userid))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Stores a tag with exactly these members, in one transaction. `created_here` is kept when
/// `None`.
pub async fn store_tag(
    db: &DatabaseConnection,
    account_id: i64,
    tag_id: i64,
    name: &str,
    users: &[String],
    parties: &[i64],
    created_here: Option<bool>,
) -> AppResult<()> {
    match store_tag_once(db, account_id, tag_id, name, users, parties, created_here).await {
        Err(AppError::Database(_)) => {
            store_tag_once(db, account_id, tag_id, name, users, parties, created_here).await
        }
        other => other,
    }
}

async fn store_tag_once(
    db: &DatabaseConnection,
    account_id: i64,
    tag_id: i64,
    name: &str,
    users: &[String],
    parties: &[i64],
    created_here: Option<bool>,
) -> AppResult<()> {
    let existing = tag::Entity::find()
        .filter(tag::Column::AccountId.eq(account_id))
        .filter(tag::Column::TagId.eq(tag_id))
        .one(db)
        .await?;
    let txn = db.begin().await?;
    tm::Entity::delete_many()
        .filter(tm::Column::AccountId.eq(account_id))
        .filter(tm::Column::TagId.eq(tag_id))
        .exec(&txn)
        .await?;
    let mut am = match existing {
        Some(m) => m.into(),
        None => tag::ActiveModel {
            account_id: Set(account_id),
            tag_id: Set(tag_id),
            created_here: Set(false),
            ..Default::default()
        },
    };
    am.name = Set(clip(name, 64));
    if let Some(c) = created_here {
        am.created_here = Set(c);
    }
    am.updated_at = Set(now());
    am.save(&txn).await?;
    let mut rows: Vec<(&str, String)> = Vec::new();
    for u in users {
        if !rows.iter().any(|(k, r)| *k == "user" && r == u) {
            rows.push(("user", u.clone()));
        }
    }
    for p in parties {
        let r = p.to_string();
        if !rows.iter().any(|(k, x)| *k == "party" && *x == r) {
            rows.push(("party", r));
        }
    }
    if !rows.is_empty() {
        tm::Entity::insert_many(rows.into_iter().map(|(kind, r)| tm::ActiveModel {
            account_id: Set(account_id),
            tag_id: Set(tag_id),
            member_kind: Set(kind.to_string()),
            member_ref: Set(clip(&r, 64)),
            ..Default::default()
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn delete_tag<C: ConnectionTrait>(db: &C, account_id: i64, tag_id: i64) -> AppResult<()> {
    tag::Entity::delete_many()
        .filter(tag::Column::AccountId.eq(account_id))
        .filter(tag::Column::TagId.eq(tag_id))
        .exec(db)
        .await?;
    tm::Entity::delete_many()
        .filter(tm::Column::AccountId.eq(account_id))
        .filter(tm::Column::TagId.eq(tag_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Re-reads one member through the app secret (details) and stores it; gone at WeCom (60111)
/// → removed here.
pub async fn reread_member(
    db: &DatabaseConnection,
    clients: &Clients,
    account_id: i64,
    userid: &str,
) -> Result<(), RereadError> {
    match clients.app.user_get(userid).await {
        Ok(u) => Ok(store_member(db, account_id, &u, None).await?),
        Err(e) if errcode(&e) == Some(60111) => Ok(delete_member(db, account_id, userid).await?),
        Err(e) => Err(e.into()),
    }
}

/// Re-reads one department through `department/list?id=` with the app secret (names need it:
/// `department/simplelist` has none); gone (60123 / not listed) → removed here.
pub async fn reread_department(
    db: &DatabaseConnection,
    clients: &Clients,
    account_id: i64,
    id: i64,
) -> Result<(), RereadError> {
    let listed = match clients.app.department_list(Some(id)).await {
        Ok(l) => l,
        Err(e) if errcode(&e) == Some(60123) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    match listed.into_iter().find(|d| d.id == Some(id)) {
        Some(d) => Ok(store_department(
            db,
            account_id,
            id,
            &d.name,
            d.name_en.as_deref().unwrap_or(""),
            d.parentid.unwrap_or(0),
            d.order.unwrap_or(0),
        )
        .await?),
        None => Ok(delete_department(db, account_id, id).await?),
    }
}

/// Re-reads one tag with its members (`tag/get`); gone (40068) → removed here.
pub async fn reread_tag(
    db: &DatabaseConnection,
    clients: &Clients,
    account_id: i64,
    tag_id: i64,
    created_here: Option<bool>,
) -> Result<(), RereadError> {
    match clients.reader().tag_get(tag_id).await {
        Ok(v) => {
            let (name, users, parties) = tag_members_of(&v);
            Ok(store_tag(
                db,
                account_id,
                tag_id,
                &name,
                &users,
                &parties,
                created_here,
            )
            .await?)
        }
        Err(e) if errcode(&e) == Some(40068) => Ok(delete_tag(db, account_id, tag_id).await?),
        Err(e) => Err(e.into()),
    }
}

/// `tag/get`'s name, userids and department ids.
pub fn tag_members_of(v: &serde_json::Value) -> (String, Vec<String>, Vec<i64>) {
    let name = v["tagname"].as_str().unwrap_or("").to_string();
    let users = v["userlist"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| u["userid"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let parties = v["partylist"]
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_i64).collect())
        .unwrap_or_default();
    (name, users, parties)
}

/// Why re-reading an item failed: WeCom's answer, or storing it here.
#[derive(Debug, thiserror::Error)]
pub enum RereadError {
    #[error("{}", wechat_clients::describe(.0))]
    Wechat(#[from] wechat::Error),
    #[error(transparent)]
    Store(#[from] AppError),
}

impl From<RereadError> for AppError {
    fn from(e: RereadError) -> Self {
        match e {
            RereadError::Wechat(w) => refused(&w),
            RereadError::Store(a) => a,
        }
    }
}
