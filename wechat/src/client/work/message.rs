//! App messages (`message/send`, `message/recall`, `message/get_statistics`).

use serde::Deserialize;
use serde_json::{Value, json};

use super::WorkClient;
use crate::client::decode;
use crate::error::Error;

/// `message/send` result.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
pub struct SendResult {
    /// `invaliduser` ("u1|u2").
    #[serde(default)]
    pub invaliduser: Option<String>,
    /// `invalidparty`.
    #[serde(default)]
    pub invalidparty: Option<String>,
    /// `invalidtag`.
    #[serde(default)]
    pub invalidtag: Option<String>,
    /// `unlicenseduser`.
    #[serde(default)]
    pub unlicenseduser: Option<String>,
    /// `msgid`.
    #[serde(default)]
    pub msgid: Option<String>,
    /// `response_code`.
    #[serde(default)]
    pub response_code: Option<String>,
}

impl WorkClient {
    /// `message/send` with a full body (`touser`, `msgtype`, `agentid`, payload …).
    pub async fn message_send(&self, body: &Value) -> Result<SendResult, Error> {
        decode(self.post_raw("/cgi-bin/message/send", &[], body).await?)
    }
    /// A text message to users (`"u1|u2"` or `"@all"`).
    pub async fn send_text(
        &self,
        agent_id: i64,
        touser: &str,
        content: &str,
    ) -> Result<SendResult, Error> {
        self.message_send(
            &json!({"touser": touser, "msgtype": "text", "agentid": agent_id,
            "text": {"content": content}, "safe": 0}),
        )
        .await
    }
    /// `message/recall` `{"msgid"}`: withdraws an app message (within 24 hours of the send).
    pub async fn message_recall(&self, msgid: &str) -> Result<(), Error> {
        self.post_raw("/cgi-bin/message/recall", &[], &json!({"msgid": msgid}))
            .await
            .map(drop)
    }
    /// `message/get_statistics` for today (`yesterday` false) or yesterday.
    pub async fn message_statistics(&self, yesterday: bool) -> Result<Vec<AppMessageCount>, Error> {
        let v = self
            .post_raw(
                "/cgi-bin/message/get_statistics",
                &[],
                &json!({"time_type": i32::from(yesterday)}),
            )
            .await?;
        let r: Statistics = decode(v)?;
        Ok(r.statistics)
    }
}

#[derive(Deserialize)]
struct Statistics {
    #[serde(default)]
    statistics: Vec<AppMessageCount>,
}

/// One app's messages of a day (`message/get_statistics`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppMessageCount {
    /// The app.
    pub agentid: i64,
    /// Its name.
    #[serde(default)]
    pub app_name: String,
    /// Messages (person-times, ⚠️).
    #[serde(default)]
    pub count: i64,
}
