//! The (timestamp, nonce) replay window kept in memory, per instance.
//!
//! In safe and compatible mode and for WeCom, the signature (`msg_signature`) covers the
//! encrypted body, so a captured signature cannot carry another body: a replay of the same body
//! is a de-duplication hit, and this window is defence in depth, per instance. Plain mode signs
//! only the Token, timestamp and nonce: there a captured signature could carry forged content,
//! so plain pushes still go through the `callback_nonces` table and its unique key, which every
//! instance shares ([`super::pipeline`]).
//!
//! Two generations of a map: a pair is remembered for at least one span (twice the timestamp
//! window, at least a minute) and at most two; a generation holding [`MAX_PER_GENERATION`]
//! pairs is retired early, so a flood cannot grow the memory without bound.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// The most pairs one generation holds (about 100 bytes each).
const MAX_PER_GENERATION: usize = 200_000;

/// What the window says of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Never seen (now remembered).
    New,
    /// Seen with the very same body: a retry, which de-duplication answers.
    SameBody,
    /// Seen with another body: a replayed signature.
    OtherBody,
}

type Key = (i64, [u8; 32]);

struct Generations {
    current: HashMap<Key, [u8; 32]>,
    previous: HashMap<Key, [u8; 32]>,
    started: Instant,
}

/// One per instance (in [`crate::state::AppState`]).
#[derive(Clone)]
pub struct NonceWindow {
    inner: Arc<Mutex<Generations>>,
}

impl Default for NonceWindow {
    fn default() -> NonceWindow {
        NonceWindow {
            inner: Arc::new(Mutex::new(Generations {
                current: HashMap::new(),
                previous: HashMap::new(),
                started: Instant::now(),
            })),
        }
    }
}

impl NonceWindow {
    /// Looks the pair up and remembers it. `window_secs`: the timestamp window (0: none).
    pub fn check(
        &self,
        account_id: i64,
        nonce_key: [u8; 32],
        body_hash: [u8; 32],
        window_secs: i64,
    ) -> Seen {
        let span = Duration::from_secs(u64::try_from(window_secs.max(30)).unwrap_or(30) * 2);
        let mut g = self.inner.lock().expect("nonce window lock");
        if g.started.elapsed() >= span || g.current.len() >= MAX_PER_GENERATION {
            g.previous = std::mem::take(&mut g.current);
            g.started = Instant::now();
        }
        let key = (account_id, nonce_key);
        let seen = g
            .current
            .get(&key)
            .or_else(|| g.previous.get(&key))
            .copied();
        match seen {
            Some(h) if h == body_hash => Seen::SameBody,
            Some(_) => Seen::OtherBody,
            None => {
                g.current.insert(key, body_hash);
                Seen::New
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_is_new_once_then_a_retry_or_a_replay() {
        let w = NonceWindow::default();
        assert_eq!(w.check(1, [1; 32], [7; 32], 300), Seen::New);
        assert_eq!(w.check(1, [1; 32], [7; 32], 300), Seen::SameBody);
        assert_eq!(w.check(1, [1; 32], [8; 32], 300), Seen::OtherBody);
        // Per account.
        assert_eq!(w.check(2, [1; 32], [8; 32], 300), Seen::New);
    }

    #[test]
    fn a_retired_generation_is_still_consulted() {
        let w = NonceWindow::default();
        assert_eq!(w.check(1, [1; 32], [7; 32], 300), Seen::New);
        {
            let mut g = w.inner.lock().unwrap();
            g.previous = std::mem::take(&mut g.current);
        }
        assert_eq!(w.check(1, [1; 32], [8; 32], 300), Seen::OtherBody);
    }
}
