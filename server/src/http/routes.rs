//! Route declarations: each API route is declared once, in its module's `routes()`, as a [`Route`]
//! holding its handler and everything said about it (access rule, summary, success status, the
//! `api` types of its request, response and query).
//!
//! [`crate::startup::api_routes`] collects the declarations; the router is built from them, the
//! access guard enforces each route's rule from them ([`rule_for`]), and the OpenAPI document
//! ([`crate::http::openapi`]) is generated from them, with the JSON schemas derived from the `api`
//! types, so the three cannot drift apart. Tests walk them route × role.
//!
//! ```ignore
//! Route::post("/api/accounts/{id}/menu/publish", handlers::publish)
//!     .operator()
//!     .summary("Publish a menu to WeChat")
//!     .request::<PublishMenuInput>()
//!     .response::<MenuVersion>()
//!     .status(201)
//! ```

use std::{borrow::Cow, sync::OnceLock};

use api::staff::Role;
use axum::{
    extract::DefaultBodyLimit,
    handler::Handler,
    routing::{self, MethodRouter},
};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use crate::state::AppState;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in staff member, even one who must still change the password.
    Authenticated,
    /// Signed in with at least this role (and the password changed if required).
    Role(Role),
}

impl Access {
    pub const VIEWER: Access = Access::Role(Role::Viewer);
    pub const OPERATOR: Access = Access::Role(Role::Operator);
    pub const ADMIN: Access = Access::Role(Role::Admin);

    pub fn label(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Authenticated => "authenticated",
            Access::Role(r) => r.as_str(),
        }
    }
}

/// Writes the schema of a type into a generator (its components) and returns the schema to use
/// in place (usually a `$ref`).
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn subschema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// A JSON body of an `api` type.
#[derive(Clone, Copy)]
pub struct JsonType {
    /// The type's schema name (the component it is stored under, when not inlined).
    pub name: fn() -> Cow<'static, str>,
    pub schema: SchemaFn,
}

impl JsonType {
    pub fn of<T: JsonSchema>() -> JsonType {
        JsonType {
            name: T::schema_name,
            schema: subschema::<T>,
        }
    }
}

impl std::fmt::Debug for JsonType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JsonType({})", (self.name)())
    }
}

/// A request or response body.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// JSON of an `api` type.
    Json(JsonType),
    /// Not an `api` type (a file, a CSV, the OpenAPI document itself): its media type and its
    /// schema, written out where the route is declared.
    Other {
        media_type: &'static str,
        schema: fn() -> Value,
    },
}

impl Body {
    /// The `api` type of a JSON body.
    pub fn json(&self) -> Option<JsonType> {
        match self {
            Body::Json(t) => Some(*t),
            Body::Other { .. } => None,
        }
    }
}

/// The query string a route reads.
#[derive(Debug, Clone, Copy)]
pub enum QueryParams {
    None,
    /// An `api` type: one optional parameter per property of its schema (required when the schema
    /// requires it).
    Type(JsonType),
    /// Parameter names of a query type local to the server (documented as optional strings).
    Names(&'static [&'static str]),
}

/// What is known about one route: everything but its handler. [`rule_for`] finds it by the
/// method and the path axum matched.
#[derive(Debug, Clone, Copy)]
pub struct RouteRule {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
    /// The request body, if the route takes one.
    pub request: Option<Body>,
    /// The response body (`None`: 204 No Content).
    pub response: Option<Body>,
    pub query: QueryParams,
    /// Path parameters (`{name}` segments) that are text; the others are integers (ids).
    pub text_params: &'static [&'static str],
    /// The status of a successful answer with a body: 201 where something was created, 202 where
    /// a background job was started, else 200.
    pub status: u16,
}

/// One API route: its handler and its [`RouteRule`], declared together in the route's module.
pub struct Route {
    method: &'static str,
    path: &'static str,
    access: Option<Access>,
    summary: &'static str,
    request: Option<Body>,
    response: Option<Body>,
    query: QueryParams,
    text_params: &'static [&'static str],
    status: Option<u16>,
    handler: MethodRouter<AppState>,
}

macro_rules! method_constructors {
    ($($name:ident => $method:literal),* $(,)?) => {$(
        #[doc = concat!("`", $method, " path` answered by `handler`.")]
        pub fn $name<H, T>(path: &'static str, handler: H) -> Route
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            Route::new($method, path, routing::$name(handler))
        }
    )*};
}

impl Route {
    method_constructors!(get => "GET", post => "POST", put => "PUT", patch => "PATCH", delete => "DELETE");

    fn new(method: &'static str, path: &'static str, handler: MethodRouter<AppState>) -> Route {
        Route {
            method,
            path,
            access: None,
            summary: "",
            request: None,
            response: None,
            query: QueryParams::None,
            text_params: &[],
            status: None,
            handler,
        }
    }

    /// Who may call it. Every route must say (the router refuses to start otherwise).
    pub fn access(mut self, access: Access) -> Route {
        self.access = Some(access);
        self
    }
    /// Anyone, signed in or not.
    pub fn public(self) -> Route {
        self.access(Access::Public)
    }
    /// Any signed-in staff member, even one who must still change the password.
    pub fn authenticated(self) -> Route {
        self.access(Access::Authenticated)
    }
    pub fn viewer(self) -> Route {
        self.access(Access::VIEWER)
    }
    pub fn operator(self) -> Route {
        self.access(Access::OPERATOR)
    }
    pub fn admin(self) -> Route {
        self.access(Access::ADMIN)
    }

