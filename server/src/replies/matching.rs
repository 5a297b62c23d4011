//! Which rule fires for a message: pure functions, unit-tested.
//!
//! Rules are tried by priority (higher first), account rules before global ones at equal
//! priority, then by id. A rule fires when one of its triggers matches and all of its
//! conditions hold. `Default` triggers are only considered for messages (not events) when no
//! other rule fired.

use api::replies::{Conditions, KeywordMode, MAX_REGEX_LEN, Trigger};
use time::{OffsetDateTime, UtcOffset};
use wechat::message::{Event, InboundMessage, MessageKind};

/// The facts about a message that triggers look at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Incoming {
    pub msg_type: String,
    pub content: Option<String>,
    pub event: Option<String>,
    pub event_key: Option<String>,
    /// For `subscribe` through a QR code and `SCAN`: the scene.
    pub qr_scene: Option<String>,
}

impl Incoming {
    pub fn from_message(m: &InboundMessage) -> Incoming {
        let mut i = Incoming {
            msg_type: m.msg_type().to_string(),
            ..Default::default()
        };
        match &m.kind {
            MessageKind::Text { content, .. } => i.content = Some(content.clone()),
            MessageKind::Event(e) => {
                i.event = m.event_name().map(str::to_string);
                i.qr_scene = e.qr_scene().map(str::to_string);
                i.event_key = match e {
                    Event::Subscribe { event_key, .. } => event_key.clone(),
                    Event::Scan { event_key, .. }
                    | Event::Click { event_key }
                    | Event::View { event_key, .. }
                    | Event::ScanCode { event_key, .. }
                    | Event::Pic { event_key, .. }
                    | Event::LocationSelect { event_key, .. } => Some(event_key.clone()),
                    Event::EnterAgent { event_key } => event_key.clone(),
                    _ => None,
                };
            }
            _ => {}
        }
        i
    }

    fn is_event(&self) -> bool {
        self.msg_type == "event"
    }
}

/// A rule as the matcher sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub account_specific: bool,
    pub enabled: bool,
    pub priority: i32,
    pub triggers: Vec<Trigger>,
    pub conditions: Conditions,
}

/// Context: the follower's tags and the current time.
#[derive(Debug, Clone)]
pub struct Context {
    pub tags: Vec<i64>,
    pub now: OffsetDateTime,
}

/// The outcome for one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub rule_id: i64,
    pub name: String,
    pub fired: bool,
    pub reason: String,
}

/// Events of menu buttons that carry the button's key (`EventKey`).
const MENU_KEY_EVENTS: &[&str] = &[
    "click",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
];

/// Matches one trigger (not `Default`).
pub fn trigger_matches(t: &Trigger, m: &Incoming) -> Result<(), String> {
    match t {
        Trigger::Subscribe { scene } => {
            if m.event.as_deref() != Some("subscribe") {
                return Err("not a subscribe event".into());
            }
            match scene {
                None => Ok(()),
                Some(s) if m.qr_scene.as_deref() == Some(s.as_str()) => Ok(()),
                Some(s) => Err(format!("subscribe scene is not {s:?}")),
            }
        }
        Trigger::Keyword { mode, pattern } => {
            let Some(text) = m.content.as_deref().filter(|_| m.msg_type == "text") else {
                return Err("not a text message".into());
            };
            let ok = match mode {
                KeywordMode::Exact => text.trim() == pattern.trim(),
                KeywordMode::Contains => text.contains(pattern.as_str()),
                KeywordMode::Regex => compile(pattern)
                    .map_err(|e| format!("invalid regex: {e}"))?
                    .is_match(text),
            };
            if ok {
                Ok(())
            } else {
                Err(format!("keyword {pattern:?} does not match"))
            }
        }
        Trigger::MsgType { msg_type } => {
            if &m.msg_type == msg_type {
                Ok(())
            } else {
                Err(format!("message type is not {msg_type}"))
            }
        }
        Trigger::MenuClick { key } => {
            // Every menu button with a key reports it: click, and (OA and WeCom apps alike) the
            // scan, photo and location buttons, whose events carry the button's key too.
            let click = m
                .event
                .as_deref()
                .is_some_and(|e| MENU_KEY_EVENTS.iter().any(|k| k.eq_ignore_ascii_case(e)));
            if click && m.event_key.as_deref() == Some(key.as_str()) {
                Ok(())
            } else {
                Err(format!("not a menu click on {key:?}"))
            }
        }
        Trigger::QrScan { scene } => {
            let scanned =
                m.qr_scene.is_some() && matches!(m.event.as_deref(), Some("SCAN" | "subscribe"));
            if !scanned {
                return Err("not a QR scan".into());
            }
            match scene {
                None => Ok(()),
                Some(s) if m.qr_scene.as_deref() == Some(s.as_str()) => Ok(()),
                Some(s) => Err(format!("scene is not {s:?}")),
            }
        }
        Trigger::MenuEvent { event, key } => {
            if !m
                .event
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(event))
            {
                return Err(format!("not a {event} event"));
            }
            match key {
                None => Ok(()),
                Some(k) if m.event_key.as_deref() == Some(k.as_str()) => Ok(()),
                Some(k) => Err(format!("{event} is not on {k:?}")),
            }
        }
        Trigger::Default => Err("fallback only".into()),
    }
}

