//! The composer's fields for every message type; `content()` builds what is sent for the
//! chosen type (the other types' fields are kept while the staff member switches types).

use api::wecom_messages::{AppMessageContent, MpnewsItem, NewsItem};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub msgtype: &'static str,
    /// Text and markdown.
    pub body: String,
    /// The uploaded temporary medium of an image, voice, video or file message.
    pub media_id: String,
    pub media_name: String,
    /// Video and textcard.
    pub title: String,
    pub description: String,
    /// Textcard.
    pub url: String,
    pub btntxt: String,
    pub news: Vec<NewsItem>,
    pub mpnews: Vec<MpnewsItem>,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            msgtype: "text",
            body: String::new(),
            media_id: String::new(),
            media_name: String::new(),
            title: String::new(),
            description: String::new(),
            url: String::new(),
            btntxt: String::new(),
            news: vec![NewsItem::default()],
            mpnews: vec![MpnewsItem::default()],
        }
    }
}

impl Draft {
    pub fn content(&self) -> AppMessageContent {
        let media_id = self.media_id.clone();
        match self.msgtype {
            "image" => AppMessageContent::Image { media_id },
            "voice" => AppMessageContent::Voice { media_id },
            "file" => AppMessageContent::File { media_id },
            "video" => AppMessageContent::Video {
                media_id,
                title: self.title.trim().to_string(),
                description: self.description.trim().to_string(),
            },
            "textcard" => AppMessageContent::Textcard {
                title: self.title.trim().to_string(),
                description: self.description.trim().to_string(),
                url: self.url.trim().to_string(),
                btntxt: self.btntxt.trim().to_string(),
            },
            "news" => AppMessageContent::News {
                articles: self.news.clone(),
            },
            "mpnews" => AppMessageContent::Mpnews {
                articles: self.mpnews.clone(),
            },
            "markdown" => AppMessageContent::Markdown {
                content: self.body.clone(),
            },
            _ => AppMessageContent::Text {
                content: self.body.clone(),
            },
        }
    }

    /// The composer's fields of a saved message (a draft or a scheduled send being edited).
    pub fn from_content(c: &AppMessageContent) -> Draft {
        let mut d = Draft {
            msgtype: super::TYPES
                .iter()
                .map(|(t, _)| *t)
                .find(|t| *t == c.msgtype())
                .unwrap_or("text"),
            ..Draft::default()
        };
        match c {
            AppMessageContent::Text { content } | AppMessageContent::Markdown { content } => {
                d.body = content.clone()
            }
            AppMessageContent::Image { media_id }
            | AppMessageContent::Voice { media_id }
            | AppMessageContent::File { media_id } => {
                d.media_id = media_id.clone();
                d.media_name = media_id.clone();
            }
            AppMessageContent::Video {
                media_id,
                title,
                description,
            } => {
                d.media_id = media_id.clone();
                d.media_name = media_id.clone();
                d.title = title.clone();
                d.description = description.clone();
            }
            AppMessageContent::Textcard {
                title,
                description,
                url,
                btntxt,
            } => {
                d.title = title.clone();
                d.description = description.clone();
                d.url = url.clone();
                d.btntxt = btntxt.clone();
            }
            AppMessageContent::News { articles } => d.news = articles.clone(),
            AppMessageContent::Mpnews { articles } => d.mpnews = articles.clone(),
        }
        if d.news.is_empty() {
            d.news = vec![NewsItem::default()];
        }
        if d.mpnews.is_empty() {
            d.mpnews = vec![MpnewsItem::default()];
        }
        d
    }

    /// Empties what was typed after a send, keeping the chosen type.
    pub fn cleared(&self) -> Draft {
        Draft {
            msgtype: self.msgtype,
            ..Draft::default()
        }
    }
}
