//! The recipients chosen in the picker, with the names the chips show.

use api::wecom_messages::Recipients;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picked {
    /// `touser=@all`: everyone in the app's visible range.
    pub all: bool,
    /// (userid, name; the name is empty for a userid typed by hand).
    pub users: Vec<(String, String)>,
    /// (department id, name).
    pub parties: Vec<(i64, String)>,
    /// (tag id, name).
    pub tags: Vec<(i64, String)>,
}

impl Picked {
    pub fn recipients(&self) -> Recipients {
        if self.all {
            return Recipients {
                all: true,
                ..Default::default()
            };
        }
        Recipients {
            all: false,
            users: self.users.iter().map(|(u, _)| u.clone()).collect(),
            parties: self.parties.iter().map(|(d, _)| *d).collect(),
            tags: self.tags.iter().map(|(t, _)| *t).collect(),
        }
    }

    pub fn has_user(&self, userid: &str) -> bool {
        self.users.iter().any(|(u, _)| u == userid)
    }

    pub fn toggle_user(&mut self, userid: &str, name: &str) {
        if self.has_user(userid) {
            self.users.retain(|(u, _)| u != userid);
        } else {
            self.users.push((userid.to_string(), name.to_string()));
        }
    }

    pub fn toggle_party(&mut self, id: i64, name: &str) {
        if self.parties.iter().any(|(d, _)| *d == id) {
            self.parties.retain(|(d, _)| *d != id);
        } else {
            self.parties.push((id, name.to_string()));
        }
    }

    pub fn toggle_tag(&mut self, id: i64, name: &str) {
        if self.tags.iter().any(|(t, _)| *t == id) {
            self.tags.retain(|(t, _)| *t != id);
        } else {
            self.tags.push((id, name.to_string()));
        }
    }
}
