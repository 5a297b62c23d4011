//! The nightly reconcile of the contacts mirror: two instances running the nightly pass at
//! once check each app once, store what differs (nothing repaired), show it on the drift
//! endpoint and the overview, and a night left running by a dead instance is taken over.

use api::staff::Role;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use wxportal::entities::{wecom_drift_check as check, wecom_member as member};
use wxportal::pay::days::cst;
use wxportal::wecom::contacts::nightly::nightly_at;

use crate::helpers::json_of;
use crate::wecom_messages::work_sandbox;

#[tokio::test]
async fn two_instances_reconcile_each_app_once_a_night_and_store_what_differs() {
    let w = work_sandbox().await;
    let (_, other) = crate::multi_instance_jobs::join(&w.app, &w.admin).await;
    let url = |p: &str| format!("/api/accounts/{}/contacts{p}", w.id);
    // Today at 02:00 and 03:30, Beijing time.
    let today = OffsetDateTime::now_utc().to_offset(cst()).date();
    let at = |h: u8, m: u8| today.with_hms(h, m, 0).unwrap().assume_offset(cst());
    // No mirror yet: nothing to reconcile.
    assert_eq!(nightly_at(&w.app.state, at(3, 30)).await.unwrap(), 0);

    json_of(
        w.admin.post(&url("/sync"), &json!({})).await,
        StatusCode::ACCEPTED,
    )
    .await;
    for _ in 0..300 {
        let s = json_of(w.admin.get(&url("/sync")).await, StatusCode::OK).await;
        if s["job"]["status"] != "running" {
            assert_eq!(s["job"]["status"], "succeeded", "{s}");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // A lost callback: the mirror misses user01.
    member::Entity::delete_many()
        .filter(member::Column::AccountId.eq(w.id))
        .filter(member::Column::Userid.eq("user01"))
        .exec(&w.app.db)
        .await
        .unwrap();

    // Before 03:00 the night has not come.
    assert_eq!(nightly_at(&w.app.state, at(2, 0)).await.unwrap(), 0);
    let (a, b) = tokio::join!(
        nightly_at(&w.app.state, at(3, 30)),
        nightly_at(&other, at(3, 30))
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one check of the one app");
    let (a, b) = tokio::join!(
        nightly_at(&w.app.state, at(4, 0)),
        nightly_at(&other, at(4, 0))
    );
    assert_eq!(a.unwrap() + b.unwrap(), 0, "the night is done");
    let rows = check::Entity::find()
        .filter(check::Column::AccountId.eq(w.id))
        .all(&w.app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, "done", "{:?}", rows[0]);
    assert_eq!(rows[0].attempts, 1);
    assert_eq!(rows[0].differences, 1);
    // Not repaired: the mirror still misses user01.
    assert!(
        member::Entity::find()
            .filter(member::Column::AccountId.eq(w.id))
            .filter(member::Column::Userid.eq("user01"))
            .one(&w.app.db)
            .await
            .unwrap()
            .is_none()
    );

    // A viewer reads it, with the items, and the overview shows the count.
    let (viewer, _) = w.app.signed_in("viewer", Role::Viewer).await;
    let last = json_of(viewer.get(&url("/drift/last")).await, StatusCode::OK).await;
    let run = &last["run"];
    assert_eq!(run["state"], "done", "{last}");
    assert_eq!(run["day"], wxportal::pay::days::date_str(today));
    assert_eq!(run["differences"], 1);
    assert_eq!(run["report"]["items"][0]["id"], "user01", "{last}");
    assert_eq!(run["report"]["items"][0]["issue"], "missing_here");
    assert!(run["finished_at"].is_string());
    let o = json_of(
        viewer
            .get(&format!("/api/accounts/{}/wecom/overview", w.id))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(o["last_reconcile"]["differences"], 1, "{o}");
    assert!(o["last_reconcile"].get("report").is_none(), "{o}");

    // An instance died mid-check: once its lease ran out, the next pass takes the night over.
    let mut am = rows[0].clone().into_active_model();
    am.state = Set("running".into());
    am.lease_until = Set(OffsetDateTime::now_utc() - Duration::minutes(1));
    am.update(&w.app.db).await.unwrap();
    assert_eq!(nightly_at(&other, at(5, 0)).await.unwrap(), 1);
    let row = check::Entity::find_by_id(rows[0].id)
        .one(&w.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.state.as_str(), row.attempts), ("done", 2), "{row:?}");
}
