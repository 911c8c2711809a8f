//! `/api/v1/accounts/{account_id}/custom_attribute_definitions` (every member; no policy in
//! Chatwoot).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;

use crate::api::audited::Audited;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, ok_json};
use crate::auth::AccountMember;
use crate::db::custom_attribute_definitions::{self as definitions, Definition};
use crate::domain::custom_attributes::{DISPLAY_TYPES, MODELS, is_reserved, parse_enum, valid_key};
use crate::error::{ApiError, ApiResult};
use crate::views::custom_attribute::definition as view;

/// Writable attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Params {
    attribute_display_name: Option<String>,
    attribute_display_type: Option<Value>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    attribute_description: Option<Option<String>>,
    attribute_key: Option<String>,
    attribute_values: Option<Vec<Value>>,
    attribute_model: Option<Value>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    default_value: Option<Option<Value>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    regex_pattern: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    regex_cue: Option<Option<String>>,
}

/// `?attribute_model=`
#[derive(Debug, Deserialize)]
pub struct IndexQuery {
    attribute_model: Option<String>,
}

fn enum_error(field: &str, allowed: &[&str]) -> ApiError {
    let label = field.replace('_', " ");
    let mut label = label.chars();
    let label = label
        .next()
        .map(|c| c.to_uppercase().chain(label).collect::<String>())
        .unwrap_or_default();
    ApiError::invalid(
        field,
        format!("{label} is not included in the list ({})", allowed.join(", ")),
    )
}

fn apply(conn: &rusqlite::Connection, def: &mut Definition, params: Params, creating: bool) -> ApiResult<()> {
    if let Some(name) = params.attribute_display_name {
        def.attribute_display_name = name.trim().to_string();
    }
    if let Some(kind) = params.attribute_display_type {
        def.attribute_display_type = parse_enum(DISPLAY_TYPES, &kind)
            .ok_or_else(|| enum_error("attribute_display_type", DISPLAY_TYPES))?;
    }
    if let Some(model) = params.attribute_model {
        def.attribute_model =
            parse_enum(MODELS, &model).ok_or_else(|| enum_error("attribute_model", MODELS))?;
    }
    if let Some(key) = params.attribute_key {
        def.attribute_key = key.trim().to_string();
    }
    if let Some(description) = params.attribute_description {
        def.attribute_description = description;
    }
    if let Some(values) = params.attribute_values {
        def.attribute_values = Value::Array(values);
    }
    if let Some(default) = params.default_value {
        def.default_value = default.map(|v| match v {
            Value::String(s) => s,
            other => other.to_string(),
        });
    }
    if let Some(pattern) = params.regex_pattern {
        def.regex_pattern = pattern;
    }
    if let Some(cue) = params.regex_cue {
        def.regex_cue = cue;
    }
    if def.attribute_display_name.is_empty() {
        return Err(ApiError::invalid(
            "attribute_display_name",
            "Attribute display name can't be blank",
        ));
    }
    if def.attribute_key.is_empty() {
        return Err(ApiError::invalid("attribute_key", "Attribute key can't be blank"));
    }
    if !valid_key(&def.attribute_key) {
        return Err(ApiError::invalid(
            "attribute_key",
            "Attribute key is invalid (use letters, digits, underscores and hyphens)",
        ));
    }
    if creating && is_reserved(def.attribute_model, &def.attribute_key) {
        return Err(ApiError::invalid(
            "attribute_key",
            "Attribute key The provided key is not allowed as it might conflict with default attributes.",
        ));
    }
    if definitions::key_taken(conn, def)? {
        return Err(ApiError::invalid(
            "attribute_key",
            "Attribute key has already been taken",
        ));
    }
    Ok(())
}

/// `GET …/custom_attribute_definitions[?attribute_model=]`
pub async fn index(state: State, member: AccountMember, query: web::Query<IndexQuery>) -> Reply {
    let model = match query.into_inner().attribute_model.filter(|m| !m.is_empty()) {
        None => None,
        Some(name) => Some(
            parse_enum(MODELS, &Value::String(name)).ok_or_else(|| enum_error("attribute_model", MODELS))?,
        ),
    };
    let account_id = member.account_id();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(definitions::list(conn, account_id, model)?) })
        .await?;
    Ok(ok_json(Value::Array(rows.iter().map(view).collect())))
}

/// Definitions in the audit trail.
const DEFINITIONS: Audited<Definition> = Audited {
    audit_type: "CustomAttributeDefinition",
    find: |conn, actor, id| definitions::find(conn, actor.account_id, id),
    save: definitions::save,
    delete: definitions::delete,
    id: |def| def.id,
    view,
};

/// `GET …/custom_attribute_definitions/{id}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let def = DEFINITIONS
        .load(&state, member.actor(), path.into_inner().1)
        .await?;
    Ok(ok_json(view(&def)))
}

/// `POST …/custom_attribute_definitions`
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let params: Params = parse_params(body.require("custom_attribute_definition")?)?;
    let blank = Definition {
        id: 0,
        account_id: member.account_id(),
        attribute_display_name: String::new(),
        attribute_key: String::new(),
        attribute_display_type: 0,
        attribute_model: 0,
        attribute_description: None,
        attribute_values: Value::Array(Vec::new()),
        default_value: None,
        regex_pattern: None,
        regex_cue: None,
        created_at: 0,
        updated_at: 0,
    };
    let def = DEFINITIONS
        .create(&state, member.actor(), blank, |tx, def| {
            apply(tx, def, params, true)
        })
        .await?;
    Ok(ok_json(view(&def)))
}

/// `PATCH …/custom_attribute_definitions/{id}`
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let id = path.into_inner().1;
    let params: Params = parse_params(body.require("custom_attribute_definition")?)?;
    let def = DEFINITIONS
        .update(&state, member.actor(), id, |tx, def| {
            apply(tx, def, params, false)
        })
        .await?;
    Ok(ok_json(view(&def)))
}

/// `DELETE …/custom_attribute_definitions/{id}` → 204
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    DEFINITIONS
        .destroy(&state, member.actor(), path.into_inner().1)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
