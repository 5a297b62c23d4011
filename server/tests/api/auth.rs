use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use time::OffsetDateTime;

use crate::helpers::{
    ADMIN_PASSWORD, Client, TestApp, USER_PASSWORD, assert_error, json_of, spawn_app,
    spawn_app_with,
};

#[tokio::test]
async fn first_admin_must_change_the_initial_password() {
    let app = spawn_app().await;
    assert_eq!(app.initial_admin_password.len(), 16);
    let c = app.client();
    let me = json_of(
        c.login("admin", &app.initial_admin_password).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["must_change_password"], true);
    assert_eq!(me["lang"], "zh-CN");

    assert_error(
        c.get("/api/accounts").await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
    assert_error(
        c.get("/api/staff").await,
        StatusCode::FORBIDDEN,
        "password_change_required",
    )
    .await;
    json_of(c.get("/api/auth/me").await, StatusCode::OK).await;

    // Policy applies to the new password.
    let weak = c
        .post(
            "/api/auth/password",
            &json!({"current_password": app.initial_admin_password, "new_password": "short"}),
        )
        .await;
    let body = assert_error(weak, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(body["error"]["fields"][0]["field"], "new_password");
    // The current password must be right.
    let wrong = c
        .post(
            "/api/auth/password",
            &json!({"current_password": "nope", "new_password": ADMIN_PASSWORD}),
        )
        .await;
    assert_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;

    let r = c
        .post("/api/auth/password", &json!({"current_password": app.initial_admin_password, "new_password": ADMIN_PASSWORD}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let me = json_of(c.get("/api/auth/me").await, StatusCode::OK).await;
    assert_eq!(me["must_change_password"], false);
    json_of(c.get("/api/accounts").await, StatusCode::OK).await;

    // The initial password no longer works; the new one does.
    let fresh = app.client();
    assert_error(
        fresh.login("admin", &app.initial_admin_password).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    json_of(fresh.login("admin", ADMIN_PASSWORD).await, StatusCode::OK).await;
}

#[tokio::test]
async fn unknown_user_and_wrong_password_look_the_same() {
    let app = spawn_app().await;
    let c = app.client();
    let a = assert_error(
        c.login("admin", "wrong-password-1").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let b = assert_error(
        c.login("nobody", "wrong-password-1").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(a, b);
    assert_error(
        c.get("/api/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

/// Freeze the app's login clock, so that no backoff runs out while a test runs.
fn freeze_clock(app: &TestApp) -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    app.passwords.clock().freeze(now);
    now
}

fn retry_after(r: &reqwest::Response) -> u64 {
    r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// A client whose every request claims to come from `forwarded_for`.
fn client_forwarded_for(app: &TestApp, forwarded_for: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", forwarded_for.parse().unwrap());
    Client {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        base: app.base.clone(),
    }
}

/// `c` signs in as `username`.
async fn signs_in(c: &Client, username: &str, password: &str) {
    json_of(c.login(username, password).await, StatusCode::OK).await;
}

/// `c` is refused with 429 even with the right password.
async fn is_throttled(c: &Client, username: &str, password: &str) {
    assert_error(
        c.login(username, password).await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

async fn fail_times(c: &Client, username: &str, n: usize) {
    for _ in 0..n {
        assert_error(
            c.login(username, "wrong-password-1").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
}

#[tokio::test]
async fn failures_back_off_per_username_and_address_with_growing_delays() {
    let app = spawn_app().await;
    app.create_user("victim", api::staff::Role::Viewer).await;
    freeze_clock(&app);
    let c = app.client();
    fail_times(&c, "victim", 5).await;
    // Even the right password is refused during the backoff, which starts at a second…
    let r = c.login("victim", USER_PASSWORD).await;
    assert_eq!(retry_after(&r), 1);
    assert_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // …and doubles with every further failure.
    for wait in [1, 2, 4, 8] {
        app.passwords.clock().advance(time::Duration::seconds(wait));
        fail_times(&c, "victim", 1).await;
        let r = c.login("victim", USER_PASSWORD).await;
        assert_eq!(retry_after(&r), 2 * wait as u64);
        assert_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    }
    // A refused attempt does not lengthen it; once it has passed, the password works.
    app.passwords.clock().advance(time::Duration::seconds(16));
    signs_in(&c, "victim", USER_PASSWORD).await;
    // Other usernames are unaffected.
    signs_in(&app.client(), "admin", &app.initial_admin_password).await;
}

#[tokio::test]
async fn the_backoff_is_capped_at_fifteen_minutes() {
    let app = spawn_app().await;
    freeze_clock(&app);
    let c = app.client();
    fail_times(&c, "nobody", 5).await;
    for _ in 0..12 {
        app.passwords.clock().advance(time::Duration::minutes(15));
        fail_times(&c, "nobody", 1).await;
    }
    let r = c.login("nobody", "wrong-password-1").await;
    assert_eq!(retry_after(&r), 15 * 60);
    assert_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn an_attackers_failures_do_not_lock_the_admin_out_from_elsewhere() {
    let app = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    freeze_clock(&app);
    let attacker = client_forwarded_for(&app, "203.0.113.66");
    fail_times(&attacker, "admin", 5).await;
    for _ in 0..20 {
        assert_error(
            attacker.login("admin", "wrong-password-1").await,
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
        )
        .await;
    }
    // The attacker's right guess would be refused too.
    is_throttled(&attacker, "admin", &app.initial_admin_password).await;
    // The real admin, behind the same proxy but from another address, signs in.
    let real = client_forwarded_for(&app, "198.51.100.7");
    signs_in(&real, "admin", &app.initial_admin_password).await;
}

#[tokio::test]
async fn forwarded_for_is_ignored_from_an_untrusted_peer() {
    // No trusted proxy, or one whose range does not hold the TCP peer 127.0.0.1: every request
    // is from 127.0.0.1, whatever it claims.
    for trusted in [vec![], vec!["10.0.0.0/8".parse().unwrap()]] {
        let app = spawn_app_with(|s| s.trusted_proxies = trusted).await;
        freeze_clock(&app);
        fail_times(&client_forwarded_for(&app, "203.0.113.66"), "admin", 5).await;
        is_throttled(
            &client_forwarded_for(&app, "198.51.100.7"),
            "admin",
            &app.initial_admin_password,
        )
        .await;
    }
}

/// One wrong password for each of MAX_PER_IP usernames.
async fn spray(c: &Client) {
    for i in 0..wxportal::auth::throttle::MAX_PER_IP {
        let r = c.login(&format!("user{i}"), "wrong-password-1").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn failures_over_many_usernames_hit_the_per_address_ceiling() {
    let app = spawn_app().await;
    freeze_clock(&app);
    let c = app.client();
    spray(&c).await;
    let r = c.login("admin", &app.initial_admin_password).await;
    assert_eq!(retry_after(&r), 15 * 60);
    assert_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // The ceiling is per address: others are not affected.
    let app2 = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    freeze_clock(&app2);
    let sprayer = client_forwarded_for(&app2, "203.0.113.66");
    spray(&sprayer).await;
    is_throttled(&sprayer, "admin", &app2.initial_admin_password).await;
    signs_in(
        &client_forwarded_for(&app2, "198.51.100.7"),
        "admin",
        &app2.initial_admin_password,
    )
    .await;
}

/// Fire `n` wrong sign-ins at once; returns the statuses.
async fn burst(app: &TestApp, usernames: impl Fn(usize) -> String, n: usize) -> Vec<StatusCode> {
    let c = app.client();
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let c = c.clone();
            let username = usernames(i);
            tokio::spawn(async move {
                let r = c.login(&username, "wrong-password-1").await;
                if r.status() == StatusCode::TOO_MANY_REQUESTS {
                    assert!(retry_after(&r) >= 1);
                }
                r.status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses
}

#[tokio::test]
async fn a_concurrent_burst_verifies_at_most_the_allowance() {
    let app = spawn_app().await;
    freeze_clock(&app);
    let before = app.passwords.verifications();
    let statuses = burst(&app, |_| "admin".to_string(), 200).await;
    let verified = app.passwords.verifications() - before;
    let failed = count(&statuses, StatusCode::UNAUTHORIZED);
    let limited = count(&statuses, StatusCode::TOO_MANY_REQUESTS);
    let allowance = wxportal::auth::throttle::FREE_FAILURES;
    assert!(verified <= allowance, "{verified} verifications");
    assert_eq!(failed as u64, verified);
    assert_eq!(failed + limited, 200, "{statuses:?}");
    // The admin, from elsewhere or after the backoff, is not locked out for long.
    app.passwords.clock().advance(time::Duration::seconds(1));
    signs_in(&app.client(), "admin", &app.initial_admin_password).await;
}

/// A botnet's burst (1,000 sign-ins, each from its own address behind the trusted proxy, each for
/// its own username) gets past every per-address and per-user limit; what bounds the memory is
/// the Argon2 gate: never more computations at once than permits (each holds the whole
/// `memory_kib`), the rest queued briefly or refused with 429 at once.
#[tokio::test]
async fn a_distributed_burst_never_runs_more_argon2_at_once_than_permits() {
    let app = spawn_app_with(|s| s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    freeze_clock(&app);
    let permits = app.passwords.permits();
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let c = client_forwarded_for(
                &app,
                &format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256),
            );
            tokio::spawn(async move {
                c.login(&format!("bot{i}"), "wrong-password-1")
                    .await
                    .status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let failed = count(&statuses, StatusCode::UNAUTHORIZED);
    let limited = count(&statuses, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(failed + limited, 1000, "every request answered 401 or 429");
    assert!(failed > 0, "the gate is not a wall: some were verified");
    let peak = app.passwords.peak_concurrent_argon2();
    assert!(
        peak <= permits,
        "{peak} Argon2 computations at once with {permits} permits"
    );
}

#[tokio::test]
async fn a_burst_over_many_usernames_stays_under_the_address_ceiling() {
    let app = spawn_app().await;
    freeze_clock(&app);
    let before = app.passwords.verifications();
    let statuses = burst(&app, |i| format!("spray{i}"), 300).await;
    let verified = app.passwords.verifications() - before;
    let failed = count(&statuses, StatusCode::UNAUTHORIZED);
    let limited = count(&statuses, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        verified <= wxportal::auth::throttle::MAX_PER_IP,
        "{verified} verifications"
    );
    assert_eq!(failed as u64, verified);
    assert_eq!(failed + limited, 300, "{statuses:?}");
}

#[tokio::test]
async fn an_admin_unlock_clears_a_username_and_is_audited() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let victim = app.create_user("victim", api::staff::Role::Viewer).await;
    freeze_clock(&app);
    let c = app.client();
    fail_times(&c, "victim", 5).await;
    is_throttled(&c, "victim", USER_PASSWORD).await;
    let r = admin
        .post(&format!("/api/staff/{victim}/unlock"), &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    signs_in(&c, "victim", USER_PASSWORD).await;

    let entries = wxportal::entities::audit_log::Entity::find()
        .filter(wxportal::entities::audit_log::Column::Action.eq("auth.unlock"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, "admin");
    assert_eq!(entries[0].target_id, Some(victim));
    assert!(
        entries[0].summary.contains("victim"),
        "{}",
        entries[0].summary
    );
    let detail: serde_json::Value = serde_json::from_str(&entries[0].detail).unwrap();
    assert_eq!(detail["cleared_failures"], 5);

    assert_error(
        admin.post("/api/staff/999999/unlock", &json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Not for non-admins.
    let (viewer, _) = app.signed_in("peeker", api::staff::Role::Viewer).await;
    assert_error(
        viewer
            .post(&format!("/api/staff/{victim}/unlock"), &json!({}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn success_resets_the_failure_count() {
    let app = spawn_app().await;
    app.create_user("bob", api::staff::Role::Viewer).await;
    let c = app.client();
    for _ in 0..4 {
        c.login("bob", "wrong-password-1").await;
    }
    json_of(c.login("bob", USER_PASSWORD).await, StatusCode::OK).await;
    for _ in 0..4 {
        c.login("bob", "wrong-password-1").await;
    }
    json_of(c.login("bob", USER_PASSWORD).await, StatusCode::OK).await;
}

#[tokio::test]
async fn language_is_remembered_per_user() {
    let app = spawn_app().await;
    let (c, _) = app.signed_in("lang", api::staff::Role::Viewer).await;
    let me = json_of(
        c.patch("/api/auth/me", &json!({"lang": "en"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["lang"], "en");
    let other = app.client();
    let me = json_of(other.login("lang", USER_PASSWORD).await, StatusCode::OK).await;
    assert_eq!(me["lang"], "en");
    assert_error(
        c.patch("/api/auth/me", &json!({"lang": "fr"})).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn disabled_users_cannot_sign_in_and_lose_their_session() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (c, id) = app.signed_in("temp", api::staff::Role::Operator).await;
    json_of(c.get("/api/accounts").await, StatusCode::OK).await;
    json_of(
        admin
            .patch(&format!("/api/staff/{id}"), &json!({"disabled": true}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_error(
        c.get("/api/accounts").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    assert_error(
        app.client().login("temp", USER_PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn the_session_route_answers_200_signed_in_or_not() {
    let app = spawn_app().await;
    let c = app.client();
    // Signed out: a normal state, not a 401 (the SPA asks this first on every load).
    let s = json_of(c.get("/api/auth/session").await, StatusCode::OK).await;
    assert_eq!(s, json!({"me": null}));
    json_of(
        c.login("admin", &app.initial_admin_password).await,
        StatusCode::OK,
    )
    .await;
    // Signed in, even before the forced password change (the SPA needs to know).
    let s = json_of(c.get("/api/auth/session").await, StatusCode::OK).await;
    assert_eq!(s["me"]["username"], "admin");
    assert_eq!(s["me"]["must_change_password"], true);
    c.post("/api/auth/logout", &json!({})).await;
    let s = json_of(c.get("/api/auth/session").await, StatusCode::OK).await;
    assert_eq!(s["me"], serde_json::Value::Null);
}
