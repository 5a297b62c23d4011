//! Integration tests: the emulator over real HTTP on 127.0.0.1.

mod binary;
mod callback;
mod common;
mod control;
mod interop;
mod oa_content;
mod oa_kf;
mod oa_menu;
mod oa_oauth;
mod oa_outreach;
mod oa_token;
mod oa_users;
mod pay;
mod suite;
mod work;
mod work_directory;
mod work_message;
