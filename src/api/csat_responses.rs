//! `/api/v1/accounts/{account_id}/csat_survey_responses` (administrators): ratings, metrics, CSV
//! download and internal review notes.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Map, Value};

use crate::api::{ItemPath, Reply, State, ok_json};
use crate::auth::AccountMember;
use crate::db::csat::{self, CsatFilter, CsatResponse};
use crate::db::{agents, contacts};
use crate::domain::timestamps::iso;
use crate::error::{ApiError, ApiResult};
use crate::views;

/// Responses per page (Chatwoot: 25).
const PER_PAGE: i64 = 25;

/// Filters and page from the raw query string (`user_ids[]` repeats).
fn filter_of(member: &AccountMember, query: &str) -> ApiResult<(CsatFilter, i64)> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let int = |key: &str| -> ApiResult<Option<i64>> {
        get(key)
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| ApiError::BadRequest(format!("{key} must be a number")))
            })
            .transpose()
    };
    let since_until = match (int("since")?, int("until")?) {
        (Some(since), Some(until)) => Some((since.saturating_mul(1000), until.saturating_mul(1000))),
        _ => None,
    };
    let user_ids = pairs
        .iter()
        .filter(|(k, _)| k == "user_ids[]" || k == "user_ids")
        .map(|(_, v)| {
            v.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::BadRequest("user_ids must be numbers".into()))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let filter = CsatFilter {
        account_id: member.account_id(),
        since_until,
        user_ids,
        inbox_id: int("inbox_id")?,
        team_id: int("team_id")?,
        rating: int("rating")?,
    };
    Ok((filter, crate::api::page_number(get("page"))))
}

/// Items with their contacts and agents loaded in two queries.
fn render(
    conn: &rusqlite::Connection,
    account_id: i64,
    rows: &[(CsatResponse, i64)],
) -> ApiResult<Vec<Value>> {
    let contact_ids: Vec<i64> = rows.iter().filter_map(|(r, _)| r.contact_id).collect();
    let user_ids: Vec<i64> = rows
        .iter()
        .flat_map(|(r, _)| [r.assigned_agent_id, r.review_notes_updated_by_id])
        .flatten()
        .collect();
    let people = contacts::find_many(conn, account_id, &contact_ids)?;
    let staff = agents::find_many(conn, account_id, &user_ids)?;
    Ok(rows
        .iter()
        .map(|(row, display_id)| {
            let agent = |id: Option<i64>| id.and_then(|id| staff.iter().find(|a| a.id == id));
            views::csat::admin_row(
                row,
                *display_id,
                agent(row.review_notes_updated_by_id),
                row.contact_id.and_then(|id| people.get(&id)),
                agent(row.assigned_agent_id),
            )
        })
        .collect())
}

/// `GET …/csat_survey_responses?page=` → bare array, 25 per page, newest first.
pub async fn index(req: HttpRequest, state: State, member: AccountMember) -> Reply {
    member.require_admin()?;
    let (filter, page) = filter_of(&member, req.query_string())?;
    let body = state
        .db
        .read(move |conn| {
            render(
                conn,
                filter.account_id,
                &csat::list(conn, &filter, Some((page, PER_PAGE)))?,
            )
        })
        .await?;
    Ok(ok_json(Value::Array(body)))
}

/// `GET …/csat_survey_responses/metrics` → `{total_count, ratings_count, total_sent_messages_count}`
pub async fn metrics(req: HttpRequest, state: State, member: AccountMember) -> Reply {
    member.require_admin()?;
    let (filter, _) = filter_of(&member, req.query_string())?;
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let counts = csat::rating_counts(conn, &filter)?;
            let total: i64 = counts.iter().map(|(_, n)| n).sum();
            let by_rating: Map<String, Value> = counts
                .iter()
                .map(|(r, n)| (r.to_string(), Value::from(*n)))
                .collect();
            let sent = csat::sent_count(conn, filter.account_id, filter.since_until)?;
            Ok(views::csat::metrics(total, by_rating, sent))
        })
        .await?;
    Ok(ok_json(body))
}

/// `GET …/csat_survey_responses/download?since=&until=` → `csat_report.csv`
pub async fn download(req: HttpRequest, state: State, member: AccountMember) -> Reply {
    member.require_admin()?;
    let (filter, _) = filter_of(&member, req.query_string())?;
    let Some((since, until)) = filter.since_until else {
        return Err(ApiError::Unprocessable("since and until are required".into()));
    };
    let base = member.base_url.clone();
    let bytes = state
        .db
        .read(move |conn| -> ApiResult<Vec<u8>> {
            let rows = csat::list(conn, &filter, None)?;
            let items = render(conn, filter.account_id, &rows)?;
            // The closing period line has one field: the writer must allow ragged rows.
            let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            let mut write = |record: Vec<String>| {
                writer
                    .write_record(record)
                    .map_err(|e| ApiError::Internal(e.to_string()))
            };
            write(
                [
                    "Agent Name",
                    "Rating",
                    "Feedback",
                    "Contact Name",
                    "Contact Email",
                    "Contact Phone",
                    "Link to the Conversation",
                    "Recorded At",
                    "Review Notes",
                ]
                .map(String::from)
                .to_vec(),
            )?;
            for item in &items {
                let text = |v: &Value| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| if v.is_null() { String::new() } else { v.to_string() })
                };
                let agent = item
                    .get("assigned_agent")
                    .map(|a| format!("{} ({})", text(&a["name"]), text(&a["email"])))
                    .unwrap_or_default();
                let contact = item.get("contact").cloned().unwrap_or(Value::Null);
                write(vec![
                    agent,
                    text(&item["rating"]),
                    text(&item["feedback_message"]),
                    text(&contact["name"]),
                    text(&contact["email"]),
                    text(&contact["phone_number"]),
                    format!(
                        "{base}/app/accounts/{}/conversations/{}",
                        filter.account_id,
                        text(&item["conversation_id"])
                    ),
                    iso(item["created_at"].as_i64().unwrap_or(0).saturating_mul(1000)),
                    text(&item["csat_review_notes"]),
                ])?;
            }
            write(vec![format!("Reported from {} to {}", iso(since), iso(until))])?;
            writer.into_inner().map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"csat_report.csv\"",
        ))
        .body(bytes))
}

/// `PATCH …/csat_survey_responses/{id} {csat_review_notes}` → the item
pub async fn update(
    state: State,
    member: AccountMember,
    path: ItemPath,
    body: crate::api::body::JsonBody,
) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let notes = match body.resource("csat_survey_response").get("csat_review_notes") {
        Some(Value::String(text)) => Some(text.clone()),
        Some(Value::Null) => None,
        _ => return Err(ApiError::ParamMissing("csat_review_notes".into())),
    };
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let row = csat::find(tx, account_id, id)?.ok_or(ApiError::NotFound)?;
            csat::set_review_notes(tx, row.id, notes.as_deref(), user_id)?;
            let row = csat::find(tx, account_id, id)?.ok_or(ApiError::NotFound)?;
            let display_id = crate::db::conversations::display_id_of(tx, row.conversation_id)?;
            Ok(render(tx, account_id, &[(row, display_id)])?.remove(0))
        })
        .await?;
    Ok(ok_json(body))
}
