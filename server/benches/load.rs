//! `cargo xtask bench`: a load generator against the real [`Application`] on loopback.
//!
//! One run starts the portal (SQLite in a temp dir, the WeChat emulator in process, as
//! `--sandbox` does), a bare axum endpoint on its own port, and drives each scenario with the
//! same client, concurrency and request count. Every scenario is reported beside the bare
//! endpoint measured in the same run, so the numbers are ratios on this machine, not promises.
//! Client and server share the CPU; on a 2-core machine the absolute numbers are low.
//!
//! Scenarios:
//! - `callback`: an encrypted (safe mode) Official Account text message → keyword rule →
//!   encrypted passive reply; every reply is decrypted and checked.
//! - `callback retries`, `callback (plain)`, `callback (PostgreSQL)`: see [`callback`].
//! - `product page`: the public pay page (the mode-1 code and the mode-2 button; a view creates
//!   no order).
//! - `qr.png` / `qr.svg`: the QR image endpoint for one `weixin://` URL.
//! - `pay notify`: signed payment notifications, one per distinct unpaid order, each applied as
//!   a transition.
//!
//! - `follower sync`: a full sync of `--followers N` (default 1,000,000) emulated followers of
//!   the sandbox's demo Official Account, with `--sync-latency-ms` (default 5) injected into every
//!   emulated WeChat call: wall time, calls made, peak memory of the portal (the emulator runs
//!   in its own `wechat-sim` process here, so its followers are not counted; [`sync`]). On
//!   SQLite, and on PostgreSQL when `WXPORTAL_BENCH_POSTGRES_URL` (or
//!   `WXPORTAL_TEST_POSTGRES_URL`) names a server (a fresh database is created and dropped).
//!
//! - `SPA first visit`: the bytes `index.html` and the assets it references take on the wire with
//!   brotli, with gzip only and without either, beside the 500 KB goal ([`spa`]).
//!
//! - `login burst`: `--login-burst N` (default 1,000) wrong sign-ins at once, each from its own
//!   address behind the trusted proxy and for its own username, against the real Argon2
//!   parameters: how they were answered and the process's memory before and at its peak
//!   ([`login`]).
//!
//! Flags (after `--`): `--requests N` (default 2000), `--concurrency C` (default 32),
//! `--followers N`, `--sync-latency-ms MS`, `--no-sync`, `--login-burst N` (0: skip),
//! `--json FILE` (also write the results as JSON).

#[path = "load_support/callback.rs"]
mod callback;
#[path = "load_support/login.rs"]
mod login;
#[path = "load_support/spa.rs"]
mod spa;
#[path = "load_support/sync.rs"]
mod sync;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use serde_json::{Value, json};
use wechat::crypto::{MsgCrypt, parse_reply_envelope};
use wechat::message::{Header, InboundMessage, MessageKind};
use wechat::pay::{PayMap, SignType};
use wechat::reply::{Reply, ReplyKind};
use wechat::signature::plain_signature;
use wechat::types::EncodingAesKey;
use wechat_sim::{MerchantConfig, Sim, SimConfig};
use wxportal::config::{ConfigArgs, ServeArgs};
use wxportal::state::AppState;
use wxportal::{Application, Settings};

use sync::{SyncResult, report_syncs, sync_bench};

const MASTER_KEY_HEX: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const ADMIN_PASSWORD: &str = "bench-admin-password-42";

const OA_APPID: &str = "wxb11529c136998cb6";
const OA_TOKEN: &str = "pamtest";
const OA_GH: &str = "gh_7f083739789a";
const OA_AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const KEYWORD: &str = "价格";
const KEYWORD_REPLY: &str = "今日价格：每杯 12 元";

const PAY_APP_ID: &str = "wxd930ea5d5a258f4f";
const MCH_ID: &str = "10000100";
const API_KEY: &str = "192006250b4c09247ec02edce69f6a2d";

struct Options {
    requests: usize,
    concurrency: usize,
    followers: usize,
    sync_latency_ms: u64,
    sync: bool,
    login_burst: usize,
    json: Option<String>,
}

