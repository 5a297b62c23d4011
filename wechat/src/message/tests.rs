use super::*;
use proptest::prelude::*;

fn p(s: &str) -> InboundMessage {
    let m = InboundMessage::parse(s).unwrap_or_else(|e| panic!("{e}: {s}"));
    // serialisation round-trips
    let again = InboundMessage::parse(&m.to_xml()).unwrap();
    assert_eq!(again, m, "round trip of {s}");
    m
}

const H: &str = "<ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1348831860</CreateTime>";

fn ev(body: &str) -> Event {
    match p(&format!(
        "<xml>{H}<MsgType><![CDATA[event]]></MsgType>{body}</xml>"
    ))
    .kind
    {
        MessageKind::Event(e) => e,
        k => panic!("{k:?}"),
    }
}

#[test]
fn v3_decrypted_wecom_text() {
    let m = p(
        "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
    );
    assert_eq!(m.header.agent_id, Some(218));
    assert_eq!(
        m.kind,
        MessageKind::Text {
            content: "hello".into(),
            msg_id: Some("4561255354251345929".into())
        }
    );
    assert!(m.extra.is_empty());
    assert_eq!(m.dedup_key(), "msg:wx5823bf96d3bd56c7:4561255354251345929");
}

#[test]
fn bare_text_without_cdata() {
    let m = p(
        "<xml><ToUserName>toUser</ToUserName><FromUserName>fromUser</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>a &lt; b</Content><MsgId>1</MsgId></xml>",
    );
    assert_eq!(
        m.kind,
        MessageKind::Text {
            content: "a < b".into(),
            msg_id: Some("1".into())
        }
    );
}

#[test]
fn all_message_types() {
    let m = p(&format!(
        "<xml>{H}<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://x/p.jpg]]></PicUrl><MediaId><![CDATA[mid]]></MediaId><MsgId>1</MsgId></xml>"
    ));
    assert!(matches!(m.kind, MessageKind::Image { ref media_id, .. } if media_id == "mid"));
    let m = p(&format!(
        "<xml>{H}<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[腾讯微信团队]]></Recognition><MsgId>1</MsgId></xml>"
    ));
    assert!(
        matches!(m.kind, MessageKind::Voice { recognition: Some(ref r), .. } if r == "腾讯微信团队")
    );
    let m = p(&format!(
        "<xml>{H}<MsgType><![CDATA[video]]></MsgType><MediaId><![CDATA[m]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId><MsgId>1</MsgId></xml>"
    ));
    assert!(matches!(m.kind, MessageKind::Video { .. }));
    let m = p(&format!(
        "<xml>{H}<MsgType><![CDATA[shortvideo]]></MsgType><MediaId><![CDATA[m]]></MediaId><ThumbMediaId><![CDATA[t]]></ThumbMediaId><MsgId>1</MsgId></xml>"
    ));
    assert!(matches!(m.kind, MessageKind::ShortVideo { .. }));
    let m = p(&format!(
        "<xml>{H}<MsgType><![CDATA[location]]></MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label><MsgId>1</MsgId></xml>"
    ));
    assert!(
        matches!(m.kind, MessageKind::Location { location_x, scale: Some(20), .. } if location_x == 23.134521)
    );
    let m = p(&format!(
        "<xml>{H}<MsgType><![CDATA[link]]></MsgType><Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[d]]></Description><Url><![CDATA[url]]></Url><MsgId>1</MsgId></xml>"
    ));
    assert!(matches!(m.kind, MessageKind::Link { ref title, .. } if title == "公众平台官网链接"));
    // text with article-reply extras keeps them
    let m = p(&format!(
        "<xml>{H}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[x]]></Content><MsgId>1</MsgId><MsgDataId>2</MsgDataId><Idx>1</Idx></xml>"
    ));
    assert_eq!(m.extra.len(), 2);
}

