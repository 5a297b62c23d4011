//! Token-authenticated calls: the one place that knows WeChat's "token rejected" rule.
//!
//! On 40001/40014/42001 the token is replaced once (single-flight in the
//! [`crate::token::TokenManager`], so a token another caller already refreshed is reused)
//! and the call is retried once. Every other error code is returned as it is: retrying a
//! 45009 (quota) or 40164 (IP not whitelisted) would only burn quota.

use std::future::Future;

use serde::Serialize;
use serde_json::Value;

use super::{Download, Host, HttpCore, UploadFile};
use crate::error::Error;

/// Hands out an access token and replaces one that WeChat rejected.
pub(crate) trait TokenSource: Sync {
    /// The current (cached) token.
    fn current(&self) -> impl Future<Output = Result<String, Error>> + Send;
    /// A token to use instead of `rejected`.
    fn replace(&self, rejected: String) -> impl Future<Output = Result<String, Error>> + Send;
}

/// Calls on one host that carry a token in the query parameter `param`.
pub(crate) struct Authed<'a, S> {
    core: &'a HttpCore,
    source: &'a S,
    host: Host,
    param: &'static str,
}

impl<'a, S: TokenSource> Authed<'a, S> {
    /// `param` is `access_token` for most APIs, `suite_access_token` for suite APIs.
    pub(crate) fn new(core: &'a HttpCore, source: &'a S, host: Host, param: &'static str) -> Self {
        Authed {
            core,
            source,
            host,
            param,
        }
    }

    /// Runs `call` with the current token; when WeChat rejects the token, once more with a
    /// replaced one.
    async fn retry<T, C, F>(&self, call: C) -> Result<T, Error>
    where
        C: Fn(String) -> F,
        F: Future<Output = Result<T, Error>>,
    {
        let token = self.source.current().await?;
        match call(token.clone()).await {
            Err(Error::Wechat(e)) if e.is_token_invalid() => {
                tracing::info!(
                    errcode = e.code,
                    "access token rejected; refreshing once and retrying once"
                );
                let fresh = self.source.replace(token).await?;
                call(fresh).await
            }
            r => r,
        }
    }

    /// The token parameter first, then `query`.
    fn query<'q>(&self, token: &'q str, query: &[(&'q str, &'q str)]) -> Vec<(&'q str, &'q str)> {
        let mut q = Vec::with_capacity(query.len() + 1);
        q.push((self.param, token));
        q.extend_from_slice(query);
        q
    }

    /// GET, returning checked JSON.
    pub(crate) async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, Error> {
        self.retry(|tok| async move {
            self.core
                .get_value(self.host, path, &self.query(&tok, query))
                .await
        })
        .await
    }

    /// POST a JSON body, returning checked JSON.
    pub(crate) async fn post<B: Serialize + ?Sized + Sync>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: &B,
    ) -> Result<Value, Error> {
        self.retry(|tok| async move {
            self.core
                .post_value(self.host, path, &self.query(&tok, query), body)
                .await
        })
        .await
    }

    /// POST multipart (the file is re-read on retry), returning checked JSON.
    pub(crate) async fn upload(
        &self,
        path: &str,
        query: &[(&str, &str)],
        file: &UploadFile,
        fields: &[(&str, String)],
    ) -> Result<Value, Error> {
        self.retry(|tok| async move {
            self.core
                .post_multipart(self.host, path, &self.query(&tok, query), file, fields)
                .await
        })
        .await
    }

    /// A download (GET, or POST when `body` is given).
    pub(crate) async fn download(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Download, Error> {
        self.retry(|tok| async move {
            self.core
                .download(self.host, path, &self.query(&tok, query), body)
                .await
        })
        .await
    }
}