impl Options {
    fn parse() -> Options {
        let mut o = Options {
            requests: 2000,
            concurrency: 32,
            followers: 1_000_000,
            sync_latency_ms: 5,
            sync: true,
            login_burst: 1000,
            json: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(a) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .unwrap_or_else(|| panic!("{name} needs a value"))
            };
            match a.as_str() {
                "--requests" => o.requests = value("--requests").parse().expect("a number"),
                "--concurrency" => {
                    o.concurrency = value("--concurrency").parse().expect("a number")
                }
                "--json" => o.json = Some(value("--json")),
                "--followers" => o.followers = value("--followers").parse().expect("a number"),
                "--sync-latency-ms" => {
                    o.sync_latency_ms = value("--sync-latency-ms").parse().expect("a number")
                }
                "--no-sync" => o.sync = false,
                "--login-burst" => {
                    o.login_burst = value("--login-burst").parse().expect("a number")
                }
                // `cargo bench` passes `--bench`; anything else is a mistake worth stopping on.
                "--bench" => {}
                other => panic!("unknown flag {other}"),
            }
        }
        assert!(o.requests > 0 && o.concurrency > 0);
        o
    }
}

fn main() {
    let options = Options::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(options));
}

/// What one scenario measured.
struct Measured {
    name: &'static str,
    requests: usize,
    failures: usize,
    elapsed: Duration,
    /// Sorted.
    latencies: Vec<Duration>,
}

