//! Official Account menus: the editor's draft, validation against WeChat's rules, publishing with
//! a stored version per publish, compare and rollback, import of the live menu, delete,
//! conditional menus and "preview as follower" (`menu/trymatch`).

pub mod handlers;
pub mod queries;
pub mod service;

use api::menus::{
    ConditionalMenu, ConditionalMenuInput, MenuCheck, MenuCompare, MenuDraftInput, MenuOverview,
    MenuVersion, PublishMenuInput, RollbackInput, TryMatchInput, TryMatchResult,
};

use crate::http::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/accounts/{id}/menu", handlers::overview)
            .viewer()
            .summary("The menu editor's draft, the current menu version and click keys without a reply rule")
            .response::<MenuOverview>(),
        Route::delete("/api/accounts/{id}/menu", handlers::delete)
            .operator()
            .summary("Delete the menu (and every conditional menu) in WeChat; recorded as an empty version"),
        Route::put("/api/accounts/{id}/menu/draft", handlers::save_draft)
            .operator()
            .summary("Save the menu editor's draft; returns its problems and unanswered click keys")
            .request::<MenuDraftInput>()
            .response::<MenuCheck>(),
        Route::post("/api/accounts/{id}/menu/validate", handlers::validate)
            .viewer()
            .summary("Check a menu against WeChat's rules without saving it")
            .request::<MenuDraftInput>()
            .response::<MenuCheck>(),
        Route::post("/api/accounts/{id}/menu/publish", handlers::publish)
            .operator()
            .summary("Publish a menu to WeChat (replaces the menu set in WeChat's console) and store it as a version")
            .request::<PublishMenuInput>()
            .response::<MenuVersion>()
            .status(201),
        Route::post("/api/accounts/{id}/menu/import", handlers::import)
            .operator()
            .summary("Read the live menu and conditional menus from WeChat and store them as a version")
            .response::<MenuVersion>()
            .status(201),
        Route::get("/api/accounts/{id}/menu/versions", handlers::versions)
            .viewer()
            .summary("Menu versions, newest first")
            .response::<Vec<MenuVersion>>(),
        Route::get("/api/accounts/{id}/menu/versions/{version_id}", handlers::version)
            .viewer()
            .summary("One menu version")
            .response::<MenuVersion>(),
        Route::post("/api/accounts/{id}/menu/versions/{version_id}/rollback", handlers::rollback)
            .operator()
            .summary("Publish an earlier version again (stored as a new version)")
            .request::<RollbackInput>()
            .response::<MenuVersion>()
            .status(201),
        Route::get("/api/accounts/{id}/menu/compare", handlers::compare)
            .viewer()
            .summary("Button-by-button changes from one version to another (or to the draft)")
            .response::<MenuCompare>()
            .query_params(&["from", "to"]),
        Route::get("/api/accounts/{id}/menu/conditional", handlers::conditional_list)
            .viewer()
            .summary("Conditional menus")
            .response::<Vec<ConditionalMenu>>(),
        Route::post("/api/accounts/{id}/menu/conditional", handlers::conditional_create)
            .operator()
            .summary("Create a conditional menu (matchrule: tag, sex, client platform, language, region)")
            .request::<ConditionalMenuInput>()
            .response::<ConditionalMenu>()
            .status(201),
        Route::delete("/api/accounts/{id}/menu/conditional/{menu_id}", handlers::conditional_delete)
            .operator()
            .summary("Delete a conditional menu"),
        Route::post("/api/accounts/{id}/menu/trymatch", handlers::try_match)
            .viewer()
            .summary("The menu a follower sees (WeChat's menu/trymatch)")
            .request::<TryMatchInput>()
            .response::<TryMatchResult>(),
    ]
}
