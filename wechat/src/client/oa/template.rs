//! Template messages (`message/template/send`, `template/*`).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::OaClient;
use crate::client::{decode_list, required_i64, required_str};
use crate::error::Error;

/// A template of `template/get_all_private_template`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PrivateTemplate {
    /// `template_id`.
    #[serde(default)]
    pub template_id: String,
    /// `title`.
    #[serde(default)]
    pub title: String,
    /// `primary_industry`.
    #[serde(default)]
    pub primary_industry: String,
    /// `deputy_industry`.
    #[serde(default)]
    pub deputy_industry: String,
    /// `content` (with `{{keyword1.DATA}}` placeholders).
    #[serde(default)]
    pub content: String,
    /// `example`.
    #[serde(default)]
    pub example: String,
}

/// `template/get_industry` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TemplateIndustry {
    /// `primary_industry`.
    #[serde(default)]
    pub primary_industry: IndustryClass,
    /// `secondary_industry`.
    #[serde(default)]
    pub secondary_industry: IndustryClass,
}

/// An industry as `template/get_industry` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IndustryClass {
    /// `first_class`.
    #[serde(default)]
    pub first_class: String,
    /// `second_class`.
    #[serde(default)]
    pub second_class: String,
}

impl OaClient {
    /// `message/template/send` → msgid.
    pub async fn template_send(&self, body: &Value) -> Result<i64, Error> {
        let v = self
            .post_raw("/cgi-bin/message/template/send", body)
            .await?;
        required_i64(&v, "msgid")
    }
    /// `template/get_all_private_template`.
    pub async fn template_list(&self) -> Result<Vec<PrivateTemplate>, Error> {
        let v = self
            .get_raw("/cgi-bin/template/get_all_private_template", &[])
            .await?;
        decode_list(&v, "template_list")
    }
    /// `template/del_private_template`.
    pub async fn template_delete(&self, template_id: &str) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/template/del_private_template",
            &json!({"template_id": template_id}),
        )
        .await
        .map(drop)
    }
    /// `template/api_add_template` → template_id.
    pub async fn template_add(&self, template_id_short: &str) -> Result<String, Error> {
        let v = self
            .post_raw(
                "/cgi-bin/template/api_add_template",
                &json!({"template_id_short": template_id_short}),
            )
            .await?;
        required_str(&v, "template_id")
    }
    /// `template/api_set_industry`.
    pub async fn template_set_industry(&self, id1: &str, id2: &str) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/template/api_set_industry",
            &json!({"industry_id1": id1, "industry_id2": id2}),
        )
        .await
        .map(drop)
    }
    /// `template/get_industry`.
    pub async fn template_get_industry(&self) -> Result<TemplateIndustry, Error> {
        self.get_t("/cgi-bin/template/get_industry", &[]).await
    }
}
