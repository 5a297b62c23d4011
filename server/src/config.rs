//! Typed configuration: command-line flags > `WXPORTAL_*` environment > optional TOML file > defaults.
//!
//! [`Settings`] is what the rest of the server sees; [`ConfigArgs`] is the clap surface shared by
//! every subcommand that touches the database.

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
    str::FromStr,
};

use serde::Deserialize;

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Argon2id cost parameters. Production defaults follow OWASP (19 MiB, 2 passes, 1 lane);
/// tests lower them through [`Settings`], never through a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordHashing {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordHashing {
    fn default() -> Self {
        PasswordHashing {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// An IP network, `addr/prefix` (a bare address is a single host): a trusted proxy range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IpCidr {
    addr: IpAddr,
    prefix: u8,
}

impl IpCidr {
    /// Whether `ip` lies in this network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpCidr {
    type Err = String;

    fn from_str(s: &str) -> Result<IpCidr, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("expected an IP address or CIDR range, got {s:?}"))?;
        let addr = addr.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("invalid prefix length in {s:?} (0..={max})"))?,
            None => max,
        };
        Ok(IpCidr { addr, prefix })
    }
}

impl TryFrom<String> for IpCidr {
    type Error = String;

    fn try_from(s: String) -> Result<IpCidr, String> {
        s.parse()
    }
}

impl From<IpCidr> for String {
    fn from(c: IpCidr) -> String {
        c.to_string()
    }
}

impl fmt::Display for IpCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Everything the server needs to run.
#[derive(Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Base URL under which browsers and WeChat reach this server, without trailing slash.
    pub public_url: String,
    /// `WXPORTAL_MASTER_KEY` (base64 or hex of 32 bytes); `None` means `{data_dir}/master.key`.
    pub master_key: Option<String>,
    /// Run against the built-in WeChat sandbox: new accounts default to `environment=sandbox`.
    pub sandbox: bool,
    /// Mark the session cookie `Secure` (set this behind HTTPS).
    pub cookie_secure: bool,
    pub log_format: LogFormat,
    /// Sessions expire after this many minutes without a request.
    pub session_idle_minutes: u64,
    /// Maximum JSON body size of API requests, in bytes.
    pub body_limit_bytes: usize,
    pub password_hashing: PasswordHashing,
    /// WeChat callbacks older or newer than this many seconds are refused (0: no check, e.g.
    /// to replay recorded deliveries).
    pub callback_timestamp_window_secs: u64,
    /// How long a callback may take to produce its passive reply before `success` is answered
    /// and the reply goes the asynchronous way.
    pub callback_reply_budget_ms: u64,
    /// Callback deliveries (the inspector) older than this many days are pruned.
    pub callback_retention_days: u64,
    /// How long a Pay v2 mode-2 code (and a mode-1 order) stays payable, in minutes.
    pub pay_order_ttl_minutes: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed for the client IP (login
    /// throttling); from any other peer the header is ignored.
    pub trusted_proxies: Vec<IpCidr>,
    /// Pay notifications of orders settled (paid, closed, refunded…) longer ago than this many
    /// days, and rejected ones without an order, are pruned.
    pub pay_notification_retention_days: u64,
    /// The token the sandbox control API (`/sandbox/_sim/…`) requires in the
    /// `X-Wxportal-Sandbox-Token` header; `None`: a random one per start, printed at start.
    pub sandbox_control_token: Option<String>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("bind", &self.bind)
            .field("database_url", &redact_url(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("public_url", &self.public_url)
            .field(
                "master_key",
                &self.master_key.as_ref().map(|_| "<redacted>"),
            )
            .field("sandbox", &self.sandbox)
            .field(
                "sandbox_control_token",
                &self.sandbox_control_token.as_ref().map(|_| "<redacted>"),
            )
            .field("cookie_secure", &self.cookie_secure)
            .field("log_format", &self.log_format)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field(
                "callback_timestamp_window_secs",
                &self.callback_timestamp_window_secs,
            )
            .field("callback_reply_budget_ms", &self.callback_reply_budget_ms)
            .field("callback_retention_days", &self.callback_retention_days)
            .field("pay_order_ttl_minutes", &self.pay_order_ttl_minutes)
            .field("trusted_proxies", &self.trusted_proxies)
            .field(
                "pay_notification_retention_days",
                &self.pay_notification_retention_days,
            )
            .field("password_hashing", &self.password_hashing)
            .finish()
    }
}

/// A database URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        None => url.to_string(),
    }
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_SESSION_IDLE_MINUTES: u64 = 8 * 60;
pub const DEFAULT_BODY_LIMIT_BYTES: usize = 1024 * 1024;
pub const DEFAULT_CALLBACK_TIMESTAMP_WINDOW_SECS: u64 = 300;
pub const DEFAULT_CALLBACK_REPLY_BUDGET_MS: u64 = 4000;
pub const DEFAULT_CALLBACK_RETENTION_DAYS: u64 = 7;
pub const DEFAULT_PAY_NOTIFICATION_RETENTION_DAYS: u64 = 90;
/// Default minutes a Pay v2 order stays payable (WeChat: a mode-2 `code_url` is valid 2 hours).
pub const DEFAULT_PAY_ORDER_TTL_MINUTES: u64 = 120;

