use reqwest::{StatusCode, header};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::{USER_PASSWORD, assert_error, json_of, spawn_app};

fn session_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("wxportal_session="))
        .expect("session cookie set")
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn login_sets_a_hardened_cookie_and_stores_the_session() {
    let app = spawn_app().await;
    app.create_user("carol", api::staff::Role::Viewer).await;
    let r = app.client().login("carol", USER_PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = session_cookie(&r);
    let lower = cookie.to_ascii_lowercase();
    assert!(lower.contains("httponly"), "{cookie}");
    assert!(lower.contains("samesite=lax"), "{cookie}");
    assert!(lower.contains("path=/"), "{cookie}");
    assert!(!lower.contains("secure"), "{cookie}");
    assert!(lower.contains("max-age="), "{cookie}");
    // Stored in our table, keyed by a hash rather than the cookie value.
    let rows = wxportal::entities::session::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let value = cookie_value(&cookie);
    let id = value.trim_start_matches("wxportal_session=");
    assert_ne!(rows[0].id, id);
    assert!(!rows[0].data.contains(id));
}

#[tokio::test]
async fn secure_flag_is_configurable() {
    let app = crate::helpers::spawn_app_with(|s| s.cookie_secure = true).await;
    let r = app
        .client()
        .login("admin", &app.initial_admin_password)
        .await;
    assert!(session_cookie(&r).to_ascii_lowercase().contains("secure"));
}

#[tokio::test]
async fn session_id_is_cycled_at_login_and_logout_ends_it() {
    let app = spawn_app().await;
    app.create_user("dave", api::staff::Role::Viewer).await;
    let c = app.client();
    let first = cookie_value(&session_cookie(&c.login("dave", USER_PASSWORD).await));
    let second = cookie_value(&session_cookie(&c.login("dave", USER_PASSWORD).await));
    assert_ne!(first, second, "a new login must get a new session id");
    // The old id is dead.
    let raw = reqwest::Client::new();
    let r = raw
        .get(c.url("/api/auth/me"))
        .header(header::COOKIE, &first)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let r = raw
        .get(c.url("/api/auth/me"))
        .header(header::COOKIE, &second)
        .send()
        .await
        .unwrap();
    json_of(r, StatusCode::OK).await;

    let r = c.post("/api/auth/logout", &serde_json::json!({})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_error(
        c.get("/api/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let r = raw
        .get(c.url("/api/auth/me"))
        .header(header::COOKIE, &second)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_eq!(
        wxportal::entities::session::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn sessions_are_shared_by_instances_on_one_database() {
    let app = spawn_app().await;
    app.create_user("erin", api::staff::Role::Viewer).await;
    let c = app.client();
    let cookie = cookie_value(&session_cookie(&c.login("erin", USER_PASSWORD).await));
    // A second instance on the same database accepts the session.
    let mut settings = app.settings.clone();
    settings.bind = "127.0.0.1:0".parse().unwrap();
    let second = wxportal::Application::build(settings).await.unwrap();
    assert!(second.initial_admin_password.is_none());
    let base = format!("http://{}", second.local_addr());
    tokio::spawn(second.run_until(std::future::pending()));
    let r = reqwest::Client::new()
        .get(format!("{base}/api/auth/me"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r, StatusCode::OK).await["username"], "erin");
}

#[tokio::test]
async fn idle_sessions_expire() {
    let app = spawn_app().await;
    app.create_user("fred", api::staff::Role::Viewer).await;
    let c = app.client();
    json_of(c.login("fred", USER_PASSWORD).await, StatusCode::OK).await;
    // Age the stored session past its expiry.
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    for row in wxportal::entities::session::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
    {
        let mut a = row.into_active_model();
        a.expires_at = Set(time::OffsetDateTime::now_utc() - time::Duration::minutes(1));
        a.update(&app.db).await.unwrap();
    }
    assert_error(
        c.get("/api/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    use tower_sessions::ExpiredDeletion;
    wxportal::auth::session_store::DbSessionStore::new(app.db.clone())
        .delete_expired()
        .await
        .unwrap();
    assert_eq!(
        wxportal::entities::session::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let app = spawn_app().await;
    app.create_user("gina", api::staff::Role::Viewer).await;
    let a = app.client();
    let b = app.client();
    json_of(a.login("gina", USER_PASSWORD).await, StatusCode::OK).await;
    json_of(b.login("gina", USER_PASSWORD).await, StatusCode::OK).await;
    let r = a
        .post(
            "/api/auth/password",
            &serde_json::json!({"current_password": USER_PASSWORD, "new_password": "another-pass-77"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    json_of(a.get("/api/auth/me").await, StatusCode::OK).await;
    assert_error(
        b.get("/api/auth/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}
