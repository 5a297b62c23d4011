//! The `wxportal` binary: first-start output, `user add`, `migrate`, SIGTERM.

use std::{
    io::{BufRead, BufReader, Write},
    process::{Child, Command, Stdio},
};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{MASTER_KEY_HEX, TestDb};

fn wxportal(db: &TestDb) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wxportal"));
    cmd.env_remove("RUST_LOG")
        .env("WXPORTAL_DATABASE_URL", &db.url)
        .env("WXPORTAL_DATA_DIR", db.dir.path())
        .env("WXPORTAL_MASTER_KEY", MASTER_KEY_HEX);
    cmd
}

/// Start `serve`, return the child and the stdout lines up to the "listening" line.
fn serve(db: &TestDb) -> (Child, Vec<String>) {
    serve_with(wxportal(db))
}

fn serve_with(mut cmd: Command) -> (Child, Vec<String>) {
    let mut child = cmd
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "serve exited early: {lines:?}"
        );
        let line = line.trim_end().to_string();
        let done = line.starts_with("wxportal listening on ");
        lines.push(line);
        if done {
            break;
        }
    }
    (child, lines)
}

fn terminate(mut child: Child) {
    // The shell's builtin `kill`: no procps needed.
    let status = Command::new("sh")
        .args(["-c", "kill -TERM \"$0\"", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful exit on SIGTERM, got {exit}");
}

#[tokio::test]
async fn first_start_prints_the_admin_password_once() {
    let db = TestDb::new().await;
    let (child, lines) = serve(&db);
    let passwords: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("Initial admin password: "))
        .collect();
    assert_eq!(passwords.len(), 1, "{lines:?}");
    let password = passwords[0].trim_start_matches("Initial admin password: ");
    assert_eq!(password.len(), 16);
    let url = lines.last().unwrap()["wxportal listening on ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let r = reqwest::Client::new()
        .post(format!("{url}/api/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    terminate(child);

    // A second start on the same database prints no password.
    let (child, lines) = serve(&db);
    assert!(lines.iter().all(|l| !l.contains("password")), "{lines:?}");
    terminate(child);
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin() {
    let db = TestDb::new().await;
    let status = wxportal(&db).arg("migrate").status().unwrap();
    assert!(status.success());
    let mut child = wxportal(&db)
        .args(["user", "add", "ops.lead", "--role", "operator"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"cli-password-123\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = wxportal::db::connect(&db.url).await.unwrap();
    let user = wxportal::entities::staff_user::Entity::find()
        .filter(wxportal::entities::staff_user::Column::Username.eq("ops.lead"))
        .one(&conn)
        .await
        .unwrap()
        .expect("user created");
    assert_eq!(user.role, "operator");
    assert!(
        !user.must_change_password,
        "CLI users choose their own password"
    );
    assert!(user.password_hash.starts_with("$argon2id$"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("cli-password-123"));

    // Weak passwords are refused with the policy's message.
    let mut child = wxportal(&db)
        .args(["user", "add", "weak", "--role", "viewer"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"));
}

#[tokio::test]
async fn flags_beat_environment_beats_config_file() {
    let db = TestDb::new().await;
    let file = db.dir.path().join("wxportal.toml");
    std::fs::write(
        &file,
        "public_url = \"https://file.example\"\nsession_idle_minutes = 5\n",
    )
    .unwrap();
    let public_url = |lines: &[String]| {
        lines
            .last()
            .unwrap()
            .split("(public URL ")
            .nth(1)
            .unwrap()
            .trim_end_matches(')')
            .to_string()
    };

    let mut cmd = wxportal(&db);
    cmd.env("WXPORTAL_CONFIG", &file);
    let (child, lines) = serve_with(cmd);
    assert_eq!(public_url(&lines), "https://file.example");
    terminate(child);

    let mut cmd = wxportal(&db);
    cmd.env("WXPORTAL_CONFIG", &file)
        .env("WXPORTAL_PUBLIC_URL", "https://env.example");
    let (child, lines) = serve_with(cmd);
    assert_eq!(public_url(&lines), "https://env.example");
    terminate(child);

    // Flags: built by hand, as `serve_with` adds its own arguments.
    let mut cmd = wxportal(&db);
    cmd.env("WXPORTAL_CONFIG", &file)
        .env("WXPORTAL_PUBLIC_URL", "https://env.example")
        .env("WXPORTAL_BIND", "127.0.0.1:0");
    let mut child = cmd
        .args(["serve", "--public-url", "https://flag.example"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("wxportal listening on ") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0);
    }
    assert_eq!(
        public_url(&[line.trim_end().to_string()]),
        "https://flag.example"
    );
    terminate(child);

    // A bad master key is refused with a clear message.
    let out = wxportal(&db)
        .env("WXPORTAL_MASTER_KEY", "not-a-key")
        .args(["serve", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("WXPORTAL_MASTER_KEY must be 32 bytes"));
}