/// Flags (and their `WXPORTAL_*` environment variables) shared by `serve`, `migrate` and `user`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// TOML configuration file (keys as the long flags, with underscores).
    #[arg(long = "config", env = "WXPORTAL_CONFIG", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// Database URL: sqlite://…, postgres://… or mysql://… [default: sqlite://{data_dir}/wxportal.db?mode=rwc]
    #[arg(long, env = "WXPORTAL_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Directory for the SQLite database and the master key file [default: ./data]
    #[arg(long, env = "WXPORTAL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

/// Flags only `serve` takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "WXPORTAL_BIND")]
    pub bind: Option<SocketAddr>,
    /// Public base URL, used for callback URLs and the Origin check [default: http://{bind}]
    #[arg(long, env = "WXPORTAL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Talk to the built-in WeChat sandbox by default.
    #[arg(long, env = "WXPORTAL_SANDBOX", num_args = 0..=1, default_missing_value = "true")]
    pub sandbox: Option<bool>,
    /// Mark the session cookie Secure (serve over HTTPS).
    #[arg(long, env = "WXPORTAL_COOKIE_SECURE", num_args = 0..=1, default_missing_value = "true")]
    pub cookie_secure: Option<bool>,
    /// Log format.
    #[arg(long, env = "WXPORTAL_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// Minutes of inactivity after which a session expires [default: 480]
    #[arg(long, env = "WXPORTAL_SESSION_IDLE_MINUTES")]
    pub session_idle_minutes: Option<u64>,
    /// Maximum API request body in bytes [default: 1048576]
    #[arg(long, env = "WXPORTAL_BODY_LIMIT_BYTES")]
    pub body_limit_bytes: Option<usize>,
    /// Refuse WeChat callbacks whose timestamp is further off than this; 0 turns the check off [default: 300]
    #[arg(long, env = "WXPORTAL_CALLBACK_TIMESTAMP_WINDOW_SECS")]
    pub callback_timestamp_window_secs: Option<u64>,
    /// Time a callback may take for its passive reply before answering `success` [default: 4000]
    #[arg(long, env = "WXPORTAL_CALLBACK_REPLY_BUDGET_MS")]
    pub callback_reply_budget_ms: Option<u64>,
    /// Days callback deliveries are kept for the inspector [default: 7]
    #[arg(long, env = "WXPORTAL_CALLBACK_RETENTION_DAYS")]
    pub callback_retention_days: Option<u64>,
    /// Minutes a WeChat Pay order (mode-2 code) stays payable [default: 120]
    #[arg(long, env = "WXPORTAL_PAY_ORDER_TTL_MINUTES")]
    pub pay_order_ttl_minutes: Option<u64>,
    /// Reverse proxy address or CIDR range whose X-Forwarded-For gives the client IP; repeatable or comma-separated [default: none]
    #[arg(
        long = "trusted-proxy",
        env = "WXPORTAL_TRUSTED_PROXY",
        value_name = "CIDR",
        value_delimiter = ','
    )]
    pub trusted_proxy: Vec<IpCidr>,
    /// Days pay notifications of settled orders are kept [default: 90]
    #[arg(long, env = "WXPORTAL_PAY_NOTIFICATION_RETENTION_DAYS")]
    pub pay_notification_retention_days: Option<u64>,
    /// Token for the sandbox control API (/sandbox/_sim/…), sent as X-Wxportal-Sandbox-Token [default: random per start, printed]
    #[arg(long, env = "WXPORTAL_SANDBOX_CONTROL_TOKEN", hide_env_values = true)]
    pub sandbox_control_token: Option<String>,
}

/// The optional TOML file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<SocketAddr>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub public_url: Option<String>,
    pub master_key: Option<String>,
    pub sandbox: Option<bool>,
    pub cookie_secure: Option<bool>,
    pub log_format: Option<LogFormat>,
    pub session_idle_minutes: Option<u64>,
    pub body_limit_bytes: Option<usize>,
    pub password_hashing: Option<PasswordHashing>,
    pub callback_timestamp_window_secs: Option<u64>,
    pub callback_reply_budget_ms: Option<u64>,
    pub callback_retention_days: Option<u64>,
    pub pay_order_ttl_minutes: Option<u64>,
    pub trusted_proxy: Option<Vec<IpCidr>>,
    pub pay_notification_retention_days: Option<u64>,
    pub sandbox_control_token: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("invalid setting {name}: {message}")]
    Invalid { name: &'static str, message: String },
}

