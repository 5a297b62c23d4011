//! Interop with the `wechat` crate (the portal's client and callback crypto): what the portal
//! will do, done against the emulator.

use std::sync::Arc;

use serde_json::json;
use wechat::client::oa::OaClient;
use wechat::client::pay::PayClient;
use wechat::client::{BaseUrls, HttpCore};
use wechat::crypto::{CallbackQuery, MsgCrypt};
use wechat::pay::SignType;
use wechat::pay::{OrderRef, PayCredentials, TradeType, UnifiedOrderRequest};
use wechat::token::{MemoryTokenStore, TokenManager};
use wechat::types::{EncodingAesKey, Fen};
use wechat_sim::pay::payer::PayerAction;
use wechat_sim::{CallbackMode, FollowerAction, MerchantConfig, Outcome};

use crate::common::{query_map, spawn_receiver, spawn_sim};

#[tokio::test]
async fn oa_client_token_manager_and_faults() {
    let t = spawn_sim().await;
    let cfg = t.new_oa().await;
    let core = Arc::new(HttpCore::new(BaseUrls::under(&t.base)));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let oa = OaClient::new(core, tokens, cfg.appid.as_str(), cfg.secret.as_str());
    let tag = oa.tags_create("广东").await.unwrap();
    assert_eq!(tag.id, 100);
    assert_eq!(oa.tags_get().await.unwrap().len(), 2);
    // Another server invalidates the token: the client refreshes once and succeeds.
    t.sim.add_fault(
        serde_json::from_value(json!({"target": cfg.appid, "kind": "token_invalidated"})).unwrap(),
    );
    assert_eq!(oa.tags_get().await.unwrap().len(), 2);
    // 40164 is not retried.
    t.sim.add_fault(
        serde_json::from_value(json!({"target": cfg.appid, "kind": "ip_whitelist", "count": 1}))
            .unwrap(),
    );
    let e = oa.tags_get().await.unwrap_err();
    assert_eq!(e.as_wechat().map(|w| w.code), Some(40164));
    assert!(e.as_wechat().unwrap().rid.is_some());
}

