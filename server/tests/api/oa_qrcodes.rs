//! Parametric QR codes against the in-process emulator (`--sandbox`): creation at WeChat, the
//! image served through the portal, scans attributed to their code by the callbacks.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use wxportal::entities::{oa_qrcode, oa_qrcode_scan};

use crate::helpers::{Client, TestApp, assert_error, json_of, spawn_app_with};

struct Oa {
    app: TestApp,
    admin: Client,
    id: i64,
}

async fn demo_oa() -> Oa {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let admin = app.admin().await;
    let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == "official_account")
        .expect("the demo OA")["id"]
        .as_i64()
        .unwrap();
    Oa { app, admin, id }
}

impl Oa {
    fn url(&self, p: &str) -> String {
        format!("/api/accounts/{}{p}", self.id)
    }

    async fn act(&self, body: Value) -> Value {
        json_of(
            self.admin.post(&self.url("/sandbox/act"), &body).await,
            StatusCode::OK,
        )
        .await
    }

    async fn stats(&self, qr: i64) -> Value {
        json_of(
            self.admin
                .get(&self.url(&format!("/qrcodes/{qr}/stats?days=7")))
                .await,
            StatusCode::OK,
        )
        .await
    }
}

#[tokio::test]
async fn a_scan_subscribes_a_follower_attributed_to_the_code() {
    let oa = demo_oa().await;
    let qr = json_of(
        oa.admin
            .post(
                &oa.url("/qrcodes"),
                &json!({"name": "门店海报", "note": "一楼", "permanent": false,
                        "scene_str": "store-1", "expire_seconds": 3600}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let qr_id = qr["id"].as_i64().unwrap();
    assert_eq!(qr["scene"], "store-1");
    assert_eq!(qr["permanent"], false);
    assert!(
        qr["url"]
            .as_str()
            .unwrap()
            .starts_with("http://weixin.qq.com/q/")
    );
    assert!(qr["expires_at"].is_string());

    // The PNG comes through the portal and is the emulator's image of this very ticket.
    let row = oa_qrcode::Entity::find_by_id(qr_id)
        .one(&oa.app.db)
        .await
        .unwrap()
        .unwrap();
    let res = oa
        .admin
        .get(&oa.url(&format!("/qrcodes/{qr_id}/image?download=1")))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let ours = res.bytes().await.unwrap();
    let theirs = reqwest::Client::new()
        .get(format!(
            "{}/sandbox/mp.weixin.qq.com/cgi-bin/showqrcode",
            oa.app.base
        ))
        .query(&[("ticket", row.ticket.as_str())])
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(ours.starts_with(b"\x89PNG"));
    assert_eq!(ours, theirs);

    // A new visitor scans and follows: subscribe with qrscene_store-1.
    let first = oa
        .act(json!({"type": "subscribe", "scene": "store-1"}))
        .await;
    let openid = first["subject"].as_str().unwrap().to_string();
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("qrscene_store-1"),
        "{first}"
    );
    // The same follower scans again: SCAN, a repeat scan.
    let again = oa
        .act(json!({"type": "scan", "scene": "store-1", "subject": openid}))
        .await;
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .contains("<![CDATA[SCAN]]>"),
        "{again}"
    );

    let stats = oa.stats(qr_id).await;
    assert_eq!(stats["scans"], 2, "{stats}");
    assert_eq!(stats["subscribes"], 1);
    assert_eq!(stats["repeat_scans"], 1);
    assert_eq!(stats["unique_scanners"], 1);
    assert_eq!(stats["days"].as_array().unwrap().len(), 7);
    let today = stats["days"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(today["scans"], 2, "{stats}");
    assert_eq!(today["subscribes"], 1);
    assert_eq!(today["repeat_scans"], 1);
    assert_eq!(stats["subscribers"][0]["openid"], openid.as_str());
    assert_eq!(stats["subscribers"][0]["subscribed"], true);
    let rows = oa_qrcode_scan::Entity::find()
        .filter(oa_qrcode_scan::Column::QrcodeId.eq(qr_id))
        .all(&oa.app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);

    // The list carries the counts; the follower list filters by the scene.
    let list = json_of(
        oa.admin.get(&oa.url("/qrcodes?q=store")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["scans"], 2);
    assert_eq!(list["items"][0]["subscribes"], 1);
    let followers = json_of(
        oa.admin.get(&oa.url("/followers?qr_scene=store-1")).await,
        StatusCode::OK,
    )
    .await;
    let found: Vec<&str> = followers["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["openid"].as_str().unwrap())
        .collect();
    assert_eq!(found, [openid.as_str()]);

    // A scene nobody's code has is not attributed to this one.
    oa.act(json!({"type": "subscribe", "scene": "elsewhere"}))
        .await;
    assert_eq!(oa.stats(qr_id).await["scans"], 2);
}

#[tokio::test]
async fn rules_of_creation_and_the_reply_rule_of_a_scene() {
    let oa = demo_oa().await;
    // WeChat's limits are checked before calling it.
    let bad = assert_error(
        oa.admin
            .post(
                &oa.url("/qrcodes"),
                &json!({"name": "x", "permanent": true, "scene_id": 100_001}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(bad["error"]["fields"][0]["field"], "scene_id");
    assert_error(
        oa.admin
            .post(
                &oa.url("/qrcodes"),
                &json!({"name": "x", "permanent": false, "scene_id": 5}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let qr = json_of(
        oa.admin
            .post(
                &oa.url("/qrcodes"),
                &json!({"name": "永久码", "permanent": true, "scene_id": 42}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(qr["scene"], "42");
    assert!(qr["expires_at"].is_null());
    // A second live code with the same scene could not be told apart.
    assert_error(
        oa.admin
            .post(
                &oa.url("/qrcodes"),
                &json!({"name": "again", "permanent": false, "scene_str": "42", "expire_seconds": 600}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let qr_id = qr["id"].as_i64().unwrap();

    // A reply rule for the scene answers the scan and is listed with the code.
    json_of(
        oa.admin
            .post(
                &oa.url("/reply-rules"),
                &json!({"name": "扫码欢迎", "enabled": true, "priority": 10,
                        "triggers": [{"type": "qr_scan", "scene": "42"}],
                        "replies": [{"type": "text", "content": "欢迎扫码 42"}]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let stats = oa.stats(qr_id).await;
    assert_eq!(stats["reply_rules"][0]["name"], "扫码欢迎", "{stats}");
    let act = oa.act(json!({"type": "subscribe", "scene": "42"})).await;
    assert!(act.to_string().contains("欢迎扫码 42"), "{act}");
    assert_eq!(oa.stats(qr_id).await["subscribes"], 1);

    // Labels change, the code does not; forgetting it drops its statistics.
    let renamed = json_of(
        oa.admin
            .patch(
                &oa.url(&format!("/qrcodes/{qr_id}")),
                &json!({"name": "新名字", "note": "备注"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["name"], "新名字");
    assert_eq!(renamed["scene"], "42");
    let res = oa.admin.delete(&oa.url(&format!("/qrcodes/{qr_id}"))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        oa.admin
            .get(&oa.url(&format!("/qrcodes/{qr_id}")))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert!(
        oa_qrcode_scan::Entity::find()
            .filter(oa_qrcode_scan::Column::QrcodeId.eq(qr_id))
            .all(&oa.app.db)
            .await
            .unwrap()
            .is_empty()
    );
}

/// A follower keeps the scene that subscribed them when they later scan another code (SCAN):
/// the follower list filtered by the first scene still finds them, by the second it does not.
#[tokio::test]
async fn a_scan_by_an_existing_follower_keeps_the_subscribe_scene() {
    let oa = demo_oa().await;
    for scene in ["attr-a", "attr-b"] {
        json_of(
            oa.admin
                .post(
                    &oa.url("/qrcodes"),
                    &json!({"name": scene, "permanent": true, "scene_str": scene}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let first = oa
        .act(json!({"type": "subscribe", "scene": "attr-a"}))
        .await;
    let openid = first["subject"].as_str().unwrap().to_string();
    let again = oa
        .act(json!({"type": "scan", "scene": "attr-b", "subject": openid}))
        .await;
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .contains("<![CDATA[SCAN]]>"),
        "{again}"
    );

    let f = json_of(
        oa.admin.get(&oa.url(&format!("/followers/{openid}"))).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(f["qr_scene"], "attr-a", "{f}");
    assert_eq!(f["subscribe_scene"], "ADD_SCENE_QR_CODE");
    assert_eq!(f["subscribed"], true);

    let openids = |v: Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["openid"].as_str().unwrap().to_string())
            .collect()
    };
    let by_a = json_of(
        oa.admin.get(&oa.url("/followers?qr_scene=attr-a")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(openids(by_a), std::slice::from_ref(&openid));
    let by_b = json_of(
        oa.admin.get(&oa.url("/followers?qr_scene=attr-b")).await,
        StatusCode::OK,
    )
    .await;
    assert!(openids(by_b).is_empty());

    // The scan still counts for the second code.
    let list = json_of(
        oa.admin.get(&oa.url("/qrcodes?q=attr-b")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["items"][0]["scans"], 1, "{list}");
    assert_eq!(list["items"][0]["subscribes"], 0);
}
