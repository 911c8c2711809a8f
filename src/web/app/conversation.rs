//! `/app/accounts/{account_id}/conversations/{id}`: one conversation's thread, reply box,
//! actions and contact panel. The visibility rule is the API's (`services::conversations::
//! can_view`); a conversation the agent may not see is the same 404 as an unknown one. The
//! forms are in [`super::conversation_actions`].

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use rusqlite::Connection;

use super::conversations::{Choice, ago, contact_name, initial, iso, priority_names, status_names};
use super::session::AppMember;
use super::texts::AppTexts;
use super::{Chrome, PageError, PageResult, page_response, remember_theme};
use crate::auth::ConversationCaller;
use crate::db::conversations::{self, Conversation};
use crate::db::messages::{self, Message};
use crate::db::{agents, attachments, canned_responses, csat, inboxes, labels, notes, now_ms, teams};
use crate::domain::conversations::{CONTENT_TYPES, PRIORITIES, message_type};
use crate::error::{ApiError, ApiResult};
use crate::services::conversation_loader::{self, Related};
use crate::services::conversations::can_view;
use crate::state::AppState;
use crate::web::markdown;

/// A conversation of the account that the caller may see; otherwise (unknown, or another
/// inbox) not found.
pub fn visible(conn: &Connection, caller: &ConversationCaller, display_id: i64) -> ApiResult<Conversation> {
    let c = conversations::find(conn, caller.account_id(), display_id)?.ok_or(ApiError::NotFound)?;
    if can_view(conn, caller, &c)? {
        Ok(c)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A file of a message.
pub struct FileView {
    pub url: String,
    pub name: String,
    pub image: bool,
}

/// One message in the thread.
pub struct Bubble {
    pub id: i64,
    /// "incoming", "outgoing", "note" or "activity".
    pub kind: &'static str,
    pub sender: String,
    pub initial: String,
    pub html: String,
    pub ago: String,
    pub at_iso: String,
    pub files: Vec<FileView>,
    /// The CSAT answer on a survey message ("★★★★☆ Satisfied: feedback").
    pub csat: String,
}

/// The thread's messages alone (appended in place by `app.js`).
#[derive(Template)]
#[template(path = "app/bubbles.html")]
pub struct BubblesFragment {
    pub t: &'static AppTexts,
    pub bubbles: Vec<Bubble>,
}

/// One label with whether the conversation has it.
pub struct LabelChoice {
    pub title: String,
    pub color: String,
    pub checked: bool,
}

/// The contact side panel.
pub struct ContactPanel {
    pub id: i64,
    pub name: String,
    pub initial: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub attributes: Vec<(String, String)>,
    pub previous: Vec<PreviousConversation>,
    pub notes: Vec<(String, String)>,
}

/// Another conversation of the contact.
pub struct PreviousConversation {
    pub display_id: i64,
    pub status_label: &'static str,
    pub preview: String,
    pub ago: String,
}

/// The conversation page.
#[derive(Template)]
#[template(path = "app/conversation.html")]
pub struct ConversationPage {
    pub chrome: Chrome,
    pub display_id: i64,
    pub base: String,
    pub back: String,
    pub title: String,
    pub inbox_name: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub priority: &'static str,
    pub priority_label: &'static str,
    pub muted: bool,
    pub bubbles: Vec<Bubble>,
    pub older: Option<i64>,
    pub last_id: i64,
    pub error: String,
    pub draft: String,
    pub note_mode: bool,
    pub agents: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub labels: Vec<LabelChoice>,
    pub canned: Vec<(String, String)>,
    pub contact: ContactPanel,
}

/// What a re-rendered page keeps from a refused form.
#[derive(Debug, Default, Clone)]
pub struct Refused {
    pub error: String,
    pub draft: String,
    pub note_mode: bool,
}

fn sender_name(t: &'static AppTexts, related: &Related, m: &Message) -> String {
    let id = m.sender_id.unwrap_or(0);
    match m.sender_type.as_deref() {
        Some("Contact") => related
            .contacts
            .get(&id)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        Some("User") => related
            .agents
            .get(&id)
            .map(|a| a.available_name().to_string())
            .unwrap_or_default(),
        Some("AgentBot") => related
            .bots
            .get(&id)
            .map_or_else(|| t.bot.to_string(), |b| b.name.clone()),
        _ => String::new(),
    }
}

const STARS: [&str; 5] = ["★☆☆☆☆", "★★☆☆☆", "★★★☆☆", "★★★★☆", "★★★★★"];

/// Render messages as bubbles (senders, files and CSAT answers in a fixed number of queries).
pub fn bubbles(
    conn: &Connection,
    t: &'static AppTexts,
    related: &mut Related,
    c: &Conversation,
    list: &[Message],
    viewer: &crate::caller::Viewer,
) -> ApiResult<Vec<Bubble>> {
    conversation_loader::add_senders(conn, viewer, related, list, std::slice::from_ref(c))?;
    let files = attachments::for_messages(conn, &list.iter().map(|m| m.id).collect::<Vec<_>>())?;
    let csat_type = CONTENT_TYPES.iter().position(|n| *n == "input_csat").unwrap_or(9) as i64;
    let now = now_ms();
    let mut out = Vec::with_capacity(list.len());
    for m in list {
        let kind = match m.message_type {
            message_type::ACTIVITY => "activity",
            _ if m.private => "note",
            message_type::INCOMING => "incoming",
            _ => "outgoing",
        };
        let sender = sender_name(t, related, m);
        let text = m.content.as_deref().unwrap_or("");
        let csat_text = if m.content_type == csat_type {
            csat::for_message(conn, m.id)?
                .map(|r| {
                    let i = usize::try_from(r.rating.clamp(1, 5) - 1).unwrap_or(0);
                    let feedback = r.feedback_message.unwrap_or_default();
                    format!(
                        "{} {}: {}{feedback}",
                        t.rating,
                        STARS[i],
                        if feedback.is_empty() { "" } else { " " }
                    )
                    .trim_end_matches([' ', ':'])
                    .to_string()
                })
                .unwrap_or_default()
        } else {
            String::new()
        };
        out.push(Bubble {
            id: m.id,
            kind,
            initial: initial(&sender),
            sender,
            html: if kind == "activity" {
                String::new()
            } else {
                markdown::render(text)
            },
            ago: ago(m.created_at, now),
            at_iso: iso(m.created_at),
            files: files
                .get(&m.id)
                .map(|list| {
                    list.iter()
                        .filter_map(|a| {
                            let key = a.storage_key.as_deref()?;
                            Some(FileView {
                                url: format!("/attachments/{key}"),
                                name: a.file_name.clone().unwrap_or_else(|| t.attachment.to_string()),
                                image: a.file_type == 0,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default(),
            csat: csat_text,
        });
        if kind == "activity"
            && let Some(last) = out.last_mut()
        {
            last.html = text.to_string();
        }
    }
    Ok(out)
}

fn text_attribute(map: &serde_json::Map<String, serde_json::Value>, key: &str) -> String {
    map.get(key).and_then(|v| v.as_str()).unwrap_or("").to_string()
}

fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Everything the page shows, on one read connection.
pub fn load(
    conn: &Connection,
    t: &'static AppTexts,
    caller: &ConversationCaller,
    display_id: i64,
    before: Option<i64>,
) -> ApiResult<ConversationPage> {
    let c = visible(conn, caller, display_id)?;
    let viewer = caller.viewer();
    let member = caller.member().ok_or(ApiError::NotFound)?;
    let account_id = c.account_id;
    let mut related = conversation_loader::load(conn, &viewer, std::slice::from_ref(&c))?;
    let list = messages::page(conn, c.id, before, None, false)?;
    let older = (list.len() == 20).then(|| list.first().map(|m| m.id)).flatten();
    let last_id = list.last().map_or(0, |m| m.id);
    let thread = bubbles(conn, t, &mut related, &c, &list, &viewer)?;
    let contact = related.contacts.get(&c.contact_id).cloned();
    let name = contact_name(&related, &c);
    let (status, status_label) = status_names(t, c.status);
    let (priority, priority_label) = priority_names(t, c.priority);
    let current_labels = conversations::labels(conn, c.id)?;
    let allowed = if member.is_admin() {
        None
    } else {
        Some(
            inboxes::list(conn, account_id, Some(member.user.id))?
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>(),
        )
    };
    let others: Vec<Conversation> =
        conversations::for_contact(conn, account_id, c.contact_id, allowed.as_deref())?
            .into_iter()
            .filter(|o| o.id != c.id)
            .collect();
    let (latest_other, _) = messages::latest_for(conn, &others.iter().map(|o| o.id).collect::<Vec<_>>())?;
    let now = now_ms();
    let authors: HashMap<i64, String> = agents::list(conn, account_id)?
        .into_iter()
        .map(|a| (a.id, a.available_name().to_string()))
        .collect();
    let agent_choices = {
        let mut list = vec![Choice {
            value: String::new(),
            label: t.nobody.to_string(),
            selected: c.assignee_id.is_none(),
        }];
        list.extend(
            agents::assignable(conn, account_id, c.inbox_id)?
                .into_iter()
                .map(|a| Choice {
                    selected: c.assignee_id == Some(a.id),
                    value: a.id.to_string(),
                    label: a.available_name().to_string(),
                }),
        );
        list
    };
    let team_choices = {
        let mut list = vec![Choice {
            value: String::new(),
            label: t.no_team.to_string(),
            selected: c.team_id.is_none(),
        }];
        list.extend(
            teams::list(conn, account_id, member.user.id)?
                .into_iter()
                .map(|team| Choice {
                    selected: c.team_id == Some(team.id),
                    value: team.id.to_string(),
                    label: team.name,
                }),
        );
        list
    };
    let mut priority_choices = vec![Choice {
        value: String::new(),
        label: t.priorities[0].to_string(),
        selected: c.priority.is_none(),
    }];
    priority_choices.extend(PRIORITIES.iter().enumerate().map(|(i, p)| Choice {
        value: (*p).to_string(),
        label: t.priorities[i + 1].to_string(),
        selected: c.priority == Some(i as i64),
    }));
    let contact_panel = ContactPanel {
        id: c.contact_id,
        initial: initial(&name),
        name: name.clone(),
        email: contact.as_ref().and_then(|x| x.email.clone()).unwrap_or_default(),
        phone: contact
            .as_ref()
            .and_then(|x| x.phone_number.clone())
            .unwrap_or_default(),
        company: contact
            .as_ref()
            .map(|x| text_attribute(&x.additional_attributes, "company_name"))
            .unwrap_or_default(),
        attributes: contact
            .as_ref()
            .map(|x| {
                x.custom_attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), shown(v)))
                    .collect()
            })
            .unwrap_or_default(),
        previous: others
            .iter()
            .map(|o| PreviousConversation {
                display_id: o.display_id,
                status_label: status_names(t, o.status).1,
                preview: latest_other
                    .get(&o.id)
                    .and_then(|m| m.content.as_deref())
                    .unwrap_or("")
                    .chars()
                    .take(80)
                    .collect(),
                ago: ago(o.last_activity_at, now),
            })
            .collect(),
        notes: notes::list(conn, account_id, c.contact_id)?
            .into_iter()
            .map(|n| {
                let by = n
                    .user_id
                    .and_then(|id| authors.get(&id).cloned())
                    .unwrap_or_default();
                (n.content, format!("{by} · {}", ago(n.created_at, now)))
            })
            .collect(),
    };
    Ok(ConversationPage {
        chrome: Chrome::plain(t, "", ""),
        display_id: c.display_id,
        base: format!("/app/accounts/{account_id}/conversations/{}", c.display_id),
        back: format!("/app/accounts/{account_id}/conversations"),
        title: name,
        inbox_name: related.inbox_names.get(&c.inbox_id).cloned().unwrap_or_default(),
        status,
        status_label,
        priority,
        priority_label,
        muted: contact.as_ref().is_some_and(|x| x.blocked),
        bubbles: thread,
        older,
        last_id,
        error: String::new(),
        draft: String::new(),
        note_mode: false,
        agents: agent_choices,
        teams: team_choices,
        priorities: priority_choices,
        labels: labels::list(conn, account_id)?
            .into_iter()
            .map(|l| LabelChoice {
                checked: current_labels.contains(&l.title),
                title: l.title,
                color: l.color,
            })
            .collect(),
        canned: canned_responses::list(conn, account_id, None)?
            .into_iter()
            .map(|r| (r.short_code, r.content))
            .collect(),
        contact: contact_panel,
    })
}

/// Load and render the page (also after a refused form, with its error and draft).
pub async fn render(
    req: &HttpRequest,
    state: &AppState,
    app: &AppMember,
    display_id: i64,
    before: Option<i64>,
    refused: Refused,
) -> PageResult {
    let t = app.t;
    let caller = ConversationCaller::from(app.member.clone());
    let mut page = state
        .db
        .read(move |conn| load(conn, t, &caller, display_id, before))
        .await
        .map_err(|e| PageError::api(t, e))?;
    page.chrome = Chrome::for_member(app, "conversations", &page.title, &page.base);
    let status = if refused.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page.error = refused.error;
    page.draft = refused.draft;
    page.note_mode = refused.note_mode;
    Ok(remember_theme(req, page_response(status, &page)))
}

/// `?before=` (older messages).
#[derive(Debug, Default, serde::Deserialize)]
pub struct ThreadQuery {
    before: Option<i64>,
    after: Option<i64>,
}

/// `GET /app/accounts/{account_id}/conversations/{id}`: marks the conversation read for the
/// agent (as the dashboard's `update_last_seen`) when it has unread messages.
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    app: AppMember,
    path: web::Path<(i64, i64)>,
    query: web::Query<ThreadQuery>,
) -> PageResult {
    let display_id = path.into_inner().1;
    mark_seen(&state, &app, display_id).await?;
    render(&req, &state, &app, display_id, query.before, Refused::default()).await
}

async fn mark_seen(state: &AppState, app: &AppMember, display_id: i64) -> Result<(), PageError> {
    let t = app.t;
    let caller = ConversationCaller::from(app.member.clone());
    let read_caller = caller.clone();
    let unread = state
        .db
        .read(move |conn| -> ApiResult<bool> {
            let c = visible(conn, &read_caller, display_id)?;
            let last = messages::last_incoming_at(conn, c.id)?;
            Ok(last.is_some_and(|at| c.agent_last_seen_at.is_none_or(|seen| seen < at)))
        })
        .await
        .map_err(|e| PageError::api(t, e))?;
    if !unread {
        return Ok(());
    }
    state
        .db
        .write(move |tx| -> ApiResult<()> {
            let mut c = visible(tx, &caller, display_id)?;
            let now = now_ms();
            c.agent_last_seen_at = Some(now);
            if c.assignee_id.is_some() && c.assignee_id == caller.member().map(|m| m.user.id) {
                c.assignee_last_seen_at = Some(now);
            }
            conversations::update(tx, &c)?;
            Ok(())
        })
        .await
        .map_err(|e| PageError::api(t, e))
}

/// `GET …/conversations/{id}/thread?after=`: the messages after `after` as HTML (for the live
/// thread), and marks them seen.
pub async fn thread(
    state: web::Data<AppState>,
    app: AppMember,
    path: web::Path<(i64, i64)>,
    query: web::Query<ThreadQuery>,
) -> PageResult {
    let t = app.t;
    let display_id = path.into_inner().1;
    let after = query.after.unwrap_or(0);
    mark_seen(&state, &app, display_id).await?;
    let caller = ConversationCaller::from(app.member.clone());
    let fragment = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let c = visible(conn, &caller, display_id)?;
            let list = messages::page(conn, c.id, None, Some(after), false)?;
            let viewer = caller.viewer();
            let mut related = Related::default();
            Ok(BubblesFragment {
                t,
                bubbles: bubbles(conn, t, &mut related, &c, &list, &viewer)?,
            })
        })
        .await
        .map_err(|e| PageError::api(t, e))?;
    Ok(page_response(StatusCode::OK, &fragment))
}

/// A redirect back to the conversation (after a form).
pub fn back_to(app: &AppMember, display_id: i64, anchor: &str) -> HttpResponse {
    super::see_other(&format!(
        "/app/accounts/{}/conversations/{display_id}{anchor}",
        app.member.account_id()
    ))
}
