//! A WeCom app's overview (`GET /api/accounts/{id}/wecom/overview`) and its preflight
//! (`POST /api/accounts/{id}/wecom/preflight`): what the mirror holds, the last contacts sync,
//! callback health, recent sends, and a live check of both credentials against WeCom with a
//! specific fix for each of WeCom's well-known refusals.

use serde::{Deserialize, Serialize};

use crate::wecom_contacts::ContactSyncJob;
use crate::wecom_messages::AppMessageSummary;

/// Counts of the contacts mirror.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomMirrorCounts"))]
pub struct MirrorCounts {
    pub departments: u64,
    pub members: u64,
    pub tags: u64,
}

/// The callback deliveries of the last 24 hours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomCallbackHealth"))]
pub struct CallbackHealth {
    /// The newest delivery the portal accepted (any time), RFC 3339.
    pub last_inbound_at: Option<String>,
    /// Deliveries in the last 24 hours.
    pub deliveries_24h: u64,
    /// Of those, rejected or answered with an error status.
    pub failures_24h: u64,
    /// The newest failed delivery (any time).
    pub last_failure_at: Option<String>,
    /// Its diagnosis (English, for the inspector).
    pub last_failure_diagnosis: Option<String>,
    /// The newest failed delivery's id, to open it in the inspector.
    pub last_failure_id: Option<i64>,
}

/// `GET /api/accounts/{id}/wecom/overview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomOverview"))]
pub struct WecomOverview {
    pub corp_id: String,
    pub agent_id: Option<i64>,
    pub has_contacts_secret: bool,
    /// Operated through a suite's corp token (no contacts secret there).
    #[serde(default)]
    pub managed_corp: bool,
    pub counts: MirrorCounts,
    /// The latest contacts sync, if any ran.
    pub last_sync: Option<ContactSyncJob>,
    pub callbacks: CallbackHealth,
    /// The newest sends (at most 5).
    pub recent_sends: Vec<AppMessageSummary>,
    /// The last nightly reconcile of the contacts mirror (without its items).
    #[serde(default)]
    pub last_reconcile: Option<crate::wecom_contacts::DriftRun>,
    /// What the app's settings at WeCom need from the portal (可信域名, callback URL).
    pub web: WebDomains,
}

/// What WeCom's settings of the app need from the portal's public URL: its host as the trusted
/// domain (可信域名, for the app's web pages, JS-SDK and OAuth) and the OAuth redirect domain
/// (授权回调域), and the callback URL (接收消息服务器 URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomWebDomains"))]
pub struct WebDomains {
    /// The portal's public origin (`https://portal.example.com`).
    pub origin: String,
    /// Its host, as WeCom's settings take it (no scheme, no path).
    pub domain: String,
    /// The app's callback URL.
    pub callback_url: String,
    /// Why WeCom would refuse or warn about the domain.
    pub warnings: Vec<DomainWarning>,
}

/// A problem of the public URL as a WeCom trusted domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomDomainWarning"))]
#[serde(rename_all = "snake_case")]
pub enum DomainWarning {
    /// An IP address: WeCom takes domain names only.
    IpAddress,
    /// `localhost` or a name without a dot: unreachable from WeCom's clients.
    NotPublic,
    /// A port other than 80/443 (⚠️ unverified: WeCom's console refuses ports, as WeChat's
    /// OAuth domain setting does).
    Port,
    /// Plain HTTP: WeCom's clients open pages over HTTPS.
    NotHttps,
}

/// The settings WeCom needs for account `account_id` of a portal published at `public_url`.
pub fn web_domains(public_url: &str, account_id: i64) -> WebDomains {
    let origin = public_url.trim_end_matches('/');
    let https = origin.starts_with("https://");
    let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
    let host_port = rest.split('/').next().unwrap_or("");
    let (host, port) = match host_port.rsplit_once(':') {
        // `[::1]:8080` and `host:8080`; a bare IPv6 without brackets has no port here.
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) && !h.ends_with(':') => (h, Some(p)),
        _ => (host_port, None),
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let mut warnings = Vec::new();
    if bare.parse::<std::net::IpAddr>().is_ok() {
        warnings.push(DomainWarning::IpAddress);
    } else if bare.eq_ignore_ascii_case("localhost") || !bare.contains('.') {
        warnings.push(DomainWarning::NotPublic);
    }
    if port.is_some_and(|p| p != "80" && p != "443") {
        warnings.push(DomainWarning::Port);
    }
    if !https {
        warnings.push(DomainWarning::NotHttps);
    }
    let scheme_end = origin.find("://").map_or(0, |i| i + 3);
    WebDomains {
        origin: origin[..scheme_end + host_port.len()].to_string(),
        domain: host_port.to_string(),
        callback_url: format!("{origin}/wx/{account_id}"),
        warnings,
    }
}

