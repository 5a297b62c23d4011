//! A reconciliation report as CSV (UTF-8 with BOM; every field quoted, spreadsheet formulas
//! defused).

use api::pay::ReconciliationDetail;

pub(crate) fn csv_field(s: &str) -> String {
    // Quote everything; neutralise spreadsheet formulas.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The report as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese right).
pub fn to_csv(d: &ReconciliationDetail) -> String {
    let yuan = |f: Option<i64>| f.map(api::pay::fen_to_yuan).unwrap_or_default();
    let mut out = String::from("\u{feff}");
    let r = &d.reconciliation;
    out.push_str("bill_date,bill_type,status,bill_rows,matched,mismatches,bill_paid_yuan,local_paid_yuan,bill_refund_yuan,local_refund_yuan\r\n");
    out.push_str(
        &[
            r.bill_date.clone(),
            r.bill_type.as_str().into(),
            r.status.clone(),
            r.bill_rows.to_string(),
            r.matched.to_string(),
            r.mismatches.to_string(),
            api::pay::fen_to_yuan(r.bill_paid_fee),
            api::pay::fen_to_yuan(r.local_paid_fee),
            api::pay::fen_to_yuan(r.bill_refund_fee),
            api::pay::fen_to_yuan(r.local_refund_fee),
        ]
        .iter()
        .map(|s| csv_field(s))
        .collect::<Vec<_>>()
        .join(","),
    );
    out.push_str("\r\n\r\nkind,entity,out_trade_no,out_refund_no,transaction_id,local_state,bill_state,local_yuan,bill_yuan\r\n");
    for i in &d.items {
        let fields = [
            i.kind.as_str().to_string(),
            i.entity.clone(),
            i.out_trade_no.clone(),
            i.out_refund_no.clone().unwrap_or_default(),
            i.transaction_id.clone().unwrap_or_default(),
            i.local_state.clone().unwrap_or_default(),
            i.bill_state.clone().unwrap_or_default(),
            yuan(i.local_fee),
            yuan(i.bill_fee),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|s| csv_field(s))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use api::pay::{BillType, MismatchKind, Reconciliation, ReconciliationItem};

    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let d = ReconciliationDetail {
            reconciliation: Reconciliation {
                id: 1,
                merchant_id: 2,
                bill_date: "2026-03-01".into(),
                bill_type: BillType::All,
                status: "done".into(),
                trigger: "staff".into(),
                bill_rows: 1,
                matched: 0,
                mismatches: 1,
                bill_paid_fee: 100,
                bill_refund_fee: 0,
                local_paid_fee: 0,
                local_refund_fee: 0,
                error: None,
                created_at: String::new(),
                updated_at: String::new(),
            },
            items: vec![ReconciliationItem {
                kind: MismatchKind::MissingHere,
                entity: "payment".into(),
                out_trade_no: "=HYPERLINK(\"x\")".into(),
                out_refund_no: None,
                transaction_id: None,
                order_id: None,
                local_state: None,
                bill_state: Some("SUCCESS".into()),
                local_fee: None,
                bill_fee: Some(100),
            }],
        };
        let csv = to_csv(&d);
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("\"missing_here\",\"payment\",\"'=HYPERLINK(\"\"x\"\")\""));
        assert!(csv.contains("\"1.00\"\r\n"));
    }
}