#[test]
fn unknown_keeps_every_field() {
    let m = p(&format!(
        "<xml>{H}<MsgType><![CDATA[miniprogrampage]]></MsgType><Title><![CDATA[t]]></Title><AppId>wx1</AppId><Nested><A>1</A></Nested></xml>"
    ));
    assert_eq!(
        m.kind,
        MessageKind::Unknown {
            msg_type: "miniprogrampage".into()
        }
    );
    let names: Vec<_> = m.extra.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Title", "AppId", "Nested"]);
    // V6 debug_demo event is an unknown event with its field kept
    let m = p(
        "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[debug_demo]]></Event>\n<debug_str><![CDATA[hello world]]></debug_str>\n</xml>",
    );
    assert_eq!(
        m.kind,
        MessageKind::Event(Event::Unknown {
            event: "debug_demo".into()
        })
    );
    assert_eq!(m.extra[0].text, "hello world");
}

#[test]
fn subscribe_scan_location_menu() {
    assert_eq!(
        ev("<Event><![CDATA[subscribe]]></Event>"),
        Event::Subscribe {
            event_key: None,
            ticket: None
        }
    );
    let e = ev(
        "<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>",
    );
    assert_eq!(e.qr_scene(), Some("123123"));
    assert_eq!(
        ev("<Event><![CDATA[unsubscribe]]></Event>"),
        Event::Unsubscribe
    );
    let e = ev(
        "<Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[SCENE_VALUE]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>",
    );
    assert_eq!(e.qr_scene(), Some("SCENE_VALUE"));
    let e = ev(
        "<Event><![CDATA[LOCATION]]></Event><Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision>",
    );
    assert!(
        matches!(e, Event::Location { latitude, precision: Some(p), .. } if latitude == 23.137466 && p == 119.38504)
    );
    assert_eq!(
        ev("<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[EVENTKEY]]></EventKey>"),
        Event::Click {
            event_key: "EVENTKEY".into()
        }
    );
    assert_eq!(
        ev(
            "<Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[www.qq.com]]></EventKey><MenuId>MENUID</MenuId>"
        ),
        Event::View {
            event_key: "www.qq.com".into(),
            menu_id: Some("MENUID".into())
        }
    );
}

#[test]
fn menu_events_with_payloads() {
    let e = ev(
        "<Event><![CDATA[scancode_push]]></Event><EventKey><![CDATA[6]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>",
    );
    assert_eq!(
        e,
        Event::ScanCode {
            kind: ScanKind::Push,
            event_key: "6".into(),
            scan_type: "qrcode".into(),
            scan_result: "1".into()
        }
    );
    let e = ev(
        "<Event><![CDATA[scancode_waitmsg]]></Event><EventKey><![CDATA[6]]></EventKey><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType><ScanResult><![CDATA[2]]></ScanResult></ScanCodeInfo>",
    );
    assert!(matches!(
        e,
        Event::ScanCode {
            kind: ScanKind::WaitMsg,
            ..
        }
    ));
    for (name, kind) in [
        ("pic_sysphoto", PicKind::SysPhoto),
        ("pic_photo_or_album", PicKind::PhotoOrAlbum),
        ("pic_weixin", PicKind::Weixin),
    ] {
        let e = ev(&format!(
            "<Event><![CDATA[{name}]]></Event><EventKey><![CDATA[6]]></EventKey><SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum><![CDATA[1b5f7c23b5bf75682a53e7b6d163e185]]></PicMd5Sum></item></PicList></SendPicsInfo>"
        ));
        assert_eq!(
            e,
            Event::Pic {
                kind,
                event_key: "6".into(),
                pic_md5_sums: vec!["1b5f7c23b5bf75682a53e7b6d163e185".into()]
            }
        );
    }
    let e = ev(
        "<Event><![CDATA[location_select]]></Event><EventKey><![CDATA[6]]></EventKey><SendLocationInfo><Location_X><![CDATA[23]]></Location_X><Location_Y><![CDATA[113]]></Location_Y><Scale><![CDATA[15]]></Scale><Label><![CDATA[ 广州市海珠区客村艺苑路 106号]]></Label><Poiname><![CDATA[]]></Poiname></SendLocationInfo>",
    );
    assert!(
        matches!(e, Event::LocationSelect { location_x, scale: Some(15), ref label, .. } if location_x == 23.0 && label == " 广州市海珠区客村艺苑路 106号")
    );
}

