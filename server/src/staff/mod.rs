//! Staff users (admin only): `GET|POST /api/staff`, `GET|PATCH|DELETE /api/staff/{id}`,
//! the first-start admin, and `wxportal user add`.

pub mod handlers;
pub mod service;

use api::staff::{CreateStaffRequest, StaffUser, UpdateStaffRequest};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/staff", handlers::list)
            .admin()
            .summary("List staff users")
            .response::<Vec<StaffUser>>(),
        Route::post("/api/staff", handlers::create)
            .admin()
            .summary("Create a staff user")
            .request::<CreateStaffRequest>()
            .response::<StaffUser>()
            .status(201),
        Route::get("/api/staff/{id}", handlers::get)
            .admin()
            .summary("One staff user")
            .response::<StaffUser>(),
        Route::patch("/api/staff/{id}", handlers::update)
            .admin()
            .summary("Change role, disable, or set a password")
            .request::<UpdateStaffRequest>()
            .response::<StaffUser>(),
        Route::delete("/api/staff/{id}", handlers::delete)
            .admin()
            .summary("Delete a staff user"),
    ]
}
