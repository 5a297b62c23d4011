//! The callback inspector's diagnoses in the UI language.
//!
//! The server writes each diagnosis in English from a fixed set of templates
//! (`callback::diagnose`, `callback::pipeline`, `wecom::suite`, `util::rejected_body`) and stores
//! it with the delivery, so older rows read the same way. Each template is matched here by its
//! fixed parts (`{}` is a value: a timestamp, a nonce, a byte count, a field name) and re-worded
//! with its values. A diagnosis no template matches comes back as `None`: the page shows it as
//! raw protocol text.

use api::Lang;

/// `(English template, Chinese template)`; `{}` are the values, in the same order.
const TEMPLATES: &[(&str, &str)] = &[
    // GET (URL verification).
    (
        "GET without echostr: not a URL verification",
        "GET 请求没有 echostr：不是 URL 验证",
    ),
    (
        "encrypted echostr (msg_signature) but no EncodingAESKey is configured for this account",
        "echostr 已加密（带 msg_signature），但此账号没有配置 EncodingAESKey",
    ),
    (
        "stale timestamp {}: outside the ±{}s window (replay, or clock skew)",
        "时间戳 {} 已过期：超出 ±{} 秒的时间窗口（重放请求，或服务器时钟偏差）",
    ),
    // POST: size, mode, key.
    (
        "XML too large: the body exceeds {} bytes",
        "XML 过大：请求体超过 {} 字节",
    ),
    ("XML too large (over {} bytes)", "XML 过大（超过 {} 字节）"),
    (
        "internal error while processing (see the server log)",
        "处理时发生内部错误（详见服务器日志）",
    ),
    (
        "plain push (no msg_signature) to a WeCom app: WeCom always encrypts; not a WeChat request",
        "明文推送（没有 msg_signature）到企业微信应用：企业微信总是加密推送，这不是微信发来的请求",
    ),
    (
        "plain push (no encrypt_type=aes) to an account in safe mode: the console's message mode differs from this account's, or a forged request",
        "明文推送（未带加密参数 encrypt_type）到安全模式的账号：微信后台的消息加解密方式与本账号设置不一致，或是伪造的请求",
    ),
    (
        "plain push (no encrypt_type=aes) to an account in compatible mode: WeChat always sends the encrypted part in this mode; the console's message mode differs from this account's, or a forged request",
        "明文推送（未带加密参数 encrypt_type）到兼容模式的账号：兼容模式下微信总会附带密文；微信后台的消息加解密方式与本账号设置不一致，或是伪造的请求",
    ),
    (
        "encrypted push but no EncodingAESKey is configured for this account",
        "收到加密推送，但此账号没有配置 EncodingAESKey",
    ),
    (
        "stale timestamp {} (skew {}, window ±{}s): a replayed request, or clock skew",
        "时间戳 {} 已过期（偏差 {}，时间窗口 ±{} 秒）：重放请求，或服务器时钟偏差",
    ),
    (
        "replayed nonce: timestamp {} and nonce {} were already used for another body (a captured signature reused for forged content)",
        "nonce 重放：时间戳 {} 与 nonce {} 已用于另一个请求体（截获的签名被用于伪造内容）",
    ),
    // Signatures and decryption (`callback::diagnose::crypto`).
    (
        "bad {}: the timestamp {} is outside the ±{}s window: a stale or replayed request, or clock skew",
        "{} 校验失败：时间戳 {} 超出 ±{} 秒的时间窗口，是过期或重放的请求，或服务器时钟偏差",
    ),
    (
        "bad {}: the Token is right (the plain signature matches) but msg_signature does not match the Encrypt value: the body was altered",
        "{} 校验失败：Token 正确（明文签名一致），但 msg_signature 与 Encrypt 内容不符：请求体被篡改",
    ),
    (
        "bad {}: no signature parameter at all: not a WeChat request",
        "{} 校验失败：请求没有任何签名参数，不是微信发来的请求",
    ),
    (
        "bad {}: encrypt_type=aes but no msg_signature: not a WeChat request",
        "{} 校验失败：声明了加密（encrypt_type）却没有 msg_signature，不是微信发来的请求",
    ),
    (
        "bad {}: wrong Token (the console's Token differs from this account's), or a forged request",
        "{} 校验失败：Token 不对（微信后台的 Token 与本账号的不同），或是伪造的请求",
    ),
    (
        "XXE attempt: the body declares a DOCTYPE/ENTITY; DTDs are never processed",
        "XXE 攻击尝试：请求体声明了 DOCTYPE/ENTITY；本系统从不处理 DTD",
    ),
    (
        "decrypted, but the message was encrypted for {} instead of {}: wrong AppID/CorpID configured",
        "解密成功，但消息是发给 {} 而不是 {} 的：AppID/CorpID 配置错误",
    ),
    (
        "signature ({}) valid, decryption failed ({}): wrong EncodingAESKey, or it was rotated in the console",
        "签名（{}）正确，解密失败（{}）：EncodingAESKey 不对，或已在微信后台更换",
    ),
    // Parsing.
    ("XML refused: {}", "XML 被拒绝：{}"),
    ("not a WeChat message: {}", "不是微信消息：{}"),
    // Accepted deliveries with something to say.
    (
        "not a message or event of this account kind: acknowledged",
        "不是此类账号的消息或事件：已回复 success",
    ),
    (
        "retry while the first copy is still being handled: its reply was not ready within the budget and goes through the API",
        "首次推送仍在处理时收到重试：回复未在时限内准备好，改由客服消息接口发送",
    ),
    (
        "retry of a message stored but never handled (the first attempt was interrupted): handled now",
        "重试的消息已保存但未处理（首次处理被中断）：现在处理",
    ),
    (
        "reply not ready within the {} ms budget: answered success, reply goes through the asynchronous path",
        "回复未在 {} 毫秒时限内准备好：已回复 success，回复改为异步发送",
    ),
    (
        "WeChat hung up before the reply was ready: the reply goes through the asynchronous path",
        "回复准备好之前微信已断开连接：回复改为异步发送",
    ),
    (
        "another process recorded this message's reply first: answered with it",
        "另一个进程先记录了此消息的回复：用它作答",
    ),
    // Suite instructions (`wecom::suite::apply`).
    (
        "suite_ticket stored (the suite client reads it for the suite token)",
        "suite_ticket 已保存（获取第三方应用凭证时使用）",
    ),
    (
        "change_contact of corp {} stored for the contacts feature",
        "企业 {} 的通讯录变更已保存，供通讯录功能使用",
    ),
    (
        "{}: corp {} installed, permanent code stored",
        "{}：企业 {} 已完成授权，永久授权码已保存",
    ),
    (
        "{}: the install page took this auth code; nothing more to do",
        "{}：安装页面已使用此临时授权码，无需再处理",
    ),
    (
        "change_auth of corp {}: apps and privileges refreshed",
        "企业 {} 变更授权：应用与权限已刷新",
    ),
    (
        "change_auth of corp {}, which never authorised this suite here: ignored",
        "企业 {} 变更授权，但它从未在本系统授权此应用：已忽略",
    ),
    (
        "cancel_auth of corp {}: marked revoked, its token dropped",
        "企业 {} 取消授权：已标记为已取消授权，其凭证已删除",
    ),
    (
        "cancel_auth of corp {}: not active here, nothing to do",
        "企业 {} 取消授权：本系统中它未处于授权状态，无需处理",
    ),
    (
        "suite instruction acknowledged (not acted on here)",
        "第三方应用指令已确认（本系统不处理此指令）",
    ),
];

