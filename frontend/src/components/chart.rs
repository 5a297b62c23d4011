//! A chart of values per day: one or more bar series on the left axis (side by side within a
//! day) and an optional line on a second axis at the right, for counts beside an amount. Both
//! axes have five round ticks with gridlines; every day has a tick mark and at most six dates
//! are written, so the labels fit a phone. The SVG only draws (it stretches to the card); the
//! labels are HTML beside it and keep their size at any width.

use leptos::prelude::*;

use crate::i18n::{K, use_i18n};

/// A series of values, one per day.
#[derive(Clone)]
pub struct Series {
    pub label: K,
    /// The CSS class of its bars or line (its colour): `chart-bar`, `chart-bar-red`, …
    pub class: &'static str,
    pub values: Vec<i64>,
}

/// Ticks per axis, 0 included.
const TICKS: i64 = 4;

/// A round step (1, 2 or 5 times a power of ten) such that `TICKS` steps reach `max`.
pub fn nice_step(max: i64) -> i64 {
    let want = (max.max(1) + TICKS - 1) / TICKS;
    let mut p = 1i64;
    while p * 10 <= want {
        p *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * p)
        .find(|c| *c >= want)
        .unwrap_or(want)
}

fn swatch(class: &'static str) -> String {
    format!("swatch {}", class.replace("chart-", "swatch-"))
}

#[component]
pub fn DayChart(
    /// `YYYY-MM-DD` per day.
    dates: Vec<String>,
    bars: Vec<Series>,
    #[prop(optional)] line: Option<Series>,
    /// The left axis' values as text (default: the number).
    #[prop(optional)]
    format_left: Option<fn(i64) -> String>,
    /// What the chart shows (its accessible name).
    label: K,
    testid: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let w = 720.0_f64;
    let h = 200.0_f64;
    let n = dates.len().max(1) as f64;
    let fmt_left = format_left.unwrap_or(|v| v.to_string());
    let left_step = nice_step(
        bars.iter()
            .flat_map(|s| s.values.iter().copied())
            .max()
            .unwrap_or(0),
    );
    let left_max = (left_step * TICKS) as f64;
    let right_step = line
        .as_ref()
        .map(|l| nice_step(l.values.iter().copied().max().unwrap_or(0)));
    let slot = w / n;
    let group_w = (slot * 0.72).max(1.0);
    let bar_w = group_w / bars.len().max(1) as f64;

    let rects = bars
        .iter()
        .enumerate()
        .flat_map(|(s, series)| {
            let dates = dates.clone();
            series.values.iter().enumerate().map(move |(k, v)| {
                let bh = *v as f64 / left_max * h;
                let x = k as f64 * slot + (slot - group_w) / 2.0 + s as f64 * bar_w;
                let title = format!("{} · {}", dates.get(k).cloned().unwrap_or_default(), fmt_left(*v));
                view! {
                    <rect class=series.class x=format!("{x:.1}") y=format!("{:.1}", h - bh)
                        width=format!("{:.1}", (bar_w - 0.5).max(0.5)) height=format!("{bh:.1}")
                        data-date=dates.get(k).cloned().unwrap_or_default() data-value=v.to_string()>
                        <title>{title}</title>
                    </rect>
                }
            })
        })
        .collect_view();
    let polyline = line.as_ref().zip(right_step).map(|(l, step)| {
        let top = (step * TICKS) as f64;
        let points = l
            .values
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let x = k as f64 * slot + slot / 2.0;
                format!("{x:.1},{:.1}", h - *v as f64 / top * h)
            })
            .collect::<Vec<_>>()
            .join(" ");
        view! { <polyline class=l.class points=points></polyline> }
    });
    let grid = (1..TICKS)
        .map(|t| {
            let y = h * t as f64 / TICKS as f64;
            view! { <line class="chart-gridline" x1="0" y1=format!("{y:.1}") x2=w y2=format!("{y:.1}")></line> }
        })
        .collect_view();
    // A tick mark under every day.
    let day_ticks = (0..dates.len())
        .map(|k| {
            let x = k as f64 * slot + slot / 2.0;
            view! { <line class="chart-tick" x1=format!("{x:.1}") y1=h - 4.0 x2=format!("{x:.1}") y2=h></line> }
        })
        .collect_view();
    // At most six dates written, so they fit a phone.
    let every = dates.len().div_ceil(6).max(1);
    let date_labels = dates
        .iter()
        .enumerate()
        .filter(|(k, _)| k % every == 0)
        .map(|(k, d)| {
            let left = (k as f64 + 0.5) / n * 100.0;
            view! { <span class="chart-tick-x" style=format!("left:{left:.2}%")>{d.get(5..).unwrap_or(d).to_string()}</span> }
        })
        .collect_view();
    let axis = |step: i64, fmt: fn(i64) -> String| {
        (0..=TICKS)
            .rev()
            .map(|t| view! { <span>{fmt(step * t)}</span> })
            .collect_view()
    };
    let legend = bars
        .iter()
        .map(|s| (s.label, swatch(s.class)))
        .chain(line.as_ref().map(|l| (l.label, "swatch swatch-line".to_string())))
        .map(|(k, class)| view! { <span class="legend-item"><span class=class></span>{move || i.t(k)}</span> })
        .collect_view();
    view! {
        <div class="chart-wrap">
            <div class="chart-frame">
                <div class="chart-axis-y" aria-hidden="true">{axis(left_step, fmt_left)}</div>
                <svg class="chart" data-testid=testid viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none" role="img" aria-label=move || i.t(label)>
                    {grid}
                    <line class="chart-axis" x1="0" y1=h x2=w y2=h></line>
                    {day_ticks}
                    {rects}
                    {polyline}
                </svg>
                {match right_step {
                    Some(step) => view! { <div class="chart-axis-y chart-axis-right" aria-hidden="true">{axis(step, |v| v.to_string())}</div> }.into_any(),
                    None => view! { <div></div> }.into_any(),
                }}
                <div></div>
                <div class="chart-axis-x" aria-hidden="true">{date_labels}</div>
                <div></div>
            </div>
            <div class="legend legend-inline">{legend}</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_and_reach_the_maximum() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(3), 1);
        assert_eq!(nice_step(7), 2);
        assert_eq!(nice_step(37), 10);
        assert_eq!(nice_step(12_345), 5_000);
        for max in [1, 9, 99, 101, 4_001, 77_777] {
            assert!(nice_step(max) * TICKS >= max, "{max}");
        }
    }
}
