//! The audit log call.

use api::Page;
use api::audit::AuditEntry;

use crate::api_client::{ClientError, enc, get};

/// One page of entries, newest first; empty filters are left out.
pub async fn list(
    page: u64,
    per_page: u64,
    actor: &str,
    target_type: &str,
) -> Result<Page<AuditEntry>, ClientError> {
    let mut url = format!("/api/audit?page={page}&per_page={per_page}");
    if !actor.trim().is_empty() {
        url.push_str(&format!("&actor={}", enc(actor.trim())));
    }
    if !target_type.is_empty() {
        url.push_str(&format!("&target_type={}", enc(target_type)));
    }
    get(&url).await
}
