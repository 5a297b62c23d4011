//! Create or edit a member (a dialog), checked inline against WeCom's rules before anything is
//! sent (the same rules the server applies, `api::wecom_contacts::validate_member`): userid of
//! 1–64 letters, digits and `_ - . @`, a name, a mobile or an email, position length, and one
//! or more departments with the leader flag and the main department among them, and the
//! extended attributes (扩展属性, [`super::extattr`]).

use std::collections::BTreeSet;

use api::wecom_contacts::{Member, MemberDepartment, MemberInput, validate_member};
use api::wecom_extattr::ExtAttr;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::extattr::ExtAttrEditor;
use super::{api as capi, issue_key, tree_order, use_contacts};
use crate::components::form::CheckboxInput;
use crate::components::{FieldRow, Modal, icons, use_toasts};
use crate::i18n::{K, use_i18n};
use crate::util;

/// The fields of the form, as typed.
#[derive(Clone, Copy)]
struct Fields {
    userid: RwSignal<String>,
    name: RwSignal<String>,
    alias: RwSignal<String>,
    mobile: RwSignal<String>,
    email: RwSignal<String>,
    position: RwSignal<String>,
    gender: RwSignal<String>,
    enabled: RwSignal<bool>,
    /// `(department id, leader)` rows.
    departments: RwSignal<Vec<(i64, bool)>>,
    main_department: RwSignal<i64>,
    extattr: RwSignal<Vec<ExtAttr>>,
}

impl Fields {
    fn input(&self) -> MemberInput {
        let depts = self.departments.get();
        MemberInput {
            userid: self.userid.get().trim().to_string(),
            name: self.name.get().trim().to_string(),
            alias: self.alias.get().trim().to_string(),
            mobile: self.mobile.get().trim().to_string(),
            email: self.email.get().trim().to_string(),
            position: self.position.get().trim().to_string(),
            gender: self.gender.get(),
            departments: depts
                .iter()
                .map(|(id, leader)| MemberDepartment {
                    id: *id,
                    is_leader: *leader,
                })
                .collect(),
            main_department: self.main_department.get(),
            enabled: self.enabled.get(),
            extattr: Some(self.extattr.get()),
        }
    }
}

