//! Mass sends (群发): compose text, image, voice, video or articles, target everyone, a tag, a
//! legacy group or chosen followers, preview to one follower, send now or at a time
//! (`send`: recorded first, claimed with a lease, `clientmsgid` so a retry is never a second
//! send), the outcome from MASSSENDJOBFINISH (`events`), deleting a sent article, WeChat's
//! mass quota and its send speed (`message/mass/speed/*`, read and set live).

pub mod events;
pub mod handlers;
pub mod queries;
pub mod send;
pub mod service;

use api::{
    Page, PageQuery,
    mass::{
        MassDeleteInput, MassInput, MassJob, MassPreviewInput, MassQuota, MassSettingsInput,
        MassSpeed, MassSpeedInput,
    },
};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/mass", handlers::list)
            .viewer()
            .summary("Mass sends, newest first, with their state and MASSSENDJOBFINISH counts")
            .response::<Page<MassJob>>()
            .query::<PageQuery>(),
        Route::post("/api/accounts/{id}/mass", handlers::create)
            .operator()
            .summary("Record a mass send and send it now (or at scheduled_at); the same request_key again answers the same job")
            .request::<MassInput>()
            .response::<MassJob>()
            .status(201),
        Route::get("/api/accounts/{id}/mass/quota", handlers::quota)
            .viewer()
            .summary("WeChat's mass quota for this account as the portal counts it, and the send in flight")
            .response::<MassQuota>(),
        Route::put("/api/accounts/{id}/mass/settings", handlers::settings)
            .operator()
            .summary("Whether the account is a subscription or a service account (decides the quota)")
            .request::<MassSettingsInput>()
            .response::<MassQuota>(),
        Route::get("/api/accounts/{id}/mass/speed", handlers::speed)
            .viewer()
            .summary("The speed WeChat sends this account's mass messages at (message/mass/speed/get)")
            .response::<MassSpeed>(),
        Route::put("/api/accounts/{id}/mass/speed", handlers::set_speed)
            .operator()
            .summary("Set the mass send speed level, 0 (fastest) to 4 (message/mass/speed/set)")
            .request::<MassSpeedInput>()
            .response::<MassSpeed>(),
        Route::post("/api/accounts/{id}/mass/preview", handlers::preview)
            .operator()
            .summary("Send the message to one follower only (message/mass/preview)")
            .request::<MassPreviewInput>(),
        Route::get("/api/accounts/{id}/mass/{job_id}", handlers::get)
            .viewer()
            .summary("One mass send")
            .response::<MassJob>(),
        Route::post("/api/accounts/{id}/mass/{job_id}/cancel", handlers::cancel)
            .operator()
            .summary("Cancel a scheduled mass send")
            .response::<MassJob>(),
        Route::post("/api/accounts/{id}/mass/{job_id}/delete-article", handlers::delete_article)
            .operator()
            .summary("Delete a sent article or video (message/mass/delete)")
            .request::<MassDeleteInput>()
            .response::<MassJob>(),
    ]
}
