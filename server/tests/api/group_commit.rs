//! The group-commit writer (`wxportal::group_commit`): concurrent jobs share transactions, yet
//! each one is its own: a job that fails or discards its writes leaves the others' committed
//! (on PostgreSQL a failed statement would otherwise abort the whole batch), and a caller hears
//! of its job only once it is committed.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Set, Statement,
};
use time::OffsetDateTime;
use wxportal::callback::batch::{NewCallback, Written};
use wxportal::entities::{
    callback_delivery::{self, CallbackOutcome},
    inbound_message,
    outbound_message::{self, SendStatus},
};
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

/// A new callback as the pipeline hands it to the writer: message `key` of `account`, one
/// passive reply and one reply queued for the API.
fn new_callback(account: i64, key: &str) -> NewCallback {
    let now = OffsetDateTime::now_utc();
    let reply = |channel: &str, status: SendStatus| outbound_message::ActiveModel {
        account_id: Set(account),
        to_user: Set("o_follower".into()),
        inbound_id: Set(None),
        channel: Set(channel.into()),
        msg_type: Set("text".into()),
        content: Set("hi".into()),
        body: Set("hi".into()),
        status: Set(status.into()),
        error: Set(None),
        rule_id: Set(None),
        staff_id: Set(None),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(None),
        lease_until: Set(None),
        sent_at: Set(None),
        ..Default::default()
    };
    NewCallback {
        account_id: account,
        dedup_key: key.into(),
        message: inbound_message::ActiveModel {
            account_id: Set(account),
            dedup_key: Set(key.into()),
            from_user: Set("o_follower".into()),
            to_user: Set("gh_probe".into()),
            msg_type: Set("text".into()),
            event: Set(None),
            event_key: Set(None),
            msg_id: Set(Some(key.into())),
            content: Set(Some("hello".into())),
            create_time: Set(now.unix_timestamp()),
            raw_xml: Set("<xml/>".into()),
            parsed: Set("{}".into()),
            rule_id: Set(None),
            reply_xml: Set(Some("<xml>hi</xml>".into())),
            received_at: Set(now),
            dispatched_at: Set(Some(now)),
            handled_at: Set(Some(now)),
            claimed_until: Set(None),
            ..Default::default()
        },
        replies: vec![
            reply("passive", SendStatus::Sent),
            // Queued rows wait for the delivery worker, which only looks at existing accounts'.
            reply("kf", SendStatus::Failed),
        ],
        delivery: callback_delivery::ActiveModel {
            account_id: Set(account),
            received_at: Set(now),
            method: Set("POST".into()),
            query: Set(String::new()),
            body: Set("<xml/>".into()),
            outcome: Set(CallbackOutcome::Accepted.into()),
            status_code: Set(200),
            diagnosis: Set(None),
            decrypted_xml: Set(None),
            inbound_id: Set(None),
            dedup_hit: Set(false),
            duration_ms: Set(0),
            reply_mode: Set("passive".into()),
            reply_xml: Set(None),
            replay: Set(false),
            replay_of: Set(None),
            ..Default::default()
        },
        rule_id: None,
        hung_up: None,
        started: std::time::Instant::now(),
    }
}

/// New callbacks are written together in multi-row inserts (`callback::batch`): a message met
/// twice is stored once and the other copy told it is a duplicate; a row the database refuses
/// (an unknown account) fails only its own callback, the rest are written one by one; every
/// stored message has its replies and its delivery record.
#[tokio::test]
async fn new_callbacks_written_together_keep_duplicates_and_bad_rows_apart() {
    let app = spawn_app().await;
    let account = crate::callback::create_oa(&app, "safe").await;
    let writer = app.state.writer.clone();
    let keys: Vec<String> = (0..40).map(|i| format!("key-{i:02}")).collect();
    let calls: Vec<_> = (0..40)
        .map(|i| {
            let (writer, db) = (writer.clone(), app.state.db.clone());
            // Copy 6 repeats message 5; copy 13 names an account that does not exist.
            let key = if i == 6 {
                keys[5].clone()
            } else {
                keys[i].clone()
            };
            let owner = if i == 13 { 999_999 } else { account };
            let new = new_callback(owner, &key);
            tokio::spawn(async move { writer.store_callback(&db, new).await })
        })
        .collect();
    let mut results = Vec::new();
    for call in calls {
        results.push(call.await.unwrap());
    }

    let mut handled = Vec::new();
    let mut duplicates = 0;
    for (i, result) in results.iter().enumerate() {
        match result {
            Ok(Written::Handled {
                inbound_id,
                delivery_id,
                queued,
            }) => {
                assert!(queued.is_empty(), "nothing was pending");
                handled.push((*inbound_id, *delivery_id));
            }
            Ok(Written::Duplicate) => {
                assert!(
                    i == 5 || i == 6,
                    "only a copy of message 5 is a duplicate: {i}"
                );
                duplicates += 1;
            }
            other => assert_eq!(i, 13, "only the unknown account fails: {i} {other:?}"),
        }
    }
    assert!(results[13].is_err());
    assert_eq!(duplicates, 1);
    let (jobs, batches) = writer.counts();
    assert!(
        batches < jobs,
        "40 concurrent callbacks share transactions ({batches} for {jobs})"
    );
    assert_eq!(handled.len(), 38);

    let messages = inbound_message::Entity::find()
        .filter(inbound_message::Column::AccountId.eq(account))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        messages.len(),
        38,
        "each message once, the bad one not at all"
    );
    for (inbound_id, delivery_id) in handled {
        let d = callback_delivery::Entity::find_by_id(delivery_id)
            .one(&app.db)
            .await
            .unwrap()
            .expect("the delivery record");
        assert_eq!(d.inbound_id, Some(inbound_id));
        let replies = outbound_message::Entity::find()
            .filter(outbound_message::Column::InboundId.eq(inbound_id))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(replies, 2, "message {inbound_id}'s replies");
    }
}
