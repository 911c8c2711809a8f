//! `/app/accounts/{account_id}/contacts`: the contact list (search, pages), one contact with
//! their conversations and notes, the edit form and the note form. Listing and search are
//! `db::contacts::page`/`search` as in `GET contacts`/`contacts/search` (15 per page); edits go
//! through `services::contacts::apply` and notes through `services::notes::create`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;
use rusqlite::Connection;

use super::conversations::{ago, initial, status_names};
use super::session::{AppMember, FormFields, Posted};
use super::texts::AppTexts;
use super::{Chrome, PageError, PageResult, encode, page_response, remember_theme, see_other};
use crate::db::contacts::{self, Contact};
use crate::db::{agents, conversations, inboxes, messages, notes, now_ms};
use crate::error::{ApiError, ApiResult};
use crate::services::contacts::{ContactParams, apply};
use crate::state::AppState;

/// Contacts per page (as the API).
const PER_PAGE: i64 = 15;

/// `?q=&page=`
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ContactQuery {
    q: String,
    page: String,
}

/// One row of the contact list.
pub struct ContactRow {
    pub id: i64,
    pub name: String,
    pub initial: String,
    pub email: String,
    pub phone: String,
    pub company: String,
}

/// The contact list page.
#[derive(Template)]
#[template(path = "app/contacts.html")]
pub struct ContactsPage {
    pub chrome: Chrome,
    pub q: String,
    pub rows: Vec<ContactRow>,
    pub total: i64,
    pub page: i64,
    pub prev_link: String,
    pub next_link: String,
}

fn company(c: &Contact) -> String {
    c.additional_attributes
        .get("company_name")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string()
}

fn display_name(c: &Contact) -> String {
    let name = c.name.trim();
    if name.is_empty() {
        c.email
            .clone()
            .or_else(|| c.phone_number.clone())
            .unwrap_or_else(|| format!("#{}", c.id))
    } else {
        name.to_string()
    }
}

/// `GET …/contacts`
pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    app: AppMember,
    query: web::Query<ContactQuery>,
) -> PageResult {
    let t = app.t;
    let account_id = app.member.account_id();
    let q = query.q.trim().to_string();
    let page = query.page.parse::<i64>().ok().filter(|p| *p >= 1).unwrap_or(1);
    let search = q.clone();
    let (rows, total) = state
        .db
        .read(move |conn| -> ApiResult<_> {
            Ok(if search.is_empty() {
                contacts::page(conn, account_id, Some("lower(c.name), c.id"), page, PER_PAGE)?
            } else {
                contacts::search(
                    conn,
                    account_id,
                    &search,
                    Some("lower(c.name), c.id"),
                    page,
                    PER_PAGE,
                )?
            })
        })
        .await
        .map_err(|e| PageError::api(t, e))?;
    let path = format!("/app/accounts/{account_id}/contacts");
    let link = |p: i64| {
        let query = if q.is_empty() {
            String::new()
        } else {
            format!("q={}&", encode(&q))
        };
        format!("{path}?{query}page={p}")
    };
    let list = ContactsPage {
        chrome: Chrome::for_member(&app, "contacts", t.contacts, &path),
        rows: rows
            .iter()
            .map(|c| {
                let name = display_name(c);
                ContactRow {
                    id: c.id,
                    initial: initial(&name),
                    name,
                    email: c.email.clone().unwrap_or_default(),
                    phone: c.phone_number.clone().unwrap_or_default(),
                    company: company(c),
                }
            })
            .collect(),
        total,
        page,
        prev_link: if page > 1 { link(page - 1) } else { String::new() },
        next_link: if page * PER_PAGE < total {
            link(page + 1)
        } else {
            String::new()
        },
        q,
    };
    Ok(remember_theme(&req, page_response(StatusCode::OK, &list)))
}

/// A conversation of the contact.
pub struct ContactConversation {
    pub display_id: i64,
    pub status: &'static str,
    pub status_label: &'static str,
    pub preview: String,
    pub ago: String,
}

/// The contact page.
#[derive(Template)]
#[template(path = "app/contact.html")]
pub struct ContactPage {
    pub chrome: Chrome,
    pub id: i64,
    pub base: String,
    pub list: String,
    pub name: String,
    pub initial: String,
    pub email: String,
    pub phone: String,
    pub identifier: String,
    pub company: String,
    pub attributes: Vec<(String, String)>,
    pub conversations: Vec<ContactConversation>,
    pub notes: Vec<(String, String)>,
    pub error: String,
    pub note_error: String,
    pub note_draft: String,
    pub saved: bool,
}

