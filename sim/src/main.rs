//! `wechat-sim`: runs the emulator standalone.

use std::path::PathBuf;

use clap::Parser;

/// A stateful emulator of WeChat's servers (OA, WeCom, Pay v2) for offline development.
#[derive(Debug, Parser)]
#[command(name = "wechat-sim", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "WECHAT_SIM_BIND", default_value = "127.0.0.1:9000")]
    bind: String,
    /// A JSON seed file to load at start-up.
    #[arg(long, env = "WECHAT_SIM_SEED")]
    seed: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let sim = wechat_sim::Sim::new(wechat_sim::SimConfig::default());
    if let Some(path) = &args.seed {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        let seed: wechat_sim::Seed =
            serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
        let summary = sim.load_seed(seed)?;
        tracing::info!(
            accounts = summary.oa.len(),
            merchants = summary.merchants.len(),
            "seed loaded"
        );
    }
    let listener = tokio::net::TcpListener::bind(&args.bind).await?;
    let addr = listener.local_addr()?;
    // Written at once and errors ignored: a closed stdout must not stop the server.
    let banner = format!(
        "wechat-sim listening on http://{addr}\n  e.g. http://{addr}/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=…&secret=…\n  control API: http://{addr}/_sim/\n"
    );
    let mut out = std::io::stdout();
    let _ = std::io::Write::write_all(&mut out, banner.as_bytes());
    let _ = std::io::Write::flush(&mut out);
    wechat_sim::serve(listener, sim).await?;
    Ok(())
}
