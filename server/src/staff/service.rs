use api::{
    Lang,
    staff::{CreateStaffRequest, Role, StaffUser, UpdateStaffRequest},
    validate::{self, Issues},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Set, SqlErr,
};
use serde_json::json;
use time::OffsetDateTime;

use crate::{
    audit::{self, Actor},
    auth::passwords::{Passwords, random_password},
    entities::staff_user,
    error::{AppError, AppResult},
    util::rfc3339,
};

pub fn view(m: &staff_user::Model) -> StaffUser {
    StaffUser {
        id: m.id,
        username: m.username.clone(),
        role: Role::parse(&m.role).unwrap_or(Role::Viewer),
        disabled: m.disabled,
        must_change_password: m.must_change_password,
        created_at: rfc3339(m.created_at),
        last_login_at: m.last_login_at.map(rfc3339),
    }
}

pub async fn list<C: ConnectionTrait>(db: &C) -> AppResult<Vec<StaffUser>> {
    Ok(staff_user::Entity::find()
        .order_by_asc(staff_user::Column::Username)
        .all(db)
        .await?
        .iter()
        .map(view)
        .collect())
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<staff_user::Model> {
    staff_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Create a staff user. `must_change_password`: true when someone other than the user chose it.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    passwords: &Passwords,
    actor: &Actor,
    req: CreateStaffRequest,
    must_change_password: bool,
) -> AppResult<staff_user::Model> {
    let mut issues = Issues::default();
    issues.check("username", validate::username(&req.username));
    issues.check("password", validate::password(&req.password, &req.username));
    if !issues.is_empty() {
        return Err(issues.into());
    }
    let taken = staff_user::Entity::find()
        .filter(staff_user::Column::Username.eq(req.username.as_str()))
        .count(db)
        .await?
        > 0;
    if taken {
        return Err(AppError::refused(
            "username_taken",
            format!("a staff user named {} already exists", req.username),
        ));
    }
    let hash = passwords.hash(&req.password).await?;
    let now = OffsetDateTime::now_utc();
    let inserted = staff_user::Entity::insert(staff_user::ActiveModel {
        username: Set(req.username.clone()),
        password_hash: Set(hash),
        role: Set(req.role.as_str().to_string()),
        disabled: Set(false),
        must_change_password: Set(must_change_password),
        lang: Set(Lang::default().code().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await
    .map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => AppError::refused(
            "username_taken",
            format!("a staff user named {} already exists", req.username),
        ),
        _ => AppError::Database(e),
    })?;
    let user = find(db, inserted.last_insert_id).await?;
    audit::record(
        db,
        actor,
        "staff.create",
        "staff",
        Some(user.id),
        format!("created staff user {} ({})", user.username, user.role),
        json!({"username": user.username, "role": user.role}),
    )
    .await?;
    Ok(user)
}

/// On a database without staff, create `admin` with a random password and return it
/// (exactly once, for printing). `None` when users exist or another instance won the race.
pub async fn ensure_initial_admin<C: ConnectionTrait>(
    db: &C,
    passwords: &Passwords,
) -> AppResult<Option<String>> {
    if staff_user::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let password = random_password();
    let req = CreateStaffRequest {
        username: "admin".into(),
        password: password.clone(),
        role: Role::Admin,
    };
    match create(db, passwords, &Actor::system(), req, true).await {
        Ok(_) => Ok(Some(password)),
        Err(AppError::Refused {
            reason: "username_taken",
            ..
        }) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn active_admins<C: ConnectionTrait>(db: &C) -> AppResult<u64> {
    Ok(staff_user::Entity::find()
        .filter(staff_user::Column::Role.eq(Role::Admin.as_str()))
        .filter(staff_user::Column::Disabled.eq(false))
        .count(db)
        .await?)
}

fn is_active_admin(m: &staff_user::Model) -> bool {
    m.role == Role::Admin.as_str() && !m.disabled
}

pub async fn update<C: ConnectionTrait>(
    db: &C,
    passwords: &Passwords,
    actor: &Actor,
    id: i64,
    req: UpdateStaffRequest,
) -> AppResult<staff_user::Model> {
    let target = find(db, id).await?;
    let is_self = actor.id == Some(target.id);
    if let Some(p) = &req.password
        && let Err(rule) = validate::password(p, &target.username)
    {
        return Err(crate::error::field_error("password", rule));
    }
    let demoted = req.role.is_some_and(|r| r != Role::Admin);
    let disabling = req.disabled == Some(true);
    if is_self && disabling {
        return Err(AppError::refused(
            "self_disable",
            "you cannot disable yourself",
        ));
    }
    if is_self
        && req
            .role
            .is_some_and(|r| r.as_str() != target.role && r < Role::Admin)
    {
        return Err(AppError::refused(
            "self_role",
            "you cannot change your own role",
        ));
    }
    if is_active_admin(&target) && (demoted || disabling) && active_admins(db).await? <= 1 {
        return Err(AppError::refused(
            "last_admin",
            "this is the last active admin; promote another admin first",
        ));
    }
    let mut changed = Vec::new();
    let mut active = target.clone().into_active_model();
    if let Some(role) = req.role.filter(|r| r.as_str() != target.role) {
        active.role = Set(role.as_str().to_string());
        changed.push("role");
    }
    if let Some(disabled) = req.disabled.filter(|d| *d != target.disabled) {
        active.disabled = Set(disabled);
        changed.push("disabled");
    }
    if let Some(p) = &req.password {
        active.password_hash = Set(passwords.hash(p).await?);
        active.must_change_password = Set(true);
        changed.push("password");
    }
    if changed.is_empty() {
        return Ok(target);
    }
    active.updated_at = Set(OffsetDateTime::now_utc());
    let updated = active.update(db).await?;
    audit::record(
        db,
        actor,
        "staff.update",
        "staff",
        Some(updated.id),
        format!(
            "updated staff user {}: {}",
            updated.username,
            changed.join(", ")
        ),
        json!({"changed": changed, "role": updated.role, "disabled": updated.disabled}),
    )
    .await?;
    Ok(updated)
}

pub async fn delete<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64) -> AppResult<()> {
    let target = find(db, id).await?;
    if actor.id == Some(target.id) {
        return Err(AppError::refused(
            "self_delete",
            "you cannot delete yourself",
        ));
    }
    if is_active_admin(&target) && active_admins(db).await? <= 1 {
        return Err(AppError::refused(
            "last_admin",
            "this is the last active admin",
        ));
    }
    staff_user::Entity::delete_by_id(id).exec(db).await?;
    audit::record(
        db,
        actor,
        "staff.delete",
        "staff",
        Some(id),
        format!("deleted staff user {}", target.username),
        json!({"username": target.username}),
    )
    .await?;
    Ok(())
}
