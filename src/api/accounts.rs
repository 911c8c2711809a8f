//! `/api/v1/accounts/{account_id}`: the current account.

use serde::Deserialize;
use serde_json::Value;

use crate::api::body::{JsonBody, parse_params};
use crate::api::{Reply, State, ok_json};
use crate::auth::OwnAccount;
use crate::db::accounts;
use crate::error::{ApiError, ApiResult};
use crate::services::accounts::{AccountChanges, apply};
use crate::services::audit;
use crate::views;

/// Bounds of `auto_resolve_after`, in minutes (Chatwoot's validation).
const AUTO_RESOLVE_RANGE: std::ops::RangeInclusive<i64> = 10..=1_439_856;

/// Attributes an administrator may change.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AccountUpdateParams {
    name: Option<String>,
    locale: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    domain: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    support_email: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    auto_resolve_after: Option<Option<i64>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    auto_resolve_message: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    auto_resolve_ignore_waiting: Option<Option<bool>>,
    industry: Option<String>,
    company_size: Option<String>,
    timezone: Option<String>,
}

/// `GET /api/v1/accounts/{account_id}`
pub async fn show(OwnAccount(member): OwnAccount) -> Reply {
    Ok(ok_json(views::account::detail(&member.account)))
}

/// `PATCH|PUT /api/v1/accounts/{account_id}` (administrators).
pub async fn update(state: State, OwnAccount(member): OwnAccount, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: AccountUpdateParams = parse_params(body.resource("account"))?;
    if let Some(Some(minutes)) = params.auto_resolve_after
        && !AUTO_RESOLVE_RANGE.contains(&minutes)
    {
        return Err(ApiError::invalid(
            "auto_resolve_after",
            "Auto resolve after must be greater than or equal to 10 and less than or equal to 1439856",
        ));
    }
    let account_id = member.account_id();
    let actor = member.actor();
    let account = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut account = accounts::find(tx, account_id)?.ok_or(ApiError::NotFound)?;
            let before = views::account::detail(&account);
            let changes = AccountChanges {
                name: params.name,
                locale: params.locale,
                domain: params.domain,
                support_email: params.support_email,
                ..AccountChanges::default()
            };
            apply(&mut account, changes)?;
            let settings = [
                (
                    "auto_resolve_after",
                    params.auto_resolve_after.map(|v| v.map(Value::from)),
                ),
                (
                    "auto_resolve_message",
                    params.auto_resolve_message.map(|v| v.map(Value::from)),
                ),
                (
                    "auto_resolve_ignore_waiting",
                    params.auto_resolve_ignore_waiting.map(|v| v.map(Value::from)),
                ),
            ];
            for (key, value) in settings {
                if let Some(value) = value {
                    account.settings.insert(key.into(), value.unwrap_or(Value::Null));
                }
            }
            let custom = [
                ("industry", params.industry),
                ("company_size", params.company_size),
                ("timezone", params.timezone),
            ];
            for (key, value) in custom {
                if let Some(value) = value {
                    account.custom_attributes.insert(key.into(), Value::String(value));
                }
            }
            let account = accounts::update(tx, &account)?;
            audit::updated(
                tx,
                &actor,
                "Account",
                account_id,
                &before,
                &views::account::detail(&account),
            )?;
            Ok(account)
        })
        .await?;
    Ok(ok_json(views::account::detail(&account)))
}
