//! `ApiError`: every way a request can fail, rendered with Chatwoot's status codes and bodies.
//! The client sees Chatwoot's message; unexpected failures are logged and answered opaquely.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use crate::db::DbError;

/// A request failure with the exact status and JSON body Chatwoot sends for it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No credentials at all (devise's default body).
    #[error("no credentials")]
    NoCredentials,
    /// An `api_access_token` that matches nothing.
    #[error("invalid access token")]
    InvalidAccessToken,
    /// Platform API without a platform-app token.
    #[error("invalid platform access token")]
    InvalidPlatformToken,
    /// Platform app touching an object it did not create.
    #[error("non permissible resource")]
    NonPermissible,
    /// Bot or platform-app token on an endpoint reserved for users.
    #[error("bot not allowed here")]
    BotNotAllowed,
    /// Bot token on an account it does not belong to.
    #[error("bot not authorized for account")]
    BotNotInAccount,
    /// User who is not a member of the account in the path.
    #[error("not a member of the account")]
    NotAccountMember,
    /// Account in the path is suspended.
    #[error("account suspended")]
    AccountSuspended,
    /// Member ids that are not users of the account (team and inbox members).
    #[error("invalid user ids")]
    InvalidUserIds,
    /// Account plan limit (agents, inboxes) reached: 402.
    #[error("account limit exceeded")]
    LimitExceeded,
    /// Other 401 with `{"error": text}` (public identity validation).
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Role/policy denial: Chatwoot answers 401, not 403.
    #[error("policy denial")]
    Forbidden,
    /// Unknown record.
    #[error("not found")]
    NotFound,
    /// Model validation failure: 422 `{"message","attributes"}`.
    #[error("validation failed: {message}")]
    Validation {
        message: String,
        attributes: Vec<String>,
    },
    /// `params.require(:key)` failure.
    #[error("param missing: {0}")]
    ParamMissing(String),
    /// 422 with an errors hash: `{"error": {"attr": ["message"]}}` (automation rules).
    #[error("invalid: {0}")]
    ErrorsHash(serde_json::Value),
    /// Other 422 with `{"error": text}`.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// Message status updates outside API inboxes: Chatwoot's only 403.
    #[error("message status update not allowed")]
    StatusUpdateNotAllowed,
    /// Malformed request (bad JSON, wrong path parameter type).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Body larger than the configured limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// Too many failed authentication attempts from one address.
    #[error("too many failed attempts")]
    TooManyAttempts,
    /// devise_token_auth's refusals (`/auth/*`): `{"success": false, "errors": [text]}` with
    /// 401 (bad sign-in, bad session) or 404 (sign-out without a session).
    #[error("sign-in refused: {1}")]
    Devise(StatusCode, String),
    /// 501 with `{"error": text}`: a Chatwoot feature Parlor does not offer.
    #[error("not implemented: {0}")]
    NotImplemented(&'static str),
    /// Anything unexpected; the text is logged, never sent.
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    /// A validation error on one attribute, phrased like Rails' full message.
    pub fn invalid(attribute: &str, message: impl Into<String>) -> Self {
        ApiError::Validation {
            message: message.into(),
            attributes: vec![attribute.to_string()],
        }
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        ApiError::Internal(err.to_string())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(err: rusqlite::Error) -> Self {
        ApiError::Internal(DbError::from(err).to_string())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NoCredentials
            | ApiError::InvalidAccessToken
            | ApiError::InvalidPlatformToken
            | ApiError::NonPermissible
            | ApiError::BotNotAllowed
            | ApiError::BotNotInAccount
            | ApiError::NotAccountMember
            | ApiError::AccountSuspended
            | ApiError::InvalidUserIds
            | ApiError::Unauthorized(_)
            | ApiError::Forbidden => StatusCode::UNAUTHORIZED,
            ApiError::LimitExceeded => StatusCode::PAYMENT_REQUIRED,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Validation { .. }
            | ApiError::ParamMissing(_)
            | ApiError::Unprocessable(_)
            | ApiError::ErrorsHash(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::StatusUpdateNotAllowed => StatusCode::FORBIDDEN,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Devise(status, _) => *status,
            ApiError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = match self {
            ApiError::NoCredentials => {
                json!({"errors": ["You need to sign in or sign up before continuing."]})
            }
            ApiError::InvalidAccessToken => json!({"error": "Invalid Access Token"}),
            ApiError::InvalidPlatformToken => json!({"error": "Invalid access_token"}),
            ApiError::NonPermissible => json!({"error": "Non permissible resource"}),
            ApiError::BotNotAllowed => {
                json!({"error": "Access to this endpoint is not authorized for bots"})
            }
            ApiError::BotNotInAccount => json!({"error": "Bot is not authorized to access this account"}),
            ApiError::NotAccountMember => {
                json!({"error": "You are not authorized to access this account"})
            }
            ApiError::AccountSuspended => json!({"error": "Account is suspended"}),
            ApiError::Forbidden => json!({"error": "You are not authorized to do this action"}),
            ApiError::InvalidUserIds => json!({"error": "Invalid User IDs"}),
            ApiError::LimitExceeded => {
                json!({"error": "Account limit exceeded. Please purchase more licenses"})
            }
            ApiError::NotFound => json!({"error": "Resource could not be found"}),
            ApiError::Validation { message, attributes } => {
                json!({"message": message, "attributes": attributes})
            }
            ApiError::ParamMissing(key) => {
                json!({"error": format!("param is missing or the value is empty: {key}")})
            }
            ApiError::Unprocessable(text) | ApiError::BadRequest(text) | ApiError::Unauthorized(text) => {
                json!({"error": text})
            }
            ApiError::ErrorsHash(errors) => json!({"error": errors}),
            ApiError::StatusUpdateNotAllowed => {
                json!({"error": "Message status update is only allowed for API inboxes"})
            }
            ApiError::PayloadTooLarge => json!({"error": "Request body is too large"}),
            ApiError::TooManyAttempts => {
                json!({"error": "Too many failed attempts. Please try again later."})
            }
            ApiError::Devise(_, text) => json!({"success": false, "errors": [text]}),
            ApiError::NotImplemented(text) => json!({"error": text}),
            ApiError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                json!({"error": "Internal server error"})
            }
        };
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, ApiError::TooManyAttempts) {
            response.insert_header(("Retry-After", "60"));
        }
        response.json(body)
    }
}

/// Result of handlers and services.
pub type ApiResult<T> = Result<T, ApiError>;
