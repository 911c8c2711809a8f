//! `/api/v1/accounts/{account_id}/conversations`: the inbox view.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::api::body::{JsonBody, parse_params};
use crate::api::{head_ok, ok_json};
use crate::auth::{AccountMember, ConversationCaller};
use crate::db::conversation_list::{self, AssigneeFilter, ListFilter};
use crate::db::conversations::{self, Conversation};
use crate::db::{contacts, messages, now_ms, teams};
use crate::error::{ApiError, ApiResult};
use crate::services::conversation_loader::{self, Viewer};
use crate::services::conversations::{
    self as ops, Assigned, NewConversation, can_view, parse_priority, parse_status,
};
use crate::services::messages::{add_activity, create as create_message};
use crate::state::AppState;
use crate::views;

/// Conversations per page (Chatwoot's CONVERSATION_RESULTS_PER_PAGE default).
const PER_PAGE: i64 = 25;

/// Render conversations with everything they embed (a fixed number of queries).
pub fn render_many(
    conn: &rusqlite::Connection,
    viewer: &Viewer,
    list: &[Conversation],
) -> ApiResult<Vec<Value>> {
    let related = conversation_loader::load(conn, viewer, list)?;
    Ok(list
        .iter()
        .map(|c| views::conversation::conversation(c, &related))
        .collect())
}

/// Render one conversation.
pub fn render(conn: &rusqlite::Connection, viewer: &Viewer, c: &Conversation) -> ApiResult<Value> {
    Ok(render_many(conn, viewer, std::slice::from_ref(c))?.remove(0))
}

/// Load a conversation by display id and check the caller may see it (404, then 401).
pub fn visible(
    conn: &rusqlite::Connection,
    caller: &ConversationCaller,
    display_id: i64,
) -> ApiResult<Conversation> {
    let c = conversations::find(conn, caller.account_id(), display_id)?.ok_or(ApiError::NotFound)?;
    if can_view(conn, caller, &c)? {
        Ok(c)
    } else {
        Err(ApiError::Forbidden)
    }
}

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
            .then(|| (crate::api::audit_logs::page_number(get("page")), PER_PAGE)),
        condition: None,
    };
    Ok((filter, updated_since.is_some()))
}

fn counts(result: &conversation_list::ListResult, with_assigned: bool) -> Value {
    let mut meta =
        json!({"mine_count": result.mine, "unassigned_count": result.unassigned, "all_count": result.all});
    if with_assigned && let Some(map) = meta.as_object_mut() {
        map.insert(
            "assigned_count".into(),
            Value::from(result.all - result.unassigned),
        );
    }
    meta
}

async fn run_list(
    state: &AppState,
    member: &AccountMember,
    req: &HttpRequest,
) -> ApiResult<(conversation_list::ListResult, Vec<Value>)> {
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
            let payload = render_many(conn, &viewer, &result.rows)?;
            Ok((result, payload))
        })
        .await
}

/// `GET …/conversations` → `{data: {meta: {mine,assigned,unassigned,all}, payload}}`
pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: AccountMember,
) -> ApiResult<HttpResponse> {
    let (result, payload) = run_list(&state, &member, &req).await?;
    Ok(ok_json(
        json!({"data": {"meta": counts(&result, true), "payload": payload}}),
    ))
}

/// `GET …/conversations/meta` → `{meta: {…}}`
pub async fn meta(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: AccountMember,
) -> ApiResult<HttpResponse> {
    let (result, _) = run_list(&state, &member, &req).await?;
    Ok(ok_json(json!({"meta": counts(&result, true)})))
}

/// `GET …/conversations/{id}`
pub async fn show(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let body = state
        .db
        .read(move |conn| render(conn, &caller.viewer(), &visible(conn, &caller, id)?))
        .await?;
    Ok(ok_json(body))
}

/// `POST …/conversations` (users and bots)
pub async fn create(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let params: NewConversation = parse_params(body.resource("conversation"))?;
    let body = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let (conversation, message) = ops::create(tx, &caller, params)?;
            if let Some(mut message) = message {
                message.message_type = Some(Value::from("outgoing"));
                let channel = crate::db::inboxes::channel_types(tx, &[conversation.inbox_id])?
                    .remove(&conversation.inbox_id)
                    .unwrap_or_default();
                create_message(tx, &caller, &conversation, &channel, message, false)?;
            }
            let conversation = conversations::find(tx, caller.account_id(), conversation.display_id)?
                .ok_or(ApiError::NotFound)?;
            render(tx, &caller.viewer(), &conversation)
        })
        .await?;
    Ok(ok_json(body))
}

