//! WeCom contacts (通讯录) of a WeCom app: a local mirror of departments, members and tags.
//!
//! - [`sync`]: the full sync as a resumable background job with progress, on WeCom's
//!   compliant path since 2022 (`department/simplelist` + `user/list_id` through the contacts
//!   secret, details through the app secret);
//! - [`events`]: `change_contact` re-reads the ids it names (registered in
//!   [`crate::callback::dispatch::HANDLERS`]); [`changes`] keeps recording every change in
//!   `wecom_contact_changes` (also for suite instructions);
//! - [`service`]: CRUD pushed to WeCom first, then re-read into the mirror;
//! - [`queries`]: the reads (department tree, member search, tags), also meant for other
//!   features such as the app message recipient picker;
//! - [`mirror`]: the mirror's writes, the two credentials ([`mirror::Clients`]) and re-reads.

pub mod changes;
pub mod drift;
pub mod events;
pub mod extattr;
pub mod handlers;
pub mod invite;
pub mod mirror;
pub mod nightly;
pub mod queries;
pub mod service;
pub mod sync;

pub use changes::{ContactChanges, record};

use api::wecom_contacts::{
    BatchDeleteInput, ContactSyncJob, ContactSyncState, Department, DepartmentInput,
    DepartmentTree, DepartmentUpdate, DriftRepairInput, DriftReport, EnableInput, LastDriftRun,
    Member, MemberInput, MemberPage, MemberQuery, Tag, TagDetail, TagInput, TagList,
    TagMembersInput, TagMembersResult,
};

use api::wecom_extattr::{InviteInput, InviteResult};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/contacts/departments", handlers::departments)
            .viewer()
            .summary("The WeCom app's departments as mirrored, with direct member counts (build the tree from parent_id)")
            .response::<DepartmentTree>(),
        Route::post("/api/accounts/{id}/contacts/departments", handlers::create_department)
            .operator()
            .summary("Create a department at WeCom (contacts secret), then mirror it")
            .request::<DepartmentInput>()
            .response::<Department>()
            .status(201),
        Route::patch("/api/accounts/{id}/contacts/departments/{dept_id}", handlers::update_department)
            .operator()
            .summary("Rename, move or reorder a department at WeCom, then mirror it")
            .request::<DepartmentUpdate>()
            .response::<Department>(),
        Route::delete("/api/accounts/{id}/contacts/departments/{dept_id}", handlers::delete_department)
            .operator()
            .summary("Delete a department at WeCom (refused with WeCom's reason when it has members or sub-departments)"),
        Route::get("/api/accounts/{id}/contacts/members", handlers::members)
            .viewer()
            .summary("Mirrored members: department subtree, tag, status, search by name/userid/mobile/email, paging")
            .response::<MemberPage>()
            .query::<MemberQuery>(),
        Route::post("/api/accounts/{id}/contacts/members", handlers::create_member)
            .operator()
            .summary("Create a member at WeCom with WeCom's field rules, then mirror it")
            .request::<MemberInput>()
            .response::<Member>()
            .status(201),
        Route::post("/api/accounts/{id}/contacts/members/batch-delete", handlers::batch_delete)
            .operator()
            .summary("Delete members at WeCom (user/batchdelete, 200 per call), then from the mirror")
            .request::<BatchDeleteInput>(),
        Route::post("/api/accounts/{id}/contacts/invite", handlers::invite)
            .operator()
            .summary("Invite members, departments and tags to join WeCom (batch/invite); WeCom's refused items are answered per item")
            .request::<InviteInput>()
            .response::<InviteResult>(),
        Route::get("/api/accounts/{id}/contacts/members/{userid}", handlers::member)
            .viewer()
            .summary("One mirrored member with departments and tags")
            .response::<Member>()
            .text_params(&["userid"]),
        Route::put("/api/accounts/{id}/contacts/members/{userid}", handlers::update_member)
            .operator()
            .summary("Edit a member at WeCom, then mirror it")
            .request::<MemberInput>()
            .response::<Member>()
            .text_params(&["userid"]),
        Route::post("/api/accounts/{id}/contacts/members/{userid}/enabled", handlers::set_enabled)
            .operator()
            .summary("Enable or disable a member at WeCom")
            .request::<EnableInput>()
            .response::<Member>()
            .text_params(&["userid"]),
        Route::get("/api/accounts/{id}/contacts/tags", handlers::tags)
            .viewer()
            .summary("Mirrored WeCom tags with member and department counts")
            .response::<TagList>(),
        Route::post("/api/accounts/{id}/contacts/tags", handlers::create_tag)
            .operator()
            .summary("Create a tag at WeCom, then mirror it")
            .request::<TagInput>()
            .response::<Tag>()
            .status(201),
        Route::get("/api/accounts/{id}/contacts/tags/{tag_id}", handlers::tag)
            .viewer()
            .summary("One mirrored tag with its members and departments")
            .response::<TagDetail>(),
        Route::patch("/api/accounts/{id}/contacts/tags/{tag_id}", handlers::rename_tag)
            .operator()
            .summary("Rename a tag at WeCom (only its creator may: 81011)")
            .request::<TagInput>()
            .response::<Tag>(),
        Route::delete("/api/accounts/{id}/contacts/tags/{tag_id}", handlers::delete_tag)
            .operator()
            .summary("Delete a tag at WeCom (only its creator may: 81011)"),
        Route::post("/api/accounts/{id}/contacts/tags/{tag_id}/members", handlers::add_tag_members)
            .operator()
            .summary("Add members and departments to a tag; WeCom's refused items are answered per item")
            .request::<TagMembersInput>()
            .response::<TagMembersResult>(),
        Route::post("/api/accounts/{id}/contacts/tags/{tag_id}/members/remove", handlers::remove_tag_members)
            .operator()
            .summary("Remove members and departments from a tag; WeCom's refused items are answered per item")
            .request::<TagMembersInput>()
            .response::<TagMembersResult>(),
        Route::get("/api/accounts/{id}/contacts/sync", handlers::sync_status)
            .viewer()
            .summary("The latest full contacts sync with its progress and per-item failures, and the mirror's counts")
            .response::<ContactSyncState>(),
        Route::post("/api/accounts/{id}/contacts/sync", handlers::sync_start)
            .operator()
            .summary("Start a full contacts sync from WeCom, or resume the failed/interrupted one (409 while one runs)")
            .response::<ContactSyncJob>()
            .status(202),
        Route::get("/api/accounts/{id}/contacts/drift", handlers::drift)
            .operator()
            .summary("Compare the mirror with WeCom (departments, members' departments, tags with their members) and list every difference")
            .response::<DriftReport>(),
        Route::post("/api/accounts/{id}/contacts/drift/repair", handlers::drift_repair)
            .operator()
            .summary("Repair one difference: re-read the department, member or tag from WeCom into the mirror (removed here when WeCom has none)")
            .request::<DriftRepairInput>(),
        Route::get("/api/accounts/{id}/contacts/drift/last", handlers::drift_last)
            .viewer()
            .summary("The last nightly reconcile (drift check run once a night, nothing repaired) with what it found")
            .response::<LastDriftRun>(),
    ]
}
