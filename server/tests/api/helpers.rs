//! `spawn_app()`: the real `Application` on 127.0.0.1:0 with a fresh database of the backend
//! chosen by `WXPORTAL_TEST_BACKEND` (`sqlite` default, `postgres`, `mysql`).

use std::{
    io::Write,
    sync::{Arc, LazyLock, Mutex},
};

use api::staff::{CreateStaffRequest, Role};
use reqwest::{Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use wxportal::{
    Application, Settings,
    audit::Actor,
    auth::passwords::Passwords,
    config::{LogFormat, PasswordHashing},
    vault::Vault,
};

pub const MASTER_KEY_HEX: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
pub const ADMIN_PASSWORD: &str = "admin-password-42";
pub const USER_PASSWORD: &str = "user-password-42";

pub const TEST_HASHING: PasswordHashing = PasswordHashing {
    memory_kib: 256,
    iterations: 1,
    parallelism: 1,
};

/// Everything every test writes to the log, for the "no secret in logs" checks.
pub static LOG: LazyLock<Arc<Mutex<Vec<u8>>>> = LazyLock::new(|| {
    let buf = Arc::new(Mutex::new(Vec::new()));
    let sink = buf.clone();
    let subscriber = wxportal::telemetry::subscriber(
        "debug,hyper=info,hyper_util=info,h2=info,reqwest=info,rustls=info",
        LogFormat::Json,
        false,
        move || LogWriter(sink.clone()),
    );
    let _ = tracing::subscriber::set_global_default(subscriber);
    buf
});

pub struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl LogWriter {
    pub fn new(sink: Arc<Mutex<Vec<u8>>>) -> LogWriter {
        LogWriter(sink)
    }
}

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        if std::env::var_os("TEST_LOG").is_some() {
            std::io::stderr().write_all(buf)?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOG.lock().unwrap()).into_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    Mysql,
}

pub fn backend() -> Backend {
    match std::env::var("WXPORTAL_TEST_BACKEND").as_deref() {
        Ok("postgres") => Backend::Postgres,
        Ok("mysql") => Backend::Mysql,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("WXPORTAL_TEST_BACKEND={other}: expected sqlite, postgres or mysql"),
    }
}

/// A fresh, empty database; dropped (best effort) when this guard drops.
pub struct TestDb {
    pub url: String,
    server_url: Option<String>,
    name: String,
    pub dir: tempfile::TempDir,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let name = format!(
            "wxp_{}",
            wxportal::auth::passwords::random_alnum(12).to_lowercase()
        );
        match backend() {
            Backend::Sqlite => TestDb {
                url: format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
                server_url: None,
                name,
                dir,
            },
            b => {
                let var = if b == Backend::Postgres {
                    "WXPORTAL_TEST_POSTGRES_URL"
                } else {
                    "WXPORTAL_TEST_MYSQL_URL"
                };
                let server_url = std::env::var(var).unwrap_or_else(|_| panic!("{var} must be set"));
                let admin = Database::connect(&server_url)
                    .await
                    .expect("connect to test server");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                TestDb {
                    url: wxportal::db::url_with_database(&server_url, &name),
                    server_url: Some(server_url),
                    name,
                    dir,
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(server_url) = self.server_url.clone() else {
            return;
        };
        let sql = if backend() == Backend::Postgres {
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)
        } else {
            format!("DROP DATABASE IF EXISTS {}", self.name)
        };
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let fut = async {
                    let db = Database::connect(&server_url).await.ok()?;
                    db.execute_unprepared(&sql).await.ok()?;
                    db.close().await.ok()
                };
                tokio::time::timeout(std::time::Duration::from_secs(10), fut)
                    .await
                    .ok()?
            })
        })
        .join();
    }
}

pub fn test_settings(db: &TestDb) -> Settings {
    Settings {
        bind: "127.0.0.1:0".parse().unwrap(),
        database_url: db.url.clone(),
        data_dir: db.dir.path().to_path_buf(),
        public_url: "http://wxportal.test".into(),
        master_key: Some(MASTER_KEY_HEX.into()),
        sandbox: false,
        cookie_secure: false,
        log_format: LogFormat::Json,
        session_idle_minutes: 60,
        body_limit_bytes: 1024 * 1024,
        password_hashing: TEST_HASHING,
        callback_timestamp_window_secs: 300,
        callback_reply_budget_ms: 4000,
        callback_retention_days: 7,
        pay_order_ttl_minutes: 120,
        trusted_proxies: Vec::new(),
        pay_notification_retention_days: 90,
        sandbox_control_token: Some(SANDBOX_CONTROL_TOKEN.into()),
    }
}

/// The sandbox control token every test app is started with.
pub const SANDBOX_CONTROL_TOKEN: &str = "test-sandbox-control-token-0123456789";

/// An HTTP client for the sandbox control API (`/sandbox/_sim/…`): it sends the control token.
pub fn sim_http() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-wxportal-sandbox-token",
        reqwest::header::HeaderValue::from_static(SANDBOX_CONTROL_TOKEN),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest client")
}

