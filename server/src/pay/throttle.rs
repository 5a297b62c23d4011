//! A per-client-IP limit on new orders from the public product page, in bounded memory: a
//! fixed window per IP, at most [`MAX_CLIENTS`] IPs tracked. When the table is full, windows
//! that have ended go first, then the oldest window.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// New orders one client IP may create per [`WINDOW`].
pub const ORDERS_PER_WINDOW: u32 = 10;
pub const WINDOW: Duration = Duration::from_secs(10 * 60);
/// IPs tracked at once.
pub const MAX_CLIENTS: usize = 4096;

/// The limiter of one application (cloned handles share it).
#[derive(Clone)]
pub struct OrderThrottle(Arc<Mutex<Windows>>);

struct Windows {
    limit: u32,
    window: Duration,
    capacity: usize,
    clients: HashMap<String, (Instant, u32)>,
}

impl Default for OrderThrottle {
    fn default() -> Self {
        OrderThrottle::new(ORDERS_PER_WINDOW, WINDOW, MAX_CLIENTS)
    }
}

impl OrderThrottle {
    pub fn new(limit: u32, window: Duration, capacity: usize) -> OrderThrottle {
        OrderThrottle(Arc::new(Mutex::new(Windows {
            limit,
            window,
            capacity: capacity.max(1),
            clients: HashMap::new(),
        })))
    }

    /// Counts one new order for `client` at `now`; `Err(retry_after)` once its window is used up.
    pub fn hit(&self, client: &str, now: Instant) -> Result<(), Duration> {
        // A poisoned lock only means a panic elsewhere; the map is still consistent.
        let mut w = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (window, limit) = (w.window, w.limit);
        if let Some((start, count)) = w.clients.get_mut(client) {
            if now.duration_since(*start) >= window {
                *start = now;
                *count = 0;
            }
            if *count >= limit {
                return Err(window.saturating_sub(now.duration_since(*start)));
            }
            *count += 1;
            return Ok(());
        }
        if w.clients.len() >= w.capacity {
            w.clients
                .retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        if w.clients.len() >= w.capacity {
            let oldest = w
                .clients
                .iter()
                .min_by_key(|(_, (start, _))| *start)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                w.clients.remove(&k);
            }
        }
        if w.limit == 0 {
            return Err(window);
        }
        w.clients.insert(client.to_string(), (now, 1));
        Ok(())
    }

    /// IPs tracked now.
    pub fn tracked(&self) -> usize {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clients
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_quota_per_window_and_no_more() {
        let t = OrderThrottle::new(2, Duration::from_secs(60), 10);
        let t0 = Instant::now();
        assert!(t.hit("a", t0).is_ok());
        assert!(t.hit("a", t0).is_ok());
        assert_eq!(t.hit("a", t0), Err(Duration::from_secs(60)));
        assert!(t.hit("b", t0).is_ok(), "per client");
        assert!(
            t.hit("a", t0 + Duration::from_secs(60)).is_ok(),
            "a new window"
        );
    }

    #[test]
    fn memory_stays_bounded() {
        let t = OrderThrottle::new(1, Duration::from_secs(60), 3);
        let t0 = Instant::now();
        for i in 0..100u64 {
            assert!(
                t.hit(&format!("10.0.0.{i}"), t0 + Duration::from_millis(i))
                    .is_ok()
            );
            assert!(t.tracked() <= 3);
        }
        // The newest clients are the ones still tracked.
        assert!(t.hit("10.0.0.99", t0 + Duration::from_secs(1)).is_err());
    }
}
