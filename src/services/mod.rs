//! Operations that span several tables and are shared by API handlers and the CLI. Each takes a
//! connection (inside the caller's transaction) and returns Chatwoot-style validation errors.

pub mod accounts;
pub mod agents;
pub mod articles;
pub mod audit;
pub mod contacts;
pub mod conversation_loader;
pub mod conversations;
pub mod csat;
pub mod help_center;
pub mod messages;
pub mod notes;
pub mod notifications;
pub mod profile;
pub mod reporting_events;
pub mod search;
pub mod settings;
pub mod typing;
pub mod users;
pub mod widget;
