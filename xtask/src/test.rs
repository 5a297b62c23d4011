//! `cargo xtask test`: every test the project has, in one command.

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

use crate::dist;
use crate::process::{self, cargo};

pub struct Options {
    lint: bool,
    e2e: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            lint: true,
            e2e: true,
        };
        for arg in args {
            match arg.as_str() {
                "--no-lint" => options.lint = false,
                "--no-e2e" => options.e2e = false,
                other => bail!("unknown option `{other}` for `cargo xtask test`"),
            }
        }
        Ok(options)
    }
}

/// Passed/failed counts summed over every runner's closing lines.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Reads `test result: ok. 12 passed; 0 failed; …` (cargo test).
    fn cargo_line(&mut self, line: &str) {
        if let Some(rest) = line.trim().strip_prefix("test result: ") {
            self.passed += number_before(rest, " passed");
            self.failed += number_before(rest, " failed");
        }
    }

    /// Reads Playwright's closing `  5 passed (12.3s)` / `  1 failed` lines.
    fn playwright_line(&mut self, line: &str) {
        let t = line.trim();
        let first_word_is_number = t
            .split_whitespace()
            .next()
            .is_some_and(|w| w.parse::<u64>().is_ok());
        if !first_word_is_number {
            return;
        }
        if t.contains(" passed") {
            self.passed += number_before(t, " passed");
        } else if t.contains(" failed") {
            self.failed += number_before(t, " failed");
        }
    }
}

fn number_before(text: &str, marker: &str) -> u64 {
    text.find(marker)
        .and_then(|end| text[..end].split(|c: char| !c.is_ascii_digit()).next_back())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

pub fn run_all(root: &Path, options: Options) -> Result<()> {
    let mut tally = Tally::default();
    let mut failures: Vec<String> = Vec::new();

    if options.lint {
        process::run(cargo().args(["fmt", "--all", "--", "--check"]))?;
        process::run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
    }

    // Unit and integration tests of every crate; the server's suite runs on SQLite here.
    let ok = process::run_streaming(
        cargo()
            .args(["test", "--workspace"])
            .env("WXPORTAL_TEST_BACKEND", "sqlite"),
        |l| tally.cargo_line(l),
    )?;
    if !ok {
        failures.push("cargo test --workspace".into());
    }

    // The same server suite on every other database that is configured.
    for (backend, var) in [
        ("postgres", "WXPORTAL_TEST_POSTGRES_URL"),
        ("mysql", "WXPORTAL_TEST_MYSQL_URL"),
    ] {
        if std::env::var_os(var).is_none() {
            eprintln!("xtask: {var} is not set; skipping the {backend} run of the server suite");
            continue;
        }
        let ok = process::run_streaming(
            cargo()
                .args(["test", "--package", "wxportal", "--test", "api"])
                .env("WXPORTAL_TEST_BACKEND", backend),
            |l| tally.cargo_line(l),
        )?;
        if !ok {
            failures.push(format!("server suite on {backend}"));
        }
    }

    if options.e2e {
        match e2e(root, &mut tally) {
            Ok(true) => {}
            Ok(false) => failures.push("e2e (Playwright)".into()),
            Err(err) => failures.push(format!("e2e could not run: {err:#}")),
        }
    }

    println!(
        "xtask test: {} passed, {} failed",
        tally.passed, tally.failed
    );
    if !failures.is_empty() {
        bail!("failed: {}", failures.join("; "));
    }
    Ok(())
}

/// Release wasm, the real server binary (debug profile, sharing the test build's dependencies),
/// then Playwright in headless Chromium.
fn e2e(root: &Path, tally: &mut Tally) -> Result<bool> {
    dist::build_dist(root)?;
    dist::build_server(false)?;

    let chromium =
        std::env::var("WXPORTAL_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        bail!(
            "Chromium not found at {chromium}: install Debian's `chromium` package (or set WXPORTAL_CHROMIUM)"
        );
    }
    let e2e_dir = root.join("e2e");
    if !e2e_dir.join("node_modules/@playwright/test").exists() {
        process::run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&e2e_dir),
        )?;
    }
    let bin = dist::target_dir(root).join("debug").join("wxportal");
    process::run_streaming(
        Command::new("npx")
            .args(["playwright", "test"])
            .current_dir(&e2e_dir)
            .env("WXPORTAL_BIN", &bin)
            .env("WXPORTAL_CHROMIUM", &chromium),
        |l| tally.playwright_line(l),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tallies_cargo_and_playwright_lines() {
        let mut t = Tally::default();
        t.cargo_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        t.cargo_line("test result: FAILED. 3 passed; 2 failed; 0 ignored");
        t.playwright_line("  5 passed (12.3s)");
        t.playwright_line("  1 failed");
        t.playwright_line("Running 6 tests using 1 worker");
        assert_eq!((t.passed, t.failed), (20, 3));
    }
}
