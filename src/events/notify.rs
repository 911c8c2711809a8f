//! Chatwoot's NotificationListener, NotificationBuilder, Messages::MentionService and
//! Messages::NewMessageNotificationService, run by the recorder inside the write that caused
//! them: a conversation created, an assignee set, a message created. Each notification gets a
//! `notification_created` event (the live fan-out sends it to its user), and the user's older
//! notifications about the same conversation are removed (`RemoveDuplicateNotificationJob`).
//!
//! Recipients are found with one query per event (inbox members by settings flag, mentioned
//! users and teams filtered by inbox access); only the inserts are per recipient.

use rusqlite::Connection;

use crate::db::conversations::Conversation;
use crate::db::messages::Message;
use crate::db::notifications::{self as rows, NewNotification};
use crate::db::{contacts, participants};
use crate::domain::conversations::{message_type, status};
use crate::domain::notifications::{
    ASSIGNED_CONVERSATION_NEW_MESSAGE, CONVERSATION_ASSIGNMENT, CONVERSATION_CREATION, CONVERSATION_MENTION,
    PARTICIPATING_CONVERSATION_NEW_MESSAGE, flag_bit, mentions,
};
use crate::error::ApiResult;

/// `conversation_created`: inbox members who subscribed to `conversation_creation` (by email
/// or push; the only type Chatwoot gates on settings). Pending (bot) conversations notify nobody.
pub fn conversation_created(conn: &Connection, c: &Conversation, actor: Option<i64>) -> ApiResult<()> {
    if c.status == status::PENDING || contact_blocked(conn, c)? {
        return Ok(());
    }
    let bit = flag_bit(CONVERSATION_CREATION);
    for user_id in rows::subscribed_inbox_members(conn, c.account_id, c.inbox_id, bit)? {
        create(
            conn,
            c,
            user_id,
            CONVERSATION_CREATION,
            actor.map(|id| ("User", id)),
        )?;
    }
    Ok(())
}

/// `assignee_changed`: the new assignee, unless they assigned themselves or the conversation is
/// pending. The assigner is the secondary actor.
pub fn assigned(conn: &Connection, c: &Conversation, actor: Option<i64>) -> ApiResult<()> {
    let Some(assignee) = c.assignee_id else {
        return Ok(());
    };
    if actor == Some(assignee) || c.status == status::PENDING || contact_blocked(conn, c)? {
        return Ok(());
    }
    create(
        conn,
        c,
        assignee,
        CONVERSATION_ASSIGNMENT,
        actor.map(|id| ("User", id)),
    )
}

/// `message_created`: users mentioned in a private note (and members of mentioned teams) who
/// can see the inbox; then the assignee of a conversation that got a public incoming or outgoing
/// message from someone else, unless the mention already told them.
pub fn message_created(conn: &Connection, m: &Message, c: &Conversation) -> ApiResult<()> {
    let mut notified = Vec::new();
    if m.private
        && let Some(content) = m.content.as_deref().filter(|t| !t.trim().is_empty())
    {
        let (users, teams) = mentions(content);
        if !users.is_empty() || !teams.is_empty() {
            for user_id in rows::mentionable(conn, c.account_id, c.inbox_id, &users, &teams)? {
                create(conn, c, user_id, CONVERSATION_MENTION, Some(("Message", m.id)))?;
                notified.push(user_id);
            }
        }
    }
    let notifiable =
        (m.message_type == message_type::INCOMING || m.message_type == message_type::OUTGOING) && !m.private;
    if !notifiable || contact_blocked(conn, c)? {
        return Ok(());
    }
    let sender = (m.sender_type.as_deref() == Some("User"))
        .then_some(m.sender_id)
        .flatten();
    if let Some(assignee) = c.assignee_id
        && !notified.contains(&assignee)
        && sender != Some(assignee)
    {
        create(
            conn,
            c,
            assignee,
            ASSIGNED_CONVERSATION_NEW_MESSAGE,
            Some(("Message", m.id)),
        )?;
        notified.push(assignee);
    }
    // Participants (NewMessageNotificationService#notify_participating_users), once each.
    for user_id in participants::user_ids(conn, c.id)? {
        if Some(user_id) != sender && !notified.contains(&user_id) {
            create(
                conn,
                c,
                user_id,
                PARTICIPATING_CONVERSATION_NEW_MESSAGE,
                Some(("Message", m.id)),
            )?;
            notified.push(user_id);
        }
    }
    Ok(())
}

/// Chatwoot skips every notification but mentions for a blocked contact's conversation.
fn contact_blocked(conn: &Connection, c: &Conversation) -> ApiResult<bool> {
    Ok(contacts::find_by_id(conn, c.contact_id)?.is_some_and(|contact| contact.blocked))
}

fn create(
    conn: &Connection,
    c: &Conversation,
    user_id: i64,
    kind: i64,
    secondary_actor: Option<(&'static str, i64)>,
) -> ApiResult<()> {
    let id = rows::insert(
        conn,
        &NewNotification {
            account_id: c.account_id,
            user_id,
            notification_type: kind,
            conversation_id: c.id,
            secondary_actor,
        },
    )?;
    rows::append_event(
        conn,
        "notification_created",
        c.account_id,
        user_id,
        id,
        Some(c.id),
    )?;
    for older in rows::delete_older_duplicates(conn, user_id, c.id, id)? {
        rows::append_event(
            conn,
            "notification_deleted",
            c.account_id,
            user_id,
            older,
            Some(c.id),
        )?;
    }
    Ok(())
}
