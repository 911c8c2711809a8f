//! `/api/v1/accounts/{account_id}/custom_filters`: each user sees and changes only their own.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;

use crate::api::audited::Audited;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, ok_json};
use crate::auth::AccountMember;
use crate::db::custom_filters::{self, CustomFilter, FILTER_TYPES};
use crate::domain::custom_attributes::parse_enum;
use crate::error::{ApiError, ApiResult};
use crate::views::custom_filter::custom_filter as view;

/// Most filters one user may keep in one account.
const MAX_FILTERS_PER_USER: i64 = 1000;

/// Writable attributes; `type` is accepted as an alias of `filter_type` (the OpenAPI name).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    name: Option<String>,
    filter_type: Option<Value>,
    #[serde(rename = "type")]
    type_alias: Option<Value>,
    query: Option<serde_json::Map<String, Value>>,
}

/// `?filter_type=`
#[derive(Debug, Deserialize)]
pub struct IndexQuery {
    filter_type: Option<String>,
}

fn filter_type(value: &Value) -> ApiResult<i64> {
    parse_enum(FILTER_TYPES, value).ok_or_else(|| {
        ApiError::invalid(
            "filter_type",
            format!(
                "Filter type is not included in the list ({})",
                FILTER_TYPES.join(", ")
            ),
        )
    })
}

fn apply(filter: &mut CustomFilter, params: Params) -> ApiResult<()> {
    if let Some(name) = params.name {
        filter.name = name.trim().to_string();
    }
    if let Some(kind) = params.filter_type.or(params.type_alias) {
        filter.filter_type = filter_type(&kind)?;
    }
    if let Some(query) = params.query {
        filter.query = Value::Object(query);
    }
    if filter.name.is_empty() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if filter.query.as_object().is_none_or(serde_json::Map::is_empty) {
        return Err(ApiError::invalid("query", "Query can't be blank"));
    }
    Ok(())
}

/// `GET …/custom_filters[?filter_type=]` (default conversation)
pub async fn index(state: State, member: AccountMember, query: web::Query<IndexQuery>) -> Reply {
    let kind = match query.into_inner().filter_type.filter(|t| !t.is_empty()) {
        None => 0,
        Some(name) => filter_type(&Value::String(name))?,
    };
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(custom_filters::list(conn, account_id, user_id, kind)?) })
        .await?;
    Ok(ok_json(Value::Array(rows.iter().map(view).collect())))
}

/// Filters in the audit trail; only their owner finds them.
const FILTERS: Audited<CustomFilter> = Audited {
    audit_type: "CustomFilter",
    find: |conn, actor, id| custom_filters::find(conn, actor.account_id, actor.user_id, id),
    save: custom_filters::save,
    delete: custom_filters::delete,
    id: |filter| filter.id,
    view,
};

/// `GET …/custom_filters/{id}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let filter = FILTERS.load(&state, member.actor(), path.into_inner().1).await?;
    Ok(ok_json(view(&filter)))
}

/// `POST …/custom_filters`
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let params: Params = parse_params(body.require("custom_filter")?)?;
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let blank = CustomFilter {
        id: 0,
        account_id,
        user_id,
        name: String::new(),
        filter_type: 0,
        query: Value::Null,
        created_at: 0,
        updated_at: 0,
    };
    let filter = FILTERS
        .create(&state, member.actor(), blank, move |tx, filter| {
            if custom_filters::count_for_user(tx, account_id, user_id)? >= MAX_FILTERS_PER_USER {
                return Err(ApiError::invalid(
                    "account_id",
                    format!(
                        "Account Limit reached. The maximum number of allowed custom filters for a user per account is {MAX_FILTERS_PER_USER}."
                    ),
                ));
            }
            apply(filter, params)
        })
        .await?;
    Ok(ok_json(view(&filter)))
}

/// `PATCH …/custom_filters/{id}`
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let id = path.into_inner().1;
    let params: Params = parse_params(body.require("custom_filter")?)?;
    let filter = FILTERS
        .update(&state, member.actor(), id, |_, filter| apply(filter, params))
        .await?;
    Ok(ok_json(view(&filter)))
}

/// `DELETE …/custom_filters/{id}` → 204
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    FILTERS
        .destroy(&state, member.actor(), path.into_inner().1)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
