//! Calls for auto-reply rules and their simulator.

use api::replies::{ReplyRule, ReplyRuleInput, SimulateRequest, SimulateResponse};

use crate::api_client::{ClientError, delete, get, send};

pub async fn list(account: i64) -> Result<Vec<ReplyRule>, ClientError> {
    get(&format!("/api/accounts/{account}/reply-rules")).await
}

/// Creates the rule, or replaces rule `rule_id`.
pub async fn save(
    account: i64,
    rule_id: Option<i64>,
    input: &ReplyRuleInput,
) -> Result<ReplyRule, ClientError> {
    match rule_id {
        Some(r) => {
            send(
                "PATCH",
                &format!("/api/accounts/{account}/reply-rules/{r}"),
                input,
            )
            .await
        }
        None => {
            send(
                "POST",
                &format!("/api/accounts/{account}/reply-rules"),
                input,
            )
            .await
        }
    }
}

pub async fn remove(account: i64, rule_id: i64) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{account}/reply-rules/{rule_id}")).await
}

pub async fn simulate(
    account: i64,
    req: &SimulateRequest,
) -> Result<SimulateResponse, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/reply-rules/simulate"),
        req,
    )
    .await
}
