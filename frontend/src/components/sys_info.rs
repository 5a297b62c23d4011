//! Server facts the shell loads once and pages read (public URL, default environment, version).

use api::system::SystemInfo;
use leptos::prelude::*;

/// Facts about the server (public URL, default environment, version), once loaded.
#[derive(Debug, Clone, Copy)]
pub struct SysInfo(pub RwSignal<Option<SystemInfo>>);
