//! `/api/v1/accounts/{account_id}/custom_filters`: each user sees and changes only their own.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;

use crate::api::body::{JsonBody, parse_params};
use crate::api::{destroy_audited, ok_json};
use crate::auth::AccountMember;
use crate::db::custom_filters::{self, CustomFilter, FILTER_TYPES};
use crate::domain::custom_attributes::parse_enum;
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::state::AppState;
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
pub async fn index(
    state: web::Data<AppState>,
    member: AccountMember,
    query: web::Query<IndexQuery>,
) -> ApiResult<HttpResponse> {
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

/// `GET …/custom_filters/{id}`
pub async fn show(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let (account_id, user_id) = (member.account_id(), member.user.id);
    let filter = state
        .db
        .read(move |conn| custom_filters::find(conn, account_id, user_id, id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(ok_json(view(&filter)))
}

/// `POST …/custom_filters`
pub async fn create(
    state: web::Data<AppState>,
    member: AccountMember,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let params: Params = parse_params(body.require("custom_filter")?)?;
    let actor = member.actor();
    let filter = state
        .db
        .write(move |tx| -> ApiResult<_> {
            if custom_filters::count_for_user(tx, actor.account_id, actor.user_id)? >= MAX_FILTERS_PER_USER {
                return Err(ApiError::invalid(
                    "account_id",
                    format!(
                        "Account Limit reached. The maximum number of allowed custom filters for a user per account is {MAX_FILTERS_PER_USER}."
                    ),
                ));
            }
            let mut filter = CustomFilter {
                id: 0,
                account_id: actor.account_id,
                user_id: actor.user_id,
                name: String::new(),
                filter_type: 0,
                query: Value::Null,
                created_at: 0,
                updated_at: 0,
            };
            apply(&mut filter, params)?;
            let filter = custom_filters::save(tx, &filter)?;
            audit::created(tx, &actor, "CustomFilter", filter.id, &view(&filter))?;
            Ok(filter)
        })
        .await?;
    Ok(ok_json(view(&filter)))
}

/// `PATCH …/custom_filters/{id}`
pub async fn update(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let params: Params = parse_params(body.require("custom_filter")?)?;
    let actor = member.actor();
    let filter = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut filter =
                custom_filters::find(tx, actor.account_id, actor.user_id, id)?.ok_or(ApiError::NotFound)?;
            let before = view(&filter);
            apply(&mut filter, params)?;
            let filter = custom_filters::save(tx, &filter)?;
            audit::updated(tx, &actor, "CustomFilter", id, &before, &view(&filter))?;
            Ok(filter)
        })
        .await?;
    Ok(ok_json(view(&filter)))
}

/// `DELETE …/custom_filters/{id}` → 204
pub async fn destroy(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let find =
        |c: &rusqlite::Connection, a: &audit::Actor, id| custom_filters::find(c, a.account_id, a.user_id, id);
    destroy_audited(
        &state,
        member.actor(),
        "CustomFilter",
        id,
        find,
        custom_filters::delete,
        view,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
