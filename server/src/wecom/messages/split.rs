//! Splitting a send over WeCom's receiver limits (touser ≤ 1000, toparty ≤ 100, totag ≤ 100 per
//! `message/send`) into calls, and the per-call `touser`/`toparty`/`totag` strings.

use api::wecom_messages::{
    MAX_PARTIES_PER_CALL, MAX_TAGS_PER_CALL, MAX_USERS_PER_CALL, Recipients,
};

/// The calls of a send: `@all` is one call; otherwise chunk `i` of each list goes into call `i`,
/// so the number of calls is the most any list needs. Duplicates are dropped first.
pub fn split(r: &Recipients) -> Vec<Recipients> {
    if r.all {
        return vec![Recipients {
            all: true,
            ..Default::default()
        }];
    }
    fn dedup<T: Clone + PartialEq>(v: &[T]) -> Vec<T> {
        let mut out: Vec<T> = Vec::with_capacity(v.len());
        for x in v {
            if !out.contains(x) {
                out.push(x.clone());
            }
        }
        out
    }
    let users = dedup(&r.users);
    let parties = dedup(&r.parties);
    let tags = dedup(&r.tags);
    let u: Vec<&[String]> = users.chunks(MAX_USERS_PER_CALL).collect();
    let p: Vec<&[i64]> = parties.chunks(MAX_PARTIES_PER_CALL).collect();
    let t: Vec<&[i64]> = tags.chunks(MAX_TAGS_PER_CALL).collect();
    let n = u.len().max(p.len()).max(t.len());
    (0..n)
        .map(|i| Recipients {
            all: false,
            users: u.get(i).map(|c| c.to_vec()).unwrap_or_default(),
            parties: p.get(i).map(|c| c.to_vec()).unwrap_or_default(),
            tags: t.get(i).map(|c| c.to_vec()).unwrap_or_default(),
        })
        .collect()
}

/// `touser`, `toparty`, `totag` of one call (`|`-joined).
pub fn wire(r: &Recipients) -> (String, String, String) {
    let join = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join("|");
    let users = if r.all {
        "@all".to_string()
    } else {
        r.users.join("|")
    };
    (users, join(&r.parties), join(&r.tags))
}

/// WeCom's `a|b` lists as a vector (empty entries dropped).
pub fn unpipe(s: Option<&str>) -> Vec<String> {
    s.unwrap_or("")
        .split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_limit_lists_are_chunked_side_by_side() {
        let r = Recipients {
            all: false,
            users: (0..2500).map(|i| format!("u{i}")).collect(),
            parties: (1..=150).collect(),
            tags: vec![7, 7, 8],
        };
        let parts = split(&r);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].users.len(), 1000);
        assert_eq!(parts[2].users.len(), 500);
        assert_eq!(parts[0].parties.len(), 100);
        assert_eq!(parts[1].parties.len(), 50);
        assert!(parts[2].parties.is_empty());
        assert_eq!(parts[0].tags, vec![7, 8]);
        assert!(parts[1].tags.is_empty());
        assert_eq!(wire(&parts[1]).1.split('|').count(), 50);
    }

    #[test]
    fn all_is_one_call() {
        let r = Recipients {
            all: true,
            users: vec!["a".into()],
            ..Default::default()
        };
        let parts = split(&r);
        assert_eq!(parts.len(), 1);
        assert_eq!(
            wire(&parts[0]),
            ("@all".into(), String::new(), String::new())
        );
    }
}
