//! QR code rules: WeChat's limits checked first (`api::qrcodes::validate_create`), one live code
//! per scene (so every scan is attributed to exactly one code), WeChat called before anything is
//! stored, the image fetched from `showqrcode` and never hot-linked.

use api::{
    Page, PageQuery,
    qrcodes::{
        self, CreateQrCode, QrCode, QrCodeQuery, QrDay, QrReplyRule, QrStats, QrStatsQuery,
        QrSubscriber, UpdateQrCode,
    },
    replies::Trigger,
    validate::Rule,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use wechat::client::oa::QrCodeRequest;

use super::queries;
use crate::{
    audit::{self, Actor},
    entities::{follower, oa_qrcode, reply_rule},
    error::{AppError, AppResult, field_error},
    pay::days::{date_str, today},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

/// The newest attributed subscribers a code's statistics list.
const SUBSCRIBERS_SHOWN: u64 = 50;

pub fn view(m: &oa_qrcode::Model, counts: (i64, i64), now: OffsetDateTime) -> QrCode {
    QrCode {
        id: m.id,
        account_id: m.account_id,
        name: m.name.clone(),
        note: m.note.clone(),
        permanent: m.permanent,
        scene: m.scene.clone(),
        scene_is_str: m.scene_is_str,
        url: m.url.clone(),
        expires_at: m.expires_at.map(rfc3339),
        expired: m.expires_at.is_some_and(|e| e <= now),
        created_by: m.created_by.clone(),
        created_at: rfc3339(m.created_at),
        scans: counts.0,
        subscribes: counts.1,
    }
}

/// Whether a code was live at `at`.
pub fn live_at(m: &oa_qrcode::Model, at: OffsetDateTime) -> bool {
    m.expires_at.is_none_or(|e| at < e)
}

pub async fn list<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    q: QrCodeQuery,
) -> AppResult<Page<QrCode>> {
    let page = PageQuery {
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(api::page::DEFAULT_PER_PAGE),
    }
    .clamped();
    let permanent = match q.kind.as_deref().map(str::trim).unwrap_or("") {
        "" => None,
        "permanent" => Some(true),
        "temporary" => Some(false),
        _ => {
            return Err(AppError::BadRequest(
                "kind must be permanent or temporary".into(),
            ));
        }
    };
    let filter = queries::Filter {
        q: q.q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        permanent,
    };
    let (rows, total) =
        queries::page(db, account_id, &filter, page.offset(), page.per_page).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts = queries::totals(db, &ids).await?;
    let now = OffsetDateTime::now_utc();
    Ok(Page {
        items: rows
            .iter()
            .map(|m| view(m, counts.get(&m.id).copied().unwrap_or_default(), now))
            .collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}

async fn load<C: ConnectionTrait>(db: &C, account_id: i64, id: i64) -> AppResult<oa_qrcode::Model> {
    queries::find(db, account_id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn get<C: ConnectionTrait>(db: &C, account_id: i64, id: i64) -> AppResult<QrCode> {
    let m = load(db, account_id, id).await?;
    let counts = queries::totals(db, &[m.id]).await?;
    Ok(view(
        &m,
        counts.get(&m.id).copied().unwrap_or_default(),
        OffsetDateTime::now_utc(),
    ))
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: CreateQrCode,
) -> AppResult<QrCode> {
    let issues = qrcodes::validate_create(&input);
    if !issues.is_empty() {
        let mut all = api::validate::Issues::default();
        for (field, rule) in issues {
            all.check(field, Err(rule));
        }
        return Err(all.into());
    }
    let scene_str = input
        .scene_str
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let scene = match (&scene_str, input.scene_id) {
        (Some(s), _) => s.clone(),
        (None, Some(id)) => id.to_string(),
        (None, None) => return Err(field_error("scene", Rule::Required)),
    };
    let now = OffsetDateTime::now_utc();
    if queries::by_scene(&state.db, account_id, &scene)
        .await?
        .iter()
        .any(|c| live_at(c, now))
    {
        return Err(AppError::refused(
            "qr_scene_taken",
            format!(
                "a live QR code already has the scene {scene:?}: its scans could not be told apart"
            ),
        ));
    }
    let req = match (input.permanent, &scene_str, input.scene_id) {
        (true, Some(s), _) => QrCodeRequest::PermanentStr {
            scene_str: s.clone(),
        },
        (true, None, Some(id)) => QrCodeRequest::Permanent { scene_id: id },
        (false, Some(s), _) => QrCodeRequest::TemporaryStr {
            expire_seconds: input.expire_seconds.unwrap_or(60),
            scene_str: s.clone(),
        },
        (false, None, Some(id)) => QrCodeRequest::Temporary {
            expire_seconds: input.expire_seconds.unwrap_or(60),
            scene_id: id,
        },
        (_, None, None) => return Err(field_error("scene", Rule::Required)),
    };
    let client = wechat_clients::oa(state, account_id).await?;
    let created = client
        .qrcode_create(&req)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let expires_at = if input.permanent {
        None
    } else {
        // WeChat's answer is the lifetime it granted.
        created
            .expire_seconds
            .or(input.expire_seconds)
            .map(|s| now + Duration::seconds(s))
    };
    let txn = state.db.begin().await?;
    let m = oa_qrcode::ActiveModel {
        account_id: Set(account_id),
        name: Set(input.name.trim().to_string()),
        note: Set(input.note.trim().to_string()),
        permanent: Set(input.permanent),
        scene: Set(scene.clone()),
        scene_is_str: Set(scene_str.is_some()),
        ticket: Set(created.ticket),
        url: Set(created.url),
        expires_at: Set(expires_at),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "qrcode.create",
        "qrcode",
        Some(m.id),
        format!("created QR code {:?} (scene {scene})", m.name),
        json!({"account_id": account_id, "permanent": m.permanent, "scene": scene}),
    )
    .await?;
    txn.commit().await?;
    Ok(view(&m, (0, 0), now))
}

pub async fn update<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    id: i64,
    input: UpdateQrCode,
) -> AppResult<QrCode> {
    let probe = CreateQrCode {
        name: input.name.clone(),
        note: input.note.clone(),
        permanent: true,
        scene_id: Some(1),
        ..Default::default()
    };
    let issues = qrcodes::validate_create(&probe);
    if let Some((field, rule)) = issues.into_iter().next() {
        return Err(field_error(field, rule));
    }
    let txn = db.begin().await?;
    let m = load(&txn, account_id, id).await?;
    let mut am = m.into_active_model();
    am.name = Set(input.name.trim().to_string());
    am.note = Set(input.note.trim().to_string());
    let m = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "qrcode.update",
        "qrcode",
        Some(id),
        format!("renamed QR code to {:?}", m.name),
        json!({"account_id": account_id}),
    )
    .await?;
    txn.commit().await?;
    get(db, account_id, id).await
}

pub async fn delete<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    id: i64,
) -> AppResult<()> {
    let txn = db.begin().await?;
    let m = load(&txn, account_id, id).await?;
    crate::entities::oa_qrcode_scan::Entity::delete_many()
        .filter(crate::entities::oa_qrcode_scan::Column::QrcodeId.eq(id))
        .exec(&txn)
        .await?;
    oa_qrcode::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "qrcode.delete",
        "qrcode",
        Some(id),
        format!("forgot QR code {:?} (scene {})", m.name, m.scene),
        json!({"account_id": account_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The code's image from WeChat: (code, content type, bytes). Only PNG and JPEG are passed on.
pub async fn image(
    state: &AppState,
    account_id: i64,
    id: i64,
) -> AppResult<(oa_qrcode::Model, &'static str, Vec<u8>)> {
    let m = load(&state.db, account_id, id).await?;
    if !live_at(&m, OffsetDateTime::now_utc()) {
        return Err(AppError::refused(
            "qr_expired",
            "the QR code has expired: WeChat no longer serves its image",
        ));
    }
    let client = wechat_clients::oa(state, account_id).await?;
    let (_, bytes) = client
        .qrcode_image(&m.ticket)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    // Served from our origin: the type comes from the bytes, never from the upstream header.
    let ct = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        "image/jpeg"
    } else {
        return Err(AppError::Wechat(
            "WeChat's showqrcode answered with something that is not an image".into(),
        ));
    };
    Ok((m, ct, bytes))
}

/// Whether a rule's trigger names this scene (QR scan or subscribe through it).
fn rule_names_scene(r: &reply_rule::Model, scene: &str) -> bool {
    serde_json::from_str::<Vec<Trigger>>(&r.triggers)
        .unwrap_or_default()
        .iter()
        .any(|t| match t {
            Trigger::QrScan { scene: Some(s) } | Trigger::Subscribe { scene: Some(s) } => {
                s == scene
            }
            _ => false,
        })
}

pub async fn stats<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    id: i64,
    q: QrStatsQuery,
) -> AppResult<QrStats> {
    let m = load(db, account_id, id).await?;
    let n = i64::from(q.days.unwrap_or(30).clamp(1, 90));
    let last = today();
    let first = last - Duration::days(n - 1);
    let mut days: Vec<QrDay> = (0..n)
        .map(|i| QrDay {
            day: date_str(first + Duration::days(i)),
            scans: 0,
            subscribes: 0,
            repeat_scans: 0,
        })
        .collect();
    for (day, subscribe, count) in queries::per_day(db, id, &date_str(first)).await? {
        if let Some(d) = days.iter_mut().find(|d| d.day == day) {
            d.scans += count;
            if subscribe {
                d.subscribes += count;
            } else {
                d.repeat_scans += count;
            }
        }
    }
    let (scans, subscribes) = queries::totals(db, &[id])
        .await?
        .get(&id)
        .copied()
        .unwrap_or_default();
    let subs = queries::subscriptions(db, id, SUBSCRIBERS_SHOWN).await?;
    let openids: Vec<String> = subs.iter().map(|s| s.openid.clone()).collect();
    let people = follower::Entity::find()
        .filter(follower::Column::AccountId.eq(account_id))
        .filter(follower::Column::Openid.is_in(openids))
        .all(db)
        .await?;
    let subscribers = subs
        .into_iter()
        .map(|s| {
            let f = people.iter().find(|f| f.openid == s.openid);
            QrSubscriber {
                nickname: f.and_then(|f| f.nickname.clone()),
                remark: f.and_then(|f| f.remark.clone()),
                subscribed: f.is_some_and(|f| f.subscribed),
                at: rfc3339(s.scanned_at),
                openid: s.openid,
            }
        })
        .collect();
    let reply_rules = reply_rule::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(reply_rule::Column::AccountId.eq(account_id))
                .add(reply_rule::Column::AccountId.is_null()),
        )
        .all(db)
        .await?
        .into_iter()
        .filter(|r| rule_names_scene(r, &m.scene))
        .map(|r| QrReplyRule {
            id: r.id,
            name: r.name,
            enabled: r.enabled,
        })
        .collect();
    Ok(QrStats {
        days,
        scans,
        subscribes,
        repeat_scans: scans - subscribes,
        unique_scanners: queries::unique_scanners(db, id).await?,
        subscribers,
        reply_rules,
    })
}
