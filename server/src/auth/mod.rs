//! Staff sign-in: sessions in our own database table, password hashing, login throttling,
//! and the `/api/auth/*` routes.

mod current_user;
pub mod handlers;
pub mod passwords;
pub mod service;
pub mod session_store;
pub mod throttle;

use axum::routing::{MethodRouter, get, patch, post};

use crate::state::AppState;

pub use current_user::CurrentUser;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "wxportal_session";
/// Session key holding the staff user's id.
pub const SESSION_USER_KEY: &str = "uid";
/// Session key holding a fingerprint of the user's password hash: changing the password
/// ends every other session of that user.
pub const SESSION_PASSWORD_KEY: &str = "pwv";

pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("POST", "/api/auth/login", post(handlers::login)),
        ("POST", "/api/auth/logout", post(handlers::logout)),
        ("GET", "/api/auth/me", get(handlers::me)),
        ("PATCH", "/api/auth/me", patch(handlers::update_me)),
        (
            "POST",
            "/api/auth/password",
            post(handlers::change_password),
        ),
        ("POST", "/api/staff/{id}/unlock", post(handlers::unlock)),
    ]
}
