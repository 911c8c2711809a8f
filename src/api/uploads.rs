//! Message bodies that may carry files: JSON, or `multipart/form-data` with `attachments[]`.
//! Files are streamed to `<data dir>/uploads` under server-generated names as they arrive; the
//! caller records them or calls [`StoredFiles::discard`].

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use actix_multipart::Multipart;
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use futures_util::StreamExt;
use serde_json::{Map, Value};
use tokio::io::AsyncWriteExt;

use crate::api::body::JsonBody;
use crate::domain::attachments::{MAX_FILES_PER_MESSAGE, display_name, storage_key};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Largest text field of a multipart body.
const TEXT_FIELD_LIMIT: usize = 1024 * 1024;

/// A file written to the uploads directory.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub key: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// Files of one request, removable as a group when the request fails.
#[derive(Debug, Default)]
pub struct StoredFiles {
    pub dir: PathBuf,
    pub files: Vec<StoredFile>,
}

impl StoredFiles {
    /// Delete every file of the request (after a failure).
    pub async fn discard(&self) {
        for file in &self.files {
            let _ = tokio::fs::remove_file(self.dir.join(&file.key)).await;
        }
    }
}

/// A message request body: its attributes and any uploaded files.
#[derive(Debug, Default)]
pub struct MessageInput {
    pub attributes: Map<String, Value>,
    pub files: StoredFiles,
}

impl FromRequest for MessageInput {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
        let state = req.app_data::<web::Data<AppState>>().map(|d| d.get_ref().clone());
        if !is_multipart {
            let json = JsonBody::from_request(req, payload);
            return Box::pin(async move {
                Ok(MessageInput {
                    attributes: json.await?.resource("message"),
                    files: StoredFiles::default(),
                })
            });
        }
        let multipart = Multipart::new(req.headers(), payload.take());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal("application state missing".into()))?;
            let mut input = MessageInput {
                files: StoredFiles {
                    dir: state.config.uploads_dir(),
                    files: Vec::new(),
                },
                ..MessageInput::default()
            };
            let limit = state.config.max_upload_mb.saturating_mul(1024 * 1024);
            match read_parts(multipart, &mut input, limit).await {
                Ok(()) => Ok(input),
                Err(err) => {
                    input.files.discard().await;
                    Err(err)
                }
            }
        })
    }
}

/// `message[content]` and `content` both name `content`; `attachments[]` names files.
/// (the website widget sends `message[attachments][]`).
fn field_key(name: &str) -> String {
    let name = name.strip_suffix("[]").unwrap_or(name);
    let name = name
        .strip_prefix("message[")
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    name.trim_end_matches("[]").to_string()
}

async fn read_parts(mut multipart: Multipart, input: &mut MessageInput, limit: u64) -> ApiResult<()> {
    while let Some(field) = multipart.next().await {
        let mut field =
            field.map_err(|err| ApiError::BadRequest(format!("Malformed multipart body: {err}")))?;
        let key = field_key(field.name().unwrap_or(""));
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_string);
        match file_name {
            Some(file_name) if key == "attachments" || key == "logo" => {
                if input.files.files.len() >= MAX_FILES_PER_MESSAGE {
                    return Err(ApiError::Unprocessable(format!(
                        "Validation failed: at most {MAX_FILES_PER_MESSAGE} attachments per message"
                    )));
                }
                let content_type = field
                    .content_type()
                    .map(ToString::to_string)
                    .filter(|t| t != "application/octet-stream")
                    .unwrap_or_else(|| {
                        mime_guess::from_path(&file_name)
                            .first_or_octet_stream()
                            .to_string()
                    });
                let stored = StoredFile {
                    key: storage_key(&file_name),
                    file_name: display_name(&file_name),
                    content_type,
                    size: 0,
                };
                input.files.files.push(stored);
                let index = input.files.files.len() - 1;
                let path = input.files.dir.join(&input.files.files[index].key);
                let mut out = tokio::fs::File::create(&path)
                    .await
                    .map_err(|e| ApiError::Internal(format!("creating {}: {e}", path.display())))?;
                let mut size: u64 = 0;
                while let Some(chunk) = field.next().await {
                    let chunk = chunk
                        .map_err(|err| ApiError::BadRequest(format!("Malformed multipart body: {err}")))?;
                    size += chunk.len() as u64;
                    if size > limit {
                        return Err(ApiError::PayloadTooLarge);
                    }
                    out.write_all(&chunk)
                        .await
                        .map_err(|e| ApiError::Internal(format!("writing upload: {e}")))?;
                }
                out.flush()
                    .await
                    .map_err(|e| ApiError::Internal(format!("writing upload: {e}")))?;
                input.files.files[index].size = i64::try_from(size).unwrap_or(i64::MAX);
            }
            _ => {
                let mut text = Vec::new();
                while let Some(chunk) = field.next().await {
                    let chunk = chunk
                        .map_err(|err| ApiError::BadRequest(format!("Malformed multipart body: {err}")))?;
                    if text.len() + chunk.len() > TEXT_FIELD_LIMIT {
                        return Err(ApiError::PayloadTooLarge);
                    }
                    text.extend_from_slice(&chunk);
                }
                let text = String::from_utf8(text)
                    .map_err(|_| ApiError::BadRequest(format!("Field {key} is not UTF-8")))?;
                let value = match key.as_str() {
                    "private" => Value::Bool(text == "true" || text == "1"),
                    _ => Value::String(text),
                };
                input.attributes.insert(key, value);
            }
        }
    }
    Ok(())
}

/// Record stored files as attachments of a message (inside the message's transaction).
pub fn record(
    conn: &rusqlite::Connection,
    account_id: i64,
    message_id: i64,
    files: &[StoredFile],
) -> ApiResult<()> {
    use crate::db::attachments::{self, Attachment};
    use crate::domain::attachments::{extension, file_type};
    for file in files {
        attachments::insert(
            conn,
            &Attachment {
                id: 0,
                account_id,
                message_id,
                file_type: file_type(&file.content_type),
                storage_key: Some(file.key.clone()),
                file_name: Some(file.file_name.clone()),
                content_type: Some(file.content_type.clone()),
                byte_size: file.size,
                extension: extension(&file.file_name),
                created_at: 0,
            },
        )?;
    }
    Ok(())
}
