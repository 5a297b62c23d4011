//! Building and running the application: database, migrations, master key check, first-start
//! admin, the sandbox (with `--sandbox`), router, layers, the background tasks and graceful
//! shutdown.
//!
//! Router layout:
//! - [`api_router`]: `/api/*`, built from the route declarations ([`api_routes`]), behind the session, CSRF and access
//!   guard layers;
//! - [`public_router`]: routes outside sessions and CSRF: `/healthz`, `/readyz`, the WeChat
//!   callbacks `/wx/{account_id}` ([`crate::callback`]) and WeChat Pay's `/pay/*` endpoints and
//!   payer pages ([`crate::pay`]);
//! - [`sandbox_routes`]: with `--sandbox`, the WeChat emulator under `/sandbox/` (outside
//!   sessions and CSRF; its `/_sim` control API for loopback clients only);
//! - `extra`: an optional router merged as is;
//! - the SPA fallback for everything else.
//!
//! Background tasks of [`Application::run_until`], on every instance: expired sessions, the pay
//! order expiry sweep, the outbound message delivery worker, callback retention, resuming
//! follower syncs, and the daily bill reconciliation ([`crate::pay::bills::job`]).

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, Request, StatusCode, header},
    middleware,
    routing::get,
};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{
    ExpiredDeletion, Expiry, SessionManagerLayer,
    cookie::{SameSite, time::Duration as CookieDuration},
};
use tracing::Level;

use crate::{
    accounts, audit,
    auth::{self, passwords::Passwords, session_store::DbSessionStore},
    config::{Settings, redact_url},
    db, health,
    http::{self, csrf, guard, openapi, routes::Route, spa},
    staff,
    state::AppState,
    vault::Vault,
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Vault(#[from] crate::vault::VaultError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

impl From<crate::error::AppError> for StartupError {
    fn from(e: crate::error::AppError) -> Self {
        StartupError::Other(e.to_string())
    }
}

/// Every API route, as declared by the capabilities: the one list the router, the access guard
/// ([`http::routes::rule_for`]) and the OpenAPI document read.
pub fn api_routes() -> Vec<Route> {
    let mut all = Vec::new();
    all.extend(auth::routes());
    all.extend(staff::routes());
    all.extend(accounts::routes());
    all.extend(crate::pay::routes());
    all.extend(audit::routes());
    all.extend(crate::sandbox::routes());
    all.extend(crate::replies::routes());
    all.extend(crate::messages::routes());
    all.extend(crate::inspector::routes());
    all.extend(crate::oa::followers::routes());
    all.extend(crate::oa::menus::routes());
    all.extend(crate::oa::qrcodes::routes());
    all.extend(crate::oa::kf::routes());
    all.extend(crate::oa::materials::routes());
    all.extend(crate::oa::drafts::routes());
    all.extend(crate::oa::mass::routes());
    all.extend(crate::oa::templates::routes());
    all.extend(crate::wecom::contacts::routes());
    all.extend(crate::wecom::messages::routes());
    all.extend(crate::wecom::overview::routes());
    all.extend(crate::wecom::suite::routes());
    all.extend(crate::wecom::suite::managed::routes());
    all.extend(crate::system::routes());
    all.extend(openapi::routes());
    all
}

/// `(method, path)` of every registered API route (for the coverage test).
pub fn registered_api_routes() -> Vec<(&'static str, &'static str)> {
    api_routes()
        .iter()
        .map(|r| (r.method(), r.path()))
        .collect()
}

/// `/api/*`: built from the route declarations; panics if one lacks its access rule or summary,
/// or if two declare the same method and path.
pub fn api_router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    let mut seen = std::collections::HashSet::new();
    for route in api_routes() {
        let (rule, handler) = route.into_parts();
        assert!(
            seen.insert((rule.method, rule.path)),
            "{} {} is declared twice",
            rule.method,
            rule.path
        );
        router = router.route(rule.path, handler);
    }
    let store = DbSessionStore::new(state.db.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(auth::SESSION_COOKIE)
        .with_path("/")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.cookie_secure)
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(CookieDuration::minutes(
            state.settings.session_idle_minutes as i64,
        )));
    router
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            guard::enforce,
        ))
        .layer(sessions)
        .layer(DefaultBodyLimit::max(state.settings.body_limit_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        // API answers are per user and may name accounts: never cache them.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Routes outside sessions and CSRF protection.
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/favicon.ico", get(http::spa::favicon))
        .route("/favicon.svg", get(http::spa::favicon))
        .merge(crate::callback::router())
        .merge(crate::pay::public_router())
        .merge(crate::oa::web::public_router())
        .merge(crate::wecom::suite::public_router())
        .merge(crate::wecom::suite::data_callbacks::router())
}

/// The whole application.
pub fn app_router(state: AppState, extra: Option<Router<AppState>>) -> Router {
    let mut router = public_router().merge(api_router(&state));
    if let Some(extra) = extra {
        router = router.merge(extra);
    }
    let x_request_id = HeaderName::from_static("x-request-id");
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<_>| {
            let request_id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            // The path only: query strings may carry search terms.
            tracing::info_span!("request", request_id, method = %req.method(), path = %req.uri().path())
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    // With secure cookies the portal is served over HTTPS: tell browsers to keep it that way.
    let hsts = state.settings.cookie_secure.then(|| {
        SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        )
    });
    router
        .fallback(spa::fallback)
        .method_not_allowed_fallback(http::method_not_allowed)
        .with_state(state)
        .layer(tower::util::option_layer(hsts))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(
                    x_request_id.clone(),
                    MakeRequestUuid,
                ))
                .layer(trace)
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(middleware::from_fn(http::request_id_scope))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(60),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                )),
        )
}

