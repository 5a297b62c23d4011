//! Staff sign-in: sessions in our own database table, password hashing, login throttling,
//! and the `/api/auth/*` routes.

mod current_user;
pub mod handlers;
pub mod passwords;
pub mod service;
pub mod session_store;
pub mod throttle;

use api::auth::{ChangePasswordRequest, LoginRequest, Me, SessionState, UpdateMeRequest};

use crate::http::routes::Route;

pub use current_user::CurrentUser;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "wxportal_session";
/// Session key holding the staff user's id.
pub const SESSION_USER_KEY: &str = "uid";
/// Session key holding a fingerprint of the user's password hash: changing the password
/// ends every other session of that user.
pub const SESSION_PASSWORD_KEY: &str = "pwv";

pub fn routes() -> Vec<Route> {
    vec![
        Route::post("/api/auth/login", handlers::login)
            .public()
            .summary("Sign in; sets the session cookie")
            .request::<LoginRequest>()
            .response::<Me>(),
        Route::post("/api/auth/logout", handlers::logout)
            .public()
            .summary("Sign out (always 204)"),
        Route::get("/api/auth/session", handlers::session)
            .public()
            .summary("Who is signed in: `{\"me\": null}` when nobody is (always 200)")
            .response::<SessionState>(),
        Route::get("/api/auth/me", handlers::me)
            .authenticated()
            .summary("The signed-in staff member")
            .response::<Me>(),
        Route::patch("/api/auth/me", handlers::update_me)
            .authenticated()
            .summary("Update one's own preferences")
            .request::<UpdateMeRequest>()
            .response::<Me>(),
        Route::post("/api/auth/password", handlers::change_password)
            .authenticated()
            .summary("Change one's own password")
            .request::<ChangePasswordRequest>(),
        Route::post("/api/staff/{id}/unlock", handlers::unlock)
            .admin()
            .summary("Clear a staff member's failed sign-ins (ends the login backoff)"),
    ]
}
