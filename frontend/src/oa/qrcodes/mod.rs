//! `/accounts/:id/qrcodes`: parametric QR codes (带参数二维码) — the list with scan counts,
//! search and paging, the create dialog (WeChat's limits checked inline, the same rules as the
//! server's), and per code (`detail`) the image, short link and daily statistics.

pub mod api;
pub mod detail;

use ::api::accounts::Account;
use ::api::qrcodes::{self, CreateQrCode, QrCode};
use ::api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::AccountPage;
use crate::accounts::AccountTab;
use crate::auth::use_session;
use crate::components::form::{SelectInput, TextAreaInput, TextInput};
use crate::components::{
    CopyButton, EmptyState, ErrorState, FilterOption, FilterSelect, Modal, Pager, SearchBox,
    SkeletonRows, debounced, icons, reload, use_toasts,
};
use crate::i18n::{I18n, K, fill, use_i18n};
use crate::oa::qrcodes::api as qr_api;
use crate::util;

pub use detail::QrCodeDetailPage;

const PER_PAGE: u64 = 20;

#[component]
pub fn QrCodesPage() -> impl IntoView {
    view! { <AccountPage tab=AccountTab::QrCodes render=|a: Account| view! { <QrCodes account=a /> }.into_any() /> }
}

/// "Permanent" / "expires …" / "expired" for a code.
pub fn lifetime_badge(i: I18n, qr: &QrCode) -> AnyView {
    if qr.permanent {
        view! { <span class="badge badge-green">{move || i.t(K::QrPermanent)}</span> }.into_any()
    } else if qr.expired {
        view! { <span class="badge badge-red">{move || i.t(K::QrExpired)}</span> }.into_any()
    } else {
        let until = qr
            .expires_at
            .clone()
            .map(|e| util::format_time(&e))
            .unwrap_or_default();
        let shown = until.clone();
        view! {
            <span class="badge badge-orange" title=until>
                {move || fill(i.t(K::QrExpiresAt), "at", &shown)}
            </span>
        }
        .into_any()
    }
}

