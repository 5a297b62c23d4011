//! `/accounts/:id/contacts`: the WeCom app's 通讯录 — the sync card on top, then either the
//! organisation (department tree beside the member list) or the tags.
//!
//! - [`sync`]: full sync with its progress bar, counts and per-item failures;
//! - [`departments`]: the tree (search, create / rename / move / reorder / delete);
//! - [`members`]: the list filtered by the chosen department subtree, tag, status and search;
//! - [`member_form`] and [`member_detail`]: create / edit and one member's page (dialogs),
//!   with the extended attributes of [`extattr`];
//! - [`invite`]: inviting not-joined members, departments and tags (`batch/invite`);
//! - [`tags`]: tags with their members and departments, WeCom's per-item refusals shown.
//!
//! The pieces share a [`Contacts`] context: the account, the loaded departments and tags, the
//! chosen department, and a generation counter bumped after every change so lists reload.

pub mod api;
pub mod departments;
pub mod drift;
pub mod extattr;
pub mod invite;
pub mod member_detail;
pub mod member_form;
pub mod members;
pub mod sync;
pub mod tags;

use std::collections::BTreeMap;

use ::api::Lang;
use ::api::accounts::AccountKind;
use ::api::staff::Role;
use ::api::wecom_contacts::{Department, MemberStatus, Tag};
use leptos::prelude::*;

use crate::accounts::section::{AccountSection, AccountTab};
use crate::auth::use_session;
use crate::components::{EmptyState, TabStrip, Tone};
use crate::i18n::{K, errors, use_i18n};
use crate::util;

/// What the pieces of the contacts page share.
#[derive(Clone, Copy)]
pub struct Contacts {
    pub account: i64,
    /// Bumped after a sync or any change: departments, tags and members reload.
    pub generation: RwSignal<u32>,
    pub departments: RwSignal<Vec<Department>>,
    pub tags: RwSignal<Vec<Tag>>,
    /// The department whose subtree the member list shows (None: everyone).
    pub selected_dept: RwSignal<Option<i64>>,
    pub can_edit: Memo<bool>,
}

impl Contacts {
    pub fn changed(self) {
        self.generation.update(|g| *g += 1);
    }

    /// A department's name (`#id` when it is not mirrored).
    pub fn dept_name(self, id: i64) -> String {
        self.departments.with(|ds| {
            ds.iter()
                .find(|d| d.id == id)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| format!("#{id}"))
        })
    }

    pub fn tag_name(self, id: i64) -> String {
        self.tags.with(|ts| {
            ts.iter()
                .find(|t| t.id == id)
                .map(|t| t.name.clone())
                .unwrap_or_else(|| format!("#{id}"))
        })
    }
}

pub fn use_contacts() -> Contacts {
    expect_context::<Contacts>()
}

