//! JS-SDK ticket and `wx.config` parameters.

use super::OaClient;
use crate::client::TicketResp;
use crate::error::Error;
use crate::token::{FetchedToken, TokenKey};

impl OaClient {
    /// Fetches a jsapi ticket (bypasses the cache).
    pub async fn fetch_jsapi_ticket(&self) -> Result<FetchedToken, Error> {
        let t: TicketResp = self
            .get_t("/cgi-bin/ticket/getticket", &[("type", "jsapi")])
            .await?;
        Ok(t.into())
    }
    /// The cached jsapi ticket.
    pub async fn jsapi_ticket(&self) -> Result<String, Error> {
        self.tokens
            .get(&TokenKey::oa_jsapi_ticket(self.appid.as_str()), || {
                self.fetch_jsapi_ticket()
            })
            .await
    }
    /// Replaces a jsapi ticket that pages reported as invalid (unless another caller
    /// already did).
    pub async fn refresh_jsapi_ticket(&self, rejected: &str) -> Result<String, Error> {
        self.tokens
            .force_refresh(
                &TokenKey::oa_jsapi_ticket(self.appid.as_str()),
                rejected,
                || self.fetch_jsapi_ticket(),
            )
            .await
    }
    /// `wx.config` parameters for a page URL.
    pub async fn jsapi_config(&self, url: &str) -> Result<crate::signature::JsapiConfig, Error> {
        let ticket = self.jsapi_ticket().await?;
        Ok(crate::signature::JsapiConfig::new(
            self.appid.as_str(),
            &ticket,
            url,
        ))
    }
}