impl FileConfig {
    pub fn load(path: &Path) -> Result<FileConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }
}

impl Settings {
    /// Merge flags/env (already merged by clap), the config file and defaults.
    /// `master_key_env` is the value of `WXPORTAL_MASTER_KEY`, read by the caller.
    pub fn resolve(
        common: &ConfigArgs,
        serve: &ServeArgs,
        master_key_env: Option<String>,
    ) -> Result<Settings, ConfigError> {
        let file = match &common.config_file {
            Some(path) => FileConfig::load(path)?,
            None => FileConfig::default(),
        };
        let bind = serve
            .bind
            .or(file.bind)
            .unwrap_or_else(|| DEFAULT_BIND.parse().expect("valid default bind"));
        let data_dir = common
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = common
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| default_database_url(&data_dir));
        let public_url = serve
            .public_url
            .clone()
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{bind}"));
        let public_url = normalize_public_url(&public_url)?;
        let session_idle_minutes = serve
            .session_idle_minutes
            .or(file.session_idle_minutes)
            .unwrap_or(DEFAULT_SESSION_IDLE_MINUTES);
        if session_idle_minutes == 0 {
            return Err(ConfigError::Invalid {
                name: "session_idle_minutes",
                message: "must be at least 1".into(),
            });
        }
        let body_limit_bytes = serve
            .body_limit_bytes
            .or(file.body_limit_bytes)
            .unwrap_or(DEFAULT_BODY_LIMIT_BYTES);
        let pay_order_ttl_minutes = serve
            .pay_order_ttl_minutes
            .or(file.pay_order_ttl_minutes)
            .unwrap_or(DEFAULT_PAY_ORDER_TTL_MINUTES);
        // ⚠️ unverified: the reference gives no bounds for `time_expire`; at least a minute,
        // and at most 30 days so that codes do not live forever.
        if !(1..=30 * 24 * 60).contains(&pay_order_ttl_minutes) {
            return Err(ConfigError::Invalid {
                name: "pay_order_ttl_minutes",
                message: "must be between 1 and 43200 (30 days)".into(),
            });
        }
        let sandbox_control_token = serve
            .sandbox_control_token
            .clone()
            .or(file.sandbox_control_token)
            .filter(|t| !t.trim().is_empty());
        if sandbox_control_token
            .as_ref()
            .is_some_and(|t| t.chars().count() < 16)
        {
            return Err(ConfigError::Invalid {
                name: "sandbox_control_token",
                message: "must be at least 16 characters".into(),
            });
        }
        Ok(Settings {
            bind,
            database_url,
            data_dir,
            public_url,
            master_key: master_key_env
                .filter(|k| !k.trim().is_empty())
                .or(file.master_key),
            sandbox: serve.sandbox.or(file.sandbox).unwrap_or(false),
            cookie_secure: serve.cookie_secure.or(file.cookie_secure).unwrap_or(false),
            log_format: serve.log_format.or(file.log_format).unwrap_or_default(),
            session_idle_minutes,
            body_limit_bytes,
            password_hashing: file.password_hashing.unwrap_or_default(),
            callback_timestamp_window_secs: serve
                .callback_timestamp_window_secs
                .or(file.callback_timestamp_window_secs)
                .unwrap_or(DEFAULT_CALLBACK_TIMESTAMP_WINDOW_SECS),
            callback_reply_budget_ms: serve
                .callback_reply_budget_ms
                .or(file.callback_reply_budget_ms)
                .unwrap_or(DEFAULT_CALLBACK_REPLY_BUDGET_MS),
            callback_retention_days: serve
                .callback_retention_days
                .or(file.callback_retention_days)
                .unwrap_or(DEFAULT_CALLBACK_RETENTION_DAYS),
            pay_order_ttl_minutes,
            trusted_proxies: if serve.trusted_proxy.is_empty() {
                file.trusted_proxy.unwrap_or_default()
            } else {
                serve.trusted_proxy.clone()
            },
            pay_notification_retention_days: serve
                .pay_notification_retention_days
                .or(file.pay_notification_retention_days)
                .unwrap_or(DEFAULT_PAY_NOTIFICATION_RETENTION_DAYS),
            sandbox_control_token,
        })
    }
}

