//! Typed async HTTP client.
//!
//! All clients share one [`HttpCore`] (a `reqwest::Client` plus [`BaseUrls`]). Base URLs are
//! configurable per host, so the same code talks to WeChat, to the emulator
//! (`BaseUrls::under("http://127.0.0.1:9000")` → `http://127.0.0.1:9000/api.weixin.qq.com/…`)
//! or to a fixed-IP egress proxy.
//!
//! * [`oa::OaClient`] — Official Account (token/stable_token, menus, tags, groups, users,
//!   materials, media, drafts, freepublish, messages, QR codes, OAuth2, JS-SDK ticket).
//! * [`work::WorkClient`] — WeCom (self-built app or a corp authorised to a suite).
//! * [`suite::SuiteClient`] — WeCom third-party suite and provider APIs.
//! * [`pay::PayClient`] — Pay v2.
//!
//! Calls that use an access token go through the [`crate::token::TokenManager`]: on
//! 40001/40014/42001 the token is refreshed once and the call retried once; other codes
//! (40125, 40164, 45009, …) are returned immediately as [`crate::Error::Wechat`].
//!
//! JSON bodies are sent as raw UTF-8 (`serde_json` never writes `\uXXXX` for non-ASCII,
//! which WeChat would reject with 40033).
//!
//! ```no_run
//! # async fn demo() -> Result<(), wechat::Error> {
//! use std::sync::Arc;
//! use wechat::client::{BaseUrls, HttpCore, oa::OaClient};
//! use wechat::token::{MemoryTokenStore, TokenManager};
//! let core = Arc::new(HttpCore::new(BaseUrls::under("http://127.0.0.1:9000")));
//! let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
//! let oa = OaClient::new(core, tokens, "wx1234", "secret");
//! let tags = oa.tags_get().await?;
//! # let _ = tags; Ok(()) }
//! ```

pub mod oa;
pub mod pay;
mod retry;
pub mod suite;
pub mod suite_license;
pub mod work;

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, WechatApiError};
use crate::token::FetchedToken;

/// The WeChat hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host {
    /// `api.weixin.qq.com`
    Api,
    /// `qyapi.weixin.qq.com`
    QyApi,
    /// `api.mch.weixin.qq.com`
    Mch,
    /// `open.weixin.qq.com`
    Open,
    /// `mp.weixin.qq.com`
    Mp,
    /// `open.work.weixin.qq.com`
    OpenWork,
    /// `mmbiz.qpic.cn`: the image host of article bodies and materials (`uploadimg`).
    Mmbiz,
}

impl Host {
    /// The production host name.
    pub fn name(&self) -> &'static str {
        match self {
            Host::Api => "api.weixin.qq.com",
            Host::QyApi => "qyapi.weixin.qq.com",
            Host::Mch => "api.mch.weixin.qq.com",
            Host::Open => "open.weixin.qq.com",
            Host::Mp => "mp.weixin.qq.com",
            Host::OpenWork => "open.work.weixin.qq.com",
            Host::Mmbiz => "mmbiz.qpic.cn",
        }
    }
}

/// Base URLs per host (no trailing slash; a path prefix is preserved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrls {
    /// `https://api.weixin.qq.com`
    pub api: String,
    /// `https://qyapi.weixin.qq.com`
    pub qyapi: String,
    /// `https://api.mch.weixin.qq.com`
    pub mch: String,
    /// `https://open.weixin.qq.com`
    pub open: String,
    /// `https://mp.weixin.qq.com`
    pub mp: String,
    /// `https://open.work.weixin.qq.com`
    pub open_work: String,
    /// `https://mmbiz.qpic.cn`
    pub mmbiz: String,
}

impl BaseUrls {
    /// The real WeChat hosts.
    pub fn production() -> Self {
        Self::from_fn(|h| format!("https://{}", h.name()))
    }

    /// Every host under one root, each at a path prefix named after the host
    /// (the emulator's layout): `under("http://127.0.0.1:9000")` gives
    /// `http://127.0.0.1:9000/api.weixin.qq.com`, …
    ///
    /// ```
    /// let b = wechat::client::BaseUrls::under("http://127.0.0.1:9000/");
    /// assert_eq!(b.api, "http://127.0.0.1:9000/api.weixin.qq.com");
    /// assert_eq!(b.mch, "http://127.0.0.1:9000/api.mch.weixin.qq.com");
    /// ```
    pub fn under(root: &str) -> Self {
        let root = root.trim_end_matches('/').to_owned();
        Self::from_fn(|h| format!("{root}/{}", h.name()))
    }

