//! JSON request bodies: size limit, parse errors as JSON, and Chatwoot's parameter wrapping (a
//! flat body is accepted wherever a body nested under the resource key is).

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

/// Largest JSON body accepted.
pub const JSON_LIMIT: usize = 1024 * 1024;

/// A parsed JSON object body (`{}` when the body is empty).
#[derive(Debug, Clone, Default)]
pub struct JsonBody(pub Map<String, Value>);

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared_too_large = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|len| len > JSON_LIMIT);
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_too_large {
                return Err(ApiError::PayloadTooLarge);
            }
            let mut bytes = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk
                    .map_err(|err| ApiError::BadRequest(format!("Could not read the request body: {err}")))?;
                if bytes.len() + chunk.len() > JSON_LIMIT {
                    return Err(ApiError::PayloadTooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            parse_object(&bytes).map(JsonBody)
        })
    }
}

fn parse_object(bytes: &[u8]) -> ApiResult<Map<String, Value>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::BadRequest(
            "The request body must be a JSON object".into(),
        )),
        Err(err) => Err(ApiError::BadRequest(format!(
            "Malformed JSON in the request body: {err}"
        ))),
    }
}

impl JsonBody {
    /// The attributes of `key`: the nested object when the client sent `{key: {...}}`, else the
    /// flat body (Rails' `wrap_parameters`).
    pub fn resource(&self, key: &str) -> Map<String, Value> {
        match self.0.get(key) {
            Some(Value::Object(nested)) => nested.clone(),
            _ => self.0.clone(),
        }
    }

    /// Like [`JsonBody::resource`], but an empty result is Chatwoot's
    /// `param is missing or the value is empty: key` (422).
    pub fn require(&self, key: &str) -> ApiResult<Map<String, Value>> {
        let attrs = self.resource(key);
        if attrs.is_empty() {
            Err(ApiError::ParamMissing(key.into()))
        } else {
            Ok(attrs)
        }
    }

    /// Deserialize the flat body into typed parameters.
    pub fn parse<T: DeserializeOwned>(&self) -> ApiResult<T> {
        parse_params(self.0.clone())
    }
}

/// Deserialize an attributes map into typed parameters; type mismatches are a 422 that names
/// the problem.
pub fn parse_params<T: DeserializeOwned>(attrs: Map<String, Value>) -> ApiResult<T> {
    serde_json::from_value(Value::Object(attrs))
        .map_err(|err| ApiError::Unprocessable(format!("Invalid parameters: {err}")))
}

pub use crate::domain::params::nullable;
