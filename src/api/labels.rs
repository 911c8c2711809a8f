//! `/api/v1/accounts/{account_id}/labels`: members list; administrators manage.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::api::body::{JsonBody, parse_params};
use crate::api::{destroy_audited, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::labels::{self, Label};
use crate::domain::validation;
use crate::error::{ApiError, ApiResult};
use crate::services::audit;
use crate::state::AppState;
use crate::views;

/// Writable label attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LabelParams {
    title: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    description: Option<Option<String>>,
    color: Option<String>,
    show_on_sidebar: Option<bool>,
}

fn apply(conn: &rusqlite::Connection, label: &mut Label, params: LabelParams) -> ApiResult<()> {
    if let Some(title) = params.title {
        label.title = validation::label_title(&title).map_err(|msg| ApiError::invalid("title", msg))?;
    }
    if label.title.is_empty() {
        return Err(ApiError::invalid("title", "Title can't be blank"));
    }
    if labels::title_taken(conn, label.account_id, &label.title, label.id)? {
        return Err(ApiError::invalid("title", "Title has already been taken"));
    }
    if let Some(description) = params.description {
        label.description = description;
    }
    if let Some(color) = params.color {
        label.color = validation::hex_color(&color).map_err(|msg| ApiError::invalid("color", msg))?;
    }
    if let Some(show) = params.show_on_sidebar {
        label.show_on_sidebar = show;
    }
    Ok(())
}

/// `GET …/labels`
pub async fn index(state: web::Data<AppState>, member: AccountMember) -> ApiResult<HttpResponse> {
    let account_id = member.account_id();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(labels::list(conn, account_id)?) })
        .await?;
    Ok(ok_json(views::envelope::payload(
        rows.iter().map(views::label::label).collect::<Vec<_>>(),
    )))
}

/// `GET …/labels/{id}` (administrators)
pub async fn show(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    let (account_id, id) = path.into_inner();
    let label = state
        .db
        .read(move |conn| labels::find(conn, account_id, id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(ok_json(views::label::label(&label)))
}

/// `POST …/labels` (administrators)
pub async fn create(
    state: web::Data<AppState>,
    member: AccountMember,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    let params: LabelParams = parse_params(body.require("label")?)?;
    let actor = member.actor();
    let label = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut label = Label {
                id: 0,
                account_id: actor.account_id,
                title: String::new(),
                description: None,
                color: "#1f93ff".into(),
                show_on_sidebar: false,
            };
            apply(tx, &mut label, params)?;
            let label = labels::save(tx, &label)?;
            let view = views::label::label(&label);
            audit::created(tx, &actor, "Label", label.id, &view)?;
            Ok(label)
        })
        .await?;
    Ok(ok_json(views::label::label(&label)))
}

/// `PATCH …/labels/{id}` (administrators)
pub async fn update(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
    body: JsonBody,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    let (account_id, id) = path.into_inner();
    let params: LabelParams = parse_params(body.require("label")?)?;
    let actor = member.actor();
    let label = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut label = labels::find(tx, account_id, id)?.ok_or(ApiError::NotFound)?;
            let before = views::label::label(&label);
            apply(tx, &mut label, params)?;
            let label = labels::save(tx, &label)?;
            let after = views::label::label(&label);
            audit::updated(tx, &actor, "Label", id, &before, &after)?;
            Ok(label)
        })
        .await?;
    Ok(ok_json(views::label::label(&label)))
}

/// `DELETE …/labels/{id}` (administrators)
pub async fn destroy(
    state: web::Data<AppState>,
    member: AccountMember,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    member.require_admin()?;
    let (_, id) = path.into_inner();
    let find = |c: &rusqlite::Connection, a: &audit::Actor, id| labels::find(c, a.account_id, id);
    destroy_audited(
        &state,
        member.actor(),
        "Label",
        id,
        find,
        labels::delete,
        views::label::label,
    )
    .await?;
    Ok(head_ok())
}
