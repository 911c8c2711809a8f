//! Serving uploaded files and listing a conversation's attachments.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};
use serde_json::Value;

use crate::api::conversations::read_conversation;
use crate::api::{ItemPath, Reply, State, ok_json};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::{attachments, run_blocking};
use crate::domain::attachments::{inline_safe, valid_storage_key};
use crate::error::ApiError;
use crate::services::conversation_loader::{Related, add_senders};
use crate::views;

/// `GET /attachments/{key}`: the key is an unguessable server-generated name (like a signed
/// URL). Types a browser could execute (HTML, SVG, XML…) are always downloads.
pub async fn serve(state: State, path: web::Path<String>) -> Reply {
    let key = path.into_inner();
    if !valid_storage_key(&key) {
        return Err(ApiError::NotFound);
    }
    let lookup = key.clone();
    let attachment = state
        .db
        .read(move |conn| attachments::find_by_key(conn, &lookup)?.ok_or(ApiError::NotFound))
        .await?;
    let file = state.config.uploads_dir().join(&key);
    let bytes = run_blocking(move || std::fs::read(&file).map_err(|_| ApiError::NotFound)).await?;
    let content_type = attachment
        .content_type
        .unwrap_or_else(|| "application/octet-stream".into());
    let inline = inline_safe(&content_type);
    let disposition = ContentDisposition {
        disposition: if inline {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: vec![DispositionParam::Filename(
            attachment.file_name.unwrap_or_else(|| key.clone()),
        )],
    };
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            if inline {
                content_type
            } else {
                "application/octet-stream".into()
            },
        ))
        .insert_header(disposition)
        .insert_header((header::CACHE_CONTROL, "private, max-age=31536000, immutable"))
        .insert_header(("Content-Security-Policy", "default-src 'none'; sandbox"))
        .body(bytes))
}

/// `GET …/conversations/{id}/attachments` → `{meta: {total_count}, payload: [...]}`, newest first.
pub async fn index(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let caller = ConversationCaller::from(member);
    let body = read_conversation(&state, caller, path.into_inner().1, |conn, caller, c| {
        let viewer = caller.viewer();
        let (rows, total) = attachments::for_conversation(conn, c.id)?;
        // Stand-in messages carrying each attachment's sender, so senders load in one pass.
        let senders: Vec<crate::db::messages::Message> = rows
            .iter()
            .map(|(a, sender_type, sender_id)| {
                let mut shown = crate::db::messages::Message::new(a.account_id, c.inbox_id, c.id, 0);
                shown.sender_type.clone_from(sender_type);
                shown.sender_id = *sender_id;
                shown
            })
            .collect();
        let mut related = Related::default();
        add_senders(conn, &viewer, &mut related, &senders, std::slice::from_ref(&c))?;
        let payload: Vec<Value> = rows
            .iter()
            .zip(&senders)
            .map(|((a, _, _), shown)| {
                views::attachment::listed(a, &viewer.base_url, views::message::sender(shown, &related))
            })
            .collect();
        Ok(views::attachment::list(total, payload))
    })
    .await?;
    Ok(ok_json(body))
}
