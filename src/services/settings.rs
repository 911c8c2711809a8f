//! Validation of the account's simple settings records (labels, canned responses, teams): the
//! one copy of these rules, used by the account API's handlers and the agent app's settings
//! pages alike.

use rusqlite::Connection;

use crate::db::canned_responses::{self, CannedResponse};
use crate::db::labels::{self, Label};
use crate::domain::validation;
use crate::error::{ApiError, ApiResult};

/// Set a label's title, description and colour, checking them as `POST labels` does.
pub fn apply_label(
    conn: &Connection,
    label: &mut Label,
    title: &str,
    description: Option<String>,
    color: &str,
) -> ApiResult<()> {
    label.title = validation::label_title(title).map_err(|msg| ApiError::invalid("title", msg))?;
    if label.title.is_empty() {
        return Err(ApiError::invalid("title", "Title can't be blank"));
    }
    if labels::title_taken(conn, label.account_id, &label.title, label.id)? {
        return Err(ApiError::invalid("title", "Title has already been taken"));
    }
    label.description = description;
    label.color = validation::hex_color(color).map_err(|msg| ApiError::invalid("color", msg))?;
    Ok(())
}

/// Set a canned response's short code and content, checking them as `POST canned_responses`.
pub fn apply_canned(
    conn: &Connection,
    row: &mut CannedResponse,
    short_code: &str,
    content: &str,
) -> ApiResult<()> {
    row.short_code = short_code.trim().to_string();
    row.content = content.to_string();
    if row.short_code.is_empty() {
        return Err(ApiError::invalid("short_code", "Short code can't be blank"));
    }
    if row.content.trim().is_empty() {
        return Err(ApiError::invalid("content", "Content can't be blank"));
    }
    if canned_responses::short_code_taken(conn, row.account_id, &row.short_code, row.id)? {
        return Err(ApiError::invalid(
            "short_code",
            "Short code has already been taken",
        ));
    }
    Ok(())
}

/// Set a team's name (lower-cased, unique in the account) and description, as `POST teams`.
pub fn apply_team(
    conn: &Connection,
    team: &mut crate::db::teams::Team,
    name: &str,
    description: Option<String>,
) -> ApiResult<()> {
    team.name = name.trim().to_lowercase();
    if team.name.is_empty() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if team.name.chars().count() > 255 {
        return Err(ApiError::invalid(
            "name",
            "Name is too long (maximum is 255 characters)",
        ));
    }
    if crate::db::teams::name_taken(conn, team.account_id, &team.name, team.id)? {
        return Err(ApiError::invalid("name", "Name has already been taken"));
    }
    team.description = description;
    Ok(())
}
