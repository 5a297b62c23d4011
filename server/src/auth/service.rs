use api::{
    FieldIssue, Lang,
    auth::{ChangePasswordRequest, LoginRequest, Me},
    staff::Role,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tower_sessions::Session;

use super::{SESSION_PASSWORD_KEY, SESSION_USER_KEY, throttle};
use crate::{
    audit,
    auth::CurrentUser,
    entities::staff_user,
    error::{AppError, AppResult},
    state::AppState,
    telemetry::escape,
};

fn session_err(e: tower_sessions::session::Error) -> AppError {
    AppError::Internal(format!("session: {e}"))
}

/// Short fingerprint of a password hash, kept in the session.
pub fn password_fingerprint(hash: &str) -> String {
    hex::encode(&Sha256::digest(hash.as_bytes())[..8])
}

pub fn me(user: &staff_user::Model) -> Me {
    Me {
        id: user.id,
        username: user.username.clone(),
        role: Role::parse(&user.role).unwrap_or(Role::Viewer),
        must_change_password: user.must_change_password,
        lang: Lang::parse(&user.lang).unwrap_or_default(),
    }
}

pub fn current_user(model: staff_user::Model) -> CurrentUser {
    CurrentUser {
        id: model.id,
        username: model.username.clone(),
        role: Role::parse(&model.role).unwrap_or(Role::Viewer),
        must_change_password: model.must_change_password,
        model,
    }
}

/// The user of this session, if it is signed in to an enabled account whose password has not
/// changed since. A stale session is emptied.
pub async fn session_user(state: &AppState, session: &Session) -> AppResult<Option<CurrentUser>> {
    let Some(uid) = session
        .get::<i64>(SESSION_USER_KEY)
        .await
        .map_err(session_err)?
    else {
        return Ok(None);
    };
    let fingerprint = session
        .get::<String>(SESSION_PASSWORD_KEY)
        .await
        .map_err(session_err)?;
    let user = staff_user::Entity::find_by_id(uid).one(&state.db).await?;
    match user {
        Some(u)
            if !u.disabled
                && fingerprint.as_deref()
                    == Some(password_fingerprint(&u.password_hash).as_str()) =>
        {
            Ok(Some(current_user(u)))
        }
        _ => {
            session.flush().await.map_err(session_err)?;
            Ok(None)
        }
    }
}

async fn sign_in(session: &Session, user: &staff_user::Model) -> AppResult<()> {
    session.cycle_id().await.map_err(session_err)?;
    session
        .insert(SESSION_USER_KEY, user.id)
        .await
        .map_err(session_err)?;
    session
        .insert(
            SESSION_PASSWORD_KEY,
            password_fingerprint(&user.password_hash),
        )
        .await
        .map_err(session_err)?;
    Ok(())
}

pub async fn login(
    state: &AppState,
    session: &Session,
    ip: &str,
    req: LoginRequest,
) -> AppResult<Me> {
    let username = throttle::normalize(&req.username);
    let clock = state.passwords.clock();
    // Recorded before verifying, so that a burst cannot all pass the check.
    let attempt = throttle::begin(&state.db, &username, ip, clock.now()).await?;
    let user = staff_user::Entity::find()
        .filter(staff_user::Column::Username.eq(username.as_str()))
        .one(&state.db)
        .await?;
    let ok = match state
        .passwords
        .verify(
            &req.password,
            user.as_ref().map(|u| u.password_hash.as_str()),
        )
        .await
    {
        Ok(ok) => ok,
        Err(e) => {
            // Busy verifier (429) or an internal error: not a failed guess.
            attempt.withdraw(&state.db).await.ok();
            return Err(e);
        }
    };
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        _ => {
            attempt.failed(&state.db, clock.now()).await?;
            tracing::info!(username = %escape(&username), ip, "failed sign-in");
            return Err(AppError::InvalidCredentials);
        }
    };
    attempt.succeeded(&state.db).await?;
    let mut active = user.into_active_model();
    active.last_login_at = Set(Some(OffsetDateTime::now_utc()));
    let user = active.update(&state.db).await?;
    sign_in(session, &user).await?;
    tracing::info!(user_id = user.id, username = %escape(&user.username), "signed in");
    Ok(me(&user))
}

/// Admin: forget every failed sign-in of staff member `id`'s username, from any address.
pub async fn unlock(state: &AppState, admin: &CurrentUser, id: i64) -> AppResult<()> {
    let user = staff_user::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let cleared = throttle::clear_username(&state.db, &user.username).await?;
    audit::record(
        &state.db,
        &admin.actor(),
        "auth.unlock",
        "staff",
        Some(user.id),
        format!(
            "{} cleared the failed sign-ins of {}",
            admin.username, user.username
        ),
        json!({ "username": user.username, "cleared_failures": cleared }),
    )
    .await?;
    tracing::info!(user_id = user.id, username = %escape(&user.username), cleared, "sign-in failures cleared");
    Ok(())
}

pub async fn logout(session: &Session) -> AppResult<()> {
    session.flush().await.map_err(session_err)
}

pub async fn change_password(
    state: &AppState,
    session: &Session,
    ip: &str,
    user: &CurrentUser,
    req: ChangePasswordRequest,
) -> AppResult<()> {
    let clock = state.passwords.clock();
    let attempt = throttle::begin(&state.db, &user.username, ip, clock.now()).await?;
    let ok = match state
        .passwords
        .verify(&req.current_password, Some(&user.model.password_hash))
        .await
    {
        Ok(ok) => ok,
        Err(e) => {
            attempt.withdraw(&state.db).await.ok();
            return Err(e);
        }
    };
    if !ok {
        attempt.failed(&state.db, clock.now()).await?;
        return Err(AppError::Validation(vec![FieldIssue {
            field: "current_password".into(),
            code: "invalid_credentials".into(),
            message: "The current password is wrong".into(),
        }]));
    }
    // The current password was right: whatever follows, this was no failed guess.
    attempt.succeeded(&state.db).await?;
    if let Err(rule) = api::validate::password(&req.new_password, &user.username) {
        return Err(crate::error::field_error("new_password", rule));
    }
    if req.new_password == req.current_password {
        return Err(AppError::Validation(vec![FieldIssue {
            field: "new_password".into(),
            code: "password_unchanged".into(),
            message: "Choose a password different from the current one".into(),
        }]));
    }
    let hash = state.passwords.hash(&req.new_password).await?;
    let mut active = user.model.clone().into_active_model();
    active.password_hash = Set(hash);
    active.must_change_password = Set(false);
    active.updated_at = Set(OffsetDateTime::now_utc());
    let updated = active.update(&state.db).await?;
    sign_in(session, &updated).await?;
    audit::record(
        &state.db,
        &user.actor(),
        "auth.password_change",
        "staff",
        Some(user.id),
        format!("{} changed their password", user.username),
        json!({}),
    )
    .await?;
    Ok(())
}

pub async fn update_me(state: &AppState, user: &CurrentUser, lang: Lang) -> AppResult<Me> {
    let mut active = user.model.clone().into_active_model();
    active.lang = Set(lang.code().to_string());
    active.updated_at = Set(OffsetDateTime::now_utc());
    let updated = active.update(&state.db).await?;
    Ok(me(&updated))
}
