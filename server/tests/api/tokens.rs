//! The database-backed WeChat token store, on the backend under test: tokens sealed at rest,
//! environments kept apart, the cross-instance lease, daily fetch counts, and single-flight
//! refresh across two "instances".

use std::{
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use wechat::token::{CachedToken, FetchedToken, TokenKey, TokenManager, TokenStore};
use wxportal::wechat_clients::DbTokenStore;

use crate::helpers::{TestApp, spawn_app};

fn store(app: &TestApp, namespace: &'static str) -> DbTokenStore {
    DbTokenStore::new(app.db.clone(), Arc::new(app.vault.clone()), namespace)
}

#[tokio::test]
async fn tokens_are_sealed_and_kept_apart_per_environment() {
    let app = spawn_app().await;
    let prod = store(&app, "production");
    let sbx = store(&app, "sandbox");
    let key = TokenKey::oa("wx0123456789abcdef");
    assert_eq!(prod.get(&key).await.unwrap(), None);
    let t = CachedToken {
        value: "TOKEN-CANARY-123".into(),
        expires_at: 2_000_000_000,
        fetched_at: 1_999_992_800,
    };
    prod.put(&key, &t).await.unwrap();
    assert_eq!(prod.get(&key).await.unwrap(), Some(t.clone()));
    // The sandbox namespace never sees a production token.
    assert_eq!(sbx.get(&key).await.unwrap(), None);
    // Overwritten, not duplicated.
    let t2 = CachedToken {
        value: "TOKEN-CANARY-456".into(),
        ..t
    };
    prod.put(&key, &t2).await.unwrap();
    assert_eq!(
        prod.get(&key).await.unwrap().unwrap().value,
        "TOKEN-CANARY-456"
    );
    let rows = wxportal::entities::wechat_token::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].token_key,
        "production/oa:wx0123456789abcdef:access_token"
    );
    assert!(!rows[0].ciphertext.contains("CANARY"));
}

use sea_orm::EntityTrait;

#[tokio::test]
async fn fetches_are_counted_per_key_and_day() {
    let app = spawn_app().await;
    let s = store(&app, "production");
    let key = TokenKey::work_agent("ww0123456789abcdef", 1000002);
    let day = time::macros::date!(2026 - 11 - 21);
    assert_eq!(s.fetch_count(&key, day).await.unwrap(), 0);
    assert_eq!(s.record_fetch(&key, day).await.unwrap(), 1);
    assert_eq!(s.record_fetch(&key, day).await.unwrap(), 2);
    assert_eq!(s.fetch_count(&key, day).await.unwrap(), 2);
    assert_eq!(
        s.fetch_count(&key, day.next_day().unwrap()).await.unwrap(),
        0
    );
    assert_eq!(
        store(&app, "sandbox").fetch_count(&key, day).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn the_lease_is_exclusive_released_and_taken_over_when_expired() {
    let app = spawn_app().await;
    let a = store(&app, "production");
    let b = store(&app, "production");
    let key = TokenKey::suite("ww0000000000000001");
    let held = a.lock(&key, Duration::from_secs(30)).await.unwrap();
    // B waits while A holds it …
    let waiting = tokio::time::timeout(
        Duration::from_millis(300),
        b.lock(&key, Duration::from_secs(30)),
    )
    .await;
    assert!(waiting.is_err(), "B got the lease while A held it");
    // … and gets it once A releases.
    held.release().await;
    let got = tokio::time::timeout(
        Duration::from_secs(5),
        b.lock(&key, Duration::from_secs(30)),
    )
    .await
    .expect("B gets the released lease")
    .unwrap();
    got.release().await;
    // A crashed holder (never released) blocks others only until its lease expires.
    let _crashed = a.lock(&key, Duration::from_millis(200)).await.unwrap();
    let got = tokio::time::timeout(
        Duration::from_secs(5),
        b.lock(&key, Duration::from_secs(30)),
    )
    .await
    .expect("B takes over the expired lease")
    .unwrap();
    got.release().await;
}

#[tokio::test]
async fn two_instances_fetch_a_token_once() {
    let app = spawn_app().await;
    let one = Arc::new(TokenManager::new(Arc::new(store(&app, "production"))));
    let two = Arc::new(TokenManager::new(Arc::new(store(&app, "production"))));
    let key = TokenKey::oa("wxfedcba9876543210");
    let calls = Arc::new(AtomicU32::new(0));
    let mut tasks = Vec::new();
    for n in 0..6 {
        let mgr = if n % 2 == 0 { one.clone() } else { two.clone() };
        let calls = calls.clone();
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            mgr.get(&key, || async move {
                calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok(FetchedToken {
                    value: "SHARED-TOKEN".into(),
                    expires_in: 7200,
                })
            })
            .await
            .unwrap()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), "SHARED-TOKEN");
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "one fetch for both instances"
    );
    assert_eq!(one.fetches_today(&key).await.unwrap(), 1);
    assert_eq!(two.fetches_today(&key).await.unwrap(), 1);
}
