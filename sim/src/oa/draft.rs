//! Drafts (`draft/*`) and publishing (`freepublish/*`). Publishing completes asynchronously
//! ([`PUBLISH_DELAY`] seconds of emulated time later) and pushes `PUBLISHJOBFINISH`.

use serde_json::{Value, json};

use super::model::{Draft, Publish};
use super::{Req, app};
use crate::error::{WxError, ok};
use crate::proto::sign::random_token;
use crate::proto::xml::{el, num};
use crate::sched::Job;
use crate::state::{Sim, State};

/// Seconds until a publish job finishes (⚠️ real jobs take seconds to minutes).
pub const PUBLISH_DELAY: i64 = 30;
/// Articles per draft.
pub const MAX_ARTICLES: usize = 8;

fn article(has: &OaMedia, v: &Value) -> Result<Value, WxError> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let title = s("title");
    if title.is_empty() || title.chars().count() > 64 {
        return Err(WxError::oa_msg(45003, "title size out of limit"));
    }
    let content = s("content");
    if content.is_empty() || content.chars().count() >= 20_000 || content.len() >= 1 << 20 {
        return Err(WxError::oa_msg(45002, "content size out of limit"));
    }
    if s("author").chars().count() > 16 {
        return Err(WxError::oa_msg(45110, "author size out of limit"));
    }
    let thumb = s("thumb_media_id");
    if !has(&thumb) {
        return Err(WxError::oa(40007));
    }
    let digest = if s("digest").is_empty() {
        content.chars().filter(|c| *c != '<').take(54).collect()
    } else {
        s("digest")
    };
    Ok(json!({
        "title": title, "author": s("author"), "digest": digest, "content": content,
        "content_source_url": s("content_source_url"), "thumb_media_id": thumb,
        "show_cover_pic": v.get("show_cover_pic").and_then(Value::as_i64).unwrap_or(0),
        "need_open_comment": v.get("need_open_comment").and_then(Value::as_i64).unwrap_or(0),
        "only_fans_can_comment": v.get("only_fans_can_comment").and_then(Value::as_i64).unwrap_or(0),
        "url": format!("http://mp.weixin.qq.com/s?__biz=MzA&mid={}", random_token(12)),
        "thumb_url": format!("http://mmbiz.qpic.cn/mmbiz_jpg/{}/0", random_token(20)),
    }))
}

type OaMedia<'a> = dyn Fn(&str) -> bool + 'a;

/// `POST draft/add` `{"articles":[…]}` → `{"media_id"}`; `thumb_media_id` must be a permanent
/// image/thumb material (40007).
pub fn add(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let list = v
        .get("articles")
        .and_then(Value::as_array)
        .ok_or(WxError::oa(47001))?;
    if list.is_empty() || list.len() > MAX_ARTICLES {
        return Err(WxError::oa_msg(45008, "article size out of limit"));
    }
    let has = |id: &str| {
        a.media
            .get(id)
            .is_some_and(|m| m.permanent && (m.kind == "image" || m.kind == "thumb"))
    };
    let articles = list
        .iter()
        .map(|x| article(&has, x))
        .collect::<Result<Vec<_>, _>>()?;
    let id = random_token(64).replace('-', "_");
    a.drafts.insert(
        id.clone(),
        Draft {
            articles,
            update_time: now,
        },
    );
    Ok(json!({"media_id": id}))
}

