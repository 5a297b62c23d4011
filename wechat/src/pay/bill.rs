//! `downloadbill` parser and writer.
//!
//! Format: optional UTF-8 BOM; header line of names; data lines whose every field starts
//! with a back-tick and fields are joined by commas; a summary header line; one summary
//! line (back-ticked). Amounts are yuan decimals; use [`BillRow::amount`] to get exact
//! [`Fen`]. The body may be gzip-compressed (`tar_type=GZIP`), detected by magic bytes.
//!
//! ```
//! let text = "交易时间,商户订单号,总金额\r\n`2014-11-10 16:33:45,`1415640626,`0.01\r\n总交易单数,总交易额\r\n`1,`0.01\r\n";
//! let bill = wechat::pay::Bill::parse(text.as_bytes()).unwrap();
//! assert_eq!(bill.rows[0].get(&bill, "商户订单号"), Some("1415640626"));
//! assert_eq!(bill.rows[0].amount(&bill, "总金额").unwrap(), wechat::types::Fen(1));
//! assert_eq!(bill.summary_amount("总交易额").unwrap(), wechat::types::Fen(1));
//! ```

use std::io::Read;

use crate::error::PayError;
use crate::types::Fen;

/// Maximum decompressed bill size (64 MiB).
pub const MAX_BILL_BYTES: u64 = 64 * 1024 * 1024;

/// A parsed bill.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bill {
    /// Column names of data rows.
    pub headers: Vec<String>,
    /// Data rows.
    pub rows: Vec<BillRow>,
    /// Column names of the summary line.
    pub summary_headers: Vec<String>,
    /// Summary values.
    pub summary: Vec<String>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BillRow {
    /// Field values with the back-tick removed.
    pub fields: Vec<String>,
}

impl BillRow {
    /// The value of a column by header name.
    pub fn get<'a>(&'a self, bill: &Bill, name: &str) -> Option<&'a str> {
        let i = bill.headers.iter().position(|h| h == name)?;
        self.fields.get(i).map(String::as_str)
    }

    /// A yuan amount column converted exactly to fen.
    pub fn amount(&self, bill: &Bill, name: &str) -> Result<Fen, PayError> {
        let v = self
            .get(bill, name)
            .ok_or_else(|| PayError::Bill(format!("no column {name}")))?;
        Fen::from_yuan_str(v).map_err(|e| PayError::Bill(e.to_string()))
    }
}

fn split_data(line: &str) -> Vec<String> {
    let line = line.strip_prefix('`').unwrap_or(line);
    line.split(",`").map(str::to_owned).collect()
}

fn split_header(line: &str) -> Vec<String> {
    line.split(',').map(|s| s.trim().to_owned()).collect()
}

