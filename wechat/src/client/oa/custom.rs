//! Customer-service messages (`message/custom/send`).

use serde_json::{Value, json};

use super::OaClient;
use crate::error::Error;

impl OaClient {
    /// `message/custom/send` with a full body (`{"touser","msgtype",…}`).
    pub async fn custom_send(&self, body: &Value) -> Result<(), Error> {
        self.post_raw("/cgi-bin/message/custom/send", body)
            .await
            .map(drop)
    }
    /// A text customer-service message.
    pub async fn custom_send_text(&self, openid: &str, content: &str) -> Result<(), Error> {
        self.custom_send(
            &json!({"touser": openid, "msgtype": "text", "text": {"content": content}}),
        )
        .await
    }
}
