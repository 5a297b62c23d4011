//! Field rules shared by the server (authoritative) and the SPA (inline feedback).
//!
//! Each rule returns `Err(Rule)`; [`Rule::code`] is stable for machines and
//! [`Rule::message`] renders the text in either UI language.

use crate::{FieldIssue, Lang};

/// Why a value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    /// WeChat's EncodingAESKey: exactly 43 letters or digits.
    AesKeyFormat,
    /// Token: 3–32 letters or digits.
    TokenFormat,
    /// `wx` followed by 16 letters or digits.
    AppIdFormat,
    /// 32 letters or digits.
    AppSecretFormat,
    /// `gh_` followed by letters or digits.
    OriginalIdFormat,
    /// `ww`/`wx` followed by letters or digits.
    CorpIdFormat,
    /// A positive integer.
    AgentIdFormat,
    /// Letters, digits, `-` and `_`, at most 64.
    CorpSecretFormat,
    /// 8–12 digits.
    MchIdFormat,
    /// Exactly 32 letters or digits.
    PayApiKeyFormat,
    SuiteIdFormat,
    Base64Format,
    FileTooLarge {
        max_bytes: usize,
    },
    UsernameFormat,
    /// Shorter than 10, without letters or digits, or too predictable (see [`crate::password_strength`]).
    PasswordTooWeak,
    /// On the common-password list, or a common word with digits.
    PasswordCommon,
    PasswordEqualsUsername,
    /// The field exists, but not for this kind of account.
    NotForKind,
    /// `prefix@wechat_id` of a customer-service account.
    KfAccountFormat,
    /// A WeChat ID (微信号).
    WechatIdFormat,
    /// An integer outside `min..=max`.
    Range {
        min: i64,
        max: i64,
    },
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::TooLong { .. } => "too_long",
            Rule::TooShort { .. } => "too_short",
            Rule::AesKeyFormat => "encoding_aes_key_format",
            Rule::TokenFormat => "token_format",
            Rule::AppIdFormat => "app_id_format",
            Rule::AppSecretFormat => "app_secret_format",
            Rule::OriginalIdFormat => "original_id_format",
            Rule::CorpIdFormat => "corp_id_format",
            Rule::AgentIdFormat => "agent_id_format",
            Rule::CorpSecretFormat => "corp_secret_format",
            Rule::MchIdFormat => "mch_id_format",
            Rule::PayApiKeyFormat => "pay_api_key_format",
            Rule::SuiteIdFormat => "suite_id_format",
            Rule::Base64Format => "base64_format",
            Rule::FileTooLarge { .. } => "file_too_large",
            Rule::UsernameFormat => "username_format",
            Rule::PasswordTooWeak => "password_too_weak",
            Rule::PasswordCommon => "password_common",
            Rule::PasswordEqualsUsername => "password_equals_username",
            Rule::NotForKind => "not_for_kind",
            Rule::KfAccountFormat => "kf_account_format",
            Rule::WechatIdFormat => "wechat_id_format",
            Rule::Range { .. } => "out_of_range",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        match self {
            Rule::Required => pick(zh, "必填", "Required"),
            Rule::TooLong { max } => {
                if zh {
                    format!("最多 {max} 个字符")
                } else {
                    format!("At most {max} characters")
                }
            }
            Rule::TooShort { min } => {
                if zh {
                    format!("至少 {min} 个字符")
                } else {
                    format!("At least {min} characters")
                }
            }
            Rule::AesKeyFormat => pick(
                zh,
                "EncodingAESKey 必须是 43 位字母或数字",
                "EncodingAESKey must be 43 letters or digits",
            ),
            Rule::TokenFormat => pick(
                zh,
                "Token 必须是 3–32 位字母或数字",
                "Token must be 3–32 letters or digits",
            ),
            Rule::AppIdFormat => pick(
                zh,
                "AppID 格式为 wx 加 16 位字母或数字",
                "AppID is wx followed by 16 letters or digits",
            ),
            Rule::AppSecretFormat => pick(
                zh,
                "AppSecret 必须是 32 位字母或数字",
                "AppSecret must be 32 letters or digits",
            ),
            Rule::OriginalIdFormat => pick(
                zh,
                "原始 ID 格式为 gh_ 加字母或数字",
                "Original ID is gh_ followed by letters or digits",
            ),
            Rule::CorpIdFormat => pick(
                zh,
                "CorpID 以 ww 或 wx 开头，后接字母或数字",
                "CorpID starts with ww or wx, followed by letters or digits",
            ),
            Rule::AgentIdFormat => pick(
                zh,
                "AgentId 必须是正整数",
                "AgentId must be a positive integer",
            ),
            Rule::CorpSecretFormat => pick(
                zh,
                "Secret 只能包含字母、数字、- 和 _，最多 64 位",
                "Secret may contain letters, digits, - and _, at most 64",
            ),
            Rule::MchIdFormat => pick(
                zh,
                "商户号必须是 8–12 位数字",
                "Merchant ID must be 8–12 digits",
            ),
            Rule::PayApiKeyFormat => pick(
                zh,
                "API 密钥必须是 32 位字母或数字",
                "API key must be 32 letters or digits",
            ),
            Rule::SuiteIdFormat => pick(
                zh,
                "SuiteID 以 ww 或 wx 开头，后接字母或数字",
                "SuiteID starts with ww or wx, followed by letters or digits",
            ),
            Rule::Base64Format => pick(zh, "文件内容无效", "The file content is not valid"),
            Rule::FileTooLarge { max_bytes } => {
                if zh {
                    format!("文件不能超过 {} KB", max_bytes / 1024)
                } else {
                    format!("The file must not exceed {} KB", max_bytes / 1024)
                }
            }
            Rule::UsernameFormat => pick(
                zh,
                "用户名为 3–32 位小写字母、数字、点、横线或下划线",
                "Username is 3–32 lower-case letters, digits, dots, dashes or underscores",
            ),
            Rule::PasswordTooWeak => pick(
                zh,
                "密码太弱：至少 10 位，包含字母和数字，避免重复、连续或键盘顺序的字符",
                "Password is too weak: at least 10 characters with letters and digits, without repeated, sequential or keyboard runs",
            ),
            Rule::PasswordCommon => pick(
                zh,
                "这是常见密码（或常见单词加数字），很容易被猜中",
                "This is a common password (or a common word with digits) and easy to guess",
            ),
            Rule::PasswordEqualsUsername => pick(
                zh,
                "密码不能与用户名相同",
                "Password must differ from the username",
            ),
            Rule::NotForKind => pick(
                zh,
                "该账号类型没有此字段",
                "This field does not belong to this kind of account",
            ),
            Rule::KfAccountFormat => pick(
                zh,
                "格式为 前缀@公众号微信号，前缀最多 10 位字母、数字或下划线",
                "Use prefix@account_wechat_id; the prefix is at most 10 letters, digits or underscores",
            ),
            Rule::WechatIdFormat => pick(
                zh,
                "微信号为 6–20 位字母、数字、- 或 _，以字母开头",
                "A WeChat ID is 6–20 letters, digits, - or _, starting with a letter",
            ),
            Rule::Range { min, max } => {
                if zh {
                    format!("必须在 {min} 到 {max} 之间")
                } else {
                    format!("Must be between {min} and {max}")
                }
            }
        }
    }
}

