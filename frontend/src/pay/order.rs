//! `/pay/orders/:id`: an order with its transition history, refunds, raw notifications and the
//! staff actions (query, close, refund full or partial, refund query).

use std::time::Duration;

use api::pay::{CreateRefundRequest, OrderDetail};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::api::{self as pay_api, OrderAction};
use super::{StateBadge, error_text, state_key, yuan};
use crate::auth::use_session;
use crate::components::{
    ConfirmDialog, ErrorState, FieldRow, LoadingState, NotFound, icons, reload, use_toasts,
};
use crate::i18n::{K, fill, use_i18n};
use crate::util;

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let i = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok())));
    let data = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => pay_api::order(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // While a refund is in flight, look again shortly: its notification lands on its own.
    Effect::new(move |_| {
        if let Some(Ok(Some(d))) = data.get()
            && d.refunds.iter().any(|r| r.state == "PROCESSING")
        {
            set_timeout(move || reload(data), Duration::from_millis(1500));
        }
    });
    view! {
        {move || match data.get() {
            None => view! { <div class="card"><LoadingState /></div> }.into_any(),
            Some(Ok(None)) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) if e.status() == Some(404) => view! { <NotFound /> }.into_any(),
            Some(Err(e)) => view! {
                <div class="card">
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(data) />
                </div>
            }
            .into_any(),
            Some(Ok(Some(d))) => view! { <OrderView detail=d data=data /> }.into_any(),
        }}
    }
}

fn kv(label: K, value: AnyView) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="kv">
            <dt>{move || i.t(label)}</dt>
            <dd>{value}</dd>
        </div>
    }
}

fn mono(s: Option<String>) -> AnyView {
    match s {
        Some(s) if !s.is_empty() => view! { <span class="mono wrap">{s}</span> }.into_any(),
        _ => view! { <span class="muted">"—"</span> }.into_any(),
    }
}

