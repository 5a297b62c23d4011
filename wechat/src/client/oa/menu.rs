//! Menus: default and conditional (`menu/*`).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::OaClient;
use crate::client::{decode_list, id_text};
use crate::error::Error;

/// A menu button (also used for sub-buttons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Button {
    /// `type`: click, view, scancode_push, …, miniprogram. Absent for a parent with sub-buttons.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none", default)]
    pub kind: Option<String>,
    /// `name`.
    pub name: String,
    /// `key` (click-like types).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub key: Option<String>,
    /// `url` (view, miniprogram fallback).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    /// `media_id`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub media_id: Option<String>,
    /// `article_id`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub article_id: Option<String>,
    /// `appid` (miniprogram).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub appid: Option<String>,
    /// `pagepath` (miniprogram).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pagepath: Option<String>,
    /// `sub_button`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub sub_button: Vec<Button>,
}

/// Conditional menu match rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MatchRule {
    /// `tag_id`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tag_id: Option<String>,
    /// `sex`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sex: Option<String>,
    /// `country`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// `province`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub province: Option<String>,
    /// `city`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub city: Option<String>,
    /// `client_platform_type`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_platform_type: Option<String>,
    /// `language`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub language: Option<String>,
}

/// `menu/get` response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
pub struct MenuInfo {
    /// The default menu.
    #[serde(default)]
    pub menu: Option<MenuBody>,
    /// Conditional menus.
    #[serde(default)]
    pub conditionalmenu: Vec<MenuBody>,
}

/// A menu as returned by `menu/get`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
pub struct MenuBody {
    /// Buttons.
    #[serde(default)]
    pub button: Vec<Button>,
    /// Match rule (conditional menus).
    #[serde(default)]
    pub matchrule: Option<MatchRule>,
    /// `menuid`.
    #[serde(default)]
    pub menuid: Option<i64>,
}

impl OaClient {
    /// `menu/create`.
    pub async fn menu_create(&self, buttons: &[Button]) -> Result<(), Error> {
        self.post_raw("/cgi-bin/menu/create", &json!({ "button": buttons }))
            .await
            .map(drop)
    }
    /// `menu/get`.
    pub async fn menu_get(&self) -> Result<MenuInfo, Error> {
        self.get_t("/cgi-bin/menu/get", &[]).await
    }
    /// `menu/delete` (also deletes conditional menus).
    pub async fn menu_delete(&self) -> Result<(), Error> {
        self.get_raw("/cgi-bin/menu/delete", &[]).await.map(drop)
    }
    /// `menu/addconditional` → `menuid`.
    pub async fn menu_add_conditional(
        &self,
        buttons: &[Button],
        rule: &MatchRule,
    ) -> Result<String, Error> {
        let v = self
            .post_raw(
                "/cgi-bin/menu/addconditional",
                &json!({ "button": buttons, "matchrule": rule }),
            )
            .await?;
        Ok(id_text(&v["menuid"]))
    }
    /// `menu/delconditional`.
    pub async fn menu_del_conditional(&self, menuid: &str) -> Result<(), Error> {
        self.post_raw("/cgi-bin/menu/delconditional", &json!({ "menuid": menuid }))
            .await
            .map(drop)
    }
    /// `menu/trymatch` → the buttons the user would see.
    pub async fn menu_try_match(&self, user_id: &str) -> Result<Vec<Button>, Error> {
        let v = self
            .post_raw("/cgi-bin/menu/trymatch", &json!({ "user_id": user_id }))
            .await?;
        decode_list(&v, "button")
    }
}
