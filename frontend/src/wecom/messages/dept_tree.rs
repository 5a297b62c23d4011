//! The department tree of the picker: expand/collapse, members in each subtree, a checkbox per
//! department, and a name filter that lists matching departments flat.

use std::collections::{HashMap, HashSet};

use api::wecom_contacts::Department;
use leptos::prelude::*;

use super::picked::Picked;
use crate::i18n::{K, fill, use_i18n};

/// One visible row: the department, its depth, whether it has children, its subtree count.
#[derive(Clone, PartialEq)]
struct Row {
    dept: Department,
    depth: usize,
    has_children: bool,
    total: u64,
}

fn children_of(list: &[Department]) -> HashMap<i64, Vec<Department>> {
    let ids: HashSet<i64> = list.iter().map(|d| d.id).collect();
    let mut map: HashMap<i64, Vec<Department>> = HashMap::new();
    for d in list {
        // A department whose parent is not mirrored is shown as a root.
        let parent = if ids.contains(&d.parent_id) {
            d.parent_id
        } else {
            0
        };
        map.entry(parent).or_default().push(d.clone());
    }
    for v in map.values_mut() {
        // WeCom shows larger `order` first.
        v.sort_by(|a, b| b.order.cmp(&a.order).then(a.id.cmp(&b.id)));
    }
    map
}

fn subtree_total(id: i64, map: &HashMap<i64, Vec<Department>>, own: &HashMap<i64, u64>) -> u64 {
    own.get(&id).copied().unwrap_or(0)
        + map
            .get(&id)
            .map_or(0, |c| c.iter().map(|d| subtree_total(d.id, map, own)).sum())
}

fn visible(list: &[Department], open: &HashSet<i64>, filter: &str) -> Vec<Row> {
    let map = children_of(list);
    let own: HashMap<i64, u64> = list.iter().map(|d| (d.id, d.member_count)).collect();
    let mut out = Vec::new();
    let needle = filter.trim().to_lowercase();
    if !needle.is_empty() {
        for d in list {
            if d.name.to_lowercase().contains(&needle) || d.name_en.to_lowercase().contains(&needle)
            {
                out.push(Row {
                    total: subtree_total(d.id, &map, &own),
                    dept: d.clone(),
                    depth: 0,
                    has_children: false,
                });
            }
        }
        return out;
    }
    fn walk(
        parent: i64,
        depth: usize,
        map: &HashMap<i64, Vec<Department>>,
        own: &HashMap<i64, u64>,
        open: &HashSet<i64>,
        out: &mut Vec<Row>,
    ) {
        for d in map.get(&parent).into_iter().flatten() {
            let has_children = map.get(&d.id).is_some_and(|c| !c.is_empty());
            out.push(Row {
                total: subtree_total(d.id, map, own),
                dept: d.clone(),
                depth,
                has_children,
            });
            if has_children && open.contains(&d.id) {
                walk(d.id, depth + 1, map, own, open, out);
            }
        }
    }
    walk(0, 0, &map, &own, open, &mut out);
    out
}

#[component]
pub(super) fn DeptTree(departments: Vec<Department>, picked: RwSignal<Picked>) -> impl IntoView {
    let i = use_i18n();
    // The roots start open, so the first level shows.
    let roots: HashSet<i64> = departments
        .iter()
        .filter(|d| !departments.iter().any(|p| p.id == d.parent_id))
        .map(|d| d.id)
        .collect();
    let open = RwSignal::new(roots);
    let filter = RwSignal::new(String::new());
    let list = StoredValue::new(departments);
    let rows = Memo::new(move |_| {
        let f = filter.get();
        open.with(|o| list.with_value(|l| visible(l, o, &f)))
    });
    view! {
        <div class="wm-tree" data-testid="picker-tree">
            <input type="search" class="input" data-testid="picker-dept-filter"
                placeholder=move || i.t(K::WmDeptFilter) aria-label=move || i.t(K::WmDeptFilter)
                prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) />
            <ul class="wm-tree-list" role="tree">
                {move || {
                    let rows = rows.get();
                    if rows.is_empty() {
                        return view! { <li class="muted small">{move || i.t(K::WmNoDepartments)}</li> }.into_any();
                    }
                    rows.into_iter().map(|r| {
                        let id = r.dept.id;
                        let name = r.dept.name.clone();
                        let expanded = open.with_untracked(|o| o.contains(&id));
                        let checked = move || picked.with(|p| p.parties.iter().any(|(d, _)| *d == id));
                        let count = fill(i.t(K::WmPeopleN), "n", &r.total.to_string());
                        view! {
                            <li class="wm-tree-row" role="treeitem" aria-expanded=r.has_children.then(|| expanded.to_string())
                                style=format!("padding-left: {}px", 4 + r.depth * 18)>
                                {if r.has_children {
                                    view! {
                                        <button type="button" class="wm-tree-toggle" data-testid=format!("picker-dept-toggle-{id}")
                                            aria-label=move || i.t(if expanded { K::WmCollapse } else { K::WmExpand })
                                            on:click=move |_| open.update(|o| { if !o.remove(&id) { o.insert(id); } })>
                                            {if expanded { "▾" } else { "▸" }}
                                        </button>
                                    }.into_any()
                                } else {
                                    view! { <span class="wm-tree-toggle" aria-hidden="true"></span> }.into_any()
                                }}
                                <label class="wm-tree-label">
                                    <input type="checkbox" data-testid=format!("picker-dept-{id}")
                                        prop:checked=checked
                                        on:change={
                                            let name = name.clone();
                                            move |_| picked.update(|p| p.toggle_party(id, &name))
                                        } />
                                    <span data-user-content>{name.clone()}</span>
                                    <span class="muted small">{count}</span>
                                </label>
                            </li>
                        }
                    }).collect_view().into_any()
                }}
            </ul>
        </div>
    }
}
