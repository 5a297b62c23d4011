//! WeCom app messages (发送消息): compose to members, departments, tags or @all, every send
//! stored before WeChat is called and updated with its answer (see `service`), split over
//! WeCom's receiver limits (`split`), held to WeCom's rate limits before anything is sent, the
//! send log with retry and recall, temporary media for image/voice/video/file messages, and
//! drafts and scheduled sends (`drafts`, sent when due by the worker in `scheduled`).

pub mod drafts;
pub mod handlers;
pub mod media;
pub mod queries;
pub mod scheduled;
pub mod service;
pub mod split;

use api::Page;
use api::wecom_message_drafts::{MessageDraft, MessageDraftInput};
use api::wecom_messages::{
    AppMessage, AppMessageQuery, AppMessageSummary, MessageUsage, SendAppMessageInput,
    UploadedMedia,
};
use serde_json::json;

use crate::http::routes::Route;

/// WeCom's largest temporary medium (a 20 MB file) plus the multipart envelope.
pub const UPLOAD_BODY_LIMIT: usize = (20 << 20) + (64 << 10);

pub fn routes() -> Vec<Route> {
    vec![
        Route::post("/api/accounts/{id}/wecom/messages", handlers::send)
            .operator()
            .summary("Send an app message (stored first, split over WeCom's receiver limits, refused over its rate limits); a send WeChat refused is stored as failed")
            .request::<SendAppMessageInput>()
            .response::<AppMessage>()
            .status(201),
        Route::get("/api/accounts/{id}/wecom/messages", handlers::list)
            .viewer()
            .summary("The app's send log, newest first (filter by state, type, date)")
            .response::<Page<AppMessageSummary>>()
            .query::<AppMessageQuery>(),
        Route::get("/api/accounts/{id}/wecom/messages/usage", handlers::usage)
            .viewer()
            .summary("The app's message/send calls in the last hour and WeCom's count for today (message/get_statistics)")
            .response::<MessageUsage>(),
        Route::get("/api/accounts/{id}/wecom/messages/{message_id}", handlers::get)
            .viewer()
            .summary("One send with its calls, msgids and the invalid receivers WeChat reported")
            .response::<AppMessage>(),
        Route::post("/api/accounts/{id}/wecom/messages/{message_id}/retry", handlers::retry)
            .operator()
            .summary("Send the failed or unknown calls of a send again")
            .response::<AppMessage>(),
        Route::post("/api/accounts/{id}/wecom/messages/{message_id}/recall", handlers::recall)
            .operator()
            .summary("Recall a send (message/recall) within WeCom's 24 hours")
            .response::<AppMessage>(),
        Route::post("/api/accounts/{id}/wecom/media", handlers::upload)
            .operator()
            .summary("Upload a temporary medium for an app message (multipart/form-data with header x-wxportal-upload: type, file); WeCom's size limits checked first")
            .request_other("multipart/form-data", || json!({"type": "object", "required": ["type", "file"], "properties": {"type": {"type": "string", "description": "image, voice, video or file"}, "file": {"type": "string", "format": "binary"}}}))
            .response::<UploadedMedia>()
            .status(201)
            .body_limit(UPLOAD_BODY_LIMIT),
        Route::get("/api/accounts/{id}/wecom/message-drafts", handlers::drafts)
            .viewer()
            .summary("Drafts and scheduled sends of the app, and those sent or failed in the last day, newest first")
            .response::<Vec<MessageDraft>>(),
        Route::post("/api/accounts/{id}/wecom/message-drafts", handlers::create_draft)
            .operator()
            .summary("Save a composed message as a draft, or schedule it (scheduled_at, checked like a send); the worker sends it when due")
            .request::<MessageDraftInput>()
            .response::<MessageDraft>()
            .status(201),
        Route::get("/api/accounts/{id}/wecom/message-drafts/{draft_id}", handlers::draft)
            .viewer()
            .summary("One draft or scheduled send")
            .response::<MessageDraft>(),
        Route::put("/api/accounts/{id}/wecom/message-drafts/{draft_id}", handlers::update_draft)
            .operator()
            .summary("Edit a draft or a scheduled send (refused once it is being sent)")
            .request::<MessageDraftInput>()
            .response::<MessageDraft>(),
        Route::delete("/api/accounts/{id}/wecom/message-drafts/{draft_id}", handlers::delete_draft)
            .operator()
            .summary("Delete a draft or a scheduled send (refused while it is being sent)"),
        Route::post("/api/accounts/{id}/wecom/message-drafts/{draft_id}/cancel", handlers::cancel_draft)
            .operator()
            .summary("Cancel a scheduled send before it goes (it stays as a draft)")
            .response::<MessageDraft>(),
    ]
}
