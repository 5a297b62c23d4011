//! Making `dist/` small to download: binaryen's `wasm-opt -Oz` when it is installed, then a
//! brotli (`.br`) and a gzip (`.gz`) copy beside each large asset, which the server picks by the
//! request's `Accept-Encoding` (`server/src/http/spa.rs`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

/// The WebAssembly features the Rust toolchain (1.82 and newer) emits for `wasm32-unknown-unknown`
/// by default. wasm-opt 108 enables only the MVP unless told, and refuses (rather than
/// miscompiles) a module that uses a feature it was not given.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// What `wasm-opt` did to the wasm. Sizes are brotli-compressed bytes: what a browser downloads.
#[derive(Debug)]
pub enum WasmOpt {
    Applied {
        before: usize,
        after: usize,
    },
    /// wasm-opt worked, but its output compresses worse (it shrinks the raw code, yet its
    /// rewrites can leave fewer repeats for brotli): the wasm is left as wasm-bindgen wrote it.
    NoGain {
        before: usize,
        after: usize,
    },
    NotInstalled,
    /// The wasm is left exactly as wasm-bindgen wrote it.
    Failed(String),
    /// Not asked for (`WXPORTAL_WASM_OPT=1` asks).
    Skipped,
}

/// Runs `wasm-opt -Oz` on `wasm` in place. The result goes to a side file first and replaces the
/// wasm only if wasm-opt succeeded (it validates what it writes), wrote a wasm module, and that
/// module is smaller once brotli-compressed, so a failure never leaves a broken file behind.
pub fn optimise_wasm(wasm: &Path) -> WasmOpt {
    let out = side_file(wasm, "opt");
    let run = Command::new("wasm-opt")
        .arg("-Oz")
        .args(WASM_FEATURES)
        .arg(wasm)
        .arg("-o")
        .arg(&out)
        .output();
    let failed = |why: String| {
        let _ = fs::remove_file(&out);
        WasmOpt::Failed(why)
    };
    let output = match run {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return WasmOpt::NotInstalled,
        Err(e) => return failed(format!("could not start wasm-opt: {e}")),
        Ok(o) => o,
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return failed(format!("{} — {}", output.status, tail.join(" | ")));
    }
    let optimised = match fs::read(&out) {
        Ok(bytes) if bytes.starts_with(b"\0asm") => bytes,
        _ => return failed("wasm-opt wrote no wasm module".into()),
    };
    let compressed_len = |bytes: &[u8]| brotli_bytes(bytes).map(|b| b.len());
    let (before, after) = match (
        fs::read(wasm)
            .map_err(anyhow::Error::from)
            .and_then(|b| compressed_len(&b)),
        compressed_len(&optimised),
    ) {
        (Ok(b), Ok(a)) => (b, a),
        (Err(e), _) | (_, Err(e)) => return failed(format!("comparing sizes: {e:#}")),
    };
    if after >= before {
        let _ = fs::remove_file(&out);
        return WasmOpt::NoGain { before, after };
    }
    if let Err(e) = fs::rename(&out, wasm) {
        return failed(format!("replacing the wasm: {e}"));
    }
    WasmOpt::Applied { before, after }
}

/// Sizes of one asset as served: identity, brotli, gzip.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    pub raw: usize,
    pub br: usize,
    pub gz: usize,
}

/// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside `file`.
pub fn precompress(file: &Path) -> Result<Sizes> {
    let raw = fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let br = brotli_bytes(&raw)?;
    let gz = gzip_bytes(&raw)?;
    for (suffix, bytes) in [("br", &br), ("gz", &gz)] {
        let path = side_file(file, suffix);
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(Sizes {
        raw: raw.len(),
        br: br.len(),
        gz: gz.len(),
    })
}

fn brotli_bytes(raw: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        // A 16 MiB window (the most a browser's decoder accepts) covers the whole wasm.
        lgwin: 24,
        size_hint: raw.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params).context("brotli")?;
    Ok(out)
}

fn gzip_bytes(raw: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(raw).context("gzip")?;
    encoder.finish().context("gzip")
}

/// `dir/name.ext` → `dir/name.ext.<suffix>`.
fn side_file(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(suffix);
    file.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-shrink-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn precompressed_copies_decode_to_the_asset() {
        let dir = scratch("precompress");
        let file = dir.join("app.js");
        let raw = "export function wxportal() { return 42; }\n".repeat(500);
        fs::write(&file, &raw).unwrap();

        let sizes = precompress(&file).unwrap();
        assert_eq!(sizes.raw, raw.len());
        assert!(
            sizes.br < sizes.raw / 10 && sizes.gz < sizes.raw / 10,
            "{sizes:?}"
        );

        let br = fs::read(dir.join("app.js.br")).unwrap();
        assert_eq!(br.len(), sizes.br);
        let mut out = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, raw);

        let gz = fs::read(dir.join("app.js.gz")).unwrap();
        let mut out = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, raw);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_wasm_opt_leaves_the_file_as_it_was() {
        let dir = scratch("wasm-opt");
        let file = dir.join("app_bg.wasm");
        // Not a wasm module: wasm-opt (when installed) refuses it.
        fs::write(&file, b"not wasm at all").unwrap();
        match optimise_wasm(&file) {
            WasmOpt::NotInstalled | WasmOpt::Failed(_) => {}
            other => panic!("wasm-opt accepted garbage: {other:?}"),
        }
        assert_eq!(fs::read(&file).unwrap(), b"not wasm at all");
        assert!(!side_file(&file, "opt").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_output_that_compresses_no_smaller_is_not_kept() {
        let dir = scratch("no-gain");
        let file = dir.join("empty_bg.wasm");
        // The empty module: nothing to optimise, so wasm-opt's output is no smaller.
        let empty = b"\0asm\x01\0\0\0";
        fs::write(&file, empty).unwrap();
        match optimise_wasm(&file) {
            WasmOpt::NotInstalled | WasmOpt::NoGain { .. } => {}
            other => panic!("expected no gain: {other:?}"),
        }
        assert_eq!(fs::read(&file).unwrap(), empty);
        assert!(!side_file(&file, "opt").exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
