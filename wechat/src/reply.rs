//! Passive replies (the HTTP response body to a push): build and parse.
//!
//! `ToUserName` is the user (the push's `FromUserName`), `FromUserName` is the account
//! (the push's `ToUserName`). In safe mode / WeCom, encrypt [`Reply::to_xml`] with
//! [`crate::crypto::MsgCrypt::encrypt_reply`]. To answer nothing, respond with
//! [`SUCCESS`] (or an empty body) — that needs no encryption and stops WeChat's retries.
//!
//! ```
//! use wechat::message::InboundMessage;
//! use wechat::reply::{Reply, ReplyKind};
//! let push = InboundMessage::parse("<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName>\
//!     <CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>9</MsgId></xml>").unwrap();
//! let r = Reply::text(&push, "echo: ]]> is fine", 2);
//! let xml = r.to_xml();
//! assert!(xml.starts_with("<xml><ToUserName><![CDATA[o1]]></ToUserName><FromUserName><![CDATA[gh_1]]></FromUserName>"));
//! assert_eq!(Reply::parse(&xml).unwrap(), r);
//! ```

use crate::message::{InboundMessage, MessageError};
use crate::xml::{self, Writer};

/// The plain body that acknowledges a push without replying.
pub const SUCCESS: &str = "success";

/// A passive reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// `ToUserName` (the user).
    pub to_user_name: String,
    /// `FromUserName` (the account).
    pub from_user_name: String,
    /// `CreateTime`.
    pub create_time: i64,
    /// `AgentID` (WeCom replies echo the app's agent id; absent for OA).
    pub agent_id: Option<i64>,
    /// The body.
    pub kind: ReplyKind,
}

/// A news article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    /// `Title`.
    pub title: String,
    /// `Description`.
    pub description: String,
    /// `PicUrl`.
    pub pic_url: String,
    /// `Url`.
    pub url: String,
}

/// Reply bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyKind {
    /// `text`.
    Text {
        /// `Content`.
        content: String,
    },
    /// `image`.
    Image {
        /// `Image/MediaId`.
        media_id: String,
    },
    /// `voice`.
    Voice {
        /// `Voice/MediaId`.
        media_id: String,
    },
    /// `video`.
    Video {
        /// `Video/MediaId`.
        media_id: String,
        /// `Video/Title`.
        title: Option<String>,
        /// `Video/Description`.
        description: Option<String>,
    },
    /// `music`.
    Music {
        /// `Music/Title`.
        title: Option<String>,
        /// `Music/Description`.
        description: Option<String>,
        /// `Music/MusicUrl`.
        music_url: Option<String>,
        /// `Music/HQMusicUrl`.
        hq_music_url: Option<String>,
        /// `Music/ThumbMediaId`.
        thumb_media_id: String,
    },
    /// `news` (OA accepts 1 article now; WeCom ≤ 8).
    News {
        /// `Articles/item`.
        articles: Vec<Article>,
    },
    /// `transfer_customer_service`.
    TransferCustomerService {
        /// `TransInfo/KfAccount`.
        kf_account: Option<String>,
    },
}

impl Reply {
    /// A reply to `to` (swaps the user/account names).
    pub fn to(to: &InboundMessage, create_time: i64, kind: ReplyKind) -> Self {
        Reply {
            to_user_name: to.header.from_user_name.clone(),
            from_user_name: to.header.to_user_name.clone(),
            create_time,
            agent_id: to.header.agent_id,
            kind,
        }
    }

    /// A text reply to `to`.
    pub fn text(to: &InboundMessage, content: impl Into<String>, create_time: i64) -> Self {
        Self::to(
            to,
            create_time,
            ReplyKind::Text {
                content: content.into(),
            },
        )
    }

