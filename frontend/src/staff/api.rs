//! Calls for staff users (admins only).

use api::staff::{CreateStaffRequest, StaffUser, UpdateStaffRequest};

use crate::api_client::{ClientError, delete, get, send};

pub async fn list() -> Result<Vec<StaffUser>, ClientError> {
    get("/api/staff").await
}

pub async fn create(req: &CreateStaffRequest) -> Result<StaffUser, ClientError> {
    send("POST", "/api/staff", req).await
}

pub async fn update(id: i64, req: &UpdateStaffRequest) -> Result<StaffUser, ClientError> {
    send("PATCH", &format!("/api/staff/{id}"), req).await
}

pub async fn remove(id: i64) -> Result<(), ClientError> {
    delete(&format!("/api/staff/{id}")).await
}
