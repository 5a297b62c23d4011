//! The department tree: expand / collapse, direct member counts, search by name, choosing a
//! department (the member list shows its subtree), and — for operators — create, rename, move
//! (parent picker), reorder (WeCom's `order`, larger first) and delete, where WeCom's refusal
//! (60005 members left, 60006 sub-departments left, …) is shown with its reason. A department
//! can also be dragged onto another to move under it (HTML5 drag and drop; the edit dialog's
//! parent picker stays the keyboard path); its own subtree is no target.

use std::collections::BTreeSet;

use api::wecom_contacts::{
    Department, DepartmentInput, DepartmentUpdate, validate_department_name,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{api as capi, issue_key, subtree, tree_order, use_contacts};
use crate::components::{ConfirmDialog, FieldRow, Modal, SearchBox, icons, use_toasts};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

#[component]
pub fn DepartmentTree() -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let q = RwSignal::new(String::new());
    let collapsed = RwSignal::new(BTreeSet::<i64>::new());
    // WeCom's last refusal of a delete, shown in the card until the next action.
    let refusal = RwSignal::new(None::<String>);

    // The rows shown: the tree minus collapsed subtrees; while searching, the matches with
    // their ancestors (collapsing ignored).
    let rows = Memo::new(move |_| {
        let ds = ctx.departments.get();
        let ordered = tree_order(&ds);
        let needle = q.get().trim().to_lowercase();
        if !needle.is_empty() {
            let mut keep = BTreeSet::new();
            for d in ds
                .iter()
                .filter(|d| d.name.to_lowercase().contains(&needle))
            {
                let mut cur = Some(d.clone());
                let mut guard = 0;
                while let Some(c) = cur {
                    if !keep.insert(c.id) || guard > ds.len() {
                        break;
                    }
                    guard += 1;
                    cur = ds
                        .iter()
                        .find(|p| p.id == c.parent_id && p.id != c.id)
                        .cloned();
                }
            }
            return ordered
                .into_iter()
                .filter(|(d, _)| keep.contains(&d.id))
                .map(|(d, depth)| {
                    let kids = ds.iter().any(|c| c.parent_id == d.id && c.id != d.id);
                    (d, depth, kids)
                })
                .collect::<Vec<_>>();
        }
        let hidden = collapsed.with(|c| {
            let mut h = BTreeSet::new();
            for id in c {
                h.extend(subtree(&ds, *id).into_iter().skip(1));
            }
            h
        });
        ordered
            .into_iter()
            .filter(|(d, _)| !hidden.contains(&d.id))
            .map(|(d, depth)| {
                let kids = ds.iter().any(|c| c.parent_id == d.id && c.id != d.id);
                (d, depth, kids)
            })
            .collect::<Vec<_>>()
    });

    // Drag-move: the department dragged, and the row under the pointer with whether it takes it.
    let dragging = RwSignal::new(None::<i64>);
    let over = RwSignal::new(None::<(i64, bool)>);
    let may_drop = move |target: i64| {
        dragging.get_untracked().is_some_and(|src| {
            ctx.departments.with_untracked(|ds| {
                !subtree(ds, src).contains(&target)
                    && ds.iter().any(|d| d.id == src && d.parent_id != target)
            })
        })
    };
    let move_under = move |src: i64, target: i64| {
        refusal.set(None);
        spawn_local(async move {
            let req = DepartmentUpdate {
                parent_id: Some(target),
                ..Default::default()
            };
            match capi::update_department(ctx.account, src, &req).await {
                Ok(d) => {
                    toasts.success(fill(
                        &fill(i.now(K::WcDeptMoved), "name", &d.name),
                        "parent",
                        &ctx.dept_name(target),
                    ));
                    ctx.changed();
                }
                Err(e) => refusal.set(Some(e.message(i.lang_now()))),
            }
        });
    };

    // The create / edit dialog.
    let dialog_open = RwSignal::new(false);
    let editing = RwSignal::new(None::<Department>);
    let new_parent = RwSignal::new(1i64);
    let open_new = move |parent: i64| {
        editing.set(None);
        new_parent.set(parent);
        refusal.set(None);
        dialog_open.set(true);
    };
    let open_edit = move |d: Department| {
        editing.set(Some(d));
        refusal.set(None);
        dialog_open.set(true);
    };

    // Delete.
    let confirm_open = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let to_delete = RwSignal::new(None::<Department>);
    let on_delete = Callback::new(move |()| {
        let Some(d) = to_delete.get_untracked() else {
            return;
        };
        deleting.set(true);
        spawn_local(async move {
            match capi::delete_department(ctx.account, d.id).await {
                Ok(()) => {
                    toasts.success(i.now(K::WcDeptDeleted));
                    if ctx.selected_dept.get_untracked() == Some(d.id) {
                        ctx.selected_dept.set(None);
                    }
                    ctx.changed();
                }
                Err(e) => {
                    let msg = e.message(i.lang_now());
                    toasts.error(msg.clone());
                    refusal.set(Some(fill(
                        &fill(i.now(K::WcDeptDeleteRefused), "name", &d.name),
                        "reason",
                        &msg,
                    )));
                }
            }
            let _ = deleting.try_set(false);
            let _ = confirm_open.try_set(false);
        });
    });

    view! {
        <section class="card wc-tree-card" data-testid="dept-tree">
            <div class="card-head">
                <h2 class="section-title">{move || i.t(K::WcDepartments)}</h2>
                <Show when=move || ctx.can_edit.get()>
                    <button
                        type="button"
                        class="btn btn-sm"
                        data-testid="dept-new"
                        on:click=move |_| open_new(ctx.selected_dept.get_untracked().unwrap_or(1))
                    >
                        {icons::plus()}
                        <span>{move || i.t(K::WcDeptNew)}</span>
                    </button>
                </Show>
            </div>
            <SearchBox
                placeholder=K::WcDeptSearch
                value=q
                on_input=Callback::new(move |v| q.set(v))
                testid="dept-search"
            />
            {move || over.get().filter(|(_, ok)| !ok).map(|_| view! {
                <div class="alert alert-warn small" role="status" data-testid="dept-drop-refused">{move || i.t(K::WcDeptDropOwnSubtree)}</div>
            })}
            {move || refusal.get().map(|r| view! {
                <div class="alert alert-error small wc-refusal" role="alert" data-testid="dept-error">{r}</div>
            })}
            <button
                type="button"
                class="wc-tree-all"
                class:wc-tree-current=move || ctx.selected_dept.get().is_none()
                data-testid="dept-all"
                on:click=move |_| ctx.selected_dept.set(None)
            >
                {move || i.t(K::WcAllMembers)}
            </button>
            <ul class="wc-tree" role="tree" aria-label=move || i.t(K::WcDepartments)>
                <For
                    each=move || rows.get()
                    key=|(d, depth, kids)| (d.id, d.name.clone(), d.parent_id, d.order, d.member_count, *depth, *kids)
                    children=move |(d, depth, kids)| {
                        let did = d.id;
                        let is_open = move || !collapsed.with(|c| c.contains(&did));
                        let edit_d = d.clone();
                        let del_d = d.clone();
                        let name = d.name.clone();
                        let movable = d.parent_id != 0 && did != 1;
                        view! {
                            <li
                                class="wc-tree-row"
                                class:wc-drop-ok=move || over.get() == Some((did, true))
                                class:wc-drop-no=move || over.get() == Some((did, false))
                                class:wc-dragging=move || dragging.get() == Some(did)
                                draggable=move || if movable && ctx.can_edit.get() { "true" } else { "false" }
                                title=move || (movable && ctx.can_edit.get()).then(|| i.t(K::WcDeptDragHint))
                                on:dragstart=move |ev: web_sys::DragEvent| {
                                    if !movable || !ctx.can_edit.get_untracked() {
                                        ev.prevent_default();
                                        return;
                                    }
                                    if let Some(dt) = ev.data_transfer() {
                                        dt.set_effect_allowed("move");
                                        let _ = dt.set_data("text/plain", &did.to_string());
                                    }
                                    refusal.set(None);
                                    dragging.set(Some(did));
                                }
                                on:dragover=move |ev: web_sys::DragEvent| {
                                    if dragging.get_untracked().is_none() {
                                        return;
                                    }
                                    let ok = may_drop(did);
                                    // Allowing the drop is what preventDefault means here.
                                    if ok {
                                        ev.prevent_default();
                                    }
                                    if let Some(dt) = ev.data_transfer() {
                                        dt.set_drop_effect(if ok { "move" } else { "none" });
                                    }
                                    if over.get_untracked() != Some((did, ok)) {
                                        over.set(Some((did, ok)));
                                    }
                                }
                                on:drop=move |ev: web_sys::DragEvent| {
                                    ev.prevent_default();
                                    let src = dragging.get_untracked();
                                    let ok = may_drop(did);
                                    dragging.set(None);
                                    over.set(None);
                                    if let (Some(src), true) = (src, ok) {
                                        move_under(src, did);
                                    }
                                }
                                on:dragend=move |_| {
                                    dragging.set(None);
                                    // A refused target's note stays until the next drag or action.
                                    over.update(|o| if o.is_some_and(|(_, ok)| ok) { *o = None; });
                                }
                                class:wc-tree-current=move || ctx.selected_dept.get() == Some(did)
                                role="treeitem"
                                aria-expanded=kids.then_some(move || is_open().to_string())
                                aria-selected=move || (ctx.selected_dept.get() == Some(did)).to_string()
                                data-testid="dept-row"
                                data-id=did.to_string()
                                style=format!("padding-left:{}px", 4 + depth * 18)
                            >
                                {if kids {
                                    view! {
                                        <button
                                            type="button"
                                            class="wc-tree-toggle"
                                            data-testid="dept-toggle"
                                            aria-label=move || i.t(if is_open() { K::WcCollapse } else { K::WcExpand })
                                            on:click=move |_| collapsed.update(|c| { if !c.remove(&did) { c.insert(did); } })
                                        >
                                            {move || if is_open() { "▾" } else { "▸" }}
                                        </button>
                                    }.into_any()
                                } else {
                                    view! { <span class="wc-tree-toggle" aria-hidden="true"></span> }.into_any()
                                }}
                                <button
                                    type="button"
                                    class="wc-tree-name"
                                    data-testid="dept-name"
                                    data-user-content
                                    title=name.clone()
                                    on:click=move |_| ctx.selected_dept.set(Some(did))
                                >
                                    {name.clone()}
                                </button>
                                <span class="wc-tree-count" data-testid="dept-count" title=move || i.t(K::WcDirectMembers)>{d.member_count}</span>
                                <Show when=move || ctx.can_edit.get()>
                                    <span class="wc-tree-actions">
                                        <button type="button" class="icon-btn" data-testid="dept-add-child" title=move || i.t(K::WcDeptAddChild) aria-label=move || i.t(K::WcDeptAddChild) on:click=move |_| open_new(did)>
                                            {icons::plus()}
                                        </button>
                                        <button type="button" class="icon-btn" data-testid="dept-edit" title=move || i.t(K::Edit) aria-label=move || i.t(K::Edit) on:click={
                                            let d = edit_d.clone();
                                            move |_| open_edit(d.clone())
                                        }>
                                            {icons::edit()}
                                        </button>
                                        <button type="button" class="icon-btn" data-testid="dept-delete" title=move || i.t(K::Delete) aria-label=move || i.t(K::Delete) on:click={
                                            let d = del_d.clone();
                                            move |_| {
                                                refusal.set(None);
                                                to_delete.set(Some(d.clone()));
                                                confirm_open.set(true);
                                            }
                                        }>
                                            {icons::trash()}
                                        </button>
                                    </span>
                                </Show>
                            </li>
                        }
                    }
                />
            </ul>
            {move || (rows.with(|r| r.is_empty())).then(|| view! {
                <p class="muted small" data-testid="dept-empty">
                    {move || i.t(if q.with(|q| q.trim().is_empty()) { K::WcDeptEmpty } else { K::WcDeptNoMatch })}
                </p>
            })}
            <DepartmentDialog open=dialog_open editing=editing new_parent=new_parent />
            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(move || fill(i.t(K::WcDeptDeleteTitle), "name", &to_delete.get().map(|d| d.name).unwrap_or_default()))
                body=Signal::derive(move || i.t(K::WcDeptDeleteBody).to_string())
                confirm_label=K::Delete
                busy_label=K::Deleting
                busy=deleting
                on_confirm=on_delete
            />
        </section>
    }
}

