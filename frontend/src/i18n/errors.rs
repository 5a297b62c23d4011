//! The server's stable error reasons (`error.reason`) and WeChat's error codes in the UI
//! language, so that a refusal reads as a sentence, not as the server's English.

use api::Lang;

use super::{K, fill};

/// WeChat error codes staff meet, with what to do about them.
fn errcode_key(code: i64) -> Option<K> {
    Some(match code {
        -1 => K::WxErrBusy,
        40001 | 40014 | 42001 | 42009 => K::WxErrToken,
        40003 => K::WxErrOpenid,
        40013 => K::WxErrAppid,
        40125 | 40091 => K::WxErrSecret,
        40164 => K::WxErrIp,
        60020 => K::WxErr60020,
        48002 => K::WxErr48002,
        81013 => K::WxErr81013,
        82001 => K::WxErr82001,
        43004 => K::WxErrUnsubscribed,
        45009 | 45011 => K::WxErrRateLimit,
        45015 | 45047 => K::WxErrWindow,
        46003 => K::WxErrNoMenu,
        48001 => K::WxErrUnauthorized,
        40007 => K::WxErrMedia,
        // WeCom contacts (通讯录).
        60001 => K::WcErr60001,
        60003 => K::WcErr60003,
        60004 => K::WcErr60004,
        60005 => K::WcErr60005,
        60006 => K::WcErr60006,
        60007 => K::WcErr60007,
        60008 => K::WcErr60008,
        60011 => K::WcErr60011,
        40031 => K::WcErr40031,
        60102 => K::WcErr60102,
        60103 => K::WcErr60103,
        60104 => K::WcErr60104,
        60105 => K::WcErr60105,
        60106 => K::WcErr60106,
        60111 => K::WcErr60111,
        60112 => K::WcErr60112,
        60123 => K::WcErr60123,
        60129 => K::WcErr60129,
        40058 => K::WcErr40058,
        40068 => K::WcErr40068,
        40071 => K::WcErr40071,
        40072 => K::WcErr40072,
        81011 => K::WcErr81011,
        48009 => K::WcErr48009,
        301002 => K::WcErr301002,
        40037 => K::WxErr40037,
        45026 => K::WxErr45026,
        40102 => K::WxErr40102,
        47003 => K::WxErr47003,
        _ => return None,
    })
}

/// Whether this SPA explains WeChat error code `code` in words of its own.
pub fn errcode_known(code: i64) -> bool {
    errcode_key(code).is_some()
}

