//! The textcard (文本卡片) fields: title, description, link and button text.

use api::wecom_messages::limits;
use leptos::prelude::*;

use super::draft::Draft;
use super::{bytes_help, issue_of};
use crate::components::FieldRow;
use crate::i18n::{K, fill, use_i18n};

#[component]
pub(super) fn TextcardFields(
    draft: RwSignal<Draft>,
    #[prop(into)] issues: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i = use_i18n();
    let err = move |f: &'static str| Signal::derive(move || issues.with(|l| issue_of(l, f)));
    view! {
        <FieldRow name="content.title" label=K::WmTitle required=true error=err("content.title")
            help=Signal::derive(move || draft.with(|d| bytes_help(&d.title, limits::TITLE, i.lang())))>
            <input id="f-content.title" class="input" data-testid="wm-title"
                prop:value=move || draft.with(|d| d.title.clone())
                on:input=move |ev| draft.update(|d| d.title = event_target_value(&ev)) />
        </FieldRow>
        <FieldRow name="content.description" label=K::WmDescription required=true error=err("content.description")
            help=Signal::derive(move || draft.with(|d| format!("{} · {}", bytes_help(&d.description, limits::DESCRIPTION, i.lang()), i.t(K::WmTextcardHtml))))>
            <textarea id="f-content.description" class="input" rows="4" data-testid="wm-description"
                prop:value=move || draft.with(|d| d.description.clone())
                on:input=move |ev| draft.update(|d| d.description = event_target_value(&ev))></textarea>
        </FieldRow>
        <FieldRow name="content.url" label=K::WmUrl required=true error=err("content.url")>
            <input id="f-content.url" class="input" type="url" inputmode="url" placeholder="https://" data-testid="wm-url"
                prop:value=move || draft.with(|d| d.url.clone())
                on:input=move |ev| draft.update(|d| d.url = event_target_value(&ev)) />
        </FieldRow>
        <FieldRow name="content.btntxt" label=K::WmBtnTxt error=err("content.btntxt")
            help=Signal::derive(move || fill(i.t(K::WmBtnTxtHelp), "n", &limits::BTNTXT_CHARS.to_string()))>
            <input id="f-content.btntxt" class="input" data-testid="wm-btntxt"
                prop:value=move || draft.with(|d| d.btntxt.clone())
                on:input=move |ev| draft.update(|d| d.btntxt = event_target_value(&ev)) />
        </FieldRow>
    }
}
