//! How guessable a staff password is: one estimate behind both the SPA's strength meter and the
//! server's password rule, so the meter never says "fair" for a password the server refuses.
//!
//! Guessers try common passwords first, then common words with digits appended, then runs a
//! keyboard makes easy (`aaaa`, `1234`, `qwer`). The estimate therefore counts only the
//! characters that are not predictable from the one before, and refuses an embedded list of
//! common passwords and of common base words followed by nothing but digits and symbols.

/// Rows of a US keyboard: neighbours on a row are a "walk" (`qwerty`, `asdf`).
const KEYBOARD_ROWS: [&str; 4] = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// Words that guessers combine with digits (`Password2026!`, `wechat@123`). Lower case.
const COMMON_BASES: &[&str] = &[
    "password",
    "passwd",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "pass",
    "qwerty",
    "qwertyuiop",
    "qwer",
    "asdf",
    "asdfgh",
    "asdfghjkl",
    "zxcvbnm",
    "admin",
    "administrator",
    "root",
    "user",
    "test",
    "guest",
    "welcome",
    "letmein",
    "iloveyou",
    "changeme",
    "default",
    "secret",
    "login",
    "master",
    "monkey",
    "dragon",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "superman",
    "batman",
    "trustno",
    "shadow",
    "michael",
    "abc",
    "abcd",
    "abcdef",
    "abcdefg",
    "abcdefgh",
    "china",
    "beijing",
    "shanghai",
    "woaini",
    "wodemima",
    "mima",
    "love",
    "hello",
    "wechat",
    "weixin",
    "wxportal",
    "portal",
    "company",
    "qazwsx",
    "zaq",
    "qaz",
    "aaa",
];

/// Whole passwords from public leak frequency lists that satisfy the length and character-class
/// rules (shorter ones are refused anyway). Lower case.
const COMMON_PASSWORDS: &[&str] = &[
    "1qaz2wsx3edc",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "q1w2e3r4t5",
    "q1w2e3r4t5y6",
    "1qazxsw23edc",
    "zaq12wsxcde3",
    "zaq1zaq1zaq1",
    "a1b2c3d4e5",
    "a1b2c3d4e5f6",
    "1a2b3c4d5e",
    "qwe123qwe123",
    "abc123abc123",
    "woaini1314520",
    "5201314woaini",
    "aa12345678",
    "a1234567890",
    "qq123456789",
    "abcd1234abcd",
    "1234qwerasdf",
    "qwer1234asdf",
    "1234abcd1234",
    "asd123456789",
    "zxc123456789",
    "qweasdzxc123",
    "1qaz!qaz2wsx",
    "1qaz@wsx3edc",
    "q1w2e3r4t5y6u7",
];

/// 0 for an empty password, else 1 (weak), 2 (fair) or 3 (strong).
pub fn password_strength(password: &str) -> u8 {
    if password.is_empty() {
        return 0;
    }
    if is_common_password(password) {
        return 1;
    }
    let len = password.chars().count();
    let effective = effective_length(password);
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|present| **present)
    .count();
    if len < 10 || effective < MIN_EFFECTIVE_LENGTH {
        1
    } else if classes <= 2 || effective < 14 {
        2
    } else {
        3
    }
}

/// Below this many unpredictable characters a password is weak, whatever its length.
pub const MIN_EFFECTIVE_LENGTH: usize = 8;

/// The password is on the common list, or is a common word followed only by digits and symbols.
pub fn is_common_password(password: &str) -> bool {
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) {
        return true;
    }
    let base = lower.trim_end_matches(|c: char| c.is_ascii_digit() || !c.is_alphanumeric());
    let base = base.trim_start_matches(|c: char| c.is_ascii_digit());
    base.is_empty() || COMMON_BASES.contains(&base)
}

/// Characters not predictable from the previous one: a repeat (`aa`), a step in the alphabet or
/// digits (`ab`, `21`) or a keyboard neighbour (`qw`, `90`) adds nothing.
pub fn effective_length(password: &str) -> usize {
    let chars: Vec<char> = password.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut count = 0;
    for (i, c) in chars.iter().enumerate() {
        let predictable = i > 0 && {
            let prev = chars[i - 1];
            prev == *c || alphabet_step(prev, *c) || keyboard_neighbours(prev, *c)
        };
        if !predictable {
            count += 1;
        }
    }
    count
}

fn alphabet_step(a: char, b: char) -> bool {
    a.is_ascii_alphanumeric()
        && b.is_ascii_alphanumeric()
        && (a as i32 - b as i32).abs() == 1
        && a.is_ascii_digit() == b.is_ascii_digit()
}

fn keyboard_neighbours(a: char, b: char) -> bool {
    KEYBOARD_ROWS.iter().any(|row| {
        let (Some(i), Some(j)) = (row.find(a), row.find(b)) else {
            return false;
        };
        i.abs_diff(j) == 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_grows_with_length_and_variety() {
        assert_eq!(password_strength(""), 0);
        assert_eq!(password_strength("abc123"), 1);
        assert_eq!(password_strength("horse-staple-9"), 2);
        assert_eq!(password_strength("Horse-staple-battery-9"), 3);
    }

    #[test]
    fn runs_and_keyboard_walks_count_once() {
        assert_eq!(effective_length("aaaaaaaaaa"), 1);
        assert_eq!(effective_length("1234567890"), 1);
        assert_eq!(effective_length("qwertyuiop"), 1);
        assert_eq!(effective_length("abcdefgh12"), 2);
        assert_eq!(effective_length("kx7-Pz2m"), 8);
        // Long but predictable: weak.
        assert_eq!(password_strength("abcdefgh1234"), 1);
        assert_eq!(password_strength("aaaaaaaaa1"), 1);
    }

    #[test]
    fn common_passwords_and_common_words_with_digits_are_weak() {
        for pw in [
            "Password123456",
            "password2026!",
            "Welcome@2026",
            "wxportal2026",
            "1qaz2wsx3edc",
            "Admin12345678",
            "2026wechat2026",
        ] {
            assert!(is_common_password(pw), "{pw}");
            assert_eq!(password_strength(pw), 1, "{pw}");
        }
        for pw in ["user-password-42", "Portal-admin-2026", "correct horse 42"] {
            assert!(!is_common_password(pw), "{pw}");
            assert!(password_strength(pw) >= 2, "{pw}");
        }
    }
}
