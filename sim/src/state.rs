//! The emulator's shared state: one [`Sim`] behind an `Arc`, holding the clock, the in-memory
//! world (apps, followers, tokens, faults, deliveries) and the HTTP client used for callbacks.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::callback::Delivery;
use crate::clock::Clock;
use crate::fault::{FaultHit, Faults};
use crate::oa::model::{OaApp, QrTicket};
use crate::pay::model::PayState;
use crate::token::Tokens;

/// Tunables.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimConfig {
    /// How long WeChat waits for a callback answer (5 s).
    #[serde(default = "default_timeout_ms")]
    pub callback_timeout_ms: u64,
    /// How many times a failed callback is retried (3).
    #[serde(default = "default_retries")]
    pub callback_retries: u32,
    /// Deliveries kept in memory (oldest dropped first).
    #[serde(default = "default_keep")]
    pub max_deliveries: usize,
}

fn default_timeout_ms() -> u64 {
    5000
}
fn default_retries() -> u32 {
    3
}
fn default_keep() -> usize {
    10_000
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            callback_timeout_ms: default_timeout_ms(),
            callback_retries: default_retries(),
            max_deliveries: default_keep(),
        }
    }
}

/// The in-memory world.
#[derive(Debug, Default)]
pub struct State {
    /// Every issued token.
    pub tokens: Tokens,
    /// Installed faults.
    pub faults: Faults,
    /// Official Accounts by appid.
    pub oa: BTreeMap<String, OaApp>,
    /// QR code tickets (any OA).
    pub qrcodes: HashMap<String, QrTicket>,
    /// Callback deliveries, oldest first.
    pub deliveries: Vec<Delivery>,
    /// Pay v2 merchants and orders.
    pub pay: PayState,
    /// WeCom corps by corpid.
    pub work: BTreeMap<String, crate::work::model::Corp>,
    /// WeCom suites by suite id.
    pub suites: BTreeMap<String, crate::suite::model::Suite>,
    /// `change_contact` events waiting to be pushed: (corpid, plaintext XML).
    pub work_outbox: Vec<(String, String)>,
    /// Time-driven jobs waiting for the emulated clock.
    pub jobs: Vec<crate::sched::Scheduled>,
    /// Images on WeChat's image host (`mmbiz.qpic.cn`) by path: `uploadimg` and permanent
    /// image materials, as (content type, bytes).
    pub images: HashMap<String, (String, Arc<Vec<u8>>)>,
    /// A counter for ids (deliveries, menus, messages …).
    pub next_id: u64,
}

impl State {
    /// A fresh id.
    pub fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Schedules `job` at emulated unix second `due`.
    pub fn schedule(&mut self, due: i64, job: crate::sched::Job) {
        self.jobs.push(crate::sched::Scheduled { due, job });
    }
}

/// The emulator. Cheap to share: `Arc<Sim>`.
pub struct Sim {
    /// The emulated clock.
    pub clock: Clock,
    state: Mutex<State>,
    config: Mutex<SimConfig>,
    pub(crate) http: reqwest::Client,
    pub(crate) wake: Arc<tokio::sync::Notify>,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("now", &self.clock.now())
            .finish_non_exhaustive()
    }
}

impl Sim {
    /// A new, empty emulator. Must be called inside a Tokio runtime: it starts the scheduler
    /// that fires time-driven events (pay notify retries, suite tickets, publish jobs …).
    pub fn new(config: SimConfig) -> Arc<Sim> {
        let sim = Arc::new(Sim {
            clock: Clock::new(),
            state: Mutex::new(State {
                next_id: 1000,
                ..State::default()
            }),
            config: Mutex::new(config),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("building the HTTP client"),
            wake: Arc::new(tokio::sync::Notify::new()),
        });
        crate::sched::start(&sim);
        sim
    }

    /// Runs `f` with the state locked. Never hold the lock across an `.await`.
    pub fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.lock())
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Emulated now (unix seconds).
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Current tunables.
    pub fn config(&self) -> SimConfig {
        self.config
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the tunables.
    pub fn set_config(&self, c: SimConfig) {
        *self.config.lock().unwrap_or_else(|e| e.into_inner()) = c;
    }

    /// Advances the emulated clock and runs whatever became due.
    pub fn advance(&self, seconds: i64) {
        self.clock.advance_ms(seconds.saturating_mul(1000));
        self.wake.notify_one();
    }

    /// Forgets all state (apps, tokens, faults, deliveries); keeps the clock and tunables.
    pub fn reset(&self) {
        *self.lock() = State {
            next_id: 1000,
            ..State::default()
        };
    }

    /// Evaluates faults for a request to `target` at `path`, sleeping for injected latency.
    pub(crate) async fn faults(&self, target: &str, path: &str) -> FaultHit {
        let hit = self.with(|s| s.faults.check(target, path));
        if !hit.latency.is_zero() {
            tokio::time::sleep(hit.latency.min(Duration::from_secs(60))).await;
        }
        hit
    }

    pub(crate) fn record_delivery(&self, d: Delivery) {
        let keep = self.config().max_deliveries.max(1);
        self.with(|s| {
            s.deliveries.push(d);
            let n = s.deliveries.len();
            if n > keep {
                s.deliveries.drain(..n - keep);
            }
        });
    }
}
