//! Followers of Official Accounts, their user tags and legacy groups: the list and detail
//! (remark pushed to WeChat), full sync from WeChat with a checkpoint and a cross-instance
//! lease (`sync`), tag/group management (`service`), bulk tagging and group moves in batches of 50 as
//! background jobs with progress (`bulk`), drift between WeChat and our copy with per-item
//! resolution (`drift`), and the follower record kept up to date by subscribe / unsubscribe /
//! SCAN callbacks (`events`).

pub mod bulk;
pub mod drift;
pub mod events;
pub mod handlers;
pub mod queries;
pub mod service;
pub mod sync;

use api::followers::{
    BulkJob, BulkJobList, DriftReport, Follower, FollowerPage, FollowerQuery, MoveGroupRequest,
    ResolveDriftRequest, SyncJob, SyncStartQuery, SyncState, Tag, TagInput, TaggingRequest,
    TagsAndGroups, UpdateFollowerRequest,
};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/followers", handlers::list)
            .viewer()
            .summary("Followers of an Official Account as stored, newest first, with filters")
            .response::<FollowerPage>()
            .query::<FollowerQuery>(),
        Route::get("/api/accounts/{id}/followers/sync", handlers::sync_status)
            .viewer()
            .summary("The latest full follower sync with its progress (counts, rate)")
            .response::<SyncState>(),
        Route::post("/api/accounts/{id}/followers/sync", handlers::sync_start)
            .operator()
            .summary("Start a full follower sync from WeChat, or resume the interrupted one unless `fresh` (409 while one runs)")
            .response::<SyncJob>()
            .query::<SyncStartQuery>()
            .status(202),
        Route::post("/api/accounts/{id}/followers/tagging", handlers::tagging)
            .operator()
            .summary("Start tagging or untagging followers (given openids or everyone matching a filter) at WeChat, 50 per call, as a background job (202 with the job)")
            .request::<TaggingRequest>()
            .response::<BulkJob>()
            .status(202),
        Route::post("/api/accounts/{id}/followers/move-group", handlers::move_group)
            .operator()
            .summary("Start moving followers to a legacy group at WeChat, 50 per call, as a background job (202 with the job)")
            .request::<MoveGroupRequest>()
            .response::<BulkJob>()
            .status(202),
        Route::get("/api/accounts/{id}/followers/bulk-jobs", handlers::bulk_jobs)
            .viewer()
            .summary("The latest 20 bulk tagging / group-move jobs of the account with their progress, newest first")
            .response::<BulkJobList>(),
        Route::get("/api/accounts/{id}/followers/bulk-jobs/{job_id}", handlers::bulk_job)
            .viewer()
            .summary("One bulk tagging / group-move job with its progress")
            .response::<BulkJob>(),
        Route::get("/api/accounts/{id}/followers/drift", handlers::drift_report)
            .operator()
            .summary("Differences between WeChat and the portal: tags, groups, tag membership, remarks")
            .response::<DriftReport>(),
        Route::post("/api/accounts/{id}/followers/drift/resolve", handlers::drift_resolve)
            .operator()
            .summary("Resolve one drift item: push ours to WeChat or accept theirs")
            .request::<ResolveDriftRequest>(),
        Route::get("/api/accounts/{id}/followers/{openid}", handlers::get)
            .viewer()
            .summary("One follower with tags and group")
            .response::<Follower>()
            .text_params(&["openid"]),
        Route::patch("/api/accounts/{id}/followers/{openid}", handlers::update)
            .operator()
            .summary("Set a follower's remark (pushed to WeChat first)")
            .request::<UpdateFollowerRequest>()
            .response::<Follower>()
            .text_params(&["openid"]),
        Route::get("/api/accounts/{id}/tags", handlers::tags)
            .viewer()
            .summary("User tags and legacy groups of an Official Account with member counts")
            .response::<TagsAndGroups>(),
        Route::post("/api/accounts/{id}/tags", handlers::create_tag)
            .operator()
            .summary("Create a user tag at WeChat")
            .request::<TagInput>()
            .response::<Tag>()
            .status(201),
        Route::patch("/api/accounts/{id}/tags/{tag_id}", handlers::rename_tag)
            .operator()
            .summary("Rename a user tag at WeChat")
            .request::<TagInput>(),
        Route::delete("/api/accounts/{id}/tags/{tag_id}", handlers::delete_tag)
            .operator()
            .summary("Delete a user tag at WeChat (untags its followers)"),
        Route::post("/api/accounts/{id}/groups", handlers::create_group)
            .operator()
            .summary("Create a legacy group at WeChat")
            .request::<TagInput>()
            .response::<Tag>()
            .status(201),
        Route::patch("/api/accounts/{id}/groups/{group_id}", handlers::rename_group)
            .operator()
            .summary("Rename a legacy group at WeChat")
            .request::<TagInput>(),
        Route::delete("/api/accounts/{id}/groups/{group_id}", handlers::delete_group)
            .operator()
            .summary("Delete a legacy group at WeChat (its followers go back to group 0)"),
    ]
}