    /// One line for the OpenAPI document.
    pub fn summary(mut self, summary: &'static str) -> Route {
        self.summary = summary;
        self
    }

    /// The JSON body it takes.
    pub fn request<T: JsonSchema>(mut self) -> Route {
        self.request = Some(Body::Json(JsonType::of::<T>()));
        self
    }

    /// A body that is not JSON (a multipart upload): its media type and schema.
    pub fn request_other(mut self, media_type: &'static str, schema: fn() -> Value) -> Route {
        self.request = Some(Body::Other { media_type, schema });
        self
    }

    /// The JSON body of a successful answer (without one: 204 No Content).
    pub fn response<T: JsonSchema>(mut self) -> Route {
        self.response = Some(Body::Json(JsonType::of::<T>()));
        self
    }

    /// A successful answer that is not an `api` type: its media type and schema.
    pub fn response_other(mut self, media_type: &'static str, schema: fn() -> Value) -> Route {
        self.response = Some(Body::Other { media_type, schema });
        self
    }

    /// The query string, an `api` type.
    pub fn query<T: JsonSchema>(mut self) -> Route {
        self.query = QueryParams::Type(JsonType::of::<T>());
        self
    }

    /// The query parameters by name (for a query type that is not an `api` type).
    pub fn query_params(mut self, names: &'static [&'static str]) -> Route {
        self.query = QueryParams::Names(names);
        self
    }

    /// Path parameters that are text (an openid, a message id); the others are integer ids.
    pub fn text_params(mut self, names: &'static [&'static str]) -> Route {
        self.text_params = names;
        self
    }

    /// The status of a successful answer with a body, when not 200 (201 created, 202 accepted).
    pub fn status(mut self, status: u16) -> Route {
        self.status = Some(status);
        self
    }

    /// A body limit of its own (uploads, accounts with certificates).
    pub fn body_limit(mut self, bytes: usize) -> Route {
        self.handler = self.handler.layer(DefaultBodyLimit::max(bytes));
        self
    }

    pub fn method(&self) -> &'static str {
        self.method
    }

    pub fn path(&self) -> &'static str {
        self.path
    }

    /// The route's rule; panics (at startup) when the declaration lacks its access rule or summary.
    pub fn rule(&self) -> RouteRule {
        let Some(access) = self.access else {
            panic!("{} {} declares no access rule", self.method, self.path);
        };
        assert!(
            !self.summary.is_empty(),
            "{} {} declares no summary",
            self.method,
            self.path
        );
        for name in self.text_params {
            assert!(
                self.path.contains(&format!("{{{name}}}")),
                "{} {}: no path parameter {name}",
                self.method,
                self.path
            );
        }
        RouteRule {
            method: self.method,
            path: self.path,
            access,
            summary: self.summary,
            request: self.request,
            response: self.response,
            query: self.query,
            text_params: self.text_params,
            status: self
                .status
                .unwrap_or(if self.response.is_some() { 200 } else { 204 }),
        }
    }

    /// The rule and the handler, for the router.
    pub fn into_parts(self) -> (RouteRule, MethodRouter<AppState>) {
        (self.rule(), self.handler)
    }
}

/// The rules of every API route, in declaration order (collected once from
/// [`crate::startup::api_routes`]).
pub fn table() -> &'static [RouteRule] {
    static TABLE: OnceLock<Vec<RouteRule>> = OnceLock::new();
    TABLE.get_or_init(|| {
        crate::startup::api_routes()
            .iter()
            .map(Route::rule)
            .collect()
    })
}

/// The rule of `method path` (`path` as matched by axum, e.g. `/api/accounts/{id}`).
pub fn rule_for(method: &str, path: &str) -> Option<&'static RouteRule> {
    let method = if method == "HEAD" { "GET" } else { method };
    table()
        .iter()
        .find(|r| r.method == method && r.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicates_and_every_api_route_is_under_api() {
        let mut seen = std::collections::HashSet::new();
        for r in table() {
            assert!(
                seen.insert((r.method, r.path)),
                "duplicate {} {}",
                r.method,
                r.path
            );
            assert!(r.path.starts_with("/api/"));
        }
    }

    #[test]
    fn a_route_without_a_body_answers_204_and_one_with_a_body_200_unless_told() {
        async fn h() {}
        let rule = Route::get("/api/x", h).viewer().summary("x").rule();
        assert_eq!(rule.status, 204);
        let rule = Route::get("/api/x", h)
            .viewer()
            .summary("x")
            .response::<api::system::SystemInfo>()
            .rule();
        assert_eq!(rule.status, 200);
        assert_eq!(
            rule.response.and_then(|b| b.json()).map(|t| (t.name)()),
            Some("SystemInfo".into())
        );
    }

    #[test]
    #[should_panic(expected = "declares no access rule")]
    fn a_route_must_declare_its_access() {
        async fn h() {}
        Route::get("/api/x", h).summary("x").rule();
    }
}
