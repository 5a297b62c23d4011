//! The migration chain goes up, all the way down, and up again on the chosen backend.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::TestDb;

const TABLES: [&str; 6] = [
    "staff_users",
    "sessions",
    "login_failures",
    "accounts",
    "account_secrets",
    "audit_log",
];

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    let test_db = TestDb::new().await;
    let db = wxportal::db::connect(&test_db.url).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let manager = migrations::SchemaManager::new(&db);
    for t in TABLES {
        assert!(manager.has_table(t).await.unwrap(), "{t} after up");
    }
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );

    Migrator::down(&db, None).await.unwrap();
    for t in TABLES {
        assert!(!manager.has_table(t).await.unwrap(), "{t} after down");
    }
    assert_eq!(
        Migrator::get_pending_migrations(&db).await.unwrap().len(),
        Migrator::migrations().len()
    );

    Migrator::up(&db, None).await.unwrap();
    for t in TABLES {
        assert!(manager.has_table(t).await.unwrap(), "{t} after second up");
    }
    // Applying again is a no-op.
    wxportal::db::migrate(&db).await.unwrap();
    assert_eq!(
        wxportal::entities::staff_user::Entity::find()
            .count(&db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn timestamps_round_trip() {
    use sea_orm::{ActiveModelTrait, Set};
    let test_db = TestDb::new().await;
    let db = wxportal::db::connect(&test_db.url).await.unwrap();
    wxportal::db::migrate(&db).await.unwrap();
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap();
    let saved = wxportal::entities::login_failure::ActiveModel {
        username: Set("x".into()),
        ip: Set("127.0.0.1".into()),
        at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let back = wxportal::entities::login_failure::Entity::find_by_id(saved.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.at, now);
}