/// Routes of the built-in WeChat sandbox (the emulator of WeChat's servers under `/sandbox/`),
/// mounted when the server runs with `--sandbox`.
pub fn sandbox_routes(state: &AppState) -> Option<Router<AppState>> {
    state.wechat.sandbox().map(crate::sandbox::router)
}

/// With `--sandbox`: create the demo accounts (first start only) and load every sandbox account
/// into the in-memory emulator.
async fn prepare_sandbox(state: &AppState) -> Result<(), StartupError> {
    let Some(sandbox) = state.wechat.sandbox() else {
        return Ok(());
    };
    let created = crate::sandbox::demo::ensure(state).await?;
    let loaded = crate::sandbox::service::sync_all(state).await?;
    tracing::info!(
        root = %sandbox.root,
        demo_accounts_created = created.len(),
        sandbox_accounts = loaded,
        "sandbox running: the WeChat emulator is mounted under /sandbox/ (for trying the product, not for production)"
    );
    Ok(())
}

/// Connect, migrate, load the master key and hashing parameters.
pub async fn prepare(
    settings: &Settings,
) -> Result<(DatabaseConnection, Vault, Passwords), StartupError> {
    let db = db::connect(&settings.database_url).await?;
    db::migrate(&db).await?;
    tracing::info!(database = %redact_url(&settings.database_url), "database ready");
    let vault = Vault::load(settings.master_key.as_deref(), &settings.data_dir)?;
    check_master_key(&db, &vault, &settings.data_dir).await?;
    let passwords = Passwords::new(settings.password_hashing)?;
    Ok((db, vault, passwords))
}