#[test]
fn job_finish_events() {
    assert_eq!(
        ev(
            "<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200163836</MsgID><Status><![CDATA[success]]></Status>"
        ),
        Event::TemplateSendJobFinish {
            msg_id: "200163836".into(),
            status: "success".into()
        }
    );
    let m = p(&format!(
        "<xml>{H}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>1000001625</MsgID><Status><![CDATA[err(30003)]]></Status><TotalCount>0</TotalCount><FilterCount>0</FilterCount><SentCount>0</SentCount><ErrorCount>0</ErrorCount><CopyrightCheckResult><Count>0</Count><CheckState>1</CheckState></CopyrightCheckResult></xml>"
    ));
    assert!(
        matches!(m.kind, MessageKind::Event(Event::MassSendJobFinish { ref status, total_count: Some(0), .. }) if status == "err(30003)")
    );
    assert_eq!(m.extra[0].name, "CopyrightCheckResult");
    let e = ev(
        "<Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo><publish_id>2247503051</publish_id><publish_status>0</publish_status><article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy]]></article_id><article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[ARTICLE_URL]]></article_url></item></article_detail></PublishEventInfo>",
    );
    assert_eq!(
        e,
        Event::PublishJobFinish {
            publish_id: "2247503051".into(),
            publish_status: 0,
            article_id: Some("b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy".into()),
            articles: vec![(1, "ARTICLE_URL".into())],
            fail_idx: vec![]
        }
    );
    let e = ev(
        "<Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo><publish_id>1</publish_id><publish_status>2</publish_status><fail_idx>1</fail_idx><fail_idx>2</fail_idx></PublishEventInfo>",
    );
    assert!(
        matches!(e, Event::PublishJobFinish { publish_status: 2, ref fail_idx, .. } if fail_idx == &vec![1, 2])
    );
}

#[test]
fn wecom_events() {
    let w = |body: &str| {
        let m = p(&format!(
            "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><AgentID>1</AgentID>{body}</xml>"
        ));
        let x = m.to_xml();
        match m.kind {
            MessageKind::Event(e) => (e, x),
            k => panic!("{k:?}"),
        }
    };
    let (e, x) = w("<Event><![CDATA[click]]></Event><EventKey><![CDATA[k]]></EventKey>");
    assert_eq!(
        e,
        Event::Click {
            event_key: "k".into()
        }
    );
    assert!(x.contains("<Event><![CDATA[click]]></Event>"), "{x}");
    let (e, x) = w("<Event><![CDATA[view]]></Event><EventKey><![CDATA[http://x]]></EventKey>");
    assert!(matches!(e, Event::View { .. }));
    assert!(x.contains("[view]"));
    let (e, _) = w("<Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey>");
    assert_eq!(
        e,
        Event::EnterAgent {
            event_key: Some(String::new())
        }
    );
    let (e, _) = w(
        "<Event><![CDATA[batch_job_result]]></Event><BatchJob><JobId><![CDATA[S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4]]></JobId><JobType><![CDATA[sync_user]]></JobType><ErrCode>0</ErrCode><ErrMsg><![CDATA[ok]]></ErrMsg></BatchJob>",
    );
    assert!(
        matches!(e, Event::BatchJobResult { err_code: 0, ref job_type, .. } if job_type == "sync_user")
    );
}

fn cc(body: &str) -> ContactChange {
    let m = p(&format!(
        "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>{body}</xml>"
    ));
    match m.kind {
        MessageKind::Event(Event::ChangeContact(c)) => c,
        k => panic!("{k:?}"),
    }
}

