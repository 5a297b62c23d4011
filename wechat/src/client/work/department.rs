//! Departments (`department/*`).

use serde::{Deserialize, Serialize};

use super::WorkClient;
use crate::client::{decode_list, required_i64};
use crate::error::Error;

/// A department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Department {
    /// `id`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<i64>,
    /// `name` (left out when empty: an update without it keeps the name).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub name: String,
    /// `name_en`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name_en: Option<String>,
    /// `parentid`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parentid: Option<i64>,
    /// `order`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub order: Option<i64>,
    /// `department_leader`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub department_leader: Vec<String>,
}

impl WorkClient {
    /// `department/create` → id.
    pub async fn department_create(&self, d: &Department) -> Result<i64, Error> {
        let v = self.post_raw("/cgi-bin/department/create", &[], d).await?;
        required_i64(&v, "id")
    }
    /// `department/update`.
    pub async fn department_update(&self, d: &Department) -> Result<(), Error> {
        self.post_raw("/cgi-bin/department/update", &[], d)
            .await
            .map(drop)
    }
    /// `department/delete`.
    pub async fn department_delete(&self, id: i64) -> Result<(), Error> {
        self.get_raw("/cgi-bin/department/delete", &[("id", &id.to_string())])
            .await
            .map(drop)
    }
    /// `department/list` (whole tree under `id`, or everything visible).
    pub async fn department_list(&self, id: Option<i64>) -> Result<Vec<Department>, Error> {
        let s = id.map(|i| i.to_string());
        let q: Vec<(&str, &str)> = s.as_deref().map(|s| vec![("id", s)]).unwrap_or_default();
        let v = self.get_raw("/cgi-bin/department/list", &q).await?;
        decode_list(&v, "department")
    }
}

/// A `department/simplelist` entry (ids only, no names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentId {
    /// `id`.
    pub id: i64,
    /// `parentid`.
    #[serde(default)]
    pub parentid: i64,
    /// `order`.
    #[serde(default)]
    pub order: i64,
}

impl WorkClient {
    /// `department/simplelist` (the tree under `id`, or everything visible).
    pub async fn department_simple_list(
        &self,
        id: Option<i64>,
    ) -> Result<Vec<DepartmentId>, Error> {
        let s = id.map(|i| i.to_string());
        let q: Vec<(&str, &str)> = s.as_deref().map(|s| vec![("id", s)]).unwrap_or_default();
        let v = self.get_raw("/cgi-bin/department/simplelist", &q).await?;
        decode_list(&v, "department_id")
    }
}
