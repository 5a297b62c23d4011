use api::staff::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    AES_KEY, OA_SECRET, assert_error, json_of, official_account, pay_merchant, spawn_app,
    spawn_app_with, work_app, work_suite,
};

#[tokio::test]
async fn all_four_kinds_can_be_created_and_read() {
    let app = spawn_app().await;
    let (c, _) = app.signed_in("oper", Role::Operator).await;

    let oa = json_of(
        c.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = oa["id"].as_i64().unwrap();
    assert_eq!(oa["kind"], "official_account");
    assert_eq!(oa["name"], "Test OA");
    assert_eq!(oa["environment"], "production");
    assert_eq!(oa["callback_url"], format!("http://wxportal.test/wx/{id}"));
    let s = &oa["settings"];
    assert_eq!(s["kind"], "official_account");
    assert_eq!(s["app_id"], "wxb11529c136998cb6");
    // The Token is sealed like a secret: masked for everyone, revealed to admins on demand.
    assert_eq!(s["token"], json!({"set": true, "masked": "••••••"}));
    assert_eq!(s["message_mode"], "safe");
    assert_eq!(s["original_id"], "gh_7f083739789a");
    assert_eq!(
        s["app_secret"],
        json!({"set": true, "masked": "01••••••zz"})
    );
    assert_eq!(s["encoding_aes_key"]["set"], true);
    assert!(oa["created_at"].as_str().unwrap().ends_with('Z'));

    let wa = json_of(
        c.post("/api/accounts", &work_app()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(wa["settings"]["corp_id"], "wx5823bf96d3bd56c7");
    assert_eq!(wa["settings"]["agent_id"], 1000002);
    assert_eq!(wa["settings"]["contacts_secret"]["set"], true);
    assert!(
        wa["callback_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/wx/{}", wa["id"]))
    );

    let pm = json_of(
        c.post("/api/accounts", &pay_merchant()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(pm["callback_url"], Value::Null);
    assert_eq!(pm["settings"]["mch_id"], "10000100");
    assert_eq!(pm["settings"]["sign_type"], "HMAC-SHA256");
    assert_eq!(pm["settings"]["client_cert"]["set"], true);
    assert_eq!(pm["settings"]["api_key"]["masked"], "19••••••2d");

    let ws = json_of(
        c.post("/api/accounts", &work_suite()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(ws["settings"]["suite_id"], "ww4asffe99e54c0fxxxx");
    assert_eq!(ws["settings"]["provider_corp_id"], "ww1234567890abcd");
    assert_eq!(ws["settings"]["provider_secret"]["set"], true);

    let all = json_of(c.get("/api/accounts").await, StatusCode::OK).await;
    assert_eq!(all.as_array().unwrap().len(), 4);
    let one = json_of(c.get(&format!("/api/accounts/{id}")).await, StatusCode::OK).await;
    assert_eq!(one, oa);

    let only_pay = json_of(
        c.get("/api/accounts?kind=pay_merchant").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(only_pay.as_array().unwrap().len(), 1);
    let search = json_of(c.get("/api/accounts?q=SUITE").await, StatusCode::OK).await;
    assert_eq!(search.as_array().unwrap().len(), 1);
    assert_eq!(search[0]["kind"], "work_suite");
    let by_key = json_of(c.get("/api/accounts?q=wxb11529").await, StatusCode::OK).await;
    assert_eq!(by_key[0]["id"], id);
    assert_error(
        c.get("/api/accounts?kind=bogus").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    // Viewers read.
    let (v, _) = app.signed_in("viewer", Role::Viewer).await;
    assert_eq!(
        json_of(v.get("/api/accounts").await, StatusCode::OK).await,
        all
    );
    assert_error(
        v.post("/api/accounts", &official_account("wxd930ea5d5a258f4f"))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn plain_mode_needs_no_aes_key_and_other_modes_do() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let mut oa = official_account("wxb11529c136998cb6");
    oa["encoding_aes_key"] = Value::Null;
    let body = assert_error(
        c.post("/api/accounts", &oa).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(body["error"]["fields"][0]["field"], "encoding_aes_key");
    assert_eq!(body["error"]["fields"][0]["code"], "required");
    oa["message_mode"] = json!("plain");
    let created = json_of(c.post("/api/accounts", &oa).await, StatusCode::CREATED).await;
    assert_eq!(
        created["settings"]["encoding_aes_key"],
        json!({"set": false, "masked": ""})
    );
    let id = created["id"].as_i64().unwrap();
    // Switching to safe mode without a key is refused; with one it works.
    assert_error(
        c.patch(
            &format!("/api/accounts/{id}"),
            &json!({"message_mode": "safe"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let updated = json_of(
        c.patch(
            &format!("/api/accounts/{id}"),
            &json!({"message_mode": "safe", "encoding_aes_key": AES_KEY}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["settings"]["message_mode"], "safe");
    assert_eq!(updated["settings"]["encoding_aes_key"]["set"], true);
}

#[tokio::test]
async fn validation_reports_every_bad_field() {
    let app = spawn_app().await;
    let c = app.admin().await;
    let bad = json!({
        "kind": "official_account", "name": "", "app_id": "wx123", "app_secret": "short",
        "token": "a b", "encoding_aes_key": "tooshort", "message_mode": "safe", "original_id": "7f08"
    });
    let body = assert_error(
        c.post("/api/accounts", &bad).await,
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
            ("name", "required"),
            ("app_id", "app_id_format"),
            ("app_secret", "app_secret_format"),
            ("token", "token_format"),
            ("encoding_aes_key", "encoding_aes_key_format"),
            ("original_id", "original_id_format"),
        ]
    );
    assert_error(
        c.post("/api/accounts", &json!({"kind": "nope", "name": "x"}))
            .await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    // PATCH: fields of another kind are refused by name.
    let created = json_of(
        c.post("/api/accounts", &pay_merchant()).await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let body = assert_error(
        c.patch(
            &format!("/api/accounts/{id}"),
            &json!({"token": "abcdef", "mch_id": "12"}),
        )
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
        [("token", "not_for_kind"), ("mch_id", "mch_id_format")]
    );
}

#[tokio::test]
async fn duplicate_credentials_conflict() {
    let app = spawn_app().await;
    let c = app.admin().await;
    json_of(
        c.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_error(
        c.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    json_of(
        c.post("/api/accounts", &work_app()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_error(
        c.post("/api/accounts", &work_app()).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let mut other_agent = work_app();
    other_agent["agent_id"] = json!(1000003);
    json_of(
        c.post("/api/accounts", &other_agent).await,
        StatusCode::CREATED,
    )
    .await;
    json_of(
        c.post("/api/accounts", &pay_merchant()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_error(
        c.post("/api/accounts", &pay_merchant()).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    json_of(
        c.post("/api/accounts", &work_suite()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_error(
        c.post("/api/accounts", &work_suite()).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // Renaming into a taken app_id conflicts as well.
    let second = json_of(
        c.post("/api/accounts", &official_account("wxd930ea5d5a258f4f"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = second["id"].as_i64().unwrap();
    assert_error(
        c.patch(
            &format!("/api/accounts/{id}"),
            &json!({"app_id": "wxb11529c136998cb6"}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn operators_edit_settings_but_only_admins_replace_secrets() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (op, _) = app.signed_in("oper", Role::Operator).await;
    let created = json_of(
        op.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/accounts/{id}");

    let updated = json_of(
        op.patch(
            &path,
            &json!({"name": "Renamed", "original_id": "gh_0123456789ab"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["settings"]["original_id"], "gh_0123456789ab");
    // Replacing the Token is replacing a secret.
    assert_error(
        op.patch(&path, &json!({"token": "newtoken"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        updated["settings"]["app_secret"],
        created["settings"]["app_secret"]
    );

    let new_secret = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
    assert_error(
        op.patch(&path, &json!({"app_secret": new_secret})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // A null secret keeps the stored value and is allowed.
    json_of(
        op.patch(&path, &json!({"app_secret": null, "name": "Again"}))
            .await,
        StatusCode::OK,
    )
    .await;

    let replaced = json_of(
        admin.patch(&path, &json!({"app_secret": new_secret})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(replaced["settings"]["app_secret"]["masked"], "ZY••••••54");
    assert_ne!(
        replaced["settings"]["app_secret"],
        created["settings"]["app_secret"]
    );

    // Deleting an account (and its data) is for admins.
    assert_error(op.delete(&path).await, StatusCode::FORBIDDEN, "forbidden").await;
    let r = admin.delete(&path).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_error(op.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(
        admin.delete(&path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        op.patch(&path, &json!({"name": "x"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let _ = OA_SECRET;
}

#[tokio::test]
async fn credentials_generator_matches_wechat_formats() {
    let app = spawn_app().await;
    let (c, _) = app.signed_in("oper", Role::Operator).await;
    let a = json_of(c.get("/api/tools/credentials").await, StatusCode::OK).await;
    let b = json_of(c.get("/api/tools/credentials").await, StatusCode::OK).await;
    let token = a["token"].as_str().unwrap();
    let key = a["encoding_aes_key"].as_str().unwrap();
    assert_eq!(token.len(), 32);
    assert_eq!(key.len(), 43);
    assert!(
        token
            .bytes()
            .chain(key.bytes())
            .all(|b| b.is_ascii_alphanumeric())
    );
    assert_ne!(a, b);
}

#[tokio::test]
async fn environment_defaults_to_the_sandbox_when_started_with_it() {
    let app = spawn_app_with(|s| s.sandbox = true).await;
    let c = app.admin().await;
    let a = json_of(
        c.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(a["environment"], "sandbox");
    let mut prod = official_account("wxd930ea5d5a258f4f");
    prod["environment"] = json!("production");
    let b = json_of(c.post("/api/accounts", &prod).await, StatusCode::CREATED).await;
    assert_eq!(b["environment"], "production");
    let id = b["id"].as_i64().unwrap();
    let c2 = json_of(
        c.patch(
            &format!("/api/accounts/{id}"),
            &json!({"environment": "sandbox"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(c2["environment"], "sandbox");
}

#[tokio::test]
async fn account_routes_serve_only_their_kinds() {
    let app = spawn_app().await;
    let (c, _) = app.signed_in("viewer", Role::Viewer).await;
    let admin = app.admin().await;
    let mut ids = Vec::new();
    for body in [
        official_account("wxb11529c136998cb6"),
        work_app(),
        pay_merchant(),
        work_suite(),
    ] {
        let created = json_of(
            admin.post("/api/accounts", &body).await,
            StatusCode::CREATED,
        )
        .await;
        ids.push(created["id"].as_i64().unwrap());
    }
    let [oa, work, merchant, suite] = ids[..] else {
        unreachable!()
    };
    let missing = suite + 1000;

    // (path, the kinds it serves)
    let families: [(&str, &[i64]); 8] = [
        ("/api/accounts/{}/followers", &[oa]),
        ("/api/accounts/{}/followers/o-nobody", &[]),
        ("/api/accounts/{}/drafts", &[oa]),
        ("/api/accounts/{}/reply-rules", &[oa, work]),
        ("/api/accounts/{}/conversations", &[oa, work]),
        ("/api/accounts/{}/deliveries", &[oa, work, suite]),
        ("/api/pay/merchants/{}/products", &[merchant]),
        ("/api/pay/merchants/{}/reconciliations", &[merchant]),
    ];
    for (path, serves) in families {
        for id in [oa, work, merchant, suite, missing] {
            let r = c.get(&path.replace("{}", &id.to_string())).await;
            if serves.contains(&id) {
                assert_eq!(r.status(), StatusCode::OK, "{path} of {id}");
            } else {
                assert_error(r, StatusCode::NOT_FOUND, "not_found").await;
            }
        }
    }
    assert_error(
        c.get("/api/accounts/abc/followers").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

/// The Token forges plain-mode pushes: nobody reads it from the account, an admin reveals it
/// on demand (audited), and the database holds it only sealed.
#[tokio::test]
async fn the_token_is_sealed_and_revealed_only_to_admins() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (op, _) = app.signed_in("oper", Role::Operator).await;
    let (viewer, _) = app.signed_in("view", Role::Viewer).await;
    let created = json_of(
        op.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let reveal = format!("/api/accounts/{id}/reveal");

    for c in [&viewer, &op] {
        let a = json_of(c.get(&format!("/api/accounts/{id}")).await, StatusCode::OK).await;
        assert!(!a.to_string().contains("pamtest"), "{a}");
        assert_error(
            c.post(&reveal, &json!({"field": "token"})).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let shown = json_of(
        admin.post(&reveal, &json!({"field": "token"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shown, json!({"field": "token", "value": "pamtest"}));
    // Secrets that come from WeChat are never shown again, not even to admins.
    assert_error(
        admin.post(&reveal, &json!({"field": "app_secret"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;

    let audit = json_of(
        admin
            .get(&format!("/api/audit?target_type=account&target_id={id}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(
        audit.to_string().contains("account.secret_reveal"),
        "{audit}"
    );

    // Not in clear anywhere in the account's rows.
    use sea_orm::EntityTrait;
    let row = wxportal::entities::account::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.settings.contains("pamtest"), "{}", row.settings);
    let secrets = wxportal::entities::account_secret::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(secrets.iter().any(|s| s.field == "token"));
    assert!(secrets.iter().all(|s| !s.ciphertext.contains("pamtest")));
}

/// Lowering the message mode or the pay signature, or switching environment, lets forged or
/// weaker traffic in: admin only.
#[tokio::test]
async fn security_downgrades_need_an_admin() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (op, _) = app.signed_in("oper", Role::Operator).await;
    let oa = json_of(
        op.post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/api/accounts/{}", oa["id"]);
    for body in [
        json!({"message_mode": "plain"}),
        json!({"message_mode": "compatible"}),
        json!({"environment": "sandbox"}),
    ] {
        assert_error(
            op.patch(&path, &body).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let a = json_of(op.get(&path).await, StatusCode::OK).await;
    assert_eq!(a["settings"]["message_mode"], "safe");
    // Raising protection needs no admin; lowering it again does.
    let lowered = json_of(
        admin
            .patch(&path, &json!({"message_mode": "compatible"}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(lowered["settings"]["message_mode"], "compatible");
    let raised = json_of(
        op.patch(&path, &json!({"message_mode": "safe"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(raised["settings"]["message_mode"], "safe");

    let pm = json_of(
        op.post("/api/accounts", &pay_merchant()).await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!("/api/accounts/{}", pm["id"]);
    assert_error(
        op.patch(&path, &json!({"sign_type": "MD5"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let a = json_of(
        admin.patch(&path, &json!({"sign_type": "MD5"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["settings"]["sign_type"], "MD5");
}

/// A merchant's paid orders are its books: deleting the merchant would cascade them away.
#[tokio::test]
async fn a_merchant_with_paid_orders_cannot_be_deleted() {
    use sea_orm::{EntityTrait, Set};
    use wxportal::pay::entities::order;
    let app = spawn_app().await;
    let admin = app.admin().await;
    let pm = json_of(
        admin.post("/api/accounts", &pay_merchant()).await,
        StatusCode::CREATED,
    )
    .await;
    let id = pm["id"].as_i64().unwrap();
    let now = time::OffsetDateTime::now_utc();
    order::Entity::insert(order::ActiveModel {
        account_id: Set(id),
        out_trade_no: Set("T20261207000001".into()),
        body: Set("A paid order".into()),
        total_fee: Set(100),
        fee_type: Set("CNY".into()),
        trade_type: Set("NATIVE".into()),
        sign_type: Set("HMAC-SHA256".into()),
        state: Set(wxportal::entities::db_enum::DbEnum(
            api::pay::OrderState::Success,
        )),
        transaction_id: Set(Some("4200000000202612070000000001".into())),
        refunded_fee: Set(0),
        time_start: Set(now),
        time_expire: Set(now),
        time_end: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .unwrap();
    let path = format!("/api/accounts/{id}");
    assert_error(admin.delete(&path).await, StatusCode::CONFLICT, "conflict").await;
    json_of(admin.get(&path).await, StatusCode::OK).await;
    assert_eq!(
        order::Entity::find().all(&app.db).await.unwrap().len(),
        1,
        "the order is kept"
    );
}

/// Tokens stored in clear by earlier versions are sealed at the next start.
#[tokio::test]
async fn tokens_stored_in_clear_are_sealed_at_startup() {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
    use wxportal::entities::{account, account_secret};
    let app = spawn_app().await;
    let admin = app.admin().await;
    let created = json_of(
        admin
            .post("/api/accounts", &official_account("wxb11529c136998cb6"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    // What an earlier version stored: the Token in the settings, no sealed row.
    account_secret::Entity::delete_many()
        .filter(account_secret::Column::AccountId.eq(id))
        .filter(account_secret::Column::Field.eq("token"))
        .exec(&app.db)
        .await
        .unwrap();
    let row = account::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut settings: Value = serde_json::from_str(&row.settings).unwrap();
    settings["token"] = json!("pamtest");
    let mut active = row.into_active_model();
    active.settings = Set(settings.to_string());
    active.update(&app.db).await.unwrap();

    let restarted = wxportal::Application::build(app.settings.clone())
        .await
        .unwrap();
    drop(restarted);

    let row = account::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!row.settings.contains("pamtest"), "{}", row.settings);
    let shown = json_of(
        admin
            .post(
                &format!("/api/accounts/{id}/reveal"),
                &json!({"field": "token"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(shown["value"], "pamtest");
}
