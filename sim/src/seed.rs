//! Seed files: a JSON document that creates accounts, followers, tags, menus, merchants and
//! faults in one go (`wechat-sim --seed FILE`, `POST /_sim/seed`, [`Sim::load_seed`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::SimError;
use crate::fault::FaultSpec;
use crate::oa::model::{Follower, OaApp, OaConfig, Tag, new_openid};
use crate::pay::model::MerchantConfig;
use crate::state::{Sim, SimConfig};
use crate::suite::model::SuiteConfig;
use crate::work::model::{Corp, CorpConfig, Department, Member, WorkTag};

/// A seed document. Every part is optional; loading is additive (an existing appid or mch_id is
/// replaced).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Seed {
    /// Set the emulated clock (unix seconds) before anything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_unix: Option<i64>,
    /// Tunables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<SimConfig>,
    /// Official Accounts.
    #[serde(default)]
    pub oa: Vec<OaSeed>,
    /// Pay v2 merchants.
    #[serde(default)]
    pub merchants: Vec<MerchantConfig>,
    /// WeCom corps.
    #[serde(default)]
    pub work: Vec<CorpSeed>,
    /// WeCom third-party suites (their first suite_ticket is pushed at once).
    #[serde(default)]
    pub suites: Vec<SuiteConfig>,
    /// Faults to install.
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
}

/// An Official Account in a seed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OaSeed {
    /// Configuration (empty fields are generated).
    #[serde(flatten)]
    pub config: OaConfig,
    /// User tags (ids ≥ 100).
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Followers (empty openids are generated; `subscribe_time` 0 means now).
    #[serde(default)]
    pub followers: Vec<Follower>,
    /// The default menu's `button` array (validated like `menu/create`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu: Option<Value>,
}

/// A WeCom corp in a seed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CorpSeed {
    /// Configuration (empty fields are generated).
    #[serde(flatten)]
    pub config: CorpConfig,
    /// Departments besides the root (id 1).
    #[serde(default)]
    pub departments: Vec<Department>,
    /// Members.
    #[serde(default)]
    pub members: Vec<Member>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<WorkTag>,
}

/// What a seed created.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SeedSummary {
    /// The accounts, with generated credentials filled in.
    pub oa: Vec<OaConfig>,
    /// The merchants.
    pub merchants: Vec<MerchantConfig>,
    /// The corps.
    pub work: Vec<CorpConfig>,
    /// The suites.
    pub suites: Vec<SuiteConfig>,
    /// Faults installed.
    pub faults: usize,
}

impl Sim {
    /// Loads a seed document.
    pub fn load_seed(&self, seed: Seed) -> Result<SeedSummary, SimError> {
        if let Some(t) = seed.clock_unix {
            self.clock.set_ms(t * 1000);
        }
        if let Some(c) = seed.config {
            self.set_config(c);
        }
        let now = self.now();
        let mut summary = SeedSummary::default();
        let mut apps = Vec::new();
        for s in seed.oa {
            let mut app = OaApp::new(s.config);
            for t in s.tags {
                app.tags.insert(t.id, t);
            }
            for mut f in s.followers {
                if f.openid.is_empty() {
                    f.openid = new_openid();
                }
                if f.subscribe_time == 0 {
                    f.subscribe_time = now;
                }
                app.followers.insert(f.openid.clone(), f);
            }
            app.subscribed_total = None;
            if let Some(m) = s.menu {
                let buttons = crate::oa::menu::validate(Some(&m))
                    .map_err(|e| SimError::bad(format!("menu of {}: {}", app.cfg.appid, e)))?;
                app.menu = Some((400_000_000 + apps.len() as i64, buttons));
            }
            summary.oa.push(app.cfg.clone());
            apps.push(app);
        }
        let mut merchants = Vec::new();
        for m in seed.merchants {
            let m = m.fill();
            summary.merchants.push(m.clone());
            merchants.push(m);
        }
        let mut corps = Vec::new();
        for c in seed.work {
            let mut corp = Corp::new(c.config);
            for d in c.departments {
                corp.departments.insert(d.id, d);
            }
            for mut m in c.members {
                if m.department.is_empty() {
                    m.department = vec![1];
                }
                if m.main_department == 0 {
                    m.main_department = m.department[0];
                }
                if m.status == 0 {
                    m.status = 1;
                    m.enable = 1;
                }
                corp.members.insert(m.userid.clone(), m);
            }
            for t in c.tags {
                corp.tags.insert(t.tagid, t);
            }
            summary.work.push(corp.cfg.clone());
            corps.push(corp);
        }
        summary.faults = seed.faults.len();
        self.with(|st| {
            for a in apps {
                st.oa.insert(a.cfg.appid.clone(), a);
            }
            for m in merchants {
                st.pay.add_merchant(m);
            }
            for c in corps {
                st.work.insert(c.cfg.corpid.clone(), c);
            }
            for f in seed.faults {
                st.faults.add(f);
            }
        });
        for s in seed.suites {
            summary.suites.push(self.create_suite(s));
        }
        Ok(summary)
    }
}
