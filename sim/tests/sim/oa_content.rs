//! OA media, materials, drafts + freepublish, templates and mass sends (with their job events).

use serde_json::{Value, json};
use wechat_sim::CallbackMode;

use crate::common::{Receiver, TestSim, errcode, spawn_receiver, spawn_sim, xml_field};

async fn upload(
    t: &TestSim,
    path: &str,
    tok: &str,
    kind: &str,
    name: &str,
    bytes: Vec<u8>,
    description: Option<Value>,
) -> Value {
    let mut form = reqwest::multipart::Form::new().part(
        "media",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    if let Some(d) = description {
        form = form.text("description", d.to_string());
    }
    t.http
        .post(t.url(&format!(
            "/api.weixin.qq.com/cgi-bin/{path}?access_token={tok}&type={kind}"
        )))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn wait_event(rx: &Receiver, event: &str) -> String {
    for _ in 0..400 {
        if let Some(r) = rx
            .received()
            .into_iter()
            .find(|r| xml_field(&r.body, "Event").as_deref() == Some(event))
        {
            return r.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    panic!("no {event} event");
}

async fn app_with_receiver(t: &TestSim) -> (wechat_sim::OaConfig, String, Receiver) {
    let rx = spawn_receiver(|_, _| (200, "success".into(), 0)).await;
    let (cfg, tok) = t.oa_with_token().await;
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({"callback_url": rx.url, "mode": CallbackMode::Plain}))
                .unwrap(),
        )
        .unwrap();
    (cfg, tok, rx)
}

#[tokio::test]
async fn temporary_media_and_materials() {
    let t = spawn_sim().await;
    let (_cfg, tok) = t.oa_with_token().await;
    let v = upload(
        &t,
        "media/upload",
        &tok,
        "image",
        "a.png",
        b"png-bytes".to_vec(),
        None,
    )
    .await;
    assert_eq!(v["type"], "image");
    assert!(v["created_at"].is_i64(), "OA created_at is a number: {v}");
    let id = v["media_id"].as_str().unwrap().to_owned();
    let got = t
        .http
        .get(t.url(&format!(
            "/api.weixin.qq.com/cgi-bin/media/get?access_token={tok}&media_id={id}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(&got.bytes().await.unwrap()[..], b"png-bytes");
    assert_eq!(
        errcode(
            &upload(
                &t,
                "media/upload",
                &tok,
                "thumb",
                "t.jpg",
                vec![0; 65 * 1024],
                None
            )
            .await
        ),
        40006
    );
    assert_eq!(
        errcode(
            &upload(
                &t,
                "media/upload",
                &tok,
                "image",
                "a.exe",
                b"x".to_vec(),
                None
            )
            .await
        ),
        40005
    );
    assert_eq!(
        errcode(
            &upload(
                &t,
                "media/upload",
                &tok,
                "doc",
                "a.png",
                b"x".to_vec(),
                None
            )
            .await
        ),
        40004
    );
    let vid = upload(
        &t,
        "media/upload",
        &tok,
        "video",
        "v.mp4",
        b"mp4".to_vec(),
        None,
    )
    .await["media_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        t.oa_get("/cgi-bin/media/get", &tok, &format!("&media_id={vid}"))
            .await["video_url"]
            .is_string()
    );

    let img = upload(
        &t,
        "material/add_material",
        &tok,
        "image",
        "p.jpg",
        b"jpeg".to_vec(),
        None,
    )
    .await;
    assert!(
        img["url"]
            .as_str()
            .unwrap()
            .starts_with("http://mmbiz.qpic.cn/")
    );
    let img_id = img["media_id"].as_str().unwrap().to_owned();
    let bad_video = upload(
        &t,
        "material/add_material",
        &tok,
        "video",
        "v.mp4",
        b"mp4".to_vec(),
        None,
    )
    .await;
    assert_ne!(errcode(&bad_video), 0);
    let video = upload(
        &t,
        "material/add_material",
        &tok,
        "video",
        "v.mp4",
        b"mp4".to_vec(),
        Some(json!({"title": "标题", "introduction": "介绍"})),
    )
    .await;
    let m = t
        .oa_post(
            "/cgi-bin/material/get_material",
            &tok,
            json!({"media_id": video["media_id"]}),
        )
        .await;
    assert_eq!(m["title"], "标题");
    let r = t
        .http
        .post(t.url(&format!(
            "/api.weixin.qq.com/cgi-bin/material/get_material?access_token={tok}"
        )))
        .json(&json!({"media_id": img_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(&r.bytes().await.unwrap()[..], b"jpeg");
    assert_eq!(
        t.oa_get("/cgi-bin/material/get_materialcount", &tok, "")
            .await,
        json!({"voice_count": 0, "video_count": 1, "image_count": 1, "news_count": 0})
    );
    let list = t
        .oa_post(
            "/cgi-bin/material/batchget_material",
            &tok,
            json!({"type": "image", "offset": 0, "count": 20}),
        )
        .await;
    assert_eq!(list["total_count"], 1);
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/material/batchget_material",
                &tok,
                json!({"type": "image", "offset": 0, "count": 21})
            )
            .await
        ),
        40097
    );
    assert!(
        upload(
            &t,
            "media/uploadimg",
            &tok,
            "",
            "i.png",
            b"png".to_vec(),
            None
        )
        .await["url"]
            .is_string()
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/material/del_material",
                &tok,
                json!({"media_id": img_id})
            )
            .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/material/get_material",
                &tok,
                json!({"media_id": img_id})
            )
            .await
        ),
        40007
    );

    t.sim.advance(3 * 86_400);
    let tok = {
        let cfg: Vec<Value> = serde_json::from_value(t.get_json("/_sim/oa").await).unwrap();
        t.get_json(&format!(
            "/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
            cfg[0]["appid"].as_str().unwrap(),
            cfg[0]["secret"].as_str().unwrap()
        ))
        .await["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        errcode(
            &t.oa_get("/cgi-bin/media/get", &tok, &format!("&media_id={id}"))
                .await
        ),
        40007
    );
}

#[tokio::test]
async fn drafts_and_async_freepublish() {
    let t = spawn_sim().await;
    let (_cfg, tok, rx) = app_with_receiver(&t).await;
    let thumb = upload(
        &t,
        "material/add_material",
        &tok,
        "thumb",
        "t.jpg",
        b"jpg".to_vec(),
        None,
    )
    .await["media_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let art = json!({"title": "标题", "author": "作者", "content": "<p>正文</p>", "thumb_media_id": thumb});
    let mut bad = art.clone();
    bad["thumb_media_id"] = json!("nope");
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/draft/add", &tok, json!({"articles": [bad]}))
                .await
        ),
        40007
    );
    let mut untitled = art.clone();
    untitled["title"] = json!("");
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/draft/add", &tok, json!({"articles": [untitled]}))
                .await
        ),
        45003
    );
    let id = t
        .oa_post(
            "/cgi-bin/draft/add",
            &tok,
            json!({"articles": [art.clone()]}),
        )
        .await["media_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let d = t
        .oa_post("/cgi-bin/draft/get", &tok, json!({"media_id": id}))
        .await;
    assert_eq!(d["news_item"][0]["title"], "标题");
    let mut changed = art.clone();
    changed["title"] = json!("新标题");
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/draft/update",
                &tok,
                json!({"media_id": id, "index": 0, "articles": changed})
            )
            .await
        ),
        0
    );
    assert_eq!(
        t.oa_get("/cgi-bin/draft/count", &tok, "").await["total_count"],
        1
    );
    let b = t
        .oa_post(
            "/cgi-bin/draft/batchget",
            &tok,
            json!({"offset": 0, "count": 10, "no_content": 1}),
        )
        .await;
    assert_eq!(b["item"][0]["content"]["news_item"][0]["title"], "新标题");
    assert!(
        b["item"][0]["content"]["news_item"][0]
            .get("content")
            .is_none()
    );

    let p = t
        .oa_post("/cgi-bin/freepublish/submit", &tok, json!({"media_id": id}))
        .await;
    let pid = p["publish_id"].as_str().unwrap().to_owned();
    assert_eq!(
        t.oa_post("/cgi-bin/freepublish/get", &tok, json!({"publish_id": pid}))
            .await["publish_status"],
        1
    );
    t.post_json("/_sim/clock/advance", json!({"seconds": 30}))
        .await;
    let ev = wait_event(&rx, "PUBLISHJOBFINISH").await;
    assert_eq!(xml_field(&ev, "publish_id").unwrap(), pid);
    assert_eq!(xml_field(&ev, "publish_status").unwrap(), "0");
    let g = t
        .oa_post("/cgi-bin/freepublish/get", &tok, json!({"publish_id": pid}))
        .await;
    assert_eq!(g["publish_status"], 0);
    assert_eq!(g["article_detail"]["count"], 1);
    assert_eq!(
        t.oa_post(
            "/cgi-bin/freepublish/batchget",
            &tok,
            json!({"offset": 0, "count": 5})
        )
        .await["total_count"],
        1
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/freepublish/submit",
                &tok,
                json!({"media_id": "nope"})
            )
            .await
        ),
        40007
    );
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/draft/delete", &tok, json!({"media_id": id}))
                .await
        ),
        0
    );
    assert_eq!(
        errcode(
            &t.oa_post("/cgi-bin/material/add_news", &tok, json!({"articles": []}))
                .await
        ),
        45106
    );
}

