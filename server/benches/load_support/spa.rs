//! The SPA scenario of `cargo xtask bench`: what a first visit to the admin console downloads,
//! measured over HTTP from the portal as built (the `dist/` it embeds): `index.html`, then every
//! asset it references (`/boot.js`, `/style.css`, and the preloaded `/wxportal.js` and
//! `/wxportal_bg.wasm`), each asked for as a browser with brotli would, as one with gzip only,
//! and as a client without either. The sizes are the bytes on the wire (bodies as sent).

use serde_json::{Value, json};

/// The issue's goal for the compressed first visit.
pub const TARGET_BYTES: usize = 500_000;

pub struct SpaDownload {
    /// (path, brotli-capable, gzip-only, identity) bytes per file, `index.html` first.
    pub files: Vec<(String, usize, usize, usize)>,
}

impl SpaDownload {
    fn total(&self, pick: impl Fn(&(String, usize, usize, usize)) -> usize) -> usize {
        self.files.iter().map(pick).sum()
    }

    pub fn json(&self) -> Value {
        json!({
            "brotli_bytes": self.total(|f| f.1),
            "gzip_bytes": self.total(|f| f.2),
            "identity_bytes": self.total(|f| f.3),
            "target_bytes": TARGET_BYTES,
            "files": self.files.iter().map(|(path, br, gz, id)| json!({
                "path": path, "brotli": br, "gzip": gz, "identity": id,
            })).collect::<Vec<_>>(),
        })
    }
}

pub async fn measure(base: &str) -> SpaDownload {
    // reqwest is built without decompression here: the body is what went over the wire.
    let client = reqwest::Client::new();
    let get = |path: String, accept: Option<&'static str>| {
        let client = client.clone();
        let url = format!("{base}{path}");
        async move {
            let mut req = client.get(&url);
            if let Some(ae) = accept {
                req = req.header(reqwest::header::ACCEPT_ENCODING, ae);
            }
            let res = req.send().await.expect("SPA request");
            assert!(res.status().is_success(), "{url}: {}", res.status());
            res.bytes().await.expect("SPA body")
        }
    };
    let index = get("/".into(), Some("br, gzip")).await;
    let html = String::from_utf8_lossy(&index).into_owned();
    let mut files = vec![(
        "/ (index.html)".to_string(),
        index.len(),
        index.len(),
        index.len(),
    )];
    for path in referenced_paths(&html) {
        let br = get(path.clone(), Some("gzip, deflate, br")).await.len();
        let gz = get(path.clone(), Some("gzip, deflate")).await.len();
        let id = get(path.clone(), None).await.len();
        files.push((path, br, gz, id));
    }
    SpaDownload { files }
}

/// The portal's own `href="/…"` and `src="/…"` URLs in `index.html` (the favicon is a data: URL).
fn referenced_paths(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"/", "src=\"/"] {
        for (i, _) in html.match_indices(attr) {
            let start = i + attr.len() - 1;
            if let Some(end) = html[start..].find('"') {
                out.push(html[start..start + end].to_string());
            }
        }
    }
    out
}

pub fn report(d: &SpaDownload) {
    let kb = |b: usize| b as f64 / 1000.0;
    eprintln!();
    eprintln!(
        "{:<44} {:>10} {:>10} {:>10}",
        "SPA first visit (bytes on the wire)", "brotli KB", "gzip KB", "plain KB"
    );
    for (path, br, gz, id) in &d.files {
        let name = path.split('?').next().unwrap_or(path);
        eprintln!(
            "{name:<44} {:>10.1} {:>10.1} {:>10.1}",
            kb(*br),
            kb(*gz),
            kb(*id)
        );
    }
    let br = d.total(|f| f.1);
    eprintln!(
        "{:<44} {:>10.1} {:>10.1} {:>10.1}",
        "total",
        kb(br),
        kb(d.total(|f| f.2)),
        kb(d.total(|f| f.3))
    );
    eprintln!(
        "  goal: ≤ {:.0} KB compressed: {} ({:.1} KB with brotli)",
        kb(TARGET_BYTES),
        if br <= TARGET_BYTES { "met" } else { "NOT met" },
        kb(br)
    );
}
