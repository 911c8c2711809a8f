//! Rules with no I/O: token and password policy, validation, timestamps, feature flags.

pub mod article_text;
pub mod attachments;
pub mod automation;
pub mod automation_conditions;
pub mod business_hours;
pub mod contacts;
pub mod conversations;
pub mod custom_attributes;
pub mod dashboard_apps;
pub mod events;
pub mod features;
pub mod filters;
pub mod help_center;
pub mod inbox;
pub mod integrations;
pub mod macros;
pub mod notifications;
pub mod params;
pub mod password;
pub mod search_index;
pub mod text;
pub mod timestamps;
pub mod tokenizer;
pub mod tokens;
pub mod validation;
pub mod webhooks;
