//! Deterministic demo people: the followers, tags and menu of a sandbox Official Account and
//! the departments and members of a sandbox WeCom corp. Derived from the appid / corpid, so the
//! emulator (in memory) gets the same people back on every start.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Followers of a sandbox Official Account.
pub const FOLLOWERS: usize = 320;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "晓", "子涵",
];
const CITIES: &[(&str, &str)] = &[
    ("北京", "北京"),
    ("上海", "上海"),
    ("广州", "广东"),
    ("深圳", "广东"),
    ("杭州", "浙江"),
    ("成都", "四川"),
    ("武汉", "湖北"),
    ("南京", "江苏"),
];

/// OA user tags (ids from 100, as WeChat numbers them).
pub const TAGS: &[(i64, &str)] = &[
    (100, "VIP"),
    (101, "新客户"),
    (102, "老客户"),
    (103, "员工"),
];

/// Extended attributes (扩展属性) the demo corp's admin added in WeCom's admin console, with
/// WeCom's type (0 text, 1 web, 2 mini-program).
pub const EXTATTR_FIELDS: &[(&str, i64)] = &[("工号", 0), ("个人主页", 1), ("工作台", 2)];

/// The click keys of the demo menu.
pub const MENU_KEYS: &[&str] = &["MENU_HELLO", "MENU_NEWS", "MENU_CONTACT"];

fn hash(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize().into()
}

/// WeChat-looking openid (`o` + 27 characters) of follower `i` of `appid`.
pub fn openid(appid: &str, i: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let h = hash(&[appid, "follower", &i.to_string()]);
    let tail: String = h
        .iter()
        .take(27)
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("o{tail}")
}

fn name(seed: &[u8; 32]) -> String {
    format!(
        "{}{}",
        SURNAMES[seed[0] as usize % SURNAMES.len()],
        GIVEN[seed[1] as usize % GIVEN.len()]
    )
}

/// The seed fragment of an Official Account's people: `tags`, `followers`, `menu`.
pub fn oa_people(appid: &str) -> (Value, Value, Value) {
    let tags: Vec<Value> = TAGS
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    let followers: Vec<Value> = (0..FOLLOWERS)
        .map(|i| {
            let h = hash(&[appid, "profile", &i.to_string()]);
            let (city, province) = CITIES[h[2] as usize % CITIES.len()];
            let mut tagids = Vec::new();
            if h[3].is_multiple_of(5) {
                tagids.push(100);
            }
            tagids.push(if h[4].is_multiple_of(2) { 101 } else { 102 });
            if h[5].is_multiple_of(20) {
                tagids.push(103);
            }
            json!({
                "openid": openid(appid, i),
                "nickname": name(&h),
                "sex": 1 + (h[6] % 2),
                "city": city,
                "province": province,
                "country": "中国",
                "tagid_list": tagids,
                // Followed over the last months, newest last (fixed, not "now").
                "subscribe_time": 1_735_689_600 + (i as i64) * 20_000 + (h[7] as i64) * 60,
                "subscribe_scene": if h[8].is_multiple_of(3) { "ADD_SCENE_QR_CODE" } else { "ADD_SCENE_SEARCH" },
                "subscribed": i % 40 != 39,
            })
        })
        .collect();
    let menu = json!([
        {"type": "click", "name": "你好", "key": MENU_KEYS[0]},
        {"name": "更多", "sub_button": [
            {"type": "click", "name": "最新消息", "key": MENU_KEYS[1]},
            {"type": "click", "name": "联系我们", "key": MENU_KEYS[2]},
        ]},
    ]);
    (Value::Array(tags), Value::Array(followers), menu)
}

/// Departments (besides the root, id 1) of a sandbox corp.
pub const DEPARTMENTS: &[(i64, &str, i64)] = &[
    (2, "研发部", 1),
    (3, "市场部", 1),
    (4, "客服部", 1),
    (5, "前端组", 2),
    (6, "后端组", 2),
    (7, "移动端小组", 5),
    (8, "数据平台小组", 6),
    (9, "华东区", 3),
    (10, "华南区", 3),
    (11, "售后小组", 4),
];

/// Members of a sandbox corp.
pub const MEMBERS: usize = 50;

