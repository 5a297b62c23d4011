//! JS-SDK tickets (corp and agent-config).

use super::WorkClient;
use crate::client::{TicketResp, decode};
use crate::error::Error;
use crate::token::{FetchedToken, TokenKey};

impl WorkClient {
    /// The corp jsapi ticket (`get_jsapi_ticket`), cached per token scope.
    pub async fn jsapi_ticket(&self) -> Result<String, Error> {
        self.tokens
            .get(&TokenKey::work_jsapi_ticket(&self.key), || {
                self.fetch_ticket("/cgi-bin/get_jsapi_ticket", &[])
            })
            .await
    }
    /// The agent-config ticket (`ticket/get?type=agent_config`), cached per token scope.
    pub async fn agent_config_ticket(&self) -> Result<String, Error> {
        self.tokens
            .get(&TokenKey::work_agent_ticket(&self.key), || {
                self.fetch_ticket("/cgi-bin/ticket/get", &[("type", "agent_config")])
            })
            .await
    }

    async fn fetch_ticket(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<FetchedToken, Error> {
        let t: TicketResp = decode(self.get_raw(path, query).await?)?;
        Ok(t.into())
    }
}
