//! Signing in and out, the session context, and changing one's password.

pub mod login;
pub mod password;
pub mod session;

pub use login::LoginPage;
pub use password::PasswordPage;
pub use session::{Session, use_session};