#[test]
fn change_contact_all_types() {
    let c = cc(
        "<ChangeType>create_user</ChangeType><UserID><![CDATA[zhangsan]]></UserID><Name><![CDATA[张三]]></Name><Department><![CDATA[1,2,3]]></Department><MainDepartment>1</MainDepartment><IsLeaderInDept><![CDATA[1,0,0]]></IsLeaderInDept><Position><![CDATA[产品经理]]></Position><Mobile>13800000000</Mobile><Gender>1</Gender><Email><![CDATA[zhangsan@gzdev.com]]></Email><Status>1</Status><Avatar><![CDATA[http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/0]]></Avatar><Alias><![CDATA[zhangsan]]></Alias><Telephone><![CDATA[020-123456]]></Telephone><Address><![CDATA[广州市]]></Address><ExtAttr><Item><Name><![CDATA[爱好]]></Name><Type>0</Type><Text><Value><![CDATA[旅游]]></Value></Text></Item></ExtAttr>",
    );
    match c {
        ContactChange::CreateUser(u) => {
            assert_eq!(u.department, Some(vec![1, 2, 3]));
            assert_eq!(u.is_leader_in_dept, Some(vec![1, 0, 0]));
            assert_eq!(u.mobile.as_deref(), Some("13800000000"));
        }
        o => panic!("{o:?}"),
    }
    assert!(matches!(
        cc(
            "<ChangeType>update_user</ChangeType><UserID>zhangsan</UserID><NewUserID>zhangsan001</NewUserID>"
        ),
        ContactChange::UpdateUser(UserChange {
            new_user_id: Some(_),
            ..
        })
    ));
    assert_eq!(
        cc("<ChangeType>delete_user</ChangeType><UserID>zhangsan</UserID>"),
        ContactChange::DeleteUser {
            user_id: "zhangsan".into()
        }
    );
    assert_eq!(
        cc(
            "<ChangeType>create_party</ChangeType><Id>2</Id><Name>张三</Name><ParentId><![CDATA[1]]></ParentId><Order>1</Order>"
        ),
        ContactChange::CreateParty(PartyChange {
            id: 2,
            name: Some("张三".into()),
            parent_id: Some(1),
            order: Some(1)
        })
    );
    assert!(matches!(
        cc("<ChangeType>update_party</ChangeType><Id>2</Id><Name>李四</Name>"),
        ContactChange::UpdateParty(_)
    ));
    assert_eq!(
        cc("<ChangeType>delete_party</ChangeType><Id>2</Id>"),
        ContactChange::DeleteParty { id: 2 }
    );
    assert_eq!(
        cc(
            "<ChangeType>update_tag</ChangeType><TagId>1</TagId><AddUserItems><![CDATA[zhangsan,lisi]]></AddUserItems><DelUserItems><![CDATA[zhangsan1,lisi1]]></DelUserItems><AddPartyItems><![CDATA[1,2]]></AddPartyItems><DelPartyItems><![CDATA[3,4]]></DelPartyItems>"
        ),
        ContactChange::UpdateTag(TagChange {
            tag_id: 1,
            add_user_items: Some(vec!["zhangsan".into(), "lisi".into()]),
            del_user_items: Some(vec!["zhangsan1".into(), "lisi1".into()]),
            add_party_items: Some(vec![1, 2]),
            del_party_items: Some(vec![3, 4]),
        })
    );
    assert_eq!(
        cc("<ChangeType>something_new</ChangeType><X>1</X>"),
        ContactChange::Unknown {
            change_type: "something_new".into()
        }
    );
}

fn suite(s: &str) -> SuiteInstruction {
    let i = SuiteInstruction::parse(s).unwrap();
    assert_eq!(SuiteInstruction::parse(&i.to_xml()).unwrap(), i);
    assert!(matches!(Callback::parse(s).unwrap(), Callback::Suite(_)));
    i
}

