//! Menus (versions, rollback, validation, conditional menus, trymatch) and materials (upload
//! with WeChat's limits, bytes through the portal, sync) against the in-process emulator; the
//! shared sandbox account helpers (`Oa`) also serve `oa_drafts`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, assert_error, json_of, spawn_app_with};

pub(crate) struct Oa {
    pub(crate) app: TestApp,
    pub(crate) admin: Client,
    pub(crate) id: i64,
    pub(crate) appid: String,
}

pub(crate) async fn sandbox_oa() -> Oa {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let admin = app.admin().await;
    let list = json_of(admin.get("/api/accounts").await, StatusCode::OK).await;
    let oa = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["environment"] == "sandbox" && a["kind"] == "official_account")
        .expect("a demo official account")
        .clone();
    Oa {
        id: oa["id"].as_i64().unwrap(),
        appid: oa["settings"]["app_id"].as_str().unwrap().to_string(),
        app,
        admin,
    }
}

impl Oa {
    pub(crate) fn path(&self, rest: &str) -> String {
        format!("/api/accounts/{}{rest}", self.id)
    }

    /// The emulator's view of the account (menus, media, drafts, publishes).
    pub(crate) async fn emulated(&self) -> Value {
        crate::helpers::sim_http()
            .get(format!("{}/sandbox/_sim/oa/{}", self.app.base, self.appid))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub(crate) async fn upload(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, Vec<u8>),
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(file.1).file_name(file.0.to_string()),
        );
        self.admin
            .http
            .post(self.admin.url(&self.path(path)))
            .header("x-wxportal-upload", "1")
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

fn two_level_menu(key: &str) -> Value {
    json!([
        {"name": "今日", "type": "click", "key": key},
        {"name": "更多", "sub_button": [
            {"name": "官网", "type": "view", "url": "https://example.com/"},
            {"name": "扫一扫", "type": "scancode_push", "key": "SCAN_1"}
        ]}
    ])
}

#[tokio::test]
async fn a_published_menu_reaches_the_emulator_and_versions_roll_back() {
    let oa = sandbox_oa().await;
    // A reply rule answers the click key of the first menu.
    let rule = json!({
        "name": "today", "triggers": [{"type": "menu_click", "key": "TODAY"}],
        "replies": [{"type": "text", "content": "今日推荐"}]
    });
    json_of(
        oa.admin.post(&oa.path("/reply-rules"), &rule).await,
        StatusCode::CREATED,
    )
    .await;

    let v1 = json_of(
        oa.admin
            .post(
                &oa.path("/menu/publish"),
                &json!({"buttons": two_level_menu("TODAY"), "note": "first"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v1["number"], 1);
    assert_eq!(v1["source"], "published");
    let emulated = oa.emulated().await;
    let buttons = &emulated["menu"][1];
    assert_eq!(buttons[0]["key"], "TODAY", "{emulated}");
    assert_eq!(buttons[1]["sub_button"][0]["url"], "https://example.com/");
    assert_eq!(buttons[1]["sub_button"].as_array().unwrap().len(), 2);

    // The click key TODAY has a rule; SCAN_1 is not a click, so nothing is flagged.
    let overview = json_of(oa.admin.get(&oa.path("/menu")).await, StatusCode::OK).await;
    assert_eq!(overview["current"]["id"], v1["id"]);
    assert_eq!(overview["unmatched_keys"], json!([]));

    // A follower clicks the button in the sandbox and gets the rule's reply.
    let followers = json_of(
        oa.admin.get(&oa.path("/sandbox/followers?page=1")).await,
        StatusCode::OK,
    )
    .await;
    let openid = followers["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["subscribed"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let act = json_of(
        oa.admin
            .post(
                &oa.path("/sandbox/act"),
                &json!({"type": "click", "subject": openid, "key": "TODAY"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(act.to_string().contains("今日推荐"), "{act}");

    // Version 2 with an unanswered click key.
    let v2 = json_of(
        oa.admin
            .post(
                &oa.path("/menu/publish"),
                &json!({"buttons": [{"name": "新", "type": "click", "key": "NOBODY"}]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v2["number"], 2);
    assert_eq!(oa.emulated().await["menu"][1][0]["key"], "NOBODY");
    let overview = json_of(oa.admin.get(&oa.path("/menu")).await, StatusCode::OK).await;
    assert_eq!(
        overview["unmatched_keys"],
        json!([{"path": "button[0]", "key": "NOBODY"}])
    );

    // Compare 1 → 2.
    let cmp = json_of(
        oa.admin
            .get(&oa.path(&format!("/menu/compare?from={}&to={}", v1["id"], v2["id"])))
            .await,
        StatusCode::OK,
    )
    .await;
    let changes = cmp["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["path"] == "button[0]" && c["change"] == "changed")
    );
    assert!(
        changes
            .iter()
            .any(|c| c["path"] == "button[1]" && c["change"] == "removed")
    );

    // Roll back to version 1: republished, stored as version 3.
    let v3 = json_of(
        oa.admin
            .post(
                &oa.path(&format!("/menu/versions/{}/rollback", v1["id"])),
                &json!({}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v3["number"], 3);
    assert_eq!(v3["source"], "rollback");
    assert_eq!(v3["rollback_of"], v1["id"]);
    assert_eq!(v3["buttons"], v1["buttons"]);
    let emulated = oa.emulated().await;
    assert_eq!(emulated["menu"][1][0]["key"], "TODAY");
    assert_eq!(
        emulated["menu"][1][1]["sub_button"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let versions = json_of(
        oa.admin.get(&oa.path("/menu/versions")).await,
        StatusCode::OK,
    )
    .await;
    let numbers: Vec<i64> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [3, 2, 1]);

    // Import reads WeChat's menu back as version 4; delete clears it in WeChat.
    let v4 = json_of(
        oa.admin.post(&oa.path("/menu/import"), &json!({})).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v4["source"], "imported");
    assert_eq!(v4["buttons"], v1["buttons"]);
    assert_eq!(
        oa.admin.delete(&oa.path("/menu")).await.status(),
        StatusCode::NO_CONTENT
    );
    assert!(oa.emulated().await["menu"].is_null());
    assert_error(
        oa.admin.post(&oa.path("/menu/import"), &json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn invalid_menus_are_refused_before_wechat_with_an_error_per_field() {
    let oa = sandbox_oa().await;
    let before = oa.emulated().await["menu"].clone();
    let bad = json!([
        {"name": "一二三四五六", "type": "click", "key": "A"},
        {"name": "更多", "sub_button": [
            {"name": "官网", "type": "view", "url": "ftp://example.com"},
            {"name": "x", "type": "media_id"},
            {"name": "y", "type": "miniprogram", "url": "https://e.com"},
            {"name": "z", "type": "click", "key": "A"},
            {"name": "w", "type": "nonsense"},
            {"name": "v", "type": "click", "key": "V"}
        ]}
    ]);
    let body = assert_error(
        oa.admin
            .post(&oa.path("/menu/publish"), &json!({"buttons": bad}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let fields: Vec<(String, String)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (field, code) in [
        ("button[0].name", "menu_name_too_long"),
        ("button[1].sub_button", "menu_sub_count"),
        ("button[1].sub_button[0].url", "menu_url_scheme"),
        ("button[1].sub_button[1].media_id", "menu_media_id_required"),
        ("button[1].sub_button[2].appid", "menu_appid_required"),
        ("button[1].sub_button[2].pagepath", "menu_pagepath_required"),
        ("button[1].sub_button[3].key", "menu_key_duplicate"),
        ("button[1].sub_button[4].type", "menu_type_invalid"),
    ] {
        assert!(
            fields.iter().any(|(f, c)| f == field && c == code),
            "{field} {code} missing from {fields:?}"
        );
    }
    // Nothing reached WeChat and no version was stored.
    assert_eq!(oa.emulated().await["menu"], before);
    let versions = json_of(
        oa.admin.get(&oa.path("/menu/versions")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(versions, json!([]));

    // The same check is available without publishing, and the draft keeps invalid work.
    let check = json_of(
        oa.admin
            .request(
                "PUT",
                &oa.path("/menu/draft"),
                Some(&json!({"buttons": bad})),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(!check["issues"].as_array().unwrap().is_empty());
    assert_eq!(
        check["unmatched_keys"].as_array().unwrap().len(),
        3,
        "{check}"
    );
    let overview = json_of(oa.admin.get(&oa.path("/menu")).await, StatusCode::OK).await;
    assert_eq!(overview["draft"].as_array().unwrap().len(), 2);

    // A viewer may look but not publish.
    let (viewer, _) = oa
        .app
        .signed_in("menuviewer", api::staff::Role::Viewer)
        .await;
    assert_eq!(viewer.get(&oa.path("/menu")).await.status(), StatusCode::OK);
    assert_eq!(
        viewer
            .post(
                &oa.path("/menu/publish"),
                &json!({"buttons": two_level_menu("K")})
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn conditional_menus_and_preview_as_follower() {
    let oa = sandbox_oa().await;
    // WeChat needs a default menu first.
    json_of(
        oa.admin
            .post(
                &oa.path("/menu/publish"),
                &json!({"buttons": two_level_menu("DEFAULT")}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    // A rule without any condition is refused by us.
    assert_error(
        oa.admin
            .post(
                &oa.path("/menu/conditional"),
                &json!({"buttons": [{"name": "女", "type": "click", "key": "F"}], "matchrule": {}}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let followers = json_of(
        oa.admin.get(&oa.path("/sandbox/followers?page=1")).await,
        StatusCode::OK,
    )
    .await;
    let openid = followers["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["subscribed"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let follower: Value = crate::helpers::sim_http()
        .get(format!(
            "{}/sandbox/_sim/oa/{}/followers/{openid}",
            oa.app.base, oa.appid
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sex = follower["sex"].to_string().trim_matches('"').to_string();
    let c = json_of(
        oa.admin
            .post(
                &oa.path("/menu/conditional"),
                &json!({"buttons": [{"name": "专属", "type": "click", "key": "MINE"}], "matchrule": {"sex": sex}, "note": "by sex"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert!(!c["menuid"].as_str().unwrap().is_empty());
    let emulated = oa.emulated().await;
    assert_eq!(emulated["conditional_menus"].as_array().unwrap().len(), 1);
    let list = json_of(
        oa.admin.get(&oa.path("/menu/conditional")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    let seen = json_of(
        oa.admin
            .post(&oa.path("/menu/trymatch"), &json!({"user_id": openid}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["buttons"][0]["key"], "MINE", "{seen}");

    assert_eq!(
        oa.admin
            .delete(&oa.path(&format!("/menu/conditional/{}", c["id"])))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        oa.emulated().await["conditional_menus"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let seen = json_of(
        oa.admin
            .post(&oa.path("/menu/trymatch"), &json!({"user_id": openid}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["buttons"][0]["key"], "DEFAULT", "{seen}");
}

/// A tiny valid PNG (1×1).
pub(crate) fn png() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ]
}

#[tokio::test]
async fn a_permanent_video_downloads_through_its_down_url() {
    let oa = sandbox_oa().await;
    // A permanent video: WeChat answers get_material with a down_url, which the portal
    // follows, so the file downloads (and previews) like any other.
    let clip: Vec<u8> = b"\x00\x00\x00\x18ftypmp42 not really a film".to_vec();
    let r = oa
        .upload(
            "/materials",
            &[
                ("kind", "video"),
                ("title", "开业"),
                ("introduction", "一段视频"),
            ],
            ("clip.mp4", clip.clone()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let content = oa
        .admin
        .get(&oa.path(&format!("/materials/{}/content?download=1", v["id"])))
        .await;
    assert_eq!(content.status(), StatusCode::OK);
    assert_eq!(content.headers()["content-type"], "video/mp4");
    assert!(
        content.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(content.bytes().await.unwrap().to_vec(), clip);
    // A temporary video: media/get answers with a video_url, followed the same way.
    let r = oa
        .upload(
            "/materials",
            &[("kind", "video"), ("temporary", "true")],
            ("short.mp4", clip.clone()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let t: Value = r.json().await.unwrap();
    let content = oa
        .admin
        .get(&oa.path(&format!("/materials/{}/content", t["id"])))
        .await;
    assert_eq!(content.status(), StatusCode::OK);
    assert_eq!(content.bytes().await.unwrap().to_vec(), clip);

    // The emulator holds it as a permanent video of that size.
    let emulated = oa.emulated().await;
    let held = &emulated["media"][v["media_id"].as_str().unwrap()];
    assert_eq!(held["kind"], "video", "{emulated}");
    assert_eq!(held["size"], clip.len());
}

#[tokio::test]
async fn materials_upload_preview_sync_and_delete() {
    let oa = sandbox_oa().await;
    let r = oa
        .upload("/materials", &[("kind", "image")], ("封面.png", png()))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let m: Value = r.json().await.unwrap();
    assert_eq!(m["kind"], "image");
    assert_eq!(m["temporary"], false);
    assert_eq!(m["size"], png().len());
    let media_id = m["media_id"].as_str().unwrap().to_string();
    // The emulator holds it, and its bytes come back through the portal unchanged.
    let emulated = oa.emulated().await;
    assert_eq!(
        emulated["media"][&media_id]["size"],
        png().len(),
        "{emulated}"
    );
    let content = oa
        .admin
        .get(&oa.path(&format!("/materials/{}/content", m["id"])))
        .await;
    assert_eq!(content.status(), StatusCode::OK);
    assert_eq!(content.headers()["content-type"], "image/png");
    assert_eq!(content.bytes().await.unwrap().to_vec(), png());

    // WeChat's limits are checked before uploading: a 65 KB thumb and a .webp image.
    let r = oa
        .upload(
            "/materials",
            &[("kind", "thumb")],
            ("t.jpg", vec![1u8; 65 * 1024]),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = oa
        .upload("/materials", &[("kind", "image")], ("a.webp", png()))
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    // A multipart body without the upload header is refused like any non-JSON body.
    let form = reqwest::multipart::Form::new().text("kind", "image");
    let r = oa
        .admin
        .http
        .post(oa.admin.url(&oa.path("/materials")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // A temporary medium carries its 3-day expiry.
    let r = oa
        .upload(
            "/materials",
            &[("kind", "image"), ("temporary", "true")],
            ("temp.png", png()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["temporary"], true);
    assert_eq!(t["expired"], false);
    let created = time::OffsetDateTime::parse(
        t["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expires = time::OffsetDateTime::parse(
        t["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let days = (expires - created).whole_hours();
    assert!((71..=73).contains(&days), "{t}");

    // Filter by kind and temporariness.
    let page = json_of(
        oa.admin
            .get(&oa.path("/materials?kind=image&temporary=false"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["total"], 1);

    // Sync: a material only WeChat knows appears; one WeChat lost disappears.
    let upload: Value = reqwest::Client::new()
        .post(format!(
            "{}/sandbox/api.weixin.qq.com/cgi-bin/material/add_material?type=voice&access_token={}",
            oa.app.base,
            token(&oa).await
        ))
        .multipart(reqwest::multipart::Form::new().part(
            "media",
            reqwest::multipart::Part::bytes(vec![7u8; 100]).file_name("hello.mp3"),
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(upload["media_id"].is_string(), "{upload}");
    let sync = json_of(
        oa.admin.post(&oa.path("/materials/sync"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(sync["added"], 1, "{sync}");
    assert_eq!(sync["updated"], 1, "{sync}");
    assert_eq!(sync["counts"]["voice"], 1);
    assert_eq!(sync["counts"]["image"], 1);
    let voices = json_of(
        oa.admin.get(&oa.path("/materials?kind=voice")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(voices["items"][0]["media_id"], upload["media_id"]);

    // Delete removes it in WeChat too.
    assert_eq!(
        oa.admin
            .delete(&oa.path(&format!("/materials/{}", m["id"])))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert!(oa.emulated().await["media"][&media_id].is_null());
}

/// The emulator's access token for the demo account (as the portal stored it).
pub(crate) async fn token(oa: &Oa) -> String {
    let emulated = oa.emulated().await;
    let secret = emulated["secret"].as_str().unwrap().to_string();
    let v: Value = reqwest::Client::new()
        .post(format!(
            "{}/sandbox/api.weixin.qq.com/cgi-bin/stable_token",
            oa.app.base
        ))
        .json(&json!({"grant_type": "client_credential", "appid": oa.appid, "secret": secret}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["access_token"].as_str().unwrap().to_string()
}
