//! Client tests against a local HTTP server returning recorded-shape responses.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, Query, State};
use axum::routing::{get, post};
use serde_json::{Value, json};

use wechat::client::oa::OaClient;
use wechat::client::pay::{PayClient, pkcs12_to_pem};
use wechat::client::suite::SuiteClient;
use wechat::client::work::WorkClient;
use wechat::client::{BaseUrls, HttpCore, UploadFile};
use wechat::pay::{PayCredentials, PayMap, SignType, TradeType, UnifiedOrderRequest, sign, verify};
use wechat::token::{MemoryTokenStore, TokenKey, TokenManager};
use wechat::types::Fen;
use wechat::{Error, PayError};

#[derive(Default)]
struct Mock {
    token_fetches: AtomicUsize,
    calls: AtomicUsize,
    last_body: Mutex<Vec<u8>>,
    mode: Mutex<String>,
}

type S = State<Arc<Mock>>;
type Q = Query<HashMap<String, String>>;

async fn serve(router: Router) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, router).await.unwrap() });
    format!("http://{addr}")
}

async fn token(State(m): S, Query(q): Q) -> axum::Json<Value> {
    assert_eq!(
        q.get("grant_type").map(String::as_str),
        Some("client_credential")
    );
    assert_eq!(q.get("secret").map(String::as_str), Some("sec"));
    let n = m.token_fetches.fetch_add(1, Ordering::SeqCst) + 1;
    tokio::time::sleep(Duration::from_millis(50)).await;
    axum::Json(json!({"access_token": format!("T{n}"), "expires_in": 7200}))
}

