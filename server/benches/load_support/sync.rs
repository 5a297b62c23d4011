//! The `follower sync` scenario: a full sync of `--followers N` emulated followers of the
//! sandbox's demo Official Account, with `--sync-latency-ms` injected into every emulated call.
//!
//! The emulator runs in its own process (the `wechat-sim` binary, beside the bench's executable
//! or named by `WXPORTAL_BENCH_SIM_BIN`), so that the million emulated followers are not counted
//! in the portal's memory: the bench process is the portal plus this small client, and its peak
//! RSS is reported as the portal's; the emulator's is reported beside it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use wechat_sim::{Sim, SimConfig};
use wxportal::config::{ConfigArgs, ServeArgs};
use wxportal::wechat_clients::Emulator;
use wxportal::{Application, Settings};

use super::{MASTER_KEY_HEX, free_port, proc_status_kib, reset_peak_rss, sign_in};

/// One full follower sync, measured.
pub struct SyncResult {
    pub database: &'static str,
    pub followers: usize,
    pub latency_ms: u64,
    pub wall: Duration,
    pub stored: i64,
    pub calls: i64,
    pub retries: i64,
    /// The bench process (the portal) before the sync.
    pub rss_before_kib: u64,
    /// The bench process (the portal) at its highest during the sync.
    pub peak_rss_kib: u64,
    /// The emulator's process at its highest (its followers included).
    pub emulator_peak_rss_kib: u64,
}

impl SyncResult {
    pub fn json(&self) -> Value {
        json!({
            "database": self.database,
            "followers": self.followers,
            "latency_ms_per_call": self.latency_ms,
            "wall_secs": self.wall.as_secs_f64(),
            "calls": self.calls,
            "retries": self.retries,
            "followers_per_sec": self.stored as f64 / self.wall.as_secs_f64(),
            "rss_before_kib": self.rss_before_kib,
            "peak_rss_kib": self.peak_rss_kib,
            "emulator_peak_rss_kib": self.emulator_peak_rss_kib,
        })
    }
}

/// The standalone emulator's executable: `WXPORTAL_BENCH_SIM_BIN`, else `wechat-sim` in the
/// profile directory the bench runs from (`target/release/deps/load-…` → `target/release/`);
/// `cargo xtask bench` builds it first.
fn sim_binary() -> PathBuf {
    if let Ok(p) = std::env::var("WXPORTAL_BENCH_SIM_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the bench's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    dir.join("wechat-sim")
}

/// A `wechat-sim` child process on a free loopback port (killed when dropped).
struct SimProcess {
    child: tokio::process::Child,
    url: String,
}

impl SimProcess {
    async fn start() -> SimProcess {
        let bin = sim_binary();
        let mut child = tokio::process::Command::new(&bin)
            .args(["--bind", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {} ({e}); build it with `cargo build --release -p wechat-sim` \
                     or set WXPORTAL_BENCH_SIM_BIN",
                    bin.display()
                )
            });
        let out = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(out).lines();
        let url = loop {
            let line = lines
                .next_line()
                .await
                .expect("the emulator's banner")
                .expect("the emulator exited before listening");
            if let Some(rest) = line.strip_prefix("wechat-sim listening on ") {
                break rest.trim().to_string();
            }
        };
        // Keep draining its stdout so that it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        SimProcess { child, url }
    }

    fn peak_rss_kib(&self) -> u64 {
        let Some(pid) = self.child.id() else { return 0 };
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|n| n.parse().ok())
            })
            .unwrap_or(0)
    }
}

/// A fresh PostgreSQL database on `server_url`: `(url of the new database, its name)`.
async fn fresh_postgres(server_url: &str) -> (String, String) {
    use sea_orm::{ConnectionTrait, Database};
    let name = format!("wxp_bench_{}", std::process::id());
    let admin = Database::connect(server_url)
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .expect("drop old bench database");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create bench database");
    admin.close().await.ok();
    (wxportal::db::url_with_database(server_url, &name), name)
}

async fn drop_postgres(server_url: &str, name: &str) {
    use sea_orm::{ConnectionTrait, Database};
    if let Ok(admin) = Database::connect(server_url).await {
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        admin.close().await.ok();
    }
}

