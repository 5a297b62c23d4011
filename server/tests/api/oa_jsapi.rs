//! The follower's "my orders / pay" page: OAuth identifies the follower, the page lists the
//! linked merchant's products and only the follower's own orders, buying places a JSAPI unified
//! order carrying the follower's openid, the page's `getBrandWCPayRequest` parameters are
//! accepted by the emulator (WeChat's browser), and the notify turns the order paid once.

use reqwest::{StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use wxportal::pay::entities::{order, transition};

use crate::oa_web::{Oa, demo_oa, location, query_of, set_cookie};

/// Opens `/oa/{id}/orders` as `openid`, agreeing on WeChat's authorize page; returns the
/// follower cookie.
async fn sign_in(oa: &Oa, openid: &str) -> String {
    let res = oa.get(&format!("/oa/{}/orders", oa.id), None).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "to WeChat's authorize page"
    );
    let q = query_of(&location(&res));
    assert_eq!(q["scope"], "snsapi_base");
    let state_cookie = set_cookie(&res, "wxp_oa_state").expect("state cookie");
    let res = oa
        .http
        .post(oa.url("/sandbox/open.weixin.qq.com/connect/oauth2/authorize/confirm"))
        .form(&[
            ("appid", q["appid"].as_str()),
            ("redirect_uri", q["redirect_uri"].as_str()),
            ("scope", q["scope"].as_str()),
            ("state", q["state"].as_str()),
            ("openid", openid),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let back = location(&res);
    let path = back
        .split_once(&oa.app.base)
        .map(|(_, p)| p.to_string())
        .unwrap_or(back.clone());
    let res = oa.get(&path, Some(&state_cookie)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&res),
        format!("/oa/{}/orders?lang=zh", oa.id),
        "back to the orders page"
    );
    set_cookie(&res, "wxp_oa_who").expect("follower cookie")
}

async fn post_form(oa: &Oa, path: &str, cookie: &str, form: &[(&str, &str)]) -> reqwest::Response {
    oa.http
        .post(oa.url(path))
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, &oa.app.base)
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn sandbox_pay(oa: &Oa, otn: &str, cookie: &str, params: &Value) -> Value {
    let res = oa
        .http
        .post(oa.url(&format!("/oa/{}/orders/{otn}/sandbox-pay", oa.id)))
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, &oa.app.base)
        .json(params)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let mut v: Value = res.json().await.unwrap();
    v["status"] = json!(status.as_u16());
    v
}

