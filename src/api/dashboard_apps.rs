//! `/api/v1/accounts/{account_id}/dashboard_apps`: iframes shown beside a conversation. Any
//! member may manage them (Chatwoot's controller has no policy); the list is a bare array.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::Value;

use crate::api::body::JsonBody;
use crate::api::{ItemPath, Reply, State, ok_json};
use crate::auth::AccountMember;
use crate::db::dashboard_apps::{self, DashboardApp};
use crate::domain::dashboard_apps::{INVALID, content};
use crate::error::{ApiError, ApiResult};
use crate::views::dashboard_app::dashboard_app as view;

/// Apps per page of the list (Chatwoot lists every app; `page` reaches the rest).
const PER_PAGE: i64 = 100;

/// `?page=`
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// Apply `{title, content}` (either may be absent on update) and validate the result.
fn apply(app: &mut DashboardApp, body: &JsonBody) -> ApiResult<()> {
    let attrs = body.resource("dashboard_app");
    match attrs.get("title") {
        None => {}
        Some(Value::String(title)) => app.title = title.trim().to_string(),
        Some(Value::Null) => app.title.clear(),
        Some(_) => return Err(ApiError::Unprocessable("title must be a string".into())),
    }
    if app.title.is_empty() {
        return Err(ApiError::invalid("title", "Title can't be blank"));
    }
    if app.id == 0 || attrs.contains_key("content") {
        let frames = attrs
            .get("content")
            .and_then(content)
            .ok_or_else(|| ApiError::invalid("content", INVALID))?;
        app.content = Value::Array(frames);
    }
    Ok(())
}

/// `GET …/dashboard_apps`: `[app]`, oldest first.
pub async fn index(state: State, member: AccountMember, query: web::Query<PageQuery>) -> Reply {
    let account_id = member.account_id();
    let page = crate::api::page_number(query.page.as_deref());
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(dashboard_apps::page(conn, account_id, page, PER_PAGE)?) })
        .await?;
    Ok(ok_json(Value::Array(rows.iter().map(view).collect())))
}

/// `GET …/dashboard_apps/{id}`
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    let app = state
        .db
        .read(move |conn| -> ApiResult<_> {
            dashboard_apps::find(conn, account_id, id)?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(ok_json(view(&app)))
}

/// `POST …/dashboard_apps {title, content: [{type: "frame", url}]}`
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    let mut app = DashboardApp {
        id: 0,
        account_id: member.account_id(),
        user_id: Some(member.user.id),
        title: String::new(),
        content: Value::Array(Vec::new()),
        created_at: 0,
        updated_at: 0,
    };
    apply(&mut app, &body)?;
    let app = state
        .db
        .write(move |tx| -> ApiResult<_> { Ok(dashboard_apps::save(tx, &app)?) })
        .await?;
    Ok(ok_json(view(&app)))
}

/// `PATCH/PUT …/dashboard_apps/{id}`
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    let app = state
        .db
        .write(move |tx| -> ApiResult<_> {
            let mut app = dashboard_apps::find(tx, account_id, id)?.ok_or(ApiError::NotFound)?;
            apply(&mut app, &body)?;
            Ok(dashboard_apps::save(tx, &app)?)
        })
        .await?;
    Ok(ok_json(view(&app)))
}

/// `DELETE …/dashboard_apps/{id}`: 204.
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    let (account_id, id) = (member.account_id(), path.into_inner().1);
    state
        .db
        .write(move |tx| -> ApiResult<_> {
            dashboard_apps::find(tx, account_id, id)?.ok_or(ApiError::NotFound)?;
            Ok(dashboard_apps::delete(tx, account_id, id)?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
