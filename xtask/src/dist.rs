//! Building the SPA into `dist/` and the server that embeds it.
//!
//! No tool is downloaded: wasm-bindgen runs as a library (`wasm-bindgen-cli-support`) pinned to the
//! same version as the frontend's `wasm-bindgen`, so the glue always matches the compiled wasm.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::process::{self, cargo};
use crate::shrink::{self, Sizes, WasmOpt};

/// The assets written with `.br` and `.gz` copies beside them (`index.html` and `boot.js` are a
/// few hundred bytes).
const PRECOMPRESSED: [&str; 3] = ["wxportal_bg.wasm", "wxportal.js", "style.css"];

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const FRONTEND_PACKAGE: &str = "wxportal-frontend";
const WASM_PROFILE: &str = "wasm-release";

pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Builds `dist/`: `index.html`, `wxportal.js`, `wxportal_bg.wasm`, `style.css`.
pub fn build_dist(root: &Path) -> Result<()> {
    ensure_wasm_target()?;
    check_bindgen_versions(root)?;

    process::run(cargo().args([
        "build",
        "--package",
        FRONTEND_PACKAGE,
        "--target",
        WASM_TARGET,
        "--profile",
        WASM_PROFILE,
    ]))?;

    let wasm = target_dir(root)
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join("wxportal_frontend.wasm");
    let dist = root.join("dist");
    fs::create_dir_all(&dist).with_context(|| format!("creating {}", dist.display()))?;

    eprintln!("xtask: wasm-bindgen {} → dist/", wasm.display());
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name("wxportal")
        .web(true)?
        .typescript(false)
        .remove_producers_section(true)
        .remove_name_section(true)
        .generate(&dist)
        .context("wasm-bindgen failed")?;

    // Opt-in: measured on this SPA (docs/ARCHITECTURE.md), wasm-opt's output compresses worse
    // than wasm-bindgen's and is never kept, while it costs minutes on a 2-core machine.
    let try_wasm_opt = std::env::var_os("WXPORTAL_WASM_OPT").is_some_and(|v| v == "1");
    let outcome = if try_wasm_opt {
        shrink::optimise_wasm(&dist.join("wxportal_bg.wasm"))
    } else {
        WasmOpt::Skipped
    };
    match outcome {
        WasmOpt::Skipped => eprintln!(
            "xtask: note: wasm-opt not tried (set WXPORTAL_WASM_OPT=1 to try it; its output has \
             so far compressed worse than wasm-bindgen's)"
        ),
        WasmOpt::Applied { before, after } => eprintln!(
            "xtask: wasm-opt -Oz applied: {} KiB → {} KiB with brotli",
            before / 1024,
            after / 1024
        ),
        WasmOpt::NoGain { before, after } => eprintln!(
            "xtask: note: wasm-opt -Oz output compresses worse ({} KiB → {} KiB with brotli); \
             dist/ keeps wasm-bindgen's wasm",
            before / 1024,
            after / 1024
        ),
        WasmOpt::NotInstalled => eprintln!(
            "xtask: note: wasm-opt is not installed (Debian: apt-get install binaryen); \
             dist/ gets wasm-bindgen's unoptimised wasm, which works but is larger"
        ),
        WasmOpt::Failed(why) => eprintln!(
            "xtask: WARNING: wasm-opt failed ({why}); dist/ keeps wasm-bindgen's unoptimised \
             wasm, which works but is larger"
        ),
    }

    let css = concat_styles(&root.join("style"))?;
    fs::write(dist.join("style.css"), &css)?;

    let wasm_bytes = fs::read(dist.join("wxportal_bg.wasm"))?;
    let js_bytes = fs::read(dist.join("wxportal.js"))?;
    let version = format!(
        "{:016x}",
        fnv1a(&[&wasm_bytes[..], &js_bytes[..], css.as_bytes()].concat())
    );
    // The bootstrap is a file, not an inline script, so the page's Content-Security-Policy can
    // forbid inline scripts (`script-src 'self'`).
    fs::write(dist.join("boot.js"), boot_js(&version))?;
    let index = index_html(&version);
    fs::write(dist.join("index.html"), &index)?;

    // What a first visit downloads: index.html and boot.js as they are, the rest precompressed.
    let mut first_visit = Sizes {
        raw: index.len() + boot_js(&version).len(),
        br: index.len() + boot_js(&version).len(),
        gz: index.len() + boot_js(&version).len(),
    };
    for name in PRECOMPRESSED {
        let s = shrink::precompress(&dist.join(name))?;
        eprintln!(
            "xtask: {name}: {} KiB, brotli {} KiB, gzip {} KiB",
            s.raw / 1024,
            s.br / 1024,
            s.gz / 1024
        );
        first_visit.raw += s.raw;
        first_visit.br += s.br;
        first_visit.gz += s.gz;
    }
    eprintln!(
        "xtask: dist/ ready (version {version}); first visit downloads {} KB with brotli, \
         {} KB with gzip, {} KB uncompressed",
        first_visit.br / 1000,
        first_visit.gz / 1000,
        first_visit.raw / 1000
    );
    Ok(())
}

