//! The API integration suite: the real server, a fresh database per test, on the backend
//! chosen by `WXPORTAL_TEST_BACKEND` (sqlite | postgres | mysql).

mod accounts;
mod audit;
mod auth;
mod callback;
mod callback_recovery;
mod cli;
mod csrf;
mod followers;
mod health;
mod helpers;
mod logs;
mod mass;
mod messages;
mod migrations;
mod multi_instance;
mod multi_instance_jobs;
mod oa_content;
mod oa_kf;
mod oa_qrcodes;
mod oa_web;
mod openapi;
mod pay;
mod pay_flow;
mod pay_pages;
mod roles;
mod sandbox;
mod secrets;
mod sessions;
mod spa;
mod staff;
mod templates;
mod tokens;
mod wecom_contacts;
mod wecom_menus;
mod wecom_messages;