    /// The `MsgType` value.
    pub fn msg_type(&self) -> &'static str {
        match self.kind {
            ReplyKind::Text { .. } => "text",
            ReplyKind::Image { .. } => "image",
            ReplyKind::Voice { .. } => "voice",
            ReplyKind::Video { .. } => "video",
            ReplyKind::Music { .. } => "music",
            ReplyKind::News { .. } => "news",
            ReplyKind::TransferCustomerService { .. } => "transfer_customer_service",
        }
    }

    /// Serialises the reply (strings in CDATA; `]]>` in content is split safely).
    pub fn to_xml(&self) -> String {
        let mut w = Writer::new();
        w.open("xml");
        w.cdata("ToUserName", &self.to_user_name);
        w.cdata("FromUserName", &self.from_user_name);
        w.number("CreateTime", self.create_time);
        w.cdata("MsgType", self.msg_type());
        let o = |w: &mut Writer, n: &str, v: &Option<String>| {
            if let Some(v) = v {
                w.cdata(n, v);
            }
        };
        match &self.kind {
            ReplyKind::Text { content } => w.cdata("Content", content),
            ReplyKind::Image { media_id } => {
                w.open("Image");
                w.cdata("MediaId", media_id);
                w.close("Image");
            }
            ReplyKind::Voice { media_id } => {
                w.open("Voice");
                w.cdata("MediaId", media_id);
                w.close("Voice");
            }
            ReplyKind::Video {
                media_id,
                title,
                description,
            } => {
                w.open("Video");
                w.cdata("MediaId", media_id);
                o(&mut w, "Title", title);
                o(&mut w, "Description", description);
                w.close("Video");
            }
            ReplyKind::Music {
                title,
                description,
                music_url,
                hq_music_url,
                thumb_media_id,
            } => {
                w.open("Music");
                o(&mut w, "Title", title);
                o(&mut w, "Description", description);
                o(&mut w, "MusicUrl", music_url);
                o(&mut w, "HQMusicUrl", hq_music_url);
                w.cdata("ThumbMediaId", thumb_media_id);
                w.close("Music");
            }
            ReplyKind::News { articles } => {
                w.number("ArticleCount", articles.len());
                w.open("Articles");
                for a in articles {
                    w.open("item");
                    w.cdata("Title", &a.title);
                    w.cdata("Description", &a.description);
                    w.cdata("PicUrl", &a.pic_url);
                    w.cdata("Url", &a.url);
                    w.close("item");
                }
                w.close("Articles");
            }
            ReplyKind::TransferCustomerService { kf_account } => {
                if let Some(k) = kf_account {
                    w.open("TransInfo");
                    w.cdata("KfAccount", k);
                    w.close("TransInfo");
                }
            }
        }
        if let Some(a) = self.agent_id {
            w.number("AgentID", a);
        }
        w.close("xml");
        w.finish()
    }

    /// Parses a reply (the emulator uses this to check what a portal answered).
    pub fn parse(body: &str) -> Result<Self, MessageError> {
        let root = xml::parse_root(body, "xml")?;
        let get = |n: &'static str| {
            root.child_text(n)
                .map(str::to_owned)
                .ok_or(MessageError::Missing(n))
        };
        let sub = |outer: &str, n: &str| {
            root.child(outer)
                .and_then(|e| e.child_text(n))
                .map(str::to_owned)
        };
        let create_time = get("CreateTime")?;
        let create_time = create_time
            .trim()
            .parse()
            .map_err(|_| MessageError::Invalid {
                field: "CreateTime",
                value: create_time.clone(),
            })?;
        let msg_type = get("MsgType")?;
        let kind = match msg_type.as_str() {
            "text" => ReplyKind::Text {
                content: get("Content")?,
            },
            "image" => ReplyKind::Image {
                media_id: sub("Image", "MediaId").ok_or(MessageError::Missing("Image/MediaId"))?,
            },
            "voice" => ReplyKind::Voice {
                media_id: sub("Voice", "MediaId").ok_or(MessageError::Missing("Voice/MediaId"))?,
            },
            "video" => ReplyKind::Video {
                media_id: sub("Video", "MediaId").ok_or(MessageError::Missing("Video/MediaId"))?,
                title: sub("Video", "Title"),
                description: sub("Video", "Description"),
            },
            "music" => ReplyKind::Music {
                title: sub("Music", "Title"),
                description: sub("Music", "Description"),
                music_url: sub("Music", "MusicUrl"),
                hq_music_url: sub("Music", "HQMusicUrl"),
                thumb_media_id: sub("Music", "ThumbMediaId").unwrap_or_default(),
            },
            "news" => ReplyKind::News {
                articles: root
                    .child("Articles")
                    .map(|a| {
                        a.children
                            .iter()
                            .map(|i| Article {
                                title: i.child_text("Title").unwrap_or_default().to_owned(),
                                description: i
                                    .child_text("Description")
                                    .unwrap_or_default()
                                    .to_owned(),
                                pic_url: i.child_text("PicUrl").unwrap_or_default().to_owned(),
                                url: i.child_text("Url").unwrap_or_default().to_owned(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            "transfer_customer_service" => ReplyKind::TransferCustomerService {
                kf_account: sub("TransInfo", "KfAccount"),
            },
            other => {
                return Err(MessageError::Invalid {
                    field: "MsgType",
                    value: other.to_owned(),
                });
            }
        };
        let agent_id = match root
            .child_text("AgentID")
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            None => None,
            Some(a) => Some(a.parse().map_err(|_| MessageError::Invalid {
                field: "AgentID",
                value: a.to_owned(),
            })?),
        };
        Ok(Reply {
            to_user_name: get("ToUserName")?,
            from_user_name: get("FromUserName")?,
            create_time,
            agent_id,
            kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(kind: ReplyKind) -> Reply {
        Reply {
            to_user_name: "o1".into(),
            from_user_name: "gh_1".into(),
            create_time: 12345678,
            agent_id: None,
            kind,
        }
    }

    #[test]
    fn exact_text_reply() {
        let x = r(ReplyKind::Text {
            content: "你好".into(),
        })
        .to_xml();
        assert_eq!(
            x,
            "<xml><ToUserName><![CDATA[o1]]></ToUserName><FromUserName><![CDATA[gh_1]]></FromUserName><CreateTime>12345678</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>"
        );
    }

    #[test]
    fn wecom_reply_carries_agent_id_and_parses_v8_plaintext() {
        // V8's reply plaintext (element order differs from ours; parsing is order-free)
        let v8 = "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>";
        let r = Reply::parse(v8).unwrap();
        assert_eq!(r.agent_id, Some(1));
        assert_eq!(
            r.kind,
            ReplyKind::Text {
                content: "test".into()
            }
        );
        assert_eq!(Reply::parse(&r.to_xml()).unwrap(), r);
        let push = InboundMessage::parse("<xml><ToUserName>ww1</ToUserName><FromUserName>u1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content><AgentID>7</AgentID></xml>").unwrap();
        assert_eq!(Reply::text(&push, "y", 2).agent_id, Some(7));
    }

    #[test]
    fn all_kinds_roundtrip() {
        let kinds = vec![
            ReplyKind::Text {
                content: "a]]>b]]>".into(),
            },
            ReplyKind::Image {
                media_id: "m".into(),
            },
            ReplyKind::Voice {
                media_id: "m".into(),
            },
            ReplyKind::Video {
                media_id: "m".into(),
                title: Some("t".into()),
                description: None,
            },
            ReplyKind::Music {
                title: Some("t".into()),
                description: Some("d".into()),
                music_url: Some("http://m".into()),
                hq_music_url: Some("http://hq".into()),
                thumb_media_id: "th".into(),
            },
            ReplyKind::News {
                articles: vec![Article {
                    title: "t".into(),
                    description: "d".into(),
                    pic_url: "p".into(),
                    url: "u".into(),
                }],
            },
            ReplyKind::TransferCustomerService { kf_account: None },
            ReplyKind::TransferCustomerService {
                kf_account: Some("test1@test".into()),
            },
        ];
        for k in kinds {
            let rep = r(k);
            assert_eq!(Reply::parse(&rep.to_xml()).unwrap(), rep);
        }
        let news = r(ReplyKind::News {
            articles: vec![Article::default(), Article::default()],
        })
        .to_xml();
        assert!(news.contains("<ArticleCount>2</ArticleCount>"));
    }

    proptest! {
        #[test]
        fn reply_build_parse(content in "\\PC*", media in "[A-Za-z0-9_-]{1,64}", t in 0i64..i64::MAX) {
            for k in [ReplyKind::Text { content: content.clone() }, ReplyKind::Image { media_id: media.clone() }, ReplyKind::Video { media_id: media.clone(), title: Some(content.clone()), description: Some(content.clone()) }] {
                let mut rep = r(k);
                rep.create_time = t;
                prop_assert_eq!(Reply::parse(&rep.to_xml()).unwrap(), rep);
            }
        }
    }
}