/// Builds the `wxportal` binary, which embeds `dist/`.
pub fn build_server(release: bool) -> Result<()> {
    let mut cmd = cargo();
    cmd.args(["build", "--package", "wxportal", "--bin", "wxportal"]);
    if release {
        cmd.arg("--release");
    }
    process::run(&mut cmd)
}

fn ensure_wasm_target() -> Result<()> {
    let sysroot = process::output(Command::new("rustc").args(["--print", "sysroot"]))?;
    let installed = Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .exists();
    if installed {
        return Ok(());
    }
    eprintln!("xtask: the {WASM_TARGET} target is missing; adding it with rustup");
    process::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
        .context("could not add the wasm target (is rustup installed?)")
}

/// The frontend's `wasm-bindgen` and our `wasm-bindgen-cli-support` must be the same version,
/// or the generated JS glue would not match the wasm.
fn check_bindgen_versions(root: &Path) -> Result<()> {
    let lock = fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let runtime = locked_versions(&lock, "wasm-bindgen");
    let cli = locked_versions(&lock, "wasm-bindgen-cli-support");
    match (runtime.as_slice(), cli.as_slice()) {
        ([r], [c]) if r == c => Ok(()),
        _ => bail!(
            "wasm-bindgen {runtime:?} and wasm-bindgen-cli-support {cli:?} differ in Cargo.lock; \
             pin both to the same exact version (frontend/Cargo.toml and xtask/Cargo.toml)"
        ),
    }
}

fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let wanted = format!("name = \"{name}\"");
    let mut versions = Vec::new();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted
            && let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            versions.push(v.trim_matches('"').to_string());
        }
    }
    versions
}

/// `style/*.css` in file-name order, so `00-base.css` comes before `10-layout.css`.
fn concat_styles(dir: &Path) -> Result<String> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "css"))
        .collect();
    files.sort();
    let mut css = String::new();
    for file in files {
        css.push_str(&format!(
            "/* {} */\n",
            file.file_name().unwrap_or_default().to_string_lossy()
        ));
        css.push_str(&fs::read_to_string(&file)?);
        css.push('\n');
    }
    Ok(css)
}

fn index_html(version: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>wxportal</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%2307c160'/%3E%3Ctext x='16' y='22' font-size='16' text-anchor='middle' fill='white' font-family='sans-serif'%3Ewx%3C/text%3E%3C/svg%3E">
<link rel="stylesheet" href="/style.css?v={version}">
<link rel="modulepreload" href="/wxportal.js?v={version}">
<link rel="preload" href="/wxportal_bg.wasm?v={version}" as="fetch" type="application/wasm" crossorigin>
</head>
<body>
<noscript>wxportal 需要启用 JavaScript。/ wxportal needs JavaScript.</noscript>
<script type="module" src="/boot.js?v={version}"></script>
</body>
</html>
"#
    )
}

fn boot_js(version: &str) -> String {
    format!(
        "import init from '/wxportal.js?v={version}';\ninit({{ module_or_path: '/wxportal_bg.wasm?v={version}' }});\n"
    )
}

/// FNV-1a: a content fingerprint for cache busting (not security).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_locked_versions() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\nname = \"wasm-bindgen-cli-support\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_versions(lock, "wasm-bindgen"), vec!["0.2.130"]);
        assert_eq!(
            locked_versions(lock, "wasm-bindgen-cli-support"),
            vec!["0.2.130"]
        );
        assert!(locked_versions(lock, "wasm-bindgen-macro").is_empty());
    }

    #[test]
    fn index_references_versioned_assets() {
        let html = index_html("abc");
        assert!(html.contains("/boot.js?v=abc"));
        assert!(html.contains("/style.css?v=abc"));
        let boot = boot_js("abc");
        assert!(boot.contains("/wxportal.js?v=abc"));
        assert!(boot.contains("/wxportal_bg.wasm?v=abc"));
        // The wasm is fetched at once, not after the glue has loaded and run; `crossorigin`
        // (anonymous) matches the mode of wasm-bindgen's own `fetch`, so the preload is reused.
        assert!(html.contains(
            r#"<link rel="preload" href="/wxportal_bg.wasm?v=abc" as="fetch" type="application/wasm" crossorigin>"#
        ));
    }

    #[test]
    fn index_has_no_inline_script() {
        // The SPA's CSP allows scripts from 'self' only.
        let html = index_html("abc");
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..html[i..].find('>').map_or(html.len(), |e| i + e)];
            assert!(tag.contains(" src="), "inline script in index.html: {tag}");
        }
    }
}