/// Starts a sandbox portal on `database_url` (SQLite in a temp dir when `None`) whose sandbox
/// accounts talk to a `wechat-sim` process, grows its demo Official Account there to
/// `followers`, injects `latency_ms` into every WeChat call, and times a full sync from the
/// staff API.
pub async fn sync_bench(
    database: &'static str,
    postgres_server: Option<String>,
    followers: usize,
    latency_ms: u64,
) -> SyncResult {
    let sim = SimProcess::start().await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    let pg = match &postgres_server {
        Some(server) => Some(fresh_postgres(server).await),
        None => None,
    };
    let port = free_port();
    let common = ConfigArgs {
        data_dir: Some(data_dir.path().to_path_buf()),
        database_url: pg.as_ref().map(|(url, _)| url.clone()),
        ..Default::default()
    };
    let serve = ServeArgs {
        bind: Some(SocketAddr::from(([127, 0, 0, 1], port))),
        sandbox: Some(true),
        ..Default::default()
    };
    let settings =
        Settings::resolve(&common, &serve, Some(MASTER_KEY_HEX.into())).expect("settings");
    // Sandbox accounts are sent to the emulator process. The in-process `Sim` of the handle only
    // receives the demo accounts at start-up (copied to the process below) and serves nothing.
    let emulator = Arc::new(Emulator {
        sim: Sim::new(SimConfig::default()),
        root: sim.url.clone(),
        callback_base: format!("http://127.0.0.1:{port}"),
        control_token: wxportal::auth::passwords::random_alnum(24),
    });
    let app = Application::build_joining_sandbox(settings, emulator.clone())
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let initial = app
        .initial_admin_password
        .clone()
        .expect("a fresh database prints the initial password");
    let shutdown = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = shutdown.1.await;
    }));
    let admin = sign_in(&base, &initial).await;

    let accounts = admin
        .send(reqwest::Method::GET, "/api/accounts", None)
        .await;
    let demo = accounts
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|a| a["environment"] == "sandbox" && a["kind"] == "official_account")
        })
        .cloned()
        .expect("the sandbox demo Official Account");
    let id = demo["id"].as_i64().expect("id");
    let full = admin
        .send(reqwest::Method::GET, &format!("/api/accounts/{id}"), None)
        .await;
    let appid = full["settings"]["app_id"]
        .as_str()
        .expect("app_id")
        .to_string();

    let control = reqwest::Client::new();
    let post = |path: String, body: Value| {
        let control = control.clone();
        let url = format!("{}/_sim{path}", sim.url);
        async move {
            let r = control
                .post(&url)
                .json(&body)
                .send()
                .await
                .expect("emulator control");
            assert!(r.status().is_success(), "POST {url}: {}", r.status());
        }
    };
    // The demo account as the portal registered it in the handle's `Sim`, with its people.
    let registered = emulator
        .sim
        .oa_app(&appid)
        .expect("the demo account was registered at start-up");
    let mut cfg = serde_json::to_value(&registered.cfg).expect("json");
    let (tags, people, menu) = wxportal::sandbox::people::oa_people(&appid);
    cfg["tags"] = tags;
    cfg["followers"] = people;
    cfg["menu"] = menu;
    post("/seed".to_string(), json!({ "oa": [cfg] })).await;
    drop(registered);

    let state: Value = control
        .get(format!("{}/_sim/oa/{appid}", sim.url))
        .send()
        .await
        .expect("emulator state")
        .json()
        .await
        .expect("json");
    let have = state["followers"]
        .as_object()
        .map(|f| f.values().filter(|v| v["subscribed"] == true).count())
        .unwrap_or(0);
    let mut missing = followers.saturating_sub(have);
    eprintln!("bench: {database}: adding {missing} followers to the emulator process");
    while missing > 0 {
        let n = missing.min(50_000);
        post(
            format!("/oa/{appid}/followers"),
            json!({"count": n, "tagid_list": [100]}),
        )
        .await;
        missing -= n;
    }
    post(
        "/faults".to_string(),
        json!({"target": appid, "kind": "latency", "latency_ms": latency_ms}),
    )
    .await;

    let rss_before_kib = proc_status_kib("VmRSS:");
    reset_peak_rss();
    eprintln!("bench: {database}: syncing {followers} followers");
    let started = Instant::now();
    admin
        .send(
            reqwest::Method::POST,
            &format!("/api/accounts/{id}/followers/sync"),
            Some(json!({})),
        )
        .await;
    let job = loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let s = admin
            .send(
                reqwest::Method::GET,
                &format!("/api/accounts/{id}/followers/sync"),
                None,
            )
            .await;
        if s["job"]["status"] != "running" {
            break s["job"].clone();
        }
    };
    let wall = started.elapsed();
    let peak_rss_kib = proc_status_kib("VmHWM:");
    let emulator_peak_rss_kib = sim.peak_rss_kib();
    assert_eq!(job["status"], "done", "the sync failed: {job}");
    let stored = job["stored"].as_i64().unwrap_or(0);
    assert!(
        stored >= followers as i64,
        "the sync stored {stored} of {followers} followers: {job}"
    );

    let _ = shutdown.0.send(());
    let _ = server.await;
    if let (Some(server), Some((_, name))) = (&postgres_server, &pg) {
        drop_postgres(server, name).await;
    }
    drop(sim);
    SyncResult {
        database,
        followers,
        latency_ms,
        wall,
        stored,
        calls: job["calls"].as_i64().unwrap_or(0),
        retries: job["retries"].as_i64().unwrap_or(0),
        rss_before_kib,
        peak_rss_kib,
        emulator_peak_rss_kib,
    }
}

/// Prints each sync beside the targets (< 30 s SQLite, < 60 s PostgreSQL, < 300 MiB).
pub fn report_syncs(syncs: &[SyncResult]) {
    println!();
    println!(
        "{:<12} {:>10} {:>10} {:>9} {:>7} {:>8} {:>12} {:>11} {:>11} {:>13} {:>14}",
        "full sync",
        "followers",
        "latency",
        "wall s",
        "calls",
        "retries",
        "followers/s",
        "RSS before",
        "peak RSS",
        "emulator RSS",
        "target"
    );
    for r in syncs {
        let target = if r.database == "PostgreSQL" { 60 } else { 30 };
        println!(
            "{:<12} {:>10} {:>8}ms {:>9.1} {:>7} {:>8} {:>12.0} {:>7} MiB {:>7} MiB {:>9} MiB {:>14}",
            r.database,
            r.followers,
            r.latency_ms,
            r.wall.as_secs_f64(),
            r.calls,
            r.retries,
            r.stored as f64 / r.wall.as_secs_f64(),
            r.rss_before_kib / 1024,
            r.peak_rss_kib / 1024,
            r.emulator_peak_rss_kib / 1024,
            format!("<{target} s, <300 MiB"),
        );
    }
    println!();
    println!(
        "The emulator runs in its own process: \"peak RSS\" is the bench process (the portal and \
         this client; Linux VmHWM, reset before the sync), \"emulator RSS\" the emulator's peak. \
         Targets are for 1,000,000 followers at 5 ms per call."
    );
}
