//! `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`,
//! `POST /api/auth/password`, `PATCH /api/auth/me`.

use serde::{Deserialize, Serialize};

use crate::{Lang, staff::Role};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The signed-in staff member (`GET /api/auth/me`, and the body of a successful login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// True until the user replaces an initial or admin-set password; every other route
    /// answers 403 `password_change_required` meanwhile.
    pub must_change_password: bool,
    pub lang: Lang,
}

/// `GET /api/auth/session`: who is signed in, if anyone. Always 200: being signed out is a
/// normal state for the SPA's first request, not an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionState {
    /// `null` when signed out.
    pub me: Option<Me>,
}

/// `POST /api/auth/password`: change one's own password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// `PATCH /api/auth/me`: per-user preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateMeRequest {
    pub lang: Lang,
}