impl Measured {
    fn throughput(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn percentile(&self, p: f64) -> Duration {
        let idx = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[idx.min(self.latencies.len() - 1)]
    }
}

/// A prepared request: method, URL, body.
#[derive(Clone)]
struct Req {
    method: reqwest::Method,
    url: String,
    body: Option<String>,
}

type Check = Arc<dyn Fn(reqwest::StatusCode, &str) -> bool + Send + Sync>;

/// Sends `reqs` with `concurrency` workers, each taking the next request until none are left.
async fn measure(
    name: &'static str,
    client: &reqwest::Client,
    reqs: Vec<Req>,
    concurrency: usize,
    check: Check,
) -> Measured {
    let reqs = Arc::new(reqs);
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (reqs, next, failures, client, check) = (
            reqs.clone(),
            next.clone(),
            failures.clone(),
            client.clone(),
            check.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(req) = reqs.get(i) else { break };
                let mut rb = client.request(req.method.clone(), &req.url);
                if let Some(body) = &req.body {
                    rb = rb.header("content-type", "text/xml").body(body.clone());
                }
                let t = Instant::now();
                let ok = match rb.send().await {
                    Ok(r) => {
                        let status = r.status();
                        match r.text().await {
                            Ok(text) => check(status, &text),
                            Err(_) => false,
                        }
                    }
                    Err(_) => false,
                };
                latencies.push(t.elapsed());
                if !ok {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(reqs.len());
    for w in workers {
        latencies.extend(w.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Measured {
        name,
        requests: reqs.len(),
        failures: failures.load(Ordering::Relaxed),
        elapsed,
        latencies,
    }
}

async fn run(o: Options) {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let portal = start_portal(data_dir.path()).await;
    let bare = start_bare().await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.concurrency)
        .build()
        .expect("http client");
    let admin = sign_in(&portal.base, &portal.initial_password).await;

    eprintln!(
        "bench: {} requests per scenario, {} concurrent, loopback, portal on SQLite",
        o.requests, o.concurrency
    );
    let mut results = Vec::new();

    // Bare axum: the ceiling of this client on this machine.
    let warm = bare_reqs(&bare, 200);
    measure("warm-up", &client, warm, o.concurrency, ok_200()).await;
    results.push(
        measure(
            "bare axum",
            &client,
            bare_reqs(&bare, o.requests),
            o.concurrency,
            ok_200(),
        )
        .await,
    );

    // Callback: encrypted text → keyword rule → encrypted reply.
    let oa = create_oa(&admin).await;
    let (reqs, crypt) = callback_reqs(&portal.base, oa, o.requests);
    let check: Check = Arc::new(move |status, body| {
        status == reqwest::StatusCode::OK
            && reply_text(&crypt, body).as_deref() == Some(KEYWORD_REPLY)
    });
    let sent = reqs.clone();
    let again = check.clone();
    results.push(measure("callback (safe mode)", &client, reqs, o.concurrency, check).await);
    let more = callback::scenarios(&client, &portal, &admin, oa, sent, again, o.concurrency);
    results.extend(more.await);

    // Pay: product page, QR images, notifications.
    let (merchant, product) = create_merchant(&admin, &portal).await;
    let page_url = format!("{}/pay/{merchant}/products/{product}", portal.base);
    let reqs = (0..o.requests)
        .map(|_| Req {
            method: reqwest::Method::GET,
            url: page_url.clone(),
            body: None,
        })
        .collect();
    let check: Check = Arc::new(|status, body| status.is_success() && body.contains("bizpayurl"));
    results.push(measure("product page", &client, reqs, o.concurrency, check).await);

    let data = "weixin://wxpay/bizpayurl?appid=wxd930ea5d5a258f4f&mch_id=10000100&nonce_str=f6808b6d6b2a4e8b&product_id=1&time_stamp=1731000000&sign=0B9F35D6F9F1B0C8E3C5B2A1D4E6F7A8";
    for (name, ext) in [("qr.png", "png"), ("qr.svg", "svg")] {
        let url = format!(
            "{}/qr.{ext}?data={}&size=240",
            portal.base,
            url_encode(data)
        );
        let reqs = (0..o.requests)
            .map(|_| Req {
                method: reqwest::Method::GET,
                url: url.clone(),
                body: None,
            })
            .collect();
        results.push(measure(name, &client, reqs, o.concurrency, ok_200()).await);
    }

    place_orders(&portal.state, merchant, product, o.requests).await;
    let orders = unpaid_orders(&admin, merchant, o.requests).await;
    let reqs = orders
        .iter()
        .enumerate()
        .map(|(i, (no, fee))| Req {
            method: reqwest::Method::POST,
            url: format!("{}/pay/{merchant}/notify", portal.base),
            body: Some(notification(no, *fee, i)),
        })
        .collect::<Vec<_>>();
    let check: Check = Arc::new(|status, body| {
        status.is_success() && body.contains("<return_code><![CDATA[SUCCESS]]></return_code>")
    });
    results.push(measure("pay notify", &client, reqs, o.concurrency, check).await);

    report(&results, o.concurrency);
    let (jobs, batches) = portal.state.writer.counts();
    println!(
        "group commit (SQLite portal): {jobs} jobs in {batches} transactions, {:.1} per transaction",
        jobs as f64 / batches.max(1) as f64
    );

    let spa = spa::measure(&portal.base).await;
    spa::report(&spa);

    let burst = if o.login_burst > 0 {
        let b = login::run(
            &portal.base,
            o.login_burst,
            &portal.state.passwords,
            u64::from(portal.state.settings.password_hashing.memory_kib),
        )
        .await;
        login::report(&b);
        Some(b)
    } else {
        None
    };

    let mut syncs = Vec::new();
    if o.sync {
        syncs.push(sync_bench("SQLite", None, o.followers, o.sync_latency_ms).await);
        let pg = std::env::var("WXPORTAL_BENCH_POSTGRES_URL")
            .or_else(|_| std::env::var("WXPORTAL_TEST_POSTGRES_URL"))
            .ok();
        match pg {
            Some(url) => syncs
                .push(sync_bench("PostgreSQL", Some(url), o.followers, o.sync_latency_ms).await),
            None => eprintln!(
                "bench: follower sync on PostgreSQL skipped (set WXPORTAL_BENCH_POSTGRES_URL)"
            ),
        }
        report_syncs(&syncs);
    }
    if let Some(path) = &o.json {
        write_json(path, &results, o.concurrency, &syncs, burst.as_ref(), &spa);
    }
    let failed: usize = results.iter().map(|m| m.failures).sum();
    let failed = failed + burst.as_ref().map_or(0, |b| b.other);
    if failed > 0 {
        eprintln!("bench: {failed} requests failed their check");
        std::process::exit(1);
    }
}

fn ok_200() -> Check {
    Arc::new(|status, _| status == reqwest::StatusCode::OK)
}

struct Portal {
    base: String,
    initial_password: String,
    sim: Arc<Sim>,
    state: AppState,
}

async fn start_portal(data_dir: &std::path::Path) -> Portal {
    let port = free_port();
    let common = ConfigArgs {
        data_dir: Some(data_dir.to_path_buf()),
        ..Default::default()
    };
    let serve = ServeArgs {
        bind: Some(SocketAddr::from(([127, 0, 0, 1], port))),
        sandbox: Some(true),
        ..Default::default()
    };
    let mut settings: Settings =
        Settings::resolve(&common, &serve, Some(MASTER_KEY_HEX.into())).expect("settings");
    // The login burst comes "through a load balancer" on loopback, one address per request.
    settings.trusted_proxies = vec!["127.0.0.1/32".parse().expect("cidr")];
    let sim = Sim::new(SimConfig::default());
    let extra = Router::<AppState>::new().nest("/sandbox", wechat_sim::router_with(sim.clone()));
    let app = Application::build_with(settings, Some(extra))
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let initial_password = app
        .initial_admin_password
        .clone()
        .expect("a fresh database prints the initial password");
    let state = app.state().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    Portal {
        base,
        state,
        initial_password,
        sim,
    }
}

async fn start_bare() -> String {
    let app = Router::new().route(
        "/bare",
        post(|body: String| async move {
            // Touch the body so the endpoint reads what the portal reads.
            if body.is_empty() { "empty" } else { "success" }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("bare server") });
    format!("http://{addr}")
}

fn bare_reqs(base: &str, n: usize) -> Vec<Req> {
    let body = "<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName></xml>".to_string();
    (0..n)
        .map(|_| Req {
            method: reqwest::Method::POST,
            url: format!("{base}/bare"),
            body: Some(body.clone()),
        })
        .collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("free port")
        .local_addr()
        .expect("addr")
        .port()
}

/// Staff API client: signs in with the initial password and sets the bench's own.
struct Staff {
    http: reqwest::Client,
    base: String,
}

impl Staff {
    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut rb = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("origin", &self.base);
        if let Some(body) = body {
            rb = rb.json(&body);
        }
        let r = rb.send().await.expect("staff request");
        let status = r.status();
        let text = r.text().await.expect("body");
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("json")
        }
    }
}

async fn sign_in(base: &str, initial: &str) -> Staff {
    let staff = Staff {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client"),
        base: base.to_string(),
    };
    staff
        .send(
            reqwest::Method::POST,
            "/api/auth/login",
            Some(json!({"username": "admin", "password": initial})),
        )
        .await;
    staff
        .send(
            reqwest::Method::POST,
            "/api/auth/password",
            Some(json!({"current_password": initial, "new_password": ADMIN_PASSWORD})),
        )
        .await;
    staff
}

async fn create_oa(admin: &Staff) -> i64 {
    let account = admin
        .send(
            reqwest::Method::POST,
            "/api/accounts",
            Some(json!({
                "kind": "official_account",
                "name": "Bench OA",
                "environment": "sandbox",
                "app_id": OA_APPID,
                "app_secret": "0123456789abcdef0123456789abcdef",
                "token": OA_TOKEN,
                "encoding_aes_key": OA_AES_KEY,
                "message_mode": "safe",
                "original_id": OA_GH
            })),
        )
        .await;
    let id = account["id"].as_i64().expect("account id");
    admin
        .send(
            reqwest::Method::POST,
            &format!("/api/accounts/{id}/reply-rules"),
            Some(json!({
                "name": "bench keyword",
                "triggers": [{"type": "keyword", "mode": "exact", "pattern": KEYWORD}],
                "replies": [{"type": "text", "content": KEYWORD_REPLY}]
            })),
        )
        .await;
    id
}

/// Encrypted text messages as WeChat sends them in safe mode: distinct MsgId and nonce each.
fn callback_reqs(base: &str, account: i64, n: usize) -> (Vec<Req>, MsgCrypt) {
    let crypt = MsgCrypt::new(
        OA_TOKEN,
        &EncodingAesKey::new(OA_AES_KEY).expect("aes key"),
        OA_APPID,
    );
    let ts = time::OffsetDateTime::now_utc().unix_timestamp().to_string();
    let reqs = (0..n)
        .map(|i| {
            let msg = InboundMessage {
                header: Header {
                    to_user_name: OA_GH.into(),
                    from_user_name: format!("oBench{:022}", i % 500),
                    create_time: ts.parse().expect("number"),
                    agent_id: None,
                },
                kind: MessageKind::Text {
                    content: KEYWORD.into(),
                    msg_id: Some(format!("{}", 24_000_000_000_000_000u64 + i as u64)),
                },
                extra: Vec::new(),
            };
            let xml = msg.to_xml();
            let nonce = format!("bench{i}");
            let (body, msg_sig) = crypt
                .encrypt_push(&xml, OA_GH, None, &ts, &nonce)
                .expect("encrypt");
            let sig = plain_signature(OA_TOKEN, &ts, &nonce);
            Req {
                method: reqwest::Method::POST,
                url: format!(
                    "{base}/wx/{account}?signature={sig}&timestamp={ts}&nonce={nonce}&openid=o1&encrypt_type=aes&msg_signature={msg_sig}"
                ),
                body: Some(body),
            }
        })
        .collect();
    (reqs, crypt)
}

fn reply_text(crypt: &MsgCrypt, body: &str) -> Option<String> {
    let env = parse_reply_envelope(body).ok()?;
    let xml = crypt
        .decrypt_message(&env.msg_signature, &env.timestamp, &env.nonce, body)
        .ok()?;
    match Reply::parse(&xml).ok()?.kind {
        ReplyKind::Text { content } => Some(content),
        _ => None,
    }
}

async fn create_merchant(admin: &Staff, portal: &Portal) -> (i64, i64) {
    let account = admin
        .send(
            reqwest::Method::POST,
            "/api/accounts",
            Some(json!({
                "kind": "pay_merchant",
                "name": "Bench merchant",
                "environment": "sandbox",
                "mch_id": MCH_ID,
                "app_id": PAY_APP_ID,
                "api_key": API_KEY,
                "sign_type": "HMAC-SHA256"
            })),
        )
        .await;
    let merchant = account["id"].as_i64().expect("merchant id");
    portal.sim.create_merchant(MerchantConfig {
        mch_id: MCH_ID.into(),
        key: API_KEY.into(),
        appids: vec![PAY_APP_ID.into()],
        sign_type: Some(wechat_sim::proto::sign::SignType::HmacSha256),
        scan_callback_url: Some(format!("{}/pay/{merchant}/scan-callback", portal.base)),
        ..Default::default()
    });
    let product = admin
        .send(
            reqwest::Method::POST,
            &format!("/api/pay/merchants/{merchant}/products"),
            Some(json!({"name": "拿铁咖啡", "price_fen": 1200, "description": "中杯"})),
        )
        .await;
    (merchant, product["id"].as_i64().expect("product id"))
}

/// Places `n` mode-2 orders of `product` (unified orders at the emulator), as payers pressing
/// the product page's button would, without its per-IP limit.
async fn place_orders(state: &AppState, merchant: i64, product: i64, n: usize) {
    let m = wxportal::pay::merchant::require(state, merchant)
        .await
        .expect("the merchant");
    let p = wxportal::pay::products::find(&state.db, product)
        .await
        .expect("the product")
        .expect("the product exists");
    for _ in 0..n {
        wxportal::pay::client::native_order(state, &m, &p, None)
            .await
            .expect("a unified order");
    }
}

/// `(out_trade_no, total_fee)` of up to `n` unpaid orders (placed by [`place_orders`]).
async fn unpaid_orders(admin: &Staff, merchant: i64, n: usize) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    let mut page = 1;
    while out.len() < n {
        let v = admin
            .send(
                reqwest::Method::GET,
                &format!(
                    "/api/pay/merchants/{merchant}/orders?state=NOTPAY&per_page=100&page={page}"
                ),
                None,
            )
            .await;
        let items = v["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        for o in items {
            out.push((
                o["out_trade_no"]
                    .as_str()
                    .expect("out_trade_no")
                    .to_string(),
                o["total_fee"].as_i64().expect("total_fee"),
            ));
        }
        page += 1;
    }
    out.truncate(n);
    out
}

/// A payment notification as WeChat signs it (no `sign_type` field in the signed set).
fn notification(out_trade_no: &str, total_fee: i64, i: usize) -> String {
    let mut m = PayMap::new();
    let fee = total_fee.to_string();
    let txn = format!("42000{:023}", i);
    for (k, v) in [
        ("return_code", "SUCCESS"),
        ("appid", PAY_APP_ID),
        ("mch_id", MCH_ID),
        ("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
        ("result_code", "SUCCESS"),
        ("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
        ("is_subscribe", "N"),
        ("trade_type", "NATIVE"),
        ("bank_type", "CMC"),
        ("total_fee", fee.as_str()),
        ("cash_fee", fee.as_str()),
        ("fee_type", "CNY"),
        ("transaction_id", txn.as_str()),
        ("out_trade_no", out_trade_no),
        ("time_end", "20261121120000"),
    ] {
        m.insert(k, v);
    }
    m.sign_without_type(API_KEY, SignType::HmacSha256);
    m.to_xml()
}

fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(results: &[Measured], concurrency: usize) {
    let bare = results[0].throughput();
    println!();
    println!(
        "{:<22} {:>8} {:>5} {:>10} {:>8} {:>8} {:>8} {:>8} {:>9} {:>6}",
        "scenario",
        "requests",
        "conc",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "vs bare",
        "fail"
    );
    for m in results {
        println!(
            "{:<22} {:>8} {:>5} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.1}% {:>6}",
            m.name,
            m.requests,
            concurrency,
            m.throughput(),
            ms(m.percentile(0.50)),
            ms(m.percentile(0.90)),
            ms(m.percentile(0.99)),
            ms(*m.latencies.last().expect("at least one request")),
            100.0 * m.throughput() / bare,
            m.failures,
        );
    }
    println!();
    println!("\"vs bare\": throughput as a share of the bare axum endpoint measured in this run.");
}

fn write_json(
    path: &str,
    results: &[Measured],
    concurrency: usize,
    syncs: &[SyncResult],
    burst: Option<&login::LoginBurst>,
    spa: &spa::SpaDownload,
) {
    let bare = results[0].throughput();
    let rows: Vec<Value> = results
        .iter()
        .map(|m| {
            json!({
                "scenario": m.name,
                "requests": m.requests,
                "concurrency": concurrency,
                "failures": m.failures,
                "throughput_per_sec": m.throughput(),
                "p50_ms": ms(m.percentile(0.50)),
                "p90_ms": ms(m.percentile(0.90)),
                "p99_ms": ms(m.percentile(0.99)),
                "max_ms": ms(*m.latencies.last().expect("at least one request")),
                "throughput_vs_bare": m.throughput() / bare,
            })
        })
        .collect();
    let syncs: Vec<Value> = syncs.iter().map(SyncResult::json).collect();
    let burst = burst.map(|b| {
        json!({
            "requests": b.requests,
            "answered_401": b.unauthorized,
            "answered_429": b.limited,
            "other": b.other,
            "wall_secs": b.elapsed.as_secs_f64(),
            "rss_before_kib": b.rss_before_kib,
            "peak_rss_kib": b.peak_rss_kib,
            "permits": b.permits,
            "peak_concurrent_argon2": b.peak_argon2,
        })
    });
    let doc = json!({
        "http": rows,
        "spa_first_visit": spa.json(),
        "follower_sync": syncs,
        "login_burst": burst,
    });
    std::fs::write(path, serde_json::to_string_pretty(&doc).expect("json")).expect("write report");
}

/// A field of `/proc/self/status` in KiB (Linux; 0 elsewhere).
fn proc_status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Resets the process's peak resident set (VmHWM) to the current one, so the next reading is
/// the peak of what follows (Linux `clear_refs` value 5; ignored where unsupported).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}
