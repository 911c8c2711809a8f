//! Typing indicators. Typing changes no row, so the service notes it for the before-commit
//! step itself; it then becomes `conversation_typing_on/off` like every other event (webhooks,
//! API inboxes, `/cable`).

use rusqlite::Connection;

use crate::db::events;
use crate::domain::events::Typer;
use crate::error::{ApiError, ApiResult};

/// What `typing_status` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypingStatus {
    On,
    Off,
    /// Recording a voice note: accepted as Chatwoot does; it announces nothing here.
    Recording,
}

impl TypingStatus {
    /// `on`, `off` or (agents only) `recording`; anything else is a 422 naming the values.
    pub fn parse(value: Option<&str>, recording_allowed: bool) -> ApiResult<TypingStatus> {
        match value {
            Some("on") => Ok(TypingStatus::On),
            Some("off") => Ok(TypingStatus::Off),
            Some("recording") if recording_allowed => Ok(TypingStatus::Recording),
            _ if recording_allowed => Err(ApiError::Unprocessable(
                "typing_status must be on, off or recording".into(),
            )),
            _ => Err(ApiError::Unprocessable("typing_status must be on or off".into())),
        }
    }
}

/// Announce that `typer` started or stopped typing in the conversation (internal id).
pub fn set_typing(
    tx: &Connection,
    conversation_id: i64,
    typer: Typer,
    status: TypingStatus,
) -> ApiResult<()> {
    let op = match status {
        TypingStatus::On => "on",
        TypingStatus::Off => "off",
        TypingStatus::Recording => return Ok(()),
    };
    let detail = serde_json::to_string(&typer).map_err(|err| ApiError::Internal(err.to_string()))?;
    events::note_change(tx, "typing", op, conversation_id, Some(&detail))?;
    Ok(())
}
