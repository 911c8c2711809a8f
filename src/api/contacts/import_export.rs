//! `POST contacts/import` (multipart CSV) and `POST contacts/export` (CSV download).

use actix_multipart::Multipart;
use actix_web::HttpResponse;
use actix_web::http::header;
use futures_util::StreamExt;
use serde_json::{Map, Value};

use crate::api::body::JsonBody;
use crate::api::{Reply, State, head_ok};
use crate::auth::AccountMember;
use crate::db::contacts::{self, Contact, ContactKey};
use crate::error::{ApiError, ApiResult};
use crate::services::contacts::{ContactParams, apply, blank};

/// Largest CSV accepted for import.
const IMPORT_LIMIT: usize = 10 * 1024 * 1024;

/// Columns an export may contain, in Chatwoot's order.
const EXPORT_COLUMNS: &[&str] = &[
    "id",
    "name",
    "email",
    "phone_number",
    "identifier",
    "company",
    "city",
    "country",
    "created_at",
];

async fn read_csv_upload(mut multipart: Multipart) -> ApiResult<Vec<u8>> {
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| ApiError::BadRequest(format!("Malformed multipart body: {e}")))?;
        if field.name() != Some("import_file") {
            while field.next().await.is_some() {}
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("Malformed multipart body: {e}")))?;
            if bytes.len() + chunk.len() > IMPORT_LIMIT {
                return Err(ApiError::PayloadTooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(bytes);
    }
    Err(ApiError::ParamMissing("import_file".into()))
}

/// One CSV row as contact parameters (known headers only; the rest become custom attributes).
fn row_params(headers: &csv::StringRecord, record: &csv::StringRecord) -> ContactParams {
    let mut params = ContactParams::default();
    let mut additional = Map::new();
    let mut custom = Map::new();
    for (name, value) in headers.iter().zip(record.iter()) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match name.trim().to_ascii_lowercase().as_str() {
            "name" => params.name = Some(Some(value.into())),
            "email" => params.email = Some(Some(value.into())),
            "phone_number" => params.phone_number = Some(Some(value.into())),
            "identifier" => params.identifier = Some(Some(value.into())),
            "company" | "company_name" => {
                additional.insert("company_name".into(), Value::from(value));
            }
            "city" | "country" | "country_code" => {
                additional.insert(name.trim().to_ascii_lowercase(), Value::from(value));
            }
            "id" | "created_at" => {}
            other => {
                custom.insert(other.to_string(), Value::from(value));
            }
        }
    }
    params.additional_attributes = Some(additional);
    params.custom_attributes = Some(custom);
    params
}

/// Find the contact a row updates: by email, then phone, then identifier.
fn existing(
    conn: &rusqlite::Connection,
    account_id: i64,
    params: &ContactParams,
) -> ApiResult<Option<Contact>> {
    let lookups = [
        (
            ContactKey::Email,
            params.email.clone().flatten().map(|e| e.to_lowercase()),
        ),
        (ContactKey::PhoneNumber, params.phone_number.clone().flatten()),
        (ContactKey::Identifier, params.identifier.clone().flatten()),
    ];
    for (column, value) in lookups {
        let Some(value) = value else { continue };
        if let Some(contact) = contacts::find_by_key(conn, account_id, column, &value)? {
            return Ok(Some(contact));
        }
    }
    Ok(None)
}

/// `POST …/contacts/import` (administrators): multipart `import_file`. Rows create or update
/// contacts; a row that fails validation is skipped (Chatwoot reports them separately); a file
/// that is not CSV is refused whole.
pub async fn import(state: State, member: AccountMember, multipart: Multipart) -> Reply {
    member.require_admin()?;
    let bytes = read_csv_upload(multipart).await?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::Unprocessable(format!("Invalid CSV: {e}")))?
        .clone();
    if !headers.iter().any(|h| {
        matches!(
            h.trim().to_ascii_lowercase().as_str(),
            "email" | "phone_number" | "identifier" | "name"
        )
    }) {
        return Err(ApiError::Unprocessable(
            "Invalid CSV: expected a header row with name, email, phone_number or identifier".into(),
        ));
    }
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| ApiError::Unprocessable(format!("Invalid CSV: {e}")))?;
    let account_id = member.account_id();
    let skipped = state
        .db
        .write(move |tx| -> ApiResult<usize> {
            let mut skipped = 0;
            for record in &rows {
                let params = row_params(&headers, record);
                let mut contact = existing(tx, account_id, &params)?.unwrap_or_else(|| blank(account_id));
                match apply(tx, &mut contact, &params) {
                    Ok(()) => {
                        contacts::save(tx, &contact)?;
                    }
                    Err(ApiError::Validation { .. }) => skipped += 1,
                    Err(other) => return Err(other),
                }
            }
            Ok(skipped)
        })
        .await?;
    tracing::info!(skipped, "contact import finished");
    Ok(head_ok())
}

/// Spreadsheet apps run cells that start with `=`, `-`, `@` (and `+`, unless it is an E.164
/// phone number) as formulas; such cells get a leading apostrophe.
fn neutralize(cell: &str) -> String {
    let risky = match cell.chars().next() {
        Some('=' | '-' | '@' | '\t' | '\r') => true,
        Some('+') => !crate::domain::contacts::valid_phone(cell),
        _ => false,
    };
    if risky {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// `POST …/contacts/export {column_names?}` (administrators): the CSV itself (Chatwoot mails a
/// link; Parlor has no mail, so it answers with the file).
pub async fn export(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let columns: Vec<&'static str> = match body.0.get("column_names") {
        Some(Value::Array(names)) => {
            let wanted: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
            EXPORT_COLUMNS
                .iter()
                .copied()
                .filter(|c| wanted.contains(c))
                .collect()
        }
        _ => EXPORT_COLUMNS.to_vec(),
    };
    if columns.is_empty() {
        return Err(ApiError::Unprocessable(format!(
            "column_names must include some of {}",
            EXPORT_COLUMNS.join(", ")
        )));
    }
    let account_id = member.account_id();
    let csv_bytes = state
        .db
        .read(move |conn| -> ApiResult<Vec<u8>> {
            let rows = contacts::all_listable(conn, account_id)?;
            let mut writer = csv::Writer::from_writer(Vec::new());
            let write = |w: &mut csv::Writer<Vec<u8>>, record: Vec<String>| {
                w.write_record(record)
                    .map_err(|e| ApiError::Internal(e.to_string()))
            };
            write(&mut writer, columns.iter().map(|c| (*c).to_string()).collect())?;
            for contact in &rows {
                let attr = |key: &str| {
                    contact
                        .additional_attributes
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                let record = columns
                    .iter()
                    .map(|column| match *column {
                        "id" => contact.id.to_string(),
                        "name" => contact.name.clone(),
                        "email" => contact.email.clone().unwrap_or_default(),
                        "phone_number" => contact.phone_number.clone().unwrap_or_default(),
                        "identifier" => contact.identifier.clone().unwrap_or_default(),
                        "company" => attr("company_name"),
                        "city" => attr("city"),
                        "country" => attr("country"),
                        _ => crate::domain::timestamps::iso(contact.created_at),
                    })
                    .map(|cell| neutralize(&cell))
                    .collect();
                write(&mut writer, record)?;
            }
            writer.into_inner().map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"contacts.csv\"",
        ))
        .body(csv_bytes))
}