#[test]
fn suite_instructions() {
    let i = suite(
        "<xml><SuiteId><![CDATA[ww4asffe99e54c0fxxxx]]></SuiteId><InfoType><![CDATA[suite_ticket]]></InfoType><TimeStamp>1403610513</TimeStamp><SuiteTicket><![CDATA[asdfasfdasdfasdf]]></SuiteTicket></xml>",
    );
    assert_eq!(i.suite_id, "ww4asffe99e54c0fxxxx");
    assert_eq!(
        i.info,
        SuiteInfo::SuiteTicket {
            suite_ticket: "asdfasfdasdfasdf".into()
        }
    );
    let i = suite(
        "<xml><SuiteId>s</SuiteId><AuthCode>AUTHCODE</AuthCode><InfoType>create_auth</InfoType><TimeStamp>1403610513</TimeStamp><State>123</State></xml>",
    );
    assert_eq!(
        i.info,
        SuiteInfo::CreateAuth {
            auth_code: "AUTHCODE".into(),
            state: Some("123".into())
        }
    );
    let i = suite(
        "<xml><SuiteId>s</SuiteId><InfoType>change_auth</InfoType><TimeStamp>1</TimeStamp><AuthCorpId>wxf8b4f85f3a794e77</AuthCorpId></xml>",
    );
    assert!(matches!(i.info, SuiteInfo::ChangeAuth { .. }));
    let i = suite(
        "<xml><SuiteId>s</SuiteId><InfoType>cancel_auth</InfoType><TimeStamp>1</TimeStamp><AuthCorpId>wxf8b4f85f3a794e77</AuthCorpId></xml>",
    );
    assert_eq!(
        i.info,
        SuiteInfo::CancelAuth {
            auth_corp_id: "wxf8b4f85f3a794e77".into()
        }
    );
    let i = suite(
        "<xml><SuiteId>s</SuiteId><InfoType>reset_permanent_code</InfoType><TimeStamp>1</TimeStamp><AuthCode>C</AuthCode></xml>",
    );
    assert_eq!(
        i.info,
        SuiteInfo::ResetPermanentCode {
            auth_code: "C".into()
        }
    );
    let i = suite(
        "<xml><SuiteId>s</SuiteId><AuthCorpId>wxf</AuthCorpId><InfoType>change_contact</InfoType><TimeStamp>1</TimeStamp><ChangeType>delete_user</ChangeType><UserID>u1</UserID><OpenUserID>ou1</OpenUserID></xml>",
    );
    assert!(matches!(
        i.info,
        SuiteInfo::ChangeContact {
            change: ContactChange::DeleteUser { .. },
            ..
        }
    ));
    assert_eq!(i.extra[0].name, "OpenUserID");
    let i = suite(
        "<xml><SuiteId>s</SuiteId><InfoType>change_app_admin</InfoType><TimeStamp>1</TimeStamp><AuthCorpId>c</AuthCorpId></xml>",
    );
    assert_eq!(
        i.info,
        SuiteInfo::Unknown {
            info_type: "change_app_admin".into()
        }
    );
    assert_eq!(i.extra.len(), 1);
}

#[test]
fn errors_not_panics() {
    assert!(InboundMessage::parse("<xml></xml>").is_err());
    assert!(InboundMessage::parse(&format!("<xml>{H}</xml>")).is_err());
    assert!(InboundMessage::parse("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>x</CreateTime><MsgType>text</MsgType></xml>").is_err());
    assert!(InboundMessage::parse(r#"<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><ToUserName>&xxe;</ToUserName></xml>"#).is_err());
    assert!(SuiteInstruction::parse("<xml><SuiteId>s</SuiteId></xml>").is_err());
    assert!(Callback::parse("nope").is_err());
    let c = Callback::parse("<xml><AppId>wx1</AppId><CreateTime>1</CreateTime><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>t</ComponentVerifyTicket></xml>").unwrap();
    assert!(
        matches!(c, Callback::Other(ref e) if e.child_text("ComponentVerifyTicket") == Some("t"))
    );
}

#[test]
fn event_dedup_keys_differ_for_distinct_same_second_events() {
    let a = p(&format!(
        "<xml>{H}<MsgType>event</MsgType><Event>CLICK</Event><EventKey>a</EventKey></xml>"
    ));
    let b = p(&format!(
        "<xml>{H}<MsgType>event</MsgType><Event>CLICK</Event><EventKey>b</EventKey></xml>"
    ));
    assert_ne!(a.dedup_key(), b.dedup_key());
    assert_eq!(a.dedup_key(), a.clone().dedup_key());
}

proptest! {
    #[test]
    fn text_roundtrip(content in "\\PC*", from in "[a-zA-Z0-9_-]{1,28}", t in 0i64..2_000_000_000, agent in proptest::option::of(0i64..100000)) {
        let m = InboundMessage {
            header: Header { to_user_name: "gh_1".into(), from_user_name: from, create_time: t, agent_id: agent },
            kind: MessageKind::Text { content, msg_id: Some("123".into()) },
            extra: vec![],
        };
        prop_assert_eq!(InboundMessage::parse(&m.to_xml()).unwrap(), m);
    }

    #[test]
    fn parse_never_panics(s in ".{0,400}") {
        let _ = Callback::parse(&s);
    }
}
