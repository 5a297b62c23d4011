//! Queries of `oa_qrcodes` and `oa_qrcode_scans`.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    entities::{oa_qrcode, oa_qrcode_scan},
    error::AppResult,
    util::like_contains,
};

pub async fn find<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    id: i64,
) -> AppResult<Option<oa_qrcode::Model>> {
    Ok(oa_qrcode::Entity::find_by_id(id)
        .filter(oa_qrcode::Column::AccountId.eq(account_id))
        .one(db)
        .await?)
}

/// The account's codes with this scene, newest first.
pub async fn by_scene<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    scene: &str,
) -> AppResult<Vec<oa_qrcode::Model>> {
    Ok(oa_qrcode::Entity::find()
        .filter(oa_qrcode::Column::AccountId.eq(account_id))
        .filter(oa_qrcode::Column::Scene.eq(scene))
        .order_by_desc(oa_qrcode::Column::Id)
        .all(db)
        .await?)
}

/// The list's filter: search in name, note and scene; `permanent` or `temporary`.
pub struct Filter {
    pub q: Option<String>,
    pub permanent: Option<bool>,
}

pub async fn page<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    f: &Filter,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<oa_qrcode::Model>, u64)> {
    let mut c = Condition::all().add(oa_qrcode::Column::AccountId.eq(account_id));
    if let Some(p) = f.permanent {
        c = c.add(oa_qrcode::Column::Permanent.eq(p));
    }
    if let Some(q) = &f.q {
        c = c.add(
            Condition::any()
                .add(like_contains(
                    (oa_qrcode::Entity, oa_qrcode::Column::Name),
                    q,
                ))
                .add(like_contains(
                    (oa_qrcode::Entity, oa_qrcode::Column::Note),
                    q,
                ))
                .add(like_contains(
                    (oa_qrcode::Entity, oa_qrcode::Column::Scene),
                    q,
                )),
        );
    }
    let select = oa_qrcode::Entity::find().filter(c);
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_desc(oa_qrcode::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// (scans, subscribes) of each code.
pub async fn totals<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> AppResult<HashMap<i64, (i64, i64)>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, bool, i64)> = oa_qrcode_scan::Entity::find()
        .select_only()
        .column(oa_qrcode_scan::Column::QrcodeId)
        .column(oa_qrcode_scan::Column::Subscribe)
        .column_as(Expr::col(oa_qrcode_scan::Column::Id).count(), "n")
        .filter(oa_qrcode_scan::Column::QrcodeId.is_in(ids.iter().copied()))
        .group_by(oa_qrcode_scan::Column::QrcodeId)
        .group_by(oa_qrcode_scan::Column::Subscribe)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i64, (i64, i64)> = HashMap::new();
    for (id, subscribe, n) in rows {
        let e = out.entry(id).or_default();
        e.0 += n;
        if subscribe {
            e.1 += n;
        }
    }
    Ok(out)
}

/// (day, subscribe, count) of one code from `first_day` on.
pub async fn per_day<C: ConnectionTrait>(
    db: &C,
    qrcode_id: i64,
    first_day: &str,
) -> AppResult<Vec<(String, bool, i64)>> {
    Ok(oa_qrcode_scan::Entity::find()
        .select_only()
        .column(oa_qrcode_scan::Column::Day)
        .column(oa_qrcode_scan::Column::Subscribe)
        .column_as(Expr::col(oa_qrcode_scan::Column::Id).count(), "n")
        .filter(oa_qrcode_scan::Column::QrcodeId.eq(qrcode_id))
        .filter(oa_qrcode_scan::Column::Day.gte(first_day))
        .group_by(oa_qrcode_scan::Column::Day)
        .group_by(oa_qrcode_scan::Column::Subscribe)
        .into_tuple()
        .all(db)
        .await?)
}

/// Distinct followers who scanned the code.
pub async fn unique_scanners<C: ConnectionTrait>(db: &C, qrcode_id: i64) -> AppResult<i64> {
    let n: Option<i64> = oa_qrcode_scan::Entity::find()
        .select_only()
        .column_as(
            Expr::col(oa_qrcode_scan::Column::Openid).count_distinct(),
            "n",
        )
        .filter(oa_qrcode_scan::Column::QrcodeId.eq(qrcode_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(n.unwrap_or(0))
}

/// The newest subscriptions through the code.
pub async fn subscriptions<C: ConnectionTrait>(
    db: &C,
    qrcode_id: i64,
    limit: u64,
) -> AppResult<Vec<oa_qrcode_scan::Model>> {
    Ok(oa_qrcode_scan::Entity::find()
        .filter(oa_qrcode_scan::Column::QrcodeId.eq(qrcode_id))
        .filter(oa_qrcode_scan::Column::Subscribe.eq(true))
        .order_by_desc(oa_qrcode_scan::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
