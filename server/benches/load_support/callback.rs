//! The callback scenarios of `cargo xtask bench` beyond the first one (an encrypted safe-mode
//! text, every message new, in `load.rs`):
//! - `callback retries`: the same messages sent again, as WeChat retries one it got no answer
//!   for (same MsgId, same signed request): each is answered with the stored reply, nothing is
//!   stored or counted again (checked after the run);
//! - `callback (plain)`: a plain-mode account (no encryption; its nonces go through the shared
//!   table, since a plain signature does not cover the body);
//! - `callback (PostgreSQL)`: the safe-mode scenario against a portal on a fresh PostgreSQL
//!   database, when `WXPORTAL_BENCH_POSTGRES_URL` (or `WXPORTAL_TEST_POSTGRES_URL`) is set.

use std::net::SocketAddr;
use std::sync::Arc;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use wechat::message::{Header, InboundMessage, MessageKind};
use wechat::reply::{Reply, ReplyKind};
use wechat::signature::plain_signature;
use wxportal::config::{ConfigArgs, ServeArgs};
use wxportal::entities::inbound_message;
use wxportal::{Application, Settings};

use crate::{
    Check, KEYWORD, KEYWORD_REPLY, MASTER_KEY_HEX, Measured, OA_TOKEN, Portal, Req, Staff,
    callback_reqs, create_oa, free_port, measure, reply_text, sign_in,
};

/// The plain-mode account's AppID (another account than the safe-mode one).
const PLAIN_APPID: &str = "wxb11529c136998cb7";
const PLAIN_GH: &str = "gh_7f0837397800";

/// The scenarios above, run after the safe-mode one (`sent`: its requests, all answered).
pub async fn scenarios(
    client: &reqwest::Client,
    portal: &Portal,
    admin: &Staff,
    safe_account: i64,
    sent: Vec<Req>,
    check: Check,
    concurrency: usize,
) -> Vec<Measured> {
    let mut out = Vec::new();
    let n = sent.len();
    let stored_before = stored(portal, safe_account).await;
    out.push(measure("callback retries", client, sent, concurrency, check).await);
    assert_eq!(
        stored(portal, safe_account).await,
        stored_before,
        "retries stored nothing new"
    );

    let plain = create_plain_oa(admin).await;
    let reqs = plain_reqs(&portal.base, plain, n);
    let check: Check = Arc::new(|status, body| {
        status == reqwest::StatusCode::OK
            && matches!(
                Reply::parse(body).map(|r| r.kind),
                Ok(ReplyKind::Text { content }) if content == KEYWORD_REPLY
            )
    });
    out.push(measure("callback (plain)", client, reqs, concurrency, check).await);

    match std::env::var("WXPORTAL_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("WXPORTAL_TEST_POSTGRES_URL"))
    {
        Ok(server) => out.push(on_postgres(client, &server, n, concurrency).await),
        Err(_) => {
            eprintln!("bench: callback on PostgreSQL skipped (set WXPORTAL_BENCH_POSTGRES_URL)")
        }
    }
    out
}

async fn stored(portal: &Portal, account: i64) -> u64 {
    inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(account))
        .count(&portal.state.db)
        .await
        .expect("count messages")
}

async fn create_plain_oa(admin: &Staff) -> i64 {
    let account = admin
        .send(
            reqwest::Method::POST,
            "/api/accounts",
            Some(json!({
                "kind": "official_account",
                "name": "Bench OA (plain)",
                "environment": "sandbox",
                "app_id": PLAIN_APPID,
                "app_secret": "0123456789abcdef0123456789abcdef",
                "token": OA_TOKEN,
                "message_mode": "plain",
                "original_id": PLAIN_GH
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

/// Plain text messages: distinct MsgId and nonce each, signed with the Token alone.
fn plain_reqs(base: &str, account: i64, n: usize) -> Vec<Req> {
    let ts = time::OffsetDateTime::now_utc().unix_timestamp();
    (0..n)
        .map(|i| {
            let msg = InboundMessage {
                header: Header {
                    to_user_name: PLAIN_GH.into(),
                    from_user_name: format!("oPlain{:023}", i % 500),
                    create_time: ts,
                    agent_id: None,
                },
                kind: MessageKind::Text {
                    content: KEYWORD.into(),
                    msg_id: Some(format!("{}", 25_000_000_000_000_000u64 + i as u64)),
                },
                extra: Vec::new(),
            };
            let nonce = format!("plain{i}");
            let sig = plain_signature(OA_TOKEN, &ts.to_string(), &nonce);
            Req {
                method: reqwest::Method::POST,
                url: format!(
                    "{base}/wx/{account}?signature={sig}&timestamp={ts}&nonce={nonce}&openid=o1"
                ),
                body: Some(msg.to_xml()),
            }
        })
        .collect()
}

/// The safe-mode scenario on a portal of its own on a fresh PostgreSQL database.
async fn on_postgres(
    client: &reqwest::Client,
    server: &str,
    n: usize,
    concurrency: usize,
) -> Measured {
    use sea_orm::{ConnectionTrait, Database};
    let name = format!("wxp_bench_cb_{}", std::process::id());
    let admin_db = Database::connect(server)
        .await
        .expect("connect to PostgreSQL");
    let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    admin_db.execute_unprepared(&drop).await.expect("drop");
    admin_db
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create bench database");
    let data_dir = tempfile::tempdir().expect("temp dir");
    let common = ConfigArgs {
        data_dir: Some(data_dir.path().to_path_buf()),
        database_url: Some(wxportal::db::url_with_database(server, &name)),
        ..Default::default()
    };
    let serve = ServeArgs {
        bind: Some(SocketAddr::from(([127, 0, 0, 1], free_port()))),
        sandbox: Some(true),
        ..Default::default()
    };
    let settings =
        Settings::resolve(&common, &serve, Some(MASTER_KEY_HEX.into())).expect("settings");
    let app = Application::build(settings)
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let initial = app
        .initial_admin_password
        .clone()
        .expect("a fresh database prints the initial password");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server_task = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let admin = sign_in(&base, &initial).await;
    let oa = create_oa(&admin).await;
    let (reqs, crypt) = callback_reqs(&base, oa, n);
    let check: Check = Arc::new(move |status, body| {
        status == reqwest::StatusCode::OK
            && reply_text(&crypt, body).as_deref() == Some(KEYWORD_REPLY)
    });
    let m = measure("callback (PostgreSQL)", client, reqs, concurrency, check).await;
    let _ = stop.send(());
    let _ = server_task.await;
    admin_db.execute_unprepared(&drop).await.ok();
    admin_db.close().await.ok();
    m
}