/// The `getBrandWCPayRequest` parameters the order page passes to the bridge.
fn pay_params(html: &str) -> Value {
    let start = html.find("var P=").expect("pay parameters on the page") + "var P=".len();
    let end = start + html[start..].find(",SB=").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

async fn text(oa: &Oa, path: &str, cookie: &str) -> (StatusCode, String) {
    let r = oa.get(path, Some(cookie)).await;
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_follower_buys_with_jsapi_pay_and_sees_only_their_own_orders() {
    let oa = demo_oa().await;
    let people = oa.sim_get(&format!("/oa/{}", oa.appid)).await;
    let subscribed: Vec<String> = people["followers"]
        .as_object()
        .unwrap()
        .values()
        .filter(|f| f["subscribe"] == 1 || f["subscribed"] == true)
        .map(|f| f["openid"].as_str().unwrap().to_string())
        .collect();
    let (alice, bob) = (&subscribed[0], &subscribed[1]);
    let a = sign_in(&oa, alice).await;
    let b = sign_in(&oa, bob).await;
    let list = format!("/oa/{}/orders", oa.id);

    // The demo merchant carries the demo OA's app id: its products are for sale here.
    let (status, html) = text(&oa, &list, &a).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("拿铁咖啡 Latte") && html.contains("¥18.00"),
        "{html}"
    );
    assert!(html.contains("你还没有订单"), "{html}");
    let pid = {
        let at = html.find("拿铁咖啡 Latte").unwrap();
        let rest = &html[at..];
        let v = &rest[rest.find("name=\"product_id\" value=\"").unwrap() + 25..];
        v[..v.find('"').unwrap()].to_string()
    };

    // Buying needs a same-origin post.
    let cross = oa
        .http
        .post(oa.url(&list))
        .header(header::COOKIE, &a)
        .form(&[("product_id", pid.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    let res = post_form(&oa, &list, &a, &[("product_id", &pid)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "to the order page");
    let order_path = location(&res);
    let otn = order_path
        .trim_start_matches(&format!("/oa/{}/orders/", oa.id))
        .split('?')
        .next()
        .unwrap()
        .to_string();
    // Asking again returns to the same open order.
    let again = post_form(&oa, &list, &a, &[("product_id", &pid)]).await;
    assert_eq!(location(&again), order_path);

    let row = order::Entity::find()
        .filter(order::Column::OutTradeNo.eq(&otn))
        .one(&oa.app.db)
        .await
        .unwrap()
        .expect("the order is stored");
    assert_eq!(row.trade_type, "JSAPI");
    assert_eq!(row.payer_openid.as_deref(), Some(alice.as_str()));
    assert_eq!(row.total_fee, 1800);
    assert_eq!(row.state.as_str(), "NOTPAY");
    // WeChat got a JSAPI unified order carrying the follower's openid.
    let merchants = oa.sim_get("/pay/merchants").await;
    let mch_id = merchants[0]["mch_id"].as_str().unwrap();
    let m = oa.sim_get(&format!("/pay/merchants/{mch_id}")).await;
    let sent = &m["orders"][&otn]["request"];
    assert_eq!(sent["trade_type"], "JSAPI");
    assert_eq!(sent["openid"], alice.as_str());

    // The order page carries getBrandWCPayRequest parameters for that prepay_id.
    let (status, html) = text(&oa, &order_path, &a).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("getBrandWCPayRequest"));
    let params = pay_params(&html);
    assert_eq!(params["appId"], oa.appid);
    assert_eq!(
        params["package"],
        format!("prepay_id={}", row.prepay_id.clone().unwrap())
    );

    // Another follower neither sees nor pays it.
    let (_, bobs) = text(&oa, &list, &b).await;
    assert!(
        !bobs.contains(&otn) && bobs.contains("你还没有订单"),
        "{bobs}"
    );
    let (status, _) = text(&oa, &order_path, &b).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = text(&oa, &format!("/oa/{}/orders/{otn}/status", oa.id), &b).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = sandbox_pay(&oa, &otn, &b, &params).await;
    assert_eq!(r["status"], 404, "{r}");
    // …not even through WeChat itself: the emulator refuses a payer other than the order's.
    let r: Value = crate::helpers::sim_http()
        .post(oa.url("/sandbox/_sim/pay/act"))
        .json(&json!({"type": "jsapi", "request": params, "openid": bob}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        r.to_string().contains("another openid"),
        "the emulator refuses: {r}"
    );
    // A tampered signature is refused like WeChat refuses it.
    let mut forged = params.clone();
    forged["paySign"] = json!("0".repeat(32));
    let r = sandbox_pay(&oa, &otn, &a, &forged).await;
    assert_eq!(r["err_msg"], "get_brand_wcpay_request:fail", "{r}");

    // The follower pays: the notify path turns the order paid, once.
    let r = sandbox_pay(&oa, &otn, &a, &params).await;
    assert_eq!(r["err_msg"], "get_brand_wcpay_request:ok", "{r}");
    let mut paid = None;
    for _ in 0..50 {
        let o = order::Entity::find_by_id(row.id)
            .one(&oa.app.db)
            .await
            .unwrap()
            .unwrap();
        if o.state.as_str() == "SUCCESS" {
            paid = Some(o);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let paid = paid.expect("the order turned paid");
    assert!(paid.transaction_id.is_some());
    let r = sandbox_pay(&oa, &otn, &a, &params).await;
    assert_eq!(
        r["err_msg"], "get_brand_wcpay_request:fail",
        "paid already: {r}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let to_paid = transition::Entity::find()
        .filter(transition::Column::OrderId.eq(row.id))
        .all(&oa.app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.to_state.as_str() == "SUCCESS")
        .count();
    assert_eq!(to_paid, 1, "paid exactly once");
    let status: Value = oa
        .get(&format!("/oa/{}/orders/{otn}/status", oa.id), Some(&a))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["state"], "SUCCESS");

    // The list shows it paid, in yuan, in one language at a time; no pay button any more.
    let (_, html) = text(&oa, &list, &a).await;
    assert!(
        html.contains(&otn) && html.contains("data-state=\"SUCCESS\""),
        "{html}"
    );
    assert!(html.contains("支付成功"));
    let (_, en) = text(&oa, &format!("{list}?lang=en"), &a).await;
    assert!(en.contains("Paid") && !en.contains("支付成功"), "{en}");
    let (_, html) = text(&oa, &order_path, &a).await;
    assert!(
        !html.contains("getBrandWCPayRequest"),
        "nothing left to pay"
    );
}
