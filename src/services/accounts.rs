//! Account attribute changes shared by the Platform API and the account endpoint.

use serde_json::{Map, Value};

use crate::db::accounts::{Account, AccountStatus};
use crate::domain::validation;
use crate::error::{ApiError, ApiResult};

/// Attributes a caller may set on an account; `None` leaves a field unchanged.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub locale: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub domain: Option<Option<String>>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    pub support_email: Option<Option<String>>,
    pub status: Option<String>,
    pub limits: Option<Map<String, Value>>,
    pub custom_attributes: Option<Map<String, Value>>,
    pub features: Option<Map<String, Value>>,
}

/// Validate `changes` and apply them to `account` (in memory).
pub fn apply(account: &mut Account, changes: AccountChanges) -> ApiResult<()> {
    if let Some(name) = changes.name {
        account.name = crate::services::users::validate_name(&name)?;
    }
    if let Some(locale) = changes.locale {
        if !validation::is_locale(&locale) {
            return Err(ApiError::invalid(
                "locale",
                format!("Locale '{locale}' is not a supported locale"),
            ));
        }
        account.locale = locale;
    }
    if let Some(domain) = changes.domain {
        let domain = domain.filter(|d| !d.trim().is_empty());
        if domain.as_ref().is_some_and(|d| d.chars().count() > 100) {
            return Err(ApiError::invalid(
                "domain",
                "Domain is too long (maximum is 100 characters)",
            ));
        }
        account.domain = domain;
    }
    if let Some(email) = changes.support_email {
        account.support_email = match email.filter(|e| !e.trim().is_empty()) {
            None => None,
            Some(email) => Some(
                validation::normalize_email(&email)
                    .ok_or_else(|| ApiError::invalid("support_email", "Support email is invalid"))?,
            ),
        };
    }
    if let Some(status) = changes.status {
        account.status = AccountStatus::parse(&status).ok_or_else(|| {
            ApiError::invalid(
                "status",
                format!("Status '{status}' is not a valid status (active, suspended)"),
            )
        })?;
    }
    if let Some(limits) = changes.limits {
        account.limits = Value::Object(limits);
    }
    if let Some(custom) = changes.custom_attributes {
        account.custom_attributes = custom;
    }
    if let Some(features) = changes.features {
        crate::domain::features::apply(&mut account.features, &features)
            .map_err(|msg| ApiError::invalid("features", msg))?;
    }
    Ok(())
}
