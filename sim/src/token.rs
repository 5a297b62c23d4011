//! Access tokens of every family, with WeChat's lifetimes: 7200 s, and an old token that stays
//! valid for 5 minutes after a newer one is issued for the same credential.

use std::collections::HashMap;

use serde::Serialize;

use crate::proto::sign::random_token;

/// Token lifetime (seconds).
pub const TOKEN_TTL: i64 = 7200;
/// How long a superseded token keeps working (seconds).
pub const GRACE: i64 = 300;

/// Who a token belongs to. The string identifies the credential line: a new token for the same
/// `(owner, line)` supersedes the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Owner {
    /// OA `cgi-bin/token` (`stable` false) or `cgi-bin/stable_token` (`stable` true): the two
    /// are isolated from each other, as WeChat documents.
    Oa {
        /// appid.
        appid: String,
        /// From `stable_token`.
        stable: bool,
    },
    /// WeCom `gettoken`, per (corpid, secret owner: agent id or `contacts`).
    Work {
        /// corpid.
        corpid: String,
        /// Agent id as a string, or `contacts`.
        agent: String,
    },
    /// Suite access token.
    Suite {
        /// suite id.
        suite_id: String,
    },
    /// Corp token obtained by a suite for an authorised corp.
    SuiteCorp {
        /// suite id.
        suite_id: String,
        /// corpid.
        corpid: String,
    },
    /// Provider token.
    Provider {
        /// provider corpid.
        corpid: String,
    },
    /// OAuth web access token (`sns/oauth2/access_token`).
    Sns {
        /// appid.
        appid: String,
        /// openid.
        openid: String,
        /// `snsapi_base` / `snsapi_userinfo`.
        scope: String,
    },
}

impl Owner {
    /// The fault/target key (appid, corpid, suite id).
    pub fn target(&self) -> &str {
        match self {
            Owner::Oa { appid, .. } | Owner::Sns { appid, .. } => appid,
            Owner::Work { corpid, .. } | Owner::Provider { corpid } => corpid,
            Owner::Suite { suite_id } => suite_id,
            Owner::SuiteCorp { corpid, .. } => corpid,
        }
    }
}

/// One issued token.
#[derive(Debug, Clone, Serialize)]
pub struct TokenEntry {
    /// Owner.
    pub owner: Owner,
    /// Issued (unix seconds, emulated).
    pub issued: i64,
    /// Expiry (unix seconds, emulated).
    pub expires: i64,
    /// When a newer token replaced it.
    pub superseded: Option<i64>,
    /// Invalidated at once (fault `token_invalidated`).
    pub revoked: bool,
}

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// Unknown, revoked or superseded for more than 5 minutes: 40001.
    Invalid,
    /// Past its `expires_in`: 42001.
    Expired,
}

/// All tokens.
#[derive(Debug, Default)]
pub struct Tokens {
    by_token: HashMap<String, TokenEntry>,
    current: HashMap<Owner, String>,
}

impl Tokens {
    /// Issues a new token for `owner`, superseding the current one (which keeps working for
    /// [`GRACE`] seconds). Returns `(token, expires_in)`.
    pub fn issue(&mut self, owner: Owner, now: i64) -> (String, i64) {
        if let Some(old) = self.current.get(&owner)
            && let Some(e) = self.by_token.get_mut(old)
            && e.superseded.is_none()
        {
            e.superseded = Some(now);
        }
        let token = random_token(136);
        self.by_token.insert(
            token.clone(),
            TokenEntry {
                owner: owner.clone(),
                issued: now,
                expires: now + TOKEN_TTL,
                superseded: None,
                revoked: false,
            },
        );
        self.current.insert(owner, token.clone());
        (token, TOKEN_TTL)
    }

    /// The current token of `owner` if it is still valid, with its remaining lifetime.
    pub fn current(&self, owner: &Owner, now: i64) -> Option<(String, i64)> {
        let t = self.current.get(owner)?;
        let e = self.by_token.get(t)?;
        (!e.revoked && now < e.expires).then(|| (t.clone(), e.expires - now))
    }

    /// Checks a token presented by a client.
    pub fn check(&self, token: &str, now: i64) -> Result<Owner, TokenProblem> {
        let e = self.by_token.get(token).ok_or(TokenProblem::Invalid)?;
        if e.revoked {
            return Err(TokenProblem::Invalid);
        }
        if let Some(s) = e.superseded
            && now >= s + GRACE
        {
            return Err(TokenProblem::Invalid);
        }
        if now >= e.expires {
            return Err(TokenProblem::Expired);
        }
        Ok(e.owner.clone())
    }

    /// How many tokens were ever issued to owners whose target is `target` (appid, corpid,
    /// suite id): what a test reads to prove a refresh happened once.
    pub fn issued_for(&self, target: &str) -> usize {
        self.by_token
            .values()
            .filter(|e| e.owner.target() == target)
            .count()
    }

    /// Revokes every token whose owner's target is `target` (returns how many).
    pub fn revoke_target(&mut self, target: &str) -> usize {
        let mut n = 0;
        for e in self.by_token.values_mut() {
            if e.owner.target() == target && !e.revoked {
                e.revoked = true;
                n += 1;
            }
        }
        self.current.retain(|o, _| o.target() != target);
        n
    }

    /// Revokes every token of exactly `owner`.
    pub fn revoke_owner(&mut self, owner: &Owner) {
        for e in self.by_token.values_mut() {
            if &e.owner == owner {
                e.revoked = true;
            }
        }
        self.current.remove(owner);
    }

    /// Issues a fresh token for every current owner of `target` (as another server would):
    /// the old ones enter their 5-minute grace. Returns how many were superseded.
    pub fn refresh_target(&mut self, target: &str, now: i64) -> usize {
        let owners: Vec<Owner> = self
            .current
            .keys()
            .filter(|o| o.target() == target)
            .cloned()
            .collect();
        for o in &owners {
            self.issue(o.clone(), now);
        }
        owners.len()
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.by_token.clear();
        self.current.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_and_expiry() {
        let mut t = Tokens::default();
        let o = Owner::Oa {
            appid: "wx1".into(),
            stable: false,
        };
        let (a, ttl) = t.issue(o.clone(), 1000);
        assert_eq!(ttl, 7200);
        assert_eq!(t.check(&a, 1001), Ok(o.clone()));
        let (b, _) = t.issue(o.clone(), 2000);
        assert_eq!(t.check(&a, 2299), Ok(o.clone()));
        assert_eq!(t.check(&a, 2300), Err(TokenProblem::Invalid));
        assert_eq!(t.check(&b, 9199), Ok(o.clone()));
        assert_eq!(t.check(&b, 9200), Err(TokenProblem::Expired));
        assert_eq!(t.check("nope", 0), Err(TokenProblem::Invalid));
        assert_eq!(t.revoke_target("wx1"), 2);
        assert_eq!(t.check(&b, 2001), Err(TokenProblem::Invalid));
    }
}