/// `member` None: a new member (in the department chosen in the tree).
#[component]
pub fn MemberForm(open: RwSignal<bool>, member: RwSignal<Option<Member>>) -> impl IntoView {
    let i = use_i18n();
    let ctx = use_contacts();
    let toasts = use_toasts();
    let f = Fields {
        userid: RwSignal::new(String::new()),
        name: RwSignal::new(String::new()),
        alias: RwSignal::new(String::new()),
        mobile: RwSignal::new(String::new()),
        email: RwSignal::new(String::new()),
        position: RwSignal::new(String::new()),
        gender: RwSignal::new("0".into()),
        enabled: RwSignal::new(true),
        departments: RwSignal::new(Vec::new()),
        main_department: RwSignal::new(1),
        extattr: RwSignal::new(Vec::new()),
    };
    // Fields whose errors show: touched ones, and all of them after a submit.
    let shown = RwSignal::new(BTreeSet::<&'static str>::new());
    let server_errors = RwSignal::new(Vec::<(String, String)>::new());
    let form_error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let editing = Memo::new(move |_| member.get().is_some());

    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let m = member.get_untracked();
        let dept = ctx.selected_dept.get_untracked().unwrap_or(1);
        f.userid
            .set(m.as_ref().map(|m| m.userid.clone()).unwrap_or_default());
        f.name
            .set(m.as_ref().map(|m| m.name.clone()).unwrap_or_default());
        f.alias
            .set(m.as_ref().map(|m| m.alias.clone()).unwrap_or_default());
        f.mobile.set(
            m.as_ref()
                .and_then(|m| m.mobile.clone())
                .unwrap_or_default(),
        );
        f.email
            .set(m.as_ref().and_then(|m| m.email.clone()).unwrap_or_default());
        f.position
            .set(m.as_ref().map(|m| m.position.clone()).unwrap_or_default());
        // Unknown (restricted) on an edit: blank, so WeCom keeps it.
        f.gender.set(match &m {
            Some(m) => m.gender.clone().unwrap_or_default(),
            None => "0".into(),
        });
        f.enabled.set(m.as_ref().map(|m| m.enabled).unwrap_or(true));
        f.departments.set(
            m.as_ref()
                .map(|m| m.departments.iter().map(|d| (d.id, d.is_leader)).collect())
                .unwrap_or_else(|| vec![(dept, false)]),
        );
        f.main_department
            .set(m.as_ref().map(|m| m.main_department).unwrap_or(dept));
        f.extattr
            .set(m.as_ref().map(|m| m.extattr.clone()).unwrap_or_default());
        shown.set(BTreeSet::new());
        server_errors.set(Vec::new());
        form_error.set(None);
    });

    let issues = Memo::new(move |_| {
        let mut issues = validate_member(&f.input());
        // An edit may leave mobile and email blank: WeCom keeps what it has (the server
        // allows it too; a restricted member's are unknown here anyway).
        if editing.get() {
            issues.retain(|x| x.code != "mobile_or_email");
        }
        issues
    });
    // The message under `field`: the server's answer first, then the local rules once shown.
    let error = move |field: &'static str| {
        Signal::derive(move || {
            if let Some((_, m)) =
                server_errors.with(|s| s.iter().find(|(k, _)| k == field).cloned())
            {
                return Some(m);
            }
            if !shown.with(|s| s.contains(field)) {
                return None;
            }
            issues.with(|is| {
                is.iter()
                    .find(|x| x.field == field)
                    .map(|x| i.t(issue_key(&x.code)).to_string())
            })
        })
    };
    // The attributes' issues, by their `extattr.N.part` field: the server's first.
    let ext_errors = Signal::derive(move || {
        let mut out: Vec<(String, String)> = server_errors.with(|s| {
            s.iter()
                .filter(|(k, _)| k.starts_with("extattr"))
                .cloned()
                .collect()
        });
        if shown.with(|s| s.contains("extattr")) {
            issues.with(|is| {
                for x in is.iter().filter(|x| x.field.starts_with("extattr")) {
                    if !out.iter().any(|(k, _)| *k == x.field) {
                        out.push((x.field.clone(), i.t(issue_key(&x.code)).to_string()));
                    }
                }
            });
        }
        out
    });
    let touch = move |field: &'static str| {
        move |_| {
            shown.update(|s| {
                s.insert(field);
            })
        }
    };
    let edited = move |field: &'static str, sig: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            server_errors.update(|s| s.retain(|(k, _)| k != field));
            sig.set(event_target_value(&ev));
        }
    };

    let dept_options = Memo::new(move |_| {
        tree_order(&ctx.departments.get())
            .into_iter()
            .map(|(d, depth)| (d.id, format!("{}{}", "　".repeat(depth), d.name)))
            .collect::<Vec<_>>()
    });
    let add_dept = {
        move |_| {
            let used: Vec<i64> = f
                .departments
                .with(|d| d.iter().map(|(id, _)| *id).collect());
            let next = ctx
                .selected_dept
                .get_untracked()
                .filter(|d| !used.contains(d))
                .or_else(|| {
                    dept_options
                        .get_untracked()
                        .into_iter()
                        .map(|(id, _)| id)
                        .find(|id| !used.contains(id))
                });
            if let Some(id) = next {
                f.departments.update(|d| d.push((id, false)));
                if used.is_empty() {
                    f.main_department.set(id);
                }
            }
        }
    };

    let on_submit = {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            shown.set(
                [
                    "userid",
                    "name",
                    "mobile",
                    "email",
                    "position",
                    "gender",
                    "departments",
                    "main_department",
                    "extattr",
                ]
                .into_iter()
                .collect(),
            );
            form_error.set(None);
            if !issues.get_untracked().is_empty() {
                form_error.set(Some(i.now(K::FixFieldErrors).to_string()));
                util::focus_first_error();
                return;
            }
            let req = f.input();
            let target = member.get_untracked();
            saving.set(true);
            spawn_local(async move {
                let r = match &target {
                    Some(m) => capi::update_member(ctx.account, &m.userid, &req).await,
                    None => capi::create_member(ctx.account, &req).await,
                };
                match r {
                    Ok(saved) => {
                        toasts.success(i.now(if target.is_some() {
                            K::WcMemberSaved
                        } else {
                            K::WcMemberCreated
                        }));
                        // WeCom drops attributes whose names its admin console lacks.
                        if !saved.extattr_ignored.is_empty() {
                            toasts.error(crate::i18n::fill(
                                i.now(K::WcExtIgnored),
                                "names",
                                &saved.extattr_ignored.join("、"),
                            ));
                        }
                        open.set(false);
                        ctx.changed();
                    }
                    Err(e) => {
                        let fields: Vec<(String, String)> = e
                            .fields()
                            .iter()
                            .map(|x| (x.field.clone(), i.now(issue_key(&x.code)).to_string()))
                            .collect();
                        if fields.is_empty() {
                            form_error.set(Some(e.message(i.lang_now())));
                        } else {
                            form_error.set(Some(i.now(K::FixFieldErrors).to_string()));
                            server_errors.set(fields);
                            util::focus_first_error();
                        }
                    }
                }
                let _ = saving.try_set(false);
            });
        }
    };

    let text_field = move |field: &'static str,
                           label: K,
                           sig: RwSignal<String>,
                           required: bool,
                           help: Option<Signal<String>>,
                           testid: &'static str| {
        view! {
            <FieldRow name=field label=label required=required error=error(field)
                help=help.unwrap_or_default()>
                <input
                    id=format!("f-{field}")
                    class="input"
                    class:mono=field == "userid"
                    data-testid=testid
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    disabled=move || field == "userid" && editing.get()
                    aria-invalid=move || error(field).with(|e| e.is_some()).then_some("true")
                    prop:value=move || sig.get()
                    on:input=edited(field, sig)
                    on:blur=touch(field)
                />
            </FieldRow>
        }
    };

    view! {
        <Modal
            open=open
            title=Signal::derive(move || i.t(if editing.get() { K::WcMemberEdit } else { K::WcMemberNew }).to_string())
        >
            <form on:submit=on_submit novalidate data-testid="member-form" class="wc-member-form">
                <div class="modal-body">
                    {move || form_error.get().map(|e| view! {
                        <div class="alert alert-error small" role="alert" data-testid="member-form-error">{e}</div>
                    })}
                    {text_field("userid", K::WcFieldUserid, f.userid, true, Some(Signal::derive(move || i.t(K::WcFieldUseridHelp).to_string())), "member-field-userid")}
                    {text_field("name", K::WcFieldName, f.name, true, None, "member-field-name")}
                    {text_field("alias", K::WcFieldAlias, f.alias, false, None, "member-field-alias")}
                    {text_field("mobile", K::WcFieldMobile, f.mobile, false, Some(Signal::derive(move || i.t(if editing.get() { K::WcFieldMobileEditHelp } else { K::WcFieldMobileHelp }).to_string())), "member-field-mobile")}
                    {text_field("email", K::WcFieldEmail, f.email, false, None, "member-field-email")}
                    {text_field("position", K::WcFieldPosition, f.position, false, None, "member-field-position")}
                    <FieldRow name="gender" label=K::WcFieldGender error=error("gender")>
                        <select id="f-gender" class="select" data-testid="member-field-gender"
                            on:change=move |ev| f.gender.set(event_target_value(&ev))>
                            <Show when=move || editing.get()>
                                <option value="" prop:selected=move || f.gender.with(String::is_empty)>{move || i.t(K::WcGenderKeep)}</option>
                            </Show>
                            {[("0", K::WcGenderUnknown), ("1", K::WcGenderMale), ("2", K::WcGenderFemale)].into_iter().map(|(v, k)| {
                                let g = f.gender;
                                view! { <option value=v prop:selected=move || g.get() == v>{move || i.t(k)}</option> }
                            }).collect_view()}
                        </select>
                    </FieldRow>
                    <FieldRow name="departments" label=K::WcFieldDepartments required=true error=Signal::derive(move || error("departments").get().or_else(|| error("main_department").get()))
                        help=Signal::derive(move || i.t(K::WcFieldDepartmentsHelp).to_string())>
                        <div class="wc-dept-rows" data-testid="member-depts-editor">
                            <For
                                each={move || f.departments.get().into_iter().enumerate().collect::<Vec<_>>()}
                                key=|(n, (id, leader))| (*n, *id, *leader)
                                children={
                                    move |(n, (id, leader))| {
                                        view! {
                                            <div class="wc-dept-row" data-testid="member-dept-row">
                                                <select class="select" data-testid="member-dept-select" aria-label=move || i.t(K::WcFieldDepartments)
                                                    on:change=move |ev| {
                                                        let v: i64 = event_target_value(&ev).parse().unwrap_or(id);
                                                        if f.main_department.get_untracked() == id { f.main_department.set(v); }
                                                        f.departments.update(|d| if let Some(r) = d.get_mut(n) { r.0 = v; });
                                                    }>
                                                    {move || dept_options.get().into_iter().map(|(did, label)| view! {
                                                        <option value=did.to_string() prop:selected=did == id>{label}</option>
                                                    }).collect_view()}
                                                </select>
                                                <label class="wc-inline-check">
                                                    <input type="checkbox" data-testid="member-dept-leader" prop:checked=leader
                                                        on:change=move |ev| { let c = event_target_checked(&ev); f.departments.update(|d| if let Some(r) = d.get_mut(n) { r.1 = c; }); } />
                                                    <span>{move || i.t(K::WcLeader)}</span>
                                                </label>
                                                <label class="wc-inline-check">
                                                    <input type="radio" name="main-dept" data-testid="member-dept-main" prop:checked=move || f.main_department.get() == id
                                                        on:change=move |_| f.main_department.set(id) />
                                                    <span>{move || i.t(K::WcMainDept)}</span>
                                                </label>
                                                <button type="button" class="icon-btn" data-testid="member-dept-remove" title=move || i.t(K::WcRemove) aria-label=move || i.t(K::WcRemove)
                                                    on:click=move |_| {
                                                        f.departments.update(|d| { if n < d.len() { d.remove(n); } });
                                                        shown.update(|s| { s.insert("departments"); });
                                                    }>
                                                    {icons::close()}
                                                </button>
                                            </div>
                                        }
                                    }
                                }
                            />
                            <button type="button" class="btn btn-sm" data-testid="member-dept-add" on:click=add_dept>
                                {icons::plus()}
                                <span>{move || i.t(K::WcAddDepartment)}</span>
                            </button>
                        </div>
                    </FieldRow>
                    <FieldRow name="extattr" label=K::WcFieldExtattr error=Signal::derive(|| None::<String>)
                        help=Signal::derive(move || i.t(K::WcFieldExtattrHelp).to_string())>
                        <ExtAttrEditor
                            rows=f.extattr
                            errors=ext_errors
                            on_touch=Callback::new(move |()| shown.update(|s| { s.insert("extattr"); }))
                            on_edit=Callback::new(move |()| server_errors.update(|s| s.retain(|(k, _)| !k.starts_with("extattr"))))
                        />
                    </FieldRow>
                    <CheckboxInput text=K::WcFieldEnabled checked=f.enabled on_change=move |v| f.enabled.set(v) testid="member-field-enabled" />
                </div>
                <div class="modal-foot">
                    <button type="button" class="btn" on:click=move |_| open.set(false)>{move || i.t(K::Cancel)}</button>
                    <button type="submit" class="btn btn-primary" data-testid="member-save" disabled=move || saving.get()>
                        {move || if saving.get() { i.t(K::Saving) } else { i.t(K::Save) }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
