//! `GET /api/audit?page=&per_page=&actor=&target_type=&target_id=` (admin only), newest first.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// Username of the staff member, or `system` for start-up / CLI actions.
    pub actor: String,
    /// Dotted verb, e.g. `account.create`, `account.update`, `account.secret_replace`,
    /// `account.delete`, `staff.create`, `staff.update`, `staff.delete`, `auth.password_change`.
    pub action: String,
    /// `account`, `staff`, …
    pub target_type: String,
    pub target_id: Option<i64>,
    /// Human summary of what changed (field names, never secret values).
    pub summary: String,
    /// Structured detail, e.g. `{"changed":["name","token"],"secrets_replaced":["app_secret"]}`.
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditQuery {
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub target_type: Option<String>,
    #[serde(default)]
    pub target_id: Option<i64>,
}
