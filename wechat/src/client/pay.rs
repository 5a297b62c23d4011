//! Pay v2 client (`api.mch.weixin.qq.com`).
//!
//! Every request is signed with the merchant's configured [`SignType`]; every response is
//! parsed with the safe XML reader, `return_code` checked, the signature verified with the
//! **same** sign type, and `result_code` checked.

use std::sync::Arc;

use base64::Engine;

use super::{Host, HttpCore};
use crate::error::{Error, PayError};
use crate::pay::{
    Bill, DownloadBillRequest, OrderQueryResponse, OrderRef, PayCredentials, PayMap,
    RefundQueryRef, RefundQueryResponse, RefundRequest, RefundResponse, SignType,
    UnifiedOrderRequest, UnifiedOrderResponse, parse_response, short_url_map,
};

/// Pay v2 client for one merchant.
#[derive(Clone)]
pub struct PayClient {
    core: Arc<HttpCore>,
    creds: PayCredentials,
    cert_http: Option<reqwest::Client>,
    sandbox: bool,
}

impl std::fmt::Debug for PayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayClient")
            .field("mch_id", &self.creds.mch_id)
            .field("has_cert", &self.cert_http.is_some())
            .finish_non_exhaustive()
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let b = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for chunk in b.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

/// Converts a PKCS#12 (`apiclient_cert.p12`, password = mch_id) into PEM (key + certs).
/// Supports the legacy PBE algorithms WeChat's files use (3DES / RC2); PBES2/AES-encrypted
/// files from OpenSSL 3 defaults are not supported by the `p12` crate ⚠️ — convert those
/// with `openssl pkcs12 -legacy` or pass PEM to [`PayClient::with_client_pem`].
pub fn pkcs12_to_pem(der: &[u8], password: &str) -> Result<String, PayError> {
    let pfx =
        p12::PFX::parse(der).map_err(|e| PayError::Certificate(format!("not PKCS#12: {e:?}")))?;
    if !pfx.verify_mac(password) {
        return Err(PayError::Certificate(
            "wrong password (it is the mch_id) or corrupt file".into(),
        ));
    }
    let keys = pfx
        .key_bags(password)
        .map_err(|e| PayError::Certificate(format!("key: {e:?}")))?;
    let certs = pfx
        .cert_x509_bags(password)
        .map_err(|e| PayError::Certificate(format!("cert: {e:?}")))?;
    let key = keys
        .first()
        .ok_or_else(|| PayError::Certificate("no private key in PKCS#12".into()))?;
    if certs.is_empty() {
        return Err(PayError::Certificate("no certificate in PKCS#12".into()));
    }
    let mut out = pem("PRIVATE KEY", key);
    for c in &certs {
        out.push_str(&pem("CERTIFICATE", c));
    }
    Ok(out)
}

impl PayClient {
    /// A client without a client certificate (refund needs one).
    pub fn new(core: Arc<HttpCore>, creds: PayCredentials) -> Self {
        PayClient {
            core,
            creds,
            cert_http: None,
            sandbox: false,
        }
    }

    /// Adds the client certificate from a PKCS#12 file (password is normally the mch_id).
    pub fn with_pkcs12(self, der: &[u8], password: &str) -> Result<Self, Error> {
        let pem = pkcs12_to_pem(der, password)?;
        self.with_client_pem(pem.as_bytes())
    }

