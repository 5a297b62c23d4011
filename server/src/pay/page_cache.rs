//! Rendered public product pages, kept per instance (an axum `Extension` of the public pay
//! routes) so that a burst of views of one product costs one primary-key read each instead of
//! the merchant's row, its decrypted API key, the mode-1 code's signature and the rendering.
//!
//! Each view still reads the product row: a page is reused only while the product's
//! `updated_at` is the one it was rendered from, so an edit or a deactivation shows at once on
//! every instance. What the page shows of the merchant (its name, the code signed with its key)
//! is reused for at most [`TTL`], less than the `max-age` the page already allows shared caches
//! ([`super::pages::PRODUCT_PAGE_CACHE`]).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::body::Bytes;
use time::OffsetDateTime;

use super::pages::PageLang;

/// How long a rendered page is reused at most.
pub const TTL: Duration = Duration::from_secs(30);
/// Entries kept at most; past it, expired ones are dropped, then everything if still full.
const CAPACITY: usize = 4096;

type Key = (i64, i64, PageLang);

struct Entry {
    rendered: Instant,
    product_updated: OffsetDateTime,
    html: Bytes,
}

#[derive(Clone, Default)]
pub struct PageCache(Arc<Mutex<HashMap<Key, Entry>>>);

impl PageCache {
    /// The page of `(merchant, product, lang)` if it was rendered from the product as of
    /// `product_updated` less than [`TTL`] ago.
    pub fn get(
        &self,
        merchant: i64,
        product: i64,
        lang: PageLang,
        product_updated: OffsetDateTime,
    ) -> Option<Bytes> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&(merchant, product, lang))
            .filter(|e| e.product_updated == product_updated && e.rendered.elapsed() < TTL)
            .map(|e| e.html.clone())
    }

    pub fn put(
        &self,
        merchant: i64,
        product: i64,
        lang: PageLang,
        product_updated: OffsetDateTime,
        html: Bytes,
    ) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= CAPACITY {
            map.retain(|_, e| e.rendered.elapsed() < TTL);
            if map.len() >= CAPACITY {
                map.clear();
            }
        }
        map.insert(
            (merchant, product, lang),
            Entry {
                rendered: Instant::now(),
                product_updated,
                html,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_reused_only_for_the_same_product_version() {
        let c = PageCache::default();
        let v1 = OffsetDateTime::UNIX_EPOCH;
        let v2 = v1 + time::Duration::SECOND;
        c.put(1, 2, PageLang::Zh, v1, Bytes::from_static(b"<p>v1</p>"));
        assert_eq!(
            c.get(1, 2, PageLang::Zh, v1).as_deref(),
            Some(&b"<p>v1</p>"[..])
        );
        assert_eq!(c.get(1, 2, PageLang::Zh, v2), None);
        assert_eq!(c.get(1, 2, PageLang::En, v1), None);
        assert_eq!(c.get(9, 2, PageLang::Zh, v1), None);
    }
}
