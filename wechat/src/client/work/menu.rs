//! App menus (`menu/*`, per agent).

use serde_json::{Value, json};

use super::WorkClient;
use crate::error::Error;

impl WorkClient {
    /// `menu/create` for an agent.
    pub async fn menu_create(&self, agent_id: i64, buttons: &Value) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/menu/create",
            &[("agentid", &agent_id.to_string())],
            &json!({"button": buttons}),
        )
        .await
        .map(drop)
    }
    /// `menu/get` for an agent.
    pub async fn menu_get(&self, agent_id: i64) -> Result<Value, Error> {
        self.get_raw("/cgi-bin/menu/get", &[("agentid", &agent_id.to_string())])
            .await
    }
    /// `menu/delete` for an agent.
    pub async fn menu_delete(&self, agent_id: i64) -> Result<(), Error> {
        self.get_raw(
            "/cgi-bin/menu/delete",
            &[("agentid", &agent_id.to_string())],
        )
        .await
        .map(drop)
    }
}