/// Tags of a sandbox corp (made in the admin console: only the contacts secret may change them):
/// id, name, members (by index), departments.
pub const CORP_TAGS: &[(i64, &str, &[usize], &[i64])] = &[
    (1, "技术骨干", &[0, 4, 5, 14, 15], &[]),
    (2, "新员工", &[40, 41, 42, 43, 44, 45], &[]),
    (3, "华东客户对接", &[], &[9]),
];

/// The seed fragment of a corp's people: `departments` (three levels below the root),
/// `members` (the first member of each department leads it; every seventh is also in a second
/// department), `tags`.
pub fn corp_people(corpid: &str) -> (Value, Value, Value) {
    let departments: Vec<Value> = DEPARTMENTS
        .iter()
        .map(|(id, name, parent)| json!({"id": id, "name": name, "parentid": parent, "order": 100 - id}))
        .collect();
    let members: Vec<Value> = (0..MEMBERS)
        .map(|i| {
            let h = hash(&[corpid, "member", &i.to_string()]);
            let dept = DEPARTMENTS[i % DEPARTMENTS.len()].0;
            let mut depts = vec![dept];
            let mut leader = vec![i64::from(i < DEPARTMENTS.len())];
            if i % 7 == 6 {
                let other = DEPARTMENTS[(i + 3) % DEPARTMENTS.len()].0;
                if other != dept {
                    depts.push(other);
                    leader.push(0);
                }
            }
            let position = ["工程师", "经理", "专员", "主管"][h[2] as usize % 4];
            let userid = format!("user{:02}", i + 1);
            let mut m = json!({
                "userid": userid,
                "name": name(&h),
                "department": depts,
                "is_leader_in_dept": leader,
                "main_department": dept,
                "position": position,
                "gender": if h[3].is_multiple_of(2) { "1" } else { "2" },
                "mobile": format!("138{:08}", u32::from_le_bytes([h[4], h[5], h[6], h[7]]) % 100_000_000),
                "extattr": [{"type": 0, "name": "工号", "text": {"value": format!("E{:04}", i + 1)}}],
            });
            if i % 3 == 0 {
                m["email"] = json!(format!("{userid}@demo.example"));
            }
            // A few who have not joined yet, and one disabled.
            if i >= 46 {
                m["status"] = json!(4);
                m["enable"] = json!(1);
            } else if i == 45 {
                m["status"] = json!(2);
                m["enable"] = json!(0);
            }
            m
        })
        .collect();
    let tags: Vec<Value> = CORP_TAGS
        .iter()
        .map(|(id, name, users, parties)| {
            let users: Vec<String> = users.iter().map(|i| format!("user{:02}", i + 1)).collect();
            json!({"tagid": id, "tagname": name, "users": users, "parties": parties})
        })
        .collect();
    (
        Value::Array(departments),
        Value::Array(members),
        Value::Array(tags),
    )
}

/// The department name of `id` in the demo corp.
pub fn department_name(id: i64) -> Option<&'static str> {
    DEPARTMENTS
        .iter()
        .find(|(d, _, _)| *d == id)
        .map(|(_, n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_deterministic_and_wechat_shaped() {
        let (_, a, _) = oa_people("wx0123456789abcdef");
        let (_, b, _) = oa_people("wx0123456789abcdef");
        assert_eq!(a, b);
        let list = a.as_array().unwrap();
        assert_eq!(list.len(), FOLLOWERS);
        let o = list[0]["openid"].as_str().unwrap();
        assert_eq!(o.len(), 28);
        assert!(o.starts_with('o'));
        let (_, c, _) = oa_people("wx0000000000000000");
        assert_ne!(a, c);
        let (d, m, t) = corp_people("ww0123456789abcdef");
        assert_eq!(m.as_array().unwrap().len(), MEMBERS);
        assert_eq!(t.as_array().unwrap().len(), CORP_TAGS.len());
        // Three levels below the root: 研发部 → 前端组 → 移动端小组.
        let parent = |id: i64| {
            d.as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == id)
                .unwrap()["parentid"]
                .as_i64()
                .unwrap()
        };
        assert_eq!((parent(7), parent(5), parent(2)), (5, 2, 1));
    }
}
