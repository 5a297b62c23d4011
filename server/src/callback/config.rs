//! Each account's callback configuration (kind, message mode, Token, EncodingAESKey, receive
//! id) and its reply rules, kept in memory per instance.
//!
//! Every edit that can change what a callback sees — an account's settings, its sealed secrets,
//! a reply rule (of the account or global) — bumps one shared counter, `config_epochs.epoch`,
//! in the edit's own transaction ([`bump`]). A callback reads that counter (one primary-key
//! read) and uses a cached entry only when it was loaded under the same epoch, else loads it
//! again. So an edit made on one instance applies on every instance from the next callback on
//! (the bound stays zero), and a callback no longer loads the account, two secrets and the
//! rules. Secrets stay sealed at rest; the opened keys live only in this map (never logged).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use api::{
    accounts::{AccountKind, MessageMode},
    replies::ReplyRule,
};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait,
    sea_query::{Expr, ExprTrait},
};
use tokio::sync::{mpsc, oneshot};
use wechat::{crypto::MsgCrypt, types::EncodingAesKey};

use crate::{
    accounts::service::{Stored, reveal_secret},
    entities::config_epoch,
    error::{AppError, AppResult},
    lazy_task::LazyTask,
    replies::{matching::Candidate, service as rules},
    state::AppState,
};

/// Which endpoint kind an account is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Oa(MessageMode),
    Work,
    /// A WeCom suite's instruction URL (suite_ticket, auth changes, change_contact).
    Suite,
}

/// The account's callback configuration.
pub struct Account {
    pub kind: Kind,
    pub token: String,
    pub crypt: MsgCrypt,
    pub has_key: bool,
}

/// The account's reply rules (its own and the global ones, in matching order), parsed once.
pub struct RuleSet {
    pub rules: Vec<ReplyRule>,
    pub candidates: Vec<Candidate>,
    /// Whether any enabled rule has a tag condition (only then is the follower's tag list read).
    pub uses_tags: bool,
}

impl RuleSet {
    fn new(rules: Vec<ReplyRule>) -> RuleSet {
        let candidates = rules.iter().map(rules::candidate).collect();
        let uses_tags = rules
            .iter()
            .any(|r| r.enabled && r.conditions.tag_id.is_some());
        RuleSet {
            rules,
            candidates,
            uses_tags,
        }
    }
}

/// What a callback needs of one account.
pub struct Config {
    /// `None`: no such account, or one without a callback URL (a pay merchant).
    pub account: Option<Account>,
    pub rules: RuleSet,
}

struct Entry {
    epoch: i64,
    config: Arc<Config>,
}

/// The per-instance cache (in [`super::Memory`]).
#[derive(Default, Clone)]
pub struct CallbackCache {
    entries: Arc<Mutex<HashMap<i64, Entry>>>,
    epochs: EpochReads,
}

type EpochAnswer = oneshot::Sender<Result<Option<i64>, String>>;

/// The epoch reads of concurrent callbacks, shared: one task reads the epoch for every
/// callback that asked before that read began, so a burst costs a read per round instead of
/// one each (each read through the pool is several hand-offs to the driver's thread). A
/// callback never gets a read that began before it asked, so an edit committed before a
/// callback arrives is always seen by it.
#[derive(Default, Clone)]
struct EpochReads(LazyTask<EpochAnswer>);

impl EpochReads {
    async fn read(&self, db: &DatabaseConnection) -> AppResult<Option<i64>> {
        let (answer, answered) = oneshot::channel();
        let stopped = || AppError::internal("the epoch reader has stopped");
        let db = db.clone();
        self.0
            .send(answer, 1024, |asked| epoch_reader(db, asked))
            .await
            .map_err(|_| stopped())?;
        answered
            .await
            .map_err(|_| stopped())?
            .map_err(AppError::internal)
    }
}

