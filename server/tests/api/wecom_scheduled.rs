//! Drafts and scheduled sends of WeCom app messages: a due send is sent once although two
//! instances' workers race for it (asserted on the emulator's inboxes and the send log), a
//! cancelled one never goes, and drafts and schedules are checked with coded field issues.

use api::staff::Role;
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};
use wxportal::entities::{wecom_message, wecom_message_draft, wecom_message_part};
use wxportal::wecom::messages::scheduled::send_due;

use crate::helpers::{assert_error, json_of};
use crate::wecom_messages::{Work, work_sandbox};

fn at(offset: Duration) -> String {
    (OffsetDateTime::now_utc() + offset)
        .to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap())
        .format(&Rfc3339)
        .unwrap()
}

impl Work {
    fn drafts_path(&self) -> String {
        format!("/api/accounts/{}/wecom/message-drafts", self.id)
    }

    /// Moves a scheduled send's time into the past: it is due now.
    async fn make_due(&self, draft_id: i64) {
        let row = wecom_message_draft::Entity::find_by_id(draft_id)
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap();
        let mut am = row.into_active_model();
        am.scheduled_at = Set(Some(OffsetDateTime::now_utc() - Duration::minutes(5)));
        am.update(&self.app.db).await.unwrap();
    }

    async fn draft_row(&self, draft_id: i64) -> wecom_message_draft::Model {
        wecom_message_draft::Entity::find_by_id(draft_id)
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap()
    }
}

