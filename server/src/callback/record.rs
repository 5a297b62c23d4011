//! The delivery record of one callback (`callback_deliveries`), filled as the pipeline goes and
//! written once at its end, for the inspector. A rejected body is stored bounded.

use std::time::Instant;

use axum::http::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use time::OffsetDateTime;

use super::pipeline::Outcome;
use crate::{
    entities::{
        callback_delivery::{self, CallbackOutcome},
        db_enum::DbEnum,
    },
    state::AppState,
    util,
};

/// The delivery record, filled as the pipeline goes.
pub(super) struct Record {
    pub(super) account_id: i64,
    pub(super) started: Instant,
    pub(super) received_at: OffsetDateTime,
    pub(super) method: &'static str,
    pub(super) query: String,
    pub(super) body: String,
    pub(super) outcome: CallbackOutcome,
    pub(super) status: StatusCode,
    pub(super) diagnosis: Option<String>,
    pub(super) decrypted: Option<String>,
    pub(super) inbound_id: Option<i64>,
    pub(super) dedup_hit: bool,
    pub(super) reply_mode: &'static str,
    pub(super) reply_xml: Option<String>,
    pub(super) replay_of: Option<i64>,
    /// Written already, with the message it records (see [`Record::accepted_delivery`]).
    pub(super) saved_as: Option<i64>,
}

impl Record {
    pub(super) fn new(account_id: i64, method: &'static str, query: &str, body: &str) -> Record {
        Record {
            account_id,
            started: Instant::now(),
            received_at: OffsetDateTime::now_utc(),
            method,
            query: query.to_string(),
            body: body.to_string(),
            outcome: CallbackOutcome::Rejected,
            status: StatusCode::FORBIDDEN,
            diagnosis: None,
            decrypted: None,
            inbound_id: None,
            dedup_hit: false,
            reply_mode: "none",
            reply_xml: None,
            replay_of: None,
            saved_as: None,
        }
    }

    pub(super) fn reject(&mut self, status: StatusCode, diagnosis: String) {
        self.outcome = CallbackOutcome::Rejected;
        self.status = status;
        self.diagnosis = Some(diagnosis);
    }

    /// A rejected delivery keeps a bounded prefix of its body (none once the account had
    /// [`util::REJECTED_BODIES_PER_MINUTE`] rejections this minute) with its length and hash:
    /// forged callbacks must not fill the disk. Others keep their body whole.
    async fn stored_body(&mut self, state: &AppState) -> String {
        let body = std::mem::take(&mut self.body);
        if self.outcome != CallbackOutcome::Rejected {
            return body;
        }
        let recent = callback_delivery::Entity::find()
            .filter(callback_delivery::Column::AccountId.eq(self.account_id))
            .filter(callback_delivery::Column::Outcome.eq(DbEnum(CallbackOutcome::Rejected)))
            .filter(
                callback_delivery::Column::ReceivedAt.gt(self.received_at - time::Duration::MINUTE),
            )
            .count(&state.db)
            .await
            .unwrap_or(u64::MAX);
        let (kept, note) = util::rejected_body(&body, recent < util::REJECTED_BODIES_PER_MINUTE);
        self.diagnosis = util::with_note(self.diagnosis.take(), note);
        kept
    }

    /// The record of this delivery once accepted with `reply_mode` and `reply_xml`, for the
    /// transaction that stores its message (which sets `inbound_id`); its body is kept whole.
    pub(super) fn accepted_delivery(
        &self,
        reply_mode: &'static str,
        reply_xml: Option<String>,
    ) -> callback_delivery::ActiveModel {
        let mut am = self.model(self.body.clone(), CallbackOutcome::Accepted, StatusCode::OK);
        am.reply_mode = Set(reply_mode.to_string());
        am.reply_xml = Set(reply_xml);
        am
    }

    fn model(
        &self,
        body: String,
        outcome: CallbackOutcome,
        status: StatusCode,
    ) -> callback_delivery::ActiveModel {
        callback_delivery::ActiveModel {
            account_id: Set(self.account_id),
            received_at: Set(self.received_at),
            method: Set(self.method.to_string()),
            query: Set(self.query.clone()),
            body: Set(body),
            outcome: Set(outcome.into()),
            status_code: Set(i32::from(status.as_u16())),
            diagnosis: Set(self.diagnosis.clone()),
            decrypted_xml: Set(self.decrypted.clone()),
            inbound_id: Set(self.inbound_id),
            dedup_hit: Set(self.dedup_hit),
            duration_ms: Set(i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX)),
            reply_mode: Set(self.reply_mode.to_string()),
            reply_xml: Set(self.reply_xml.clone()),
            replay: Set(self.replay_of.is_some()),
            replay_of: Set(self.replay_of),
            ..Default::default()
        }
    }

    pub(super) async fn save(mut self, state: &AppState, body: String, xml: bool) -> Outcome {
        let status = self.status;
        if let Some(id) = self.saved_as {
            return Outcome {
                status,
                body,
                xml,
                delivery_id: Some(id),
            };
        }
        let stored = self.stored_body(state).await;
        let am = self.model(stored, self.outcome, status);
        let delivery_id = match am.insert(&state.db).await {
            Ok(m) => Some(m.id),
            Err(e) => {
                tracing::warn!(error = %e, account_id = self.account_id, "recording a callback delivery failed");
                None
            }
        };
        if let Some(d) = &self.diagnosis {
            tracing::info!(account_id = self.account_id, status = status.as_u16(), diagnosis = %d, "callback rejected");
        }
        Outcome {
            status,
            body,
            xml,
            delivery_id,
        }
    }
}
