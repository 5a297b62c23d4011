//! A tab strip that scrolls sideways on a phone and says so: a fade and a chevron at the edge
//! with more tabs (`data-more-left` / `data-more-right`), and the current tab scrolled into view.

use leptos::html;
use leptos::prelude::*;

/// Marks which sides of `nav` hide tabs.
fn mark_edges(nav: &web_sys::HtmlElement) {
    let left = nav.scroll_left();
    let more_left = left > 2;
    let more_right = left + nav.client_width() < nav.scroll_width() - 2;
    for (name, on) in [
        ("data-more-left", more_left),
        ("data-more-right", more_right),
    ] {
        let _ = if on {
            nav.set_attribute(name, "true")
        } else {
            nav.remove_attribute(name)
        };
    }
}

#[component]
pub fn TabStrip(
    #[prop(into)] label: Signal<String>,
    testid: &'static str,
    children: Children,
) -> impl IntoView {
    let nav = NodeRef::<html::Nav>::new();
    Effect::new(move |_| {
        if nav.get().is_some() {
            // Bring the current tab into view, then mark the edges.
            request_animation_frame(move || {
                if let Some(el) = nav.get_untracked() {
                    if let Ok(Some(cur)) = el.query_selector(".tab-current, .tab.active")
                        && let Ok(cur) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(cur)
                    {
                        let right = cur.offset_left() + cur.offset_width();
                        if right > el.scroll_left() + el.client_width() {
                            el.set_scroll_left(right - el.client_width() + 24);
                        }
                    }
                    mark_edges(&el);
                }
            });
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(el) = nav.get_untracked() {
            mark_edges(&el);
        }
    });
    on_cleanup(move || resize.remove());
    view! {
        <div class="tabs-wrap">
            <nav
                class="tabs"
                data-testid=testid
                data-scroll-x="true"
                aria-label=move || label.get()
                node_ref=nav
                on:scroll=move |_| {
                    if let Some(el) = nav.get_untracked() {
                        mark_edges(&el);
                    }
                }
            >
                {children()}
            </nav>
        </div>
    }
}