#[tokio::test]
async fn templates_and_template_send_event() {
    let t = spawn_sim().await;
    let (cfg, tok, rx) = app_with_receiver(&t).await;
    let a = t.subscribe(&cfg.appid).await;
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/template/api_set_industry",
                &tok,
                json!({"industry_id1": "1", "industry_id2": "4"})
            )
            .await
        ),
        0
    );
    assert!(
        t.oa_get("/cgi-bin/template/get_industry", &tok, "").await["primary_industry"].is_object()
    );
    let tid = t
        .oa_post(
            "/cgi-bin/template/api_add_template",
            &tok,
            json!({"template_id_short": "TM00015"}),
        )
        .await["template_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/template/api_add_template",
                &tok,
                json!({"template_id_short": "x"})
            )
            .await
        ),
        40037
    );
    assert_eq!(
        t.oa_get("/cgi-bin/template/get_all_private_template", &tok, "")
            .await["template_list"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let msg = json!({"touser": a, "template_id": tid, "url": "http://weixin.qq.com/download", "data": {"first": {"value": "恭喜你购买成功！", "color": "#173177"}}});
    let v = t
        .oa_post("/cgi-bin/message/template/send", &tok, msg.clone())
        .await;
    assert_eq!(v["errcode"], 0);
    let msgid = v["msgid"].as_i64().unwrap();
    let ev = wait_event(&rx, "TEMPLATESENDJOBFINISH").await;
    assert_eq!(xml_field(&ev, "MsgID").unwrap(), msgid.to_string());
    assert_eq!(xml_field(&ev, "Status").unwrap(), "success");
    assert_eq!(xml_field(&ev, "FromUserName").unwrap(), a);
    assert_eq!(
        t.sim
            .oa_inbox(&cfg.appid, &a)
            .unwrap()
            .last()
            .unwrap()
            .source,
        "template"
    );
    let mut bad = msg.clone();
    bad["template_id"] = json!("nope");
    assert_eq!(
        errcode(&t.oa_post("/cgi-bin/message/template/send", &tok, bad).await),
        40037
    );
    t.sim
        .oa_act(
            &cfg.appid,
            Some(&a),
            wechat_sim::FollowerAction::Unsubscribe,
        )
        .await
        .unwrap();
    assert_eq!(
        errcode(&t.oa_post("/cgi-bin/message/template/send", &tok, msg).await),
        43004
    );
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/template/del_private_template",
                &tok,
                json!({"template_id": tid})
            )
            .await
        ),
        0
    );
}

