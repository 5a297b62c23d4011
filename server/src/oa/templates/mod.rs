//! Template messages (模板消息): the industry, the private templates (synced from WeChat, with
//! the fields their content names), send jobs to one follower or a selection (`jobs`: claimed
//! with a lease, rate-limited, resumable without resending), and each recipient's delivery
//! state from TEMPLATESENDJOBFINISH (`events`), as a report per job and a log per follower.

pub mod events;
pub mod handlers;
pub mod jobs;
pub mod service;

use api::templates::{
    AddTemplateInput, Industry, IndustryInput, Template, TemplateJob, TemplateRecipient,
    TemplateSendInput,
};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/templates/industry", handlers::industry)
            .viewer()
            .summary("The account's template industries (template/get_industry)")
            .response::<Industry>(),
        Route::put(
            "/api/accounts/{id}/templates/industry",
            handlers::set_industry,
        )
        .operator()
        .summary("Set the template industries (template/api_set_industry)")
        .request::<IndustryInput>()
        .response::<Industry>(),
        Route::get("/api/accounts/{id}/templates", handlers::list)
            .viewer()
            .summary("The private templates as last synced, with their fields")
            .response::<Vec<Template>>(),
        Route::post("/api/accounts/{id}/templates", handlers::add)
            .operator()
            .summary("Add a template from WeChat's library by its short id, then sync")
            .request::<AddTemplateInput>()
            .response::<Vec<Template>>()
            .status(201),
        Route::post("/api/accounts/{id}/templates/sync", handlers::sync)
            .operator()
            .summary("Refresh the templates from WeChat (get_all_private_template)")
            .response::<Vec<Template>>(),
        Route::delete(
            "/api/accounts/{id}/templates/{template_id}",
            handlers::delete,
        )
        .operator()
        .summary("Delete a private template at WeChat and here")
        .text_params(&["template_id"]),
        Route::post("/api/accounts/{id}/templates/jobs", handlers::start_job)
            .operator()
            .summary("Send a template message to chosen followers as a background job")
            .request::<TemplateSendInput>()
            .response::<TemplateJob>()
            .status(202),
        Route::get("/api/accounts/{id}/templates/jobs", handlers::jobs)
            .viewer()
            .summary("Template send jobs, newest first, with counts per delivery state")
            .response::<Vec<TemplateJob>>(),
        Route::get("/api/accounts/{id}/templates/jobs/{job_id}", handlers::job)
            .viewer()
            .summary("One template job's progress and counts per delivery state")
            .response::<TemplateJob>(),
        Route::get(
            "/api/accounts/{id}/templates/jobs/{job_id}/recipients",
            handlers::recipients,
        )
        .viewer()
        .summary("A template job's delivery report: each recipient's state")
        .response::<Vec<TemplateRecipient>>()
        .query_params(&["state"]),
        Route::get(
            "/api/accounts/{id}/templates/followers/{openid}",
            handlers::follower_log,
        )
        .viewer()
        .summary("The template messages sent to one follower, newest first")
        .response::<Vec<TemplateRecipient>>()
        .text_params(&["openid"]),
    ]
}