#[component]
fn OrderView(
    detail: OrderDetail,
    data: LocalResource<Result<Option<OrderDetail>, crate::api_client::ClientError>>,
) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_act = Memo::new(move |_| session.allows(Role::Operator));
    let o = detail.order.clone();
    let id = o.id;
    let busy = RwSignal::new(None::<&'static str>);
    Effect::new({
        let no = o.out_trade_no.clone();
        move |_| util::set_title(&format!("{no} · {} · wxportal", i.t(K::NavPay)))
    });

    let act = move |what: &'static str, action: OrderAction| {
        busy.set(Some(what));
        spawn_local(async move {
            let r = pay_api::order_action(id, action).await;
            busy.set(None);
            match r {
                Ok(_) => {
                    toasts.success(i.now(K::PayActionDone));
                    reload(data);
                }
                Err(e) => toasts.error(error_text(&e, i.lang_now())),
            }
        });
    };

    // Refund form: amount in yuan, at most what is left.
    let pending: i64 = detail
        .refunds
        .iter()
        .filter(|r| r.state == "PROCESSING")
        .map(|r| r.refund_fee)
        .sum();
    let left = (o.total_fee - o.refunded_fee - pending).max(0);
    // Empty until staff type an amount: nothing is refunded by default.
    let amount = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let amount_error = Signal::derive(move || {
        if !touched.get() {
            return None;
        }
        match api::pay::yuan_to_fen(&amount.get()) {
            Some(f) if (1..=left).contains(&f) => None,
            _ => Some(fill(
                i.t(K::PayRefundRange),
                "max",
                &api::pay::fen_to_yuan(left),
            )),
        }
    });
    // Submitting the form only asks; the confirmation names the amount and the order.
    let confirm_open = RwSignal::new(false);
    let confirm_fee = RwSignal::new(0i64);
    let refund = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        let Some(fee) =
            api::pay::yuan_to_fen(&amount.get_untracked()).filter(|f| (1..=left).contains(f))
        else {
            util::focus_first_error();
            return;
        };
        confirm_fee.set(fee);
        confirm_open.set(true);
    };
    let send_refund = move |_: ()| {
        let req = CreateRefundRequest {
            refund_fee: confirm_fee.get_untracked(),
            reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        busy.set(Some("refund"));
        spawn_local(async move {
            let r = pay_api::refund(id, &req).await;
            busy.set(None);
            confirm_open.set(false);
            match r {
                Ok(_) => {
                    toasts.success(i.now(K::PayRefundRequested));
                    amount.set(String::new());
                    touched.set(false);
                    reload(data);
                }
                Err(e) => toasts.error(error_text(&e, i.lang_now())),
            }
        });
    };
    let confirm_body = {
        let no = o.out_trade_no.clone();
        let body = o.body.clone();
        Signal::derive(move || {
            fill(
                &fill(
                    &fill(
                        i.t(K::PayRefundConfirmBody),
                        "amount",
                        &yuan(confirm_fee.get()),
                    ),
                    "order",
                    &no,
                ),
                "body",
                &body,
            )
        })
    };
    let partial = super::partly_refunded(&o);

    let state = o.state;
    let can_close = state.is_open();
    let can_refund = state.is_paid() && left > 0;
    view! {
        <A href=format!("/pay/{}?tab=orders", o.merchant_id) attr:class="back-link">
            {icons::back()}
            <span>{move || i.t(K::PayTabOrders)}</span>
        </A>
        <div class="detail-header card">
            <div class="detail-title">
                <div>
                    <h1 data-testid="order-title">{o.body.clone()}" · "{yuan(o.total_fee)}</h1>
                    <div class="detail-meta">
                        <StateBadge state=state partial=partial />
                        <span class="mono muted">{o.out_trade_no.clone()}</span>
                    </div>
                </div>
            </div>
            <Show when=move || can_act.get()>
                <div class="page-actions">
                    <button type="button" class="btn" data-testid="order-query" prop:disabled=move || busy.get().is_some()
                        on:click=move |_| act("query", OrderAction::Query)>
                        {icons::refresh()}
                        <span>{move || i.t(K::PayQuery)}</span>
                    </button>
                    {can_close.then(|| view! {
                        <button type="button" class="btn btn-danger-outline" data-testid="order-close" prop:disabled=move || busy.get().is_some()
                            on:click=move |_| act("close", OrderAction::Close)>
                            <span>{move || i.t(K::PayClose)}</span>
                        </button>
                    })}
                    <a class="btn btn-ghost" href=format!("/pay/{}/orders/{}", o.merchant_id, o.out_trade_no) target="_blank" rel="noopener">
                        {move || i.t(K::PayPublicPage)}
                    </a>
                </div>
            </Show>
        </div>
        <div class="detail-grid">
            <section class="card">
                <h2 class="section-title">{move || i.t(K::PayOrderInfo)}</h2>
                <dl class="kvs">
                    {kv(K::PayColAmount, view! { <span>{yuan(o.total_fee)}</span> }.into_any())}
                    {kv(K::PayTotalsRefunded, view! { <span data-testid="order-refunded">{yuan(o.refunded_fee)}</span> }.into_any())}
                    {kv(K::PayTradeType, mono(Some(o.trade_type.clone())))}
                    {kv(K::PayColPayer, mono(o.payer_openid.clone()))}
                    {kv(K::PayTransactionId, mono(o.transaction_id.clone()))}
                    {kv(K::CreatedAt, view! { <span>{util::format_time(&o.created_at)}</span> }.into_any())}
                    {kv(K::PayExpires, view! { <span>{util::format_time(&o.time_expire)}</span> }.into_any())}
                    {kv(K::PayPaidAt, match o.time_end.clone() {
                        Some(t) => view! { <span>{util::format_time(&t)}</span> }.into_any(),
                        None => view! { <span class="muted">"—"</span> }.into_any(),
                    })}
                </dl>
            </section>
            <section class="card">
                <h2 class="section-title">{move || i.t(K::PayHistory)}</h2>
                {if detail.transitions.is_empty() {
                    view! { <p class="muted" data-testid="order-no-history">{move || i.t(K::PayNoHistory)}</p> }.into_any()
                } else {
                    view! {
                        <ol class="timeline">
                            {detail.transitions.iter().map(|t| {
                                let cause = t.cause.as_str();
                                let (from, to) = (t.from_state, t.to_state);
                                view! {
                                    <li data-testid="order-transition" data-cause=cause data-to=to.as_str()>
                                        <span class="timeline-time muted small">{util::format_time(&t.created_at)}</span>
                                        <span>{move || i.t(state_key(from))}" → "<b>{move || i.t(state_key(to))}</b></span>
                                        <span class="badge">{move || i.t(cause_key(cause))}</span>
                                        {t.note.clone().map(|n| view! { <span class="muted small">{move || note_text(&n, i.lang())}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
        </div>
        <section class="card">
            <h2 class="section-title">{move || i.t(K::PayRefunds)}</h2>
            {(!detail.refunds.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table table-cards">
                        <thead>
                            <tr>
                                <th>{move || i.t(K::PayRefundNo)}</th>
                                <th class="num">{move || i.t(K::PayColAmount)}</th>
                                <th>{move || i.t(K::PayColState)}</th>
                                <th class="hide-md">{move || i.t(K::CreatedAt)}</th>
                                <th></th>
                            </tr>
                        </thead>
                        <tbody>
                            {detail.refunds.iter().map(|r| {
                                let rid = r.id;
                                view! {
                                    <tr data-testid="refund-row" data-state=r.state.clone()>
                                        <td class="mono" data-label=move || i.t(K::PayRefundNo)>{r.out_refund_no.clone()}</td>
                                        <td class="num" data-label=move || i.t(K::PayColAmount)>{yuan(r.refund_fee)}</td>
                                        <td data-label=move || i.t(K::PayColState)>
                                            <span class=if r.state == "SUCCESS" { "badge badge-green" } else if r.state == "PROCESSING" { "badge badge-orange" } else { "badge badge-red" }
                                                data-testid="refund-state">{let k = refund_state_key(&r.state); move || i.t(k)}</span>
                                            {r.reason.clone().map(|x| view! { <span class="row-sub">{x}</span> })}
                                        </td>
                                        <td class="hide-md nowrap muted">{util::format_time(&r.created_at)}</td>
                                        <td>
                                            <Show when=move || can_act.get()>
                                                <button type="button" class="btn btn-ghost" data-testid="refund-query" prop:disabled=move || busy.get().is_some()
                                                    on:click=move |_| act("refund_query", OrderAction::QueryRefund(rid))>
                                                    {move || i.t(K::PayRefundQuery)}
                                                </button>
                                            </Show>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <Show when=move || can_act.get() && can_refund>
                <form class="refund-form" data-testid="refund-form" on:submit=refund novalidate>
                    <FieldRow name="refund_fee" label=K::PayRefundAmount required=true error=amount_error
                        help=Signal::derive(move || fill(i.t(K::PayRefundLeft), "max", &api::pay::fen_to_yuan(left)))>
                        <input id="f-refund_fee" class="input input-amount" inputmode="decimal" data-testid="refund-amount"
                            placeholder=move || i.t(K::PayRefundAmountPlaceholder)
                            prop:value=move || amount.get()
                            on:input=move |ev| amount.set(event_target_value(&ev))
                            on:blur=move |_| touched.set(true) />
                    </FieldRow>
                    <FieldRow name="reason" label=K::PayRefundReason error=Signal::derive(|| None::<String>)>
                        <input id="f-reason" class="input" maxlength="80" data-testid="refund-reason"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev)) />
                    </FieldRow>
                    <button type="submit" class="btn btn-primary" data-testid="refund-submit" prop:disabled=move || busy.get().is_some()>
                        {move || if busy.get() == Some("refund") { i.t(K::PayRefunding) } else { i.t(K::PayRefund) }}
                    </button>
                </form>
            </Show>
            <ConfirmDialog
                open=confirm_open
                title=Signal::derive(move || i.t(K::PayRefundConfirmTitle).to_string())
                body=confirm_body
                confirm_label=K::PayRefundConfirmOk
                busy_label=K::PayRefunding
                busy=Signal::derive(move || busy.get() == Some("refund"))
                on_confirm=send_refund
            />
            {(detail.refunds.is_empty() && !can_refund).then(|| view! { <p class="muted">{move || i.t(K::PayNoRefunds)}</p> })}
        </section>
        <section class="card">
            <h2 class="section-title">{move || i.t(K::PayNotifications)}</h2>
            {if detail.notifications.is_empty() {
                view! { <p class="muted">{move || i.t(K::PayNoNotifications)}</p> }.into_any()
            } else {
                detail.notifications.iter().map(|n| view! {
                    <details class="delivery-raw" data-testid="order-notification" data-kind=n.kind.clone() data-outcome=n.outcome.clone()>
                        <summary>
                            {util::format_time(&n.received_at)}" · "{let k = notification_kind_key(&n.kind); move || i.t(k)}" · "
                            <b>{let k = notification_outcome_key(&n.outcome); move || i.t(k)}</b>
                        </summary>
                        // WeChat's own words and the portal's diagnosis stay as they are: they are for support.
                        {n.reason.clone().map(|r| view! { <p class="muted small mono id-wrap">{r}</p> })}
                        <pre class="mono">{n.body.clone()}</pre>
                    </details>
                }).collect_view().into_any()
            }}
        </section>
    }
}

fn cause_key(cause: &str) -> K {
    match cause {
        "notify" => K::PayCauseNotify,
        "query" => K::PayCauseQuery,
        "staff" => K::PayCauseStaff,
        "expiry" => K::PayCauseExpiry,
        _ => K::PayCauseRefundNotify,
    }
}

/// WeChat's refund states (`SUCCESS`, `PROCESSING`, `REFUNDCLOSE`, `CHANGE`) for people.
pub fn refund_state_key(state: &str) -> K {
    match state {
        "SUCCESS" => K::PayRefundStateSuccess,
        "PROCESSING" => K::PayRefundStateProcessing,
        "REFUNDCLOSE" => K::PayRefundStateClosed,
        "CHANGE" => K::PayRefundStateChange,
        _ => K::PayRefundStateOther,
    }
}

fn notification_kind_key(kind: &str) -> K {
    match kind {
        "pay" => K::PayNotifyKindPay,
        "refund" => K::PayNotifyKindRefund,
        "scan" => K::PayNotifyKindScan,
        _ => K::PayNotifyKindOther,
    }
}

fn notification_outcome_key(outcome: &str) -> K {
    match outcome {
        "applied" => K::PayNotifyApplied,
        "duplicate" => K::PayNotifyDuplicate,
        "conflict" => K::PayNotifyConflict,
        _ => K::PayNotifyRejected,
    }
}

/// The server's transition notes (fixed English templates, `pay::{orders, refunds, notify}`)
/// in the UI language; an unknown note as it is.
fn note_text(note: &str, lang: api::Lang) -> String {
    if note == "time_expire passed" {
        return K::PayNoteExpired.text(lang).to_string();
    }
    if let Some(no) = note
        .strip_prefix("refund ")
        .and_then(|r| r.strip_suffix(" succeeded"))
    {
        return fill(K::PayNoteRefunded.text(lang), "no", no);
    }
    if note.ends_with(": settled by an order query") {
        return K::PayNoteQueried.text(lang).to_string();
    }
    note.to_string()
}
