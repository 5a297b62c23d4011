//! The in-process WeChat emulator of `--sandbox` and how the portal reaches it. The handle lives
//! here, beside the clients that are pointed at it, so that the shared state does not depend on
//! the sandbox feature module (which only adds demo accounts and the simulate API on top).

use std::{net::SocketAddr, sync::Arc};

use wechat_sim::{Sim, SimConfig};

/// Where the sandbox is mounted.
pub const PREFIX: &str = "/sandbox";

/// The running emulator and how to reach it.
pub struct Emulator {
    pub sim: Arc<Sim>,
    /// The emulator's root as the portal's own clients reach it, e.g.
    /// `http://127.0.0.1:8080/sandbox` (the `wechat` client appends `/api.weixin.qq.com/…`).
    pub root: String,
    /// Base URL under which the emulator calls the portal back (`{callback_base}/wx/{id}`):
    /// the public URL when it is a loopback address, else the listener's loopback address.
    pub callback_base: String,
    /// What the control API (`/sandbox/_sim/…`) requires in `X-Wxportal-Sandbox-Token`.
    pub control_token: String,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("root", &self.root)
            .field("callback_base", &self.callback_base)
            .finish_non_exhaustive()
    }
}

/// `addr` with an unspecified IP (0.0.0.0 / ::) replaced by loopback.
pub fn loopback_of(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(v4) if v4.is_unspecified() => {
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        }
        std::net::IpAddr::V6(v6) if v6.is_unspecified() => {
            std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
        }
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

fn is_loopback_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or("");
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

impl Emulator {
    /// A fresh emulator for a portal listening on `local_addr` with `public_url`; its control
    /// API answers requests bearing `control_token`.
    pub fn start(local_addr: SocketAddr, public_url: &str, control_token: String) -> Arc<Emulator> {
        let local = loopback_of(local_addr);
        let own = format!("http://{local}");
        let callback_base = if is_loopback_url(public_url) {
            public_url.trim_end_matches('/').to_string()
        } else {
            own.clone()
        };
        Arc::new(Emulator {
            sim: Sim::new(SimConfig::default()),
            root: format!("{own}{PREFIX}"),
            callback_base,
            control_token,
        })
    }

    /// The URL the emulator calls for account `id`.
    pub fn callback_url(&self, id: i64) -> String {
        format!("{}/wx/{id}", self.callback_base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn callbacks_use_the_public_url_only_when_it_is_local() {
        let addr: SocketAddr = "0.0.0.0:8093".parse().unwrap();
        let s = Emulator::start(addr, "https://wx.example.com", "t".repeat(32));
        assert_eq!(s.root, "http://127.0.0.1:8093/sandbox");
        assert_eq!(s.callback_url(7), "http://127.0.0.1:8093/wx/7");
        let s = Emulator::start(addr, "http://localhost:8093/", "t".repeat(32));
        assert_eq!(s.callback_url(7), "http://localhost:8093/wx/7");
    }
}
