//! Audit entries in the UI language for the features beyond accounts and staff: action
//! labels, object types, and summaries built from the entry's structured detail (the name of
//! the object, when the detail lacks it, is the quoted name in the server's English summary).

use api::Lang;
use api::audit::AuditEntry;

use crate::i18n::K;

/// Labels of the actions recorded by content, follower, menu and payment features.
pub fn feature_action_key(action: &str) -> Option<K> {
    Some(match action {
        "auth.unlock" => K::ActAuthUnlock,
        "draft.create" => K::ActDraftCreate,
        "draft.update" => K::ActDraftUpdate,
        "draft.delete" => K::ActDraftDelete,
        "draft.publish" => K::ActDraftPublish,
        "draft.import" => K::ActDraftImport,
        "follower.remark" => K::ActFollowerRemark,
        "followers.drift_resolve" => K::ActDriftResolve,
        "tag.create" => K::ActTagCreate,
        "tag.rename" => K::ActTagRename,
        "tag.delete" => K::ActTagDelete,
        "tag.tag" => K::ActTagTag,
        "tag.untag" => K::ActTagUntag,
        "group.create" => K::ActGroupCreate,
        "group.rename" => K::ActGroupRename,
        "group.delete" => K::ActGroupDelete,
        "group.move" => K::ActGroupMove,
        "material.upload" => K::ActMaterialUpload,
        "material.uploadimg" => K::ActMaterialUploadImg,
        "material.delete" => K::ActMaterialDelete,
        "material.sync" => K::ActMaterialSync,
        "menu.published" => K::ActMenuPublished,
        "menu.rollback" => K::ActMenuRollback,
        "menu.imported" => K::ActMenuImported,
        "menu.deleted" => K::ActMenuDeleted,
        "menu.conditional_create" => K::ActMenuConditionalCreate,
        "menu.conditional_delete" => K::ActMenuConditionalDelete,
        "pay_order.close" => K::ActPayOrderClose,
        "pay_order.refund" => K::ActPayOrderRefund,
        "pay_product.create" => K::ActPayProductCreate,
        "pay_product.update" => K::ActPayProductUpdate,
        "pay_product.delete" => K::ActPayProductDelete,
        "pay_bill.reconcile" => K::ActPayReconcile,
        "reply_rule.create" => K::ActRuleCreate,
        "reply_rule.update" => K::ActRuleUpdate,
        "reply_rule.delete" => K::ActRuleDelete,
        "account.secret_reveal" => K::ActSecretReveal,
        "kf.create" => K::ActKfCreate,
        "kf.update" => K::ActKfUpdate,
        "kf.delete" => K::ActKfDelete,
        "kf.avatar" => K::ActKfAvatar,
        "kf.invite" => K::ActKfInvite,
        "mass.create" => K::ActMassCreate,
        "mass.preview" => K::ActMassPreview,
        "mass.cancel" => K::ActMassCancel,
        "mass.delete" => K::ActMassDelete,
        "mass.settings" => K::ActMassSettings,
        "qrcode.create" => K::ActQrCreate,
        "qrcode.update" => K::ActQrUpdate,
        "qrcode.delete" => K::ActQrDelete,
        "template.add" => K::ActTemplateAdd,
        "template.delete" => K::ActTemplateDelete,
        "template.industry" => K::ActTemplateIndustry,
        "template.send" => K::ActTemplateSend,
        "suite.install_link" => K::ActSuiteInstallLink,
        "suite.provider_check" => K::ActSuiteProviderCheck,
        "suite.provider_login_replayed" => K::ActSuiteLoginReplayed,
        "suite_corp.install" => K::ActSuiteCorpInstall,
        "suite_corp.licences" => K::ActSuiteCorpLicences,
        "suite_corp.manage" => K::ActSuiteCorpManage,
        _ => return None,
    })
}

