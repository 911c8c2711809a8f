//! `/widget?website_token=…`: the page inside the website widget's iframe. Server-rendered —
//! history, pre-chat form, popular articles, the CSAT rating — and usable without JavaScript
//! (the forms post here and redirect back); `static/widget.js` adds live updates over `/cable`,
//! sending in place and the bridge to `sdk.js`. Frameable by the inbox's `allowed_domains`
//! (any site when empty); otherwise the survey page's strict CSP.

mod forms;
mod sdk;
mod texts;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use serde_json::Value;

use crate::auth::PublicClient;
use crate::db::conversations::Conversation;
use crate::db::inboxes::Inbox;
use crate::db::{articles, now_ms, portals};
use crate::domain::conversations::message_type;
use crate::error::{ApiError, ApiResult};
use crate::services::widget::{self, Visitor};
use crate::state::AppState;
use crate::web::{colors, markdown};

pub use forms::submit;
pub use sdk::sdk;
pub use texts::{WidgetTexts, widget_texts};

/// One message as the page shows it.
pub struct MessageRow {
    pub id: i64,
    /// Written by the visitor.
    pub mine: bool,
    pub author: String,
    pub html: String,
    pub time: String,
    pub iso: String,
    pub attachments: Vec<(String, String)>,
    /// The CSAT survey: its link and the rating given (0 when none).
    pub csat: Option<(String, i64)>,
}

/// A rating button of the CSAT input.
pub struct Rating {
    pub value: i64,
    pub symbol: &'static str,
    pub label: &'static str,
}

/// A pre-chat form field.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub kind: &'static str,
    pub required: bool,
    pub autocomplete: &'static str,
}

/// The page.
#[derive(Template)]
#[template(path = "widget/show.html")]
pub struct WidgetPage {
    pub t: &'static WidgetTexts,
    pub brand_hex: String,
    pub theme: &'static str,
    pub inbox_name: String,
    pub initial: String,
    pub welcome_title: String,
    pub welcome_tagline: String,
    pub reply_time: String,
    pub away: String,
    pub website_token: String,
    pub auth_token: String,
    pub pubsub_token: String,
    pub locale: String,
    pub messages: Vec<MessageRow>,
    pub last_id: i64,
    pub resolved: bool,
    pub pre_chat_message: String,
    pub pre_chat: Vec<Field>,
    pub articles: Vec<(String, String)>,
    pub ratings: Vec<Rating>,
    pub can_end: bool,
    pub error: bool,
    /// The current conversation's survey page (empty without a conversation).
    pub survey_url: String,
    /// The five rating labels, `|`-separated (widget.js).
    pub rating_labels: String,
    /// The inbox offers attachments (`selected_feature_flags`).
    pub attachments: bool,
}

/// `?website_token=&cw_conversation=&locale=&dark_mode=`
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    website_token: Option<String>,
    cw_conversation: Option<String>,
    locale: Option<String>,
    dark_mode: Option<String>,
    error: Option<String>,
}

const EMOJI: [&str; 5] = ["😞", "😑", "😐", "😀", "😍"];

/// The `frame-ancestors` source list of an inbox: its `allowed_domains` (comma or space
/// separated; anything but host characters dropped), or any site.
pub fn frame_ancestors(inbox: &Inbox) -> String {
    let allowed = inbox.channel.setting("allowed_domains");
    let list: Vec<String> = allowed
        .as_str()
        .unwrap_or_default()
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter(|d| {
            d.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-*:/".contains(c))
        })
        .map(str::to_string)
        .collect();
    if list.is_empty() {
        "*".to_string()
    } else {
        list.join(" ")
    }
}

fn csp(inbox: Option<&Inbox>) -> String {
    let ancestors = inbox.map_or_else(|| "'none'".to_string(), frame_ancestors);
    format!(
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
    )
}

fn render(status: StatusCode, page: &WidgetPage, inbox: &Inbox) -> ApiResult<HttpResponse> {
    let body = page
        .render()
        .map_err(|e| ApiError::Internal(format!("rendering widget: {e}")))?;
    Ok(HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header(("Content-Security-Policy", csp(Some(inbox))))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(body))
}

fn time_of(ms: i64) -> String {
    let iso = crate::domain::timestamps::iso(ms);
    iso.get(11..16).unwrap_or_default().to_string()
}