/// What `XML refused: {}` and `not a WeChat message: {}` carry: the `wechat` crate's XML and
/// message errors (`wechat::xml::XmlError`, `wechat::message::MessageError`).
const DETAILS: &[(&str, &str)] = &[
    ("document larger than {} bytes", "文档超过 {} 字节"),
    ("document nested deeper than {}", "文档嵌套超过 {} 层"),
    ("document has more than {} elements", "文档元素超过 {} 个"),
    ("DOCTYPE is not allowed", "不允许 DOCTYPE 声明"),
    (
        "entity reference &{}; is not allowed",
        "不允许实体引用 &{};",
    ),
    // The parser's own words stay as they are: they name a position in the raw body.
    ("malformed XML: {}", "XML 格式错误：{}"),
    ("no root element", "没有根元素"),
    ("unexpected root element <{}>", "根元素 <{}> 不是 <xml>"),
    ("missing field {}", "缺少字段 {}"),
    ("field {}: invalid value {}", "字段 {} 的取值无效：{}"),
];

/// The note `util::rejected_body` appends in brackets.
const NOTES: &[(&str, &str)] = &[
    (
        "body of {} bytes, sha256 {}; {} bytes stored (too many rejected requests this minute)",
        "请求体 {} 字节，sha256 {}；保存了 {} 字节（本分钟被拒绝的请求过多）",
    ),
    (
        "body of {} bytes, sha256 {}; {} bytes stored",
        "请求体 {} 字节，sha256 {}；保存了 {} 字节",
    ),
];

