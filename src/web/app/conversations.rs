//! `/app/accounts/{account_id}/conversations`: the inbox list with its Mine / Unassigned / All
//! tabs and counts, status, inbox, label and team filters, sort, search and pages. The rows and
//! counts come from `db::conversation_list` with the same filter rules as
//! `GET /api/v1/accounts/{id}/conversations` (agents see their inboxes only) and the related
//! rows from `services::conversation_loader`.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::session::AppMember;
use super::texts::AppTexts;
use super::{Chrome, PageError, PageResult, encode, ok_page, remember_theme};
use crate::db::conversation_list::{self, AssigneeFilter, ListFilter};
use crate::db::conversations::Conversation;
use crate::db::{inboxes, labels, now_ms, teams};
use crate::domain::conversations::{PRIORITIES, STATUSES};
use crate::error::ApiError;
use crate::services::conversation_loader::{self, Related};
use crate::state::AppState;

/// Conversations per page (as the API's list).
const PER_PAGE: i64 = 25;

/// The list's query: every filter is a plain GET parameter, so a list is a link.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub assignee: String,
    pub status: String,
    pub inbox_id: String,
    pub label: String,
    pub team_id: String,
    pub sort: String,
    pub q: String,
    pub page: String,
}

/// The sort choices: query value and the label index in `AppTexts::sorts`.
pub const SORTS: [&str; 5] = [
    "last_activity_at_desc",
    "created_at_desc",
    "created_at_asc",
    "priority_desc",
    "waiting_since_asc",
];

impl ListQuery {
    fn normalized(mut self) -> ListQuery {
        if !["mine", "unassigned", "all"].contains(&self.assignee.as_str()) {
            self.assignee = "mine".into();
        }
        if !STATUSES.contains(&self.status.as_str()) && self.status != "all" {
            self.status = "open".into();
        }
        if !SORTS.contains(&self.sort.as_str()) {
            self.sort = SORTS[0].into();
        }
        self.q = self.q.trim().to_string();
        self
    }

    /// The page number (1 when absent or not a number).
    pub fn page_number(&self) -> i64 {
        self.page.parse::<i64>().ok().filter(|p| *p >= 1).unwrap_or(1)
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("assignee", &self.assignee),
            ("status", &self.status),
            ("inbox_id", &self.inbox_id),
            ("label", &self.label),
            ("team_id", &self.team_id),
            ("sort", &self.sort),
            ("q", &self.q),
            ("page", &self.page),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }

    /// This list's query string with `key` set to `value` (and back to page 1).
    pub fn with(&self, key: &str, value: &str) -> String {
        let mut pairs: Vec<(&str, String)> = self
            .pairs()
            .into_iter()
            .filter(|(k, _)| *k != key && *k != "page")
            .collect();
        if !value.is_empty() {
            pairs.push((if key == "page" { "page" } else { key }, value.to_string()));
        }
        let text: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        format!("?{}", text.join("&"))
    }

    /// The query string of another page of this list.
    pub fn page_link(&self, page: i64) -> String {
        self.with("page", &page.to_string())
    }

    /// The current query string (a conversation link returns to this list).
    pub fn current(&self) -> String {
        self.with("page", &self.page)
    }
}

/// One row of the list.
pub struct Row {
    pub display_id: i64,
    pub contact_name: String,
    pub contact_initial: String,
    pub inbox_name: String,
    pub preview: String,
    pub preview_private: bool,
    pub unread: i64,
    pub status: &'static str,
    pub status_label: &'static str,
    pub priority: &'static str,
    pub priority_label: &'static str,
    pub assignee: String,
    pub labels: Vec<String>,
    pub ago: String,
    pub at_iso: String,
}

/// One option of a filter select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The list page.
#[derive(Template)]
#[template(path = "app/conversations.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub query: ListQuery,
    pub rows: Vec<Row>,
    pub mine: i64,
    pub unassigned: i64,
    pub all: i64,
    pub page: i64,
    pub has_next: bool,
    pub statuses: Vec<Choice>,
    pub inboxes: Vec<Choice>,
    pub labels: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub sorts: Vec<Choice>,
}

