//! `/api/v1/accounts/{account_id}/inboxes`: agents list and see their own inboxes;
//! administrators create, change and delete them and connect agent bots. The `channel` object
//! of a request is read by [`channels`], `inbox_members` is [`members`].

pub mod channels;
pub mod members;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::inboxes::{self, Inbox};
use crate::db::{accounts, agent_bots, agents};
use crate::domain::custom_attributes::parse_enum;
use crate::domain::inbox::{SENDER_NAME_TYPES, default_working_hours, merge_working_hours, valid_timezone};
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::state::AppState;
use crate::views;

/// Inbox attributes shared by create and update.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InboxParams {
    name: Option<String>,
    greeting_enabled: Option<bool>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    greeting_message: Option<Option<String>>,
    enable_email_collect: Option<bool>,
    csat_survey_enabled: Option<bool>,
    csat_config: Option<Map<String, Value>>,
    enable_auto_assignment: Option<bool>,
    auto_assignment_config: Option<Map<String, Value>>,
    working_hours_enabled: Option<bool>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    out_of_office_message: Option<Option<String>>,
    timezone: Option<String>,
    allow_messages_after_resolved: Option<bool>,
    lock_to_single_conversation: Option<bool>,
    sender_name_type: Option<Value>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    business_name: Option<Option<String>>,
    working_hours: Option<Vec<Value>>,
    channel: Option<Map<String, Value>>,
}

fn apply(inbox: &mut Inbox, params: &InboxParams) -> ApiResult<()> {
    if let Some(name) = &params.name {
        inbox.name = name.trim().to_string();
    }
    if inbox.name.is_empty() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if inbox.name.chars().count() > 255 {
        return Err(ApiError::invalid(
            "name",
            "Name is too long (maximum is 255 characters)",
        ));
    }
    let flags = [
        (&mut inbox.greeting_enabled, params.greeting_enabled),
        (&mut inbox.enable_email_collect, params.enable_email_collect),
        (&mut inbox.csat_survey_enabled, params.csat_survey_enabled),
        (&mut inbox.enable_auto_assignment, params.enable_auto_assignment),
        (&mut inbox.working_hours_enabled, params.working_hours_enabled),
        (
            &mut inbox.allow_messages_after_resolved,
            params.allow_messages_after_resolved,
        ),
        (
            &mut inbox.lock_to_single_conversation,
            params.lock_to_single_conversation,
        ),
    ];
    for (field, value) in flags {
        if let Some(value) = value {
            *field = value;
        }
    }
    if let Some(message) = &params.greeting_message {
        inbox.greeting_message.clone_from(message);
    }
    if let Some(message) = &params.out_of_office_message {
        inbox.out_of_office_message.clone_from(message);
    }
    if let Some(name) = &params.business_name {
        inbox.business_name.clone_from(name);
    }
    if let Some(config) = &params.csat_config {
        inbox.csat_config = Value::Object(config.clone());
    }
    if let Some(config) = &params.auto_assignment_config {
        inbox.auto_assignment_config = Value::Object(config.clone());
    }
    if let Some(timezone) = &params.timezone {
        if !valid_timezone(timezone) {
            return Err(ApiError::invalid(
                "timezone",
                "Timezone is not a valid time zone name",
            ));
        }
        inbox.timezone.clone_from(timezone);
    }
    if let Some(kind) = &params.sender_name_type {
        let index = parse_enum(SENDER_NAME_TYPES, kind).ok_or_else(|| {
            ApiError::invalid(
                "sender_name_type",
                "Sender name type is not included in the list (friendly, professional)",
            )
        })?;
        inbox.sender_name_type = index;
    }
    if let Some(hours) = &params.working_hours {
        inbox.working_hours = merge_working_hours(&inbox.working_hours, hours)
            .map_err(|msg| ApiError::invalid("working_hours", msg))?;
    }
    Ok(())
}

/// The host of the public URL, for generated forwarding addresses.
fn public_host(base_url: &str) -> String {
    let rest = base_url.split("://").nth(1).unwrap_or(base_url);
    rest.split(['/', ':']).next().unwrap_or("localhost").to_string()
}

/// An inbox the member may see: administrators see all, agents their own (401 otherwise).
fn visible(conn: &rusqlite::Connection, member: &AccountMember, id: i64) -> ApiResult<Inbox> {
    let inbox = inboxes::find(conn, member.account_id(), id)?.ok_or(ApiError::NotFound)?;
    if member.is_admin() || inboxes::is_member(conn, id, member.user.id)? {
        Ok(inbox)
    } else {
        Err(ApiError::Forbidden)
    }
}

fn render(inbox: &Inbox, admin: bool, state: &AppState) -> Value {
    views::inbox::inbox(inbox, admin, &state.config.frontend_url())
}

/// `GET …/inboxes`: `{payload: [...]}` by name.
pub async fn index(state: State, member: AccountMember) -> Reply {
    let account_id = member.account_id();
    let only_member = (!member.is_admin()).then_some(member.user.id);
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(inboxes::list(conn, account_id, only_member)?) })
        .await?;
    let payload: Vec<Value> = rows
        .iter()
        .map(|inbox| render(inbox, member.is_admin(), &state))
        .collect();
    Ok(ok_json(views::envelope::payload(payload)))
}

/// `GET …/inboxes/{id}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (_, id) = path.into_inner();
    let admin = member.is_admin();
    let inbox = state.db.read(move |conn| visible(conn, &member, id)).await?;
    Ok(ok_json(render(&inbox, admin, &state)))
}

