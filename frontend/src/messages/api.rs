//! Calls for the message log, conversations with the reply box, and callback deliveries.

use api::Page;
use api::messages::{
    Conversation, ConversationSummary, DailyActivity, DeliveryDetail, DeliveryQuery,
    DeliverySummary, MessageDetail, MessageItem, MessageQuery, StaffReplyRequest,
};

use crate::api_client::{ClientError, enc, get, query_string, send};

fn number(v: Option<u64>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// Follows, unfollows and messages per Beijing day, the last `days` days.
pub async fn daily(account: i64, days: u32) -> Result<DailyActivity, ClientError> {
    get(&format!("/api/accounts/{account}/stats/daily?days={days}")).await
}

/// The message log, filtered.
pub async fn log(account: i64, q: &MessageQuery) -> Result<Page<MessageItem>, ClientError> {
    let query = query_string(&[
        ("page", number(q.page)),
        ("per_page", number(q.per_page)),
        ("user", q.user.clone()),
        ("msg_type", q.msg_type.clone()),
        ("direction", q.direction.map(|d| d.as_str().to_string())),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
        ("q", q.q.clone()),
    ]);
    get(&format!("/api/accounts/{account}/messages?{query}")).await
}

/// The latest `n` messages with one follower/member (the log filtered on them).
pub async fn for_user(account: i64, user: &str, n: u64) -> Result<Page<MessageItem>, ClientError> {
    let q = MessageQuery {
        user: Some(user.to_string()),
        per_page: Some(n),
        ..MessageQuery::default()
    };
    log(account, &q).await
}

pub async fn message(account: i64, message_id: &str) -> Result<MessageDetail, ClientError> {
    get(&format!("/api/accounts/{account}/messages/{message_id}")).await
}

/// Sends a customer-service message (within WeChat's 48-hour window).
pub async fn reply(account: i64, req: &StaffReplyRequest) -> Result<MessageItem, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/messages/reply"),
        req,
    )
    .await
}

/// Followers/members by their latest message; `q` searches names and openids.
pub async fn conversations(
    account: i64,
    page: u64,
    per_page: u64,
    q: &str,
) -> Result<Page<ConversationSummary>, ClientError> {
    get(&format!(
        "/api/accounts/{account}/conversations?page={page}&per_page={per_page}&q={}",
        enc(q)
    ))
    .await
}

pub async fn conversation(account: i64, user: &str) -> Result<Conversation, ClientError> {
    get(&format!(
        "/api/accounts/{account}/conversations/{}",
        enc(user)
    ))
    .await
}

/// The last callback deliveries on `/wx/{id}`.
pub async fn deliveries(
    account: i64,
    q: &DeliveryQuery,
) -> Result<Page<DeliverySummary>, ClientError> {
    let query = format!(
        "page={}&per_page={}&outcome={}",
        q.page.unwrap_or(1),
        q.per_page.unwrap_or(20),
        enc(q.outcome.as_deref().unwrap_or_default())
    );
    get(&format!("/api/accounts/{account}/deliveries?{query}")).await
}

pub async fn delivery(account: i64, delivery_id: i64) -> Result<DeliveryDetail, ClientError> {
    get(&format!("/api/accounts/{account}/deliveries/{delivery_id}")).await
}

/// Runs a stored delivery through the pipeline again.
pub async fn replay(account: i64, delivery_id: i64) -> Result<DeliveryDetail, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{account}/deliveries/{delivery_id}/replay"),
        &serde_json::json!({}),
    )
    .await
}
