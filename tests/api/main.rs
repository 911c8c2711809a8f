//! One integration-test binary: every test starts the real server over HTTP on a temp SQLite file.

mod helpers;

mod account;
mod agent_bots;
mod agents;
mod attachments;
mod audit_logs;
mod auth;
mod automation_rules;
mod browser;
mod canned_responses;
mod cli;
mod contacts;
mod conversations;
mod csat;
mod custom_attributes;
mod custom_filters;
mod filters;
mod help_center;
mod help_center_pages;
mod inboxes;
mod integrations;
mod labels;
mod messages;
mod meta;
mod platform_account_users;
mod platform_accounts;
mod platform_agent_bots;
mod platform_users;
mod profile;
mod public_api;
mod route_walk;
mod storage;
mod survey_page;
mod teams;
mod webhooks;
