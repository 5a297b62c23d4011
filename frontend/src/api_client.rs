//! Same-origin JSON calls to `/api/…` with the session cookie, and localised error handling.
//!
//! Pages never write `/api/…` paths: each feature has an `api` module of typed calls built on
//! the helpers here ([`get`], [`send`], [`delete`], [`upload`]); auth and system calls live here.

use std::cell::RefCell;
use std::rc::Rc;

use api::auth::{ChangePasswordRequest, LoginRequest, Me, UpdateMeRequest};
use api::system::SystemInfo;
use api::validate::Rule;
use api::{ApiError, FieldIssue, Lang};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, Response};

use crate::i18n::K;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The server answered with a non-2xx status and (usually) an [`ApiError`] body.
    Api { status: u16, error: ApiError },
    /// The request never got an answer.
    Network,
    /// A 2xx answer whose body we could not read.
    Decode(String),
}

impl ClientError {
    pub fn code(&self) -> &str {
        match self {
            ClientError::Api { error, .. } => &error.error.code,
            ClientError::Network => "network",
            ClientError::Decode(_) => "decode",
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn fields(&self) -> &[FieldIssue] {
        match self {
            ClientError::Api { error, .. } => &error.error.fields,
            _ => &[],
        }
    }

    /// A message for people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let key = match self.code() {
            "invalid_credentials" => K::ErrInvalidCredentials,
            "rate_limited" => K::ErrRateLimited,
            // WeCom's sending limits, held before WeChat is called (HTTP 429): the server's
            // English names who or what is over; Chinese gets the rule in words.
            "wechat_rate_limit" => {
                if lang == Lang::En
                    && let ClientError::Api { error, .. } = self
                    && !error.error.message.is_empty()
                {
                    return error.error.message.clone();
                }
                K::ErrWechatRateLimit
            }
            "network" => K::ErrNetwork,
            "not_found" => K::ErrNotFound,
            "forbidden" => K::ErrForbidden,
            "unauthenticated" => K::ErrUnauthenticated,
            "password_change_required" => K::ErrPasswordChangeRequired,
            "validation" => K::ErrValidation,
            "payload_too_large" => K::ErrPayloadTooLarge,
            "bad_request" | "method_not_allowed" | "unsupported_media_type" => K::ErrBadRequest,
            "csrf" => K::ErrForbidden,
            "internal" => K::ErrInternal,
            // A known reason is said in `lang`; otherwise the server's message says what
            // conflicted (in English: shown in the English UI only).
            "wechat" | "conflict" => {
                let (detail, reason) = match self {
                    ClientError::Api { error, .. } => {
                        (error.error.message.clone(), error.error.reason.clone())
                    }
                    _ => (String::new(), None),
                };
                if let Some(text) = reason
                    .as_deref()
                    .and_then(|r| crate::i18n::errors::reason_text(r, lang))
                {
                    return text;
                }
                let detail = if lang == Lang::En {
                    detail
                } else {
                    String::new()
                };
                let head = if self.code() == "wechat" {
                    K::ErrWechat.text(lang)
                } else {
                    K::ErrStateConflict.text(lang)
                };
                return if detail.is_empty() {
                    head.to_string()
                } else {
                    format!("{head}: {detail}")
                };
            }
            _ => K::ErrUnknown,
        };
        key.text(lang).to_string()
    }

    /// Field issues of a `validation` error, rendered in `lang`: `(field, message)`.
    pub fn field_messages(&self, lang: Lang) -> Vec<(String, String)> {
        self.fields()
            .iter()
            .map(|issue| (issue.field.clone(), field_issue_message(issue, lang)))
            .collect()
    }
}

/// The localised text of one server-side field issue, from its stable code.
pub fn field_issue_message(issue: &FieldIssue, lang: Lang) -> String {
    let number = || -> usize {
        issue
            .message
            .split(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    };
    let simple = [
        Rule::Required,
        Rule::AesKeyFormat,
        Rule::TokenFormat,
        Rule::AppIdFormat,
        Rule::AppSecretFormat,
        Rule::OriginalIdFormat,
        Rule::CorpIdFormat,
        Rule::AgentIdFormat,
        Rule::CorpSecretFormat,
        Rule::MchIdFormat,
        Rule::PayApiKeyFormat,
        Rule::SuiteIdFormat,
        Rule::Base64Format,
        Rule::UsernameFormat,
        Rule::PasswordTooWeak,
        Rule::PasswordCommon,
        Rule::PasswordEqualsUsername,
        Rule::NotForKind,
    ];
    if let Some(rule) = simple.iter().find(|r| r.code() == issue.code) {
        return rule.message(lang);
    }
    match issue.code.as_str() {
        "too_long" => Rule::TooLong { max: number() }.message(lang),
        "too_short" => Rule::TooShort { min: number() }.message(lang),
        "file_too_large" => Rule::FileTooLarge {
            max_bytes: number() * 1024,
        }
        .message(lang),
        "conflict" | "taken" | "duplicate" => K::ErrConflict.text(lang).to_string(),
        "invalid_credentials" => K::PwWrongCurrent.text(lang).to_string(),
        "password_unchanged" => K::PwSameAsCurrent.text(lang).to_string(),
        // Article drafts' own rules (article count, URL scheme, body size).
        code if api::drafts::DraftRule::from_code(code).is_some() => {
            api::drafts::DraftRule::from_code(code)
                .map(|r| r.message(lang))
                .unwrap_or_default()
        }
        // WeCom app messages' rules (byte limits, recipients, schedules).
        code if api::wecom_messages::MessageRule::from_issue(code, &issue.message).is_some() => {
            api::wecom_messages::MessageRule::from_issue(code, &issue.message)
                .map(|r| r.message(lang))
                .unwrap_or_default()
        }
        _ if lang == Lang::En || issue.message.is_empty() => {
            if issue.message.is_empty() {
                K::ErrValidation.text(lang).to_string()
            } else {
                issue.message.clone()
            }
        }
        _ => K::ErrValidation.text(lang).to_string(),
    }
}

type AuthHook = Rc<dyn Fn(&str)>;

thread_local! {
    static AUTH_HOOK: RefCell<Option<AuthHook>> = const { RefCell::new(None) };
}

/// Called with `unauthenticated` or `password_change_required` whenever the server says so.
pub fn set_auth_hook(hook: impl Fn(&str) + 'static) {
    AUTH_HOOK.with(|h| *h.borrow_mut() = Some(Rc::new(hook)));
}

fn run_auth_hook(code: &str) {
    let hook = AUTH_HOOK.with(|h| h.borrow().clone());
    if let Some(hook) = hook {
        hook(code);
    }
}

async fn call(method: &str, path: &str, body: Option<String>) -> Result<String, ClientError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = Headers::new().map_err(|_| ClientError::Network)?;
    let _ = headers.set("Accept", "application/json");
    if let Some(body) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    execute(path, &init).await
}