/// Departments in tree order with their depth (children after their parent, siblings by
/// WeCom's order, larger first). Departments whose parent is not mirrored are roots.
pub fn tree_order(ds: &[Department]) -> Vec<(Department, usize)> {
    let ids: std::collections::BTreeSet<i64> = ds.iter().map(|d| d.id).collect();
    let mut children: BTreeMap<i64, Vec<&Department>> = BTreeMap::new();
    let mut roots = Vec::new();
    for d in ds {
        if d.parent_id != d.id && ids.contains(&d.parent_id) {
            children.entry(d.parent_id).or_default().push(d);
        } else {
            roots.push(d);
        }
    }
    let sort =
        |v: &mut Vec<&Department>| v.sort_by(|a, b| b.order.cmp(&a.order).then(a.id.cmp(&b.id)));
    sort(&mut roots);
    for v in children.values_mut() {
        sort(v);
    }
    let mut out = Vec::new();
    let mut stack: Vec<(&Department, usize)> = roots.into_iter().rev().map(|d| (d, 0)).collect();
    while let Some((d, depth)) = stack.pop() {
        if out.len() > ds.len() {
            break; // a cycle in bad data: never loop forever
        }
        out.push((d.clone(), depth));
        if let Some(kids) = children.get(&d.id) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    out
}

/// `id` and every department under it.
pub fn subtree(ds: &[Department], id: i64) -> Vec<i64> {
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() {
        let cur = out[i];
        for d in ds {
            if d.parent_id == cur && d.id != cur && !out.contains(&d.id) {
                out.push(d.id);
            }
        }
        i += 1;
    }
    out
}

pub fn status_key(s: MemberStatus) -> (Tone, K) {
    match s {
        MemberStatus::Active => (Tone::Green, K::WcStatusActive),
        MemberStatus::Disabled => (Tone::Red, K::WcStatusDisabled),
        MemberStatus::NotJoined => (Tone::Orange, K::WcStatusNotJoined),
        MemberStatus::Quit => (Tone::Neutral, K::WcStatusQuit),
    }
}

/// A reason the server recorded as text ("WeChat errcode 60111: …"), in `lang`: WeChat's code
/// translated where it has one; otherwise the text in English, a generic sentence in Chinese.
pub fn reason_text(raw: &str, lang: Lang) -> String {
    let code = raw.find("errcode").and_then(|at| {
        let digits: String = raw[at + 7..]
            .trim_start_matches([' ', ':', '='])
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        (!digits.is_empty()).then_some(digits)
    });
    if let Some(text) = code.and_then(|c| errors::reason_text(&format!("errcode:{c}"), lang)) {
        return text;
    }
    match lang {
        Lang::En => raw.to_string(),
        Lang::ZhCn => K::WcReasonUnknown.text(lang).to_string(),
    }
}

/// The message of a server field issue code of the contacts rules (`api::wecom_contacts`).
pub fn issue_key(code: &str) -> K {
    match code {
        "required" => K::Required,
        "userid_format" => K::WcErrUserid,
        "too_long" => K::WcErrTooLong,
        "department_name_chars" => K::WcErrDeptChars,
        "mobile_or_email" => K::WcErrMobileOrEmail,
        "mobile_format" => K::WcErrMobile,
        "email_format" => K::WcErrEmail,
        "main_department" => K::WcErrMainDept,
        "too_many" => K::WcErrTooManyDepts,
        "gender" => K::WcErrGender,
        "extattr_duplicate" => K::WcErrExtDuplicate,
        "extattr_url" => K::WcErrExtUrl,
        "extattr_appid" => K::WcErrExtAppid,
        "extattr_too_many" => K::WcErrExtTooMany,
        "invite_empty" => K::WcErrInviteEmpty,
        "invite_too_many" => K::WcErrInviteTooMany,
        _ => K::ErrValidation,
    }
}

#[component]
pub fn ContactsPage() -> impl IntoView {
    view! {
        <AccountSection
            tab=AccountTab::Contacts
            render=|account| {
                if account.kind == AccountKind::WorkApp {
                    view! { <ContactsView id=account.id /> }.into_any()
                } else {
                    view! {
                        <div class="card">
                            <EmptyState title=K::WcNotWorkApp body=K::WcNotWorkAppBody />
                        </div>
                    }
                        .into_any()
                }
            }
        />
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Org,
    Tags,
}

#[component]
fn ContactsView(id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    Effect::new(move |_| util::set_title(&format!("{} · wxportal", i.t(K::TabContacts))));
    let ctx = Contacts {
        account: id,
        generation: RwSignal::new(0),
        departments: RwSignal::new(Vec::new()),
        tags: RwSignal::new(Vec::new()),
        selected_dept: RwSignal::new(None),
        can_edit: Memo::new(move |_| session.allows(Role::Operator)),
    };
    provide_context(ctx);
    // `?view=tags` opens the tags (links and reloads keep the view).
    let query = leptos_router::hooks::use_query_map();
    let view_now = RwSignal::new(
        if query.with_untracked(|q| q.get("view").as_deref() == Some("tags")) {
            View::Tags
        } else {
            View::Org
        },
    );
    // Departments and tags are loaded here once per generation for every piece to read.
    let loaded = LocalResource::new(move || {
        ctx.generation.track();
        async move {
            let d = api::departments(id).await;
            let t = api::tags(id).await;
            (d, t)
        }
    });
    let load_error = RwSignal::new(None::<crate::api_client::ClientError>);
    Effect::new(move |_| {
        if let Some((d, t)) = loaded.get() {
            let mut err = None;
            match d {
                Ok(d) => ctx.departments.set(d),
                Err(e) => err = Some(e),
            }
            match t {
                Ok(t) => ctx.tags.set(t),
                Err(e) => err = err.or(Some(e)),
            }
            load_error.set(err);
        }
    });
    let set_view = move |v: View| {
        view_now.set(v);
        let url = if v == View::Tags {
            format!("/accounts/{id}/contacts?view=tags")
        } else {
            format!("/accounts/{id}/contacts")
        };
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    };
    let tab = move |v: View, key: K, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class=move || if view_now.get() == v { "tab tab-current" } else { "tab" }
                aria-selected=move || (view_now.get() == v).to_string()
                data-testid=testid
                on:click=move |_| set_view(v)
            >
                {move || i.t(key)}
            </button>
        }
    };
    view! {
        <sync::SyncCard />
        <Show when=move || ctx.can_edit.get()>
            <drift::DriftCard />
        </Show>
        {move || load_error.get().map(|e| view! {
            <div class="alert alert-error" role="alert">{e.message(i.lang())}</div>
        })}
        <TabStrip testid="contacts-views" label=Signal::derive(move || i.t(K::WcViews).to_string())>
            {tab(View::Org, K::WcViewOrg, "contacts-view-org")}
            {tab(View::Tags, K::WcViewTags, "contacts-view-tags")}
        </TabStrip>
        {move || match view_now.get() {
            View::Org => view! {
                <div class="wc-org">
                    <departments::DepartmentTree />
                    <members::MemberList />
                </div>
            }
                .into_any(),
            View::Tags => view! { <tags::TagsView /> }.into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(id: i64, parent_id: i64, order: i64) -> Department {
        Department {
            id,
            name: format!("d{id}"),
            name_en: String::new(),
            parent_id,
            order,
            member_count: 0,
        }
    }

    #[test]
    fn tree_puts_children_under_parents_by_order() {
        let ds = vec![d(1, 0, 0), d(3, 1, 1), d(2, 1, 5), d(4, 2, 0)];
        let order: Vec<(i64, usize)> = tree_order(&ds)
            .into_iter()
            .map(|(d, n)| (d.id, n))
            .collect();
        assert_eq!(order, vec![(1, 0), (2, 1), (4, 2), (3, 1)]);
        assert_eq!(subtree(&ds, 2), vec![2, 4]);
    }

    #[test]
    fn reasons_are_translated_from_their_errcode() {
        assert!(
            reason_text("WeChat errcode 60005: department contains user", Lang::ZhCn)
                .contains("60005")
        );
        assert_eq!(reason_text("timeout", Lang::En), "timeout");
        assert_ne!(reason_text("timeout", Lang::ZhCn), "timeout");
    }
}