fn rows(
    conn: &rusqlite::Connection,
    base_url: &str,
    visitor: &Visitor,
    c: &Conversation,
    t: &WidgetTexts,
) -> ApiResult<Vec<MessageRow>> {
    let (_, list) = widget::messages(conn, visitor, None, None)?;
    let related = widget::related(
        conn,
        base_url,
        visitor.inbox.account_id,
        std::slice::from_ref(c),
        &list,
    )?;
    let mut out = Vec::with_capacity(list.len());
    for m in &list {
        let mine = m.message_type == message_type::INCOMING;
        let author = if mine {
            t.you.to_string()
        } else {
            crate::views::message::sender(m, &related)
                .and_then(|s| s.get("available_name").or(s.get("name")).cloned())
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| visitor.inbox.name.clone())
        };
        let csat = if m.content_type == crate::services::csat::INPUT_CSAT {
            let rating = crate::db::csat::for_message(conn, m.id)?.map_or(0, |r| r.rating);
            Some((crate::services::csat::survey_url(base_url, c), rating))
        } else {
            None
        };
        let attachments = related
            .attachments
            .get(&m.id)
            .map(|files| {
                files
                    .iter()
                    .map(|a| {
                        let json = crate::views::attachment::attachment(a, base_url);
                        let url = json["data_url"].as_str().unwrap_or_default().to_string();
                        (a.file_name.clone().unwrap_or_else(|| "file".into()), url)
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(MessageRow {
            id: m.id,
            mine,
            author,
            html: markdown::render(m.content.as_deref().unwrap_or_default()),
            time: time_of(m.created_at),
            iso: crate::domain::timestamps::iso(m.created_at),
            attachments,
            csat,
        });
    }
    Ok(out)
}

/// Fields of the pre-chat form (Chatwoot's `pre_chat_fields`: the enabled standard ones; the
/// message field is always there).
fn pre_chat_fields(inbox: &Inbox, t: &WidgetTexts) -> Vec<Field> {
    let options = inbox.channel.setting("pre_chat_form_options");
    let configured = options.get("pre_chat_fields").and_then(Value::as_array).cloned();
    let standard = [
        ("fullName", "name", t.name, "text", "name"),
        ("emailAddress", "email", t.email, "email", "email"),
        ("phoneNumber", "phone_number", t.phone, "tel", "tel"),
    ];
    standard
        .iter()
        .filter_map(|(key, name, label, kind, autocomplete)| {
            let entry = match &configured {
                Some(list) => list.iter().find(|f| f["name"] == *key).cloned(),
                // Chatwoot's legacy options: email required, name optional.
                None => Some(
                    serde_json::json!({"enabled": *key != "phoneNumber", "required": *key == "emailAddress"}),
                ),
            }?;
            if entry["enabled"] == Value::Bool(false) {
                return None;
            }
            Some(Field {
                name,
                label: entry["label"]
                    .as_str()
                    .filter(|l| !l.is_empty())
                    .unwrap_or(label)
                    .to_string(),
                kind,
                required: entry["required"].as_bool().unwrap_or(false),
                autocomplete,
            })
        })
        .collect()
}

fn popular_articles(
    conn: &rusqlite::Connection,
    inbox: &Inbox,
    locale: &str,
) -> ApiResult<Vec<(String, String)>> {
    let Some(portal) = portals::list(conn, inbox.account_id)?
        .into_iter()
        .find(|p| p.channel_web_widget_id == Some(inbox.id) && !p.archived)
    else {
        return Ok(Vec::new());
    };
    let allowed = portal.allowed_locales();
    let locale = if allowed.iter().any(|l| l == locale) {
        locale.to_string()
    } else {
        portal.default_locale()
    };
    Ok(articles::published(conn, portal.id, &locale, None, true, 6, 0)?
        .into_iter()
        .map(|a| (a.title, format!("/hc/{}/articles/{}", portal.slug, a.slug)))
        .collect())
}

/// Build the page for a visitor.
fn page(
    conn: &rusqlite::Connection,
    base_url: &str,
    visitor: &Visitor,
    auth_token: String,
    query: &PageQuery,
) -> ApiResult<WidgetPage> {
    let inbox = &visitor.inbox;
    let (account_locale, _, _) = widget::channel_facts(conn, inbox)?;
    let locale = query
        .locale
        .clone()
        .filter(|l| !l.is_empty())
        .unwrap_or(account_locale);
    let t = widget_texts(&locale);
    let ch = &inbox.channel;
    let text = |key: &str| ch.setting(key).as_str().unwrap_or_default().to_string();
    let current = widget::current_conversation(conn, visitor)?;
    let messages = match &current {
        Some(c) => rows(conn, base_url, visitor, c, t)?,
        None => Vec::new(),
    };
    let away = if inbox.working_hours_enabled
        && !crate::domain::business_hours::is_open(&inbox.working_hours, &inbox.timezone, now_ms())
    {
        inbox
            .out_of_office_message
            .clone()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| t.away.to_string())
    } else {
        String::new()
    };
    let pre_chat_enabled = ch.setting("pre_chat_form_enabled").as_bool().unwrap_or(false);
    let needs_pre_chat = pre_chat_enabled && current.is_none();
    let reply = usize::try_from(ch.setting("reply_time").as_i64().unwrap_or(0)).unwrap_or(0);
    let has_feature = |name: &str| {
        ch.setting("selected_feature_flags")
            .as_array()
            .is_some_and(|l| l.iter().any(|f| f == name))
    };
    let can_end = has_feature("end_conversation");
    Ok(WidgetPage {
        t,
        brand_hex: colors::accessible(ch.setting("widget_color").as_str())
            .trim_start_matches('#')
            .to_string(),
        theme: match query.dark_mode.as_deref() {
            Some("auto") => "auto",
            Some("dark") => "dark",
            _ => "light",
        },
        inbox_name: inbox.name.clone(),
        initial: inbox
            .name
            .chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default(),
        welcome_title: text("welcome_title"),
        welcome_tagline: text("welcome_tagline"),
        reply_time: t
            .reply_times
            .get(reply)
            .copied()
            .unwrap_or(t.reply_times[0])
            .to_string(),
        away,
        website_token: ch.website_token.clone().unwrap_or_default(),
        auth_token,
        pubsub_token: visitor
            .contact
            .as_ref()
            .map(|(ci, _)| ci.pubsub_token.clone())
            .unwrap_or_default(),
        locale: t.lang.to_string(),
        last_id: messages.last().map_or(0, |m| m.id),
        resolved: current
            .as_ref()
            .is_some_and(|c| c.status == crate::domain::conversations::status::RESOLVED),
        messages,
        pre_chat_message: if needs_pre_chat {
            ch.setting("pre_chat_form_options")["pre_chat_message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        } else {
            String::new()
        },
        pre_chat: if needs_pre_chat {
            pre_chat_fields(inbox, t)
        } else {
            Vec::new()
        },
        articles: popular_articles(conn, inbox, &locale)?,
        ratings: (0..5)
            .map(|i| Rating {
                value: i as i64 + 1,
                symbol: EMOJI[i],
                label: t.ratings[i],
            })
            .collect(),
        can_end,
        error: query.error.is_some(),
        survey_url: current
            .as_ref()
            .map(|c| crate::services::csat::survey_url(base_url, c))
            .unwrap_or_default(),
        rating_labels: t.ratings.join("|"),
        attachments: has_feature("attachments"),
    })
}

/// The visitor of a page request: their token when it is valid here, else a new one.
pub(super) fn page_visitor(
    conn: &rusqlite::Connection,
    inbox: Inbox,
    token: Option<&str>,
) -> ApiResult<(Visitor, String)> {
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        let website = inbox.channel.website_token.clone().unwrap_or_default();
        match widget::visitor(conn, &website, Some(token)) {
            Ok(visitor) => return Ok((visitor, token.to_string())),
            Err(ApiError::InvalidAccessToken | ApiError::NotFound) => {}
            Err(other) => return Err(other),
        }
    }
    let claims = widget::new_claims(&inbox);
    let token = widget::sign(conn, &claims)?;
    Ok((
        Visitor {
            inbox,
            claims,
            contact: None,
        },
        token,
    ))
}

/// `GET /widget?website_token=…[&cw_conversation=…]`. An unknown website token is Chatwoot's
/// 404 JSON.
pub async fn show(
    state: web::Data<AppState>,
    _: PublicClient,
    query: web::Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let base = state.config.frontend_url();
    let website = query.website_token.clone().unwrap_or_default();
    let (page, inbox) = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let inbox = widget::widget_inbox(conn, &website)?;
            let (visitor, token) = page_visitor(conn, inbox, query.cw_conversation.as_deref())?;
            Ok((page(conn, &base, &visitor, token, &query)?, visitor.inbox))
        })
        .await?;
    render(StatusCode::OK, &page, &inbox)
}