/// Run `f` on a visible conversation inside a write transaction.
async fn with_conversation<T: Send + 'static>(
    state: &AppState,
    caller: ConversationCaller,
    display_id: i64,
    f: impl FnOnce(&rusqlite::Connection, &ConversationCaller, Conversation) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    state
        .db
        .write(move |tx| {
            let c = visible(tx, &caller, display_id)?;
            f(tx, &caller, c)
        })
        .await
}

/// `PATCH …/conversations/{id}` (priority)
pub async fn update(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let attrs = body.resource("conversation");
    let priority = attrs
        .contains_key("priority")
        .then(|| parse_priority(attrs.get("priority")))
        .transpose()?;
    let body = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        let c = match priority {
            Some(priority) => ops::set_priority(tx, caller, c, priority)?,
            None => c,
        };
        render(tx, &caller.viewer(), &c)
    })
    .await?;
    Ok(ok_json(body))
}

/// `toggle_status` body.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusParams {
    status: Option<String>,
    snoozed_until: Option<i64>,
}

/// `POST …/toggle_status {status?, snoozed_until?}`
pub async fn toggle_status(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let params: StatusParams = parse_params(body.0.clone())?;
    let wanted = params.status.as_deref().map(parse_status).transpose()?;
    let change = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::toggle_status(
            tx,
            caller,
            c,
            wanted,
            params.snoozed_until,
            &caller.viewer().base_url,
        )
    })
    .await?;
    let c = &change.conversation;
    Ok(ok_json(json!({"payload": {
        "success": change.success,
        "conversation_id": c.display_id,
        "current_status": crate::domain::custom_attributes::enum_name(crate::domain::conversations::STATUSES, c.status),
        "snoozed_until": crate::domain::timestamps::iso_opt(c.snoozed_until),
    }})))
}

/// `POST …/toggle_priority {priority}` → 200 empty
pub async fn toggle_priority(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let priority = parse_priority(body.0.get("priority"))?;
    with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::set_priority(tx, caller, c, priority)
    })
    .await?;
    Ok(head_ok())
}

/// `POST …/toggle_typing_status {typing_status}`: validated; there is no live channel to relay it.
pub async fn toggle_typing_status(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let typing = body.0.get("typing_status").and_then(Value::as_str).unwrap_or("");
    if !matches!(typing, "on" | "off" | "recording") {
        return Err(ApiError::Unprocessable(
            "typing_status must be on, off or recording".into(),
        ));
    }
    let id = path.into_inner().1;
    state
        .db
        .read(move |conn| visible(conn, &caller, id).map(|_| ()))
        .await?;
    Ok(head_ok())
}

/// `POST …/custom_attributes {custom_attributes}`: replaces the hash.
pub async fn custom_attributes(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let attrs: Map<String, Value> = match body.0.get("custom_attributes") {
        Some(Value::Object(map)) => map.clone(),
        _ => return Err(ApiError::ParamMissing("custom_attributes".into())),
    };
    let stored = with_conversation(&state, caller, path.into_inner().1, move |tx, _, mut c| {
        c.custom_attributes = attrs;
        Ok(conversations::update(tx, &c)?.custom_attributes)
    })
    .await?;
    Ok(ok_json(json!({ "custom_attributes": stored })))
}

/// `GET …/labels`
pub async fn labels(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let id = path.into_inner().1;
    let labels = state
        .db
        .read(move |conn| -> ApiResult<_> {
            Ok(conversations::labels(conn, visible(conn, &caller, id)?.id)?)
        })
        .await?;
    Ok(ok_json(json!({ "payload": labels })))
}

/// `POST …/labels {labels}`: replaces the set.
pub async fn set_labels(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let wanted = crate::services::contacts::label_list(body.0.get("labels"))?;
    let labels = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::set_labels(tx, caller, &c, &wanted)
    })
    .await?;
    Ok(ok_json(json!({ "payload": labels })))
}