impl Bill {
    /// Parses a bill body (plain text or gzip). A failure XML (`return_code=FAIL`, e.g.
    /// "No Bill Exist") becomes [`PayError::ReturnFail`].
    pub fn parse(body: &[u8]) -> Result<Bill, PayError> {
        let owned;
        let bytes = if body.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(body)
                .take(MAX_BILL_BYTES + 1)
                .read_to_end(&mut out)
                .map_err(|e| PayError::Bill(format!("gzip: {e}")))?;
            if out.len() as u64 > MAX_BILL_BYTES {
                return Err(PayError::Bill("bill too large".into()));
            }
            owned = out;
            &owned[..]
        } else {
            body
        };
        let text = std::str::from_utf8(bytes).map_err(|_| PayError::Bill("not UTF-8".into()))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let trimmed = text.trim_start();
        if trimmed.starts_with("<xml") {
            let m = super::PayMap::from_xml(trimmed)?;
            return Err(PayError::ReturnFail {
                return_msg: m.get("return_msg").unwrap_or_default().to_owned(),
            });
        }
        let mut lines = text
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| !l.trim().is_empty());
        let header = lines
            .next()
            .ok_or_else(|| PayError::Bill("empty bill".into()))?;
        if header.starts_with('`') {
            return Err(PayError::Bill("missing header line".into()));
        }
        let mut bill = Bill {
            headers: split_header(header),
            ..Default::default()
        };
        let mut in_summary = false;
        for line in lines {
            if line.starts_with('`') {
                let fields = split_data(line);
                if in_summary {
                    if !bill.summary.is_empty() {
                        return Err(PayError::Bill("more than one summary line".into()));
                    }
                    bill.summary = fields;
                } else {
                    if fields.len() != bill.headers.len() {
                        return Err(PayError::Bill(format!(
                            "row has {} fields, header has {}",
                            fields.len(),
                            bill.headers.len()
                        )));
                    }
                    bill.rows.push(BillRow { fields });
                }
            } else if !in_summary {
                in_summary = true;
                bill.summary_headers = split_header(line);
            } else {
                return Err(PayError::Bill(
                    "unexpected line after summary header".into(),
                ));
            }
        }
        if in_summary && bill.summary.len() != bill.summary_headers.len() {
            return Err(PayError::Bill("summary does not match its header".into()));
        }
        Ok(bill)
    }

    /// A summary value by header name.
    pub fn summary_get(&self, name: &str) -> Option<&str> {
        let i = self.summary_headers.iter().position(|h| h == name)?;
        self.summary.get(i).map(String::as_str)
    }

    /// A summary yuan amount in fen.
    pub fn summary_amount(&self, name: &str) -> Result<Fen, PayError> {
        let v = self
            .summary_get(name)
            .ok_or_else(|| PayError::Bill(format!("no summary column {name}")))?;
        Fen::from_yuan_str(v).map_err(|e| PayError::Bill(e.to_string()))
    }

    /// Writes the bill in WeChat's text format (`\r\n` line ends ⚠️ as observed in
    /// downloaded bills; the parser accepts both).
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        s.push_str(&self.headers.join(","));
        s.push_str("\r\n");
        let data = |s: &mut String, f: &[String]| {
            let v: Vec<String> = f.iter().map(|x| format!("`{x}")).collect();
            s.push_str(&v.join(","));
            s.push_str("\r\n");
        };
        for r in &self.rows {
            data(&mut s, &r.fields);
        }
        if !self.summary_headers.is_empty() {
            s.push_str(&self.summary_headers.join(","));
            s.push_str("\r\n");
            data(&mut s, &self.summary);
        }
        s
    }

    /// Gzip-compresses [`to_text`](Self::to_text) (for `tar_type=GZIP`).
    pub fn to_gzip(&self) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing into a Vec cannot fail.
        let _ = e.write_all(self.to_text().as_bytes());
        e.finish().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CLASSIC: &str = "交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,总金额,代金券或立减优惠金额,微信退款单号,商户退款单号,退款金额,代金券或立减优惠退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率\r\n\
`2014-11-10 16:33:45,`wx2421b1c4370ec43b,`10000100,`0,`1000,`1001690740201411100005734289,`1415640626,`085e9858e3ba5186aafcbaed1,`MICROPAY,`SUCCESS,`CFT,`CNY,`0.01,`0.0,`0,`0,`0,`0,`,`,`被扫支付测试,`订单额外描述,`0,`0.60%\r\n\
`2014-11-10 16:46:14,`wx2421b1c4370ec43b,`10000100,`0,`1000,`1002780340201411100005729794,`1415635270,`085e9858e90ca40c0b5aee463,`MICROPAY,`SUCCESS,`CFT,`CNY,`0.01,`0.0,`0,`0,`0,`0,`,`,`被扫支付测试,`订单额外描述,`0,`0.60%\r\n\
总交易单数,总交易额,总退款金额,总代金券或立减优惠退款金额,手续费总金额\r\n\
`2,`0.02,`0.0,`0.0,`0\r\n";

    #[test]
    fn classic_all_bill() {
        let b = Bill::parse(CLASSIC.as_bytes()).unwrap();
        assert_eq!(b.headers.len(), 24);
        assert_eq!(b.rows.len(), 2);
        assert_eq!(b.rows[0].get(&b, "交易状态"), Some("SUCCESS"));
        assert_eq!(b.rows[0].amount(&b, "总金额").unwrap(), Fen(1));
        assert_eq!(b.rows[0].get(&b, "退款类型"), Some(""));
        assert_eq!(b.rows[0].get(&b, "费率"), Some("0.60%"));
        assert_eq!(b.summary_get("总交易单数"), Some("2"));
        assert_eq!(b.summary_amount("总交易额").unwrap(), Fen(2));
        // gzip and BOM variants
        let gz = b.to_gzip();
        assert_eq!(Bill::parse(&gz).unwrap(), b);
        let bom = format!("\u{feff}{CLASSIC}");
        assert_eq!(Bill::parse(bom.as_bytes()).unwrap(), b);
        assert_eq!(
            Bill::parse(CLASSIC.replace("\r\n", "\n").as_bytes()).unwrap(),
            b
        );
        assert_eq!(Bill::parse(b.to_text().as_bytes()).unwrap(), b);
    }

    #[test]
    fn current_header_by_names_not_positions() {
        let text = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\n\
`2024-01-02 03:04:05,`wx1,`10000100,`0,`,`4200001,`T1,`o1,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`5030001,`R1,`19.99,`0.00,`ORIGINAL,`SUCCESS,`会员,`,`-0.12,`0.60%,`0.00,`19.99,`\n\
总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n\
`1,`0.00,`19.99,`0.00,`-0.12,`0.00,`19.99\n";
        let b = Bill::parse(text.as_bytes()).unwrap();
        let r = &b.rows[0];
        assert_eq!(r.amount(&b, "退款金额").unwrap(), Fen(1999));
        assert_eq!(r.amount(&b, "手续费").unwrap(), Fen(-12));
        assert_eq!(r.get(&b, "费率备注"), Some(""));
        assert_eq!(b.summary_amount("退款总金额").unwrap(), Fen(1999));
        assert!(r.amount(&b, "费率").is_err());
    }

    #[test]
    fn failure_xml_and_garbage() {
        let e = Bill::parse(b"<xml><return_code>FAIL</return_code><return_msg>No Bill Exist</return_msg><error_code>20002</error_code></xml>").unwrap_err();
        assert_eq!(
            e,
            PayError::ReturnFail {
                return_msg: "No Bill Exist".into()
            }
        );
        assert!(Bill::parse(b"").is_err());
        assert!(Bill::parse(&[0x1f, 0x8b, 0, 1, 2]).is_err());
        assert!(Bill::parse(&[0xff, 0xfe]).is_err());
        assert!(Bill::parse("a,b\n`1\n".as_bytes()).is_err());
    }

    proptest! {
        #[test]
        fn bill_parse_never_panics(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = Bill::parse(&data);
        }

        #[test]
        fn bill_write_parse_roundtrip(rows in proptest::collection::vec(proptest::collection::vec("[a-z0-9 .:%-]{0,8}", 3), 0..5)) {
            let b = Bill {
                headers: vec!["a".into(), "b".into(), "c".into()],
                rows: rows.into_iter().map(|fields| BillRow { fields }).collect(),
                summary_headers: vec!["n".into()],
                summary: vec!["1".into()],
            };
            prop_assert_eq!(Bill::parse(b.to_text().as_bytes()).unwrap(), b);
        }
    }
}
