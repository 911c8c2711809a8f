//! Chatwoot's JSON shapes (the jbuilder layer). Every response body is built here.

pub mod account;
pub mod agent;
pub mod agent_bot;
pub mod attachment;
pub mod audit_log;
pub mod automation_rule;
pub mod canned_response;
pub mod contact;
pub mod conversation;
pub mod csat;
pub mod custom_attribute;
pub mod custom_filter;
pub mod event_payload;
pub mod help_center;
pub mod inbox;
pub mod integrations;
pub mod label;
pub mod message;
pub mod platform;
pub mod public;
pub mod related;
pub mod reporting_event;
pub mod team;
pub mod user;
pub mod webhook;
pub mod webhook_delivery;