fn fields_of(body: &Value) -> Vec<(String, String)> {
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_due_scheduled_send_goes_once_although_two_instances_race_for_it() {
    let w = work_sandbox().await;
    let (_, other) = crate::multi_instance_jobs::join(&w.app, &w.admin).await;
    let everyone = w.all_members().await;
    let to: Vec<String> = everyone.iter().take(2).cloned().collect();
    let d = json_of(
        w.admin
            .post(
                &w.drafts_path(),
                &json!({
                    "recipients": {"users": to},
                    "content": {"msgtype": "text", "content": "定时：明早例会改到 9:30"},
                    "scheduled_at": at(Duration::hours(2)),
                }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(d["state"], "scheduled", "{d}");
    let id = d["id"].as_i64().unwrap();
    // Not due yet: the workers leave it alone.
    let (a, b) = tokio::join!(send_due(&w.app.state), send_due(&other));
    assert_eq!(a.unwrap() + b.unwrap(), 0);
    assert!(w.inbox(&to[0]).await.is_empty());

    w.make_due(id).await;
    // Both instances' passes at once (their own loops run too): one of them sends it.
    let (a, b) = tokio::join!(send_due(&w.app.state), send_due(&other));
    a.unwrap();
    b.unwrap();
    // A background loop may hold the claim still: wait for it to be settled.
    let mut row = w.draft_row(id).await;
    for _ in 0..100 {
        if row.state == "sent" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        row = w.draft_row(id).await;
    }
    assert_eq!(row.state, "sent", "{row:?}");
    assert_eq!(row.attempts, 1, "claimed once: {row:?}");
    let message_id = row.message_id.expect("the send it became");
    // Again: nothing more goes.
    let (a, b) = tokio::join!(send_due(&w.app.state), send_due(&other));
    assert_eq!(a.unwrap() + b.unwrap(), 0);

    // Exactly the two members, once each.
    for u in &everyone {
        let inbox = w.inbox(u).await;
        if to.contains(u) {
            assert_eq!(inbox.len(), 1, "{u}: {inbox:?}");
            assert_eq!(
                inbox[0]["content"]["text"]["content"],
                "定时：明早例会改到 9:30"
            );
        } else {
            assert!(inbox.is_empty(), "{u} got {inbox:?}");
        }
    }
    // Recorded in the send log like an immediate send, as the scheduler's.
    assert_eq!(
        wecom_message::Entity::find()
            .count(&w.app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        wecom_message_part::Entity::find()
            .count(&w.app.db)
            .await
            .unwrap(),
        1
    );
    let m = json_of(
        w.admin
            .get(&format!(
                "/api/accounts/{}/wecom/messages/{message_id}",
                w.id
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(m["state"], "sent", "{m}");
    assert_eq!(m["created_by"], "admin");
    let d = json_of(
        w.admin.get(&format!("{}/{id}", w.drafts_path())).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["state"], "sent");
    assert_eq!(d["message_id"], message_id);
    assert_eq!(d["message_state"], "sent");
    // Sent: it cannot be edited or cancelled any more.
    let e = assert_error(
        w.admin
            .post(&format!("{}/{id}/cancel", w.drafts_path()), &json!({}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(e["error"]["reason"], "message_draft_locked");
}

#[tokio::test]
async fn a_scheduled_send_over_the_receiver_limit_is_split_like_an_immediate_one() {
    let w = work_sandbox().await;
    let everyone = w.all_members().await;
    let mut users: Vec<String> = (0..1200).map(|i| format!("ghost{i:04}")).collect();
    users.push(everyone[0].clone());
    let d = json_of(
        w.admin
            .post(
                &w.drafts_path(),
                &json!({
                    "recipients": {"users": users},
                    "content": {"msgtype": "markdown", "content": "**大名单**"},
                    "scheduled_at": at(Duration::minutes(30)),
                }),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = d["id"].as_i64().unwrap();
    w.make_due(id).await;
    send_due(&w.app.state).await.unwrap();
    let mut row = w.draft_row(id).await;
    for _ in 0..100 {
        if row.state == "sent" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        row = w.draft_row(id).await;
    }
    let m = json_of(
        w.admin
            .get(&format!(
                "/api/accounts/{}/wecom/messages/{}",
                w.id,
                row.message_id.unwrap()
            ))
            .await,
        StatusCode::OK,
    )
    .await;
    let parts = m["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2, "1201 members: two calls");
    assert_eq!(
        parts[0]["recipients"]["users"].as_array().unwrap().len(),
        1000
    );
    assert_eq!(
        parts[1]["recipients"]["users"].as_array().unwrap().len(),
        201
    );
    assert_eq!(w.inbox(&everyone[0]).await.len(), 1);
}

#[tokio::test]
async fn a_cancelled_scheduled_send_never_goes_and_stays_a_draft() {
    let w = work_sandbox().await;
    let to = w.all_members().await[0].clone();
    let body = json!({
        "recipients": {"users": [to]},
        "content": {"msgtype": "text", "content": "不该发出"},
        "scheduled_at": at(Duration::hours(1)),
    });
    let d = json_of(
        w.admin.post(&w.drafts_path(), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let id = d["id"].as_i64().unwrap();
    // A viewer reads the list but cannot cancel.
    let (viewer, _) = w.app.signed_in("viewer", Role::Viewer).await;
    let list = json_of(viewer.get(&w.drafts_path()).await, StatusCode::OK).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        viewer
            .post(&format!("{}/{id}/cancel", w.drafts_path()), &json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let d = json_of(
        w.admin
            .post(&format!("{}/{id}/cancel", w.drafts_path()), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["state"], "draft");
    // Its time passes: the workers do not send a draft.
    w.make_due(id).await;
    assert_eq!(send_due(&w.app.state).await.unwrap(), 0);
    assert_eq!(send_due(&w.app.state).await.unwrap(), 0);
    assert!(w.inbox(&to).await.is_empty());
    assert_eq!(
        wecom_message::Entity::find()
            .count(&w.app.db)
            .await
            .unwrap(),
        0
    );
    let e = assert_error(
        w.admin
            .post(&format!("{}/{id}/cancel", w.drafts_path()), &json!({}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(e["error"]["reason"], "message_draft_not_scheduled");
    // Edited and kept as a draft, then deleted.
    let mut edit = body.clone();
    edit["content"]["content"] = json!("改过的草稿");
    edit["scheduled_at"] = Value::Null;
    let d = json_of(
        w.admin
            .request("PUT", &format!("{}/{id}", w.drafts_path()), Some(&edit))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["state"], "draft");
    assert_eq!(d["content"]["content"], "改过的草稿");
    assert_eq!(d["summary"], "改过的草稿");
    assert_eq!(
        w.admin
            .delete(&format!("{}/{id}", w.drafts_path()))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        wecom_message_draft::Entity::find()
            .count(&w.app.db)
            .await
            .unwrap(),
        0
    );
    assert!(w.inbox(&to).await.is_empty());
}

#[tokio::test]
async fn drafts_and_schedules_are_checked_with_coded_issues() {
    let w = work_sandbox().await;
    // A draft may be unfinished.
    let d = json_of(
        w.admin
            .post(
                &w.drafts_path(),
                &json!({"content": {"msgtype": "textcard", "title": "", "description": "", "url": ""}}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(d["state"], "draft");
    let id = d["id"].as_i64().unwrap();
    // …but keeps WeChat's limits.
    let body = assert_error(
        w.admin
            .post(
                &w.drafts_path(),
                &json!({"content": {"msgtype": "text", "content": "长".repeat(700)}}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(
        fields_of(&body),
        [("content.content".to_string(), "too_long_bytes".to_string())]
    );
    // Scheduling checks the whole form and the time.
    let cases = [
        (
            json!({"content": {"msgtype": "text", "content": ""}, "scheduled_at": at(Duration::hours(1))}),
            vec![
                ("recipients", "no_recipients"),
                ("content.content", "required"),
            ],
        ),
        (
            json!({"recipients": {"all": true}, "content": {"msgtype": "text", "content": "x"}, "scheduled_at": at(-Duration::minutes(10))}),
            vec![("scheduled_at", "schedule_past")],
        ),
        (
            json!({"recipients": {"all": true}, "content": {"msgtype": "text", "content": "x"}, "scheduled_at": at(Duration::days(31))}),
            vec![("scheduled_at", "schedule_too_far")],
        ),
        (
            json!({"recipients": {"all": true}, "content": {"msgtype": "text", "content": "x"}, "scheduled_at": "明天早上"}),
            vec![("scheduled_at", "schedule_format")],
        ),
        (
            json!({"recipients": {"all": true}, "content": {"msgtype": "image", "media_id": "m1"}, "scheduled_at": at(Duration::days(4))}),
            vec![("scheduled_at", "schedule_after_media")],
        ),
    ];
    for (req, want) in cases {
        let body = assert_error(
            w.admin
                .request("PUT", &format!("{}/{id}", w.drafts_path()), Some(&req))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
        let want: Vec<(String, String)> = want
            .into_iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect();
        assert_eq!(fields_of(&body), want, "{req}");
    }
    // Nothing was changed by the refused edits.
    assert_eq!(w.draft_row(id).await.state, "draft");
    // The current minute is still "now" (the picker has minutes): accepted and due at once.
    let d = json_of(
        w.admin
            .post(
                &w.drafts_path(),
                &json!({"recipients": {"users": ["nobody1"]}, "content": {"msgtype": "text", "content": "x"}, "scheduled_at": at(-Duration::seconds(30))}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(d["scheduled_at"].is_string(), "{d}");
    // Scheduled for later.
    let d = json_of(
        w.admin
            .request(
                "PUT",
                &format!("{}/{id}", w.drafts_path()),
                Some(&json!({"recipients": {"users": ["nobody2"]}, "content": {"msgtype": "text", "content": "x"}, "scheduled_at": at(Duration::hours(3))})),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["state"], "scheduled");
    // While a worker holds it, it cannot be changed.
    let mut am = w.draft_row(id).await.into_active_model();
    am.state = Set("sending".into());
    am.lease_until = Set(Some(OffsetDateTime::now_utc() + Duration::minutes(1)));
    am.update(&w.app.db).await.unwrap();
    for r in [
        w.admin
            .request(
                "PUT",
                &format!("{}/{id}", w.drafts_path()),
                Some(&json!({"content": {"msgtype": "text", "content": "y"}})),
            )
            .await,
        w.admin.delete(&format!("{}/{id}", w.drafts_path())).await,
    ] {
        let e = assert_error(r, StatusCode::CONFLICT, "conflict").await;
        assert_eq!(e["error"]["reason"], "message_draft_locked");
    }
    // Another account's draft is not found.
    assert_eq!(
        w.admin
            .get(&format!(
                "/api/accounts/{}/wecom/message-drafts/{id}",
                w.id + 1000
            ))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_time_given_in_beijing_time_is_due_at_that_moment() {
    let w = work_sandbox().await;
    let to = w.all_members().await[0].clone();
    let post = |content: &str, when: String| {
        json!({
            "recipients": {"users": [to]},
            "content": {"msgtype": "text", "content": content},
            "scheduled_at": when,
        })
    };
    // Two minutes ahead (written as Beijing time): not due yet.
    let later = json_of(
        w.admin
            .post(
                &w.drafts_path(),
                &post("两分钟后", at(Duration::minutes(2))),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(send_due(&w.app.state).await.unwrap(), 0);
    // The current minute (30 s ago, Beijing time): due at once, no row edited by hand.
    let now = json_of(
        w.admin
            .post(
                &w.drafts_path(),
                &post("就现在", at(-Duration::seconds(30))),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = now["id"].as_i64().unwrap();
    send_due(&w.app.state).await.unwrap();
    let mut row = w.draft_row(id).await;
    for _ in 0..100 {
        if row.state == "sent" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        row = w.draft_row(id).await;
    }
    assert_eq!(row.state, "sent", "{row:?}");
    let inbox = w.inbox(&to).await;
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0]["content"]["text"]["content"], "就现在");
    let later = w.draft_row(later["id"].as_i64().unwrap()).await;
    assert_eq!(later.state, "scheduled");
    assert_eq!(later.attempts, 0);
}
