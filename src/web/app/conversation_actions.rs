//! The forms of the conversation page. Each runs the service the JSON API's handler runs, in
//! one write transaction, and answers with a redirect back (Post/Redirect/Get); refused input
//! re-renders the page with a 422 and the reason, and nothing is written.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Map, Value};

use super::conversation::{Refused, back_to, render, visible};
use super::session::{AppMember, FormFields, Posted};
use super::texts::AppTexts;
use super::{PageError, PageResult};
use crate::auth::ConversationCaller;
use crate::db::conversations::Conversation;
use crate::db::{agents, inboxes, now_ms, teams};
use crate::domain::events::Typer;
use crate::error::{ApiError, ApiResult};
use crate::services::conversations::{self as ops, parse_priority};
use crate::services::messages::{MessageParams, create as create_message};
use crate::services::typing::{TypingStatus, set_typing};
use crate::state::AppState;

/// A form's outcome: done, or refused with a message for the person.
enum Outcome {
    Done,
    Refused(String),
}

/// Messages of validation errors, for the page; anything else stays an error.
fn refusal(err: ApiError) -> ApiResult<Outcome> {
    match err {
        ApiError::Unprocessable(text) | ApiError::ParamMissing(text) => Ok(Outcome::Refused(text)),
        ApiError::Validation { message, .. } => Ok(Outcome::Refused(message)),
        other => Err(other),
    }
}

/// Run `change` on the visible conversation in one write transaction; a refusal rolls back.
async fn change(
    state: &AppState,
    app: &AppMember,
    display_id: i64,
    change: impl FnOnce(&rusqlite::Connection, &ConversationCaller, Conversation) -> ApiResult<()>
    + Send
    + 'static,
) -> Result<Outcome, PageError> {
    let caller = ConversationCaller::from(app.member.clone());
    let result = state
        .db
        .write(move |tx| -> ApiResult<()> {
            let c = visible(tx, &caller, display_id)?;
            change(tx, &caller, c)
        })
        .await;
    match result {
        Ok(()) => Ok(Outcome::Done),
        Err(err) => refusal(err).map_err(|e| PageError::api(app.t, e)),
    }
}

async fn answer(
    req: &HttpRequest,
    state: &AppState,
    app: &AppMember,
    display_id: i64,
    outcome: Outcome,
    refused: impl FnOnce(String) -> Refused,
    anchor: &str,
) -> PageResult {
    match outcome {
        Outcome::Done => Ok(back_to(app, display_id, anchor)),
        Outcome::Refused(error) => render(req, state, app, display_id, None, refused(error)).await,
    }
}

fn id_of(path: web::Path<(i64, i64)>) -> i64 {
    path.into_inner().1
}

/// `POST …/messages` (`content`, `private=1` for a private note).
pub async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let Posted { app, form } = posted;
    let display_id = id_of(path);
    let content = form.raw("content").unwrap_or("").to_string();
    let private = form.get("private") == Some("1");
    let params = MessageParams {
        content: Some(content.clone()),
        private: Some(private),
        ..MessageParams::default()
    };
    let outcome = change(&state, &app, display_id, move |tx, caller, c| {
        let channel = inboxes::channel_types(tx, &[c.inbox_id])?
            .remove(&c.inbox_id)
            .unwrap_or_default();
        create_message(tx, caller, &c, &channel, params, false).map(|_| ())
    })
    .await?;
    let refused = |error| Refused {
        error,
        draft: content,
        note_mode: private,
    };
    answer(&req, &state, &app, display_id, outcome, refused, "#reply").await
}

/// Unix seconds of a `datetime-local` value, shifted by the browser's `tz_offset` (minutes
/// from `Date.getTimezoneOffset()`, filled in by app.js; UTC without JavaScript).
fn snooze_time(t: &'static AppTexts, form: &FormFields) -> Result<Option<i64>, String> {
    let Some(value) = form.get("snoozed_until").filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let invalid = || format!("{}: {value}", t.snooze_until);
    let civil: jiff::civil::DateTime = value.parse().map_err(|_| invalid())?;
    let utc = civil.to_zoned(jiff::tz::TimeZone::UTC).map_err(|_| invalid())?;
    let offset_minutes: i64 = form
        .get("tz_offset")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
        .clamp(-900, 900);
    let at = utc.timestamp().as_second() + offset_minutes * 60;
    if at * 1000 <= now_ms() {
        return Err(format!("{} must be in the future", t.snooze_until));
    }
    Ok(Some(at))
}

/// `POST …/status` (`status` open / resolved / pending / snoozed, `snoozed_until`).
pub async fn status(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let Posted { app, form } = posted;
    let display_id = id_of(path);
    let wanted = form.get("status").unwrap_or("").to_string();
    let outcome = match snooze_time(app.t, &form) {
        Err(error) => Outcome::Refused(error),
        Ok(until) => {
            change(&state, &app, display_id, move |tx, caller, c| {
                let status = ops::parse_status(&wanted)?;
                let base_url = caller.viewer().base_url;
                ops::toggle_status(tx, caller, c, Some(status), until, &base_url).map(|_| ())
            })
            .await?
        }
    };
    answer(
        &req,
        &state,
        &app,
        display_id,
        outcome,
        |error| Refused {
            error,
            ..Refused::default()
        },
        "",
    )
    .await
}

