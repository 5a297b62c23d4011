//! Article drafts against the in-process emulator: 1 to 8 articles sent in order with every
//! field (draft/add, draft/update), reordering, inline images through uploadimg served by the
//! portal, freepublish and PUBLISHJOBFINISH, and the idempotent import of WeChat's draft box
//! and published articles.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use wxportal::entities::{article_draft, article_draft_article};

use crate::helpers::{assert_error, json_of};
use crate::oa_content::{Oa, png, sandbox_oa};

async fn cover(oa: &Oa) -> String {
    let m: Value = oa
        .upload("/materials", &[("kind", "image")], ("cover.png", png()))
        .await
        .json()
        .await
        .unwrap();
    m["media_id"].as_str().unwrap().to_string()
}

/// Article `n` with every field set to something of its own.
fn article(n: usize, cover: &str) -> Value {
    json!({
        "title": format!("第{n}篇"),
        "author": format!("作者{n}"),
        "digest": format!("摘要{n}"),
        "content": format!("<p>正文{n}</p><script>alert({n})</script>"),
        "content_source_url": format!("https://example.com/{n}"),
        "thumb_media_id": cover,
        "need_open_comment": n % 2 == 1,
        "only_fans_can_comment": n == 1,
    })
}

/// Advances the emulator's clock past the publish job and waits for the draft to settle.
async fn finish_publish(oa: &Oa, draft: &Value) -> Value {
    let r = crate::helpers::sim_http()
        .post(format!("{}/sandbox/_sim/clock/advance", oa.app.base))
        .json(&json!({"seconds": 31}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut got = Value::Null;
    for _ in 0..200 {
        got = json_of(
            oa.admin
                .get(&oa.path(&format!("/drafts/{}", draft["id"])))
                .await,
            StatusCode::OK,
        )
        .await;
        if got["status"] != "publishing" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    got
}

fn titles(articles: &Value) -> Vec<String> {
    articles
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

/// The account's draft rows in the database.
async fn drafts_of(oa: &Oa) -> usize {
    article_draft::Entity::find()
        .filter(article_draft::Column::AccountId.eq(oa.id))
        .all(&oa.app.db)
        .await
        .unwrap()
        .len()
}

async fn publish(oa: &Oa, draft: &Value) -> Value {
    json_of(
        oa.admin
            .post(
                &oa.path(&format!("/drafts/{}/publish", draft["id"])),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await
}

#[tokio::test]
async fn a_three_article_draft_reaches_the_emulator_with_all_fields_in_order() {
    let oa = sandbox_oa().await;
    let cover = cover(&oa).await;
    let arts: Vec<Value> = (1..=3).map(|n| article(n, &cover)).collect();
    let d = json_of(
        oa.admin
            .post(&oa.path("/drafts"), &json!({"articles": arts}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(titles(&d["articles"]), ["第1篇", "第2篇", "第3篇"]);
    assert_eq!(d["title"], "第1篇");
    // Stored cleaned: the script is gone, the paragraph kept.
    assert_eq!(d["articles"][1]["content"], "<p>正文2</p>");

    let p = publish(&oa, &d).await;
    assert_eq!(p["status"], "publishing", "{p}");
    let media_id = p["media_id"].as_str().unwrap().to_string();
    let emulated = oa.emulated().await;
    let sent = &emulated["drafts"][&media_id]["articles"];
    assert_eq!(titles(sent), ["第1篇", "第2篇", "第3篇"], "{emulated}");
    for (i, n) in (1..=3).enumerate() {
        let a = &sent[i];
        assert_eq!(a["author"], format!("作者{n}"));
        assert_eq!(a["digest"], format!("摘要{n}"));
        assert_eq!(a["content"], format!("<p>正文{n}</p>"));
        assert_eq!(a["content_source_url"], format!("https://example.com/{n}"));
        assert_eq!(a["thumb_media_id"], cover.as_str());
        assert_eq!(a["need_open_comment"], i64::from(n % 2 == 1));
        assert_eq!(a["only_fans_can_comment"], i64::from(n == 1));
    }
    let got = finish_publish(&oa, &d).await;
    assert_eq!(got["status"], "published", "{got}");
    assert_eq!(got["article_urls"].as_array().unwrap().len(), 3, "{got}");
}

#[tokio::test]
async fn a_reorder_persists_and_republishing_sends_the_new_order() {
    let oa = sandbox_oa().await;
    let cover = cover(&oa).await;
    let a: Vec<Value> = (1..=3).map(|n| article(n, &cover)).collect();
    let d = json_of(
        oa.admin
            .post(&oa.path("/drafts"), &json!({"articles": a}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let first = publish(&oa, &d).await;
    let media_id = first["media_id"].as_str().unwrap().to_string();
    assert_eq!(finish_publish(&oa, &d).await["status"], "published");

    // Third first, then the first, then the second.
    let reordered = json!({"articles": [a[2], a[0], a[1]]});
    let path = oa.path(&format!("/drafts/{}", d["id"]));
    let u = json_of(
        oa.admin.request("PUT", &path, Some(&reordered)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(titles(&u["articles"]), ["第3篇", "第1篇", "第2篇"]);
    assert_eq!(u["status"], "draft");
    let again = json_of(oa.admin.get(&path).await, StatusCode::OK).await;
    assert_eq!(titles(&again["articles"]), ["第3篇", "第1篇", "第2篇"]);
    assert_eq!(again["title"], "第3篇");
    let rows = article_draft_article::Entity::find()
        .filter(article_draft_article::Column::DraftId.eq(d["id"].as_i64().unwrap()))
        .order_by_asc(article_draft_article::Column::Seq)
        .all(&oa.app.db)
        .await
        .unwrap();
    let stored: Vec<(i32, &str)> = rows.iter().map(|r| (r.seq, r.title.as_str())).collect();
    assert_eq!(stored, [(0, "第3篇"), (1, "第1篇"), (2, "第2篇")]);

    // As many articles as WeChat's copy: updated in place (draft/update), in the new order.
    let p = publish(&oa, &d).await;
    assert_eq!(p["media_id"], media_id.as_str());
    let emulated = oa.emulated().await;
    assert_eq!(
        titles(&emulated["drafts"][&media_id]["articles"]),
        ["第3篇", "第1篇", "第2篇"]
    );
    assert_eq!(finish_publish(&oa, &d).await["status"], "published");

    // One article fewer: a new draft in WeChat's box, the old one deleted.
    let two = json!({"articles": [a[1], a[2]]});
    json_of(
        oa.admin.request("PUT", &path, Some(&two)).await,
        StatusCode::OK,
    )
    .await;
    let p = publish(&oa, &d).await;
    let new_id = p["media_id"].as_str().unwrap();
    assert_ne!(new_id, media_id);
    let emulated = oa.emulated().await;
    assert_eq!(
        titles(&emulated["drafts"][new_id]["articles"]),
        ["第2篇", "第3篇"]
    );
    assert!(emulated["drafts"][&media_id].is_null(), "{emulated}");
}

#[tokio::test]
async fn nine_articles_are_refused_and_eight_are_taken() {
    let oa = sandbox_oa().await;
    let cover = cover(&oa).await;
    let nine: Vec<Value> = (1..=9).map(|n| article(n, &cover)).collect();
    let body = assert_error(
        oa.admin
            .post(&oa.path("/drafts"), &json!({"articles": nine}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(body["error"]["fields"][0]["field"], "articles", "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "draft_article_count");
    assert_error(
        oa.admin
            .post(&oa.path("/drafts"), &json!({"articles": []}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    // A field of the third article is named by its place.
    let mut bad: Vec<Value> = (1..=3).map(|n| article(n, &cover)).collect();
    bad[2]["author"] = json!("一二三四五六七八九十一二三四五六七");
    bad[2]["content_source_url"] = json!("ftp://example.com");
    let body = assert_error(
        oa.admin
            .post(&oa.path("/drafts"), &json!({"articles": bad}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let fields: Vec<(&str, &str)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("articles.2.author", "too_long"),
            ("articles.2.content_source_url", "url_scheme")
        ]
    );
    assert_eq!(drafts_of(&oa).await, 0);
    let eight: Vec<Value> = (1..=8).map(|n| article(n, &cover)).collect();
    let d = json_of(
        oa.admin
            .post(&oa.path("/drafts"), &json!({"articles": eight}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let p = publish(&oa, &d).await;
    let emulated = oa.emulated().await;
    assert_eq!(
        emulated["drafts"][p["media_id"].as_str().unwrap()]["articles"]
            .as_array()
            .unwrap()
            .len(),
        8
    );
}

/// `draft/add` straight to the emulator, as someone working in WeChat's own console would.
async fn wechat_draft(oa: &Oa, token: &str, titles: &[&str], cover: &str) -> String {
    let articles: Vec<Value> = titles
        .iter()
        .map(|t| json!({"title": t, "content": format!("<p>{t}</p>"), "thumb_media_id": cover, "author": "微信"}))
        .collect();
    wechat_draft_of(oa, token, articles).await
}

/// `draft/add` of these articles straight to the emulator; its media_id.
async fn wechat_draft_of(oa: &Oa, token: &str, articles: Vec<Value>) -> String {
    let v: Value = reqwest::Client::new()
        .post(format!(
            "{}/sandbox/api.weixin.qq.com/cgi-bin/draft/add?access_token={token}",
            oa.app.base
        ))
        .json(&json!({"articles": articles}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["media_id"]
        .as_str()
        .expect("draft/add answers media_id")
        .to_string()
}

#[tokio::test]
async fn importing_wechat_drafts_and_published_articles_twice_stores_them_once() {
    let oa = sandbox_oa().await;
    let cover = cover(&oa).await;
    let token = crate::oa_content::token(&oa).await;
    // At WeChat: a two-article draft, and a draft published there.
    wechat_draft(&oa, &token, &["微信草稿一", "微信草稿二"], &cover).await;
    let published = wechat_draft(&oa, &token, &["已发表"], &cover).await;
    let r: Value = reqwest::Client::new()
        .post(format!(
            "{}/sandbox/api.weixin.qq.com/cgi-bin/freepublish/submit?access_token={token}",
            oa.app.base
        ))
        .json(&json!({"media_id": published}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(r["publish_id"].is_string(), "{r}");
    crate::helpers::sim_http()
        .post(format!("{}/sandbox/_sim/clock/advance", oa.app.base))
        .json(&json!({"seconds": 31}))
        .send()
        .await
        .unwrap();
    // And one written and saved through the portal (its media_id is known: not imported).
    let mine = json_of(
        oa.admin
            .post(
                &oa.path("/drafts"),
                &json!({"articles": [article(1, &cover)]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    publish(&oa, &mine).await;

    let first = json_of(
        oa.admin.post(&oa.path("/drafts/import"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    // The emulator keeps a published draft in the draft box (⚠️ unverified against WeChat):
    // the box holds three drafts, one of them the portal's own.
    assert_eq!(first["drafts_added"], 2, "{first}");
    assert_eq!(first["published_added"], 1, "{first}");
    let list = json_of(
        oa.admin.get(&oa.path("/drafts?per_page=50")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 4, "{list}");
    let imported = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "微信草稿一")
        .unwrap();
    assert_eq!(titles(&imported["articles"]), ["微信草稿一", "微信草稿二"]);
    assert_eq!(imported["origin"], "wechat_draft");
    let done = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["origin"] == "wechat_published")
        .unwrap();
    assert_eq!(done["status"], "published");
    assert_eq!(done["title"], "已发表");
    assert!(
        done["article_urls"][0]
            .as_str()
            .unwrap()
            .starts_with("http://mp.weixin.qq.com/s?"),
        "{done}"
    );

    let second = json_of(
        oa.admin.post(&oa.path("/drafts/import"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["drafts_added"], 0, "{second}");
    assert_eq!(second["published_added"], 0, "{second}");
    assert_eq!(second["unchanged"], 4, "{second}");
    assert_eq!(drafts_of(&oa).await, 4);
}

#[tokio::test]
async fn an_uploaded_article_image_is_served_by_the_portal() {
    let oa = sandbox_oa().await;
    let inline: Value = oa
        .upload("/materials/uploadimg", &[], ("inline.png", png()))
        .await
        .json()
        .await
        .unwrap();
    let url = inline["url"].as_str().unwrap();
    let r = oa
        .admin
        .get(&oa.path(&format!(
            "/materials/article-image?url={}",
            urlencoding(url)
        )))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png());
    let r = oa
        .admin
        .get(&oa.path("/materials/article-image?url=http%3A%2F%2Felsewhere%2Fx.png"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn a_draft_with_an_inline_image_is_published_and_followed_to_the_end() {
    let oa = sandbox_oa().await;
    // Cover from a thumb material, inline image through uploadimg.
    let cover: Value = oa
        .upload("/materials", &[("kind", "image")], ("cover.png", png()))
        .await
        .json()
        .await
        .unwrap();
    let inline: Value = oa
        .upload("/materials/uploadimg", &[], ("inline.png", png()))
        .await
        .json()
        .await
        .unwrap();
    let img = inline["url"].as_str().unwrap().to_string();
    assert!(img.starts_with("http://mmbiz.qpic.cn/"), "{inline}");

    // Validation first.
    assert_error(
        oa.admin
            .post(
                &oa.path("/drafts"),
                &json!({"articles": [{"title": "", "content": "", "thumb_media_id": ""}]}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let content = format!("<p>你好</p><p><img src=\"{img}\"></p>");
    let d = json_of(
        oa.admin
            .post(
                &oa.path("/drafts"),
                &json!({"articles": [{"title": "第一篇", "author": "编辑部", "content": content,
                        "thumb_media_id": cover["media_id"], "need_open_comment": true}]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(d["status"], "draft");

    let p = json_of(
        oa.admin
            .post(
                &oa.path(&format!("/drafts/{}/publish", d["id"])),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(p["status"], "publishing", "{p}");
    let media_id = p["media_id"].as_str().unwrap().to_string();
    let emulated = oa.emulated().await;
    let art = &emulated["drafts"][&media_id]["articles"][0];
    assert!(
        art["content"].as_str().unwrap().contains(&img),
        "{emulated}"
    );
    assert_eq!(art["need_open_comment"], 1);
    // Publishing twice at once is refused.
    assert_error(
        oa.admin
            .post(
                &oa.path(&format!("/drafts/{}/publish", d["id"])),
                &json!({}),
            )
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // The job finishes 30 emulated seconds later and PUBLISHJOBFINISH reaches the portal.
    let r = crate::helpers::sim_http()
        .post(format!("{}/sandbox/_sim/clock/advance", oa.app.base))
        .json(&json!({"seconds": 31}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut got = Value::Null;
    for _ in 0..200 {
        got = json_of(
            oa.admin
                .get(&oa.path(&format!("/drafts/{}", d["id"])))
                .await,
            StatusCode::OK,
        )
        .await;
        if got["status"] != "publishing" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(got["status"], "published", "{got}");
    let url = got["article_urls"][0].as_str().unwrap();
    assert!(url.starts_with("http://mp.weixin.qq.com/s?"), "{got}");
    assert!(!got["article_id"].as_str().unwrap().is_empty());
    // freepublish/get agrees (the refresh path) and changes nothing.
    let again = json_of(
        oa.admin
            .post(
                &oa.path(&format!("/drafts/{}/refresh", d["id"])),
                &json!({}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["article_urls"], got["article_urls"]);
    let list = json_of(
        oa.admin.get(&oa.path("/drafts?status=published")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn draft_search_takes_like_wildcards_literally() {
    let oa = sandbox_oa().await;
    let cover: Value = oa
        .upload("/materials", &[("kind", "image")], ("cover.png", png()))
        .await
        .json()
        .await
        .unwrap();
    for title in ["50% off", "500 off", "a_b"] {
        json_of(
            oa.admin
                .post(
                    &oa.path("/drafts"),
                    &json!({"articles": [{"title": title, "content": "<p>x</p>", "thumb_media_id": cover["media_id"]}]}),
                )
                .await,
            StatusCode::CREATED,
        )
        .await;
    }
    for (q, want) in [
        ("0%25", vec!["50% off"]),
        ("_", vec!["a_b"]),
        ("off", vec!["50% off", "500 off"]),
    ] {
        let page = json_of(
            oa.admin.get(&oa.path(&format!("/drafts?q={q}"))).await,
            StatusCode::OK,
        )
        .await;
        let mut titles: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title"].as_str().unwrap())
            .collect();
        titles.sort_unstable();
        assert_eq!(titles, want, "q={q}: {page}");
    }
}

#[tokio::test]
async fn an_imported_article_keeps_its_styles_and_its_images_show_through_the_portal() {
    let oa = sandbox_oa().await;
    let cover = cover(&oa).await;
    let token = crate::oa_content::token(&oa).await;
    // An image put on WeChat's image host from WeChat's own editor (not through the portal).
    let form = reqwest::multipart::Form::new().part(
        "media",
        reqwest::multipart::Part::bytes(png())
            .file_name("inline.png")
            .mime_str("image/png")
            .unwrap(),
    );
    let up: Value = reqwest::Client::new()
        .post(format!(
            "{}/sandbox/api.weixin.qq.com/cgi-bin/media/uploadimg?access_token={token}",
            oa.app.base
        ))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let img = up["url"]
        .as_str()
        .expect("uploadimg answers url")
        .to_string();
    let content = format!(
        "<section style=\"text-align:center;position:fixed\"><img data-src=\"{img}\" \
         style=\"width:100%\"></section><p style=\"color:#e4393c\">红字</p>\
         <p><img src=\"http://example.com/x.png\"></p>"
    );
    wechat_draft_of(
        &oa,
        &token,
        vec![json!({"title": "带图文章", "content": content, "thumb_media_id": cover})],
    )
    .await;

    let imported = json_of(
        oa.admin.post(&oa.path("/drafts/import"), &json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(imported["drafts_added"], 1, "{imported}");
    let row = article_draft::Entity::find()
        .filter(article_draft::Column::Title.eq("带图文章"))
        .one(&oa.app.db)
        .await
        .unwrap()
        .unwrap();
    let body = article_draft_article::Entity::find()
        .filter(article_draft_article::Column::DraftId.eq(row.id))
        .one(&oa.app.db)
        .await
        .unwrap()
        .unwrap()
        .content;
    // Typographic styles kept, positioning dropped; the lazy-loaded image has its address.
    assert!(
        body.contains(&format!(
            "<section style=\"text-align: center\"><img src=\"{img}\" style=\"width: 100%\">"
        )),
        "{body}"
    );
    assert!(
        body.contains("<p style=\"color: #e4393c\">红字</p>"),
        "{body}"
    );

    // The image is fetched from WeChat's image host on first view and kept.
    let kept = || async {
        wxportal::entities::article_image::Entity::find()
            .all(&oa.app.db)
            .await
            .unwrap()
    };
    assert!(kept().await.is_empty());
    for _ in 0..2 {
        let r = oa
            .admin
            .get(&oa.path(&format!(
                "/materials/article-image?url={}",
                urlencoding(&img)
            )))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.bytes().await.unwrap().to_vec(), png());
    }
    let rows = kept().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].url, img);
    // Another host is never fetched, nor an address WeChat's host does not have.
    for other in [
        "http://example.com/x.png".to_string(),
        img.replace("/0", "/1"),
        format!("http://127.0.0.1:1/{}", "x.png"),
    ] {
        let r = oa
            .admin
            .get(&oa.path(&format!(
                "/materials/article-image?url={}",
                urlencoding(&other)
            )))
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{other}");
    }
    assert_eq!(kept().await.len(), 1);
}