/// A `multipart/form-data` upload (files). The server's CSRF layer accepts it only with the
/// `x-wxportal-upload` header, which a cross-site page cannot add without a preflight.
pub async fn upload<T: DeserializeOwned>(
    path: &str,
    form: &web_sys::FormData,
) -> Result<T, ClientError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = Headers::new().map_err(|_| ClientError::Network)?;
    let _ = headers.set("Accept", "application/json");
    let _ = headers.set("x-wxportal-upload", "1");
    init.set_headers(&headers);
    init.set_body(form);
    decode(&execute(path, &init).await?)
}

async fn execute(path: &str, init: &RequestInit) -> Result<String, ClientError> {
    let window = web_sys::window().ok_or(ClientError::Network)?;
    let request = Request::new_with_str_and_init(path, init).map_err(|_| ClientError::Network)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ClientError::Network)?
        .dyn_into()
        .map_err(|_| ClientError::Network)?;
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if (200..300).contains(&status) {
        return Ok(text);
    }
    let error = serde_json::from_str::<ApiError>(&text).unwrap_or_else(|_| {
        let code = match status {
            401 => "unauthenticated",
            403 => "forbidden",
            404 => "not_found",
            409 => "conflict",
            413 => "payload_too_large",
            422 => "validation",
            429 => "rate_limited",
            400 => "bad_request",
            _ => "internal",
        };
        ApiError::new(code, text.clone())
    });
    let code = error.error.code.as_str();
    if (status == 401 && code == "unauthenticated")
        || (status == 403 && code == "password_change_required")
    {
        run_auth_hook(code);
    }
    Err(ClientError::Api { status, error })
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ClientError> {
    serde_json::from_str(text).map_err(|e| ClientError::Decode(e.to_string()))
}

fn encode<B: Serialize>(body: &B) -> Result<String, ClientError> {
    serde_json::to_string(body).map_err(|e| ClientError::Decode(e.to_string()))
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    decode(&call("GET", path, None).await?)
}

pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, ClientError> {
    decode(&call(method, path, Some(encode(body)?)).await?)
}

pub async fn send_no_content<B: Serialize>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<(), ClientError> {
    call(method, path, Some(encode(body)?)).await.map(|_| ())
}

pub async fn delete(path: &str) -> Result<(), ClientError> {
    call("DELETE", path, None).await.map(|_| ())
}

/// Percent-encodes a query value.
pub fn enc(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// `k=v&k2=v2` of the filters that are set: values trimmed and encoded, empty ones left out
/// (the server reads a missing filter as "any").
pub fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| {
            let v = v.as_deref()?.trim();
            (!v.is_empty()).then(|| format!("{k}={}", enc(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

// ---------- auth and system (the features' calls live in their own `api` modules) ----------

/// Who is signed in (`None`: nobody); answers 200 either way.
pub async fn session() -> Result<Option<Me>, ClientError> {
    get::<api::auth::SessionState>("/api/auth/session")
        .await
        .map(|s| s.me)
}

pub async fn login(req: &LoginRequest) -> Result<Me, ClientError> {
    send("POST", "/api/auth/login", req).await
}

pub async fn logout() -> Result<(), ClientError> {
    call("POST", "/api/auth/logout", Some("{}".into()))
        .await
        .map(|_| ())
}

pub async fn change_password(req: &ChangePasswordRequest) -> Result<(), ClientError> {
    send_no_content("POST", "/api/auth/password", req).await
}

pub async fn update_me(req: &UpdateMeRequest) -> Result<Me, ClientError> {
    send("PATCH", "/api/auth/me", req).await
}

pub async fn system_info() -> Result<SystemInfo, ClientError> {
    get("/api/system/info").await
}
