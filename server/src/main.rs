//! The `wxportal` command: `serve`, `migrate`, `user add`.

use std::{io::BufRead, process::ExitCode};

use api::staff::{CreateStaffRequest, Role};
use clap::{Parser, Subcommand, ValueEnum};
use wxportal::{
    Application, Settings,
    audit::Actor,
    config::{ConfigArgs, ServeArgs},
    startup, telemetry,
};

#[derive(Parser)]
#[command(
    name = "wxportal",
    version,
    about = "Self-hosted portal for WeChat Official Accounts, WeCom and WeChat Pay"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (applies pending migrations first).
    Serve {
        #[command(flatten)]
        common: ConfigArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        common: ConfigArgs,
    },
    /// Manage staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Operator,
    Viewer,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Operator => Role::Operator,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff user; the password is read from the first line of standard input.
    Add {
        /// Username (3–32 lower-case letters, digits, dots, dashes or underscores).
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[command(flatten)]
        common: ConfigArgs,
    },
}

fn master_key_env() -> Option<String> {
    std::env::var("WXPORTAL_MASTER_KEY").ok()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve { common, serve } => {
            let settings =
                Settings::resolve(&common, &serve, master_key_env()).map_err(|e| e.to_string())?;
            telemetry::init(settings.log_format);
            tracing::info!(settings = ?settings, "starting wxportal");
            let public_url = settings.public_url.clone();
            let chosen_sandbox_token = settings.sandbox_control_token.clone();
            let app = Application::build(settings)
                .await
                .map_err(|e| e.to_string())?;
            let shutdown = startup::shutdown_signal();
            if let Some(password) = &app.initial_admin_password {
                println!("Initial admin password: {password}");
                println!(
                    "Sign in as \"admin\" at {public_url}/ with this password; you will be asked to choose a new one. It is not shown again."
                );
            }
            // A token the operator chose is theirs to know; a random one is shown once per start.
            if let (Some(token), None) = (app.sandbox_control_token(), &chosen_sandbox_token) {
                println!("Sandbox control token: {token}");
                println!(
                    "The emulator's control API (/sandbox/_sim/…) wants it in the X-Wxportal-Sandbox-Token header; a new one is made at each start unless --sandbox-control-token is set."
                );
            }
            println!(
                "wxportal listening on http://{} (public URL {public_url})",
                app.local_addr()
            );
            app.run_until(shutdown).await.map_err(|e| e.to_string())
        }
        Command::Migrate { common } => {
            let settings = Settings::resolve(&common, &ServeArgs::default(), master_key_env())
                .map_err(|e| e.to_string())?;
            telemetry::init(settings.log_format);
            let db = wxportal::db::connect(&settings.database_url)
                .await
                .map_err(|e| e.to_string())?;
            wxportal::db::migrate(&db)
                .await
                .map_err(|e| e.to_string())?;
            println!("migrations applied");
            Ok(())
        }
        Command::User {
            command: UserCommand::Add { name, role, common },
        } => {
            let settings = Settings::resolve(&common, &ServeArgs::default(), master_key_env())
                .map_err(|e| e.to_string())?;
            telemetry::init(settings.log_format);
            use std::io::IsTerminal;
            if std::io::stdin().is_terminal() {
                eprintln!("Password for {name} (one line; it will be visible):");
            }
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let (db, _vault, passwords) = startup::prepare(&settings)
                .await
                .map_err(|e| e.to_string())?;
            let req = CreateStaffRequest {
                username: name,
                password,
                role: role.into(),
            };
            let user =
                wxportal::staff::service::create(&db, &passwords, &Actor::system(), req, false)
                    .await
                    .map_err(|e| match e {
                        wxportal::error::AppError::Validation(fields) => fields
                            .iter()
                            .map(|f| format!("{}: {}", f.field, f.message))
                            .collect::<Vec<_>>()
                            .join("; "),
                        other => other.to_string(),
                    })?;
            println!("created {} user {}", user.role, user.username);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_flags_parse() {
        let cli = Cli::try_parse_from([
            "wxportal",
            "serve",
            "--bind",
            "0.0.0.0:9000",
            "--public-url",
            "https://wx.example.com",
            "--sandbox",
            "--cookie-secure",
            "--log-format",
            "json",
            "--data-dir",
            "/var/lib/wxportal",
        ])
        .unwrap();
        let Command::Serve { common, serve } = cli.command else {
            panic!("not serve");
        };
        let s = Settings::resolve(&common, &serve, None).unwrap();
        assert_eq!(s.bind.to_string(), "0.0.0.0:9000");
        assert!(s.sandbox && s.cookie_secure);
        assert_eq!(s.log_format, wxportal::config::LogFormat::Json);
        assert_eq!(
            s.database_url,
            "sqlite:///var/lib/wxportal/wxportal.db?mode=rwc"
        );
        assert_eq!(s.public_url, "https://wx.example.com");
    }

    #[test]
    fn user_add_parses() {
        let cli =
            Cli::try_parse_from(["wxportal", "user", "add", "bob", "--role", "operator"]).unwrap();
        let Command::User {
            command: UserCommand::Add { name, role, .. },
        } = cli.command
        else {
            panic!("not user add");
        };
        assert_eq!(name, "bob");
        assert_eq!(Role::from(role), Role::Operator);
        assert!(Cli::try_parse_from(["wxportal", "user", "add", "bob", "--role", "root"]).is_err());
        assert!(
            Cli::try_parse_from(["wxportal", "migrate", "--database-url", "postgres://x/y"])
                .is_ok()
        );
    }
}
