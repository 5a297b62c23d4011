//! Bills and reconciliation: run a day's bill, the stored reports, a report's mismatches, CSV.

use api::pay::{BillType, MismatchKind, ReconcileRequest, ReconciliationDetail};
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::api as pay_api;
use super::{error_text, yuan};
use crate::auth::use_session;
use crate::components::{
    DateInput, EmptyState, ErrorState, FieldRow, SkeletonRows, reload, use_toasts,
};
use crate::i18n::{K, use_i18n};
use crate::util;

fn yesterday_cst() -> String {
    let ms = js_sys::Date::new_0().get_time() + 8.0 * 3_600_000.0 - 86_400_000.0;
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02}",
        d.get_utc_full_year(),
        d.get_utc_month() + 1,
        d.get_utc_date()
    )
}

fn kind_key(k: MismatchKind) -> K {
    match k {
        MismatchKind::MissingHere => K::PayMissingHere,
        MismatchKind::MissingThere => K::PayMissingThere,
        MismatchKind::AmountDiffers => K::PayAmountDiffers,
        MismatchKind::StateDiffers => K::PayStateDiffers,
    }
}

fn type_key(t: BillType) -> K {
    match t {
        BillType::All => K::PayBillAll,
        BillType::Success => K::PayBillSuccess,
        BillType::Refund => K::PayBillRefund,
    }
}

