//! Replacing a WeCom app's secret drops the token fetched with the old one from the shared
//! token store, so the next call fetches with the new secret (here a wrong one: refused).

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use wxportal::entities::wechat_token;

use crate::helpers::json_of;
use crate::wecom_messages::work_sandbox;

#[tokio::test]
async fn a_replaced_app_secret_drops_the_cached_token() {
    let w = work_sandbox().await;
    let to = w.all_members().await[0].clone();
    let body =
        json!({"recipients": {"users": [to]}, "content": {"msgtype": "text", "content": "x"}});
    let m = json_of(w.send(&w.admin, body.clone()).await, StatusCode::CREATED).await;
    assert_eq!(m["state"], "sent", "{m}");
    let agent_tokens = || async {
        wechat_token::Entity::find()
            .filter(wechat_token::Column::TokenKey.contains(":agent:"))
            .count(&w.app.db)
            .await
            .unwrap()
    };
    assert_eq!(agent_tokens().await, 1, "the app's token is cached");
    let r = w
        .admin
        .patch(
            &format!("/api/accounts/{}", w.id),
            &json!({"secret": "replaced_with_a_secret_wecom_does_not_know"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    assert_eq!(agent_tokens().await, 0, "dropped with the old secret");
    // The next call fetches with the new secret, which WeCom refuses: not sent with the old token.
    let m = json_of(w.send(&w.admin, body).await, StatusCode::CREATED).await;
    assert_eq!(m["state"], "failed", "{m}");
    assert_eq!(w.inbox(&to).await.len(), 1);
}
