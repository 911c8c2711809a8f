//! Contact note JSON (app/views/api/v1/accounts/contacts/notes/_note.json.jbuilder).

use serde_json::{Value, json};

use crate::db::agents::Agent;
use crate::db::notes::Note;
use crate::domain::timestamps::secs;
use crate::views;

/// `{id,content,account_id,contact_id,created_at,updated_at,user?}`; `user` is the author while
/// they are still an agent of the account.
pub fn note(note: &Note, author: Option<&Agent>) -> Value {
    let mut body = json!({
        "id": note.id,
        "content": note.content,
        "account_id": note.account_id,
        "contact_id": note.contact_id,
        "created_at": secs(note.created_at),
        "updated_at": secs(note.updated_at),
    });
    if let (Some(agent), Some(map)) = (author, body.as_object_mut()) {
        map.insert("user".into(), views::agent::agent(agent));
    }
    body
}
