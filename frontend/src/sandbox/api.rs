//! Calls for the sandbox: test connection, the emulator's people, acting as one of them.

use api::Page;
use api::sandbox::{SandboxActRequest, SandboxActResult, SandboxPerson, TestConnectionResult};

use crate::api_client::{ClientError, enc, get, send};

/// Asks WeChat (or the emulator) for a token with the account's credentials.
pub async fn test_connection(account: i64) -> Result<TestConnectionResult, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/test-connection"),
        &serde_json::json!({}),
    )
    .await
}

/// The emulator's followers / members / payers (50), filtered on `q` when given.
pub async fn people(account: i64, q: &str) -> Result<Page<SandboxPerson>, ClientError> {
    let mut url = format!("/api/accounts/{account}/sandbox/followers?per_page=50");
    if !q.is_empty() {
        url.push_str(&format!("&q={}", enc(q)));
    }
    get(&url).await
}

/// Does what a follower, member or payer would do, and returns what they saw.
pub async fn act(account: i64, req: &SandboxActRequest) -> Result<SandboxActResult, ClientError> {
    send("POST", &format!("/api/accounts/{account}/sandbox/act"), req).await
}