/// `POST …/assignments`
pub async fn assign(
    state: web::Data<AppState>,
    caller: ConversationCaller,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let attrs = body.0.clone();
    let assigned = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, c| {
        ops::assign(tx, caller, c, &attrs)
    })
    .await?;
    Ok(ok_json(match assigned {
        Assigned::Agent(agent) => views::agent::agent(&agent),
        Assigned::Bot(bot) => {
            json!({"id": bot.id, "name": bot.name, "description": bot.description, "thumbnail": "",
            "outgoing_url": bot.outgoing_url, "bot_type": "webhook"})
        }
        Assigned::Team(team) => views::team::team(&team),
        Assigned::Nobody => Value::Null,
    }))
}

/// `POST …/update_last_seen`
pub async fn update_last_seen(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let body = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, mut c| {
        let now = now_ms();
        c.agent_last_seen_at = Some(now);
        if c.assignee_id.is_some() && c.assignee_id == caller.member().map(|m| m.user.id) {
            c.assignee_last_seen_at = Some(now);
        }
        let c = conversations::update(tx, &c)?;
        render(tx, &caller.viewer(), &c)
    })
    .await?;
    Ok(ok_json(body))
}

/// `POST …/unread`: marks the last incoming message unseen.
pub async fn unread(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let body = with_conversation(&state, caller, path.into_inner().1, move |tx, caller, mut c| {
        let seen = messages::last_incoming_at(tx, c.id)?.map(|at| at - 1000);
        c.agent_last_seen_at = seen;
        c.assignee_last_seen_at = seen;
        let c = conversations::update(tx, &c)?;
        render(tx, &caller.viewer(), &c)
    })
    .await?;
    Ok(ok_json(body))
}

async fn set_muted(state: &AppState, caller: ConversationCaller, id: i64, muted: bool) -> ApiResult<()> {
    with_conversation(state, caller, id, move |tx, caller, mut c| {
        let mut contact = contacts::find(tx, c.account_id, c.contact_id)?.ok_or(ApiError::NotFound)?;
        contact.blocked = muted;
        contacts::save(tx, &contact)?;
        let actor = caller.display_name();
        if muted {
            let was_resolved = c.status == crate::domain::conversations::status::RESOLVED;
            c.status = crate::domain::conversations::status::RESOLVED;
            c.waiting_since = None;
            conversations::update(tx, &c)?;
            add_activity(tx, &c, &format!("{actor} has muted the conversation"))?;
            if !was_resolved {
                crate::services::csat::on_resolved(tx, &c, &caller.viewer().base_url)?;
            }
        } else {
            add_activity(tx, &c, &format!("{actor} has unmuted the conversation"))?;
        }
        Ok(())
    })
    .await
}

/// `POST …/mute`: resolves and blocks the contact.
pub async fn mute(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    set_muted(&state, caller, path.into_inner().1, true).await?;
    Ok(head_ok())
}

/// `POST …/unmute`
pub async fn unmute(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    set_muted(&state, caller, path.into_inner().1, false).await?;
    Ok(head_ok())
}

/// `POST …/transcript {email}`: Parlor has no mail transport yet, so a valid request is refused
/// with a clear 422 instead of pretending to send.
pub async fn transcript(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let caller = ConversationCaller::from(member);
    let email = body
        .0
        .get("email")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if email.trim().is_empty() {
        return Err(ApiError::Unprocessable("email param missing".into()));
    }
    let id = path.into_inner().1;
    state
        .db
        .read(move |conn| visible(conn, &caller, id).map(|_| ()))
        .await?;
    Err(ApiError::Unprocessable(
        "Email transcripts are not available: this Parlor has no mail server configured".into(),
    ))
}

/// `DELETE …/conversations/{id}` (administrators)
pub async fn destroy(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let c = conversations::find(tx, account_id, id)?.ok_or(ApiError::NotFound)?;
            Ok(conversations::delete(tx, c.id)?)
        })
        .await?;
    Ok(head_ok())
}

/// `GET …/conversations/search?q=` → `{meta: {mine, unassigned, all}, payload: [slim]}`
pub async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: AccountMember,
) -> ApiResult<HttpResponse> {
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
    Ok(ok_json(
        json!({"meta": counts(&result, false), "payload": payload}),
    ))
}

/// `POST …/conversations/filter {page, payload: [conditions]}` →
/// `{meta: {mine, unassigned, all}, payload}` (no `data`, no assigned_count).
pub async fn filter(
    state: web::Data<AppState>,
    member: AccountMember,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
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
            let rows = render_many(conn, &viewer, &result.rows)?;
            Ok((result, rows))
        })
        .await?;
    Ok(ok_json(json!({"meta": counts(&result, false), "payload": rows})))
}