fn pick(zh: bool, zh_text: &str, en_text: &str) -> String {
    if zh { zh_text } else { en_text }.to_string()
}

/// Collected field issues of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Issues {
    pub list: Vec<(String, Rule)>,
}

impl Issues {
    pub fn check(&mut self, field: &str, result: Result<(), Rule>) {
        if let Err(rule) = result {
            self.list.push((field.to_string(), rule));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The first problem with `field`, if any.
    pub fn for_field(&self, field: &str) -> Option<Rule> {
        self.list.iter().find(|(f, _)| f == field).map(|(_, r)| *r)
    }

    /// As carried in an API error (English messages).
    pub fn to_field_issues(&self) -> Vec<FieldIssue> {
        self.list
            .iter()
            .map(|(field, rule)| FieldIssue {
                field: field.clone(),
                code: rule.code().to_string(),
                message: rule.message(Lang::En),
            })
            .collect()
    }
}

fn alnum(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn required(s: &str) -> Result<(), Rule> {
    if s.trim().is_empty() {
        Err(Rule::Required)
    } else {
        Ok(())
    }
}

pub fn account_name(s: &str) -> Result<(), Rule> {
    required(s)?;
    if s.chars().count() > 64 {
        return Err(Rule::TooLong { max: 64 });
    }
    Ok(())
}

pub fn token(s: &str) -> Result<(), Rule> {
    required(s)?;
    if (3..=32).contains(&s.len()) && alnum(s) {
        Ok(())
    } else {
        Err(Rule::TokenFormat)
    }
}

pub fn encoding_aes_key(s: &str) -> Result<(), Rule> {
    required(s)?;
    if s.len() == 43 && alnum(s) {
        Ok(())
    } else {
        Err(Rule::AesKeyFormat)
    }
}

pub fn app_id(s: &str) -> Result<(), Rule> {
    required(s)?;
    if s.len() == 18 && s.starts_with("wx") && alnum(s) {
        Ok(())
    } else {
        Err(Rule::AppIdFormat)
    }
}

pub fn app_secret(s: &str) -> Result<(), Rule> {
    required(s)?;
    if s.len() == 32 && alnum(s) {
        Ok(())
    } else {
        Err(Rule::AppSecretFormat)
    }
}

pub fn original_id(s: &str) -> Result<(), Rule> {
    required(s)?;
    let rest = s.strip_prefix("gh_").ok_or(Rule::OriginalIdFormat)?;
    if (1..=32).contains(&rest.len()) && alnum(rest) {
        Ok(())
    } else {
        Err(Rule::OriginalIdFormat)
    }
}

fn w_id(s: &str, rule: Rule) -> Result<(), Rule> {
    required(s)?;
    if (s.starts_with("ww") || s.starts_with("wx")) && (10..=32).contains(&s.len()) && alnum(s) {
        Ok(())
    } else {
        Err(rule)
    }
}

pub fn corp_id(s: &str) -> Result<(), Rule> {
    w_id(s, Rule::CorpIdFormat)
}

pub fn suite_id(s: &str) -> Result<(), Rule> {
    w_id(s, Rule::SuiteIdFormat)
}

pub fn agent_id(id: i64) -> Result<(), Rule> {
    if (1..=i64::from(i32::MAX)).contains(&id) {
        Ok(())
    } else {
        Err(Rule::AgentIdFormat)
    }
}

pub fn corp_secret(s: &str) -> Result<(), Rule> {
    required(s)?;
    if s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(())
    } else {
        Err(Rule::CorpSecretFormat)
    }
}

pub fn mch_id(s: &str) -> Result<(), Rule> {
    required(s)?;
    if (8..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Rule::MchIdFormat)
    }
}

pub fn pay_api_key(s: &str) -> Result<(), Rule> {
    required(s)?;
    if s.len() == 32 && alnum(s) {
        Ok(())
    } else {
        Err(Rule::PayApiKeyFormat)
    }
}

/// Standard base64 text whose decoded size is at most `max_bytes`.
pub fn base64_blob(s: &str, max_bytes: usize) -> Result<(), Rule> {
    let s = s.trim();
    required(s)?;
    let body = s.trim_end_matches('=');
    if !s.len().is_multiple_of(4)
        || s.len() - body.len() > 2
        || !body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    {
        return Err(Rule::Base64Format);
    }
    if body.len() / 4 * 3 > max_bytes {
        return Err(Rule::FileTooLarge { max_bytes });
    }
    Ok(())
}

pub fn username(s: &str) -> Result<(), Rule> {
    required(s)?;
    if (3..=32).contains(&s.len())
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'_'
        })
    {
        Ok(())
    } else {
        Err(Rule::UsernameFormat)
    }
}

