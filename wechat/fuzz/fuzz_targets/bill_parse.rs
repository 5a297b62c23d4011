//! Bill parser: arbitrary bytes (plain, BOM, gzip, failure XML).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat::pay::Bill;

fuzz_target!(|data: &[u8]| {
    if let Ok(bill) = Bill::parse(data) {
        for row in &bill.rows {
            for h in &bill.headers {
                let _ = row.amount(&bill, h);
            }
        }
        for h in &bill.summary_headers {
            let _ = bill.summary_amount(h);
        }
        // written bills parse back
        let _ = Bill::parse(bill.to_text().as_bytes());
    }
});
