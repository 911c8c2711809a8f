//! `GET conversations`, `meta`, `search` and `POST filter`: the conversation lists and their
//! counts.

use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::body::JsonBody;
use crate::api::conversations::{PER_PAGE, render_raw};
use crate::api::{Reply, State, ok_json};
use crate::auth::AccountMember;
use crate::db::conversation_list::{self, AssigneeFilter, ListFilter};
use crate::db::{messages, now_ms, teams};
use crate::error::{ApiError, ApiResult};
use crate::services::conversation_loader;
use crate::services::conversations::parse_status;
use crate::state::AppState;
use crate::views;

/// The list filters from the raw query string (`labels[]` repeats).
fn list_filter(member: &AccountMember, query: &str) -> ApiResult<(ListFilter, bool)> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let int = |key: &str| -> ApiResult<Option<i64>> {
        get(key)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::BadRequest(format!("{key} must be a number")))
            })
            .transpose()
    };
    let q = get("q")
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_string);
    let status = match get("status").unwrap_or("open") {
        "all" => None,
        name => Some(parse_status(name)?),
    };
    let assignee = match get("assignee_type").unwrap_or("") {
        "me" => AssigneeFilter::Me,
        "unassigned" => AssigneeFilter::Unassigned,
        "assigned" => AssigneeFilter::Assigned,
        _ => AssigneeFilter::All,
    };
    let updated_since = int("updated_within")?.map(|secs| now_ms() - secs.saturating_mul(1000));
    let filter = ListFilter {
        account_id: member.account_id(),
        user_id: member.user.id,
        member_of_inboxes: (!member.is_admin()).then_some(member.user.id),
        status,
        inbox_id: int("inbox_id")?,
        team_id: int("team_id")?,
        labels: pairs
            .iter()
            .filter(|(k, _)| k == "labels[]" || k == "labels")
            .map(|(_, v)| v.clone())
            .collect(),
        q,
        assignee,
        unattended: get("conversation_type") == Some("unattended"),
        updated_since,
        order: conversation_list::order_by(get("sort_by")),
        page: updated_since
            .is_none()
            .then(|| (crate::api::page_number(get("page")), PER_PAGE)),
        condition: None,
    };
    Ok((filter, updated_since.is_some()))
}

/// Rendered conversations of a list response.
type Payload = Vec<Box<RawValue>>;

/// Run the list of `req`; `render` false skips the payload (the meta endpoint).
async fn run_list(
    state: &AppState,
    member: &AccountMember,
    req: &HttpRequest,
    render: bool,
) -> ApiResult<(conversation_list::ListResult, Payload)> {
    let (filter, _) = list_filter(member, req.query_string())?;
    let viewer = member.viewer();
    let (cache, generation) = (state.db.counts.clone(), state.db.generation());
    state
        .db
        .read(move |conn| -> ApiResult<_> {
            if let Some(team_id) = filter.team_id {
                teams::find(conn, filter.account_id, viewer.user_id, team_id)?.ok_or(ApiError::NotFound)?;
            }
            let result = conversation_list::list(conn, &filter, Some((&cache, generation)))?;
            let payload = if render {
                render_raw(conn, &viewer, &result.rows)?
            } else {
                Vec::new()
            };
            Ok((result, payload))
        })
        .await
}

/// `GET …/conversations` → `{data: {meta: {mine,assigned,unassigned,all}, payload}}`
pub async fn index(req: HttpRequest, state: State, member: AccountMember) -> Reply {
    let (result, payload) = run_list(&state, &member, &req, true).await?;
    Ok(HttpResponse::Ok().json(views::conversation::data_page(&result, payload)))
}

/// `GET …/conversations/meta` → `{meta: {…}}`
pub async fn meta(req: HttpRequest, state: State, member: AccountMember) -> Reply {
    let (result, _) = run_list(&state, &member, &req, false).await?;
    Ok(ok_json(views::envelope::meta(views::conversation::counts(
        &result, true,
    ))))
}

/// `GET …/conversations/search?q=` → `{meta: {mine, unassigned, all}, payload: [slim]}`
pub async fn search(req: HttpRequest, state: State, member: AccountMember) -> Reply {
    let (mut filter, _) = list_filter(&member, req.query_string())?;
    let viewer = member.viewer();
    if filter.q.is_none() {
        return Err(ApiError::Unprocessable(
            "Specify search string with parameter q".into(),
        ));
    }
    filter.status = None;
    let (cache, generation) = (state.db.counts.clone(), state.db.generation());
    let (result, payload) = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let result = conversation_list::list(conn, &filter, Some((&cache, generation)))?;
            let ids: Vec<i64> = result.rows.iter().map(|c| c.id).collect();
            let related = conversation_loader::load(conn, &viewer, &result.rows)?;
            let all_messages = messages::all_for(conn, &ids)?;
            let payload: Vec<Value> = result
                .rows
                .iter()
                .map(|c| {
                    views::conversation::slim(
                        c,
                        &related,
                        all_messages.get(&c.id).map_or(&[][..], Vec::as_slice),
                    )
                })
                .collect();
            Ok((result, payload))
        })
        .await?;
    Ok(ok_json(views::envelope::meta_payload(
        views::conversation::counts(&result, false),
        payload,
    )))
}

/// `POST …/conversations/filter {page, payload: [conditions]}` →
/// `{meta: {mine, unassigned, all}, payload}` (no `data`, no assigned_count).
pub async fn filter(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let page = crate::api::filters::page_of(&body);
    let payload = body.0.get("payload").cloned().unwrap_or(Value::Null);
    let viewer = member.viewer();
    let (mut list, _) = list_filter(&member, "status=all")?;
    list.page = Some((page, PER_PAGE));
    let (cache, generation) = (state.db.counts.clone(), state.db.generation());
    let (result, rows) = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let custom = crate::api::filters::custom_kinds(conn, list.account_id, 0)?;
            list.condition = Some(
                crate::domain::filters::compile(
                    crate::domain::filters::Target::Conversation,
                    &payload,
                    &custom,
                )
                .map_err(ApiError::Unprocessable)?,
            );
            let result = conversation_list::list(conn, &list, Some((&cache, generation)))?;
            let rows = render_raw(conn, &viewer, &result.rows)?;
            Ok((result, rows))
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::conversation::page(&result, false, rows)))
}
