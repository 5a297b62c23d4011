//! THE route table: every API route with its minimum access rule.
//!
//! The router is built from [`ROUTES`] (see [`crate::startup::api_router`]), the access guard
//! enforces each route's rule from it, and the OpenAPI document is generated from it, so the three
//! cannot drift apart. Tests walk it route × role.

use api::staff::Role;

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

/// One route: method, axum path, rule, and what the OpenAPI document says about it.
#[derive(Debug, Clone, Copy)]
pub struct RouteRule {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
    /// Name of the `api` request type, if the route takes a JSON body.
    pub request: Option<&'static str>,
    /// Name of the `api` response type (`None`: 204 No Content).
    pub response: Option<&'static str>,
    /// Query parameters, for the document.
    pub query: &'static [&'static str],
    /// The status of a successful answer with a body, for the document: 201 where something
    /// was created, 202 where a background job was started, else 200.
    pub status: u16,
}

const fn r(
    method: &'static str,
    path: &'static str,
    access: Access,
    summary: &'static str,
    request: Option<&'static str>,
    response: Option<&'static str>,
) -> RouteRule {
    RouteRule {
        method,
        path,
        access,
        summary,
        request,
        response,
        query: &[],
        status: 200,
    }
}

pub const ROUTES: &[RouteRule] = &[
    r(
        "POST",
        "/api/auth/login",
        Access::Public,
        "Sign in; sets the session cookie",
        Some("LoginRequest"),
        Some("Me"),
    ),
    r(
        "POST",
        "/api/auth/logout",
        Access::Public,
        "Sign out (always 204)",
        None,
        None,
    ),
    r(
        "GET",
        "/api/auth/me",
        Access::Authenticated,
        "The signed-in staff member",
        None,
        Some("Me"),
    ),
    r(
        "PATCH",
        "/api/auth/me",
        Access::Authenticated,
        "Update one's own preferences",
        Some("UpdateMeRequest"),
        Some("Me"),
    ),
    r(
        "POST",
        "/api/auth/password",
        Access::Authenticated,
        "Change one's own password",
        Some("ChangePasswordRequest"),
        None,
    ),
    r(
        "GET",
        "/api/staff",
        Access::ADMIN,
        "List staff users",
        None,
        Some("StaffUserList"),
    ),
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/staff",
            Access::ADMIN,
            "Create a staff user",
            Some("CreateStaffRequest"),
            Some("StaffUser"),
        )
    },
    r(
        "GET",
        "/api/staff/{id}",
        Access::ADMIN,
        "One staff user",
        None,
        Some("StaffUser"),
    ),
    r(
        "PATCH",
        "/api/staff/{id}",
        Access::ADMIN,
        "Change role, disable, or set a password",
        Some("UpdateStaffRequest"),
        Some("StaffUser"),
    ),
    r(
        "DELETE",
        "/api/staff/{id}",
        Access::ADMIN,
        "Delete a staff user",
        None,
        None,
    ),
    RouteRule {
        query: &["kind", "q"],
        ..r(
            "GET",
            "/api/accounts",
            Access::VIEWER,
            "List accounts",
            None,
            Some("AccountList"),
        )
    },
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts",
            Access::OPERATOR,
            "Create an account",
            Some("CreateAccountRequest"),
            Some("Account"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}",
        Access::VIEWER,
        "One account",
        None,
        Some("Account"),
    ),
    r(
        "PATCH",
        "/api/accounts/{id}",
        Access::OPERATOR,
        "Update an account (replacing a secret needs admin)",
        Some("UpdateAccountRequest"),
        Some("Account"),
    ),
    r(
        "DELETE",
        "/api/accounts/{id}",
        Access::OPERATOR,
        "Delete an account",
        None,
        None,
    ),
    r(
        "GET",
        "/api/pay/merchants/{id}/products",
        Access::VIEWER,
        "Products of a pay merchant",
        None,
        Some("ProductList"),
    ),
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/pay/merchants/{id}/products",
            Access::OPERATOR,
            "Create a product (its id is the mode-1 product_id)",
            Some("CreateProductRequest"),
            Some("Product"),
        )
    },
    r(
        "GET",
        "/api/pay/products/{id}",
        Access::VIEWER,
        "One product",
        None,
        Some("Product"),
    ),
    r(
        "PATCH",
        "/api/pay/products/{id}",
        Access::OPERATOR,
        "Update a product",
        Some("UpdateProductRequest"),
        Some("Product"),
    ),
    r(
        "DELETE",
        "/api/pay/products/{id}",
        Access::OPERATOR,
        "Delete a product (its orders are kept)",
        None,
        None,
    ),
    RouteRule {
        query: &[
            "state",
            "from",
            "to",
            "product_id",
            "min_fee",
            "max_fee",
            "payer",
            "q",
            "page",
            "per_page",
        ],
        ..r(
            "GET",
            "/api/pay/merchants/{id}/orders",
            Access::VIEWER,
            "Orders of a pay merchant, newest first, with totals over the filter",
            None,
            Some("OrderPage"),
        )
    },
    r(
        "GET",
        "/api/pay/orders/{id}",
        Access::VIEWER,
        "One order with its transitions, refunds and raw notifications",
        None,
        Some("OrderDetail"),
    ),
    r(
        "POST",
        "/api/pay/orders/{id}/query",
        Access::OPERATOR,
        "Query the order at WeChat and apply its state",
        None,
        Some("OrderDetail"),
    ),
    r(
        "POST",
        "/api/pay/orders/{id}/close",
        Access::OPERATOR,
        "Close an unpaid order at WeChat",
        None,
        Some("OrderDetail"),
    ),
    r(
        "POST",
        "/api/pay/orders/{id}/refunds",
        Access::OPERATOR,
        "Refund a paid order, fully or partly (needs the merchant certificate)",
        Some("CreateRefundRequest"),
        Some("OrderDetail"),
    ),
    r(
        "POST",
        "/api/pay/orders/{id}/refunds/{refund_id}/query",
        Access::OPERATOR,
        "Ask WeChat about one refund and apply its state",
        None,
        Some("OrderDetail"),
    ),
    r(
        "GET",
        "/api/pay/merchants/{id}/reconciliations",
        Access::VIEWER,
        "Bill reconciliation reports of a pay merchant, newest day first",
        None,
        Some("ReconciliationList"),
    ),
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/pay/merchants/{id}/reconciliations",
            Access::OPERATOR,
            "Download a past day's bill (gzip) and reconcile it with the orders",
            Some("ReconcileRequest"),
            Some("ReconciliationDetail"),
        )
    },
    r(
        "GET",
        "/api/pay/reconciliations/{id}",
        Access::VIEWER,
        "One reconciliation report with its mismatches",
        None,
        Some("ReconciliationDetail"),
    ),
    r(
        "GET",
        "/api/pay/reconciliations/{id}/csv",
        Access::VIEWER,
        "One reconciliation report as CSV",
        None,
        Some("ReconciliationCsv"),
    ),
    RouteRule {
        query: &["from", "to"],
        ..r(
            "GET",
            "/api/pay/merchants/{id}/dashboard",
            Access::VIEWER,
            "Revenue and order counts per day, by state and by product",
            None,
            Some("Dashboard"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}/reply-rules",
        Access::VIEWER,
        "Auto-reply rules of an account (with global rules), with hit counts",
        None,
        Some("ReplyRuleList"),
    ),
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts/{id}/reply-rules",
            Access::OPERATOR,
            "Create an auto-reply rule",
            Some("ReplyRuleInput"),
            Some("ReplyRule"),
        )
    },
    r(
        "POST",
        "/api/accounts/{id}/reply-rules/simulate",
        Access::VIEWER,
        "Which rule fires for a message, why the others do not, and the exact reply XML",
        Some("SimulateRequest"),
        Some("SimulateResponse"),
    ),
    r(
        "GET",
        "/api/accounts/{id}/reply-rules/{rule_id}",
        Access::VIEWER,
        "One auto-reply rule",
        None,
        Some("ReplyRule"),
    ),
    r(
        "PATCH",
        "/api/accounts/{id}/reply-rules/{rule_id}",
        Access::OPERATOR,
        "Update an auto-reply rule",
        Some("ReplyRuleInput"),
        Some("ReplyRule"),
    ),
    r(
        "DELETE",
        "/api/accounts/{id}/reply-rules/{rule_id}",
        Access::OPERATOR,
        "Delete an auto-reply rule",
        None,
        None,
    ),
    RouteRule {
        query: &[
            "page",
            "per_page",
            "user",
            "msg_type",
            "direction",
            "from",
            "to",
            "q",
        ],
        ..r(
            "GET",
            "/api/accounts/{id}/messages",
            Access::VIEWER,
            "Message log: inbound and outbound messages, newest first (filters, full-text q)",
            None,
            Some("MessagePage"),
        )
    },
    r(
        "POST",
        "/api/accounts/{id}/messages/reply",
        Access::OPERATOR,
        "Staff reply to a follower (customer-service API, 48-hour window) or member (message/send)",
        Some("StaffReplyRequest"),
        Some("MessageItem"),
    ),
    r(
        "GET",
        "/api/accounts/{id}/messages/{message_id}",
        Access::VIEWER,
        "One message (in-12 / out-7) with its decrypted XML or sent body",
        None,
        Some("MessageDetail"),
    ),
    RouteRule {
        query: &["q", "page", "per_page"],
        ..r(
            "GET",
            "/api/accounts/{id}/conversations",
            Access::VIEWER,
            "Followers/members by their latest message, with the 48-hour window",
            None,
            Some("ConversationPage"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}/conversations/{user}",
        Access::VIEWER,
        "All messages with one follower/member, oldest first",
        None,
        Some("Conversation"),
    ),
    RouteRule {
        query: &["page", "per_page", "outcome"],
        ..r(
            "GET",
            "/api/accounts/{id}/deliveries",
            Access::VIEWER,
            "Callback inspector: the last deliveries on /wx/{id}, newest first",
            None,
            Some("DeliveryPage"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}/deliveries/{delivery_id}",
        Access::VIEWER,
        "One callback delivery: query, body, decrypted XML, diagnosis, reply",
        None,
        Some("DeliveryDetail"),
    ),
    r(
        "POST",
        "/api/accounts/{id}/deliveries/{delivery_id}/replay",
        Access::OPERATOR,
        "Replay a stored delivery through the pipeline (marked as a replay, never counted twice)",
        None,
        Some("DeliveryDetail"),
    ),
    r(
        "GET",
        "/api/accounts/{id}/menu",
        Access::VIEWER,
        "The menu editor's draft, the current menu version and click keys without a reply rule",
        None,
        Some("MenuOverview"),
    ),
    r(
        "DELETE",
        "/api/accounts/{id}/menu",
        Access::OPERATOR,
        "Delete the menu (and every conditional menu) in WeChat; recorded as an empty version",
        None,
        None,
    ),
    r(
        "PUT",
        "/api/accounts/{id}/menu/draft",
        Access::OPERATOR,
        "Save the menu editor's draft; returns its problems and unanswered click keys",
        Some("MenuDraftInput"),
        Some("MenuCheck"),
    ),
    r(
        "POST",
        "/api/accounts/{id}/menu/validate",
        Access::VIEWER,
        "Check a menu against WeChat's rules without saving it",
        Some("MenuDraftInput"),
        Some("MenuCheck"),
    ),
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts/{id}/menu/publish",
            Access::OPERATOR,
            "Publish a menu to WeChat (replaces the menu set in WeChat's console) and store it as a version",
            Some("PublishMenuInput"),
            Some("MenuVersion"),
        )
    },
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts/{id}/menu/import",
            Access::OPERATOR,
            "Read the live menu and conditional menus from WeChat and store them as a version",
            None,
            Some("MenuVersion"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}/menu/versions",
        Access::VIEWER,
        "Menu versions, newest first",
        None,
        Some("MenuVersionList"),
    ),
    r(
        "GET",
        "/api/accounts/{id}/menu/versions/{version_id}",
        Access::VIEWER,
        "One menu version",
        None,
        Some("MenuVersion"),
    ),
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts/{id}/menu/versions/{version_id}/rollback",
            Access::OPERATOR,
            "Publish an earlier version again (stored as a new version)",
            Some("RollbackInput"),
            Some("MenuVersion"),
        )
    },
    RouteRule {
        query: &["from", "to"],
        ..r(
            "GET",
            "/api/accounts/{id}/menu/compare",
            Access::VIEWER,
            "Button-by-button changes from one version to another (or to the draft)",
            None,
            Some("MenuCompare"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}/menu/conditional",
        Access::VIEWER,
        "Conditional menus",
        None,
        Some("ConditionalMenuList"),
    ),
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts/{id}/menu/conditional",
            Access::OPERATOR,
            "Create a conditional menu (matchrule: tag, sex, client platform, language, region)",
            Some("ConditionalMenuInput"),
            Some("ConditionalMenu"),
        )
    },
    r(
        "DELETE",
        "/api/accounts/{id}/menu/conditional/{menu_id}",
        Access::OPERATOR,
        "Delete a conditional menu",
        None,
        None,
    ),
    r(
        "POST",
        "/api/accounts/{id}/menu/trymatch",
        Access::VIEWER,
        "The menu a follower sees (WeChat's menu/trymatch)",
        Some("TryMatchInput"),
        Some("TryMatchResult"),
    ),
    RouteRule {
        query: &["kind", "temporary", "q", "page", "per_page"],
        ..r(
            "GET",
            "/api/accounts/{id}/materials",
            Access::VIEWER,
            "Materials and temporary media of an Official Account (filter by kind, search by name)",
            None,
            Some("MaterialPage"),
        )
    },
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts/{id}/materials",
            Access::OPERATOR,
            "Upload a material or temporary medium (multipart/form-data with header x-wxportal-upload: kind, temporary, title, introduction, file); WeChat's size and type limits checked first",
            None,
            Some("Material"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}/materials/counts",
        Access::VIEWER,
        "Material counts against WeChat's quotas (get_materialcount)",
        None,
        Some("MaterialCounts"),
    ),
    r(
        "POST",
        "/api/accounts/{id}/materials/sync",
        Access::OPERATOR,
        "Read every permanent image, voice and video from WeChat (batchget_material) and update the list",
        None,
        Some("MaterialSyncResult"),
    ),
    r(
        "POST",
        "/api/accounts/{id}/materials/uploadimg",
        Access::OPERATOR,
        "Upload an image for article content (media/uploadimg; multipart/form-data with header x-wxportal-upload, field file)",
        None,
        Some("UploadedImage"),
    ),
    r(
        "GET",
        "/api/accounts/{id}/materials/{material_id}",
        Access::VIEWER,
        "One material",
        None,
        Some("Material"),
    ),
    r(
        "DELETE",
        "/api/accounts/{id}/materials/{material_id}",
        Access::OPERATOR,
        "Delete a material (in WeChat too; temporary media just expire there)",
        None,
        None,
    ),
    RouteRule {
        query: &["download"],
        ..r(
            "GET",
            "/api/accounts/{id}/materials/{material_id}/content",
            Access::VIEWER,
            "The material's bytes, fetched from WeChat (preview inline; download=1 as an attachment)",
            None,
            Some("MaterialContent"),
        )
    },
    RouteRule {
        query: &["q", "status", "page", "per_page"],
        ..r(
            "GET",
            "/api/accounts/{id}/drafts",
            Access::VIEWER,
            "Article drafts, newest first",
            None,
            Some("ArticleDraftPage"),
        )
    },
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts/{id}/drafts",
            Access::OPERATOR,
            "Create an article draft",
            Some("ArticleDraftInput"),
            Some("ArticleDraft"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}/drafts/{draft_id}",
        Access::VIEWER,
        "One article draft with its publishing state and links",
        None,
        Some("ArticleDraft"),
    ),
    r(
        "PUT",
        "/api/accounts/{id}/drafts/{draft_id}",
        Access::OPERATOR,
        "Edit an article draft",
        Some("ArticleDraftInput"),
        Some("ArticleDraft"),
    ),
    r(
        "DELETE",
        "/api/accounts/{id}/drafts/{draft_id}",
        Access::OPERATOR,
        "Delete an article draft (and from WeChat's draft box)",
        None,
        None,
    ),
    r(
        "POST",
        "/api/accounts/{id}/drafts/{draft_id}/publish",
        Access::OPERATOR,
        "Save the draft in WeChat's draft box and publish it (freepublish); the result arrives as PUBLISHJOBFINISH",
        None,
        Some("ArticleDraft"),
    ),
    r(
        "POST",
        "/api/accounts/{id}/drafts/{draft_id}/refresh",
        Access::VIEWER,
        "Ask WeChat (freepublish/get) how a publish in progress is going",
        None,
        Some("ArticleDraft"),
    ),
    r(
        "POST",
        "/api/accounts/{id}/test-connection",
        Access::OPERATOR,
        "Test the account's credentials against WeChat (or the sandbox); never returns the token",
        None,
        Some("TestConnectionResult"),
    ),
    r(
        "POST",
        "/api/accounts/{id}/sandbox/act",
        Access::OPERATOR,
        "Act as a follower/member of a sandbox account; returns the callback delivery (409 for production accounts)",
        Some("SandboxActRequest"),
        Some("SandboxActResult"),
    ),
    RouteRule {
        query: &["q", "page", "per_page"],
        ..r(
            "GET",
            "/api/accounts/{id}/sandbox/followers",
            Access::OPERATOR,
            "Followers (OA) or members (WeCom) of a sandbox account",
            None,
            Some("SandboxPersonPage"),
        )
    },
    RouteRule {
        query: &[
            "q",
            "tag",
            "group",
            "subscribed",
            "scene",
            "from",
            "to",
            "page",
            "per_page",
        ],
        ..r(
            "GET",
            "/api/accounts/{id}/followers",
            Access::VIEWER,
            "Followers of an Official Account as stored, newest first, with filters",
            None,
            Some("FollowerPage"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}/followers/sync",
        Access::VIEWER,
        "The latest full follower sync with its progress (counts, rate)",
        None,
        Some("SyncState"),
    ),
    RouteRule {
        status: 202,
        ..r(
            "POST",
            "/api/accounts/{id}/followers/sync",
            Access::OPERATOR,
            "Start a full follower sync from WeChat, or resume the interrupted one (409 while one runs)",
            None,
            Some("SyncJob"),
        )
    },
    RouteRule {
        status: 202,
        ..r(
            "POST",
            "/api/accounts/{id}/followers/tagging",
            Access::OPERATOR,
            "Start tagging or untagging followers (given openids or everyone matching a filter) at WeChat, 50 per call, as a background job (202 with the job)",
            Some("TaggingRequest"),
            Some("BulkJob"),
        )
    },
    RouteRule {
        status: 202,
        ..r(
            "POST",
            "/api/accounts/{id}/followers/move-group",
            Access::OPERATOR,
            "Start moving followers to a legacy group at WeChat, 50 per call, as a background job (202 with the job)",
            Some("MoveGroupRequest"),
            Some("BulkJob"),
        )
    },
    r(
        "GET",
        "/api/accounts/{id}/followers/bulk-jobs",
        Access::VIEWER,
        "The latest 20 bulk tagging / group-move jobs of the account with their progress, newest first",
        None,
        Some("BulkJobList"),
    ),
    r(
        "GET",
        "/api/accounts/{id}/followers/bulk-jobs/{job_id}",
        Access::VIEWER,
        "One bulk tagging / group-move job with its progress",
        None,
        Some("BulkJob"),
    ),
    r(
        "GET",
        "/api/accounts/{id}/followers/drift",
        Access::OPERATOR,
        "Differences between WeChat and the portal: tags, groups, tag membership, remarks",
        None,
        Some("DriftReport"),
    ),
    r(
        "POST",
        "/api/accounts/{id}/followers/drift/resolve",
        Access::OPERATOR,
        "Resolve one drift item: push ours to WeChat or accept theirs",
        Some("ResolveDriftRequest"),
        None,
    ),
    r(
        "GET",
        "/api/accounts/{id}/followers/{openid}",
        Access::VIEWER,
        "One follower with tags and group",
        None,
        Some("Follower"),
    ),
    r(
        "PATCH",
        "/api/accounts/{id}/followers/{openid}",
        Access::OPERATOR,
        "Set a follower's remark (pushed to WeChat first)",
        Some("UpdateFollowerRequest"),
        Some("Follower"),
    ),
    r(
        "GET",
        "/api/accounts/{id}/tags",
        Access::VIEWER,
        "User tags and legacy groups of an Official Account with member counts",
        None,
        Some("TagsAndGroups"),
    ),
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts/{id}/tags",
            Access::OPERATOR,
            "Create a user tag at WeChat",
            Some("TagInput"),
            Some("Tag"),
        )
    },
    r(
        "PATCH",
        "/api/accounts/{id}/tags/{tag_id}",
        Access::OPERATOR,
        "Rename a user tag at WeChat",
        Some("TagInput"),
        None,
    ),
    r(
        "DELETE",
        "/api/accounts/{id}/tags/{tag_id}",
        Access::OPERATOR,
        "Delete a user tag at WeChat (untags its followers)",
        None,
        None,
    ),
    RouteRule {
        status: 201,
        ..r(
            "POST",
            "/api/accounts/{id}/groups",
            Access::OPERATOR,
            "Create a legacy group at WeChat",
            Some("TagInput"),
            Some("Tag"),
        )
    },
    r(
        "PATCH",
        "/api/accounts/{id}/groups/{group_id}",
        Access::OPERATOR,
        "Rename a legacy group at WeChat",
        Some("TagInput"),
        None,
    ),
    r(
        "DELETE",
        "/api/accounts/{id}/groups/{group_id}",
        Access::OPERATOR,
        "Delete a legacy group at WeChat (its followers go back to group 0)",
        None,
        None,
    ),
    r(
        "GET",
        "/api/tools/credentials",
        Access::OPERATOR,
        "Random Token and EncodingAESKey",
        None,
        Some("GeneratedCredentials"),
    ),
    RouteRule {
        query: &["page", "per_page", "actor", "target_type", "target_id"],
        ..r(
            "GET",
            "/api/audit",
            Access::ADMIN,
            "Audit log, newest first",
            None,
            Some("AuditPage"),
        )
    },
    r(
        "GET",
        "/api/system/info",
        Access::Authenticated,
        "Server version, public URL, default environment",
        None,
        Some("SystemInfo"),
    ),
    r(
        "GET",
        "/api/openapi.json",
        Access::Public,
        "This document",
        None,
        Some("OpenApi"),
    ),
    r(
        "POST",
        "/api/staff/{id}/unlock",
        Access::ADMIN,
        "Clear a staff member's failed sign-ins (ends the login backoff)",
        None,
        None,
    ),
];

/// The rule of `method path` (`path` as matched by axum, e.g. `/api/accounts/{id}`).
pub fn rule_for(method: &str, path: &str) -> Option<&'static RouteRule> {
    let method = if method == "HEAD" { "GET" } else { method };
    ROUTES.iter().find(|r| r.method == method && r.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicates_and_every_api_route_is_under_api() {
        let mut seen = std::collections::HashSet::new();
        for r in ROUTES {
            assert!(
                seen.insert((r.method, r.path)),
                "duplicate {} {}",
                r.method,
                r.path
            );
            assert!(r.path.starts_with("/api/"));
        }
    }
}