/// `POST …/inboxes {name, channel: {type, …}, …}` (administrators)
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: InboxParams = parse_params(body.resource("inbox"))?;
    let channel_attrs = params
        .channel
        .clone()
        .ok_or_else(|| ApiError::ParamMissing("channel".into()))?;
    let host = public_host(&state.config.frontend_url());
    let actor = member.actor();
    let inbox = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let account = accounts::find(tx, actor.account_id)?.ok_or(ApiError::NotFound)?;
            if let Some(limit) = account.limits.get("inboxes").and_then(Value::as_i64)
                && inboxes::count(tx, actor.account_id)? >= limit
            {
                return Err(ApiError::LimitExceeded);
            }
            let channel = channels::build(tx, actor.account_id, &channel_attrs, &host)?;
            let mut inbox = Inbox {
                id: 0,
                account_id: actor.account_id,
                name: String::new(),
                greeting_enabled: false,
                greeting_message: None,
                working_hours_enabled: false,
                working_hours: default_working_hours(),
                enable_email_collect: true,
                csat_survey_enabled: false,
                csat_config: Value::Object(Map::new()),
                enable_auto_assignment: true,
                auto_assignment_config: Value::Object(Map::new()),
                out_of_office_message: None,
                timezone: "UTC".into(),
                allow_messages_after_resolved: true,
                lock_to_single_conversation: false,
                sender_name_type: 0,
                business_name: None,
                created_at: 0,
                updated_at: 0,
                channel,
            };
            apply(&mut inbox, &params)?;
            let id = inboxes::save(tx, &inbox)?;
            let inbox = inboxes::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            audit::created(tx, &actor, "Inbox", id, &views::inbox::inbox(&inbox, false, ""))?;
            Ok(inbox)
        })
        .await?;
    Ok(ok_json(render(&inbox, true, &state)))
}

/// `PATCH …/inboxes/{id}` (administrators): inbox attributes, `channel: {…}`, `working_hours: […]`.
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let (_, id) = path.into_inner();
    let params: InboxParams = parse_params(body.resource("inbox"))?;
    let actor = member.actor();
    let inbox = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut inbox = inboxes::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            let before = views::inbox::inbox(&inbox, false, "");
            apply(&mut inbox, &params)?;
            if let Some(channel_attrs) = &params.channel {
                channels::apply(tx, &mut inbox.channel, channel_attrs)?;
            }
            inboxes::save(tx, &inbox)?;
            let inbox = inboxes::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            audit::updated(
                tx,
                &actor,
                "Inbox",
                id,
                &before,
                &views::inbox::inbox(&inbox, false, ""),
            )?;
            Ok(inbox)
        })
        .await?;
    Ok(ok_json(render(&inbox, true, &state)))
}

/// `DELETE …/inboxes/{id}` (administrators)
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    let (_, id) = path.into_inner();
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            let inbox = inboxes::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            inboxes::delete(tx, &inbox)?;
            audit::destroyed(tx, &actor, "Inbox", id, &views::inbox::inbox(&inbox, false, ""))?;
            Ok(())
        })
        .await?;
    Ok(ok_json(views::inbox::deletion_queued()))
}

/// `GET …/inboxes/{id}/assignable_agents`: inbox members plus administrators.
pub async fn assignable_agents(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (_, id) = path.into_inner();
    let account_id = member.account_id();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> {
            visible(conn, &member, id)?;
            Ok(agents::assignable(conn, account_id, id)?)
        })
        .await?;
    Ok(ok_json(views::envelope::payload(views::agent::agents(&rows))))
}

/// `GET …/inboxes/{id}/agent_bot`: `{"agent_bot": {...}}`, or `{}` when none is connected.
pub async fn agent_bot(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (_, id) = path.into_inner();
    let account_id = member.account_id();
    let bot = state
        .db
        .read(move |conn| -> ApiResult<_> {
            visible(conn, &member, id)?;
            let Some(bot_id) = inboxes::agent_bot_id(conn, id)? else {
                return Ok(None);
            };
            Ok(agent_bots::find(conn, bot_id)?)
        })
        .await?;
    Ok(ok_json(views::agent_bot::of_inbox(bot.as_ref(), account_id)))
}

/// `POST …/inboxes/{id}/set_agent_bot {agent_bot: id|null}` (administrators)
pub async fn set_agent_bot(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let (_, id) = path.into_inner();
    let bot_id = match body.0.get("agent_bot") {
        None => return Err(ApiError::ParamMissing("agent_bot".into())),
        Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(n.as_i64().ok_or(ApiError::NotFound)?),
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.parse::<i64>().map_err(|_| ApiError::NotFound)?),
        Some(_) => return Err(ApiError::Unprocessable("agent_bot must be an id or null".into())),
    };
    let actor = member.actor();
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            inboxes::find(tx, actor.account_id, id)?.ok_or(ApiError::NotFound)?;
            let before = inboxes::agent_bot_id(tx, id)?;
            if let Some(bot_id) = bot_id {
                let bot = agent_bots::find(tx, bot_id)?.ok_or(ApiError::NotFound)?;
                if bot.account_id.is_some_and(|owner| owner != actor.account_id) {
                    return Err(ApiError::NotFound);
                }
            }
            inboxes::set_agent_bot(tx, actor.account_id, id, bot_id)?;
            audit::attribute_updated(tx, &actor, "Inbox", id, "agent_bot_id", before, bot_id)?;
            Ok(())
        })
        .await?;
    Ok(head_ok())
}