/// `None` for a reason this SPA does not know (the caller falls back to the generic text).
pub fn reason_text(reason: &str, lang: Lang) -> Option<String> {
    if let Some(code) = reason.strip_prefix("errcode:") {
        let n: i64 = code.parse().ok()?;
        let what = errcode_key(n).map(|k| k.text(lang).to_string());
        let head = fill(K::WxErrCode.text(lang), "n", code);
        return Some(match what {
            Some(w) => format!("{head}{w}"),
            None => head,
        });
    }
    // WeCom's 60020 on a provider or suite call: where to whitelist, and the IP it saw.
    if let Some(rest) = reason.strip_prefix("untrusted_ip:") {
        let (scope, ip) = rest.split_once(':').unwrap_or((rest, ""));
        let key = match scope {
            "provider" => K::ReasonUntrustedIpProvider,
            "suite" => K::ReasonUntrustedIpSuite,
            _ => return None,
        };
        let mut text = key.text(lang).to_string();
        if !ip.is_empty() {
            text.push_str(&fill(K::ReasonUntrustedIpWhich.text(lang), "ip", ip));
        }
        return Some(text);
    }
    let key = match reason {
        "bill_not_ready" => K::ReasonBillNotReady,
        "bill_running" => K::ReasonBillRunning,
        "order_not_open" => K::ReasonOrderNotOpen,
        "order_not_paid" => K::ReasonOrderNotPaid,
        "no_client_cert" => K::ReasonNoClientCert,
        "sandbox_not_running" => K::ReasonSandboxNotRunning,
        "self_disable" => K::ReasonSelfDisable,
        "self_role" => K::ReasonSelfRole,
        "self_delete" => K::ReasonSelfDelete,
        "last_admin" => K::ReasonLastAdmin,
        "reply_window_closed" => K::ReasonReplyWindow,
        "duplicate" => K::ReasonDuplicate,
        "contacts_sync_running" => K::WcReasonSyncRunning,
        "no_contacts_secret" => K::WcReasonNoContactsSecret,
        "production_account" => K::ReasonProductionAccount,
        "order_busy" => K::ReasonOrderBusy,
        "order_state_refused" => K::ReasonOrderStateRefused,
        "refund_settled" => K::ReasonRefundSettled,
        "suite_corp_revoked" => K::ReasonSuiteCorpRevoked,
        "no_provider_secret" => K::SuReasonNoProviderSecret,
        "managed_account_secret" => K::SuReasonManagedSecret,
        "suite_app_no_menu" => K::ReasonSuiteAppNoMenu,
        "account_setting_missing" => K::ReasonAccountSettingMissing,
        "wrong_account_kind" => K::ReasonWrongAccountKind,
        "username_taken" => K::ReasonUsernameTaken,
        "no_agentid" => K::ReasonNoAgentid,
        "nothing_to_retry" => K::ReasonNothingToRetry,
        "nothing_to_recall" => K::ReasonNothingToRecall,
        "recall_too_late" => K::ReasonRecallTooLate,
        "menu_version_empty" => K::ReasonMenuVersionEmpty,
        "no_menu" => K::ReasonNoMenu,
        "mass_in_flight" => K::ReasonMassInFlight,
        "mass_not_scheduled" => K::ReasonMassNotScheduled,
        "mass_not_deletable" => K::ReasonMassNotDeletable,
        "mass_no_msg_id" => K::ReasonMassNoMsgId,
        "qr_scene_taken" => K::ReasonQrSceneTaken,
        "qr_expired" => K::ReasonQrExpired,
        "draft_publishing" => K::ReasonDraftPublishing,
        "draft_published" => K::ReasonDraftPublished,
        "follower_not_stored" => K::ReasonFollowerNotStored,
        "follower_sync_running" => K::ReasonFollowerSyncRunning,
        "followers_never_synced" => K::ReasonFollowersNeverSynced,
        "bulk_job_running" => K::ReasonBulkJobRunning,
        "merchant_has_orders" => K::ReasonMerchantHasOrders,
        "message_draft_locked" => K::WmReasonDraftLocked,
        "message_draft_not_scheduled" => K::WmReasonDraftNotScheduled,
        _ => return None,
    };
    Some(key.text(lang).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_and_errcodes_read_as_sentences() {
        assert_eq!(
            reason_text("errcode:40164", Lang::ZhCn).unwrap(),
            "微信返回错误码 40164：调用接口的 IP 不在公众号的白名单中，请在微信后台添加本服务器的出口 IP。"
        );
        assert!(
            reason_text("errcode:99999", Lang::ZhCn)
                .unwrap()
                .contains("99999")
        );
        assert!(reason_text("bill_not_ready", Lang::ZhCn).is_some());
        // WeCom's message/send refusals read as WeCom's, not the Official Account's.
        assert!(
            reason_text("errcode:60020", Lang::ZhCn)
                .unwrap()
                .contains("企业微信")
        );
        assert!(
            reason_text("errcode:81013", Lang::En)
                .unwrap()
                .contains("recipient")
        );
        assert_eq!(reason_text("something_new", Lang::ZhCn), None);
        // 60020 on provider and suite calls names the whitelist and the IP WeCom saw.
        let t = reason_text("untrusted_ip:provider:203.0.113.7", Lang::ZhCn).unwrap();
        assert!(t.contains("服务商") && t.contains("203.0.113.7"), "{t}");
        let t = reason_text("untrusted_ip:suite", Lang::En).unwrap();
        assert!(t.contains("suite's IP whitelist"), "{t}");
    }
}
