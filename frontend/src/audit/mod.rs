//! `/audit` (admins): who changed what, newest first, with filters, paging and a daily chart.

pub mod api;

use ::api::audit::AuditEntry;
use ::api::staff::Role;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::audit::api as audit_api;
use crate::auth::use_session;
use crate::components::{
    EmptyState, FilterOption, FilterSelect, NoPermission, PageHeader, Pager, SearchBox, debounced,
    icons, table_states,
};
use crate::i18n::{K, use_i18n};
use crate::util;

mod labels;

pub fn action_key(action: &str) -> Option<K> {
    Some(match action {
        "account.create" => K::ActAccountCreate,
        "account.update" => K::ActAccountUpdate,
        "account.secret_replace" => K::ActAccountSecretReplace,
        "account.delete" => K::ActAccountDelete,
        "staff.create" => K::ActStaffCreate,
        "staff.update" => K::ActStaffUpdate,
        "staff.delete" => K::ActStaffDelete,
        "auth.password_change" => K::ActPasswordChange,
        "auth.login" => K::ActLogin,
        "auth.logout" => K::ActLogout,
        other => return labels::feature_action_key(other),
    })
}

/// The form label of an account field, for "changed: …" lists.
fn field_key(field: &str) -> Option<K> {
    Some(match field {
        "name" => K::FieldName,
        "environment" => K::FieldEnvironment,
        "app_id" => K::FieldAppId,
        "app_secret" => K::FieldAppSecret,
        "token" => K::FieldToken,
        "encoding_aes_key" => K::FieldAesKey,
        "message_mode" => K::FieldMessageMode,
        "original_id" => K::FieldOriginalId,
        "corp_id" => K::FieldCorpId,
        "agent_id" => K::FieldAgentId,
        "secret" => K::FieldSecret,
        "contacts_secret" => K::FieldContactsSecret,
        "mch_id" => K::FieldMchId,
        "api_key" => K::FieldApiKey,
        "sign_type" => K::FieldSignType,
        "client_cert" | "client_cert_p12_base64" => K::FieldClientCert,
        "client_cert_password" => K::FieldClientCertPassword,
        "suite_id" => K::FieldSuiteId,
        "suite_secret" => K::FieldSuiteSecret,
        "provider_corp_id" => K::FieldProviderCorpId,
        "provider_secret" => K::FieldProviderSecret,
        "role" => K::FieldRole,
        "disabled" => K::ColStatus,
        "password" => K::Password,
        _ => return None,
    })
}

/// A summary in the UI language, built from the entry's structured detail where we know its shape.
pub fn localized_summary(entry: &AuditEntry, lang: ::api::Lang) -> Option<String> {
    let fields = |key: &str| -> Option<String> {
        let list = entry.detail.get(key)?.as_array()?;
        let names: Vec<String> = list
            .iter()
            .filter_map(|v| v.as_str())
            .map(|f| field_key(f).map_or_else(|| f.to_string(), |k| k.text(lang).to_string()))
            .collect();
        (!names.is_empty()).then(|| {
            names.join(if lang == ::api::Lang::ZhCn {
                "、"
            } else {
                ", "
            })
        })
    };
    let kind = || {
        entry
            .detail
            .get("kind")
            .and_then(|k| k.as_str())
            .and_then(::api::accounts::AccountKind::parse)
            .map(|k| crate::accounts::kind_key(k).text(lang))
    };
    match entry.action.as_str() {
        "account.create" => {
            let env = match entry.detail.get("environment").and_then(|e| e.as_str()) {
                Some("sandbox") => Some(K::EnvSandbox.text(lang)),
                Some("production") => Some(K::EnvProduction.text(lang)),
                _ => None,
            };
            let parts: Vec<&str> = [kind(), env].into_iter().flatten().collect();
            (!parts.is_empty()).then(|| parts.join(" · "))
        }
        "staff.create" => {
            let name = entry.detail.get("username").and_then(|n| n.as_str())?;
            let role = entry
                .detail
                .get("role")
                .and_then(|r| r.as_str())
                .and_then(::api::staff::Role::parse)
                .map(|r| crate::components::badge::role_key(r).text(lang));
            Some(match role {
                Some(r) => format!("「{name}」 · {r}"),
                None => format!("「{name}」"),
            })
        }
        "staff.delete" => entry
            .detail
            .get("username")
            .and_then(|n| n.as_str())
            .map(|n| format!("「{n}」")),
        "auth.password_change" => Some(K::PwChanged.text(lang).to_string()),
        "account.update" | "staff.update" => {
            fields("changed").map(|f| format!("{}: {f}", K::SummaryChanged.text(lang)))
        }
        "account.secret_replace" => {
            fields("secrets_replaced").map(|f| format!("{}: {f}", K::SummaryReplaced.text(lang)))
        }
        "account.delete" => {
            let name = entry.detail.get("name").and_then(|n| n.as_str())?;
            Some(match kind() {
                Some(k) => format!("{k}「{name}」"),
                None => format!("「{name}」"),
            })
        }
        _ => labels::feature_summary(entry, lang),
    }
}