/// The object types the audit log records, for the filter and the object column.
pub const TARGET_TYPES: [(&str, K); 8] = [
    ("account", K::TargetAccount),
    ("staff", K::TargetStaff),
    ("reply_rule", K::TargetReplyRule),
    ("pay_product", K::TargetPayProduct),
    ("pay_order", K::TargetPayOrder),
    ("pay_reconciliation", K::TargetPayReconciliation),
    ("qrcode", K::TargetQrCode),
    ("suite_corp", K::TargetSuiteCorp),
];

pub fn target_key(target_type: &str) -> Option<K> {
    TARGET_TYPES
        .iter()
        .find(|(t, _)| *t == target_type)
        .map(|(_, k)| *k)
}

/// The first `"quoted"` name in the server's summary (Rust's `{:?}` of a name).
fn quoted(summary: &str) -> Option<String> {
    let start = summary.find('"')? + 1;
    let rest = &summary[start..];
    let end = rest.find('"')?;
    Some(rest[..end].replace("\\\"", "\""))
}

/// A summary in `lang` for the feature actions, `None` when nothing useful is known.
pub fn feature_summary(entry: &AuditEntry, lang: Lang) -> Option<String> {
    let d = &entry.detail;
    let num = |k: &str| d.get(k).and_then(|v| v.as_i64());
    let text = |k: &str| d.get(k).and_then(|v| v.as_str()).map(str::to_string);
    // Ids (openids, media ids, kf accounts) are data: marked so they are never read as UI words.
    let id = |k: &str| text(k).map(|v| crate::components::named::mark(&v));
    let named = || quoted(&entry.summary).map(|n| format!("「{n}」"));
    let t = |k: K| k.text(lang);
    match entry.action.as_str() {
        "draft.create" | "draft.update" | "draft.delete" | "reply_rule.create"
        | "reply_rule.update" | "reply_rule.delete" | "pay_product.update"
        | "pay_product.delete" | "material.uploadimg" => named(),
        "draft.publish" => {
            let ok = d.get("ok").and_then(|v| v.as_bool()).unwrap_or(true);
            let outcome = t(if ok {
                K::SummarySubmitted
            } else {
                K::SummaryFailed
            });
            Some(format!("{}{outcome}", named().unwrap_or_default()))
        }
        "pay_product.create" => {
            let price = num("price_fen").map(crate::pay::yuan).unwrap_or_default();
            Some(format!("{} {price}", named().unwrap_or_default()))
        }
        "pay_order.refund" => num("refund_fee")
            .map(|f| crate::i18n::fill(t(K::SummaryRefundOf), "amount", &crate::pay::yuan(f))),
        "follower.remark" => id("openid"),
        "tag.create" | "group.create" | "tag.rename" | "group.rename" => {
            text("name").map(|n| format!("「{n}」"))
        }
        "tag.tag" | "tag.untag" | "group.move" => {
            let done = num("count")?;
            let selected = num("selected").unwrap_or(done);
            Some(crate::i18n::fill(
                &crate::i18n::fill(t(K::SummaryBulk), "done", &done.to_string()),
                "n",
                &selected.to_string(),
            ))
        }
        "material.upload" => {
            let kind = text("kind")
                .map(|k| crate::oa::materials::kind_key(&k).text(lang).to_string())
                .unwrap_or_default();
            let life = if d.get("temporary").and_then(|v| v.as_bool()) == Some(true) {
                t(K::Temporary)
            } else {
                t(K::SummaryPermanent)
            };
            Some(format!("{life} · {kind}"))
        }
        "material.delete" => id("media_id"),
        "material.sync" => Some(crate::i18n::fill(
            &crate::i18n::fill(
                &crate::i18n::fill(
                    t(K::SummarySync),
                    "a",
                    &num("added").unwrap_or(0).to_string(),
                ),
                "u",
                &num("updated").unwrap_or(0).to_string(),
            ),
            "r",
            &num("removed").unwrap_or(0).to_string(),
        )),
        "menu.published" | "menu.rollback" | "menu.imported" => {
            num("number").map(|n| crate::i18n::fill(t(K::SummaryMenuVersion), "n", &n.to_string()))
        }
        "menu.conditional_create" | "menu.conditional_delete" => text("menuid")
            .or_else(|| num("menuid").map(|n| n.to_string()))
            .map(|menuid| format!("menuid {}", crate::components::named::mark(&menuid))),
        "auth.unlock" => text("username").map(|n| format!("「{n}」")),
        "followers.drift_resolve" => {
            let ours = d.get("winner").and_then(|v| v.as_str()) == Some("ours");
            Some(
                t(if ours {
                    K::DriftKeepOurs
                } else {
                    K::DriftAcceptTheirs
                })
                .to_string(),
            )
        }
        "qrcode.create" | "qrcode.update" | "qrcode.delete" => named(),
        "kf.create" | "kf.update" | "kf.delete" | "kf.avatar" | "kf.invite" => id("kf_account"),
        "mass.preview" => id("openid"),
        "mass.create" => {
            let target = match text("target").as_deref() {
                Some("all") => t(K::MassTargetAll).to_string(),
                Some("tag") => t(K::MassTargetTag).to_string(),
                Some("group") => t(K::MassTargetGroup).to_string(),
                Some(_) => crate::i18n::fill(
                    t(K::MassTargetOpenidsN),
                    "n",
                    &num("followers").unwrap_or(0).to_string(),
                ),
                None => String::new(),
            };
            let id = num("job_id").map(|n| n.to_string()).unwrap_or_default();
            let mut s = crate::i18n::fill(
                &crate::i18n::fill(t(K::SummaryMassJob), "id", &id),
                "target",
                &target,
            );
            if entry.summary.ends_with(", scheduled") {
                s = format!("{s} · {}", t(K::SummaryScheduled));
            }
            Some(s)
        }
        "mass.cancel" | "mass.delete" => {
            num("job_id").map(|n| crate::i18n::fill(t(K::SummaryJob), "id", &n.to_string()))
        }
        "mass.settings" => match text("account_type").as_deref() {
            Some("subscription") => Some(t(K::SummarySubscriptionAccount).to_string()),
            Some("service") => Some(t(K::SummaryServiceAccount).to_string()),
            _ => Some(String::new()),
        },
        "template.send" => {
            let id = num("job_id")?.to_string();
            let n = num("recipients").unwrap_or(0).to_string();
            Some(crate::i18n::fill(
                &crate::i18n::fill(t(K::SummaryTemplateJob), "id", &id),
                "n",
                &n,
            ))
        }
        "template.add" | "template.delete" => id("template_id"),
        "suite_corp.install" | "suite_corp.licences" | "suite_corp.manage" => id("corpid"),
        "account.secret_reveal" => text("field"),
        // Nothing worth repeating beyond the action's own label.
        "menu.deleted" | "pay_order.close" | "pay_bill.reconcile" | "template.industry" => {
            Some(String::new())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_quoted_part_of_the_summary() {
        assert_eq!(
            quoted("created reply rule \"欢迎\"").as_deref(),
            Some("欢迎")
        );
        assert_eq!(quoted("menu deleted in WeChat"), None);
    }

    #[test]
    fn ids_in_summaries_are_marked_as_data() {
        // An openid of letters only would otherwise read as an English word in the zh-CN UI.
        let entry = AuditEntry {
            id: 1,
            at: "2026-12-07T00:00:00Z".into(),
            actor: "admin".into(),
            action: "follower.remark".into(),
            target_type: "account".into(),
            target_id: Some(1),
            summary: "remark of oztiiNRTtFpTsJRejEZKGXwrBdwn set".into(),
            detail: serde_json::json!({"openid": "oztiiNRTtFpTsJRejEZKGXwrBdwn"}),
        };
        assert_eq!(
            feature_summary(&entry, Lang::ZhCn),
            Some(crate::components::named::mark(
                "oztiiNRTtFpTsJRejEZKGXwrBdwn"
            ))
        );
    }
}
