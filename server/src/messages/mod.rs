//! Messages: the log of inbound and outbound messages per account (filters, full-text search,
//! detail with the decrypted XML), conversations per follower/member, staff replies within the
//! 48-hour window, the asynchronous delivery worker ([`delivery`]), and the activity per day for
//! the overview's charts ([`stats`]).

pub mod delivery;
pub mod handlers;
pub mod queries;
pub mod service;
pub mod stats;

use api::Page;
use api::messages::{
    Conversation, ConversationSummary, DailyActivity, DailyQuery, MessageDetail, MessageItem,
    MessageQuery, StaffReplyRequest,
};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/messages", handlers::list)
            .viewer()
            .summary("Message log: inbound and outbound messages, newest first (filters, full-text q)")
            .response::<Page<MessageItem>>()
            .query::<MessageQuery>(),
        Route::get("/api/accounts/{id}/stats/daily", handlers::daily)
            .viewer()
            .summary("Per Beijing day, the last `days` days: follows, unfollows, messages received and sent")
            .response::<DailyActivity>()
            .query::<DailyQuery>(),
        Route::post("/api/accounts/{id}/messages/reply", handlers::reply)
            .operator()
            .summary("Staff reply to a follower (customer-service API, 48-hour window) or member (message/send)")
            .request::<StaffReplyRequest>()
            .response::<MessageItem>(),
        Route::get("/api/accounts/{id}/messages/{message_id}", handlers::detail)
            .viewer()
            .summary("One message (in-12 / out-7) with its decrypted XML or sent body")
            .response::<MessageDetail>()
            .text_params(&["message_id"]),
        Route::get("/api/accounts/{id}/conversations", handlers::conversations)
            .viewer()
            .summary("Followers/members by their latest message, with the 48-hour window")
            .response::<Page<ConversationSummary>>()
            .query_params(&["q", "page", "per_page"]),
        Route::get("/api/accounts/{id}/conversations/{user}", handlers::conversation)
            .viewer()
            .summary("All messages with one follower/member, oldest first")
            .response::<Conversation>()
            .text_params(&["user"]),
    ]
}
