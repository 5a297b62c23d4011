//! The industry and the account's private templates (pushed to WeChat first, stored once
//! WeChat accepted; the list is a copy refreshed by `get_all_private_template`).

use api::templates::{
    AddTemplateInput, Industry, IndustryClass, IndustryInput, Template, template_keys,
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;
use time::OffsetDateTime;

use crate::{
    audit::{self, Actor},
    entities::oa_template,
    error::{AppError, AppResult},
    state::AppState,
    util::rfc3339,
    wechat_clients,
};

fn to_api(m: &oa_template::Model) -> Template {
    Template {
        template_id: m.template_id.clone(),
        title: m.title.clone(),
        primary_industry: m.primary_industry.clone(),
        deputy_industry: m.deputy_industry.clone(),
        content: m.content.clone(),
        example: m.example.clone(),
        keys: template_keys(&m.content),
        synced_at: rfc3339(m.synced_at),
    }
}

pub async fn industry(state: &AppState, account_id: i64) -> AppResult<Industry> {
    let client = wechat_clients::oa(state, account_id).await?;
    match client.template_get_industry().await {
        Ok(i) => {
            let class = |c: wechat::client::oa::IndustryClass| {
                (!c.first_class.is_empty() || !c.second_class.is_empty()).then_some(IndustryClass {
                    first_class: c.first_class,
                    second_class: c.second_class,
                })
            };
            Ok(Industry {
                primary: class(i.primary_industry),
                secondary: class(i.secondary_industry),
            })
        }
        // Not set yet (⚠️ WeChat's code for an account without an industry).
        Err(wechat::Error::Wechat(w)) if w.code == 40102 => Ok(Industry {
            primary: None,
            secondary: None,
        }),
        Err(e) => Err(wechat_clients::api_error(&e)),
    }
}

pub async fn set_industry(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: IndustryInput,
) -> AppResult<Industry> {
    for (field, v) in [
        ("industry_id1", input.industry_id1),
        ("industry_id2", input.industry_id2),
    ] {
        if !(1..=41).contains(&v) {
            return Err(AppError::Validation(vec![api::FieldIssue {
                field: field.into(),
                code: "invalid".into(),
                message: "an industry code from 1 to 41".into(),
            }]));
        }
    }
    let client = wechat_clients::oa(state, account_id).await?;
    client
        .template_set_industry(
            &input.industry_id1.to_string(),
            &input.industry_id2.to_string(),
        )
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    audit::record(
        &state.db,
        actor,
        "template.industry",
        "account",
        Some(account_id),
        format!(
            "template industries set to {} and {}",
            input.industry_id1, input.industry_id2
        ),
        json!({"industry_id1": input.industry_id1, "industry_id2": input.industry_id2}),
    )
    .await?;
    industry(state, account_id).await
}

pub async fn list(db: &DatabaseConnection, account_id: i64) -> AppResult<Vec<Template>> {
    Ok(oa_template::Entity::find()
        .filter(oa_template::Column::AccountId.eq(account_id))
        .order_by_asc(oa_template::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(to_api)
        .collect())
}

pub async fn find(
    db: &DatabaseConnection,
    account_id: i64,
    template_id: &str,
) -> AppResult<Option<oa_template::Model>> {
    Ok(oa_template::Entity::find()
        .filter(oa_template::Column::AccountId.eq(account_id))
        .filter(oa_template::Column::TemplateId.eq(template_id))
        .one(db)
        .await?)
}

/// Replaces our copy with WeChat's list (`get_all_private_template`).
pub async fn sync(state: &AppState, account_id: i64) -> AppResult<Vec<Template>> {
    let client = wechat_clients::oa(state, account_id).await?;
    let list = client
        .template_list()
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let now = OffsetDateTime::now_utc();
    let txn = state.db.begin().await?;
    oa_template::Entity::delete_many()
        .filter(oa_template::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    for t in list {
        oa_template::Entity::insert(oa_template::ActiveModel {
            account_id: Set(account_id),
            template_id: Set(t.template_id.chars().take(64).collect()),
            title: Set(t.title.chars().take(200).collect()),
            primary_industry: Set(t.primary_industry.chars().take(64).collect()),
            deputy_industry: Set(t.deputy_industry.chars().take(64).collect()),
            content: Set(t.content),
            example: Set(t.example),
            synced_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }
    txn.commit().await?;
    list_db(state, account_id).await
}

async fn list_db(state: &AppState, account_id: i64) -> AppResult<Vec<Template>> {
    list(&state.db, account_id).await
}

pub async fn add(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    input: AddTemplateInput,
) -> AppResult<Vec<Template>> {
    let short = input.template_id_short.trim();
    if short.is_empty() || short.len() > 64 {
        return Err(AppError::Validation(vec![api::FieldIssue {
            field: "template_id_short".into(),
            code: "invalid".into(),
            message: "the template's number in WeChat's library (e.g. TM00015)".into(),
        }]));
    }
    let client = wechat_clients::oa(state, account_id).await?;
    let id = client
        .template_add(short)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    audit::record(
        &state.db,
        actor,
        "template.add",
        "account",
        Some(account_id),
        format!("template {short} added as {id}"),
        json!({"template_id_short": short, "template_id": id}),
    )
    .await?;
    sync(state, account_id).await
}

pub async fn delete(
    state: &AppState,
    actor: &Actor,
    account_id: i64,
    template_id: &str,
) -> AppResult<()> {
    find(&state.db, account_id, template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let client = wechat_clients::oa(state, account_id).await?;
    client
        .template_delete(template_id)
        .await
        .map_err(|e| wechat_clients::api_error(&e))?;
    let txn = state.db.begin().await?;
    oa_template::Entity::delete_many()
        .filter(oa_template::Column::AccountId.eq(account_id))
        .filter(oa_template::Column::TemplateId.eq(template_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        "template.delete",
        "account",
        Some(account_id),
        format!("template {template_id} deleted"),
        json!({"template_id": template_id}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
