//! A file chosen for an image, voice, video or file message (or an mpnews thumbnail), uploaded
//! at once as a WeCom temporary medium; WeCom's size limits are checked before the upload.

use api::wecom_messages::media_limit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::api as wm_api;
use crate::components::icons;
use crate::i18n::{K, fill, use_i18n};
use crate::util;

fn accept(kind: &str) -> &'static str {
    match kind {
        "image" => ".jpg,.jpeg,.png,image/jpeg,image/png",
        "voice" => ".amr,audio/amr",
        "video" => ".mp4,video/mp4",
        _ => "",
    }
}

fn hint(kind: &str) -> K {
    match kind {
        "image" => K::WmMediaHintImage,
        "voice" => K::WmMediaHintVoice,
        "video" => K::WmMediaHintVideo,
        _ => K::WmMediaHintFile,
    }
}

/// `value` is the current (media_id, file name); `on_uploaded` gets the new pair.
#[component]
pub(super) fn MediaField(
    id: i64,
    kind: &'static str,
    #[prop(into)] value: Signal<(String, String)>,
    on_uploaded: Callback<(String, String)>,
    testid: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let i = use_i18n();
    let busy = RwSignal::new(false);
    let upload_error: RwSignal<Option<String>> = RwSignal::new(None);
    let expires: RwSignal<Option<String>> = RwSignal::new(None);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let size = file.size() as usize;
        let max = media_limit(kind).unwrap_or(0);
        if size < 5 {
            upload_error.set(Some(i.now(K::WmMediaTooSmall).to_string()));
            return;
        }
        if size > max {
            upload_error.set(Some(fill(
                i.now(K::WmMediaTooLarge),
                "mb",
                &(max >> 20).to_string(),
            )));
            return;
        }
        let Ok(form) = web_sys::FormData::new() else {
            return;
        };
        let _ = form.append_with_str("type", kind);
        let _ = form.append_with_blob_and_filename("file", &file, &file.name());
        busy.set(true);
        upload_error.set(None);
        spawn_local(async move {
            let r = wm_api::upload_media(id, &form).await;
            let _ = busy.try_set(false);
            match r {
                Ok(m) => {
                    let _ = expires.try_set(Some(m.expires_at.clone()));
                    on_uploaded.run((m.media_id, m.filename));
                }
                Err(e) => {
                    let msg = e
                        .field_messages(i.lang_now())
                        .into_iter()
                        .next()
                        .map(|(_, m)| m)
                        .unwrap_or_else(|| e.message(i.lang_now()));
                    let _ = upload_error.try_set(Some(msg));
                }
            }
        });
    };
    let input_id = format!("f-{testid}");
    view! {
        <div class="wm-media" data-testid=testid>
            <label class="btn btn-sm wm-upload" for=input_id.clone()>
                {icons::upload()}
                <span>{move || i.t(if busy.get() { K::WmUploading } else { K::WmChooseFile })}</span>
            </label>
            <input id=input_id type="file" class="visually-hidden" accept=accept(kind)
                data-testid=format!("{testid}-file") prop:disabled=move || busy.get() on:change=on_change />
            <span class="muted small">{move || i.t(hint(kind))}</span>
            {move || {
                let (media, name) = value.get();
                (!media.is_empty()).then(|| view! {
                    <p class="small" data-testid=format!("{testid}-done")>
                        {icons::check()}" "{move || i.t(K::WmUploaded)}" "<b>{name.clone()}</b>
                        {move || expires.get().map(|t| view! { <span class="muted">" · "{fill(i.t(K::WmMediaExpires), "time", &util::format_time(&t))}</span> })}
                    </p>
                })
            }}
            {move || upload_error.get().or_else(|| error.get()).map(|m| view! { <p class="field-error" role="alert" data-testid=format!("error-{testid}")>{m}</p> })}
        </div>
    }
}
