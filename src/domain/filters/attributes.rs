//! The whitelist of filterable standard attributes: which keys each target has, how each is
//! stored and which operators it accepts.

use super::Target;

pub(super) const EQ: &[&str] = &["equal_to", "not_equal_to"];
pub(super) const EQ_PRES: &[&str] = &["equal_to", "not_equal_to", "is_present", "is_not_present"];
pub(super) const EQ_CONT: &[&str] = &["equal_to", "not_equal_to", "contains", "does_not_contain"];
pub(super) const PHONE: &[&str] = &[
    "equal_to",
    "not_equal_to",
    "contains",
    "does_not_contain",
    "starts_with",
];
pub(super) const DATE: &[&str] = &["is_greater_than", "is_less_than", "days_before"];
pub(super) const CUSTOM: &[&str] = &[
    "equal_to",
    "not_equal_to",
    "contains",
    "does_not_contain",
    "is_present",
    "is_not_present",
    "is_greater_than",
    "is_less_than",
    "days_before",
];

/// How a standard key is stored.
#[derive(Debug, Clone, Copy)]
pub(super) enum Column {
    /// Enum stored as an index of these names.
    Enum(&'static str, &'static [&'static str]),
    /// Integer id column.
    Id(&'static str),
    /// Text expression compared case-insensitively.
    Text(&'static str),
    /// Timestamp in unix milliseconds.
    Time(&'static str),
    /// Boolean column.
    Flag(&'static str),
    /// Tags in a label table.
    Labels,
}

pub(super) fn standard(target: Target, key: &str) -> Option<(Column, &'static [&'static str])> {
    use crate::domain::conversations::{PRIORITIES, STATUSES};
    Some(match (target, key) {
        (Target::Conversation, "status") => (Column::Enum("v.status", STATUSES), EQ),
        (Target::Conversation, "priority") => (Column::Enum("v.priority", PRIORITIES), EQ),
        (Target::Conversation, "assignee_id") => (Column::Id("v.assignee_id"), EQ_PRES),
        (Target::Conversation, "inbox_id") => (Column::Id("v.inbox_id"), EQ_PRES),
        (Target::Conversation, "team_id") => (Column::Id("v.team_id"), EQ_PRES),
        (Target::Conversation, "campaign_id") => (Column::Id("v.campaign_id"), EQ_PRES),
        (Target::Conversation, "display_id") => (Column::Id("v.display_id"), EQ_CONT),
        (Target::Conversation, "labels") => (Column::Labels, EQ_PRES),
        (Target::Conversation, "browser_language") => (
            Column::Text("json_extract(v.additional_attributes, '$.browser_language')"),
            EQ,
        ),
        (Target::Conversation, "conversation_language") => (
            Column::Text("json_extract(v.additional_attributes, '$.conversation_language')"),
            EQ,
        ),
        (Target::Conversation, "referer") => (
            Column::Text("json_extract(v.additional_attributes, '$.referer')"),
            EQ_CONT,
        ),
        (Target::Conversation, "mail_subject") => (
            Column::Text("json_extract(v.additional_attributes, '$.mail_subject')"),
            EQ_CONT,
        ),
        (Target::Conversation, "created_at") => (Column::Time("v.created_at"), DATE),
        (Target::Conversation, "last_activity_at") => (Column::Time("v.last_activity_at"), DATE),
        (Target::Contact, "name") => (Column::Text("c.name"), EQ_CONT),
        (Target::Contact, "email") => (Column::Text("c.email"), EQ_CONT),
        (Target::Contact, "phone_number") => (Column::Text("c.phone_number"), PHONE),
        (Target::Contact, "identifier") => (Column::Text("c.identifier"), EQ),
        (Target::Contact, "country_code") => (
            Column::Text("json_extract(c.additional_attributes, '$.country_code')"),
            EQ,
        ),
        (Target::Contact, "city") => (
            Column::Text("json_extract(c.additional_attributes, '$.city')"),
            EQ_CONT,
        ),
        (Target::Contact, "company") => (
            Column::Text("json_extract(c.additional_attributes, '$.company_name')"),
            EQ_CONT,
        ),
        (Target::Contact, "labels") => (Column::Labels, EQ_PRES),
        (Target::Contact, "created_at") => (Column::Time("c.created_at"), DATE),
        (Target::Contact, "last_activity_at") => (Column::Time("c.last_activity_at"), DATE),
        (Target::Contact, "blocked") => (Column::Flag("c.blocked"), EQ),
        _ => return None,
    })
}

pub(super) fn standard_keys(target: Target) -> &'static str {
    match target {
        Target::Conversation => {
            "status,priority,assignee_id,inbox_id,team_id,campaign_id,display_id,labels,browser_language,conversation_language,referer,mail_subject,created_at,last_activity_at"
        }
        Target::Contact => {
            "name,email,phone_number,identifier,country_code,city,company,labels,created_at,last_activity_at,blocked"
        }
    }
}