pub struct TestApp {
    pub base: String,
    /// Our own connection to the app's database, for asserting on what is stored.
    pub db: DatabaseConnection,
    pub initial_admin_password: String,
    pub vault: Vault,
    pub passwords: Passwords,
    pub settings: Settings,
    /// The running instance's state (its WeChat runtime and sandbox, for multi-instance tests).
    pub state: wxportal::state::AppState,
    admin_ready: tokio::sync::OnceCell<()>,
    _db: TestDb,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    LazyLock::force(&LOG);
    let test_db = TestDb::new().await;
    let mut settings = test_settings(&test_db);
    configure(&mut settings);
    let app = Application::build(settings.clone())
        .await
        .expect("application builds");
    let base = format!("http://{}", app.local_addr());
    let initial_admin_password = app
        .initial_admin_password
        .clone()
        .expect("a fresh database gets an initial admin");
    // The app's own hasher: tests read its verification counter and move its login clock.
    let passwords = app.state().passwords.clone();
    let state = app.state().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    let db = wxportal::db::connect(&test_db.url)
        .await
        .expect("test connection");
    TestApp {
        base,
        db,
        initial_admin_password,
        vault: Vault::new(wxportal::vault::parse_key(MASTER_KEY_HEX).unwrap()),
        passwords,
        settings,
        state,
        admin_ready: tokio::sync::OnceCell::new(),
        _db: test_db,
    }
}

/// A browser-like client with its own cookie jar.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().await.expect("request")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.http
            .delete(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.http
            .patch(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Response {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut rb = self.http.request(m, self.url(path));
        if let Some(b) = body {
            rb = rb.json(b);
        }
        rb.send().await.expect("request")
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/auth/login",
            &json!({"username": username, "password": password}),
        )
        .await
    }
}

impl TestApp {
    /// A second instance of the application on this app's database; its base URL.
    pub async fn second_instance(&self) -> String {
        let mut settings = self.settings.clone();
        settings.bind = "127.0.0.1:0".parse().unwrap();
        let second = wxportal::Application::build(settings).await.unwrap();
        let base = format!("http://{}", second.local_addr());
        tokio::spawn(second.run_until(std::future::pending()));
        base
    }

    pub fn client(&self) -> Client {
        Client {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: self.base.clone(),
        }
    }

    /// A client signed in as `admin` (whose initial password has been changed to ADMIN_PASSWORD).
    pub async fn admin(&self) -> Client {
        let c = self.client();
        self.admin_ready
            .get_or_init(|| async {
                let r = c.login("admin", &self.initial_admin_password).await;
                assert_eq!(r.status(), StatusCode::OK);
                let r = c
                    .post(
                        "/api/auth/password",
                        &json!({"current_password": self.initial_admin_password, "new_password": ADMIN_PASSWORD}),
                    )
                    .await;
                assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", r.text().await.unwrap());
            })
            .await;
        let r = c.login("admin", ADMIN_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::OK);
        c
    }

    /// Create a user straight in the database (no forced password change).
    pub async fn create_user(&self, username: &str, role: Role) -> i64 {
        wxportal::staff::service::create(
            &self.db,
            &self.passwords,
            &Actor::system(),
            CreateStaffRequest {
                username: username.into(),
                password: USER_PASSWORD.into(),
                role,
            },
            false,
        )
        .await
        .expect("create user")
        .id
    }

    /// A client signed in as a new user with `role`.
    pub async fn signed_in(&self, username: &str, role: Role) -> (Client, i64) {
        let id = self.create_user(username, role).await;
        let c = self.client();
        let r = c.login(username, USER_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::OK);
        (c, id)
    }
}

/// Assert the status and return the JSON body.
pub async fn json_of(r: Response, status: StatusCode) -> Value {
    let got = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    }
}

/// Assert an API error response with `status` and `code`; returns the body.
pub async fn assert_error(r: Response, status: StatusCode, code: &str) -> Value {
    let body = json_of(r, status).await;
    assert_eq!(body["error"]["code"], code, "body: {body}");
    assert!(body["error"]["message"].is_string());
    body
}

// ---------- sample accounts ----------

pub const OA_SECRET: &str = "0123456789abcdefghijABCDEFGHIJzz";
pub const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

pub fn official_account(app_id: &str) -> Value {
    json!({
        "kind": "official_account",
        "name": "Test OA",
        "app_id": app_id,
        "app_secret": OA_SECRET,
        "token": "pamtest",
        "encoding_aes_key": AES_KEY,
        "message_mode": "safe",
        "original_id": "gh_7f083739789a"
    })
}

pub fn work_app() -> Value {
    json!({
        "kind": "work_app",
        "name": "Test work app",
        "corp_id": "wx5823bf96d3bd56c7",
        "agent_id": 1000002,
        "secret": "corp-secret_0123456789",
        "contacts_secret": "contacts-secret_99",
        "token": "QDG6eK",
        "encoding_aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
    })
}

pub fn pay_merchant() -> Value {
    json!({
        "kind": "pay_merchant",
        "name": "Test merchant",
        "mch_id": "10000100",
        "app_id": "wxd930ea5d5a258f4f",
        "api_key": "192006250b4c09247ec02edce69f6a2d",
        "sign_type": "HMAC-SHA256",
        "client_cert_p12_base64": "aGVsbG8gY2VydGlmaWNhdGU="
    })
}

pub fn work_suite() -> Value {
    json!({
        "kind": "work_suite",
        "name": "Test suite",
        "suite_id": "ww4asffe99e54c0fxxxx",
        "suite_secret": "suite-secret-0123456789",
        "token": "suitetoken",
        "encoding_aes_key": AES_KEY,
        "provider_corp_id": "ww1234567890abcd",
        "provider_secret": "provider-secret-42"
    })
}
