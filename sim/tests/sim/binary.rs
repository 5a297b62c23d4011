//! The standalone binary: `wechat-sim --bind … --seed …` prints its URL and serves.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_binds_prints_url_and_loads_seed() {
    let dir = std::env::temp_dir().join(format!("wechat-sim-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed = dir.join("seed.json");
    std::fs::write(
        &seed,
        r#"{"oa":[{"appid":"wx9999999999999999","secret":"0123456789abcdef0123456789abcdef"}]}"#,
    )
    .unwrap();
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_wechat-sim"))
            .args(["--bind", "127.0.0.1:0", "--seed"])
            .arg(&seed)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    let mut reader = BufReader::new(child.0.stdout.take().unwrap());
    reader.read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("wechat-sim listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"));
    let v: serde_json::Value = reqwest::get(format!(
        "{url}/api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx9999999999999999&secret=0123456789abcdef0123456789abcdef"
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(v["access_token"].is_string(), "{v}");
    drop(reader);
    let _ = std::fs::remove_dir_all(&dir);
}
