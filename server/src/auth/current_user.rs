//! The signed-in staff member of a request, put there by the access guard (`http::guard`).

use api::staff::Role;
use axum::{extract::FromRequestParts, http::request::Parts};

use crate::{audit::Actor, entities::staff_user, error::AppError};

/// The signed-in staff member of this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub must_change_password: bool,
    pub model: staff_user::Model,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor::user(self.id, &self.username)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}