#[tokio::test]
async fn mass_send_by_tag_with_job_event_and_clientmsgid() {
    let t = spawn_sim().await;
    let (cfg, tok, rx) = app_with_receiver(&t).await;
    let a = t.subscribe(&cfg.appid).await;
    let b = t.subscribe(&cfg.appid).await;
    t.oa_post(
        "/cgi-bin/tags/create",
        &tok,
        json!({"tag": {"name": "vip"}}),
    )
    .await;
    t.oa_post(
        "/cgi-bin/tags/members/batchtagging",
        &tok,
        json!({"openid_list": [a], "tagid": 100}),
    )
    .await;
    let body = json!({"filter": {"is_to_all": false, "tag_id": 100}, "text": {"content": "群发"}, "msgtype": "text", "clientmsgid": "batch-1"});
    let v = t
        .oa_post("/cgi-bin/message/mass/sendall", &tok, body.clone())
        .await;
    assert_eq!(v["errmsg"], "send job submission success");
    let id = v["msg_id"].as_i64().unwrap();
    assert_eq!(
        errcode(&t.oa_post("/cgi-bin/message/mass/sendall", &tok, body).await),
        45065
    );
    assert_eq!(
        t.oa_post("/cgi-bin/message/mass/get", &tok, json!({"msg_id": id}))
            .await["msg_status"],
        "SENDING"
    );
    t.post_json("/_sim/clock/advance", json!({"seconds": 30}))
        .await;
    let ev = wait_event(&rx, "MASSSENDJOBFINISH").await;
    assert_eq!(xml_field(&ev, "MsgID").unwrap(), id.to_string());
    assert_eq!(xml_field(&ev, "SentCount").unwrap(), "1");
    assert_eq!(
        t.oa_post("/cgi-bin/message/mass/get", &tok, json!({"msg_id": id}))
            .await["msg_status"],
        "SEND_SUCCESS"
    );
    assert_eq!(
        t.sim
            .oa_inbox(&cfg.appid, &a)
            .unwrap()
            .last()
            .unwrap()
            .source,
        "mass"
    );
    assert!(
        t.sim
            .oa_inbox(&cfg.appid, &b)
            .unwrap()
            .iter()
            .all(|i| i.source != "mass")
    );
    let one = json!({"touser": [a], "msgtype": "text", "text": {"content": "x"}});
    assert_eq!(
        errcode(&t.oa_post("/cgi-bin/message/mass/send", &tok, one).await),
        40130
    );
    let two = json!({"touser": [a, b], "msgtype": "text", "text": {"content": "x"}});
    assert_eq!(
        errcode(&t.oa_post("/cgi-bin/message/mass/send", &tok, two).await),
        0
    );
    let v = t
        .oa_post(
            "/cgi-bin/message/mass/preview",
            &tok,
            json!({"touser": b, "msgtype": "text", "text": {"content": "预览"}}),
        )
        .await;
    assert_eq!(v["errmsg"], "preview success");
    assert_eq!(errcode(&t.oa_post("/cgi-bin/message/mass/sendall", &tok, json!({"filter": {"is_to_all": true}, "msgtype": "mpnews", "mpnews": {"media_id": "nope"}})).await), 40007);
    assert_eq!(
        errcode(
            &t.oa_post(
                "/cgi-bin/message/mass/delete",
                &tok,
                json!({"msg_id": id, "article_idx": 0})
            )
            .await
        ),
        0
    );
}
