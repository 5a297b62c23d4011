//! Who is signed in, shared through context.

use api::Lang;
use api::auth::Me;
use api::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api_client;
use crate::util;

#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// `None` when signed out.
    pub me: RwSignal<Option<Me>>,
    /// False until the first `GET /api/auth/me` answered.
    pub ready: RwSignal<bool>,
    lang: RwSignal<Lang>,
}

/// Where the app stands with the current visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Loading,
    SignedOut,
    MustChangePassword,
    SignedIn,
}

impl Session {
    /// Provides the session and asks the server who we are.
    pub fn provide(lang: RwSignal<Lang>) -> Session {
        let session = Session {
            me: RwSignal::new(None),
            ready: RwSignal::new(false),
            lang,
        };
        provide_context(session);
        spawn_local(async move {
            match api_client::session().await {
                Ok(Some(me)) => session.sign_in(me),
                Ok(None) | Err(_) => session.me.set(None),
            }
            session.ready.set(true);
        });
        session
    }

    /// Records a signed-in user and adopts their language.
    pub fn sign_in(self, me: Me) {
        if self.lang.get_untracked() != me.lang {
            self.lang.set(me.lang);
        }
        util::store_lang(me.lang);
        self.me.set(Some(me));
        self.ready.set(true);
    }

    pub fn sign_out(self) {
        self.me.set(None);
    }

    pub fn gate(self) -> Gate {
        if !self.ready.get() {
            return Gate::Loading;
        }
        self.me.with(|me| match me {
            None => Gate::SignedOut,
            Some(me) if me.must_change_password => Gate::MustChangePassword,
            Some(_) => Gate::SignedIn,
        })
    }

    /// The signed-in user's role (tracked).
    pub fn role(self) -> Option<Role> {
        self.me.with(|me| me.as_ref().map(|m| m.role))
    }

    /// The signed-in user may do what `needed` may (tracked).
    pub fn allows(self, needed: Role) -> bool {
        self.role().is_some_and(|r| r.allows(needed))
    }

    pub fn username(self) -> String {
        self.me
            .with(|me| me.as_ref().map(|m| m.username.clone()))
            .unwrap_or_default()
    }

    pub fn user_id(self) -> Option<i64> {
        self.me.with(|me| me.as_ref().map(|m| m.id))
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
