//! One integration-test binary: every test starts the real server over HTTP on a temp SQLite file.

mod helpers;

mod account;
mod auth;
mod cli;
mod meta;
mod platform_account_users;
mod platform_accounts;
mod platform_agent_bots;
mod platform_users;
mod profile;
mod storage;
