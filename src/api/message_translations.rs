//! `POST /api/v1/accounts/{account_id}/conversations/{id}/messages/{message_id}/translate
//! {target_language}`: Parlor has no translation provider, so after the conversation (404, then
//! 401) and the message (404) are found it answers a 422 saying so. Chatwoot, without a Google
//! Translate hook, answers 200 `{"content": null}`.

use actix_web::web;

use crate::api::conversations::visible;
use crate::api::{Reply, State};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::messages;
use crate::error::{ApiError, ApiResult};

/// The refusal's text.
pub const NO_PROVIDER: &str =
    "Message translation is not available: no translation provider is configured on this server";

/// `POST …/messages/{id}/translate`
pub async fn translate(state: State, member: AccountMember, path: web::Path<(i64, i64, i64)>) -> Reply {
    let caller = ConversationCaller::from(member);
    let (_, conversation_id, message_id) = path.into_inner();
    state
        .db
        .read(move |conn| -> ApiResult<()> {
            let c = visible(conn, &caller, conversation_id)?;
            messages::find(conn, c.id, message_id)?.ok_or(ApiError::NotFound)?;
            Ok(())
        })
        .await?;
    Err(ApiError::Unprocessable(NO_PROVIDER.into()))
}