    /// Adds the client certificate from PEM (private key + certificate).
    pub fn with_client_pem(mut self, pem: &[u8]) -> Result<Self, Error> {
        let id =
            reqwest::Identity::from_pem(pem).map_err(|e| PayError::Certificate(e.to_string()))?;
        let http = reqwest::Client::builder()
            .identity(id)
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| PayError::Certificate(e.to_string()))?;
        self.cert_http = Some(http);
        Ok(self)
    }

    /// For the WeChat emulator (`wechat-sim`), which cannot see a TLS client certificate over
    /// plain HTTP: certificate calls (refund) carry the certificate's SHA-256 (hex, of the DER)
    /// in the `X-Sim-Client-Cert-Sha256` header instead. Only for emulator base URLs; against
    /// WeChat itself use [`PayClient::with_pkcs12`] or [`PayClient::with_client_pem`].
    pub fn with_emulated_client_cert(mut self, cert_sha256_hex: &str) -> Result<Self, Error> {
        let mut headers = reqwest::header::HeaderMap::new();
        let value = reqwest::header::HeaderValue::from_str(cert_sha256_hex)
            .map_err(|_| Error::Invalid("certificate fingerprint is not a header value".into()))?;
        headers.insert("x-sim-client-cert-sha256", value);
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| PayError::Certificate(e.to_string()))?;
        self.cert_http = Some(http);
        Ok(self)
    }

    /// Uses the `/sandboxnew` paths.
    pub fn sandbox(mut self, yes: bool) -> Self {
        self.sandbox = yes;
        self
    }

    /// The credentials.
    pub fn credentials(&self) -> &PayCredentials {
        &self.creds
    }

    fn path(&self, p: &str) -> String {
        if self.sandbox {
            format!("/sandboxnew{p}")
        } else {
            p.to_owned()
        }
    }

    async fn post_raw(&self, path: &str, m: PayMap, cert: bool) -> Result<Vec<u8>, Error> {
        let signed = self.creds.sign_request(m);
        let http = if cert {
            self.cert_http.as_ref().ok_or_else(|| {
                Error::Invalid("this call needs the merchant client certificate".into())
            })?
        } else {
            self.core.http()
        };
        self.core
            .post_xml_with(http, Host::Mch, &self.path(path), signed.to_xml())
            .await
    }

    /// Posts a signed request and returns the verified response map.
    pub async fn call(&self, path: &str, m: PayMap, cert: bool) -> Result<PayMap, Error> {
        let bytes = self.post_raw(path, m, cert).await?;
        let body = String::from_utf8(bytes)
            .map_err(|_| Error::Decode("pay response is not UTF-8".into()))?;
        Ok(parse_response(
            &body,
            self.creds.api_key.expose(),
            self.creds.sign_type,
        )?)
    }

    /// `/pay/unifiedorder`.
    pub async fn unified_order(
        &self,
        req: &UnifiedOrderRequest,
    ) -> Result<UnifiedOrderResponse, Error> {
        Ok(UnifiedOrderResponse::from_map(
            self.call("/pay/unifiedorder", req.to_map(), false).await?,
        )?)
    }

    /// `/pay/orderquery`.
    pub async fn order_query(&self, order: &OrderRef) -> Result<OrderQueryResponse, Error> {
        Ok(OrderQueryResponse::from_map(
            self.call("/pay/orderquery", order.to_map(), false).await?,
        )?)
    }

    /// `/pay/closeorder`.
    pub async fn close_order(&self, out_trade_no: &str) -> Result<PayMap, Error> {
        let mut m = PayMap::new();
        m.insert("out_trade_no", out_trade_no);
        self.call("/pay/closeorder", m, false).await
    }

    /// `/secapi/pay/refund` (client certificate required).
    pub async fn refund(&self, req: &RefundRequest) -> Result<RefundResponse, Error> {
        Ok(RefundResponse::from_map(
            self.call("/secapi/pay/refund", req.to_map(), true).await?,
        )?)
    }

    /// `/pay/refundquery`.
    pub async fn refund_query(&self, r: &RefundQueryRef) -> Result<RefundQueryResponse, Error> {
        Ok(RefundQueryResponse::from_map(
            self.call("/pay/refundquery", r.to_map(), false).await?,
        )?)
    }

    /// `/pay/downloadbill` (text or gzip; a FAIL XML becomes an error).
    pub async fn download_bill(&self, req: &DownloadBillRequest) -> Result<Bill, Error> {
        let bytes = self
            .post_raw("/pay/downloadbill", req.to_map(), false)
            .await?;
        Ok(Bill::parse(&bytes)?)
    }

    /// `/tools/shorturl` → `weixin://wxpay/s/…`. The raw URL is signed; it is sent
    /// URL-encoded as the doc asks ⚠️.
    pub async fn short_url(&self, long_url: &str) -> Result<String, Error> {
        let mut signed = self.creds.sign_request(short_url_map(long_url));
        let enc: String = long_url
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        signed.insert("long_url", enc);
        let bytes = self
            .core
            .post_xml_with(
                self.core.http(),
                Host::Mch,
                &self.path("/tools/shorturl"),
                signed.to_xml(),
            )
            .await?;
        let body = String::from_utf8(bytes)
            .map_err(|_| Error::Decode("pay response is not UTF-8".into()))?;
        let m = parse_response(&body, self.creds.api_key.expose(), self.creds.sign_type)?;
        Ok(m.require("short_url")?.to_owned())
    }

    /// The sign type in use.
    pub fn sign_type(&self) -> SignType {
        self.creds.sign_type
    }
}