/// `sqlite://{data_dir}/wxportal.db?mode=rwc`
pub fn default_database_url(data_dir: &Path) -> String {
    format!("sqlite://{}/wxportal.db?mode=rwc", data_dir.display())
}

/// `http(s)://host[:port][/prefix]` without a trailing slash.
pub fn normalize_public_url(url: &str) -> Result<String, ConfigError> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['?', '#', ' ']) => {
            Ok(trimmed.to_string())
        }
        _ => Err(ConfigError::Invalid {
            name: "public_url",
            message: format!("expected http(s)://host[:port], got {url:?}"),
        }),
    }
}

/// `scheme://host[:port]` of a URL (what browsers send as `Origin`).
pub fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_and_defaults_fill_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wxportal.toml");
        std::fs::write(
            &path,
            "bind = \"0.0.0.0:9000\"\npublic_url = \"https://wx.example.com/\"\nsandbox = true\n",
        )
        .unwrap();
        let common = ConfigArgs {
            config_file: Some(path),
            ..Default::default()
        };
        let serve = ServeArgs {
            bind: Some("127.0.0.1:7000".parse().unwrap()),
            ..Default::default()
        };
        let s = Settings::resolve(&common, &serve, None).unwrap();
        assert_eq!(s.bind.to_string(), "127.0.0.1:7000");
        assert_eq!(s.public_url, "https://wx.example.com");
        assert!(s.sandbox);
        assert!(!s.cookie_secure);
        assert_eq!(s.database_url, "sqlite://./data/wxportal.db?mode=rwc");
        assert_eq!(s.session_idle_minutes, DEFAULT_SESSION_IDLE_MINUTES);
    }

    #[test]
    fn defaults() {
        let s = Settings::resolve(&ConfigArgs::default(), &ServeArgs::default(), None).unwrap();
        assert_eq!(s.bind.to_string(), DEFAULT_BIND);
        assert_eq!(s.public_url, "http://127.0.0.1:8080");
        assert_eq!(s.password_hashing, PasswordHashing::default());
    }

    #[test]
    fn unknown_file_keys_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "bindd = \"x\"\n").unwrap();
        let common = ConfigArgs {
            config_file: Some(path),
            ..Default::default()
        };
        assert!(Settings::resolve(&common, &ServeArgs::default(), None).is_err());
    }

    #[test]
    fn trusted_proxy_ranges_parse_and_match() {
        let net: IpCidr = "10.0.0.0/8".parse().unwrap();
        assert!(net.contains("10.1.2.3".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.2.3".parse().unwrap()));
        assert!(!net.contains("11.0.0.1".parse().unwrap()));
        let host: IpCidr = "127.0.0.1".parse().unwrap();
        assert_eq!(host.to_string(), "127.0.0.1/32");
        assert!(host.contains("127.0.0.1".parse().unwrap()));
        assert!(!host.contains("127.0.0.2".parse().unwrap()));
        let v6: IpCidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains("fd12::1".parse().unwrap()));
        assert!(!v6.contains("10.0.0.1".parse().unwrap()));
        let all: IpCidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        for bad in ["10.0.0.0/33", "example.com", "10.0.0.0/x", ""] {
            assert!(bad.parse::<IpCidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn trusted_proxies_come_from_flags_or_the_file() {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let cli = Cli::try_parse_from([
            "x",
            "--trusted-proxy",
            "10.0.0.0/8,192.168.1.1",
            "--trusted-proxy",
            "::1",
        ])
        .unwrap();
        let s = Settings::resolve(&ConfigArgs::default(), &cli.serve, None).unwrap();
        let shown: Vec<String> = s.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.168.1.1/32", "::1/128"]);
        assert!(Cli::try_parse_from(["x", "--trusted-proxy", "nope"]).is_err());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "trusted_proxy = [\"172.16.0.0/12\"]\n").unwrap();
        let common = ConfigArgs {
            config_file: Some(path),
            ..Default::default()
        };
        let s = Settings::resolve(&common, &ServeArgs::default(), None).unwrap();
        assert_eq!(s.trusted_proxies, vec!["172.16.0.0/12".parse().unwrap()]);
        let s = Settings::resolve(&ConfigArgs::default(), &ServeArgs::default(), None).unwrap();
        assert!(s.trusted_proxies.is_empty());
    }

    #[test]
    fn urls_are_redacted_and_origins_extracted() {
        assert_eq!(
            redact_url("postgres://u:secretpw@db:5432/x"),
            "postgres://u:***@db:5432/x"
        );
        assert_eq!(redact_url("sqlite://./data/x.db"), "sqlite://./data/x.db");
        assert_eq!(origin_of("https://a.example/sub/path"), "https://a.example");
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert!(normalize_public_url("ftp://x").is_err());
    }
}
