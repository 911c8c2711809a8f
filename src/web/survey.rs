//! The CSAT survey page `/survey/responses/{conversation_uuid}`: server-rendered, works without
//! JavaScript (form POST, then a redirect back), enhanced in place when JavaScript runs.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::PublicClient;
use crate::db::{accounts, csat, inboxes, now_ms};
use crate::error::{ApiError, ApiResult};
use crate::services::csat::survey;
use crate::services::csat::{LOCK_DAYS, answer};
use crate::state::AppState;
use crate::web::i18n::{Texts, texts};
use crate::web::{PAGE_CSP, colors, markdown};

/// One rating button.
pub struct RatingChoice {
    pub value: i64,
    pub symbol: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// What the page shows.
#[derive(Template)]
#[template(path = "survey.html")]
pub struct SurveyPage {
    pub t: &'static Texts,
    pub uuid: String,
    pub inbox_name: String,
    /// First letter of the inbox name, for the avatar.
    pub inbox_initial: String,
    pub brand: String,
    /// `brand` without `#`, for the brand stylesheet URL.
    pub brand_hex: String,
    pub intro_html: String,
    pub state: &'static str,
    pub choices: Vec<RatingChoice>,
    pub rating: i64,
    pub feedback: String,
    pub error: String,
}

const EMOJI: [&str; 5] = ["😞", "😑", "😐", "😀", "😍"];
const STARS: [&str; 5] = ["★", "★★", "★★★", "★★★★", "★★★★★"];

fn html(status: actix_web::http::StatusCode, page: &SurveyPage) -> ApiResult<HttpResponse> {
    let body = page
        .render()
        .map_err(|e| ApiError::Internal(format!("rendering survey: {e}")))?;
    Ok(HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header(("Content-Security-Policy", PAGE_CSP))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(body))
}

fn missing_page(uuid: &str) -> SurveyPage {
    SurveyPage {
        t: texts("en"),
        uuid: uuid.to_string(),
        inbox_name: String::new(),
        inbox_initial: String::new(),
        brand: colors::accessible(None),
        brand_hex: colors::accessible(None).trim_start_matches('#').to_string(),
        intro_html: String::new(),
        state: "missing",
        choices: Vec::new(),
        rating: 0,
        feedback: String::new(),
        error: String::new(),
    }
}

/// Build the page for a survey, or `None` when the uuid leads nowhere.
fn load(conn: &rusqlite::Connection, uuid: &str, error: String) -> ApiResult<Option<SurveyPage>> {
    let (c, message) = match survey(conn, uuid) {
        Ok(found) => found,
        Err(ApiError::NotFound) => return Ok(None),
        Err(other) => return Err(other),
    };
    let inbox = inboxes::find(conn, c.account_id, c.inbox_id)?.ok_or(ApiError::NotFound)?;
    let account = accounts::find(conn, c.account_id)?.ok_or(ApiError::NotFound)?;
    let t = texts(&account.locale);
    let response = csat::for_message(conn, message.id)?;
    let custom = inbox
        .csat_config
        .get("message")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let intro = custom.map_or_else(|| t.fallback.replace("{inbox}", &inbox.name), str::to_string);
    let stars = message
        .content_attributes
        .get("display_type")
        .and_then(Value::as_str)
        == Some("star");
    let rating = response.as_ref().map_or(0, |r| r.rating);
    let feedback = response
        .as_ref()
        .and_then(|r| r.feedback_message.clone())
        .unwrap_or_default();
    let expired = (now_ms() - message.created_at).div_euclid(86_400_000) > LOCK_DAYS;
    let state = match (expired, rating, feedback.is_empty()) {
        (true, _, _) => "expired",
        (false, 0, _) => "rate",
        (false, _, true) => "feedback",
        (false, _, false) => "done",
    };
    let symbols = if stars { STARS } else { EMOJI };
    let choices = (0..5)
        .map(|i| RatingChoice {
            value: i as i64 + 1,
            symbol: symbols[i],
            label: t.ratings[i],
            selected: rating == i as i64 + 1,
        })
        .collect();
    Ok(Some(SurveyPage {
        t,
        uuid: uuid.to_string(),
        inbox_name: inbox.name.clone(),
        inbox_initial: inbox
            .name
            .chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default(),
        brand_hex: colors::accessible(inbox.channel.setting("widget_color").as_str())
            .trim_start_matches('#')
            .to_string(),
        brand: colors::accessible(inbox.channel.setting("widget_color").as_str()),
        intro_html: markdown::render(&intro),
        state,
        choices,
        rating,
        feedback,
        error,
    }))
}

/// `GET /survey/responses/{uuid}`
pub async fn show(
    state: web::Data<AppState>,
    _: PublicClient,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let uuid = path.into_inner();
    let lookup = uuid.clone();
    let page = state
        .db
        .read(move |conn| load(conn, &lookup, String::new()))
        .await?;
    match page {
        Some(page) => html(actix_web::http::StatusCode::OK, &page),
        None => html(actix_web::http::StatusCode::NOT_FOUND, &missing_page(&uuid)),
    }
}

/// The form of the page (no JavaScript needed).
#[derive(Debug, Deserialize)]
pub struct SurveyForm {
    rating: Option<String>,
    feedback_message: Option<String>,
}

/// `POST /survey/responses/{uuid}`: record the answer, then 303 back to the page.
pub async fn submit(
    state: web::Data<AppState>,
    _: PublicClient,
    path: web::Path<String>,
    form: web::Form<SurveyForm>,
) -> ApiResult<HttpResponse> {
    let uuid = path.into_inner();
    let form = form.into_inner();
    let submitted = json!({"csat_survey_response": {
        "rating": form.rating.unwrap_or_default(),
        "feedback_message": form.feedback_message.unwrap_or_default(),
    }});
    let lookup = uuid.clone();
    let outcome = state
        .db
        .write(move |tx| -> ApiResult<Result<(), String>> {
            let (c, message) = survey(tx, &lookup)?;
            match answer(tx, &c, &message, &submitted, now_ms()) {
                Ok(_) => Ok(Ok(())),
                Err(ApiError::Unprocessable(text)) => Ok(Err(text)),
                Err(ApiError::Validation { message, .. }) => Ok(Err(message)),
                Err(other) => Err(other),
            }
        })
        .await;
    match outcome {
        Ok(Ok(())) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/survey/responses/{uuid}")))
            .finish()),
        Ok(Err(error)) => {
            let lookup = uuid.clone();
            let page = state.db.read(move |conn| load(conn, &lookup, error)).await?;
            match page {
                Some(page) => html(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &page),
                None => html(actix_web::http::StatusCode::NOT_FOUND, &missing_page(&uuid)),
            }
        }
        Err(ApiError::NotFound) => html(actix_web::http::StatusCode::NOT_FOUND, &missing_page(&uuid)),
        Err(other) => Err(other),
    }
}