/// Refuse to start with a master key other than the one the stored secrets were encrypted with.
async fn check_master_key(
    db: &DatabaseConnection,
    vault: &Vault,
    data_dir: &std::path::Path,
) -> Result<(), StartupError> {
    use sea_orm::EntityTrait;
    let Some(row) = crate::entities::account_secret::Entity::find()
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let found = row.ciphertext.split(':').nth(1).unwrap_or("");
    if found != vault.key_id() {
        return Err(StartupError::Other(format!(
            "the stored secrets were encrypted with another master key (key id {found}); this master key has id {}. \
             Set WXPORTAL_MASTER_KEY (or {}/master.key) to the key this database was created with",
            vault.key_id(),
            data_dir.display()
        )));
    }
    Ok(())
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    /// Set when this start created the first admin: print it once, never again.
    pub initial_admin_password: Option<String>,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        Application::build_with(settings, None).await
    }

    /// `extra`: more routes merged into the app; when given, it replaces the built-in sandbox
    /// routes that `--sandbox` would mount.
    pub async fn build_with(
        settings: Settings,
        extra: Option<Router<AppState>>,
    ) -> Result<Application, StartupError> {
        Application::build_inner(settings, extra, None).await
    }

    /// Another instance that joins the sandbox of a running one (`emulator`, from
    /// [`WechatRuntime::emulator_handle`](crate::wechat_clients::WechatRuntime::emulator_handle))
    /// instead of starting its own: several instances on one database then talk to one emulated
    /// WeChat, as they would to the real one (multi-instance tests).
    pub async fn build_joining_sandbox(
        mut settings: Settings,
        emulator: Arc<crate::wechat_clients::Emulator>,
    ) -> Result<Application, StartupError> {
        settings.sandbox = true;
        Application::build_inner(settings, None, Some(emulator)).await
    }

    async fn build_inner(
        settings: Settings,
        extra: Option<Router<AppState>>,
        shared_emulator: Option<Arc<crate::wechat_clients::Emulator>>,
    ) -> Result<Application, StartupError> {
        let (db, vault, passwords) = prepare(&settings).await?;
        let initial_admin_password = staff::service::ensure_initial_admin(&db, &passwords).await?;
        let listener =
            TcpListener::bind(settings.bind)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: settings.bind,
                    source,
                })?;
        let local_addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.bind,
            source,
        })?;
        let sandbox = shared_emulator.or_else(|| {
            settings.sandbox.then(|| {
                let token = settings
                    .sandbox_control_token
                    .clone()
                    .unwrap_or_else(|| crate::auth::passwords::random_alnum(32));
                crate::wechat_clients::Emulator::start(local_addr, &settings.public_url, token)
            })
        });
        let vault = Arc::new(vault);
        let state = AppState {
            wechat: crate::wechat_clients::WechatRuntime::new(db.clone(), vault.clone(), sandbox),
            db,
            settings: Arc::new(settings),
            vault,
            passwords,
            callbacks: Default::default(),
            writer: Default::default(),
            product_pages: Default::default(),
            subscribed_counts: Default::default(),
        };
        let sealed = crate::accounts::service::seal_legacy_tokens(&state).await?;
        if sealed > 0 {
            tracing::info!(
                accounts = sealed,
                "callback Tokens stored in clear were sealed"
            );
        }
        prepare_sandbox(&state).await?;
        // A caller-supplied router (e.g. a test embedding its own emulator under /sandbox)
        // takes the place of the built-in sandbox routes.
        let extra = extra.or_else(|| sandbox_routes(&state));
        let router = app_router(state.clone(), extra);
        Ok(Application {
            listener,
            router,
            state,
            initial_admin_password,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The token the sandbox control API requires (with `--sandbox` only).
    pub fn sandbox_control_token(&self) -> Option<&str> {
        self.state
            .wechat
            .sandbox()
            .map(|emulator| emulator.control_token.as_str())
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serve until SIGINT/SIGTERM, then finish in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let cleanup = tokio::spawn(clean_expired_sessions(DbSessionStore::new(
            self.state.db.clone(),
        )));
        let pay_expiry = tokio::spawn(crate::pay::orders::expiry_loop(self.state.db.clone()));
        let outbound = tokio::spawn(crate::messages::delivery::worker_loop(self.state.clone()));
        let retention = tokio::spawn(crate::callback::retention::retention_loop(
            self.state.clone(),
        ));
        let follower_sync =
            tokio::spawn(crate::oa::followers::sync::resume_loop(self.state.clone()));
        let pay_bills = tokio::spawn(crate::pay::bills::daily_loop(self.state.clone()));
        let mass = tokio::spawn(crate::oa::mass::send::worker_loop(self.state.clone()));
        let wecom_scheduled = tokio::spawn(crate::wecom::messages::scheduled::worker_loop(
            self.state.clone(),
        ));
        let wecom_nightly = tokio::spawn(crate::wecom::contacts::nightly::nightly_loop(
            self.state.clone(),
        ));
        let templates = tokio::spawn(crate::oa::templates::jobs::resume_loop(self.state.clone()));
        let unhandled = tokio::spawn(crate::callback::handling::sweep_loop(self.state.clone()));
        let result = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        cleanup.abort();
        pay_expiry.abort();
        outbound.abort();
        retention.abort();
        follower_sync.abort();
        pay_bills.abort();
        mass.abort();
        wecom_scheduled.abort();
        wecom_nightly.abort();
        templates.abort();
        unhandled.abort();
        tracing::info!("server stopped");
        result
    }
}

async fn clean_expired_sessions(store: DbSessionStore) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(e) = store.delete_expired().await {
            tracing::warn!(error = %e, "expired session cleanup failed");
        }
    }
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called (not when the
/// future is first polled), so call it before announcing that the server is up.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let int = async {
                match interrupt.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let term = async {
                match terminate.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = int => {},
                () = term => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutdown signal received; finishing in-flight requests");
    }
}
