//! wxportal's build runner. `cargo xtask <command>`:
//!
//! - `build [--release]`: the SPA (wasm, size-optimised) into `dist/`, then the server that embeds it.
//! - `run [--debug] [-- ARGS…]`: `build`, then start the portal (SQLite in `./data`, built-in sandbox).
//! - `test [--no-lint] [--no-e2e]`: every test: lints, unit and integration tests (SQLite, plus
//!   PostgreSQL/MariaDB when `WXPORTAL_TEST_POSTGRES_URL`/`WXPORTAL_TEST_MYSQL_URL` are set), and the
//!   Playwright end-to-end tests in headless Chromium against the real binary.
//! - `bench [-- FLAGS]`: the loopback load benchmark (`server/benches/load.rs`): callback,
//!   product page, QR images and pay notifications beside a bare axum endpoint, in one run.
//! - `dist`: only the SPA into `dist/` (`wasm-opt -Oz` when binaryen is installed, then `.br` and
//!   `.gz` copies of the large assets, which the server serves by content negotiation).

mod dist;
mod process;
mod shrink;
mod test;

use std::path::PathBuf;

use anyhow::{Result, bail};

fn main() {
    if let Err(err) = run() {
        eprintln!("xtask: error: {err:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => ("help", &[][..]),
    };
    let root = workspace_root();
    std::env::set_current_dir(&root)?;
    match command {
        "dist" => dist::build_dist(&root),
        "build" => {
            let release = flag(rest, "--release");
            dist::build_dist(&root)?;
            dist::build_server(release)
        }
        "run" => {
            let debug = flag(rest, "--debug");
            dist::build_dist(&root)?;
            dist::build_server(!debug)?;
            let passthrough = rest
                .iter()
                .position(|a| a == "--")
                .map(|i| rest[i + 1..].to_vec())
                .unwrap_or_default();
            run_portal(&root, !debug, &passthrough)
        }
        "test" => test::run_all(&root, test::Options::parse(rest)?),
        "bench" => {
            // The benchmark embeds the SPA like the real binary does, so `dist/` must exist.
            dist::build_dist(&root)?;
            let passthrough = rest
                .iter()
                .position(|a| a == "--")
                .map(|i| rest[i + 1..].to_vec())
                .unwrap_or_default();
            // The follower sync runs the emulator as its own process (`load_support/sync.rs`).
            process::run(
                std::process::Command::new(env!("CARGO"))
                    .current_dir(&root)
                    .args([
                        "build",
                        "--release",
                        "-p",
                        "wechat-sim",
                        "--bin",
                        "wechat-sim",
                    ]),
            )?;
            let json = root.join("target").join("bench-load.json");
            let mut cmd = std::process::Command::new(env!("CARGO"));
            cmd.args(["bench", "-p", "wxportal", "--bench", "load", "--"])
                .args(&passthrough)
                .arg("--json")
                .arg(&json);
            process::run(&mut cmd)?;
            eprintln!("xtask: results also in {}", json.display());
            Ok(())
        }
        "help" | "--help" | "-h" => {
            println!("{}", HELP);
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{HELP}"),
    }
}

const HELP: &str = "usage: cargo xtask <command>

  run [--debug] [-- ARGS]   build everything and start the portal on http://127.0.0.1:8080
                            (SQLite under ./data, built-in WeChat sandbox); ARGS go to `wxportal serve`
  test [--no-lint] [--no-e2e]
                            every test: fmt + clippy, unit and integration tests (SQLite; PostgreSQL and
                            MariaDB when WXPORTAL_TEST_POSTGRES_URL / WXPORTAL_TEST_MYSQL_URL are set),
                            and end-to-end tests in headless Chromium
  bench [-- --requests N --concurrency C]
                            loopback load benchmark: callback (encrypted OA text -> keyword rule ->
                            encrypted reply), pay product page, QR images, pay notifications, each
                            beside a bare axum endpoint measured in the same run
  build [--release]         build the SPA into dist/ and the server binary that embeds it
  dist                      build only the SPA into dist/";

fn flag(args: &[String], name: &str) -> bool {
    args.iter().take_while(|a| *a != "--").any(|a| a == name)
}

fn workspace_root() -> PathBuf {
    // xtask lives in <root>/xtask.
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

fn run_portal(root: &std::path::Path, release: bool, passthrough: &[String]) -> Result<()> {
    let bin = root
        .join("target")
        .join(if release { "release" } else { "debug" })
        .join("wxportal");
    let mut cmd = std::process::Command::new(bin);
    cmd.arg("serve");
    // The sandbox is the default for `cargo xtask run`: the whole portal works with no WeChat account.
    if !passthrough.iter().any(|a| a == "--no-sandbox") {
        cmd.arg("--sandbox");
    }
    cmd.args(passthrough.iter().filter(|a| *a != "--no-sandbox"));
    process::run(&mut cmd)
}