fn media_id(v: &Value) -> String {
    v.get("media_id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// `POST draft/get` `{"media_id"}` → `{"news_item":[…]}`.
pub fn get(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let d = a.drafts.get(&media_id(&v)).ok_or(WxError::oa(40007))?;
    Ok(json!({"news_item": d.articles}))
}

/// `POST draft/delete` `{"media_id"}`.
pub fn delete(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    a.drafts.remove(&media_id(&v)).ok_or(WxError::oa(40007))?;
    Ok(ok())
}

/// `POST draft/update` `{"media_id","index","articles":{…}}`.
pub fn update(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let idx = v.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
    let has = |id: &str| {
        a.media
            .get(id)
            .is_some_and(|m| m.permanent && (m.kind == "image" || m.kind == "thumb"))
    };
    let art = article(&has, v.get("articles").unwrap_or(&Value::Null))?;
    let d = a.drafts.get_mut(&media_id(&v)).ok_or(WxError::oa(40007))?;
    let slot = d
        .articles
        .get_mut(idx)
        .ok_or(WxError::oa_msg(40097, "invalid args: index"))?;
    *slot = art;
    d.update_time = now;
    Ok(ok())
}

/// `GET draft/count` → `{"total_count"}`.
pub fn count(st: &mut State, appid: &str, _now: i64, _r: &Req) -> Result<Value, WxError> {
    Ok(json!({"total_count": app(st, appid)?.drafts.len()}))
}

/// `POST draft/batchget` `{"offset","count"(1–20),"no_content"}`.
pub fn batchget(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let offset = v.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
    let n = v.get("count").and_then(Value::as_u64).unwrap_or(0) as usize;
    if !(1..=20).contains(&n) {
        return Err(WxError::oa(40097));
    }
    let no_content = v.get("no_content").and_then(Value::as_i64) == Some(1);
    let items: Vec<Value> = a
        .drafts
        .iter()
        .skip(offset)
        .take(n)
        .map(|(id, d)| {
            let arts: Vec<Value> = d
                .articles
                .iter()
                .map(|x| {
                    let mut x = x.clone();
                    if no_content && let Some(o) = x.as_object_mut() {
                        o.remove("content");
                    }
                    x
                })
                .collect();
            json!({"media_id": id, "content": {"news_item": arts}, "update_time": d.update_time})
        })
        .collect();
    Ok(json!({"total_count": a.drafts.len(), "item_count": items.len(), "item": items}))
}

/// `POST freepublish/submit` `{"media_id"}` → `{"errcode":0,"errmsg":"ok","publish_id"}`.
pub fn submit(st: &mut State, appid: &str, now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let id = st.id();
    let a = app(st, appid)?;
    let mid = media_id(&v);
    if !a.drafts.contains_key(&mid) {
        return Err(WxError::oa(40007));
    }
    let publish_id = (2_247_483_647 + id).to_string();
    a.publishes.insert(
        publish_id.clone(),
        Publish {
            media_id: mid,
            status: 1,
            article_id: String::new(),
            urls: Vec::new(),
            deleted: false,
        },
    );
    st.schedule(
        now + PUBLISH_DELAY,
        Job::OaPublishFinish {
            appid: appid.to_owned(),
            publish_id: publish_id.clone(),
        },
    );
    Ok(json!({"errcode": 0, "errmsg": "ok", "publish_id": publish_id, "msg_data_id": id}))
}

/// `POST freepublish/get` `{"publish_id"}`.
pub fn get_publish(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let pid = match v.get("publish_id") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let p = a
        .publishes
        .get(&pid)
        .ok_or(WxError::oa_msg(53600, "Article ID 无效"))?;
    let mut out = json!({"publish_id": pid, "publish_status": p.status});
    if p.status == 0 {
        out["article_id"] = json!(p.article_id);
        let items: Vec<Value> = p
            .urls
            .iter()
            .enumerate()
            .map(|(i, u)| json!({"idx": i + 1, "article_url": u}))
            .collect();
        out["article_detail"] = json!({"count": items.len(), "item": items});
        out["fail_idx"] = json!([]);
    }
    Ok(out)
}

/// `POST freepublish/delete` `{"article_id","index"}`.
pub fn delete_publish(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let aid = v.get("article_id").and_then(Value::as_str).unwrap_or("");
    let p = a
        .publishes
        .values_mut()
        .find(|p| p.status == 0 && p.article_id == aid && !p.deleted);
    let p = p.ok_or(WxError::oa_msg(53600, "Article ID 无效"))?;
    p.deleted = true;
    Ok(ok())
}

/// `POST freepublish/batchget` `{"offset","count","no_content"}`.
pub fn batchget_publish(st: &mut State, appid: &str, _now: i64, r: &Req) -> Result<Value, WxError> {
    let v = r.json()?;
    let a = app(st, appid)?;
    let offset = v.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
    let n = v.get("count").and_then(Value::as_u64).unwrap_or(0) as usize;
    if !(1..=20).contains(&n) {
        return Err(WxError::oa(40097));
    }
    let no_content = v.get("no_content").and_then(Value::as_i64) == Some(1);
    let done: Vec<_> = a
        .publishes
        .values()
        .filter(|p| p.status == 0 && !p.deleted)
        .collect();
    let items: Vec<Value> = done
        .iter()
        .skip(offset)
        .take(n)
        .map(|p| {
            let d = a.drafts.get(&p.media_id);
            // Each article's `url` is its published link (the draft's was a preview link).
            let arts: Vec<Value> = d
                .map(|d| d.articles.clone())
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, mut x)| {
                    if let (Some(o), Some(u)) = (x.as_object_mut(), p.urls.get(i)) {
                        o.insert("url".into(), json!(u));
                    }
                    if no_content && let Some(o) = x.as_object_mut() {
                        o.remove("content");
                    }
                    x
                })
                .collect();
            let update_time = d.map(|d| d.update_time).unwrap_or(0);
            json!({"article_id": p.article_id, "content": {"news_item": arts}, "update_time": update_time})
        })
        .collect();
    Ok(json!({"total_count": done.len(), "item_count": items.len(), "item": items}))
}

/// The publish job finishes: status 0, URLs assigned, `PUBLISHJOBFINISH` pushed.
pub async fn finish(sim: &Sim, appid: &str, publish_id: &str) {
    let now = sim.now();
    let found = sim.with(|s| {
        let a = s.oa.get_mut(appid)?;
        let n = a
            .publishes
            .get(publish_id)
            .and_then(|p| a.drafts.get(&p.media_id))
            .map(|d| d.articles.len())
            .unwrap_or(1);
        let p = a.publishes.get_mut(publish_id)?;
        p.status = 0;
        p.article_id = random_token(43);
        p.urls = (1..=n)
            .map(|i| {
                format!(
                    "http://mp.weixin.qq.com/s?__biz=MzA&mid={}&idx={i}",
                    random_token(10)
                )
            })
            .collect();
        let p = p.clone();
        Some((a.cfg.clone(), p))
    });
    let Some((cfg, p)) = found else { return };
    let items: String = p
        .urls
        .iter()
        .enumerate()
        .map(|(i, u)| format!("<item>{}{}</item>", num("idx", i + 1), el("article_url", u)))
        .collect();
    let admin = format!("o{}", &crate::proto::sign::random_hex(27));
    let xml = format!(
        "<xml>{}{}{}{}{}<PublishEventInfo>{}{}{}<article_detail>{}{}</article_detail></PublishEventInfo></xml>",
        el("ToUserName", &cfg.original_id),
        el("FromUserName", &admin),
        num("CreateTime", now),
        el("MsgType", "event"),
        el("Event", "PUBLISHJOBFINISH"),
        num("publish_id", publish_id),
        num("publish_status", 0),
        el("article_id", &p.article_id),
        num("count", p.urls.len()),
        items
    );
    crate::callback::oa::deliver(sim, &cfg, &admin, xml, false).await;
}
