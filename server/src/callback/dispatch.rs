//! Event dispatch: what a stored message or event changes in the features that care about it.
//!
//! Each feature owns its handler, in its own folder, and registers it in [`HANDLERS`], the one
//! list of them. The pipeline calls [`apply`] for a newly stored message (and for a retry of
//! one whose dispatch never completed), after storing it and before deciding the reply; a new event kind is a handler in its
//! feature and one line here, not a change to the pipeline.
//!
//! Guarantees, the same for every handler:
//! - handlers run one after another, in the order of [`HANDLERS`], each on the database
//!   connection itself (no surrounding transaction: what a handler stored stays stored);
//! - the first failure stops the dispatch and fails the delivery (recorded as an internal error
//!   and answered 500). The message is stored but not marked dispatched, so WeChat's retry (or,
//!   later, the sweeper of [`super::handling`]) runs the dispatch again: every handler runs at
//!   least once per message, and one that ran before a failure or crash may run twice, so
//!   handlers must tolerate seeing the same `inbound_id` again.
//!
//! Suite instructions (a WeCom suite's instruction URL) are not messages and are not stored:
//! the pipeline hands them to [`crate::wecom::suite::apply`], whose note becomes the delivery's
//! diagnosis.

use async_trait::async_trait;
use wechat::message::{Event, InboundMessage, MessageKind};

use crate::{error::AppResult, state::AppState};

/// Who a callback was addressed to (suite instructions never reach the dispatch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receiver {
    OfficialAccount,
    WorkApp,
}

/// A newly stored message or event of one account.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    pub account_id: i64,
    pub receiver: Receiver,
    /// The `inbound_messages` row the pipeline stored for it.
    pub inbound_id: i64,
    pub msg: &'a InboundMessage,
    /// The decrypted XML, as WeChat sent it.
    pub xml: &'a str,
}

impl NewMessage<'_> {
    /// The event, when the message is one.
    pub fn event(&self) -> Option<&Event> {
        match &self.msg.kind {
            MessageKind::Event(e) => Some(e),
            _ => None,
        }
    }
}

/// One feature's reaction to events.
#[async_trait]
pub trait EventHandler: Sync {
    /// Whether [`EventHandler::apply`] has anything to do with this event (cheap, no I/O).
    fn applies(&self, message: &NewMessage<'_>) -> bool;

    /// Acts on the event.
    async fn apply(&self, state: &AppState, message: &NewMessage<'_>) -> AppResult<()>;
}

/// Every handler, in the order they run.
pub static HANDLERS: &[&dyn EventHandler] = &[
    // subscribe / unsubscribe / SCAN → the follower record
    &crate::oa::followers::events::Followers,
    // PUBLISHJOBFINISH → the article draft's publish outcome
    &crate::oa::drafts::events::Publish,
    // TEMPLATESENDJOBFINISH / MASSSENDJOBFINISH / PUBLISHJOBFINISH → wechat_job_events
    &super::events::JobEvents,
    // change_contact of a WeCom app → wecom_contact_changes
    &crate::wecom::contacts::ContactChanges,
    // MASSSENDJOBFINISH of an Official Account → the mass send's outcome
    &crate::oa::mass::events::MassFinish,
    // TEMPLATESENDJOBFINISH of an Official Account → the recipient's delivery state
    &crate::oa::templates::events::TemplateFinish,
    // subscribe through a QR code / SCAN → the code's scan statistics
    &crate::oa::qrcodes::events::QrScans,
    // change_contact of a WeCom app → re-read the ids it names into the contacts mirror
    &crate::wecom::contacts::events::ContactMirror,
];

/// Whether any handler applies to `message` (cheap, no I/O).
pub fn any_applies(message: &NewMessage<'_>) -> bool {
    HANDLERS.iter().any(|h| h.applies(message))
}

/// Runs every handler that applies to `message`, in order; stops at the first failure.
pub async fn apply(state: &AppState, message: &NewMessage<'_>) -> AppResult<()> {
    for handler in HANDLERS {
        if handler.applies(message) {
            handler.apply(state, message).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use wechat::message::{ContactChange, Header};

    use super::*;

    fn message(kind: MessageKind) -> InboundMessage {
        InboundMessage {
            header: Header {
                to_user_name: "gh_1".into(),
                from_user_name: "o1".into(),
                create_time: 1_700_000_000,
                agent_id: None,
            },
            kind,
            extra: Vec::new(),
        }
    }

    /// The positions in [`HANDLERS`] of the handlers that apply.
    fn applying(receiver: Receiver, event: Event) -> Vec<usize> {
        let msg = message(MessageKind::Event(event));
        let new = NewMessage {
            account_id: 1,
            receiver,
            inbound_id: 1,
            msg: &msg,
            xml: "",
        };
        HANDLERS
            .iter()
            .enumerate()
            .filter(|(_, h)| h.applies(&new))
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn each_event_reaches_the_handlers_it_did_before() {
        use Receiver::{OfficialAccount as Oa, WorkApp as Work};
        let subscribe = || Event::Subscribe {
            event_key: None,
            ticket: None,
        };
        let scan = || Event::Scan {
            event_key: "7".into(),
            ticket: None,
        };
        let publish = || Event::PublishJobFinish {
            publish_id: "p1".into(),
            publish_status: 0,
            article_id: None,
            articles: Vec::new(),
            fail_idx: Vec::new(),
        };
        let template = || Event::TemplateSendJobFinish {
            msg_id: "1".into(),
            status: "success".into(),
        };
        let mass = || Event::MassSendJobFinish {
            msg_id: "1".into(),
            status: "send success".into(),
            total_count: None,
            filter_count: None,
            sent_count: None,
            error_count: None,
        };
        let contact = || {
            Event::ChangeContact(ContactChange::DeleteUser {
                user_id: "u1".into(),
            })
        };
        // Followers, then publish outcome, then job events, then contact changes.
        assert_eq!(applying(Oa, subscribe()), [0]);
        assert_eq!(applying(Oa, Event::Unsubscribe), [0]);
        assert_eq!(applying(Oa, scan()), [0, 6]);
        // A subscription through a QR code is also a scan of that code.
        let qr_subscribe = Event::Subscribe {
            event_key: Some("qrscene_7".into()),
            ticket: Some("t".into()),
        };
        assert_eq!(applying(Oa, qr_subscribe), [0, 6]);
        assert_eq!(applying(Oa, publish()), [1, 2]);
        assert_eq!(applying(Oa, template()), [2, 5]);
        assert_eq!(applying(Oa, contact()), [3]);
        // Mass and template outcomes are Official Account features.
        assert_eq!(applying(Oa, mass()), [2, 4]);
        assert_eq!(applying(Work, mass()), [2]);
        // Follower records and drafts are Official Account features only.
        assert!(applying(Work, subscribe()).is_empty());
        assert_eq!(applying(Work, publish()), [2]);
        assert_eq!(applying(Work, template()), [2]);
        // A WeCom app's contact change is recorded and re-read into the contacts mirror.
        assert_eq!(applying(Work, contact()), [3, 7]);
        assert!(
            applying(
                Oa,
                Event::Click {
                    event_key: "k".into()
                }
            )
            .is_empty()
        );
        // Plain messages are no event.
        let text = message(MessageKind::Text {
            content: "hi".into(),
            msg_id: None,
        });
        let new = NewMessage {
            account_id: 1,
            receiver: Oa,
            inbound_id: 1,
            msg: &text,
            xml: "",
        };
        assert!(HANDLERS.iter().all(|h| !h.applies(&new)));
    }
}
