//! # wechat — byte-exact WeChat protocol and a typed async API client
//!
//! This crate speaks the WeChat server protocols used by Official Accounts (OA),
//! WeCom self-built apps, WeCom third-party suites and WeChat Pay API v2. It contains
//! no web framework and no database: callers hand it query parameters and request
//! bodies, and get back typed values and exact response bodies.
//!
//! | Module | What it does |
//! |---|---|
//! | [`crypto`] | `WXBizMsgCrypt`-compatible callback crypto ([`crypto::MsgCrypt`]) |
//! | [`signature`] | plain / `msg_signature` / JS-SDK / card signatures, constant-time compare |
//! | [`xml`] | a safe XML reader (no DTD, no entities, size/depth limits) and CDATA writer |
//! | [`message`] | typed inbound messages, events and suite instructions (parse **and** serialise) |
//! | [`reply`] | passive replies (build and parse) |
//! | [`pay`] | Pay v2: XML map codec, MD5/HMAC-SHA256 sign+verify, notify, refund `req_info`, bills, mode-1 |
//! | [`client`] | typed async HTTP client for OA, WeCom, WeCom suite and Pay v2 with configurable base URLs |
//! | [`token`] | single-flight token manager over a pluggable [`token::TokenStore`] |
//!
//! ## Quick tour
//!
//! Verify and decrypt a safe-mode callback, then answer with an encrypted reply:
//!
//! ```
//! use wechat::crypto::MsgCrypt;
//! use wechat::types::EncodingAesKey;
//!
//! let key = EncodingAesKey::new("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG").unwrap();
//! let crypt = MsgCrypt::new("spamtest", &key, "wx2c2769f8efd9abc2");
//! // In a real handler these come from the query string and the POST body.
//! let body = "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]></Encrypt></xml>";
//! let plain = crypt
//!     .decrypt_message("5d197aaffba7e9b25a30732f161a50dee96bd5fa", "1409735669", "1320562132", body)
//!     .unwrap();
//! let msg = wechat::message::InboundMessage::parse(&plain).unwrap();
//! let reply = wechat::reply::Reply::text(&msg, "你好 ]]> world", 1409735670);
//! let envelope = crypt.encrypt_reply(&reply.to_xml(), "1409735670", "1320562132").unwrap();
//! assert!(envelope.starts_with("<xml>\n<Encrypt><![CDATA["));
//! ```
//!
//! The same with the mode-agnostic helpers, which choose `msg_signature` for encrypted
//! pushes and `signature` for plain ones (so the two cannot be mixed up) and encrypt the
//! reply only when the push was encrypted:
//!
//! ```
//! use wechat::crypto::{CallbackQuery, MsgCrypt};
//! use wechat::message::{Callback, MessageKind};
//! use wechat::reply::Reply;
//! use wechat::types::EncodingAesKey;
//!
//! let key = EncodingAesKey::new("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR").unwrap();
//! let crypt = MsgCrypt::new("123456", &key, "wx49f0ab532d5d035a");
//! // GET: URL verification → respond with exactly `echo`
//! let q = CallbackQuery::from_pairs([
//!     ("msg_signature", "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"),
//!     ("timestamp", "1411443780"), ("nonce", "437374425"),
//!     ("echostr", "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="),
//! ]);
//! assert_eq!(crypt.verify_get(&q).unwrap(), "5927782489442352469");
//!
//! // POST: (here the push is built with the emulator helper `encrypt_push`)
//! let inner = "<xml><ToUserName>wx49f0ab532d5d035a</ToUserName><FromUserName>messense</FromUserName>\
//!     <CreateTime>1411525903</CreateTime><MsgType>text</MsgType><Content>test</Content>\
//!     <MsgId>4363689963896700987</MsgId><AgentID>1</AgentID></xml>";
//! let (body, sig) = crypt.encrypt_push(inner, "wx49f0ab532d5d035a", Some("1"), "1411525903", "461056294").unwrap();
//! let q = CallbackQuery::from_pairs([("msg_signature", sig.as_str()), ("timestamp", "1411525903"), ("nonce", "461056294")]);
//! let opened = crypt.open_post(&q, &body).unwrap();
//! let Callback::Message(msg) = Callback::parse(&opened.xml).unwrap() else { panic!() };
//! assert!(matches!(msg.kind, MessageKind::Text { ref content, .. } if content == "test"));
//! let response_body = crypt
//!     .seal_reply(&opened, &Reply::text(&msg, "pong", 1411525904).to_xml(), "1411525904", &q.nonce)
//!     .unwrap();
//! assert!(response_body.contains("<MsgSignature><![CDATA["));
//! ```
//!
//! Sign a Pay v2 request (the official example, P1):
//!
//! ```
//! use wechat::pay::{PayMap, SignType, sign};
//! let mut m = PayMap::new();
//! m.insert("appid", "wxd930ea5d5a258f4f");
//! m.insert("mch_id", "10000100");
//! m.insert("device_info", "1000");
//! m.insert("body", "test");
//! m.insert("nonce_str", "ibuaiVcKdpRxkhJA");
//! let s = sign(&m, "192006250b4c09247ec02edce69f6a2d", SignType::Md5);
//! assert_eq!(s, "9A0A8659F005D6984697E2CA0A9CF3B7");
//! ```
//!
//! Point the client at the emulator (every host under a path prefix named after it):
//!
//! ```
//! use wechat::client::{BaseUrls, Host};
//! let urls = BaseUrls::under("http://127.0.0.1:9000");
//! assert_eq!(urls.url(Host::Api, "/cgi-bin/token"), "http://127.0.0.1:9000/api.weixin.qq.com/cgi-bin/token");
//! ```
//!
//! See `wechat/README.md` for the client, the token store and fuzzing.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
pub mod crypto;
pub mod error;
pub mod message;
pub mod pay;
pub mod reply;
pub mod signature;
pub mod token;
pub mod types;
pub mod xml;

pub use error::{CryptoError, Error, PayError, WechatApiError};
