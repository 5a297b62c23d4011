//! Members (`user/*`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::WorkClient;
use crate::client::{decode, decode_list};
use crate::error::Error;

/// `user/simplelist` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimpleUser {
    /// `userid`.
    pub userid: String,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// `department`.
    #[serde(default)]
    pub department: Vec<i64>,
    /// `open_userid`.
    #[serde(default)]
    pub open_userid: Option<String>,
}

/// `user/get` response. Since mid-2022 app tokens no longer receive `mobile`, `gender`,
/// `email`, `telephone`, `avatar` and `address` (only the contacts secret does), so those
/// are optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct WorkUser {
    /// `userid`.
    pub userid: String,
    /// `name`.
    #[serde(default)]
    pub name: String,
    /// `department`.
    #[serde(default)]
    pub department: Vec<i64>,
    /// `order` (per department).
    #[serde(default)]
    pub order: Vec<i64>,
    /// `position`.
    #[serde(default)]
    pub position: Option<String>,
    /// `mobile`.
    #[serde(default)]
    pub mobile: Option<String>,
    /// `gender`: "0" unknown, "1" male, "2" female.
    #[serde(default)]
    pub gender: Option<String>,
    /// `email`.
    #[serde(default)]
    pub email: Option<String>,
    /// `is_leader_in_dept` (per department).
    #[serde(default)]
    pub is_leader_in_dept: Vec<i64>,
    /// `alias`.
    #[serde(default)]
    pub alias: Option<String>,
    /// `status`: 1 active, 2 disabled, 4 not activated, 5 quit.
    #[serde(default)]
    pub status: Option<i64>,
    /// `enable`.
    #[serde(default)]
    pub enable: Option<i64>,
    /// `main_department`.
    #[serde(default)]
    pub main_department: Option<i64>,
    /// `telephone`.
    #[serde(default)]
    pub telephone: Option<String>,
    /// `avatar`.
    #[serde(default)]
    pub avatar: Option<String>,
    /// `open_userid`.
    #[serde(default)]
    pub open_userid: Option<String>,
    /// Fields not listed above (`extattr`, `external_profile`, …), kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl WorkClient {
    /// `user/create` (body as documented: userid, name, mobile/email, department …).
    pub async fn user_create(&self, user: &Value) -> Result<(), Error> {
        self.post_raw("/cgi-bin/user/create", &[], user)
            .await
            .map(drop)
    }
    /// `user/update`.
    pub async fn user_update(&self, user: &Value) -> Result<(), Error> {
        self.post_raw("/cgi-bin/user/update", &[], user)
            .await
            .map(drop)
    }
    /// `user/delete`.
    pub async fn user_delete(&self, userid: &str) -> Result<(), Error> {
        self.get_raw("/cgi-bin/user/delete", &[("userid", userid)])
            .await
            .map(drop)
    }
    /// `user/batchdelete`.
    pub async fn user_batch_delete(&self, userids: &[String]) -> Result<(), Error> {
        self.post_raw(
            "/cgi-bin/user/batchdelete",
            &[],
            &json!({"useridlist": userids}),
        )
        .await
        .map(drop)
    }
    /// `user/get`.
    pub async fn user_get(&self, userid: &str) -> Result<WorkUser, Error> {
        decode(
            self.get_raw("/cgi-bin/user/get", &[("userid", userid)])
                .await?,
        )
    }
    /// `user/simplelist`.
    pub async fn user_simple_list(
        &self,
        department_id: i64,
        fetch_child: bool,
    ) -> Result<Vec<SimpleUser>, Error> {
        self.members("/cgi-bin/user/simplelist", department_id, fetch_child)
            .await
    }
    /// `user/list` (detailed).
    pub async fn user_list(
        &self,
        department_id: i64,
        fetch_child: bool,
    ) -> Result<Vec<Value>, Error> {
        self.members("/cgi-bin/user/list", department_id, fetch_child)
            .await
    }

    /// The `userlist` of a department listing (`simplelist` or `list`).
    async fn members<T: DeserializeOwned>(
        &self,
        path: &str,
        department_id: i64,
        fetch_child: bool,
    ) -> Result<Vec<T>, Error> {
        let d = department_id.to_string();
        let child = if fetch_child { "1" } else { "0" };
        let v = self
            .get_raw(path, &[("department_id", &d), ("fetch_child", child)])
            .await?;
        decode_list(&v, "userlist")
    }
}

/// One membership of `user/list_id`: a member in one department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeptUser {
    /// `userid`.
    pub userid: String,
    /// `department`.
    pub department: i64,
}

/// A page of `user/list_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UserIdPage {
    /// `next_cursor`: empty on the last page.
    #[serde(default)]
    pub next_cursor: String,
    /// `dept_user`.
    #[serde(default)]
    pub dept_user: Vec<DeptUser>,
}

impl WorkClient {
    /// `user/list_id` (cursor paging, `limit` 1–10000): the compliant way to list members
    /// since WeCom's 2022-08-15 rules for the contacts secret.
    pub async fn user_list_id(&self, cursor: &str, limit: u32) -> Result<UserIdPage, Error> {
        decode(
            self.post_raw(
                "/cgi-bin/user/list_id",
                &[],
                &json!({"cursor": cursor, "limit": limit}),
            )
            .await?,
        )
    }
}

/// `batch/invite`'s answer: what WeCom could not invite (unknown or out of view); everything
/// else was invited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InviteAnswer {
    /// `invaliduser`.
    #[serde(default)]
    pub invaliduser: Vec<String>,
    /// `invalidparty`.
    #[serde(default)]
    pub invalidparty: Vec<i64>,
    /// `invalidtag`.
    #[serde(default)]
    pub invalidtag: Vec<i64>,
}

impl WorkClient {
    /// `batch/invite` (≤ 1000 users, ≤ 100 parties, ≤ 100 tags per call).
    pub async fn batch_invite(
        &self,
        users: &[String],
        parties: &[i64],
        tags: &[i64],
    ) -> Result<InviteAnswer, Error> {
        decode(
            self.post_raw(
                "/cgi-bin/batch/invite",
                &[],
                &json!({"user": users, "party": parties, "tag": tags}),
            )
            .await?,
        )
    }
}