#[component]
fn QrCodes(account: Account) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let can_edit = Memo::new(move |_| session.allows(Role::Operator));
    let id = account.id;
    let q_input = RwSignal::new(String::new());
    let q = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let page = RwSignal::new(1u64);
    let data = LocalResource::new(move || {
        let (q, k, p) = (q.get(), kind.get(), page.get());
        async move { qr_api::list(id, &q, &k, p, PER_PAGE).await }
    });
    let creating = RwSignal::new(false);
    let on_created = Callback::new(move |_qr: QrCode| {
        page.set(1);
        reload(data);
    });

    view! {
        <div class="page-header">
            <div class="page-heading">
                <h2 class="section-title">{move || i.t(K::QrTitle)}</h2>
                <p class="muted">{move || i.t(K::QrSubtitle)}</p>
            </div>
            <div class="page-actions">
                <Show when=move || can_edit.get()>
                    <button type="button" class="btn btn-primary" data-testid="qr-new" on:click=move |_| creating.set(true)>
                        {icons::plus()}
                        <span>{move || i.t(K::QrNew)}</span>
                    </button>
                </Show>
            </div>
        </div>
        <div class="card table-card">
            <div class="toolbar toolbar-wrap">
                <SearchBox
                    placeholder=K::QrSearch
                    value=q_input
                    on_input=debounced(q_input, Callback::new(move |v| { q.set(v); page.set(1); }))
                    testid="qr-search"
                />
                <FilterSelect
                    label=K::QrKind
                    value=kind
                    on_change=move |v| { kind.set(v); page.set(1); }
                    options=vec![
                        FilterOption::key("permanent", K::QrPermanent),
                        FilterOption::key("temporary", K::QrTemporary),
                    ]
                    testid="qr-kind"
                />
            </div>
            {move || match data.get() {
                None => view! { <SkeletonRows rows=4 cols=5 /> }.into_any(),
                Some(Err(e)) => view! { <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) /> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! {
                    <EmptyState title=K::QrEmpty body=K::QrEmptyBody testid="qr-empty" />
                }
                    .into_any(),
                Some(Ok(p)) => {
                    let total = p.total;
                    view! {
                        <div class="table-wrap">
                            <table class="table" data-testid="qr-table">
                                <thead>
                                    <tr>
                                        <th>{move || i.t(K::QrName)}</th>
                                        <th>{move || i.t(K::QrScene)}</th>
                                        <th class="hide-sm">{move || i.t(K::QrKind)}</th>
                                        <th class="num">{move || i.t(K::QrScans)}</th>
                                        <th class="num hide-sm">{move || i.t(K::QrSubscribes)}</th>
                                        <th>{move || i.t(K::Actions)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {p.items.into_iter().map(|qr| row(i, id, qr)).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Pager page=page total=Signal::derive(move || total) per_page=Signal::derive(|| PER_PAGE) on_page=move |p| page.set(p) />
                    }
                        .into_any()
                }
            }}
        </div>
        <CreateDialog account=id open=creating on_created=on_created />
    }
}

fn row(i: I18n, account: i64, qr: QrCode) -> impl IntoView {
    let href = format!("/accounts/{account}/qrcodes/{}", qr.id);
    let download = format!("{}?download=1", qr_api::image_url(account, qr.id));
    let url = qr.url.clone();
    let live = !qr.expired;
    let badge = lifetime_badge(i, &qr);
    view! {
        <tr data-testid="qr-row" data-scene=qr.scene.clone()>
            <td>
                <A href=href.clone() attr:class="link" attr:data-testid="qr-open">{qr.name.clone()}</A>
                {(!qr.note.is_empty()).then(|| view! { <div class="muted small ellipsis">{qr.note.clone()}</div> })}
            </td>
            <td class="mono">{qr.scene.clone()}</td>
            <td class="hide-sm">{badge}</td>
            <td class="num" data-testid="qr-scans">{qr.scans}</td>
            <td class="num hide-sm" data-testid="qr-subscribes">{qr.subscribes}</td>
            <td class="row-actions">
                {live.then(|| view! {
                    <a class="btn btn-sm btn-ghost" href=download.clone() download="">{move || i.t(K::Download)}</a>
                    <CopyButton text=Signal::derive(move || url.clone()) testid="qr-copy-url" />
                })}
            </td>
        </tr>
    }
}

/// The create form's fields.
#[derive(Clone, Copy)]
struct Form {
    name: RwSignal<String>,
    note: RwSignal<String>,
    lifetime: RwSignal<String>,
    scene_kind: RwSignal<String>,
    scene: RwSignal<String>,
    days: RwSignal<String>,
}

impl Form {
    fn new() -> Form {
        Form {
            name: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            lifetime: RwSignal::new("temporary".into()),
            scene_kind: RwSignal::new("str".into()),
            scene: RwSignal::new(String::new()),
            days: RwSignal::new("30".into()),
        }
    }

    fn request(&self) -> CreateQrCode {
        let permanent = self.lifetime.get() == "permanent";
        let scene = self.scene.get().trim().to_string();
        let numeric = self.scene_kind.get() == "id";
        CreateQrCode {
            name: self.name.get(),
            note: self.note.get(),
            permanent,
            // A non-number in the number field becomes 0, which the range rule refuses.
            scene_id: (numeric && !scene.is_empty()).then(|| scene.parse().unwrap_or(0)),
            scene_str: (!numeric && !scene.is_empty()).then_some(scene),
            expire_seconds: (!permanent)
                .then(|| self.days.get().trim().parse::<i64>().ok())
                .flatten()
                .map(|d| d * 86_400),
        }
    }
}

#[component]
fn CreateDialog(
    account: i64,
    open: RwSignal<bool>,
    #[prop(into)] on_created: Callback<QrCode>,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let f = Form::new();
    let touched = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let server_errors: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let issues = Memo::new(move |_| qrcodes::validate_create(&f.request()));
    // The field the browser shows an issue under (`scene`, `scene_id` and `scene_str` are one input).
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            let local = touched.get().then(|| {
                issues.get().into_iter().find(|(name, _)| {
                    let name = *name;
                    name == field
                        || (field == "scene" && name.starts_with("scene"))
                        || (field == "days" && name == "expire_seconds")
                })
            });
            match local.flatten() {
                Some(("expire_seconds", ::api::validate::Rule::Range { .. })) => {
                    Some(i.now(K::QrDaysRange).to_string())
                }
                Some((_, rule)) => Some(rule.message(i.lang())),
                None => server_errors
                    .get()
                    .into_iter()
                    .find(|(name, _)| {
                        name == field || (field == "scene" && name.starts_with("scene"))
                    })
                    .map(|(_, m)| m),
            }
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if !issues.get_untracked().is_empty() {
            util::focus_first_error();
            return;
        }
        let req = f.request();
        saving.set(true);
        server_errors.set(Vec::new());
        spawn_local(async move {
            let r = qr_api::create(account, &req).await;
            saving.set(false);
            match r {
                Ok(qr) => {
                    toasts.success(i.now(K::QrCreated));
                    open.set(false);
                    touched.set(false);
                    f.name.set(String::new());
                    f.note.set(String::new());
                    f.scene.set(String::new());
                    on_created.run(qr);
                }
                Err(e) => {
                    let fields = e.field_messages(i.lang_now());
                    if fields.is_empty() {
                        toasts.error(e.message(i.lang_now()));
                    } else {
                        server_errors.set(fields);
                    }
                }
            }
        });
    };
    let scene_label = Signal::derive(move || {
        i.t(if f.scene_kind.get() == "id" {
            K::QrSceneIdHelp
        } else {
            K::QrSceneStrHelp
        })
        .to_string()
    });
    view! {
        <Modal open=open title=Signal::derive(move || i.t(K::QrNew).to_string())>
            <form on:submit=submit novalidate data-testid="qr-form">
                <div class="modal-body">
                    <TextInput name="name" label=K::QrName required=true value=f.name on_input=move |v| f.name.set(v) error=error_for("name") testid="qr-name" />
                    <SelectInput
                        name="lifetime"
                        label=K::QrKind
                        options=vec![("temporary", K::QrTemporary), ("permanent", K::QrPermanent)]
                        value=f.lifetime
                        on_change=move |v| f.lifetime.set(v)
                        help=Signal::derive(move || i.t(if f.lifetime.get() == "permanent" { K::QrPermanentHelp } else { K::QrTemporaryHelp }).to_string())
                        testid="qr-lifetime"
                    />
                    <Show when=move || f.lifetime.get() == "temporary">
                        <TextInput name="days" label=K::QrDays numeric=true required=true value=f.days on_input=move |v| f.days.set(v) error=error_for("days") testid="qr-days" />
                    </Show>
                    <SelectInput
                        name="scene_kind"
                        label=K::QrSceneKind
                        options=vec![("str", K::QrSceneStr), ("id", K::QrSceneId)]
                        value=f.scene_kind
                        on_change=move |v| f.scene_kind.set(v)
                        testid="qr-scene-kind"
                    />
                    <TextInput name="scene" label=K::QrScene required=true mono=true value=f.scene on_input=move |v| f.scene.set(v) error=error_for("scene") help=scene_label testid="qr-scene" />
                    <TextAreaInput name="note" label=K::QrNote value=f.note on_input=move |v| f.note.set(v) error=error_for("note") rows=2 testid="qr-note" />
                </div>
                <div class="modal-foot">
                    <button type="button" class="btn" on:click=move |_| open.set(false)>{move || i.t(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="qr-save" disabled=move || saving.get()>
                        {move || if saving.get() { i.t(K::Saving) } else { i.t(K::QrCreate) }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
