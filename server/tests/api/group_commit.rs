//! The group-commit writer (`wxportal::group_commit`): concurrent jobs share transactions, yet
//! each one is its own: a job that fails or discards its writes leaves the others' committed
//! (on PostgreSQL a failed statement would otherwise abort the whole batch), and a caller hears
//! of its job only once it is committed.

use sea_orm::{ConnectionTrait, DbErr, Statement};
use wxportal::group_commit::Step;

use crate::helpers::spawn_app;

async fn exec(db: &impl ConnectionTrait, sql: &str) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .map(|_| ())
}

async fn stored(db: &impl ConnectionTrait) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT v FROM gc_probe ORDER BY v",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", "v").unwrap())
        .collect()
}

#[tokio::test]
async fn a_failing_or_discarded_job_spares_the_rest_of_its_batch() {
    let app = spawn_app().await;
    exec(&app.db, "CREATE TABLE gc_probe (v VARCHAR(16) PRIMARY KEY)")
        .await
        .unwrap();
    exec(&app.db, "INSERT INTO gc_probe (v) VALUES ('k07')")
        .await
        .unwrap();
    let writer = app.state.writer.clone();
    let jobs: Vec<_> = (0..48)
        .map(|i| {
            let (writer, db) = (writer.clone(), app.state.db.clone());
            tokio::spawn(async move {
                writer
                    .run(&db, move |part| {
                        Box::pin(async move {
                            // k07 exists: this insert fails (a unique violation) inside the batch.
                            exec(
                                part.txn,
                                &format!("INSERT INTO gc_probe (v) VALUES ('k{i:02}')"),
                            )
                            .await?;
                            if i == 9 {
                                return Ok::<_, DbErr>(Step::Discard(i));
                            }
                            Ok(Step::Keep(i))
                        })
                    })
                    .await
            })
        })
        .collect();
    let mut results = Vec::new();
    for job in jobs {
        results.push(job.await.unwrap());
    }
    for (i, result) in results.iter().enumerate() {
        match i {
            7 => assert!(result.is_err(), "the duplicate insert fails: {result:?}"),
            _ => assert_eq!(result.as_ref().ok(), Some(&i), "job {i}"),
        }
    }
    let expected: Vec<String> = (0..48)
        .filter(|i| *i != 9)
        .map(|i| format!("k{i:02}"))
        .collect();
    assert_eq!(
        stored(&app.db).await,
        expected,
        "all but the discarded job's row"
    );
    let (jobs, batches) = writer.counts();
    assert_eq!(jobs, 48);
    assert!(
        batches < jobs,
        "48 concurrent jobs share transactions ({batches} for {jobs})"
    );
}
