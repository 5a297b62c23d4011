//! Rendered public product pages, kept per instance (`AppState::product_pages`) so that a burst
//! of views of one product costs no database read at all, instead of the product and merchant
//! rows, the merchant's decrypted API key, the mode-1 code's signature and the rendering.
//!
//! How stale a page can be:
//! - For [`FRESH`] after the product row was last read, a view is answered from memory alone.
//!   An edit made on this instance forgets the product's pages at once ([`PageCache::forget`]);
//!   an edit made on another instance shows here within [`FRESH`]. Browsers and shared caches
//!   are already allowed to keep the page far longer ([`super::pages::PRODUCT_PAGE_CACHE`]).
//! - After that, a view reads the product row and reuses the page only while the row's
//!   `updated_at` is the one it was rendered from.
//! - What the page shows of the merchant (its name, the code signed with its key) is reused for
//!   at most [`TTL`].
//!
//! Each page keeps its gzip beside it, made once on the first view that accepts gzip, so a
//! phone's view does not compress the same page again.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
    time::{Duration, Instant},
};

use axum::body::Bytes;
use time::OffsetDateTime;

use super::pages::PageLang;
use crate::http::compress::gzip_bytes;

/// How long a rendered page is reused at most.
pub const TTL: Duration = Duration::from_secs(30);
/// How long after the product row was read a view is answered without reading it again.
pub const FRESH: Duration = Duration::from_secs(1);
/// Entries kept at most; past it, expired ones are dropped, then everything if still full.
const CAPACITY: usize = 4096;

type Key = (i64, i64, PageLang);

/// One rendered page: its HTML and, once asked for, its gzip.
pub struct Page {
    pub html: Bytes,
    gzip: OnceLock<Option<Bytes>>,
}

impl Page {
    fn new(html: Bytes) -> Self {
        Page {
            html,
            gzip: OnceLock::new(),
        }
    }

    /// The page gzipped (compressed on first use), or `None` if compression failed.
    pub fn gzip(&self) -> Option<Bytes> {
        self.gzip
            .get_or_init(|| gzip_bytes(&self.html, flate2::Compression::default()).map(Bytes::from))
            .clone()
    }
}

struct Entry {
    rendered: Instant,
    /// When the product row was last read and found unchanged.
    checked: Instant,
    product_updated: OffsetDateTime,
    page: Arc<Page>,
}

#[derive(Clone, Default)]
pub struct PageCache(Arc<Mutex<HashMap<Key, Entry>>>);

impl PageCache {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Entry>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The page of `(merchant, product, lang)` if its product row was read less than [`FRESH`]
    /// ago: no need to read it again.
    pub fn fresh(&self, merchant: i64, product: i64, lang: PageLang) -> Option<Arc<Page>> {
        self.fresh_at(merchant, product, lang, Instant::now())
    }

    fn fresh_at(
        &self,
        merchant: i64,
        product: i64,
        lang: PageLang,
        now: Instant,
    ) -> Option<Arc<Page>> {
        self.map()
            .get(&(merchant, product, lang))
            .filter(|e| {
                now.saturating_duration_since(e.checked) < FRESH
                    && now.saturating_duration_since(e.rendered) < TTL
            })
            .map(|e| e.page.clone())
    }

    /// The page of `(merchant, product, lang)` if it was rendered from the product as of
    /// `product_updated` less than [`TTL`] ago; the read that gave `product_updated` starts a
    /// new [`FRESH`] window.
    pub fn get(
        &self,
        merchant: i64,
        product: i64,
        lang: PageLang,
        product_updated: OffsetDateTime,
    ) -> Option<Arc<Page>> {
        let now = Instant::now();
        let mut map = self.map();
        let e = map
            .get_mut(&(merchant, product, lang))
            .filter(|e| e.product_updated == product_updated && e.rendered.elapsed() < TTL)?;
        e.checked = now;
        Some(e.page.clone())
    }

    pub fn put(
        &self,
        merchant: i64,
        product: i64,
        lang: PageLang,
        product_updated: OffsetDateTime,
        html: Bytes,
    ) -> Arc<Page> {
        let page = Arc::new(Page::new(html));
        let now = Instant::now();
        let mut map = self.map();
        if map.len() >= CAPACITY {
            map.retain(|_, e| e.rendered.elapsed() < TTL);
            if map.len() >= CAPACITY {
                map.clear();
            }
        }
        map.insert(
            (merchant, product, lang),
            Entry {
                rendered: now,
                checked: now,
                product_updated,
                page: page.clone(),
            },
        );
        page
    }

    /// Drops every page of `product` (it was edited or deleted on this instance).
    pub fn forget(&self, product: i64) {
        self.map().retain(|(_, p, _), _| *p != product);
    }

    /// Drops every page of `merchant` (its name, keys or products changed on this instance).
    pub fn forget_merchant(&self, merchant: i64) {
        self.map().retain(|(m, _, _), _| *m != merchant);
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
            c.get(1, 2, PageLang::Zh, v1).map(|p| p.html.clone()),
            Some(Bytes::from_static(b"<p>v1</p>"))
        );
        assert!(c.get(1, 2, PageLang::Zh, v2).is_none());
        assert!(c.get(1, 2, PageLang::En, v1).is_none());
        assert!(c.get(9, 2, PageLang::Zh, v1).is_none());
    }

    #[test]
    fn a_page_is_served_without_a_read_only_within_the_fresh_window() {
        let c = PageCache::default();
        let v1 = OffsetDateTime::UNIX_EPOCH;
        c.put(1, 2, PageLang::Zh, v1, Bytes::from_static(b"<p>v1</p>"));
        let now = Instant::now();
        assert!(c.fresh_at(1, 2, PageLang::Zh, now).is_some());
        assert!(c.fresh_at(1, 2, PageLang::En, now).is_none());
        assert!(c.fresh_at(1, 2, PageLang::Zh, now + FRESH).is_none());
    }

    #[test]
    fn forgetting_a_product_or_merchant_drops_its_pages_at_once() {
        let c = PageCache::default();
        let v1 = OffsetDateTime::UNIX_EPOCH;
        c.put(1, 2, PageLang::Zh, v1, Bytes::from_static(b"a"));
        c.put(1, 2, PageLang::En, v1, Bytes::from_static(b"b"));
        c.put(1, 3, PageLang::Zh, v1, Bytes::from_static(b"c"));
        c.put(4, 5, PageLang::Zh, v1, Bytes::from_static(b"d"));
        c.forget(2);
        assert!(c.fresh(1, 2, PageLang::Zh).is_none());
        assert!(c.fresh(1, 2, PageLang::En).is_none());
        assert!(c.fresh(1, 3, PageLang::Zh).is_some());
        c.forget_merchant(1);
        assert!(c.fresh(1, 3, PageLang::Zh).is_none());
        assert!(c.fresh(4, 5, PageLang::Zh).is_some());
    }

    #[test]
    fn the_gzip_of_a_page_unzips_to_its_html() {
        let page = Page::new(Bytes::from("<p>页面</p>".repeat(100)));
        let gz = page.gzip().expect("gzip");
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .expect("gunzip");
        assert_eq!(out.as_bytes(), &page.html[..]);
    }
}