/// `POST …/priority` (`priority`: blank for none).
pub async fn priority(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let Posted { app, form } = posted;
    let display_id = id_of(path);
    let value = Value::from(form.get("priority").unwrap_or(""));
    let outcome = change(&state, &app, display_id, move |tx, caller, c| {
        let priority = parse_priority(Some(&value))?;
        ops::set_priority(tx, caller, c, priority).map(|_| ())
    })
    .await?;
    answer(
        &req,
        &state,
        &app,
        display_id,
        outcome,
        |error| Refused {
            error,
            ..Refused::default()
        },
        "",
    )
    .await
}

fn optional_id(form: &FormFields, key: &str) -> Result<Option<i64>, String> {
    match form.get(key).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| format!("{key} must be a number")),
    }
}

/// What an assignment form sets: its field, the label of refusals, and whether an id is one of
/// the account's.
struct AssignField {
    key: &'static str,
    label: fn(&AppTexts) -> &'static str,
    exists: fn(&rusqlite::Connection, i64, i64) -> ApiResult<bool>,
}

/// `POST …/assignee` (`assignee_id`: blank for nobody). An id that is not an agent of the
/// account is refused (the API would silently unassign).
pub async fn assignee(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let field = AssignField {
        key: "assignee_id",
        label: |t| t.assignee,
        exists: |tx, account_id, id| Ok(agents::find(tx, account_id, id)?.is_some()),
    };
    assign(req, state, posted, path, field).await
}

/// `POST …/team` (`team_id`: blank for none).
pub async fn team(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let field = AssignField {
        key: "team_id",
        label: |t| t.team,
        exists: |tx, account_id, id| Ok(teams::find(tx, account_id, 0, id)?.is_some()),
    };
    assign(req, state, posted, path, field).await
}

/// One assignment form through the assignment service (as `POST …/assignments`).
async fn assign(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
    field: AssignField,
) -> PageResult {
    let Posted { app, form } = posted;
    let display_id = id_of(path);
    let label = (field.label)(app.t);
    let outcome = match optional_id(&form, field.key) {
        Err(error) => Outcome::Refused(error),
        Ok(id) => {
            change(&state, &app, display_id, move |tx, caller, c| {
                if let Some(id) = id
                    && !(field.exists)(tx, c.account_id, id)?
                {
                    return Err(ApiError::Unprocessable(format!("{label}: {id}?")));
                }
                let mut body = Map::new();
                body.insert(field.key.into(), id.map_or(Value::Null, Value::from));
                ops::assign(tx, caller, c, &body).map(|_| ())
            })
            .await?
        }
    };
    answer(
        &req,
        &state,
        &app,
        display_id,
        outcome,
        |error| Refused {
            error,
            ..Refused::default()
        },
        "",
    )
    .await
}

/// `POST …/labels` (every checked `labels` value; none removes all).
pub async fn labels(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let Posted { app, form } = posted;
    let display_id = id_of(path);
    let wanted = Value::from(form.all("labels"));
    let outcome = change(&state, &app, display_id, move |tx, caller, c| {
        let list = crate::services::contacts::label_list(Some(&wanted))?;
        ops::set_labels(tx, caller, &c, &list).map(|_| ())
    })
    .await?;
    answer(
        &req,
        &state,
        &app,
        display_id,
        outcome,
        |error| Refused {
            error,
            ..Refused::default()
        },
        "",
    )
    .await
}

/// `POST …/mute` (`muted=1` mutes and resolves, `muted=0` unmutes).
pub async fn mute(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let Posted { app, form } = posted;
    let display_id = id_of(path);
    let muted = form.get("muted") == Some("1");
    let outcome = change(&state, &app, display_id, move |tx, caller, c| {
        ops::set_muted(tx, caller, c, muted)
    })
    .await?;
    answer(
        &req,
        &state,
        &app,
        display_id,
        outcome,
        |error| Refused {
            error,
            ..Refused::default()
        },
        "",
    )
    .await
}

/// `POST …/typing` (`status` on / off, `private=1`) from app.js: 204.
pub async fn typing(
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, PageError> {
    let Posted { app, form } = posted;
    let display_id = id_of(path);
    let typer = Typer::User {
        id: app.member.user.id,
        is_private: form.get("private") == Some("1"),
    };
    let wanted = form.get("status").map(str::to_string);
    let outcome = change(&state, &app, display_id, move |tx, _, c| {
        let status = TypingStatus::parse(wanted.as_deref(), false)?;
        set_typing(tx, c.id, typer, status)
    })
    .await?;
    Ok(match outcome {
        Outcome::Done => HttpResponse::NoContent().finish(),
        Outcome::Refused(text) => HttpResponse::UnprocessableEntity().body(text),
    })
}
