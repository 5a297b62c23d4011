//! Structured logging (text or JSON) with request ids. Secrets never reach a log line:
//! request bodies are not logged, and secret-bearing types redact their `Debug`.
//! User-supplied text (usernames, error messages quoting input) goes through [`escape`], so a
//! newline in it cannot forge a log line.

use std::borrow::Cow;

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

/// `s` with control characters (newlines, carriage returns, escape sequences…) and the
/// Unicode line/paragraph separators written as
/// `\n`, `\r`, `\u{1b}`; backslashes doubled so that the escaping is unambiguous. Text without
/// either is returned as is.
pub fn escape(s: &str) -> Cow<'_, str> {
    let needs = |c: char| c.is_control() || matches!(c, '\\' | '\u{2028}' | '\u{2029}');
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("bob"), "bob");
        assert_eq!(escape("张三"), "张三");
        assert_eq!(escape("bob\nFAKE LINE"), "bob\\nFAKE LINE");
        assert_eq!(escape("a\r\x1b[31mb\\"), "a\\r\\u{1b}[31mb\\\\");
        let odd = escape("x\u{85}y\u{2028}");
        assert!(
            !odd.contains('\u{85}') && !odd.contains('\u{2028}'),
            "{odd}"
        );
    }
}
