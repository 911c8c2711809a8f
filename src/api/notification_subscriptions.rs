//! `/api/v1/notification_subscriptions`: the mobile app's FCM token (and browsers' push
//! endpoints). Stored so that clients work unchanged; Parlor sends no push notifications.

use serde_json::{Map, Value};

use crate::api::body::JsonBody;
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::CurrentUser;
use crate::db::notifications as rows;
use crate::domain::notifications::SUBSCRIPTION_TYPES;
use crate::error::{ApiError, ApiResult};
use crate::views;

/// `POST {subscription_type, subscription_attributes}` (top level or under
/// `notification_subscription`) → the stored subscription.
pub async fn create(state: State, user: CurrentUser, body: JsonBody) -> Reply {
    let attrs = body.require("notification_subscription")?;
    let kind_name = attrs
        .get("subscription_type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let kind = SUBSCRIPTION_TYPES
        .iter()
        .position(|t| *t == kind_name)
        .and_then(|i| i64::try_from(i + 1).ok())
        .ok_or_else(|| {
            ApiError::invalid(
                "subscription_type",
                format!("Subscription type '{kind_name}' is not valid (browser_push, fcm)"),
            )
        })?;
    let attributes: Map<String, Value> = match attrs.get("subscription_attributes") {
        Some(Value::Object(map)) => map.clone(),
        None | Some(Value::Null) => Map::new(),
        Some(_) => {
            return Err(ApiError::invalid(
                "subscription_attributes",
                "subscription_attributes must be an object",
            ));
        }
    };
    // Chatwoot keys a browser by its endpoint and a phone by its device id.
    let identifier_key = if kind == 1 { "endpoint" } else { "device_id" };
    let identifier = match attributes.get(identifier_key) {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(ApiError::invalid("identifier", "Identifier can't be blank")),
    };
    let user_id = user.0.id;
    let subscription = state
        .db
        .write(move |tx| -> ApiResult<_> {
            Ok(rows::upsert_subscription(
                tx,
                user_id,
                kind,
                &attributes,
                &identifier,
            )?)
        })
        .await?;
    Ok(ok_json(views::notification::subscription(&subscription)))
}

/// `DELETE {push_token}` → 200 whether or not a subscription carried it.
pub async fn destroy(state: State, user: CurrentUser, body: JsonBody) -> Reply {
    let token = body
        .resource("notification_subscription")
        .get("push_token")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(token) = token {
        let user_id = user.0.id;
        state
            .db
            .write(move |tx| -> ApiResult<bool> { Ok(rows::delete_subscription(tx, user_id, &token)?) })
            .await?;
    }
    Ok(head_ok())
}
