//! Calls for accounts (every kind) and the credential generator of the account form.

use api::accounts::{
    Account, CreateAccountRequest, GeneratedCredentials, RevealSecretRequest, RevealedSecret,
    UpdateAccountRequest,
};

use crate::api_client::{ClientError, delete, get, send};

pub async fn list() -> Result<Vec<Account>, ClientError> {
    get("/api/accounts").await
}

pub async fn get_one(id: i64) -> Result<Account, ClientError> {
    get(&format!("/api/accounts/{id}")).await
}

pub async fn create(req: &CreateAccountRequest) -> Result<Account, ClientError> {
    send("POST", "/api/accounts", req).await
}

pub async fn update(id: i64, req: &UpdateAccountRequest) -> Result<Account, ClientError> {
    send("PATCH", &format!("/api/accounts/{id}"), req).await
}

pub async fn remove(id: i64) -> Result<(), ClientError> {
    delete(&format!("/api/accounts/{id}")).await
}

/// An admin reveals the Token or EncodingAESKey (audited by the server).
pub async fn reveal(id: i64, field: &str) -> Result<RevealedSecret, ClientError> {
    send(
        "POST",
        &format!("/api/accounts/{id}/reveal"),
        &RevealSecretRequest {
            field: field.to_string(),
        },
    )
    .await
}

/// A random token and EncodingAESKey, as WeChat's consoles generate them.
pub async fn generate_credentials() -> Result<GeneratedCredentials, ClientError> {
    get("/api/tools/credentials").await
}