    fn from_fn(f: impl Fn(Host) -> String) -> Self {
        BaseUrls {
            api: f(Host::Api),
            qyapi: f(Host::QyApi),
            mch: f(Host::Mch),
            open: f(Host::Open),
            mp: f(Host::Mp),
            open_work: f(Host::OpenWork),
            mmbiz: f(Host::Mmbiz),
        }
    }

    /// The base URL of `host`.
    pub fn get(&self, host: Host) -> &str {
        match host {
            Host::Api => &self.api,
            Host::QyApi => &self.qyapi,
            Host::Mch => &self.mch,
            Host::Open => &self.open,
            Host::Mp => &self.mp,
            Host::OpenWork => &self.open_work,
            Host::Mmbiz => &self.mmbiz,
        }
    }

    /// `base(host) + path` (path starts with `/`).
    pub fn url(&self, host: Host, path: &str) -> String {
        format!("{}{}", self.get(host).trim_end_matches('/'), path)
    }
}

/// A file to upload. Files given by path are streamed from disk (re-opened on retry).
#[derive(Debug, Clone)]
pub struct UploadFile {
    /// File name sent in the multipart header.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Where the bytes come from.
    pub source: UploadSource,
}

/// The bytes of an [`UploadFile`].
#[derive(Debug, Clone)]
pub enum UploadSource {
    /// In memory.
    Bytes(Vec<u8>),
    /// Streamed from this path.
    Path(PathBuf),
}

impl UploadFile {
    /// From memory.
    pub fn from_bytes(
        filename: impl Into<String>,
        content_type: impl Into<String>,
        bytes: Vec<u8>,
    ) -> Self {
        UploadFile {
            filename: filename.into(),
            content_type: content_type.into(),
            source: UploadSource::Bytes(bytes),
        }
    }

    /// Streamed from a path.
    pub fn from_path(path: impl Into<PathBuf>, content_type: impl Into<String>) -> Self {
        let path = path.into();
        let filename = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        UploadFile {
            filename,
            content_type: content_type.into(),
            source: UploadSource::Path(path),
        }
    }

    async fn part(&self) -> Result<reqwest::multipart::Part, Error> {
        let part = match &self.source {
            UploadSource::Bytes(b) => reqwest::multipart::Part::bytes(b.clone()),
            UploadSource::Path(p) => {
                let f = tokio::fs::File::open(p)
                    .await
                    .map_err(|e| Error::Invalid(format!("cannot open upload: {e}")))?;
                let len = f
                    .metadata()
                    .await
                    .map_err(|e| Error::Invalid(format!("cannot stat upload: {e}")))?
                    .len();
                reqwest::multipart::Part::stream_with_length(reqwest::Body::from(f), len)
            }
        };
        part.file_name(self.filename.clone())
            .mime_str(&self.content_type)
            .map_err(|e| Error::Invalid(format!("bad content type: {e}")))
    }
}

/// A binary download, or the JSON WeChat returns instead (e.g. video URLs, news materials).
#[derive(Debug, Clone, PartialEq)]
pub enum Download {
    /// Raw bytes with their content type.
    Bytes {
        /// `Content-Type`.
        content_type: Option<String>,
        /// The body.
        bytes: Vec<u8>,
    },
    /// A JSON body that was not an error.
    Json(Value),
}

/// Shared HTTP state: a `reqwest::Client` and the base URLs.
#[derive(Debug, Clone)]
pub struct HttpCore {
    http: reqwest::Client,
    urls: BaseUrls,
}

/// Transport errors without the URL: query strings carry `secret` / `access_token`, and
/// reqwest's error text would otherwise print them into logs.
pub(crate) fn http_err(e: reqwest::Error) -> Error {
    Error::Http(e.without_url())
}

/// Turns a JSON body into an error if it carries a non-zero `errcode`.
pub fn check_errcode(v: &Value) -> Result<(), WechatApiError> {
    let code = v
        .get("errcode")
        .and_then(|c| c.as_i64().or_else(|| c.as_str()?.parse().ok()));
    match code {
        Some(c) if c != 0 => Err(WechatApiError::new(
            c,
            v.get("errmsg").and_then(Value::as_str).unwrap_or_default(),
        )),
        _ => Ok(()),
    }
}

fn decode<T: DeserializeOwned>(v: Value) -> Result<T, Error> {
    serde_json::from_value(v).map_err(|e| Error::Decode(e.to_string()))
}

/// The array under `field`; an absent field is an empty list (WeChat omits empty lists).
fn decode_list<T: DeserializeOwned>(v: &Value, field: &str) -> Result<Vec<T>, Error> {
    decode(v.get(field).cloned().unwrap_or(Value::Array(vec![])))
}

