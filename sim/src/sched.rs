//! Time-driven events on the emulated clock. A background task wakes every 200 ms (and at once
//! when the clock is advanced), takes the jobs that are due and runs them.

use std::sync::{Arc, Weak};
use std::time::Duration;

use serde::Serialize;

use crate::state::Sim;

/// A job waiting for its time.
#[derive(Debug, Clone, Serialize)]
pub struct Scheduled {
    /// Emulated unix second when it becomes due.
    pub due: i64,
    /// What to do.
    pub job: Job,
}

/// What a job does.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// (Re)send the payment result notify of an order; `attempt` counts from 0.
    PayNotify {
        /// mch_id.
        mch_id: String,
        /// out_trade_no.
        out_trade_no: String,
        /// Attempt number.
        attempt: usize,
    },
    /// Push a suite_ticket (every 10 minutes of emulated time).
    SuiteTicket {
        /// suite id.
        suite_id: String,
    },
    /// Push an OA event (e.g. `TEMPLATESENDJOBFINISH`) to the account's callback URL.
    OaEvent {
        /// appid.
        appid: String,
        /// FromUserName.
        openid: String,
        /// Plaintext XML.
        xml: String,
    },
    /// Finish a freepublish job.
    OaPublishFinish {
        /// appid.
        appid: String,
        /// publish_id.
        publish_id: String,
    },
    /// Finish a mass send.
    OaMassFinish {
        /// appid.
        appid: String,
        /// msg_id.
        msg_id: i64,
    },
    /// (Re)send a refund notify.
    RefundNotify {
        /// mch_id.
        mch_id: String,
        /// out_refund_no.
        out_refund_no: String,
        /// Attempt number.
        attempt: usize,
    },
}

pub(crate) fn start(sim: &Arc<Sim>) {
    // Only a weak reference is kept between ticks, so dropping the last `Arc<Sim>` ends the
    // task.
    let weak: Weak<Sim> = Arc::downgrade(sim);
    let wake = sim.wake.clone();
    tokio::spawn(async move {
        loop {
            {
                let Some(sim) = weak.upgrade() else { return };
                for job in take_due(&sim) {
                    let s = sim.clone();
                    tokio::spawn(async move { run(s, job).await });
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                _ = wake.notified() => {}
            }
        }
    });
}

fn take_due(sim: &Sim) -> Vec<Scheduled> {
    let now = sim.now();
    sim.with(|s| {
        let mut due = Vec::new();
        let mut i = 0;
        while i < s.jobs.len() {
            if s.jobs[i].due <= now {
                due.push(s.jobs.remove(i));
            } else {
                i += 1;
            }
        }
        due
    })
}

async fn run(sim: Arc<Sim>, scheduled: Scheduled) {
    // Retry schedules count from when a job was due, not from when it ran, so a big clock
    // jump replays every missed attempt (one per scheduler tick).
    let due = scheduled.due;
    match scheduled.job {
        Job::PayNotify {
            mch_id,
            out_trade_no,
            attempt,
        } => crate::pay::notify::send_pay_notify(&sim, &mch_id, &out_trade_no, attempt, due).await,
        Job::OaEvent { appid, openid, xml } => {
            if let Some(cfg) = sim.with(|s| s.oa.get(&appid).map(|a| a.cfg.clone())) {
                crate::callback::oa::deliver(&sim, &cfg, &openid, xml, false).await;
            }
        }
        Job::OaPublishFinish { appid, publish_id } => {
            crate::oa::draft::finish(&sim, &appid, &publish_id).await
        }
        Job::OaMassFinish { appid, msg_id } => crate::oa::mass::finish(&sim, &appid, msg_id).await,
        Job::SuiteTicket { suite_id } => crate::suite::ticket_job(&sim, &suite_id).await,
        Job::RefundNotify {
            mch_id,
            out_refund_no,
            attempt,
        } => {
            crate::pay::notify::send_refund_notify(&sim, &mch_id, &out_refund_no, attempt, due)
                .await
        }
    }
}