#[tokio::test]
async fn safe_mode_callback_handled_by_the_wechat_crate() {
    let t = spawn_sim().await;
    let cfg = t.new_oa().await;
    let (token, aes, appid) = (
        cfg.token.clone(),
        cfg.encoding_aes_key.clone(),
        cfg.appid.clone(),
    );
    let rx = spawn_receiver(move |r, _| {
        let crypt = MsgCrypt::new(
            token.as_str(),
            &EncodingAesKey::new(&aes).unwrap(),
            appid.as_str(),
        );
        let q = query_map(&r.query);
        let cq = CallbackQuery::from_pairs(q.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let opened = crypt
            .open_post(&cq, &r.body)
            .expect("the wechat crate opens the emulator's push");
        let msg = wechat::message::InboundMessage::parse(&opened.xml).unwrap();
        let reply = wechat::reply::Reply::text(&msg, "来自 wechat crate", 1_700_000_000);
        let body = crypt
            .seal_reply(&opened, &reply.to_xml(), "1700000000", &cq.nonce)
            .unwrap();
        (200, body, 0)
    })
    .await;
    t.sim
        .update_oa(
            &cfg.appid,
            serde_json::from_value(json!({"callback_url": rx.url, "mode": CallbackMode::Safe}))
                .unwrap(),
        )
        .unwrap();
    let r = t
        .sim
        .oa_act(&cfg.appid, None, FollowerAction::Subscribe { ticket: None })
        .await
        .unwrap();
    assert_eq!(
        r.delivery.outcome,
        Outcome::Replied,
        "{:?}",
        r.delivery.reply_error
    );
    assert_eq!(
        r.delivery.reply_fields.unwrap()["Content"],
        "来自 wechat crate"
    );
}

#[tokio::test]
async fn pay_client_unified_order_and_query() {
    let t = spawn_sim().await;
    let m = t.sim.create_merchant(MerchantConfig::default());
    let core = Arc::new(HttpCore::new(BaseUrls::under(&t.base)));
    let creds = PayCredentials {
        appid: "wxd930ea5d5a258f4f".into(),
        mch_id: m.mch_id.clone(),
        api_key: m.key.as_str().into(),
        sign_type: SignType::HmacSha256,
    };
    let pay = PayClient::new(core, creds);
    let req = UnifiedOrderRequest {
        body: "测试商品".into(),
        out_trade_no: "IO1".into(),
        total_fee: Fen(101),
        spbill_create_ip: "127.0.0.1".into(),
        notify_url: "http://127.0.0.1:1/notify".into(),
        trade_type: TradeType::Native,
        openid: None,
        product_id: Some("P1".into()),
        attach: None,
        detail: None,
        time_start: None,
        time_expire: None,
        device_info: None,
        limit_pay: None,
        scene_info: None,
    };
    let r = pay.unified_order(&req).await.unwrap();
    let code = r.code_url.unwrap();
    assert!(code.starts_with("weixin://wxpay/bizpayurl?pr="));
    let paid = t
        .sim
        .pay_act(PayerAction::Scan { code, openid: None })
        .await
        .unwrap();
    let q = pay
        .order_query(&OrderRef::OutTradeNo("IO1".into()))
        .await
        .unwrap();
    assert_eq!(q.trade_state, "SUCCESS");
    assert_eq!(
        q.transaction_id.as_deref(),
        Some(paid.transaction_id.as_str())
    );
    assert_eq!(q.total_fee, Some(Fen(101)));

    // Refund needs the client certificate: refused locally without one, accepted by the
    // emulator when the client carries the merchant's certificate fingerprint.
    let refund = wechat::pay::RefundRequest {
        order: OrderRef::OutTradeNo("IO1".into()),
        out_refund_no: "IR1".into(),
        total_fee: Fen(101),
        refund_fee: Fen(100),
        refund_desc: None,
        notify_url: None,
    };
    assert!(pay.refund(&refund).await.is_err());
    let wrong = pay
        .clone()
        .with_emulated_client_cert(&"0".repeat(64))
        .unwrap();
    assert!(wrong.refund(&refund).await.is_err());
    let with_cert = pay.with_emulated_client_cert(&m.cert_sha256).unwrap();
    let r = with_cert.refund(&refund).await.unwrap();
    assert_eq!(r.out_refund_no, "IR1");
    assert_eq!(r.refund_fee, Fen(100));
}

#[tokio::test]
async fn work_client_directory_and_message_send() {
    use wechat::client::work::{Department, WorkClient};
    let t = spawn_sim().await;
    let c = t.sim.create_corp(
        serde_json::from_value(json!({"name": "Acme", "apps": [{"name": "Desk"}]})).unwrap(),
    );
    let core = Arc::new(HttpCore::new(BaseUrls::under(&t.base)));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let contacts = WorkClient::new(
        core.clone(),
        tokens.clone(),
        c.corpid.as_str(),
        c.contacts_secret.as_str(),
        None,
    );
    let d: Department = serde_json::from_value(json!({"name": "研发", "parentid": 1})).unwrap();
    let id = contacts.department_create(&d).await.unwrap();
    contacts
        .user_create(
            &json!({"userid": "zs", "name": "张三", "mobile": "13800000000", "department": [id]}),
        )
        .await
        .unwrap();
    assert_eq!(contacts.department_list(None).await.unwrap().len(), 2);
    let zs = contacts.user_get("zs").await.unwrap();
    assert_eq!(
        (zs.name.as_str(), zs.department.as_slice()),
        ("张三", &[id][..])
    );
    assert_eq!(zs.mobile.as_deref(), Some("13800000000"));
    let agent = c.apps[0].agentid;
    let app = WorkClient::new(
        core,
        tokens,
        c.corpid.as_str(),
        c.apps[0].secret.as_str(),
        Some(agent),
    );
    // A pre-2022 app still sees the mobile (post-2022 rules: work_directory.rs).
    assert_eq!(
        app.user_get("zs").await.unwrap().mobile.as_deref(),
        Some("13800000000")
    );
    let r = app.send_text(agent, "zs|ghost", "你好").await.unwrap();
    assert_eq!(r.invaliduser.as_deref(), Some("ghost"));
    assert_eq!(t.sim.work_inbox(&c.corpid, "zs").unwrap().len(), 1);
    let e = app.send_text(agent, "ghost", "x").await.unwrap_err();
    assert_eq!(e.as_wechat().map(|w| w.code), Some(81013));
}

#[tokio::test]
async fn oa_client_typed_content_responses() {
    use wechat::client::UploadFile;
    use wechat::client::oa::DraftArticle;
    let t = spawn_sim().await;
    let cfg = t.new_oa().await;
    let core = Arc::new(HttpCore::new(BaseUrls::under(&t.base)));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let oa = OaClient::new(core, tokens, cfg.appid.as_str(), cfg.secret.as_str());

    // Drafts: get and batchget decode into typed articles.
    let thumb = oa
        .material_add(
            "thumb",
            &UploadFile::from_bytes("t.jpg", "image/jpeg", b"jpg".to_vec()),
            None,
        )
        .await
        .unwrap()
        .media_id;
    let art = DraftArticle {
        title: "标题".into(),
        content: "<p>正文</p>".into(),
        thumb_media_id: thumb,
        ..Default::default()
    };
    let id = oa.draft_add(std::slice::from_ref(&art)).await.unwrap();
    let d = oa.draft_get(&id).await.unwrap();
    assert_eq!(d.news_item[0].title, "标题");
    assert_eq!(d.news_item[0].content.as_deref(), Some("<p>正文</p>"));
    assert!(d.news_item[0].url.starts_with("http"));
    let page = oa.draft_batchget(0, 10, true).await.unwrap();
    assert_eq!((page.total_count, page.item_count), (1, 1));
    assert_eq!(page.item[0].media_id, id);
    assert_eq!(page.item[0].content.news_item[0].content, None);

    // Publishing: status 1 until the job finishes, then the article URLs.
    let pid = oa.freepublish_submit(&id).await.unwrap();
    let p = oa.freepublish_get(&pid).await.unwrap();
    assert_eq!(
        (p.publish_id.as_str(), p.publish_status),
        (pid.as_str(), Some(1))
    );
    assert!(p.article_urls().is_empty());
    t.post_json("/_sim/clock/advance", json!({"seconds": 30}))
        .await;
    let p = oa.freepublish_get(&pid).await.unwrap();
    assert_eq!(p.publish_status, Some(0));
    assert!(p.article_id.as_ref().is_some_and(|a| !a.is_empty()));
    assert_eq!(p.article_urls().len(), 1);

    // Templates.
    oa.template_set_industry("1", "2").await.unwrap();
    let ind = oa.template_get_industry().await.unwrap();
    assert_eq!(ind.primary_industry.second_class, "行业1");
    assert_eq!(ind.secondary_industry.second_class, "行业2");
    let tid = oa.template_add("TM00015").await.unwrap();
    let list = oa.template_list().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].template_id, tid);
    assert!(list[0].content.contains("{{first.DATA}}"));

    // Mass send to everyone, then its status.
    t.subscribe(&cfg.appid).await;
    let sent = oa
        .mass_send_all(
            &json!({"filter": {"is_to_all": true}, "msgtype": "text", "text": {"content": "群发"}}),
        )
        .await
        .unwrap();
    assert!(sent.msg_id > 0);
    assert_eq!(
        oa.mass_get(sent.msg_id).await.unwrap().msg_status,
        "SENDING"
    );
}