/// Create (`editing` None, under `new_parent`) or edit a department: name, parent, order.
#[component]
fn DepartmentDialog(
    open: RwSignal<bool>,
    editing: RwSignal<Option<Department>>,
    new_parent: RwSignal<i64>,
) -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let order = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    // Fill the fields whenever the dialog opens.
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let e = editing.get_untracked();
        name.set(e.as_ref().map(|d| d.name.clone()).unwrap_or_default());
        parent.set(
            e.as_ref()
                .map(|d| d.parent_id)
                .unwrap_or_else(|| new_parent.get_untracked())
                .to_string(),
        );
        order.set(e.as_ref().map(|d| d.order.to_string()).unwrap_or_default());
        touched.set(false);
        server_error.set(None);
    });
    let is_root =
        move || editing.with(|e| e.as_ref().is_some_and(|d| d.id == 1 || d.parent_id == 0));
    let name_error = Signal::derive(move || {
        if let Some(e) = server_error.get() {
            return Some(e);
        }
        if !touched.get() {
            return None;
        }
        validate_department_name(&name.get()).map(|is| i.t(issue_key(&is.code)).to_string())
    });
    let order_error = Signal::derive(move || {
        let o = order.get();
        (touched.get() && !o.trim().is_empty() && o.trim().parse::<i64>().is_err())
            .then(|| i.t(K::WcErrOrder).to_string())
    });
    // Parent choices: every department except the edited one and its subtree (no cycles).
    let parents = Memo::new(move |_| {
        let ds = ctx.departments.get();
        let banned = editing
            .get()
            .map(|d| subtree(&ds, d.id))
            .unwrap_or_default();
        tree_order(&ds)
            .into_iter()
            .filter(|(d, _)| !banned.contains(&d.id))
            .map(|(d, depth)| (d.id, format!("{}{}", "　".repeat(depth), d.name)))
            .collect::<Vec<_>>()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        server_error.set(None);
        if name_error.get_untracked().is_some() || order_error.get_untracked().is_some() {
            util::focus_first_error();
            return;
        }
        let n = name.get_untracked().trim().to_string();
        let p: i64 = parent.get_untracked().parse().unwrap_or(1);
        let o: Option<i64> = order.get_untracked().trim().parse().ok();
        let target = editing.get_untracked();
        saving.set(true);
        spawn_local(async move {
            let r = match &target {
                None => {
                    capi::create_department(
                        ctx.account,
                        &DepartmentInput {
                            name: n,
                            parent_id: p,
                            order: o,
                        },
                    )
                    .await
                }
                Some(d) => {
                    // Only what changed goes to WeCom.
                    let req = DepartmentUpdate {
                        name: (n != d.name).then_some(n),
                        parent_id: (p != d.parent_id && d.parent_id != 0 && d.id != 1).then_some(p),
                        order: o.filter(|o| *o != d.order),
                    };
                    capi::update_department(ctx.account, d.id, &req).await
                }
            };
            match r {
                Ok(d) => {
                    toasts.success(i.now(if target.is_some() {
                        K::WcDeptSaved
                    } else {
                        K::WcDeptCreated
                    }));
                    open.set(false);
                    if target.is_none() {
                        ctx.selected_dept.set(Some(d.id));
                    }
                    ctx.changed();
                }
                Err(e) => {
                    let field = e
                        .fields()
                        .iter()
                        .find(|f| f.field == "name")
                        .map(|f| i.now(issue_key(&f.code)).to_string());
                    server_error.set(Some(field.unwrap_or_else(|| e.message(i.lang_now()))));
                }
            }
            let _ = saving.try_set(false);
        });
    };
    view! {
        <Modal
            open=open
            title=Signal::derive(move || i.t(if editing.get().is_some() { K::WcDeptEdit } else { K::WcDeptNew }).to_string())
        >
            <form on:submit=on_submit novalidate data-testid="dept-form">
                <div class="modal-body">
                    <FieldRow name="dept_name" label=K::WcDeptName required=true error=name_error
                        help=Signal::derive(move || i.t(K::WcDeptNameHelp).to_string())>
                        <input
                            id="f-dept_name"
                            class="input"
                            data-testid="dept-field-name"
                            autocomplete="off"
                            aria-invalid=move || name_error.with(|e| e.is_some()).then_some("true")
                            prop:value=move || name.get()
                            on:input=move |ev| { server_error.set(None); name.set(event_target_value(&ev)); }
                            on:blur=move |_| touched.set(true)
                        />
                    </FieldRow>
                    <Show when=move || !is_root()>
                        <FieldRow name="dept_parent" label=K::WcDeptParent required=true error=Signal::derive(|| None::<String>)
                            help=Signal::derive(move || i.t(K::WcDeptParentHelp).to_string())>
                            <select
                                id="f-dept_parent"
                                class="select"
                                data-testid="dept-field-parent"
                                on:change=move |ev| parent.set(event_target_value(&ev))
                            >
                                {move || parents.get().into_iter().map(|(id, label)| {
                                    let v = id.to_string();
                                    view! { <option value=v.clone() prop:selected=move || parent.get() == v>{label}</option> }
                                }).collect_view()}
                            </select>
                        </FieldRow>
                    </Show>
                    <FieldRow name="dept_order" label=K::WcDeptOrder error=order_error
                        help=Signal::derive(move || i.t(K::WcDeptOrderHelp).to_string())>
                        <input
                            id="f-dept_order"
                            class="input"
                            inputmode="numeric"
                            data-testid="dept-field-order"
                            autocomplete="off"
                            prop:value=move || order.get()
                            on:input=move |ev| order.set(event_target_value(&ev))
                        />
                    </FieldRow>
                </div>
                <div class="modal-foot">
                    <button type="button" class="btn" on:click=move |_| open.set(false)>{move || i.t(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="dept-save" disabled=move || saving.get()>
                        {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
