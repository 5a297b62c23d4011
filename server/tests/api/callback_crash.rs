//! Durability under load: the real binary is killed with SIGKILL in the middle of a burst of
//! callbacks; after a restart, every message it had answered 200 (with its reply) is in the
//! database, handled, with that very reply — stored before the answer, never after.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use wxportal::entities::{inbound_message, outbound_message};

use crate::callback::{
    Mode, add_rule, create_oa, keyword_rule, now, oa_crypt, oa_request, open_reply, reply_text,
    text_msg,
};
use crate::helpers::{MASTER_KEY_HEX, TestApp, spawn_app};

const REPLY: &str = "stored before this answer";
/// Messages sent at most; the process is killed long before.
const TOTAL: usize = 3000;
/// Answers to wait for before the kill.
const ANSWERED_BEFORE_KILL: usize = 150;
const WORKERS: usize = 16;

/// A running `wxportal serve`, killed when dropped, so a failed assertion leaves no server behind.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        // SIGKILL (`Child::kill`) then reap; both fail harmlessly once the test killed it itself.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `wxportal serve` on the test app's database (a second instance); the child and its URL.
fn serve(app: &TestApp) -> (Served, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wxportal"))
        .env_remove("RUST_LOG")
        .env("WXPORTAL_DATABASE_URL", &app.settings.database_url)
        .env("WXPORTAL_DATA_DIR", &app.settings.data_dir)
        .env("WXPORTAL_MASTER_KEY", MASTER_KEY_HEX)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("wxportal listening on ") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "serve exited early");
    }
    // Keep reading what it prints, so that it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()).ok());
    let url = line["wxportal listening on ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    (Served(child), url)
}

fn kill_9(served: &mut Served) {
    let child = &mut served.0;
    // The shell's builtin `kill`: no procps needed.
    let status = Command::new("sh")
        .args(["-c", "kill -KILL \"$0\"", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait().unwrap();
}

fn msg_id(i: usize) -> String {
    (9_300_000_000u64 + i as u64).to_string()
}

/// One callback of the burst: `Some(reply text)` when it was answered 200 with a reply.
async fn send(http: &reqwest::Client, base: &str, account: i64, i: usize) -> Option<String> {
    let (q, b) = oa_request(
        Mode::Safe,
        &text_msg("o_crash", "crash", &msg_id(i)).to_xml(),
        &now().to_string(),
        &format!("kill{i}"),
    );
    let r = http
        .post(format!("{base}/wx/{account}?{q}"))
        .header("content-type", "text/xml")
        .body(b)
        .send()
        .await
        .ok()?;
    if r.status() != StatusCode::OK {
        return None;
    }
    let body = r.text().await.ok()?;
    Some(reply_text(&open_reply(&oa_crypt(), &body)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_callback_answered_before_a_kill_9_is_stored_after_the_restart() {
    let app = spawn_app().await;
    let id = create_oa(&app, "safe").await;
    add_rule(&app, id, keyword_rule("crash", REPLY)).await;
    let (mut child, base) = serve(&app);

    let http = reqwest::Client::new();
    let next = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (http, base, next, answered) =
                (http.clone(), base.clone(), next.clone(), answered.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= TOTAL {
                        return;
                    }
                    match send(&http, &base, id, i).await {
                        Some(text) => {
                            assert_eq!(text, REPLY);
                            answered.lock().unwrap().push(i);
                        }
                        // The process is gone (or failed): this worker stops.
                        None => return,
                    }
                }
            })
        })
        .collect();
    while answered.lock().unwrap().len() < ANSWERED_BEFORE_KILL {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    kill_9(&mut child);
    for w in workers {
        w.await.unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(
        answered.len() < TOTAL,
        "the kill came in the middle of the burst"
    );

    // The restart: the binary comes up on the database the killed one left.
    let (mut child, base) = serve(&app);
    let stored = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    let passive = outbound_message::Entity::find()
        .filter(outbound_message::Column::AccountId.eq(id))
        .filter(outbound_message::Column::Channel.eq("passive"))
        .all(&app.db)
        .await
        .unwrap();
    for i in &answered {
        let row = stored
            .iter()
            .find(|m| m.msg_id.as_deref() == Some(msg_id(*i).as_str()))
            .unwrap_or_else(|| panic!("message {} was answered 200 but is not stored", msg_id(*i)));
        assert!(row.handled_at.is_some(), "answered, so handled");
        assert!(
            row.reply_xml.as_deref().is_some_and(|x| x.contains(REPLY)),
            "the reply it was answered with is the stored one"
        );
        assert!(
            passive.iter().any(|o| o.inbound_id == Some(row.id)),
            "the reply sent has its outbound row"
        );
    }
    // WeChat's retry of an answered message, now on the restarted process: the stored reply,
    // nothing stored twice.
    let first = answered[0];
    assert_eq!(send(&http, &base, id, first).await.as_deref(), Some(REPLY));
    let copies = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(id))
        .filter(inbound_message::Column::MsgId.eq(msg_id(first)))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(copies.len(), 1);
    kill_9(&mut child);
}