/// Staff password policy: not the username, ≥ 10 characters with letters and digits, not a
/// common password, and not weak by [`crate::password_strength::password_strength`].
pub fn password(password: &str, username: &str) -> Result<(), Rule> {
    if password.is_empty() {
        return Err(Rule::Required);
    }
    if password.chars().count() > 128 {
        return Err(Rule::TooLong { max: 128 });
    }
    if password.eq_ignore_ascii_case(username) {
        return Err(Rule::PasswordEqualsUsername);
    }
    let has_letter = password.chars().any(|c| c.is_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if password.chars().count() < 10 || !has_letter || !has_digit {
        return Err(Rule::PasswordTooWeak);
    }
    if crate::password_strength::is_common_password(password) {
        return Err(Rule::PasswordCommon);
    }
    // The same estimate as the SPA's meter: "weak" there is refused here.
    if crate::password_strength::password_strength(password) < 2 {
        return Err(Rule::PasswordTooWeak);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aes_key_must_be_43_alphanumerics() {
        assert_eq!(
            encoding_aes_key("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
            Ok(())
        );
        assert_eq!(
            encoding_aes_key("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF"),
            Err(Rule::AesKeyFormat)
        );
        assert_eq!(
            encoding_aes_key("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF+"),
            Err(Rule::AesKeyFormat)
        );
        assert_eq!(encoding_aes_key(""), Err(Rule::Required));
    }

    #[test]
    fn token_is_3_to_32_alphanumerics() {
        assert_eq!(token("pamtest"), Ok(()));
        assert_eq!(token("ab"), Err(Rule::TokenFormat));
        assert_eq!(token(&"a".repeat(33)), Err(Rule::TokenFormat));
        assert_eq!(token("has space"), Err(Rule::TokenFormat));
    }

    #[test]
    fn ids_from_the_protocol_reference_are_accepted() {
        assert_eq!(app_id("wxb11529c136998cb6"), Ok(()));
        assert_eq!(app_id("wxd930ea5d5a258f4f"), Ok(()));
        assert_eq!(app_id("wx123"), Err(Rule::AppIdFormat));
        assert_eq!(corp_id("wx5823bf96d3bd56c7"), Ok(()));
        assert_eq!(suite_id("ww4asffe99e54c0fxxxx"), Ok(()));
        assert_eq!(original_id("gh_7f083739789a"), Ok(()));
        assert_eq!(mch_id("10000100"), Ok(()));
        assert_eq!(pay_api_key("192006250b4c09247ec02edce69f6a2d"), Ok(()));
        assert_eq!(mch_id("1000010a"), Err(Rule::MchIdFormat));
    }

    #[test]
    fn passwords_need_length_letters_and_digits() {
        assert_eq!(password("correct horse 42", "alice"), Ok(()));
        assert_eq!(password("short1", "alice"), Err(Rule::PasswordTooWeak));
        assert_eq!(
            password("onlyletterslong", "alice"),
            Err(Rule::PasswordTooWeak)
        );
        assert_eq!(
            password("alice12345", "alice12345"),
            Err(Rule::PasswordEqualsUsername)
        );
        assert_eq!(
            password("Password2026!", "alice"),
            Err(Rule::PasswordCommon)
        );
        assert_eq!(
            password("kbcdefgh1234", "alice"),
            Err(Rule::PasswordTooWeak)
        );
        assert_eq!(password("user-password-42", "alice"), Ok(()));
    }

    #[test]
    fn base64_blob_checks_alphabet_and_size() {
        assert_eq!(base64_blob("aGVsbG8=", 10), Ok(()));
        assert_eq!(base64_blob("aGVsbG8", 10), Err(Rule::Base64Format));
        assert_eq!(base64_blob("a$==", 10), Err(Rule::Base64Format));
        assert_eq!(
            base64_blob(&"QUFB".repeat(10), 10),
            Err(Rule::FileTooLarge { max_bytes: 10 })
        );
    }

    #[test]
    fn every_rule_has_both_languages() {
        for rule in [
            Rule::Required,
            Rule::AesKeyFormat,
            Rule::NotForKind,
            Rule::TooLong { max: 3 },
        ] {
            assert_ne!(rule.message(Lang::ZhCn), rule.message(Lang::En));
        }
    }
}
