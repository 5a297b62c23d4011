//! Structured logging (text or JSON) with request ids. Secrets never reach a log line:
//! request bodies are not logged, and secret-bearing types redact their `Debug`.

use tracing::Subscriber;
use tracing_subscriber::{EnvFilter, fmt::MakeWriter, layer::SubscriberExt};

use crate::config::LogFormat;

/// Default filter when `RUST_LOG` is unset.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,tower_sessions=warn";

/// Build a subscriber writing to `sink`.
/// `ansi`: colour codes (text format only; only for terminals).
pub fn subscriber<W>(
    filter: &str,
    format: LogFormat,
    ansi: bool,
    sink: W,
) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        LogFormat::Text => Box::new(
            registry.with(
                tracing_subscriber::fmt::layer()
                    .with_target(true)
                    .with_ansi(ansi)
                    .with_writer(sink),
            ),
        ),
        LogFormat::Json => Box::new(
            registry.with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(sink),
            ),
        ),
    }
}

/// Install the global subscriber (stderr). Call once, from `main`.
pub fn init(format: LogFormat) {
    use std::io::IsTerminal;
    let ansi = std::io::stderr().is_terminal();
    let sub = subscriber(DEFAULT_FILTER, format, ansi, std::io::stderr);
    // A second call (e.g. in tests) keeps the first subscriber.
    let _ = tracing::subscriber::set_global_default(sub);
}