async fn epoch_reader(db: DatabaseConnection, mut asked: mpsc::Receiver<EpochAnswer>) {
    let mut waiting = Vec::new();
    // Whoever queued while the last read ran is answered by the next one, begun after they asked.
    while asked.recv_many(&mut waiting, 1024).await > 0 {
        let epoch = config_epoch::Entity::find_by_id(1)
            .one(&db)
            .await
            .map(|m| m.map(|m| m.epoch))
            .map_err(|e| e.to_string());
        for answer in waiting.drain(..) {
            let _ = answer.send(epoch.clone());
        }
    }
}

/// Adds one to the shared epoch: call it in the transaction of every edit of an account, its
/// secrets or a reply rule, so every instance's cache drops what it holds at its next callback.
pub async fn bump<C: ConnectionTrait>(db: &C) -> AppResult<()> {
    config_epoch::Entity::update_many()
        .col_expr(
            config_epoch::Column::Epoch,
            Expr::col(config_epoch::Column::Epoch).add(1),
        )
        .exec(db)
        .await?;
    Ok(())
}

async fn current_epoch(state: &AppState) -> AppResult<Option<i64>> {
    state.callbacks.config.epochs.read(&state.db).await
}

/// The account's configuration: from the cache when nothing was edited since it was loaded
/// (on any instance), else loaded and kept.
pub async fn get(state: &AppState, id: i64) -> AppResult<Arc<Config>> {
    let epoch = current_epoch(state).await?;
    if let Some(epoch) = epoch {
        let entries = state.callbacks.config.entries.lock().expect("cache lock");
        if let Some(e) = entries.get(&id).filter(|e| e.epoch == epoch) {
            return Ok(e.config.clone());
        }
    }
    // Loaded after the epoch was read: at least as new as that epoch says.
    let config = Arc::new(load(state, id).await?);
    if let Some(epoch) = epoch {
        let mut entries = state.callbacks.config.entries.lock().expect("cache lock");
        // A slower load under an older epoch never replaces a newer one.
        if entries.get(&id).is_none_or(|e| e.epoch <= epoch) {
            entries.insert(
                id,
                Entry {
                    epoch,
                    config: config.clone(),
                },
            );
        }
    }
    Ok(config)
}

async fn load(state: &AppState, id: i64) -> AppResult<Config> {
    let rules = rules::list(&state.db, id).await?;
    Ok(Config {
        account: load_account(state, id).await?,
        rules: RuleSet::new(rules),
    })
}

async fn load_account(state: &AppState, id: i64) -> AppResult<Option<Account>> {
    let Some(m) = crate::accounts::queries::find(&state.db, id).await? else {
        return Ok(None);
    };
    let stored: Stored = serde_json::from_str(&m.settings).unwrap_or_default();
    let (kind, receive_id) = match *m.kind {
        AccountKind::OfficialAccount => (
            Kind::Oa(stored.message_mode.unwrap_or_default()),
            stored.app_id.clone().unwrap_or_default(),
        ),
        AccountKind::WorkApp => (Kind::Work, stored.corp_id.clone().unwrap_or_default()),
        AccountKind::WorkSuite => (Kind::Suite, stored.suite_id.clone().unwrap_or_default()),
        AccountKind::PayMerchant => return Ok(None),
    };
    // A managed suite corp (`wecom::suite::managed`) receives the suite's data callbacks:
    // the suite's Token and EncodingAESKey, receive id = the corp's CorpID.
    let secrets_of = stored.suite_corp.map_or(id, |l| l.suite_account_id);
    // Sealed since 2026-12; a value still in the settings predates `seal_legacy_tokens`.
    let token = match reveal_secret(state, secrets_of, "token").await? {
        Some(t) => t,
        None => stored.token.clone().unwrap_or_default(),
    };
    let key = reveal_secret(state, secrets_of, "encoding_aes_key")
        .await?
        .and_then(|k| EncodingAesKey::new(&k).ok());
    let has_key = key.is_some();
    // Without a key only plain-mode verification is possible; a random key makes every
    // decryption fail, which the pipeline reports before trying.
    let key = key.unwrap_or_else(EncodingAesKey::random);
    Ok(Some(Account {
        kind,
        crypt: MsgCrypt::new(token.clone(), &key, receive_id),
        token,
        has_key,
    }))
}
