//! The login-burst scenario of `cargo xtask bench`: a botnet's burst of wrong sign-ins, each
//! from its own address (behind the configured trusted proxy) and for its own username, so no
//! per-address or per-user limit applies and only the Argon2 gate bounds the work. Reports how
//! the burst was answered and the portal's resident memory before and at its peak (the whole
//! process: the client's share is small and the same in every run).

use std::time::{Duration, Instant};

use serde_json::json;

pub struct LoginBurst {
    pub requests: usize,
    pub unauthorized: usize,
    pub limited: usize,
    pub other: usize,
    pub elapsed: Duration,
    pub rss_before_kib: u64,
    pub peak_rss_kib: u64,
    pub permits: usize,
    pub argon2_kib: u64,
    pub peak_argon2: usize,
}

/// Sends `n` sign-ins at once to `base` (whose trusted proxies include 127.0.0.1).
pub async fn run(
    base: &str,
    n: usize,
    passwords: &wxportal::auth::passwords::Passwords,
    argon2_kib: u64,
) -> LoginBurst {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("http client");
    let rss_before_kib = super::proc_status_kib("VmRSS:");
    super::reset_peak_rss();
    let started = Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let client = client.clone();
            let url = format!("{base}/api/auth/login");
            let origin = base.to_string();
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("origin", origin)
                    .header(
                        "x-forwarded-for",
                        format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256),
                    )
                    .json(&json!({"username": format!("bot{i}"), "password": "wrong-password-1"}))
                    .send()
                    .await
                    .map(|r| r.status())
            })
        })
        .collect();
    let (mut unauthorized, mut limited, mut other) = (0, 0, 0);
    for t in tasks {
        match t.await.expect("task") {
            Ok(s) if s == reqwest::StatusCode::UNAUTHORIZED => unauthorized += 1,
            Ok(s) if s == reqwest::StatusCode::TOO_MANY_REQUESTS => limited += 1,
            _ => other += 1,
        }
    }
    LoginBurst {
        requests: n,
        unauthorized,
        limited,
        other,
        elapsed: started.elapsed(),
        rss_before_kib,
        peak_rss_kib: super::proc_status_kib("VmHWM:"),
        permits: passwords.permits(),
        argon2_kib,
        peak_argon2: passwords.peak_concurrent_argon2(),
    }
}

pub fn report(b: &LoginBurst) {
    let mib = |kib: u64| kib as f64 / 1024.0;
    eprintln!();
    eprintln!(
        "login burst: {} wrong sign-ins at once from {} addresses in {:.2} s: {} answered 401, {} 429, {} other",
        b.requests,
        b.requests,
        b.elapsed.as_secs_f64(),
        b.unauthorized,
        b.limited,
        b.other
    );
    eprintln!(
        "  RSS {:.0} MiB before, {:.0} MiB at peak (+{:.0} MiB); at most {} Argon2 at once ({} permits × {:.0} MiB = {:.0} MiB bound)",
        mib(b.rss_before_kib),
        mib(b.peak_rss_kib),
        mib(b.peak_rss_kib.saturating_sub(b.rss_before_kib)),
        b.peak_argon2,
        b.permits,
        mib(b.argon2_kib),
        mib(b.argon2_kib * b.permits as u64)
    );
}
