//! Chatwoot's notification vocabulary: types (app/models/notification.rb), the email/push flag
//! bits of notification settings (flag_shih_tzu: type n is bit n-1), mention markup and the
//! English push titles.

/// Notification types by number minus one (Chatwoot's `NOTIFICATION_TYPES`).
pub const TYPES: &[&str] = &[
    "conversation_creation",
    "conversation_assignment",
    "assigned_conversation_new_message",
    "conversation_mention",
    "participating_conversation_new_message",
    "sla_missed_first_response",
    "sla_missed_next_response",
    "sla_missed_resolution",
];

/// `conversation_creation`
pub const CONVERSATION_CREATION: i64 = 1;
/// `conversation_assignment`
pub const CONVERSATION_ASSIGNMENT: i64 = 2;
/// `assigned_conversation_new_message`
pub const ASSIGNED_CONVERSATION_NEW_MESSAGE: i64 = 3;
/// `conversation_mention`
pub const CONVERSATION_MENTION: i64 = 4;
/// `participating_conversation_new_message`
pub const PARTICIPATING_CONVERSATION_NEW_MESSAGE: i64 = 5;

/// Push subscription types by number minus one (`NotificationSubscription::SUBSCRIPTION_TYPES`).
pub const SUBSCRIPTION_TYPES: &[&str] = &["browser_push", "fcm"];

/// Notifications per page of the list (Chatwoot's `RESULTS_PER_PAGE`).
pub const PER_PAGE: i64 = 15;

/// The name of a notification type number.
pub fn type_name(kind: i64) -> &'static str {
    usize::try_from(kind - 1)
        .ok()
        .and_then(|i| TYPES.get(i))
        .copied()
        .unwrap_or("")
}

/// The settings bit of a notification type.
pub fn flag_bit(kind: i64) -> i64 {
    1_i64 << (kind - 1).clamp(0, 62)
}

/// Every flag name with `prefix` (`email` / `push`), in bit order (`all_email_flags`).
pub fn all_flags(prefix: &str) -> Vec<String> {
    TYPES.iter().map(|t| format!("{prefix}_{t}")).collect()
}

/// The flag names set in `bits` (`selected_email_flags`), in bit order.
pub fn selected_flags(prefix: &str, bits: i64) -> Vec<String> {
    TYPES
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1_i64 << i) != 0)
        .map(|(_, t)| format!("{prefix}_{t}"))
        .collect()
}

/// The bits of a list of flag names; an unknown name is returned as the error.
pub fn parse_flags(prefix: &str, names: &[String]) -> Result<i64, String> {
    let mut bits = 0;
    for name in names {
        let kind = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('_'))
            .and_then(|rest| TYPES.iter().position(|t| *t == rest))
            .ok_or_else(|| name.clone())?;
        bits |= 1_i64 << kind;
    }
    Ok(bits)
}

/// Chatwoot's default settings of a new membership: email and push for assignments.
pub const DEFAULT_FLAGS: i64 = 2;

/// User and team ids mentioned in a note, as Chatwoot's `Messages::MentionService` scans them:
/// `(mention://user/<id>/<name>)` and `(mention://team/<id>/<name>)`, each id once.
pub fn mentions(content: &str) -> (Vec<i64>, Vec<i64>) {
    let (mut users, mut teams) = (Vec::new(), Vec::new());
    let mut rest = content;
    while let Some(start) = rest.find("(mention://") {
        rest = &rest[start + "(mention://".len()..];
        let (kind, after) = if let Some(after) = rest.strip_prefix("user/") {
            ("user", after)
        } else if let Some(after) = rest.strip_prefix("team/") {
            ("team", after)
        } else {
            continue;
        };
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let Some(name_and_more) = after[digits..].strip_prefix('/') else {
            continue;
        };
        // `(.+?)\)`: at least one character of name before the closing parenthesis.
        let closed = name_and_more.char_indices().skip(1).any(|(_, ch)| ch == ')');
        let Ok(id) = after[..digits].parse::<i64>() else {
            continue;
        };
        if !closed {
            continue;
        }
        let list = if kind == "user" { &mut users } else { &mut teams };
        if !list.contains(&id) {
            list.push(id);
        }
    }
    (users, teams)
}

/// `push_message_title` (Chatwoot's English `notifications.notification_title.*`).
pub fn title(kind: i64, display_id: i64, inbox_name: &str) -> String {
    match kind {
        CONVERSATION_CREATION => {
            format!("A conversation (#{display_id}) has been created in {inbox_name}")
        }
        CONVERSATION_ASSIGNMENT => format!("A conversation (#{display_id}) has been assigned to you"),
        ASSIGNED_CONVERSATION_NEW_MESSAGE | PARTICIPATING_CONVERSATION_NEW_MESSAGE => {
            format!("A new message is created in conversation (#{display_id})")
        }
        CONVERSATION_MENTION => format!("You have been mentioned in conversation (#{display_id})"),
        6 => format!("Conversation (#{display_id}) missed its first response SLA"),
        7 => format!("Conversation (#{display_id}) missed its next response SLA"),
        8 => format!("Conversation (#{display_id}) missed its resolution SLA"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip_in_bit_order() {
        assert_eq!(
            selected_flags("email", DEFAULT_FLAGS),
            vec!["email_conversation_assignment"]
        );
        let names = vec![
            "push_conversation_mention".to_string(),
            "push_conversation_creation".to_string(),
        ];
        let bits = parse_flags("push", &names).expect("known flags");
        assert_eq!(bits, 0b1001);
        assert_eq!(
            selected_flags("push", bits),
            vec!["push_conversation_creation", "push_conversation_mention"]
        );
        assert_eq!(
            parse_flags("push", &["email_conversation_creation".into()]),
            Err("email_conversation_creation".into())
        );
        assert_eq!(all_flags("email").len(), 8);
        assert_eq!(flag_bit(CONVERSATION_CREATION), 1);
        assert_eq!(flag_bit(CONVERSATION_MENTION), 8);
    }

    #[test]
    fn mentions_follow_chatwoot_markup() {
        let (users, teams) = mentions(
            "hi [@Ann](mention://user/12/Ann) and [@Ann](mention://user/12/Ann), \
             [@Ops](mention://team/3/Ops) (mention://user/9/) (mention://user/x/Bob) (mention://user/7/Zed",
        );
        // As the regex `\(mention://user/(\d+)/(.+?)\)`: the name of user 9 runs to the next `)`.
        assert_eq!(users, vec![12, 9]);
        assert_eq!(teams, vec![3]);
        assert_eq!(mentions("no mentions here"), (vec![], vec![]));
    }
}