#[component]
pub fn Bills(merchant_id: i64) -> impl IntoView {
    let i = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let can_run = Memo::new(move |_| session.allows(Role::Operator));
    let list =
        LocalResource::new(move || async move { pay_api::reconciliations(merchant_id).await });
    let date = RwSignal::new(yesterday_cst());
    let bill_type = RwSignal::new(BillType::All);
    let busy = RwSignal::new(false);
    let shown: RwSignal<Option<ReconciliationDetail>> = RwSignal::new(None);
    let date_error = Signal::derive(move || {
        api::pay::parse_day(&date.get())
            .is_none()
            .then(|| i.t(K::PayBillDateInvalid).to_string())
    });
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if date_error.get_untracked().is_some() {
            return;
        }
        let req = ReconcileRequest {
            bill_date: date.get_untracked(),
            bill_type: bill_type.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            let r = pay_api::reconcile(merchant_id, &req).await;
            busy.set(false);
            match r {
                Ok(d) => {
                    shown.set(Some(d));
                    reload(list);
                }
                Err(e) => {
                    toasts.error(error_text(&e, i.lang_now()));
                    reload(list);
                }
            }
        });
    };
    let open = move |id: i64| {
        spawn_local(async move {
            match pay_api::reconciliation(id).await {
                Ok(d) => shown.set(Some(d)),
                Err(e) => toasts.error(e.message(i.lang_now())),
            }
        });
    };

    view! {
        <Show when=move || can_run.get()>
            <section class="card">
                <h2 class="section-title">{move || i.t(K::PayReconcile)}</h2>
                <p class="muted small">{move || i.t(K::PayReconcileHint)}</p>
                <form class="form-grid" data-testid="bill-form" on:submit=run novalidate>
                    <FieldRow name="bill_date" label=K::PayBillDate required=true error=date_error>
                        <DateInput id="f-bill_date" testid="bill-date" value=date on_change=move |v| date.set(v) />
                    </FieldRow>
                    <FieldRow name="bill_type" label=K::PayBillType error=Signal::derive(|| None::<String>)>
                        <select id="f-bill_type" class="select" data-testid="bill-type"
                            on:change=move |ev| bill_type.set(BillType::parse(&event_target_value(&ev)).unwrap_or_default())>
                            {BillType::ALL_TYPES.into_iter().map(|t| view! {
                                <option value=t.as_str() prop:selected=move || bill_type.get() == t>{move || i.t(type_key(t))}</option>
                            }).collect_view()}
                        </select>
                    </FieldRow>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" data-testid="bill-run" prop:disabled=move || busy.get()>
                            {move || if busy.get() { i.t(K::PayReconciling) } else { i.t(K::PayReconcileRun) }}
                        </button>
                    </div>
                </form>
                <Show when=move || busy.get()>
                    <div class="progress" role="progressbar" aria-busy="true"><span class="progress-bar progress-indeterminate"></span></div>
                </Show>
            </section>
        </Show>
        {move || shown.get().map(|d| view! { <Report detail=d /> })}
        <section class="card table-card">
            <h2 class="section-title">{move || i.t(K::PayReports)}</h2>
            {move || match list.get() {
                None => view! { <SkeletonRows rows=3 cols=5 /> }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorState message=Signal::derive(move || e.message(i.lang())) on_retry=move |_| reload(list) />
                }
                .into_any(),
                Some(Ok(rows)) if rows.is_empty() => view! {
                    <EmptyState title=K::PayNoReportsTitle body=K::PayNoReportsBody testid="reports-empty" />
                }
                .into_any(),
                Some(Ok(rows)) => view! {
                    <div class="table-wrap">
                        <table class="table table-cards">
                            <thead>
                                <tr>
                                    <th>{move || i.t(K::PayBillDate)}</th>
                                    <th>{move || i.t(K::PayBillType)}</th>
                                    <th>{move || i.t(K::PayColState)}</th>
                                    <th class="num">{move || i.t(K::PayMismatches)}</th>
                                    <th class="hide-md">{move || i.t(K::UpdatedAt)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let id = r.id;
                                    let t = r.bill_type;
                                    view! {
                                        <tr class="row-link" data-testid="report-row" on:click=move |_| open(id)>
                                            <td class="cell-main" data-label=move || i.t(K::PayBillDate)><span class="row-title">{r.bill_date.clone()}</span></td>
                                            <td data-label=move || i.t(K::PayBillType)>{move || i.t(type_key(t))}</td>
                                            <td data-label=move || i.t(K::PayColState)>
                                                <span class=match r.status.as_str() { "done" => "badge badge-green", "failed" => "badge badge-red", _ => "badge badge-orange" }
                                                    data-status=r.status.clone()>{
                                                    let k = match r.status.as_str() { "done" => K::PayReconDone, "failed" => K::PayReconFailed, _ => K::PayReconRunning };
                                                    move || i.t(k)
                                                }</span>
                                                // The failure as WeChat or the server put it (English), for support.
                                                {r.error.clone().map(|e| {
                                                    let shown = e.clone();
                                                    view! { <span class="row-sub" title=e>{move || if i.lang() == ::api::Lang::En { shown.clone() } else { i.t(K::PayReconFailedNote).to_string() }}</span> }
                                                })}
                                            </td>
                                            <td class="num" data-label=move || i.t(K::PayMismatches)>{r.mismatches}</td>
                                            <td class="hide-md nowrap muted">{util::format_time(&r.updated_at)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn Report(detail: ReconciliationDetail) -> impl IntoView {
    let i = use_i18n();
    let r = detail.reconciliation.clone();
    let matched = r.matched;
    let total = (r.matched + r.mismatches).max(1);
    let pct = matched as f64 * 100.0 / total as f64;
    view! {
        <section class="card" data-testid="report" data-mismatches=r.mismatches.to_string()>
            <div class="card-head">
                <h2 class="section-title">{r.bill_date.clone()}" · "{move || i.t(type_key(r.bill_type))}</h2>
                <a class="btn" href=pay_api::reconciliation_csv_url(r.id) download="" data-testid="report-csv">
                    {move || i.t(K::PayExportCsv)}
                </a>
            </div>
            <div class="stats stats-even">
                <div class="stat-card">
                    <div class="stat-label">{move || i.t(K::PayBillRows)}</div>
                    <div class="stat-value">{r.bill_rows}</div>
                </div>
                <div class="stat-card">
                    <div class="stat-label">{move || i.t(K::PayMatched)}</div>
                    <div class="stat-value" data-testid="report-matched">{matched}</div>
                    <div class="progress"><span class="progress-bar" style=format!("width:{pct:.1}%")></span></div>
                </div>
                <div class="stat-card">
                    <div class="stat-label">{move || i.t(K::PayMismatches)}</div>
                    <div class="stat-value" data-testid="report-mismatches">{r.mismatches}</div>
                </div>
                <div class="stat-card">
                    <div class="stat-label">{move || i.t(K::PayBillVsLocal)}</div>
                    <div class="small">{yuan(r.bill_paid_fee)}" / "{yuan(r.local_paid_fee)}</div>
                    <div class="small muted">{move || i.t(K::PayRefunded)}" "{yuan(r.bill_refund_fee)}" / "{yuan(r.local_refund_fee)}</div>
                </div>
            </div>
            {if detail.items.is_empty() {
                view! { <p class="conn-result conn-ok" data-testid="report-clean">{move || i.t(K::PayAllMatched)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table table-cards">
                            <thead>
                                <tr>
                                    <th>{move || i.t(K::PayMismatch)}</th>
                                    <th>{move || i.t(K::PayColOrder)}</th>
                                    <th>{move || i.t(K::PayLocal)}</th>
                                    <th>{move || i.t(K::PayWechatBill)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {detail.items.iter().map(|it| {
                                    let k = it.kind;
                                    // WeChat's and our state names (SUCCESS, REFUND, …) in the UI language.
                                    let side = |state: &Option<String>, fee: Option<i64>| {
                                        let (state, fee) = (state.clone(), fee);
                                        move || match (&state, fee) {
                                            (None, None) => "—".to_string(),
                                            (s, f) => {
                                                let s = s.clone().unwrap_or_default();
                                                let name = ::api::pay::OrderState::parse(&s)
                                                    .map_or(s, |st| i.t(super::state_key(st)).to_string());
                                                format!("{name} {}", f.map(yuan).unwrap_or_default())
                                            }
                                        }
                                    };
                                    view! {
                                        <tr data-testid="report-item" data-kind=k.as_str()>
                                            <td data-label=move || i.t(K::PayMismatch)>
                                                <span class="badge badge-red">{move || i.t(kind_key(k))}</span>
                                                <span class="row-sub">{it.entity.clone()}</span>
                                            </td>
                                            <td class="mono" data-label=move || i.t(K::PayColOrder)>
                                                {match it.order_id {
                                                    Some(oid) => {
                                                        let no = it.out_trade_no.clone();
                                                        view! { <A href=format!("/pay/orders/{oid}")>{no}</A> }.into_any()
                                                    }
                                                    None => view! { <span>{it.out_trade_no.clone()}</span> }.into_any(),
                                                }}
                                                {it.out_refund_no.clone().map(|n| view! { <span class="row-sub">{n}</span> })}
                                            </td>
                                            <td data-label=move || i.t(K::PayLocal)>{side(&it.local_state, it.local_fee)}</td>
                                            <td data-label=move || i.t(K::PayWechatBill)>{side(&it.bill_state, it.bill_fee)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
