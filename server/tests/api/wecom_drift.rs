//! The contacts drift check: differences between the mirror and the emulator's corp (as when
//! callbacks were lost) are listed item by item, and each repair re-reads that item from WeCom
//! until nothing differs.

use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use wxportal::entities::{
    wecom_department as dept, wecom_member as member, wecom_tag_member as tm,
};

use crate::helpers::{assert_error, json_of};
use crate::wecom_messages::work_sandbox;

#[tokio::test]
async fn drift_lists_what_the_mirror_missed_and_each_repair_fixes_its_item() {
    let w = work_sandbox().await;
    let url = |p: &str| format!("/api/accounts/{}/contacts{p}", w.id);
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
    let clean = json_of(w.admin.get(&url("/drift")).await, StatusCode::OK).await;
    assert_eq!(clean["items"], json!([]), "{clean}");
    assert!(clean["members"].as_u64().unwrap() >= 50, "{clean}");

    // What lost callbacks leave behind: a member missing here, one WeCom no longer has, a
    // department under the wrong parent, a tag without one of its members.
    let db = &w.app.db;
    let mine = |c: member::Column| c.eq(w.id);
    member::Entity::delete_many()
        .filter(mine(member::Column::AccountId))
        .filter(member::Column::Userid.eq("user01"))
        .exec(db)
        .await
        .unwrap();
    let mut ghost: member::ActiveModel = member::Entity::find()
        .filter(mine(member::Column::AccountId))
        .filter(member::Column::Userid.eq("user02"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into();
    ghost.id = sea_orm::ActiveValue::NotSet;
    ghost.userid = Set("left.long.ago".into());
    ghost.insert(db).await.unwrap();
    let d = dept::Entity::find()
        .filter(dept::Column::AccountId.eq(w.id))
        .filter(dept::Column::ParentId.ne(0))
        .filter(dept::Column::ParentId.ne(1))
        .one(db)
        .await
        .unwrap()
        .expect("a department below the first level");
    let moved = d.dept_id;
    let mut am: dept::ActiveModel = d.into();
    am.parent_id = Set(1);
    am.update(db).await.unwrap();
    let t = tm::Entity::find()
        .filter(tm::Column::AccountId.eq(w.id))
        .filter(tm::Column::MemberKind.eq("user"))
        .one(db)
        .await
        .unwrap()
        .expect("a tagged member");
    let tag = t.tag_id;
    tm::Entity::delete_by_id(t.id).exec(db).await.unwrap();

    let r = json_of(w.admin.get(&url("/drift")).await, StatusCode::OK).await;
    let mut found: Vec<(String, String, String)> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().to_owned(),
                i["id"].as_str().unwrap().to_owned(),
                i["issue"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    found.sort();
    let mut want = vec![
        (
            "department".to_owned(),
            moved.to_string(),
            "differs".to_owned(),
        ),
        (
            "member".into(),
            "left.long.ago".into(),
            "missing_there".into(),
        ),
        ("member".into(), "user01".into(), "missing_here".into()),
        ("tag".into(), tag.to_string(), "differs".into()),
    ];
    want.sort();
    assert_eq!(found, want, "{r}");
    let dept_item = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "department")
        .unwrap();
    assert_eq!(dept_item["ours"]["parent_id"], 1, "{r}");
    assert_ne!(dept_item["theirs"]["parent_id"], 1, "{r}");

    // A viewer may not run it; an unknown kind is refused.
    let (viewer, _) = w
        .app
        .signed_in("drift-viewer", api::staff::Role::Viewer)
        .await;
    assert_error(
        viewer.get(&url("/drift")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        w.admin
            .post(&url("/drift/repair"), &json!({"kind": "robot", "id": "1"}))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    for (kind, id, _) in &found {
        let res = w
            .admin
            .post(&url("/drift/repair"), &json!({"kind": kind, "id": id}))
            .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{kind} {id}");
    }
    let after: Value = json_of(w.admin.get(&url("/drift")).await, StatusCode::OK).await;
    assert_eq!(after["items"], json!([]), "{after}");
    // The mirror holds user01 again and no longer the member WeCom does not have.
    let m = json_of(w.admin.get(&url("/members/user01")).await, StatusCode::OK).await;
    assert_eq!(m["userid"], "user01");
    let gone = w.admin.get(&url("/members/left.long.ago")).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}