/// Compiles a keyword regex with bounded size.
pub fn compile(pattern: &str) -> Result<regex::Regex, String> {
    if pattern.chars().count() > MAX_REGEX_LEN {
        return Err(format!("longer than {MAX_REGEX_LEN} characters"));
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(256 * 1024)
        .dfa_size_limit(256 * 1024)
        .build()
        .map_err(|e| e.to_string())
}

/// Parses `HH:MM` into minutes after midnight.
pub use api::replies::parse_hhmm;

/// Checks the conditions against the context (China Standard Time).
pub fn conditions_hold(c: &Conditions, ctx: &Context) -> Result<(), String> {
    let local = ctx
        .now
        .to_offset(UtcOffset::from_hms(8, 0, 0).expect("valid offset"));
    if !c.weekdays.is_empty() {
        let wd = local.weekday().number_from_monday();
        if !c.weekdays.contains(&wd) {
            return Err(format!("weekday {wd} not in {:?}", c.weekdays));
        }
    }
    if c.time_from.is_some() || c.time_to.is_some() {
        let from = c.time_from.as_deref().and_then(parse_hhmm).unwrap_or(0);
        let to = c.time_to.as_deref().and_then(parse_hhmm).unwrap_or(24 * 60);
        let now = u32::from(local.hour()) * 60 + u32::from(local.minute());
        let inside = if from <= to {
            now >= from && now < to
        } else {
            now >= from || now < to
        };
        if !inside {
            return Err(format!(
                "{:02}:{:02} is outside the time window",
                now / 60,
                now % 60
            ));
        }
    }
    if let Some(tag) = c.tag_id
        && !ctx.tags.contains(&tag)
    {
        return Err(format!("follower does not carry tag {tag}"));
    }
    Ok(())
}

/// Orders candidates and returns the verdict for each; at most one has `fired`.
pub fn evaluate(rules: &[Candidate], m: &Incoming, ctx: &Context) -> Vec<Verdict> {
    let mut order: Vec<&Candidate> = rules.iter().collect();
    order.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(b.account_specific.cmp(&a.account_specific))
            .then(a.id.cmp(&b.id))
    });
    let mut verdicts = Vec::with_capacity(order.len());
    let mut fired = false;
    let mut fallbacks = Vec::new();
    for rule in &order {
        let v = |fired: bool, reason: String| Verdict {
            rule_id: rule.id,
            name: rule.name.clone(),
            fired,
            reason,
        };
        if !rule.enabled {
            verdicts.push(v(false, "disabled".into()));
            continue;
        }
        if fired {
            verdicts.push(v(false, "a higher-priority rule fired".into()));
            continue;
        }
        let mut why = Vec::new();
        let mut hit = false;
        for t in rule.triggers.iter().filter(|t| **t != Trigger::Default) {
            match trigger_matches(t, m) {
                Ok(()) => {
                    hit = true;
                    break;
                }
                Err(e) => why.push(e),
            }
        }
        if !hit {
            if rule.triggers.contains(&Trigger::Default) {
                fallbacks.push(verdicts.len());
                verdicts.push(v(false, "fallback: another rule fired".into()));
            } else {
                verdicts.push(v(false, why.join("; ")));
            }
            continue;
        }
        match conditions_hold(&rule.conditions, ctx) {
            Ok(()) => {
                fired = true;
                verdicts.push(v(true, "trigger matched".into()));
            }
            Err(e) => verdicts.push(v(false, e)),
        }
    }
    if !fired {
        for i in fallbacks {
            let rule = order
                .iter()
                .find(|r| r.id == verdicts[i].rule_id)
                .expect("verdict of a listed rule");
            if m.is_event() {
                verdicts[i].reason = "fallback: events get no fallback reply".into();
                continue;
            }
            match conditions_hold(&rule.conditions, ctx) {
                Ok(()) => {
                    verdicts[i].fired = true;
                    verdicts[i].reason = "fallback: no other rule fired".into();
                    break;
                }
                Err(e) => verdicts[i].reason = e,
            }
        }
    }
    verdicts
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn rule(id: i64, priority: i32, triggers: Vec<Trigger>) -> Candidate {
        Candidate {
            id,
            name: format!("r{id}"),
            account_specific: true,
            enabled: true,
            priority,
            triggers,
            conditions: Conditions::default(),
        }
    }

    fn text(s: &str) -> Incoming {
        Incoming {
            msg_type: "text".into(),
            content: Some(s.into()),
            ..Default::default()
        }
    }

    fn ctx() -> Context {
        // Wednesday 2026-03-04 10:30 CST
        Context {
            tags: vec![],
            now: datetime!(2026-03-04 02:30 UTC),
        }
    }

    fn kw(mode: KeywordMode, p: &str) -> Trigger {
        Trigger::Keyword {
            mode,
            pattern: p.into(),
        }
    }

    fn fired(v: &[Verdict]) -> Option<i64> {
        let f: Vec<_> = v.iter().filter(|v| v.fired).collect();
        assert!(f.len() <= 1);
        f.first().map(|v| v.rule_id)
    }

    #[test]
    fn keyword_modes() {
        let rules = vec![
            rule(1, 0, vec![kw(KeywordMode::Exact, "hello")]),
            rule(2, 0, vec![kw(KeywordMode::Contains, "price")]),
            rule(3, 0, vec![kw(KeywordMode::Regex, r"^order\s+\d+$")]),
        ];
        assert_eq!(fired(&evaluate(&rules, &text(" hello "), &ctx())), Some(1));
        assert_eq!(fired(&evaluate(&rules, &text("hello there"), &ctx())), None);
        assert_eq!(
            fired(&evaluate(&rules, &text("the price?"), &ctx())),
            Some(2)
        );
        assert_eq!(fired(&evaluate(&rules, &text("order 42"), &ctx())), Some(3));
        assert_eq!(fired(&evaluate(&rules, &text("order x"), &ctx())), None);
    }

    #[test]
    fn priority_then_account_then_id() {
        let mut global = rule(1, 5, vec![kw(KeywordMode::Contains, "a")]);
        global.account_specific = false;
        let rules = vec![
            global,
            rule(2, 5, vec![kw(KeywordMode::Contains, "a")]),
            rule(3, 1, vec![kw(KeywordMode::Contains, "a")]),
            rule(4, 9, vec![kw(KeywordMode::Contains, "zzz")]),
        ];
        let v = evaluate(&rules, &text("a"), &ctx());
        assert_eq!(fired(&v), Some(2));
        let r1 = v.iter().find(|v| v.rule_id == 1).unwrap();
        assert!(r1.reason.contains("higher-priority"));
        let r4 = v.iter().find(|v| v.rule_id == 4).unwrap();
        assert!(r4.reason.contains("does not match"), "{}", r4.reason);
    }

    #[test]
    fn fallback_only_when_nothing_else_fires_and_not_for_events() {
        let rules = vec![
            rule(1, 100, vec![Trigger::Default]),
            rule(2, 0, vec![kw(KeywordMode::Exact, "hi")]),
        ];
        assert_eq!(fired(&evaluate(&rules, &text("hi"), &ctx())), Some(2));
        assert_eq!(fired(&evaluate(&rules, &text("other"), &ctx())), Some(1));
        let ev = Incoming {
            msg_type: "event".into(),
            event: Some("LOCATION".into()),
            ..Default::default()
        };
        assert_eq!(fired(&evaluate(&rules, &ev, &ctx())), None);
    }

    #[test]
    fn disabled_rules_never_fire() {
        let mut r = rule(1, 0, vec![kw(KeywordMode::Exact, "hi")]);
        r.enabled = false;
        let v = evaluate(&[r], &text("hi"), &ctx());
        assert_eq!(fired(&v), None);
        assert_eq!(v[0].reason, "disabled");
    }

    #[test]
    fn subscribe_and_scan_scenes() {
        let sub = |scene: Option<&str>| Incoming {
            msg_type: "event".into(),
            event: Some("subscribe".into()),
            qr_scene: scene.map(Into::into),
            event_key: scene.map(|s| format!("qrscene_{s}")),
            ..Default::default()
        };
        let rules = vec![
            rule(
                1,
                1,
                vec![Trigger::Subscribe {
                    scene: Some("promo".into()),
                }],
            ),
            rule(2, 0, vec![Trigger::Subscribe { scene: None }]),
        ];
        assert_eq!(
            fired(&evaluate(&rules, &sub(Some("promo")), &ctx())),
            Some(1)
        );
        assert_eq!(
            fired(&evaluate(&rules, &sub(Some("other")), &ctx())),
            Some(2)
        );
        assert_eq!(fired(&evaluate(&rules, &sub(None), &ctx())), Some(2));
        let scan = Incoming {
            msg_type: "event".into(),
            event: Some("SCAN".into()),
            qr_scene: Some("7".into()),
            event_key: Some("7".into()),
            ..Default::default()
        };
        let rules = vec![rule(
            3,
            0,
            vec![Trigger::QrScan {
                scene: Some("7".into()),
            }],
        )];
        assert_eq!(fired(&evaluate(&rules, &scan, &ctx())), Some(3));
    }

    #[test]
    fn menu_click_and_msg_type() {
        let click = Incoming {
            msg_type: "event".into(),
            event: Some("CLICK".into()),
            event_key: Some("V1001".into()),
            ..Default::default()
        };
        let rules = vec![
            rule(
                1,
                0,
                vec![Trigger::MenuClick {
                    key: "V1001".into(),
                }],
            ),
            rule(
                2,
                0,
                vec![Trigger::MsgType {
                    msg_type: "image".into(),
                }],
            ),
        ];
        assert_eq!(fired(&evaluate(&rules, &click, &ctx())), Some(1));
        let img = Incoming {
            msg_type: "image".into(),
            ..Default::default()
        };
        assert_eq!(fired(&evaluate(&rules, &img, &ctx())), Some(2));
    }

    #[test]
    fn wecom_menu_key_events_fire_menu_click_rules() {
        let rules = vec![rule(1, 0, vec![Trigger::MenuClick { key: "K".into() }])];
        for event in ["click", "scancode_waitmsg", "pic_weixin", "location_select"] {
            let m = Incoming {
                msg_type: "event".into(),
                event: Some(event.into()),
                event_key: Some("K".into()),
                ..Default::default()
            };
            assert_eq!(fired(&evaluate(&rules, &m, &ctx())), Some(1), "{event}");
        }
        let view = Incoming {
            msg_type: "event".into(),
            event: Some("view".into()),
            event_key: Some("K".into()),
            ..Default::default()
        };
        assert_eq!(fired(&evaluate(&rules, &view, &ctx())), None);
    }

    #[test]
    fn menu_event_triggers_match_their_event_and_key() {
        let ev = |event: &str, key: Option<&str>| Incoming {
            msg_type: "event".into(),
            event: Some(event.into()),
            event_key: key.map(str::to_owned),
            ..Default::default()
        };
        let t = |event: &str, key: Option<&str>| Trigger::MenuEvent {
            event: event.into(),
            key: key.map(str::to_owned),
        };
        for event in api::replies::WECOM_MENU_EVENTS {
            // Any press of that kind, whatever the key.
            assert!(
                trigger_matches(&t(event, None), &ev(event, Some("K"))).is_ok(),
                "{event}"
            );
            assert!(
                trigger_matches(&t(event, None), &ev(event, None)).is_ok(),
                "{event}"
            );
        }
        // With a key: only that button.
        assert!(trigger_matches(&t("pic_weixin", Some("K")), &ev("pic_weixin", Some("K"))).is_ok());
        assert!(
            trigger_matches(&t("pic_weixin", Some("K")), &ev("pic_weixin", Some("X"))).is_err()
        );
        // Another event with the same key does not match.
        assert!(trigger_matches(&t("scancode_push", Some("K")), &ev("click", Some("K"))).is_err());
        let url = "https://example.com/a";
        assert!(trigger_matches(&t("view", Some(url)), &ev("view", Some(url))).is_ok());
        assert!(trigger_matches(&t("enter_agent", None), &ev("enter_agent", None)).is_ok());
        assert!(trigger_matches(&t("enter_agent", None), &ev("click", None)).is_err());
        // A text message is no menu event.
        let text = Incoming {
            msg_type: "text".into(),
            content: Some("click".into()),
            ..Default::default()
        };
        assert!(trigger_matches(&t("click", None), &text).is_err());
    }

    #[test]
    fn time_windows_weekdays_and_tags() {
        let mut r = rule(1, 0, vec![kw(KeywordMode::Exact, "hi")]);
        r.conditions = Conditions {
            time_from: Some("09:00".into()),
            time_to: Some("18:00".into()),
            weekdays: vec![1, 2, 3, 4, 5],
            tag_id: None,
        };
        assert_eq!(fired(&evaluate(&[r.clone()], &text("hi"), &ctx())), Some(1));
        // 20:30 CST on that Wednesday: outside the window.
        let late = Context {
            tags: vec![],
            now: datetime!(2026-03-04 12:30 UTC),
        };
        let v = evaluate(&[r.clone()], &text("hi"), &late);
        assert_eq!(fired(&v), None);
        assert!(v[0].reason.contains("time window"), "{}", v[0].reason);
        // Saturday 2026-03-07 10:30 CST.
        let saturday = Context {
            tags: vec![],
            now: datetime!(2026-03-07 02:30 UTC),
        };
        assert!(
            evaluate(&[r.clone()], &text("hi"), &saturday)[0]
                .reason
                .contains("weekday 6")
        );
        // A window that wraps midnight.
        let mut night = rule(2, 0, vec![kw(KeywordMode::Exact, "hi")]);
        night.conditions.time_from = Some("22:00".into());
        night.conditions.time_to = Some("06:00".into());
        let at_2330 = Context {
            tags: vec![],
            now: datetime!(2026-03-04 15:30 UTC),
        };
        assert_eq!(
            fired(&evaluate(&[night.clone()], &text("hi"), &at_2330)),
            Some(2)
        );
        assert_eq!(fired(&evaluate(&[night], &text("hi"), &ctx())), None);
        // Tags.
        let mut tagged = rule(3, 0, vec![kw(KeywordMode::Exact, "hi")]);
        tagged.conditions.tag_id = Some(100);
        assert_eq!(
            fired(&evaluate(&[tagged.clone()], &text("hi"), &ctx())),
            None
        );
        let with_tag = Context {
            tags: vec![100],
            now: ctx().now,
        };
        assert_eq!(fired(&evaluate(&[tagged], &text("hi"), &with_tag)), Some(3));
    }

    #[test]
    fn regex_is_bounded() {
        assert!(compile(&"a".repeat(MAX_REGEX_LEN + 1)).is_err());
        assert!(compile("(").is_err());
        assert!(compile(r"\d{1,3}").is_ok());
    }
}
