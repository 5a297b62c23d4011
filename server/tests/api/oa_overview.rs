//! The follower list's server-side order (`?sort=`) and the overview's activity per day.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use wxportal::entities::follower;

use crate::followers::{Oa, demo_oa};
use crate::helpers::{assert_error, json_of};

/// Every follower of the list in the order `sort` gives, read `per_page` at a time.
async fn all_in_order(oa: &Oa, sort: &str, per_page: u64) -> Vec<Value> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = json_of(
            oa.admin
                .get(&oa.url(&format!(
                    "/followers?sort={sort}&per_page={per_page}&page={page}"
                )))
                .await,
            StatusCode::OK,
        )
        .await;
        let items = p["items"].as_array().unwrap().clone();
        let total = p["total"].as_u64().unwrap();
        out.extend(items);
        if out.len() as u64 >= total {
            break;
        }
    }
    out
}

fn openids(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|f| f["openid"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_follower_list_sorts_on_the_server_with_missing_values_last() {
    let oa = demo_oa().await;
    oa.sync().await;
    let newest = all_in_order(&oa, "newest", 100).await;
    assert!(newest.len() > 100, "the demo account has several pages");
    let ids = openids(&newest);

    // Remarks on three followers, set through the API (pushed to WeChat), one of them cleared
    // again to an empty remark; and one follower WeChat gave no subscribe time.
    for (n, remark) in [
        (10, "b-remark"),
        (20, "a-remark"),
        (30, "c-remark"),
        (40, ""),
    ] {
        let r = oa
            .admin
            .patch(
                &oa.url(&format!("/followers/{}", ids[n])),
                &json!({"remark": remark}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "remark {remark:?}");
    }
    follower::Entity::update_many()
        .col_expr(
            follower::Column::SubscribeTime,
            Expr::value(Option::<time::OffsetDateTime>::None),
        )
        .filter(follower::Column::AccountId.eq(oa.id))
        .filter(follower::Column::Openid.eq(ids[5].clone()))
        .exec(&oa.app.db)
        .await
        .unwrap();
    // And two whose subscribe times are far from everyone else's: they open the two orders.
    for (n, year) in [(50, 2035), (60, 2001)] {
        let at = time::Date::from_calendar_date(year, time::Month::June, 1)
            .unwrap()
            .midnight()
            .assume_utc();
        follower::Entity::update_many()
            .col_expr(follower::Column::SubscribeTime, Expr::value(Some(at)))
            .filter(follower::Column::AccountId.eq(oa.id))
            .filter(follower::Column::Openid.eq(ids[n].clone()))
            .exec(&oa.app.db)
            .await
            .unwrap();
    }

    // By remark: the three remarks A→Z, then everyone else (empty remarks count as none).
    let by_remark = all_in_order(&oa, "remark", 100).await;
    assert_eq!(by_remark.len(), newest.len());
    let first: Vec<&str> = by_remark[..3]
        .iter()
        .map(|f| f["remark"].as_str().unwrap())
        .collect();
    assert_eq!(first, ["a-remark", "b-remark", "c-remark"]);
    assert!(
        by_remark[3..]
            .iter()
            .all(|f| f["remark"].as_str().unwrap_or("").is_empty())
    );

    // By subscribe time, both ways: monotonic, the follower without one last, and the pages
    // together hold each follower exactly once (stable paging, even with ties).
    for (sort, asc) in [("subscribed_asc", true), ("subscribed_desc", false)] {
        let list = all_in_order(&oa, sort, 37).await;
        assert_eq!(list.len(), newest.len(), "{sort}");
        let mut seen = openids(&list);
        seen.sort();
        seen.dedup();
        assert_eq!(
            seen.len(),
            newest.len(),
            "{sort}: a follower twice or missing"
        );
        assert_eq!(list.last().unwrap()["openid"], ids[5].as_str(), "{sort}");
        assert!(list.last().unwrap()["subscribe_time"].is_null());
        let times: Vec<time::OffsetDateTime> = list[..list.len() - 1]
            .iter()
            .map(|f| {
                time::OffsetDateTime::parse(
                    f["subscribe_time"].as_str().unwrap(),
                    &time::format_description::well_known::Rfc3339,
                )
                .unwrap()
            })
            .collect();
        assert!(
            times
                .windows(2)
                .all(|w| if asc { w[0] <= w[1] } else { w[0] >= w[1] }),
            "{sort} is not in order"
        );
        let opener = if asc { &ids[60] } else { &ids[50] };
        assert_eq!(list[0]["openid"], opener.as_str(), "{sort}");
    }

    // An order the server does not know is refused, not ignored.
    assert_error(
        oa.admin.get(&oa.url("/followers?sort=openid")).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

/// Today's row of `GET …/stats/daily`.
async fn today(oa: &Oa) -> Value {
    let d = json_of(
        oa.admin.get(&oa.url("/stats/daily?days=7")).await,
        StatusCode::OK,
    )
    .await;
    let days = d["days"].as_array().unwrap();
    assert_eq!(days.len(), 7, "every day is present: {d}");
    assert_eq!(days.last().unwrap()["date"], d["to"]);
    days.last().unwrap().clone()
}

#[tokio::test]
async fn the_overview_counts_follows_unfollows_and_messages_per_day() {
    let oa = demo_oa().await;
    let before = today(&oa).await;
    let act = |body: Value| {
        let oa = &oa;
        async move {
            let r = oa.admin.post(&oa.url("/sandbox/act"), &body).await;
            assert_eq!(r.status(), StatusCode::OK);
            json_of(r, StatusCode::OK).await
        }
    };
    // Two new followers, one of whom leaves again and who sends three messages before that.
    let first = act(json!({"type": "subscribe"})).await;
    act(json!({"type": "subscribe"})).await;
    let who = first["subject"]
        .as_str()
        .or_else(|| first["openid"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("who subscribed: {first}"));
    for text in ["一", "二", "三"] {
        act(json!({"type": "text", "subject": who, "content": text})).await;
    }
    act(json!({"type": "unsubscribe", "subject": who})).await;

    let after = today(&oa).await;
    let delta = |k: &str| after[k].as_u64().unwrap() - before[k].as_u64().unwrap();
    assert_eq!(delta("subscribed"), 2, "{before} → {after}");
    assert_eq!(delta("unsubscribed"), 1);
    assert_eq!(delta("inbound"), 3);
    // What was sent today is what the message log holds as sent today.
    let sent = wxportal::entities::outbound_message::Entity::find()
        .filter(wxportal::entities::outbound_message::Column::AccountId.eq(oa.id))
        .all(&oa.app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| {
            m.status == wxportal::entities::outbound_message::SendStatus::Sent
                && m.created_at
                    .to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap())
                    .date()
                    .to_string()
                    == after["date"].as_str().unwrap()
        })
        .count() as u64;
    assert_eq!(after["outbound"].as_u64().unwrap(), sent);

    // Outside 1–90 days is refused.
    assert_error(
        oa.admin.get(&oa.url("/stats/daily?days=0")).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}
