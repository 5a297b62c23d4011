//! The article body editor: a `contenteditable` area with a toolbar (bold, italic, heading,
//! subheading, paragraph, lists, quote, link, image). What is stored is the allow-listed HTML
//! (`api::html::sanitize_html`) with images at the address `uploadimg` gave; on screen each
//! image is shown through the portal (`…/materials/article-image?url=`), never hot-linked.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api_client::enc;
use crate::components::{icons, use_toasts};
use crate::i18n::{K, use_i18n};
use crate::oa::materials::api as materials_api;
use crate::oa::materials::chosen_file;
use api::html::sanitize_html;
use api::materials as m;

/// The portal address that shows the image WeChat keeps at `url`.
pub fn portal_image(account: i64, url: &str) -> String {
    format!(
        "/api/accounts/{account}/materials/article-image?url={}",
        enc(url)
    )
}

/// Stored HTML → what the editor and the preview show: each image through the portal, its
/// WeChat address kept in `data-wx-src`.
pub fn for_display(account: i64, stored: &str) -> String {
    const SRC: &str = "<img src=\"";
    let mut out = String::with_capacity(stored.len());
    let mut rest = stored;
    // The cleaned HTML writes `src` first, in double quotes.
    while let Some(i) = rest.find(SRC) {
        out.push_str(&rest[..i]);
        let tail = &rest[i + SRC.len()..];
        let end = tail.find('"').unwrap_or(tail.len());
        let url = &tail[..end];
        let shown = portal_image(account, &url.replace("&amp;", "&"));
        out.push_str(&format!(
            "<img data-wx-src=\"{url}\" src=\"{}\"",
            shown.replace('&', "&amp;")
        ));
        rest = tail.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The editor's DOM → stored HTML: images back to their WeChat address, then cleaned.
fn stored_of(el: &web_sys::HtmlElement) -> String {
    let Ok(copy) = el.clone_node_with_deep(true) else {
        return sanitize_html(&el.inner_html());
    };
    let Ok(copy) = copy.dyn_into::<web_sys::Element>() else {
        return sanitize_html(&el.inner_html());
    };
    if let Ok(imgs) = copy.query_selector_all("img[data-wx-src]") {
        for i in 0..imgs.length() {
            if let Some(img) = imgs
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                && let Some(src) = img.get_attribute("data-wx-src")
            {
                let _ = img.set_attribute("src", &src);
            }
        }
    }
    sanitize_html(&copy.inner_html())
}

fn html_doc() -> Option<web_sys::HtmlDocument> {
    document().dyn_into::<web_sys::HtmlDocument>().ok()
}

fn exec(cmd: &str, value: &str) {
    if let Some(d) = html_doc() {
        let _ = d.exec_command_with_show_ui_and_value(cmd, false, value);
    }
}

/// One toolbar command: what it does and how it is named.
#[derive(Clone, Copy)]
enum Cmd {
    Bold,
    Italic,
    Heading,
    Subheading,
    Paragraph,
    Bulleted,
    Numbered,
    Quote,
}

impl Cmd {
    fn key(self) -> K {
        match self {
            Cmd::Bold => K::RtBold,
            Cmd::Italic => K::RtItalic,
            Cmd::Heading => K::RtHeading,
            Cmd::Subheading => K::RtSubheading,
            Cmd::Paragraph => K::RtParagraph,
            Cmd::Bulleted => K::RtBulleted,
            Cmd::Numbered => K::RtNumbered,
            Cmd::Quote => K::RtQuote,
        }
    }
    fn run(self) {
        match self {
            Cmd::Bold => exec("bold", ""),
            Cmd::Italic => exec("italic", ""),
            Cmd::Heading => exec("formatBlock", "<h2>"),
            Cmd::Subheading => exec("formatBlock", "<h3>"),
            Cmd::Paragraph => exec("formatBlock", "<p>"),
            Cmd::Bulleted => exec("insertUnorderedList", ""),
            Cmd::Numbered => exec("insertOrderedList", ""),
            Cmd::Quote => exec("formatBlock", "<blockquote>"),
        }
    }
    fn testid(self) -> &'static str {
        match self {
            Cmd::Bold => "rt-bold",
            Cmd::Italic => "rt-italic",
            Cmd::Heading => "rt-h2",
            Cmd::Subheading => "rt-h3",
            Cmd::Paragraph => "rt-p",
            Cmd::Bulleted => "rt-ul",
            Cmd::Numbered => "rt-ol",
            Cmd::Quote => "rt-quote",
        }
    }
}

/// The body editor. `value` holds the stored HTML; `on_change` receives it after each edit.
#[component]
pub fn RichTextEditor(
    account: i64,
    /// The stored HTML when the editor opens.
    initial: String,
    #[prop(into)] on_change: Callback<String>,
    #[prop(into)] disabled: Signal<bool>,
    #[prop(into)] invalid: Signal<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let toasts = use_toasts();
    let area = NodeRef::<leptos::html::Div>::new();
    // The caret's place when the editor last lost focus, put back before a command runs (the
    // toolbar's buttons take focus when used from the keyboard).
    let saved: StoredValue<Option<web_sys::Range>, LocalStorage> = StoredValue::new_local(None);
    let shown = for_display(account, &initial);
    Effect::new(move |_| {
        if let Some(el) = area.get() {
            el.set_inner_html(&shown);
            // Enter starts a <p> (not a <div>, which the cleaning would drop).
            exec("defaultParagraphSeparator", "p");
        }
    });
    let changed = move || {
        if let Some(el) = area.get_untracked() {
            on_change.run(stored_of(&el));
        }
    };
    let remember = move || {
        let range = window()
            .get_selection()
            .ok()
            .flatten()
            .filter(|s| s.range_count() > 0)
            .and_then(|s| s.get_range_at(0).ok());
        saved.set_value(range);
    };
    let restore = move || {
        let Some(el) = area.get_untracked() else {
            return;
        };
        let _ = el.focus();
        if let (Some(r), Ok(Some(sel))) = (saved.get_value(), window().get_selection()) {
            let _ = sel.remove_all_ranges();
            let _ = sel.add_range(&r);
        }
    };
    let run = move |c: Cmd| {
        restore();
        c.run();
        changed();
    };
    let link = move |_| {
        let Ok(Some(url)) =
            window().prompt_with_message_and_default(i.now(K::RtLinkPrompt), "https://")
        else {
            return;
        };
        let url = url.trim().to_string();
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() <= 8 {
            toasts.error(i.now(K::RtLinkInvalid));
            return;
        }
        restore();
        exec("createLink", &url);
        changed();
    };
    let uploading = RwSignal::new(false);
    let insert_image = move |ev: leptos::ev::Event| {
        let Some(f) = chosen_file(&ev) else { return };
        let ext = m::extension(&f.name());
        if !m::UPLOADIMG_EXTS.contains(&ext.as_str()) || f.size() as usize > m::UPLOADIMG_MAX_BYTES
        {
            toasts.error(format!("{} (jpg/png ≤ 1 MB)", i.now(K::DraftInsertImage)));
            return;
        }
        let Ok(form) = web_sys::FormData::new() else {
            return;
        };
        let _ = form.append_with_blob_and_filename("file", &f, &f.name());
        uploading.set(true);
        spawn_local(async move {
            let r = materials_api::upload_article_image(account, &form).await;
            uploading.set(false);
            match r {
                Ok(u) => {
                    let url = sanitize_html(&format!("<img src=\"{}\">", u.url));
                    let html = format!("<p>{}</p>", for_display(account, &url));
                    restore();
                    let inside = area.get_untracked().is_some_and(|el| {
                        document()
                            .active_element()
                            .is_some_and(|a| el.contains(Some(a.as_ref())))
                    });
                    if inside {
                        exec("insertHTML", &html);
                    } else if let Some(el) = area.get_untracked() {
                        let _ = el.insert_adjacent_html("beforeend", &html);
                    }
                    changed();
                    toasts.success(i.now(K::DraftImageInserted));
                }
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };
    // Pasted HTML is cleaned before it enters the body (no styles, scripts or foreign images).
    let paste = move |ev: web_sys::ClipboardEvent| {
        let Some(data) = ev.clipboard_data() else {
            return;
        };
        ev.prevent_default();
        let html = data.get_data("text/html").unwrap_or_default();
        if html.is_empty() {
            exec(
                "insertText",
                &data.get_data("text/plain").unwrap_or_default(),
            );
        } else {
            exec("insertHTML", &for_display(account, &sanitize_html(&html)));
        }
        changed();
    };
    let commands = [
        Cmd::Bold,
        Cmd::Italic,
        Cmd::Heading,
        Cmd::Subheading,
        Cmd::Paragraph,
        Cmd::Bulleted,
        Cmd::Numbered,
        Cmd::Quote,
    ];
    view! {
        <div class="rt" class:rt-invalid=move || invalid.get()>
            <div class="rt-toolbar" role="toolbar" aria-label=move || i.t(K::RtToolbar) aria-controls="f-content">
                {commands.into_iter().map(|c| view! {
                    <button type="button" class="btn btn-sm rt-btn" data-testid=c.testid()
                        prop:disabled=move || disabled.get()
                        // A mouse click must not move the caret out of the body first.
                        on:mousedown=move |ev| ev.prevent_default()
                        on:click=move |_| run(c)>
                        {move || i.t(c.key())}
                    </button>
                }).collect_view()}
                <button type="button" class="btn btn-sm rt-btn" data-testid="rt-link" prop:disabled=move || disabled.get()
                    on:mousedown=move |ev| ev.prevent_default() on:click=link>
                    {icons::link()}<span>{move || i.t(K::RtLink)}</span>
                </button>
                <label class="btn btn-sm rt-btn upload-inline" class:disabled=move || disabled.get()>
                    {icons::upload()}
                    <span>{move || if uploading.get() { i.t(K::Uploading) } else { i.t(K::DraftInsertImage) }}</span>
                    <input type="file" accept=".jpg,.jpeg,.png" class="visually-hidden" data-testid="draft-insert-image"
                        prop:disabled=move || disabled.get() on:change=insert_image />
                </label>
            </div>
            <div
                id="f-content"
                class="rt-area article-body"
                node_ref=area
                role="textbox"
                aria-multiline="true"
                aria-label=move || i.t(K::DraftBody)
                aria-invalid=move || invalid.get().then_some("true")
                data-testid="draft-content"
                data-user-content=""
                contenteditable=move || if disabled.get() { "false" } else { "true" }
                on:input=move |_| changed()
                on:blur=move |_| remember()
                on:keyup=move |_| remember()
                on:mouseup=move |_| remember()
                on:paste=paste
            ></div>
        </div>
    }
}