fn load(
    conn: &Connection,
    t: &'static AppTexts,
    app_member: &crate::caller::AccountMember,
    id: i64,
) -> ApiResult<ContactPage> {
    let account_id = app_member.account_id();
    let c = contacts::find(conn, account_id, id)?.ok_or(ApiError::NotFound)?;
    let allowed = if app_member.is_admin() {
        None
    } else {
        Some(
            inboxes::list(conn, account_id, Some(app_member.user.id))?
                .iter()
                .map(|i| i.id)
                .collect::<Vec<_>>(),
        )
    };
    let list = conversations::for_contact(conn, account_id, id, allowed.as_deref())?;
    let (latest, _) = messages::latest_for(conn, &list.iter().map(|c| c.id).collect::<Vec<_>>())?;
    let now = now_ms();
    let authors: std::collections::HashMap<i64, String> = agents::list(conn, account_id)?
        .into_iter()
        .map(|a| (a.id, a.available_name().to_string()))
        .collect();
    let name = display_name(&c);
    Ok(ContactPage {
        chrome: Chrome::plain(t, "", ""),
        id,
        base: format!("/app/accounts/{account_id}/contacts/{id}"),
        list: format!("/app/accounts/{account_id}"),
        initial: initial(&name),
        name: c.name.clone(),
        email: c.email.clone().unwrap_or_default(),
        phone: c.phone_number.clone().unwrap_or_default(),
        identifier: c.identifier.clone().unwrap_or_default(),
        company: company(&c),
        attributes: c
            .custom_attributes
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                )
            })
            .collect(),
        conversations: list
            .iter()
            .map(|v| {
                let (status, status_label) = status_names(t, v.status);
                ContactConversation {
                    display_id: v.display_id,
                    status,
                    status_label,
                    preview: latest
                        .get(&v.id)
                        .and_then(|m| m.content.as_deref())
                        .unwrap_or("")
                        .chars()
                        .take(100)
                        .collect(),
                    ago: ago(v.last_activity_at, now),
                }
            })
            .collect(),
        notes: notes::list(conn, account_id, id)?
            .into_iter()
            .map(|n| {
                let by = n
                    .user_id
                    .and_then(|u| authors.get(&u).cloned())
                    .unwrap_or_default();
                (n.content, format!("{by} · {}", ago(n.created_at, now)))
            })
            .collect(),
        error: String::new(),
        note_error: String::new(),
        note_draft: String::new(),
        saved: false,
    })
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    app: &AppMember,
    id: i64,
    adjust: impl FnOnce(&mut ContactPage) + Send + 'static,
    status: StatusCode,
) -> PageResult {
    let t = app.t;
    let member = app.member.clone();
    let mut page = state
        .db
        .read(move |conn| load(conn, t, &member, id))
        .await
        .map_err(|e| PageError::api(t, e))?;
    let title = if page.name.is_empty() {
        page.email.clone()
    } else {
        page.name.clone()
    };
    page.chrome = Chrome::for_member(app, "contacts", &title, &page.base);
    adjust(&mut page);
    Ok(remember_theme(req, page_response(status, &page)))
}

/// `?saved=1` after an edit.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET …/contacts/{id}`
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    app: AppMember,
    path: web::Path<(i64, i64)>,
    query: web::Query<SavedQuery>,
) -> PageResult {
    let saved = query.saved.is_some();
    render(
        &req,
        &state,
        &app,
        path.into_inner().1,
        move |p| p.saved = saved,
        StatusCode::OK,
    )
    .await
}

fn refused_text(err: ApiError) -> Result<String, ApiError> {
    match err {
        ApiError::Validation { message, .. } | ApiError::Unprocessable(message) => Ok(message),
        other => Err(other),
    }
}

fn contact_params(form: &FormFields) -> ContactParams {
    let field = |key: &str| Some(form.get(key).map(str::to_string).filter(|v| !v.is_empty()));
    let mut additional = serde_json::Map::new();
    additional.insert(
        "company_name".into(),
        serde_json::Value::from(form.get("company_name").unwrap_or("")),
    );
    ContactParams {
        name: field("name"),
        email: field("email"),
        phone_number: field("phone_number"),
        identifier: field("identifier"),
        additional_attributes: Some(additional),
        ..ContactParams::default()
    }
}

/// `POST …/contacts/{id}`: the edit form (name, e-mail, phone, identifier, company).
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let Posted { app, form } = posted;
    let id = path.into_inner().1;
    let account_id = app.member.account_id();
    let params = contact_params(&form);
    let result = state
        .db
        .write(move |tx| -> ApiResult<()> {
            let mut contact = contacts::find(tx, account_id, id)?.ok_or(ApiError::NotFound)?;
            apply(tx, &mut contact, &params)?;
            contacts::save(tx, &contact)?;
            Ok(())
        })
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/app/accounts/{account_id}/contacts/{id}?saved=1"
        ))),
        Err(err) => {
            let error = refused_text(err).map_err(|e| PageError::api(app.t, e))?;
            let typed = form.clone();
            render(
                &req,
                &state,
                &app,
                id,
                move |p| {
                    p.error = error;
                    p.name = typed.get("name").unwrap_or("").to_string();
                    p.email = typed.get("email").unwrap_or("").to_string();
                    p.phone = typed.get("phone_number").unwrap_or("").to_string();
                    p.identifier = typed.get("identifier").unwrap_or("").to_string();
                    p.company = typed.get("company_name").unwrap_or("").to_string();
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST …/contacts/{id}/notes` (`content`).
pub async fn add_note(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, i64)>,
) -> PageResult {
    let Posted { app, form } = posted;
    let id = path.into_inner().1;
    let (account_id, user_id) = (app.member.account_id(), app.member.user.id);
    let content = form.raw("content").unwrap_or("").to_string();
    let text = content.clone();
    let result = state
        .db
        .write(move |tx| crate::services::notes::create(tx, account_id, id, user_id, &text).map(|_| ()))
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/app/accounts/{account_id}/contacts/{id}#notes"
        ))),
        Err(err) => {
            let error = refused_text(err).map_err(|e| PageError::api(app.t, e))?;
            render(
                &req,
                &state,
                &app,
                id,
                move |p| {
                    p.note_error = error;
                    p.note_draft = content;
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
