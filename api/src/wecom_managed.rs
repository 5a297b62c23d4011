//! An authorised corp of a WeCom suite operated through the WeCom pages (代管授权企业): a
//! WeCom-app account bound to the suite's corp, whose calls use the corp token obtained with
//! the permanent code (`service/get_corp_token`), within the privileges the corp granted.

use serde::{Deserialize, Serialize};

use crate::wecom_suite::SuiteCorp;

/// The binding of a WeCom-app account to an authorised corp: its credentials are the suite
/// account's and the corp's permanent code, it has no secret of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SuiteCorpLink {
    /// The `work_suite` account.
    pub suite_account_id: i64,
    /// The corp's row in the suite's 授权企业 list (`SuiteCorp::id`).
    pub suite_corp_id: i64,
}

/// A managed corp as its WeCom pages see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ManagedCorp {
    /// The WeCom-app account that operates the corp.
    pub account_id: i64,
    pub suite_account_id: i64,
    pub suite_name: String,
    /// The corp as the suite knows it (state `revoked` after `cancel_auth`: calls are refused,
    /// the data is kept).
    pub corp: SuiteCorp,
}