/// What a preflight check tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PreflightCheckKind {
    /// `gettoken` with the app secret (a fresh token, not the cached one).
    AppToken,
    /// The cached app token on a real call (an expired one is refreshed automatically).
    TokenCache,
    /// `menu/get` for the app's agentid: the secret belongs to this app.
    AppAgent,
    /// `user/get` of one mirrored member with the app secret: the visible range.
    AppRead,
    /// `gettoken` with the contacts-sync secret.
    ContactsToken,
    /// `department/simplelist` + `user/list_id` with the contacts-sync secret (what the sync uses).
    ContactsRead,
    /// `department/list` with the contacts-sync secret: whether the pre-2022 listing APIs work.
    LegacyListing,
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PreflightStatus {
    Ok,
    /// Works, but something is worth knowing (e.g. 48009 on the legacy listing).
    Notice,
    Failed,
    /// Not tried (e.g. no contacts secret, or an earlier check failed).
    Skipped,
}

/// The fix a check's answer calls for; the SPA says each in the staff member's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PreflightFix {
    /// 40001 / 40014 / 42001 on gettoken: the secret is wrong or was reset.
    WrongSecret,
    /// 40013: the CorpID is wrong.
    WrongCorpId,
    /// 60020: the portal's outbound IP is not among the app's trusted IPs (企业可信IP).
    UntrustedIp,
    /// 48009: the contacts-sync IP was added after 2022-08-15; list APIs are closed, the
    /// portal uses `user/list_id` + `department/simplelist`.
    ListApisClosed,
    /// 48002: the contacts-sync secret cannot call this API (messages, menus); the app secret
    /// field probably holds the contacts secret.
    ContactsSecretNotForApps,
    /// 301002 / 60011: no access to that member or department (the app's visible range), or
    /// the token belongs to another app.
    VisibleRange,
    /// 42009 / 42001 / 40014 on a call: the cached token had expired; it was refreshed.
    TokenRefreshed,
    /// No contacts-sync secret is set: contact writes and the compliant listing need it.
    NoContactsSecret,
    /// A corp operated through a suite: the corp token is its only credential (no contacts
    /// secret); what it may read and write follows the privileges the corp granted.
    ManagedCorpToken,
    /// No agentid is set on the account (or, for a managed corp, not one the corp granted).
    NoAgentId,
    /// The mirror has no member to try (run a contacts sync first).
    NoMemberToRead,
    /// WeChat could not be reached.
    Unreachable,
    /// Another errcode: WeChat's message is in `detail`.
    Other,
}

/// One check of a preflight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PreflightCheck {
    pub check: PreflightCheckKind,
    pub status: PreflightStatus,
    /// WeChat's errcode, when it refused.
    pub errcode: Option<i64>,
    pub fix: Option<PreflightFix>,
    /// WeChat's answer (English, as WeChat wrote it), or what was read.
    pub detail: String,
}

/// `POST /api/accounts/{id}/wecom/preflight`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "WecomPreflight"))]
pub struct PreflightReport {
    pub checked_at: String,
    /// The IP WeCom saw the portal call from, when WeCom named it (its 60020 answer does).
    pub outbound_ip: Option<String>,
    pub checks: Vec<PreflightCheck>,
}

impl PreflightReport {
    /// Whether every check passed (notices and skips included).
    pub fn all_ok(&self) -> bool {
        self.checks
            .iter()
            .all(|c| c.status != PreflightStatus::Failed)
    }
}

/// The IP address WeCom names in a 60020 answer (`…from ip: 1.2.3.4…`), if any.
pub fn ip_in_errmsg(msg: &str) -> Option<String> {
    let lower = msg.to_ascii_lowercase();
    let at = lower.find("from ip")?;
    let rest = &msg[at + "from ip".len()..];
    let ip: String = rest
        .trim_start_matches([':', ' ', '：'])
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == '.' || *c == ':')
        .collect();
    let ip = ip.trim_end_matches([':', '.']).to_owned();
    (ip.parse::<std::net::IpAddr>().is_ok()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_domains_of_the_public_url() {
        let w = web_domains("https://portal.example.com/", 7);
        assert_eq!(
            (
                w.origin.as_str(),
                w.domain.as_str(),
                w.callback_url.as_str()
            ),
            (
                "https://portal.example.com",
                "portal.example.com",
                "https://portal.example.com/wx/7"
            )
        );
        assert!(w.warnings.is_empty());
        let w = web_domains("http://127.0.0.1:8080", 3);
        assert_eq!(w.domain, "127.0.0.1:8080");
        assert_eq!(
            w.warnings,
            vec![
                DomainWarning::IpAddress,
                DomainWarning::Port,
                DomainWarning::NotHttps
            ]
        );
        let w = web_domains("https://localhost", 1);
        assert_eq!(w.warnings, vec![DomainWarning::NotPublic]);
        let w = web_domains("https://wx.example.cn:443/portal", 2);
        assert_eq!(w.callback_url, "https://wx.example.cn:443/portal/wx/2");
        assert!(w.warnings.is_empty());
    }

    #[test]
    fn the_ip_of_a_60020_answer_is_read() {
        assert_eq!(
            ip_in_errmsg(
                "not allow to access from your ip, hint: [1700000000_1_abc], from ip: 203.0.113.7, more info at https://open.work.weixin.qq.com/devtool/query?e=60020"
            )
            .as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(
            ip_in_errmsg("from ip:127.0.0.1").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(ip_in_errmsg("not allow to access from your ip"), None);
    }
}
