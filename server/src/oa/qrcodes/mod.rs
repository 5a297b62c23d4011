//! Parametric QR codes (带参数二维码): temporary and permanent codes created through
//! `qrcode/create` and kept here with a name and note, their image fetched from `showqrcode`
//! and served through the portal, and every scan attributed to its code by the `subscribe` /
//! `SCAN` callbacks (`events`, a callback event handler) for the per-day statistics.

pub mod events;
pub mod handlers;
pub mod queries;
pub mod service;

use api::Page;
use api::qrcodes::{CreateQrCode, QrCode, QrCodeQuery, QrStats, QrStatsQuery, UpdateQrCode};
use serde_json::json;

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/qrcodes", handlers::list)
            .viewer()
            .summary("Parametric QR codes of an Official Account with their scan counts (search, kind, paging)")
            .response::<Page<QrCode>>()
            .query::<QrCodeQuery>(),
        Route::post("/api/accounts/{id}/qrcodes", handlers::create)
            .operator()
            .summary("Create a temporary or permanent QR code at WeChat (qrcode/create) and keep it with its name and note")
            .request::<CreateQrCode>()
            .response::<QrCode>()
            .status(201),
        Route::get("/api/accounts/{id}/qrcodes/{qr_id}", handlers::get)
            .viewer()
            .summary("One QR code")
            .response::<QrCode>(),
        Route::patch("/api/accounts/{id}/qrcodes/{qr_id}", handlers::update)
            .operator()
            .summary("Rename a QR code or change its note (the code itself cannot change)")
            .request::<UpdateQrCode>()
            .response::<QrCode>(),
        Route::delete("/api/accounts/{id}/qrcodes/{qr_id}", handlers::delete)
            .operator()
            .summary("Forget a QR code and its statistics (WeChat cannot revoke a code: it keeps working until it expires)"),
        Route::get("/api/accounts/{id}/qrcodes/{qr_id}/image", handlers::image)
            .viewer()
            .summary("The code's image, fetched from WeChat's showqrcode and served by the portal (download=1 as an attachment)")
            .response_other("image/*", || json!({"type": "string", "format": "binary", "description": "The image as WeChat serves it"}))
            .query_params(&["download"]),
        Route::get("/api/accounts/{id}/qrcodes/{qr_id}/stats", handlers::stats)
            .viewer()
            .summary("Scans, subscriptions and repeat scans per day (China Standard Time), attributed subscribers and the reply rules of the scene")
            .response::<QrStats>()
            .query::<QrStatsQuery>(),
    ]
}