/// The string under `field`, which must be present.
fn required_str(v: &Value, field: &str) -> Result<String, Error> {
    v[field]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::Decode(field.into()))
}

/// The integer under `field`, which must be present.
fn required_i64(v: &Value, field: &str) -> Result<i64, Error> {
    v[field].as_i64().ok_or_else(|| Error::Decode(field.into()))
}

/// Deserializes an id WeChat sends as a string or a number into its text.
fn de_id_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = <Value as serde::Deserialize>::deserialize(d)?;
    Ok(if v.is_null() {
        String::new()
    } else {
        id_text(&v)
    })
}

/// An id WeChat sends as a string or a number (`menuid`, `publish_id`), as text.
fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (for URLs built here).
fn urlenc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

impl HttpCore {
    /// A core with a default client (30 s timeout, rustls).
    pub fn new(urls: BaseUrls) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        HttpCore { http, urls }
    }

    /// A core with a caller-configured client (proxy, timeouts …).
    pub fn with_client(http: reqwest::Client, urls: BaseUrls) -> Self {
        HttpCore { http, urls }
    }

    /// The base URLs.
    pub fn urls(&self) -> &BaseUrls {
        &self.urls
    }

    /// The underlying client.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    async fn read_json(&self, path: &str, resp: reqwest::Response) -> Result<Value, Error> {
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(http_err)?;
        let v: Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                if !status.is_success() {
                    return Err(Error::Status {
                        status: status.as_u16(),
                    });
                }
                return Err(Error::Decode(format!("{path}: {e}")));
            }
        };
        if let Err(e) = check_errcode(&v) {
            tracing::warn!(
                path,
                errcode = e.code,
                rid = e.rid.as_deref().unwrap_or(""),
                "WeChat API error"
            );
            return Err(e.into());
        }
        if !status.is_success() {
            return Err(Error::Status {
                status: status.as_u16(),
            });
        }
        Ok(v)
    }

    /// GET `path` with `query`, returning checked JSON. (Query values may hold secrets:
    /// URLs are never logged.)
    pub async fn get_value(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Value, Error> {
        tracing::debug!(host = host.name(), path, "GET");
        let resp = self
            .http
            .get(self.urls.url(host, path))
            .query(query)
            .send()
            .await
            .map_err(http_err)?;
        self.read_json(path, resp).await
    }

    /// POST a JSON body (raw UTF-8) to `path`, returning checked JSON.
    pub async fn post_value<B: Serialize + ?Sized>(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
        body: &B,
    ) -> Result<Value, Error> {
        tracing::debug!(host = host.name(), path, "POST");
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Invalid(e.to_string()))?;
        let resp = self
            .http
            .post(self.urls.url(host, path))
            .query(query)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )
            .body(bytes)
            .send()
            .await
            .map_err(http_err)?;
        self.read_json(path, resp).await
    }

    /// POST multipart (`media` file field plus text fields), returning checked JSON.
    pub async fn post_multipart(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
        file: &UploadFile,
        fields: &[(&str, String)],
    ) -> Result<Value, Error> {
        tracing::debug!(host = host.name(), path, "POST multipart");
        let mut form = reqwest::multipart::Form::new().part("media", file.part().await?);
        for (k, v) in fields {
            form = form.text(k.to_string(), v.clone());
        }
        let resp = self
            .http
            .post(self.urls.url(host, path))
            .query(query)
            .multipart(form)
            .send()
            .await
            .map_err(http_err)?;
        self.read_json(path, resp).await
    }

    /// A download (GET, or POST with a JSON body) that returns bytes unless the body is JSON.
    pub async fn download(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Download, Error> {
        let url = self.urls.url(host, path);
        let req = match body {
            Some(b) => self
                .http
                .post(url)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/json; charset=utf-8",
                )
                .body(serde_json::to_vec(b).map_err(|e| Error::Invalid(e.to_string()))?),
            None => self.http.get(url),
        };
        let resp = req.query(query).send().await.map_err(http_err)?;
        let status = resp.status();
        let ct = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = resp.bytes().await.map_err(http_err)?.to_vec();
        let looks_json = ct
            .as_deref()
            .is_some_and(|c| c.contains("json") || c.starts_with("text/plain"))
            || bytes.first() == Some(&b'{');
        if looks_json && let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
            check_errcode(&v)?;
            return Ok(Download::Json(v));
        }
        if !status.is_success() {
            return Err(Error::Status {
                status: status.as_u16(),
            });
        }
        Ok(Download::Bytes {
            content_type: ct,
            bytes,
        })
    }

    /// GET a URL that WeChat handed out (a video's `down_url`). A URL on one of WeChat's own
    /// hosts goes to that host's configured base, as every API call does (the emulator serves
    /// them); any other http(s) URL (WeChat's CDN) is fetched as it is.
    pub async fn fetch_url(&self, url: &str) -> Result<Vec<u8>, Error> {
        let parsed =
            reqwest::Url::parse(url).map_err(|e| Error::Invalid(format!("URL {url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Invalid(format!("URL {url:?}: not http(s)")));
        }
        let wechat_host = [
            Host::Api,
            Host::QyApi,
            Host::Mch,
            Host::Open,
            Host::Mp,
            Host::OpenWork,
            Host::Mmbiz,
        ]
        .into_iter()
        .find(|h| parsed.host_str() == Some(h.name()));
        let target = match wechat_host {
            Some(h) => {
                let mut path = parsed.path().to_string();
                if let Some(q) = parsed.query() {
                    path.push('?');
                    path.push_str(q);
                }
                self.urls.url(h, &path)
            }
            None => parsed.to_string(),
        };
        let resp = self.http.get(target).send().await.map_err(http_err)?;
        let status = resp.status();
        if !status.is_success() {
            return Err(Error::Status {
                status: status.as_u16(),
            });
        }
        Ok(resp.bytes().await.map_err(http_err)?.to_vec())
    }

    /// An image on WeChat's image host (`mmbiz.qpic.cn`, at this client's base for it), read
    /// up to `max_bytes`: its content type and bytes. Any other address is refused, so an
    /// article's HTML cannot make the portal fetch what it names.
    pub async fn fetch_image(
        &self,
        url: &str,
        max_bytes: usize,
    ) -> Result<(Option<String>, Vec<u8>), Error> {
        let parsed =
            reqwest::Url::parse(url).map_err(|e| Error::Invalid(format!("URL {url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https")
            || parsed.host_str() != Some(Host::Mmbiz.name())
            || parsed.port().is_some()
        {
            return Err(Error::Invalid(format!(
                "URL {url:?}: not on WeChat's image host"
            )));
        }
        let mut path = parsed.path().to_string();
        if let Some(q) = parsed.query() {
            path.push('?');
            path.push_str(q);
        }
        let mut resp = self
            .http
            .get(self.urls.url(Host::Mmbiz, &path))
            .send()
            .await
            .map_err(http_err)?;
        let status = resp.status();
        if !status.is_success() {
            return Err(Error::Status {
                status: status.as_u16(),
            });
        }
        let ct = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(http_err)? {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(Error::Invalid(format!(
                    "image larger than {max_bytes} bytes"
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((ct, bytes))
    }

    /// GET and decode into `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, Error> {
        decode(self.get_value(host, path, query).await?)
    }

    /// POST and decode into `T`.
    pub async fn post_json<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        host: Host,
        path: &str,
        query: &[(&str, &str)],
        body: &B,
    ) -> Result<T, Error> {
        decode(self.post_value(host, path, query, body).await?)
    }

    /// POST an XML body (Pay v2), returning the raw response bytes.
    pub async fn post_xml_with(
        &self,
        http: &reqwest::Client,
        host: Host,
        path: &str,
        xml: String,
    ) -> Result<Vec<u8>, Error> {
        tracing::debug!(host = host.name(), path, "POST xml");
        let resp = http
            .post(self.urls.url(host, path))
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .body(xml)
            .send()
            .await
            .map_err(http_err)?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(http_err)?.to_vec();
        if !status.is_success() {
            return Err(Error::Status {
                status: status.as_u16(),
            });
        }
        Ok(bytes)
    }
}

/// Common `{"errcode":0,"errmsg":"ok"}` responses.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Default)]
pub struct ErrMsg {
    /// `errcode` (0).
    #[serde(default)]
    pub errcode: i64,
    /// `errmsg`.
    #[serde(default)]
    pub errmsg: String,
}

/// `access_token` + `expires_in` responses.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct AccessTokenResp {
    pub access_token: String,
    pub expires_in: i64,
}

impl From<AccessTokenResp> for FetchedToken {
    fn from(r: AccessTokenResp) -> Self {
        FetchedToken {
            value: r.access_token,
            expires_in: r.expires_in,
        }
    }
}

impl From<TicketResp> for FetchedToken {
    fn from(t: TicketResp) -> Self {
        FetchedToken {
            value: t.ticket,
            expires_in: t.expires_in,
        }
    }
}

/// `ticket` + `expires_in` responses (JS-SDK tickets).
#[derive(Debug, Clone, serde::Deserialize)]
struct TicketResp {
    ticket: String,
    expires_in: i64,
}
