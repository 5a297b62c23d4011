//! Products per merchant: the staff CRUD API. A product's id is its mode-1 `product_id`.

use api::pay::{CreateProductRequest, Product, UpdateProductRequest};
use axum::{Json, extract::State, http::StatusCode};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use time::OffsetDateTime;

use super::entities::product;
use crate::auth::CurrentUser;
use crate::{
    accounts::extract::PayMerchant,
    audit,
    error::{AppError, AppResult},
    http::extract::{self, Path},
    state::AppState,
    util::rfc3339,
};

pub fn view(m: product::Model) -> Product {
    Product {
        id: m.id,
        merchant_id: m.account_id,
        name: m.name,
        description: m.description,
        price_fen: m.price_fen,
        active: m.active,
        created_at: rfc3339(m.created_at),
        updated_at: rfc3339(m.updated_at),
    }
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<Option<product::Model>> {
    Ok(product::Entity::find_by_id(id).one(db).await?)
}

/// Stores a (validated) product.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    merchant_id: i64,
    name: &str,
    description: &str,
    price_fen: i64,
    active: bool,
) -> AppResult<product::Model> {
    let now = OffsetDateTime::now_utc();
    Ok(product::ActiveModel {
        account_id: Set(merchant_id),
        name: Set(name.to_string()),
        description: Set(description.to_string()),
        price_fen: Set(price_fen),
        active: Set(active),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// `GET /api/pay/merchants/{id}/products`
pub async fn list(
    State(state): State<AppState>,
    PayMerchant(merchant): PayMerchant,
) -> AppResult<Json<Vec<Product>>> {
    let merchant_id = merchant.id;
    let rows = product::Entity::find()
        .filter(product::Column::AccountId.eq(merchant_id))
        .order_by_asc(product::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(rows.into_iter().map(view).collect()))
}

/// `POST /api/pay/merchants/{id}/products`
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    PayMerchant(merchant): PayMerchant,
    body: extract::Json<CreateProductRequest>,
) -> AppResult<(StatusCode, Json<Product>)> {
    let merchant_id = merchant.id;
    let req = body.value;
    let issues = req.validate();
    if !issues.is_empty() {
        return Err(AppError::Validation(issues));
    }
    let model = insert(
        &state.db,
        merchant_id,
        req.name.trim(),
        &req.description,
        req.price_fen,
        req.active,
    )
    .await?;
    audit::service::record(
        &state.db,
        &user.actor(),
        "pay_product.create",
        "pay_product",
        Some(model.id),
        format!("created product {:?} of merchant {merchant_id}", model.name),
        json!({"merchant_id": merchant_id, "price_fen": model.price_fen}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(view(model))))
}

/// `GET /api/pay/products/{id}`
pub async fn get(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Json<Product>> {
    let m = find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(view(m)))
}

/// `PATCH /api/pay/products/{id}`
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    body: extract::Json<UpdateProductRequest>,
) -> AppResult<Json<Product>> {
    let m = find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let req = body.value;
    let issues = req.validate();
    if !issues.is_empty() {
        return Err(AppError::Validation(issues));
    }
    let mut a: product::ActiveModel = m.into();
    if let Some(n) = &req.name {
        a.name = Set(n.trim().to_string());
    }
    if let Some(d) = req.description.clone() {
        a.description = Set(d);
    }
    if let Some(p) = req.price_fen {
        a.price_fen = Set(p);
    }
    if let Some(act) = req.active {
        a.active = Set(act);
    }
    a.updated_at = Set(OffsetDateTime::now_utc());
    let m = a.update(&state.db).await?;
    // This instance shows the edit at once; others within `page_cache::FRESH`.
    state.product_pages.forget(id);
    audit::service::record(
        &state.db,
        &user.actor(),
        "pay_product.update",
        "pay_product",
        Some(id),
        format!("updated product {:?}", m.name),
        serde_json::to_value(&req).unwrap_or_default(),
    )
    .await?;
    Ok(Json(view(m)))
}

/// `DELETE /api/pay/products/{id}`: orders keep their data (their `product_id` becomes null).
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let m = find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    product::Entity::delete_by_id(id).exec(&state.db).await?;
    state.product_pages.forget(id);
    audit::service::record(
        &state.db,
        &user.actor(),
        "pay_product.delete",
        "pay_product",
        Some(id),
        format!("deleted product {:?}", m.name),
        json!({"merchant_id": m.account_id}),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
