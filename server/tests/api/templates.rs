//! Template messages against the in-process emulator: industry and templates, a job to 500
//! followers with per-recipient states, a job interrupted mid-way resumed without resending.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use serde_json::{Value, json};
use time::OffsetDateTime;
use wxportal::entities::{template_job, template_recipient};

use crate::helpers::{assert_error, json_of};
use crate::mass::{Oa, demo_oa};

async fn template(oa: &Oa) -> Value {
    let r = oa
        .admin
        .request(
            "PUT",
            &oa.url("/templates/industry"),
            Some(&json!({"industry_id1": 1, "industry_id2": 2})),
        )
        .await;
    let industry = json_of(r, StatusCode::OK).await;
    assert!(industry["primary"]["first_class"].is_string(), "{industry}");
    let list = json_of(
        oa.admin
            .post(
                &oa.url("/templates"),
                &json!({"template_id_short": "TM00015"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let t = list[0].clone();
    assert_eq!(
        t["keys"],
        json!(["first", "keyword1", "keyword2", "remark"])
    );
    t
}

fn data() -> Value {
    json!({
        "first": {"value": "您的订单已发货", "color": "#173177"},
        "keyword1": {"value": "双十二礼盒"},
        "keyword2": {"value": "2026-12-12"},
        "remark": {"value": "感谢惠顾"},
    })
}

/// Subscribed openids at WeChat, in order.
async fn subscribed(oa: &Oa) -> Vec<String> {
    let wx = oa.wx_state().await;
    wx["followers"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, f)| f["subscribed"] == true)
        .map(|(o, _)| o.clone())
        .collect()
}

async fn templates_in_inbox(oa: &Oa, openid: &str) -> usize {
    let inbox = oa
        .sim(
            "GET",
            &format!("/oa/{}/followers/{openid}/inbox", oa.appid),
            None,
        )
        .await;
    inbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["source"] == "template")
        .count()
}

async fn wait_job(oa: &Oa, id: i64, settled: u64) -> Value {
    for _ in 0..1500 {
        let j = json_of(
            oa.admin
                .get(&oa.url(&format!("/templates/jobs/{id}")))
                .await,
            StatusCode::OK,
        )
        .await;
        let unsettled: u64 = ["pending", "sending", "sent"]
            .iter()
            .map(|s| j["states"][s].as_u64().unwrap_or(0))
            .sum();
        if j["status"] == "done" && j["total"].as_u64().unwrap() - unsettled == settled {
            return j;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("template job {id} never settled");
}

#[tokio::test]
async fn a_template_job_to_500_followers_ends_with_each_recipients_state() {
    let oa = demo_oa().await;
    // 320 demo followers + 200 more, then a sync so the portal knows them all.
    oa.sim(
        "POST",
        &format!("/oa/{}/followers", oa.appid),
        Some(json!({"count": 200})),
    )
    .await;
    json_of(
        oa.admin.post(&oa.url("/followers/sync"), &json!({})).await,
        StatusCode::ACCEPTED,
    )
    .await;
    oa.wait(|| async {
        let s = json_of(
            oa.admin.get(&oa.url("/followers/sync")).await,
            StatusCode::OK,
        )
        .await;
        (s["job"]["status"] == "done").then_some(())
    })
    .await;
    let t = template(&oa).await;
    let mut openids = subscribed(&oa).await;
    openids.truncate(500);
    assert_eq!(openids.len(), 500);
    // Two of them refuse template messages.
    for o in &openids[..2] {
        oa.sim(
            "POST",
            &format!("/oa/{}/followers/{o}", oa.appid),
            Some(json!({"blocks_templates": true})),
        )
        .await;
    }
    // Missing field, bad colour: refused before anything is stored.
    let mut missing = data();
    missing.as_object_mut().unwrap().remove("remark");
    let mut bad_color = data();
    bad_color["first"]["color"] = json!("blue");
    for d in [missing, bad_color] {
        assert_error(
            oa.admin
                .post(&oa.url("/templates/jobs"), &json!({"template_id": t["template_id"], "data": d, "recipients": {"by": "openids", "openids": openids}}))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
    }
    let job = json_of(
        oa.admin
            .post(
                &oa.url("/templates/jobs"),
                &json!({"template_id": t["template_id"], "url": "https://example.com/order/1", "data": data(), "recipients": {"by": "openids", "openids": openids}}),
            )
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(job["total"], 500);
    // The job names its template by title too, not only by id.
    assert!(t["title"].as_str().is_some_and(|x| !x.is_empty()), "{t}");
    assert_eq!(job["template_title"], t["title"], "{job}");
    let id = job["id"].as_i64().unwrap();
    let done = wait_job(&oa, id, 500).await;
    assert_eq!(done["states"]["delivered"], 498, "{done}");
    assert_eq!(done["states"]["user_block"], 2, "{done}");
    let blocked = json_of(
        oa.admin
            .get(&oa.url(&format!("/templates/jobs/{id}/recipients?state=user_block")))
            .await,
        StatusCode::OK,
    )
    .await;
    let mut got: Vec<&str> = blocked
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["openid"].as_str().unwrap())
        .collect();
    got.sort();
    let mut want: Vec<&str> = openids[..2].iter().map(String::as_str).collect();
    want.sort();
    assert_eq!(got, want);
    // What WeChat delivered: one message each to the others, none to the two.
    assert_eq!(templates_in_inbox(&oa, &openids[0]).await, 0);
    for o in openids.iter().skip(2).step_by(50) {
        assert_eq!(templates_in_inbox(&oa, o).await, 1, "{o}");
    }
    // The follower's log.
    let log = json_of(
        oa.admin
            .get(&oa.url(&format!("/templates/followers/{}", openids[3])))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log[0]["state"], "delivered", "{log}");
    assert_eq!(log[0]["job_id"], id);
}

#[tokio::test]
async fn an_interrupted_template_job_resumes_without_resending() {
    let oa = demo_oa().await;
    let t = template(&oa).await;
    let openids: Vec<String> = subscribed(&oa).await.into_iter().take(6).collect();
    let tid = t["template_id"].as_str().unwrap().to_string();
    // The state an instance leaves when it dies mid-way: two recipients sent, the third
    // handed to WeChat (which took it) but its answer never stored, three still pending;
    // the job's claim has run out.
    let now = OffsetDateTime::now_utc();
    let job = template_job::Entity::insert(template_job::ActiveModel {
        account_id: Set(oa.id),
        template_id: Set(tid.clone()),
        url: Set(None),
        miniprogram: Set(None),
        data: Set(data().to_string()),
        status: Set("running".into()),
        total: Set(6),
        sent: Set(2),
        failed: Set(0),
        lease_until: Set(Some(now - time::Duration::minutes(2))),
        error: Set(None),
        started_by: Set("admin".into()),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    })
    .exec(&oa.app.db)
    .await
    .unwrap()
    .last_insert_id;
    let mut ids = Vec::new();
    for o in &openids {
        let r = template_recipient::Entity::insert(template_recipient::ActiveModel {
            job_id: Set(job),
            account_id: Set(oa.id),
            openid: Set(o.clone()),
            state: Set("pending".into()),
            ..Default::default()
        })
        .exec(&oa.app.db)
        .await
        .unwrap()
        .last_insert_id;
        ids.push(r);
    }
    // What the dead instance had got through to WeChat, with the client_msg_id it used.
    for (i, o) in openids.iter().enumerate().take(3) {
        let body = json!({"touser": o, "template_id": tid, "client_msg_id": format!("wxp-t{job}-{}", ids[i]), "data": data()});
        let msgid = send_as_wechat_client(&oa, &body).await;
        let (state, msgid) = if i < 2 {
            ("sent", Some(msgid.to_string()))
        } else {
            ("sending", None)
        };
        template_recipient::Entity::update_many()
            .col_expr(template_recipient::Column::State, Expr::value(state))
            .col_expr(template_recipient::Column::Msgid, Expr::value(msgid))
            .filter(template_recipient::Column::Id.eq(ids[i]))
            .exec(&oa.app.db)
            .await
            .unwrap();
    }
    let done = wait_job(&oa, job, 6).await;
    assert_eq!(done["states"]["delivered"], 6, "{done}");
    for o in &openids {
        assert_eq!(
            templates_in_inbox(&oa, o).await,
            1,
            "{o} got a template message twice or never"
        );
    }
}

/// Calls `message/template/send` on the emulator as the portal would, with the account's token.
async fn send_as_wechat_client(oa: &Oa, body: &Value) -> i64 {
    let wx = oa.wx_state().await;
    let secret = wx["secret"].as_str().unwrap();
    let base = format!("{}/sandbox/api.weixin.qq.com/cgi-bin", oa.app.base);
    let c = reqwest::Client::new();
    let tok: Value = c
        .get(format!(
            "{base}/token?grant_type=client_credential&appid={}&secret={secret}",
            oa.appid
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tok = tok["access_token"].as_str().unwrap();
    let v: Value = c
        .post(format!("{base}/message/template/send?access_token={tok}"))
        .json(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["msgid"].as_i64().unwrap_or_else(|| panic!("{v}"))
}