/// "5m", "3h", "2d" since `at` (unix ms).
pub fn ago(at: i64, now: i64) -> String {
    let secs = (now - at).max(0) / 1000;
    match secs {
        0..60 => "now".to_string(),
        60..3600 => format!("{}m", secs / 60),
        3600..86_400 => format!("{}h", secs / 3600),
        86_400..2_592_000 => format!("{}d", secs / 86_400),
        _ => format!("{}mo", secs / 2_592_000),
    }
}

/// ISO 8601 of unix milliseconds (for `<time datetime>`).
pub fn iso(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// The name of a status index and its label.
pub fn status_names(t: &'static AppTexts, status: i64) -> (&'static str, &'static str) {
    let i = usize::try_from(status).unwrap_or(0).min(3);
    (STATUSES[i], t.statuses[i])
}

/// The name of a priority and its label ("" / none when unset).
pub fn priority_names(t: &'static AppTexts, priority: Option<i64>) -> (&'static str, &'static str) {
    match priority.and_then(|p| usize::try_from(p).ok()).filter(|p| *p < 4) {
        Some(p) => (PRIORITIES[p], t.priorities[p + 1]),
        None => ("", t.priorities[0]),
    }
}

/// A conversation's contact name (or "#id" without one).
pub fn contact_name(related: &Related, c: &Conversation) -> String {
    related
        .contacts
        .get(&c.contact_id)
        .map(|contact| contact.name.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| format!("#{}", c.display_id))
}

/// First letter, upper-cased, for an avatar.
pub fn initial(name: &str) -> String {
    name.trim_start_matches('#')
        .chars()
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_else(|| "?".into())
}

fn row(t: &'static AppTexts, related: &Related, c: &Conversation, now: i64) -> Row {
    let name = contact_name(related, c);
    let latest = related.latest_non_activity.get(&c.id);
    let preview: String = latest
        .and_then(|m| m.content.as_deref())
        .unwrap_or("")
        .chars()
        .take(140)
        .collect();
    let (status, status_label) = status_names(t, c.status);
    let (priority, priority_label) = priority_names(t, c.priority);
    Row {
        display_id: c.display_id,
        contact_initial: initial(&name),
        contact_name: name,
        inbox_name: related.inbox_names.get(&c.inbox_id).cloned().unwrap_or_default(),
        preview,
        preview_private: latest.is_some_and(|m| m.private),
        unread: related.unread.get(&c.id).copied().unwrap_or(0),
        status,
        status_label,
        priority,
        priority_label,
        assignee: c
            .assignee_id
            .and_then(|id| related.agents.get(&id))
            .map(|a| a.available_name().to_string())
            .unwrap_or_default(),
        labels: related.labels.get(&c.id).cloned().unwrap_or_default(),
        ago: ago(c.last_activity_at, now),
        at_iso: iso(c.last_activity_at),
    }
}

fn optional_id(value: &str) -> Option<i64> {
    value.trim().parse().ok()
}

/// The db filter of a list query for this member: the same visibility rule as the API's list
/// (administrators see every inbox, agents the inboxes they are members of).
pub fn list_filter(app: &AppMember, query: &ListQuery) -> ListFilter {
    let member = &app.member;
    ListFilter {
        account_id: member.account_id(),
        user_id: member.user.id,
        member_of_inboxes: (!member.is_admin()).then_some(member.user.id),
        status: match query.status.as_str() {
            "all" => None,
            name => STATUSES.iter().position(|s| *s == name).map(|i| i as i64),
        },
        inbox_id: optional_id(&query.inbox_id),
        team_id: optional_id(&query.team_id),
        labels: (!query.label.is_empty())
            .then(|| query.label.clone())
            .into_iter()
            .collect(),
        q: (!query.q.is_empty()).then(|| query.q.clone()),
        assignee: match query.assignee.as_str() {
            "mine" => AssigneeFilter::Me,
            "unassigned" => AssigneeFilter::Unassigned,
            _ => AssigneeFilter::All,
        },
        unattended: false,
        updated_since: None,
        order: conversation_list::order_by(Some(&query.sort)),
        page: Some((query.page_number(), PER_PAGE)),
        condition: None,
    }
}

fn choices(selected: &str, all_label: &str, items: impl Iterator<Item = (String, String)>) -> Vec<Choice> {
    let mut list = vec![Choice {
        value: String::new(),
        label: all_label.to_string(),
        selected: selected.is_empty(),
    }];
    list.extend(items.map(|(value, label)| Choice {
        selected: value == selected,
        value,
        label,
    }));
    list
}

/// `GET /app/accounts/{account_id}/conversations`
pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    app: AppMember,
    query: web::Query<ListQuery>,
) -> PageResult {
    let query = query.into_inner().normalized();
    let t = app.t;
    let filter = list_filter(&app, &query);
    let viewer = app.member.viewer();
    let member_id = (!app.member.is_admin()).then_some(app.member.user.id);
    let (cache, generation) = (state.db.counts.clone(), state.db.generation());
    let loaded = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let teams = teams::list(conn, filter.account_id, viewer.user_id)?;
            if let Some(team_id) = filter.team_id
                && !teams.iter().any(|team| team.id == team_id)
            {
                return Err(ApiError::NotFound);
            }
            let result = conversation_list::list(conn, &filter, Some((&cache, generation)))?;
            let related = conversation_loader::load(conn, &viewer, &result.rows)?;
            let inboxes = inboxes::list(conn, filter.account_id, member_id)?;
            let labels = labels::list(conn, filter.account_id)?;
            Ok((result, related, inboxes, labels, teams))
        })
        .await
        .map_err(|e| PageError::api(t, e))?;
    let (result, related, inbox_rows, label_rows, team_rows) = loaded;
    let now = now_ms();
    let rows: Vec<Row> = result.rows.iter().map(|c| row(t, &related, c, now)).collect();
    let total = match query.assignee.as_str() {
        "mine" => result.mine,
        "unassigned" => result.unassigned,
        _ => result.all,
    };
    let page = query.page_number();
    let mut statuses: Vec<Choice> = STATUSES
        .iter()
        .enumerate()
        .map(|(i, s)| Choice {
            value: (*s).to_string(),
            label: t.statuses[i].to_string(),
            selected: query.status == *s,
        })
        .collect();
    statuses.push(Choice {
        value: "all".into(),
        label: t.all_statuses.into(),
        selected: query.status == "all",
    });
    let path = format!("/app/accounts/{}/conversations", app.member.account_id());
    let list = ListPage {
        chrome: Chrome::for_member(&app, "conversations", t.conversations, &path),
        rows,
        mine: result.mine,
        unassigned: result.unassigned,
        all: result.all,
        page,
        has_next: page * PER_PAGE < total,
        statuses,
        inboxes: choices(
            &query.inbox_id,
            t.all_inboxes,
            inbox_rows.into_iter().map(|i| (i.id.to_string(), i.name)),
        ),
        labels: choices(
            &query.label,
            t.all_labels,
            label_rows.into_iter().map(|l| (l.title.clone(), l.title)),
        ),
        teams: choices(
            &query.team_id,
            t.all_teams,
            team_rows.into_iter().map(|team| (team.id.to_string(), team.name)),
        ),
        sorts: SORTS
            .iter()
            .enumerate()
            .map(|(i, s)| Choice {
                value: (*s).to_string(),
                label: t.sorts[i].to_string(),
                selected: query.sort == *s,
            })
            .collect(),
        query,
    };
    Ok(remember_theme(&req, ok_page(&list)?))
}
