//! `/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages`

use actix_web::web;
use serde::Deserialize;
use serde_json::Value;

use crate::api::body::{JsonBody, parse_params};
use crate::api::conversations::{read_conversation, visible};
use crate::api::uploads::MessageInput;
use crate::api::{ItemPath, Reply, State, ok_json};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::conversations::Conversation;
use crate::db::{inboxes, messages};
use crate::domain::conversations::{MESSAGE_STATUSES, index_of};
use crate::error::{ApiError, ApiResult};
use crate::services::conversation_loader::{Related, Viewer, add_senders};
use crate::services::messages::{MessageParams, create as create_message, soft_delete};
use crate::views;

/// `?before=&after=&filter_internal_messages=`
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    before: Option<i64>,
    after: Option<i64>,
    filter_internal_messages: Option<String>,
}

fn related_for(
    conn: &rusqlite::Connection,
    viewer: &Viewer,
    c: &Conversation,
    shown: &[messages::Message],
) -> ApiResult<Related> {
    let mut related = Related {
        display_ids: [(c.id, c.display_id)].into_iter().collect(),
        conversations: [(c.id, c.clone())].into_iter().collect(),
        ..Related::default()
    };
    add_senders(conn, viewer, &mut related, shown, std::slice::from_ref(c))?;
    Ok(related)
}

fn channel_type(conn: &rusqlite::Connection, c: &Conversation) -> ApiResult<String> {
    Ok(inboxes::channel_types(conn, &[c.inbox_id])?
        .remove(&c.inbox_id)
        .unwrap_or_default())
}

/// `GET …/messages`: `{meta: {labels, additional_attributes, contact, assignee?, …}, payload}`
pub async fn index(
    state: State,
    member: AccountMember,
    path: ItemPath,
    query: web::Query<PageQuery>,
) -> Reply {
    let caller = ConversationCaller::from(member);
    let query = query.into_inner();
    let body = read_conversation(&state, caller, path.into_inner().1, move |conn, caller, c| {
        let without_internal = query.filter_internal_messages.as_deref() == Some("true");
        let list = messages::page(conn, c.id, query.before, query.after, without_internal)?;
        let related = related_for(conn, &caller.viewer(), &c, &list)?;
        let labels = crate::db::conversations::labels(conn, c.id)?;
        Ok(views::message::page(&c, &labels, &list, &related))
    })
    .await?;
    Ok(ok_json(body))
}

/// `POST …/messages` (users and bots): JSON, or multipart with `attachments[]`.
pub async fn create(state: State, caller: ConversationCaller, path: ItemPath, input: MessageInput) -> Reply {
    let id = path.into_inner().1;
    let MessageInput { attributes, files } = input;
    let params: MessageParams = match parse_params(attributes) {
        Ok(params) => params,
        Err(err) => {
            files.discard().await;
            return Err(err);
        }
    };
    let uploaded = files.files.clone();
    let result = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let c = visible(tx, &caller, id)?;
            let message = create_message(
                tx,
                &caller,
                &c,
                &channel_type(tx, &c)?,
                params,
                !uploaded.is_empty(),
            )?;
            crate::api::uploads::record(tx, c.account_id, message.id, &uploaded)?;
            let related = related_for(tx, &caller.viewer(), &c, std::slice::from_ref(&message))?;
            Ok(views::message::message(&message, &related))
        })
        .await;
    match result {
        Ok(body) => Ok(ok_json(body)),
        Err(err) => {
            files.discard().await;
            Err(err)
        }
    }
}

/// `PATCH …/messages/{id} {status, external_error}`: delivery status reported by API channels.
pub async fn update(
    state: State,
    member: AccountMember,
    path: web::Path<(i64, i64, i64)>,
    body: JsonBody,
) -> Reply {
    let caller = ConversationCaller::from(member);
    let (_, conversation_id, message_id) = path.into_inner();
    let attrs = body.resource("message");
    let status_name = attrs
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let wanted = index_of(MESSAGE_STATUSES, &status_name).ok_or_else(|| {
        ApiError::Unprocessable(format!(
            "Invalid status '{status_name}'. Allowed: {}",
            MESSAGE_STATUSES.join(", ")
        ))
    });
    let external_error = attrs
        .get("external_error")
        .and_then(Value::as_str)
        .map(str::to_string);
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let c = visible(tx, &caller, conversation_id)?;
            if channel_type(tx, &c)? != "Channel::Api" {
                return Err(ApiError::StatusUpdateNotAllowed);
            }
            let wanted = wanted?;
            let mut message = messages::find(tx, c.id, message_id)?.ok_or(ApiError::NotFound)?;
            let read_to_delivered = message.status == 2 && wanted == 1;
            if !read_to_delivered {
                message.status = wanted;
                if wanted == 3 {
                    if let Some(error) = &external_error {
                        message
                            .content_attributes
                            .insert("external_error".into(), Value::from(error.clone()));
                    }
                } else {
                    message.content_attributes.remove("external_error");
                }
                message = messages::update(tx, &message)?;
            }
            let related = related_for(tx, &caller.viewer(), &c, std::slice::from_ref(&message))?;
            Ok(views::message::message(&message, &related))
        })
        .await?;
    Ok(ok_json(body))
}

/// `DELETE …/messages/{id}`: soft delete; returns the message.
pub async fn destroy(state: State, member: AccountMember, path: web::Path<(i64, i64, i64)>) -> Reply {
    let caller = ConversationCaller::from(member);
    let (_, conversation_id, message_id) = path.into_inner();
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let c = visible(tx, &caller, conversation_id)?;
            let message = messages::find(tx, c.id, message_id)?.ok_or(ApiError::NotFound)?;
            let (message, removed) = soft_delete(tx, &message)?;
            let related = related_for(tx, &caller.viewer(), &c, std::slice::from_ref(&message))?;
            Ok((views::message::message(&message, &related), removed))
        })
        .await?;
    let (body, removed) = body;
    let dir = state.config.uploads_dir();
    for key in removed {
        let _ = tokio::fs::remove_file(dir.join(key)).await;
    }
    Ok(ok_json(body))
}