async fn tags_get(State(m): S, Query(q): Q) -> axum::Json<Value> {
    m.calls.fetch_add(1, Ordering::SeqCst);
    let tok = q.get("access_token").cloned().unwrap_or_default();
    let mode = m.mode.lock().unwrap().clone();
    axum::Json(match mode.as_str() {
        "40001-once" if tok == "T1" => {
            json!({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest rid: 6566d0b5-1c2f6e0a-3f0e0c8d"})
        }
        "40001-always" => json!({"errcode": 40001, "errmsg": "invalid credential"}),
        "45009" => {
            json!({"errcode": 45009, "errmsg": "reach max api daily quota limit rid: abc-123"})
        }
        "40164" => json!({"errcode": 40164, "errmsg": "invalid ip 1.2.3.4, not in whitelist"}),
        _ => {
            json!({"tags": [{"id": 2, "name": "星标组", "count": 0}, {"id": 127, "name": "广东", "count": 5}]})
        }
    })
}

async fn tags_create(State(m): S, body: Bytes) -> axum::Json<Value> {
    *m.last_body.lock().unwrap() = body.to_vec();
    let v: Value = serde_json::from_slice(&body).unwrap();
    axum::Json(json!({"tag": {"id": 134, "name": v["tag"]["name"]}}))
}

async fn media_upload(State(m): S, Query(q): Q, mut mp: Multipart) -> axum::Json<Value> {
    while let Some(f) = mp.next_field().await.unwrap() {
        if f.name() == Some("media") {
            assert_eq!(f.file_name(), Some("hello.jpg"));
            let data = f.bytes().await.unwrap();
            *m.last_body.lock().unwrap() = data.to_vec();
        }
    }
    axum::Json(json!({"type": q.get("type"), "media_id": "MEDIA_ID", "created_at": 123456789}))
}

fn oa_router(m: Arc<Mock>) -> Router {
    Router::new()
        .route("/api.weixin.qq.com/cgi-bin/token", get(token))
        .route("/api.weixin.qq.com/cgi-bin/tags/get", get(tags_get))
        .route("/api.weixin.qq.com/cgi-bin/tags/create", post(tags_create))
        .route(
            "/api.weixin.qq.com/cgi-bin/media/upload",
            post(media_upload),
        )
        .with_state(m)
}

async fn setup(mode: &str) -> (Arc<Mock>, OaClient, Arc<TokenManager>) {
    let m = Arc::new(Mock::default());
    *m.mode.lock().unwrap() = mode.to_owned();
    let root = serve(oa_router(m.clone())).await;
    let core = Arc::new(HttpCore::new(BaseUrls::under(&root)));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let oa = OaClient::new(core, tokens.clone(), "wx1", "sec");
    (m, oa, tokens)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn single_flight_100_concurrent_callers_one_fetch() {
    let (m, oa, tokens) = setup("ok").await;
    let mut hs = Vec::new();
    for _ in 0..100 {
        let oa = oa.clone();
        hs.push(tokio::spawn(async move { oa.tags_get().await.unwrap() }));
    }
    for h in hs {
        assert_eq!(h.await.unwrap()[1].name, "广东");
    }
    assert_eq!(m.token_fetches.load(Ordering::SeqCst), 1);
    assert_eq!(m.calls.load(Ordering::SeqCst), 100);
    assert_eq!(tokens.fetches_today(&TokenKey::oa("wx1")).await.unwrap(), 1);
}

#[tokio::test]
async fn error_40001_refreshes_once_and_retries_once() {
    let (m, oa, _) = setup("40001-once").await;
    let tags = oa.tags_get().await.unwrap();
    assert_eq!(tags.len(), 2);
    assert_eq!(m.token_fetches.load(Ordering::SeqCst), 2);
    assert_eq!(m.calls.load(Ordering::SeqCst), 2);
    // the new token is cached
    oa.tags_get().await.unwrap();
    assert_eq!(m.token_fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn persistent_40001_is_not_a_loop() {
    let (m, oa, _) = setup("40001-always").await;
    let e = oa.tags_get().await.unwrap_err();
    assert_eq!(e.as_wechat().unwrap().code, 40001);
    assert_eq!(m.token_fetches.load(Ordering::SeqCst), 2);
    assert_eq!(m.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn error_45009_and_40164_do_not_retry() {
    for mode in ["45009", "40164"] {
        let (m, oa, _) = setup(mode).await;
        let e = oa.tags_get().await.unwrap_err();
        let w = e.as_wechat().expect("a WeChat error");
        assert_eq!(w.code.to_string(), mode);
        assert!(w.hint.is_some());
        if mode == "45009" {
            assert_eq!(w.rid.as_deref(), Some("abc-123"));
        }
        assert_eq!(m.calls.load(Ordering::SeqCst), 1, "{mode}");
        assert_eq!(m.token_fetches.load(Ordering::SeqCst), 1, "{mode}");
    }
}

#[tokio::test]
async fn json_bodies_are_raw_utf8() {
    let (m, oa, _) = setup("ok").await;
    let t = oa.tags_create("中文标签").await.unwrap();
    assert_eq!(t.name, "中文标签");
    let body = m.last_body.lock().unwrap().clone();
    let s = String::from_utf8(body).unwrap();
    assert!(s.contains("中文标签"), "{s}");
    assert!(!s.contains("\\u"), "{s}");
}

#[tokio::test]
async fn multipart_upload_streams_from_path() {
    let (m, oa, _) = setup("ok").await;
    let dir = std::env::temp_dir().join(format!("wechat-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("hello.jpg");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let r = oa
        .media_upload("image", &UploadFile::from_path(&path, "image/jpeg"))
        .await
        .unwrap();
    assert_eq!(r.media_id, "MEDIA_ID");
    assert_eq!(*m.last_body.lock().unwrap(), data);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn network_errors_are_distinct() {
    // a port that was just bound and released: connection refused
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    let core = Arc::new(HttpCore::new(BaseUrls::under(&format!("http://{addr}"))));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let oa = OaClient::new(core, tokens, "wx1", "s3cr3t-value");
    let e = oa.tags_get().await.unwrap_err();
    assert!(matches!(e, Error::Http(_)));
    // secrets in the query string never reach error text or logs
    assert!(!e.to_string().contains("s3cr3t"), "{e}");
    assert!(!format!("{e:?}").contains("s3cr3t"), "{e:?}");
}

#[tokio::test]
async fn wecom_tokens_are_keyed_per_agent() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let f2 = fetches.clone();
    let router = Router::new()
        .route(
            "/qyapi.weixin.qq.com/cgi-bin/gettoken",
            get(move |Query(q): Q| {
                let f = f2.clone();
                async move {
                    let n = f.fetch_add(1, Ordering::SeqCst);
                    axum::Json(json!({"errcode": 0, "errmsg": "ok",
                        "access_token": format!("{}-{n}", q["corpsecret"]), "expires_in": 7200}))
                }
            }),
        )
        .route(
            "/qyapi.weixin.qq.com/cgi-bin/message/send",
            post(|Query(q): Q, body: Bytes| async move {
                let v: Value = serde_json::from_slice(&body).unwrap();
                assert!(q["access_token"].starts_with(&format!("s{}", v["agentid"])));
                axum::Json(json!({"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "m1"}))
            }),
        );
    let root = serve(router).await;
    let core = Arc::new(HttpCore::new(BaseUrls::under(&root)));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let a = WorkClient::new(core.clone(), tokens.clone(), "ww1", "s1", Some(1));
    let b = WorkClient::new(core.clone(), tokens.clone(), "ww1", "s2", Some(2));
    assert_eq!(
        a.send_text(1, "@all", "你好")
            .await
            .unwrap()
            .msgid
            .as_deref(),
        Some("m1")
    );
    assert_eq!(
        b.send_text(2, "@all", "你好")
            .await
            .unwrap()
            .msgid
            .as_deref(),
        Some("m1")
    );
    a.send_text(1, "@all", "again").await.unwrap();
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
    assert_ne!(a.token_key(), b.token_key());
}

#[tokio::test]
async fn suite_token_uses_stored_ticket_and_corp_token() {
    let router = Router::new()
        .route(
            "/qyapi.weixin.qq.com/cgi-bin/service/get_suite_token",
            post(|body: Bytes| async move {
                let v: Value = serde_json::from_slice(&body).unwrap();
                assert_eq!(v["suite_ticket"], "TICKET");
                axum::Json(json!({"suite_access_token": "SAT", "expires_in": 7200}))
            }),
        )
        .route(
            "/qyapi.weixin.qq.com/cgi-bin/service/get_corp_token",
            post(|Query(q): Q| async move {
                assert_eq!(q["suite_access_token"], "SAT");
                axum::Json(json!({"access_token": "CORP", "expires_in": 7200}))
            }),
        )
        .route(
            "/qyapi.weixin.qq.com/cgi-bin/department/list",
            get(|Query(q): Q| async move {
                assert_eq!(q["access_token"], "CORP");
                axum::Json(json!({"errcode": 0, "errmsg": "ok", "department": [{"id": 1, "name": "广州研发中心", "parentid": 0, "order": 10}]}))
            }),
        );
    let root = serve(router).await;
    let core = Arc::new(HttpCore::new(BaseUrls::under(&root)));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let suite = SuiteClient::new(core, tokens, "suite1", "ssec");
    assert!(suite.suite_access_token().await.is_err(), "no ticket yet");
    suite.set_suite_ticket("TICKET").await.unwrap();
    assert_eq!(suite.suite_access_token().await.unwrap(), "SAT");
    let corp = WorkClient::for_suite_corp(suite.clone(), "wwcorp", "PERM");
    let d = corp.department_list(None).await.unwrap();
    assert_eq!(d[0].name, "广州研发中心");
    assert!(
        suite
            .install_url("PRE", "https://x/cb", "s")
            .contains("/open.work.weixin.qq.com/3rdapp/install?suite_id=suite1&pre_auth_code=PRE")
    );
}

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

async fn unifiedorder(State(m): S, body: Bytes) -> String {
    let req = PayMap::from_xml(std::str::from_utf8(&body).unwrap()).unwrap();
    let st = SignType::parse(req.get("sign_type").unwrap_or("MD5")).unwrap();
    verify(&req, KEY, st).unwrap();
    m.calls.fetch_add(1, Ordering::SeqCst);
    let mut resp: PayMap = [
        ("return_code", "SUCCESS"),
        ("return_msg", "OK"),
        ("appid", req.get("appid").unwrap()),
        ("mch_id", req.get("mch_id").unwrap()),
        ("nonce_str", "IITRi8Iabbblz1Jc"),
        ("result_code", "SUCCESS"),
        ("prepay_id", "wx201411101639507cbf6ffd8b0779950874"),
        ("trade_type", "NATIVE"),
        ("code_url", "weixin://wxpay/bizpayurl?pr=abc"),
    ]
    .into_iter()
    .collect();
    let forged = m.mode.lock().unwrap().as_str() == "forged";
    let s = sign(&resp, if forged { "wrongkey" } else { KEY }, st);
    resp.insert("sign", s);
    resp.to_xml()
}

#[tokio::test]
async fn pay_unified_order_signs_and_verifies() {
    for (mode, st) in [
        ("ok", SignType::Md5),
        ("ok", SignType::HmacSha256),
        ("forged", SignType::Md5),
    ] {
        let m = Arc::new(Mock::default());
        *m.mode.lock().unwrap() = mode.into();
        let root = serve(
            Router::new()
                .route(
                    "/api.mch.weixin.qq.com/pay/unifiedorder",
                    post(unifiedorder),
                )
                .with_state(m.clone()),
        )
        .await;
        let pay = PayClient::new(
            Arc::new(HttpCore::new(BaseUrls::under(&root))),
            PayCredentials {
                appid: "wx2421b1c4370ec43b".into(),
                mch_id: "10000100".into(),
                api_key: KEY.into(),
                sign_type: st,
            },
        );
        let req = UnifiedOrderRequest {
            body: "腾讯充值中心-QQ会员充值".into(),
            out_trade_no: "1415659990".into(),
            total_fee: Fen(1),
            spbill_create_ip: "14.23.150.211".into(),
            notify_url: "https://example.com/notify".into(),
            trade_type: TradeType::Native,
            openid: None,
            product_id: Some("12235413214070356458058".into()),
            attach: None,
            detail: None,
            time_start: None,
            time_expire: None,
            device_info: None,
            limit_pay: None,
            scene_info: None,
        };
        let r = pay.unified_order(&req).await;
        if mode == "forged" {
            assert!(
                matches!(r, Err(Error::Pay(PayError::SignatureMismatch))),
                "{r:?}"
            );
        } else {
            assert_eq!(
                r.unwrap().code_url.as_deref(),
                Some("weixin://wxpay/bizpayurl?pr=abc")
            );
        }
        assert_eq!(m.calls.load(Ordering::SeqCst), 1);
    }
}

#[test]
fn pkcs12_client_certificate_loads() {
    // legacy_10000100.p12: generated with `openssl pkcs12 -export -legacy` (RC2/3DES like
    // WeChat's apiclient_cert.p12), password = mch_id.
    let der = include_bytes!("fixtures/legacy_10000100.p12");
    let pem = pkcs12_to_pem(der, "10000100").unwrap();
    assert!(pem.contains("-----BEGIN PRIVATE KEY-----"));
    assert!(pem.contains("-----BEGIN CERTIFICATE-----"));
    assert!(pkcs12_to_pem(der, "wrong").is_err());
    let pay = PayClient::new(
        Arc::new(HttpCore::new(BaseUrls::production())),
        PayCredentials {
            appid: "wx1".into(),
            mch_id: "10000100".into(),
            api_key: KEY.into(),
            sign_type: SignType::Md5,
        },
    );
    pay.clone().with_pkcs12(der, "10000100").unwrap();
    // a PKCS#12 built by the p12 crate from DER fixtures also loads
    let pfx = p12::PFX::new(
        include_bytes!("fixtures/test_cert.der"),
        include_bytes!("fixtures/test_key.pk8.der"),
        None,
        "10000100",
        "test",
    )
    .unwrap();
    pay.with_pkcs12(&pfx.to_der(), "10000100").unwrap();
}

#[tokio::test]
async fn refund_without_certificate_is_refused_locally() {
    let pay = PayClient::new(
        Arc::new(HttpCore::new(BaseUrls::under("http://127.0.0.1:9"))),
        PayCredentials {
            appid: "wx1".into(),
            mch_id: "1".into(),
            api_key: KEY.into(),
            sign_type: SignType::Md5,
        },
    );
    let r = pay
        .refund(&wechat::pay::RefundRequest {
            order: wechat::pay::OrderRef::OutTradeNo("T".into()),
            out_refund_no: "R".into(),
            total_fee: Fen(1),
            refund_fee: Fen(1),
            refund_desc: None,
            notify_url: None,
        })
        .await;
    assert!(matches!(r, Err(Error::Invalid(_))));
}

#[tokio::test]
async fn stable_token_never_forces_refresh() {
    let seen = Arc::new(Mutex::new(Vec::<Value>::new()));
    let s2 = seen.clone();
    let router = Router::new()
        .route(
            "/api.weixin.qq.com/cgi-bin/stable_token",
            post(move |body: Bytes| {
                let s = s2.clone();
                async move {
                    let v: Value = serde_json::from_slice(&body).unwrap();
                    s.lock().unwrap().push(v);
                    axum::Json(json!({"access_token": "STABLE", "expires_in": 7200}))
                }
            }),
        )
        .route(
            "/api.weixin.qq.com/cgi-bin/user/get",
            get(|Query(q): Q| async move {
                assert_eq!(q["access_token"], "STABLE");
                axum::Json(json!({"total": 2, "count": 2, "data": {"openid": ["o1", "o2"]}, "next_openid": "o2"}))
            }),
        );
    let root = serve(router).await;
    let core = Arc::new(HttpCore::new(BaseUrls::under(&root)));
    let tokens = Arc::new(TokenManager::new(Arc::new(MemoryTokenStore::new())));
    let oa = OaClient::new(core, tokens, "wx1", "sec").use_stable_token(true);
    let page = oa.user_get("").await.unwrap();
    assert_eq!(page.data.openid, ["o1", "o2"]);
    let v = seen.lock().unwrap()[0].clone();
    assert_eq!(v["grant_type"], "client_credential");
    assert_eq!(v["force_refresh"], false);
}

#[tokio::test]
async fn pay_download_bill_gzip_and_failure() {
    let router = Router::new().route(
        "/api.mch.weixin.qq.com/pay/downloadbill",
        post(|body: Bytes| async move {
            let req = PayMap::from_xml(std::str::from_utf8(&body).unwrap()).unwrap();
            verify(&req, KEY, SignType::Md5).unwrap();
            if req.get("bill_date") == Some("20140603") {
                let bill = wechat::pay::Bill {
                    headers: vec!["交易时间".into(), "商户订单号".into(), "总金额".into()],
                    rows: vec![wechat::pay::BillRow { fields: vec!["2014-06-03 10:00:00".into(), "T1".into(), "12.34".into()] }],
                    summary_headers: vec!["总交易单数".into(), "总交易额".into()],
                    summary: vec!["1".into(), "12.34".into()],
                };
                bill.to_gzip()
            } else {
                b"<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[No Bill Exist]]></return_msg><error_code><![CDATA[20002]]></error_code></xml>".to_vec()
            }
        }),
    );
    let root = serve(router).await;
    let pay = PayClient::new(
        Arc::new(HttpCore::new(BaseUrls::under(&root))),
        PayCredentials {
            appid: "wx1".into(),
            mch_id: "10000100".into(),
            api_key: KEY.into(),
            sign_type: SignType::Md5,
        },
    );
    let req = |d: &str| wechat::pay::DownloadBillRequest {
        bill_date: d.into(),
        bill_type: "ALL".into(),
        gzip: true,
    };
    let bill = pay.download_bill(&req("20140603")).await.unwrap();
    assert_eq!(bill.rows[0].amount(&bill, "总金额").unwrap(), Fen(1234));
    let e = pay.download_bill(&req("20140604")).await.unwrap_err();
    assert!(
        matches!(e, Error::Pay(PayError::ReturnFail { ref return_msg }) if return_msg == "No Bill Exist")
    );
}