/// The values of `s` in the places of `template`'s `{}`, when its fixed parts match.
fn values<'a>(template: &str, s: &'a str) -> Option<Vec<&'a str>> {
    let parts: Vec<&str> = template.split("{}").collect();
    let mut rest = s.strip_prefix(parts[0])?;
    let mut out = Vec::new();
    for (n, fixed) in parts.iter().enumerate().skip(1) {
        let last = n == parts.len() - 1;
        let at = if last {
            if !rest.ends_with(fixed) {
                return None;
            }
            rest.len() - fixed.len()
        } else if fixed.is_empty() {
            return None;
        } else {
            rest.find(fixed)?
        };
        out.push(rest[..at].trim_matches('"'));
        rest = &rest[at + fixed.len()..];
    }
    (parts.len() > 1 || rest.is_empty()).then_some(out)
}

pub(super) fn reword(table: &[(&str, &str)], s: &str) -> Option<String> {
    table.iter().find_map(|(en, zh)| {
        let vals = values(en, s)?;
        let mut out = String::new();
        let mut vals = vals.into_iter();
        for (n, piece) in zh.split("{}").enumerate() {
            if n > 0 {
                let v = vals.next().unwrap_or_default();
                // A value can itself be a known error ("XML refused: no root element").
                match reword(DETAILS, v) {
                    Some(detail) => out.push_str(&detail),
                    None => out.push_str(v),
                }
            }
            out.push_str(piece);
        }
        Some(out)
    })
}

/// `diagnosis` in `lang`; `None` when it is no known template (show it as it came).
pub fn diagnosis_text(diagnosis: &str, lang: Lang) -> Option<String> {
    if lang == Lang::En {
        return Some(diagnosis.to_string());
    }
    // `util::with_note`: "diagnosis [note]", or the note alone.
    let (main, note) = match diagnosis
        .strip_suffix(']')
        .and_then(|d| d.rsplit_once(" ["))
    {
        Some((main, note)) => (Some(main), Some(note)),
        None if diagnosis.starts_with("body of ") => (None, Some(diagnosis)),
        None => (Some(diagnosis), None),
    };
    let main = match main {
        Some(m) => Some(reword(TEMPLATES, m)?),
        None => None,
    };
    let note = match note {
        Some(n) => Some(reword(NOTES, n)?),
        None => None,
    };
    Some(match (main, note) {
        (Some(m), Some(n)) => format!("{m}【{n}】"),
        (Some(m), None) => m,
        (None, Some(n)) => n,
        (None, None) => String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnoses_are_reworded_with_their_values() {
        assert_eq!(
            diagnosis_text(
                "bad signature: wrong Token (the console's Token differs from this account's), or a forged request",
                Lang::ZhCn
            )
            .unwrap(),
            "signature 校验失败：Token 不对（微信后台的 Token 与本账号的不同），或是伪造的请求"
        );
        assert_eq!(
            diagnosis_text(
                "stale timestamp \"1700000000\" (skew 3600s, window ±300s): a replayed request, or clock skew",
                Lang::ZhCn
            )
            .unwrap(),
            "时间戳 1700000000 已过期（偏差 3600s，时间窗口 ±300 秒）：重放请求，或服务器时钟偏差"
        );
        let noted = diagnosis_text(
            "XML too large (over 65536 bytes) [body of 70000 bytes, sha256 ab12; 4096 bytes stored]",
            Lang::ZhCn,
        )
        .unwrap();
        assert_eq!(
            noted,
            "XML 过大（超过 65536 字节）【请求体 70000 字节，sha256 ab12；保存了 4096 字节】"
        );
        assert_eq!(
            diagnosis_text("XML refused: unexpected root element <html>", Lang::ZhCn).unwrap(),
            "XML 被拒绝：根元素 <html> 不是 <xml>"
        );
        assert_eq!(
            diagnosis_text("not a WeChat message: missing field MsgType", Lang::ZhCn).unwrap(),
            "不是微信消息：缺少字段 MsgType"
        );
        assert_eq!(diagnosis_text("something new", Lang::ZhCn), None);
        assert_eq!(
            diagnosis_text("something new", Lang::En).as_deref(),
            Some("something new")
        );
    }
}