/// An entry no translation knows (older or new actions): its server summary in English, or in
/// Chinese only the names it quotes (the English original stays under 详情).
fn fallback_summary(entry: &AuditEntry, lang: ::api::Lang) -> String {
    if lang == ::api::Lang::En {
        return entry.summary.clone();
    }
    let names: Vec<String> = entry
        .summary
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|n| format!("「{n}」"))
        .collect();
    if names.is_empty() {
        "—".to_string()
    } else {
        names.concat()
    }
}

fn action_tone(action: &str) -> &'static str {
    if action.ends_with(".delete") {
        "badge badge-red"
    } else if action.ends_with(".create") {
        "badge badge-green"
    } else if action.contains("secret") || action.contains("password") {
        "badge badge-orange"
    } else {
        "badge badge-blue"
    }
}

/// Entries per day, oldest first: `(day, count)`.
pub fn per_day(entries: &[(String, ())]) -> Vec<(String, usize)> {
    let mut days: Vec<(String, usize)> = Vec::new();
    for (day, ()) in entries {
        match days.iter_mut().find(|(d, _)| d == day) {
            Some((_, n)) => *n += 1,
            None => days.push((day.clone(), 1)),
        }
    }
    days.sort();
    days
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let session = use_session();
    let is_admin = Memo::new(move |_| session.allows(Role::Admin));
    view! {
        <Show when=move || is_admin.get() fallback=|| view! {
            <PageHeader title=K::AuditTitle />
            <NoPermission />
        }>
            <AuditLog />
        </Show>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let i = use_i18n();
    let page = RwSignal::new(1u64);
    let per_page = RwSignal::new(20u64);
    let actor_input = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let target_type = RwSignal::new(String::new());
    let loading = RwSignal::new(false);
    let data = LocalResource::new(move || {
        let (p, pp, a, t) = (page.get(), per_page.get(), actor.get(), target_type.get());
        async move {
            loading.set(true);
            let result = audit_api::list(p, pp, &a, &t).await;
            let _ = loading.try_set(false);
            result
        }
    });
    let on_actor = debounced(
        actor_input,
        Callback::new(move |value| {
            page.set(1);
            actor.set(value);
        }),
    );

    view! {
        <PageHeader title=K::AuditTitle subtitle=K::AuditSubtitle>
            <button type="button" class="btn" on:click=move |_| data.refetch()>
                {icons::refresh()}
                <span>{move || i.t(K::Refresh)}</span>
            </button>
        </PageHeader>
        <div class="card table-card" class:is-loading=move || loading.get()>
            <div class="progress-line" aria-hidden="true"></div>
            <div class="toolbar">
                <SearchBox
                    placeholder=K::FilterActorPlaceholder
                    value=actor_input
                    on_input=on_actor
                    testid="audit-actor"
                />
                <FilterSelect
                    label=K::FilterTargetType
                    value=target_type
                    on_change=move |v| {
                        page.set(1);
                        target_type.set(v);
                    }
                    options={labels::TARGET_TYPES.iter().map(|(v, k)| FilterOption::key(*v, *k)).collect::<Vec<_>>()}
                    testid="audit-target-type"
                />
            </div>
            {table_states(
                data,
                (6, 5),
                |p| {
                    p.items.is_empty().then(|| {
                        view! { <EmptyState title=K::AuditEmptyTitle body=K::AuditEmptyBody testid="audit-empty" /> }
                            .into_any()
                    })
                },
                move |p| {
                    let total = p.total;
                    view! {
                        <ActivityChart entries=p.items.clone() />
                        <div class="table-wrap">
                            <table class="table table-cards audit-table">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::ColTime)}</th>
                                        <th>{move || i.t(K::ColActor)}</th>
                                        <th>{move || i.t(K::ColAction)}</th>
                                        <th>{move || i.t(K::ColTarget)}</th>
                                        <th>{move || i.t(K::ColSummary)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.items.into_iter().map(|e| view! { <AuditRow entry=e /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager
                            page=page
                            total=Signal::derive(move || total)
                            per_page=per_page
                            on_page=move |n| page.set(n)
                            on_per_page=move |n| {
                                page.set(1);
                                per_page.set(n);
                            }
                        />
                    }
                        .into_any()
                },
            )}
        </div>
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i = use_i18n();
    let action = entry.action.clone();
    let label = action_key(&action);
    let tone = action_tone(&action);
    let target_label = labels::target_key(&entry.target_type);
    let target_type = entry.target_type.clone();
    let target = match (entry.target_type.as_str(), entry.target_id) {
        ("account", Some(id)) if entry.action != "account.delete" => view! {
            <A href=format!("/accounts/{id}")>
                {move || target_label.map(|k| i.t(k).to_string()).unwrap_or_else(|| target_type.clone())}
                " #"
                {id}
            </A>
        }
        .into_any(),
        (_, id) => view! {
            <span>
                {move || target_label.map(|k| i.t(k).to_string()).unwrap_or_else(|| target_type.clone())}
                {id.map(|id| format!(" #{id}"))}
            </span>
        }
        .into_any(),
    };
    let has_detail =
        !(entry.detail.is_null() || entry.detail.as_object().is_some_and(|o| o.is_empty()));
    let detail = serde_json::to_string_pretty(&entry.detail).unwrap_or_default();
    let original = entry.summary.clone();
    let actor = entry.actor.clone();
    let is_system = actor == "system";
    view! {
        <tr data-testid="audit-row">
            <td class="nowrap muted" data-label=move || i.t(K::ColTime)>{util::format_time(&entry.at)}</td>
            <td data-label=move || i.t(K::ColActor)>
                {if is_system {
                    view! { <span class="badge">{move || i.t(K::ActSystem)}</span> }.into_any()
                } else {
                    view! { <span class="row-title">{actor}</span> }.into_any()
                }}
            </td>
            <td data-label=move || i.t(K::ColAction)>
                <span class=tone>
                    {move || label.map(|k| i.t(k).to_string()).unwrap_or_else(|| action.clone())}
                </span>
            </td>
            <td data-label=move || i.t(K::ColTarget)>{target}</td>
            <td class="cell-summary" data-label=move || i.t(K::ColSummary)>
                <span>
                    {
                        let entry = entry.clone();
                        // Names in the summary (「quoted」) are data, marked as such.
                        move || crate::components::named(&localized_summary(&entry, i.lang()).unwrap_or_else(|| fallback_summary(&entry, i.lang())))
                    }
                </span>
                {(has_detail || !original.is_empty())
                    .then(|| {
                        view! {
                            <details class="detail-json">
                                <summary>{move || i.t(K::ShowDetail)}</summary>
                                {has_detail.then(|| view! { <pre>{detail}</pre> })}
                                <p class="muted small">{move || i.t(K::SummaryOriginal)}</p>
                                <pre>{original}</pre>
                            </details>
                        }
                    })}
            </td>
        </tr>
    }
}

/// Columns per day for the entries on this page.
#[component]
fn ActivityChart(entries: Vec<AuditEntry>) -> impl IntoView {
    let i = use_i18n();
    let days = per_day(
        &entries
            .iter()
            .map(|e| (util::format_day(&e.at), ()))
            .collect::<Vec<_>>(),
    );
    if days.len() < 2 {
        return ().into_any();
    }
    let max = days.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    view! {
        <div class="activity">
            <div class="activity-head">
                <span class="stat-label">{move || i.t(K::AuditActivity)}</span>
                <span class="muted small">{move || i.t(K::AuditActivityHint)}</span>
            </div>
            <div class="columns" role="img" aria-label=move || i.t(K::AuditActivityHint)>
                {days
                    .into_iter()
                    .map(|(day, n)| {
                        let h = (n as f64 * 100.0 / max as f64).max(6.0);
                        let short = day.get(5..).unwrap_or(&day).to_string();
                        view! {
                            <div class="column" title=format!("{day}: {n}")>
                                <span class="column-value">{n}</span>
                                <span class="column-bar" style=format!("height:{h:.0}%")></span>
                                <span class="column-label">{short}</span>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_actions_have_labels() {
        assert_eq!(action_key("account.create"), Some(K::ActAccountCreate));
        assert_eq!(action_key("something.else"), None);
    }

    #[test]
    fn summaries_use_the_structured_detail() {
        let entry = |action: &str, detail: serde_json::Value| AuditEntry {
            id: 1,
            at: String::new(),
            actor: "admin".into(),
            action: action.into(),
            target_type: "account".into(),
            target_id: Some(1),
            summary: "english".into(),
            detail,
        };
        let zh = ::api::Lang::ZhCn;
        let e = entry(
            "account.update",
            serde_json::json!({"changed": ["name", "token"]}),
        );
        assert_eq!(
            localized_summary(&e, zh).unwrap(),
            "修改字段: 名称、令牌 (Token)"
        );
        let e = entry(
            "account.create",
            serde_json::json!({"kind": "work_app", "environment": "sandbox"}),
        );
        assert_eq!(
            localized_summary(&e, ::api::Lang::En).unwrap(),
            "WeCom app · Sandbox"
        );
        assert_eq!(
            localized_summary(&entry("staff.create", serde_json::json!({})), zh),
            None
        );
    }

    #[test]
    fn per_day_counts_and_sorts() {
        let e = |d: &str| (d.to_string(), ());
        let days = per_day(&[e("2026-11-21"), e("2026-11-20"), e("2026-11-21")]);
        assert_eq!(
            days,
            vec![("2026-11-20".into(), 1), ("2026-11-21".into(), 2)]
        );
    }
}
