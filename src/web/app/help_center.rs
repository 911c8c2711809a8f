//! The help-center editor (administrators, as the API's ArticlePolicy for writes):
//! `/app/accounts/{account_id}/portals` lists portals, `…/portals/{slug}/articles` their
//! articles, and one article's form writes, previews (rendered as the public page renders it,
//! nothing saved), publishes or archives it through `services::articles::apply` with an audit
//! entry, as `POST/PATCH …/articles` does.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use askama::Template;

use super::session::{AppMember, FormFields, Posted};
use super::{Chrome, PageError, PageResult, page_response, remember_theme, see_other};
use crate::db::articles::{self, Article, ArticleFilter};
use crate::db::portals::{self, Portal};
use crate::db::{categories, now_ms};
use crate::domain::help_center::ArticleStatus;
use crate::error::{ApiError, ApiResult};
use crate::services::articles::{ArticleParams, apply};
use crate::services::audit;
use crate::state::AppState;
use crate::views;
use crate::web::help_center::article_markdown::render as render_markdown;

fn admin_only(app: &AppMember) -> Result<(), PageError> {
    if app.member.is_admin() {
        Ok(())
    } else {
        Err(PageError::NotFound(app.t))
    }
}

/// One article in the editor's list.
pub struct ArticleRow {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub locale: String,
}

/// The portals and the chosen portal's articles.
#[derive(Template)]
#[template(path = "app/help_center.html")]
pub struct ArticlesPage {
    pub chrome: Chrome,
    pub base: String,
    pub portals: Vec<(String, String, bool)>,
    pub portal_slug: String,
    pub rows: Vec<ArticleRow>,
}

fn status_of(t: &'static super::texts::AppTexts, code: i64) -> (&'static str, &'static str) {
    let s = ArticleStatus::from_code(code);
    (
        s.as_str(),
        t.article_statuses[usize::try_from(s.code()).unwrap_or(0).min(2)],
    )
}

/// `GET …/portals` and `GET …/portals/{slug}/articles`
async fn list(req: &HttpRequest, state: &AppState, app: &AppMember, slug: Option<String>) -> PageResult {
    admin_only(app)?;
    let t = app.t;
    let account_id = app.member.account_id();
    let (all, chosen, rows) = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let all = portals::list(conn, account_id)?;
            let chosen: Option<Portal> = match slug {
                Some(slug) => {
                    Some(portals::find_by_slug(conn, account_id, &slug)?.ok_or(ApiError::NotFound)?)
                }
                None => all.first().cloned(),
            };
            let rows = match &chosen {
                Some(p) => articles::list(
                    conn,
                    &ArticleFilter {
                        portal_id: p.id,
                        ..ArticleFilter::default()
                    },
                    1,
                    100,
                )?,
                None => Vec::new(),
            };
            Ok((all, chosen, rows))
        })
        .await
        .map_err(|e| PageError::api(t, e))?;
    let base = format!("/app/accounts/{account_id}/portals");
    let portal_slug = chosen.map(|p| p.slug).unwrap_or_default();
    let page = ArticlesPage {
        chrome: Chrome::for_member(app, "help_center", t.help_center, &base),
        portals: all
            .into_iter()
            .map(|p| {
                let current = p.slug == portal_slug;
                (p.slug, p.name, current)
            })
            .collect(),
        rows: rows
            .into_iter()
            .map(|a| {
                let (status, status_label) = status_of(t, a.status);
                ArticleRow {
                    id: a.id,
                    title: a.title,
                    status,
                    status_label,
                    locale: a.locale,
                }
            })
            .collect(),
        base,
        portal_slug,
    };
    Ok(remember_theme(req, page_response(StatusCode::OK, &page)))
}

/// `GET …/portals`
pub async fn portals_index(req: HttpRequest, state: web::Data<AppState>, app: AppMember) -> PageResult {
    list(&req, &state, &app, None).await
}

/// `GET …/portals/{slug}/articles`
pub async fn articles_index(
    req: HttpRequest,
    state: web::Data<AppState>,
    app: AppMember,
    path: web::Path<(i64, String)>,
) -> PageResult {
    list(&req, &state, &app, Some(path.into_inner().1)).await
}

/// The article form.
#[derive(Template)]
#[template(path = "app/article.html")]
pub struct ArticlePage {
    pub chrome: Chrome,
    pub action: String,
    pub back: String,
    pub portal_name: String,
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub description: String,
    pub content: String,
    pub category_id: String,
    pub categories: Vec<(String, String)>,
    pub status: &'static str,
    pub status_label: &'static str,
    pub public_url: String,
    pub preview_html: String,
    pub error: String,
}

struct Loaded {
    portal: Portal,
    article: Article,
    categories: Vec<(String, String)>,
}

async fn load(state: &AppState, app: &AppMember, slug: String, id: Option<i64>) -> Result<Loaded, PageError> {
    let t = app.t;
    let account_id = app.member.account_id();
    state
        .db
        .read(move |conn| -> ApiResult<Loaded> {
            let portal = portals::find_by_slug(conn, account_id, &slug)?.ok_or(ApiError::NotFound)?;
            let article = match id {
                Some(id) => articles::find(conn, portal.id, id)?.ok_or(ApiError::NotFound)?,
                None => Article {
                    locale: portal.default_locale(),
                    ..Article::default()
                },
            };
            let categories = categories::list(conn, portal.id, None)?
                .into_iter()
                .map(|c| (c.id.to_string(), format!("{} ({})", c.name, c.locale)))
                .collect();
            Ok(Loaded {
                portal,
                article,
                categories,
            })
        })
        .await
        .map_err(|e| PageError::api(t, e))
}

fn form_page(app: &AppMember, loaded: &Loaded, status: StatusCode) -> (StatusCode, ArticlePage) {
    let t = app.t;
    let a = &loaded.article;
    let account_id = app.member.account_id();
    let back = format!(
        "/app/accounts/{account_id}/portals/{}/articles",
        loaded.portal.slug
    );
    let action = if a.id == 0 {
        back.clone()
    } else {
        format!("{back}/{}", a.id)
    };
    let (status_name, status_label) = status_of(t, a.status);
    let page = ArticlePage {
        chrome: Chrome::for_member(
            app,
            "help_center",
            if a.title.is_empty() {
                t.new_article
            } else {
                &a.title
            },
            &action,
        ),
        back,
        portal_name: loaded.portal.name.clone(),
        id: a.id,
        title: a.title.clone(),
        slug: a.slug.clone(),
        description: a.description.clone().unwrap_or_default(),
        content: a.content.clone().unwrap_or_default(),
        category_id: a.category_id.map(|c| c.to_string()).unwrap_or_default(),
        categories: loaded.categories.clone(),
        status: status_name,
        status_label,
        public_url: if a.status == ArticleStatus::Published.code() && !a.slug.is_empty() {
            format!("/hc/{}/articles/{}", loaded.portal.slug, a.slug)
        } else {
            String::new()
        },
        preview_html: String::new(),
        error: String::new(),
        action,
    };
    (status, page)
}

/// `GET …/portals/{slug}/articles/new`
pub async fn new_article(
    req: HttpRequest,
    state: web::Data<AppState>,
    app: AppMember,
    path: web::Path<(i64, String)>,
) -> PageResult {
    admin_only(&app)?;
    let loaded = load(&state, &app, path.into_inner().1, None).await?;
    let (status, page) = form_page(&app, &loaded, StatusCode::OK);
    Ok(remember_theme(&req, page_response(status, &page)))
}

/// `GET …/portals/{slug}/articles/{id}`
pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    app: AppMember,
    path: web::Path<(i64, String, i64)>,
) -> PageResult {
    admin_only(&app)?;
    let (_, slug, id) = path.into_inner();
    let loaded = load(&state, &app, slug, Some(id)).await?;
    let (status, page) = form_page(&app, &loaded, StatusCode::OK);
    Ok(remember_theme(&req, page_response(status, &page)))
}

fn params_of(form: &FormFields, current_status: i64) -> Result<ArticleParams, String> {
    let status = match form.get("intent").unwrap_or("save") {
        "publish" => ArticleStatus::Published,
        "archive" => ArticleStatus::Archived,
        "draft" => ArticleStatus::Draft,
        _ => ArticleStatus::from_code(current_status),
    };
    let category_id = match form.get("category_id").filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(
            v.parse::<i64>()
                .map_err(|_| "Category must exist in this portal".to_string())?,
        ),
    };
    let text = |key: &str| Some(form.raw(key).map(str::to_string).filter(|v| !v.trim().is_empty()));
    Ok(ArticleParams {
        title: Some(form.get("title").unwrap_or("").to_string()),
        slug: Some(form.get("slug").unwrap_or("").to_string()),
        content: text("content"),
        description: text("description"),
        category_id: Some(category_id),
        status: Some(serde_json::Value::from(status.as_str())),
        ..ArticleParams::default()
    })
}

/// The form as typed, on a refused save or a preview.
fn typed(page: &mut ArticlePage, form: &FormFields) {
    page.title = form.get("title").unwrap_or("").to_string();
    page.slug = form.get("slug").unwrap_or("").to_string();
    page.description = form.raw("description").unwrap_or("").to_string();
    page.content = form.raw("content").unwrap_or("").to_string();
    page.category_id = form.get("category_id").unwrap_or("").to_string();
}

/// `POST …/portals/{slug}/articles` (new) and `POST …/articles/{id}`: `intent` is `preview`
/// (render, save nothing), `draft`, `publish`, `archive` or `save` (keep the status).
async fn save(
    state: &AppState,
    app: AppMember,
    form: FormFields,
    slug: String,
    id: Option<i64>,
) -> PageResult {
    admin_only(&app)?;
    let t = app.t;
    let loaded = load(state, &app, slug, id).await?;
    if form.get("intent") == Some("preview") {
        let (_, mut page) = form_page(&app, &loaded, StatusCode::OK);
        typed(&mut page, &form);
        page.preview_html = render_markdown(form.raw("content").unwrap_or("")).html;
        return Ok(page_response(StatusCode::OK, &page));
    }
    let params = match params_of(&form, loaded.article.status) {
        Ok(params) => params,
        Err(error) => return refused(&app, &loaded, &form, error),
    };
    let actor = app.member.actor();
    let (portal, mut article) = (loaded.portal.clone(), loaded.article.clone());
    let result = state
        .db
        .write(move |tx| -> ApiResult<Article> {
            let before = (article.id != 0).then(|| views::help_center::article_audit(&article));
            if article.id == 0 {
                article.account_id = actor.account_id;
                article.portal_id = portal.id;
                article.author_id = Some(actor.user_id);
            }
            apply(tx, &portal, &mut article, params, now_ms() / 1000)?;
            let saved = articles::save(tx, &article)?;
            let after = views::help_center::article_audit(&saved);
            match before {
                None => audit::created(tx, &actor, "Article", saved.id, &after)?,
                Some(before) => audit::updated(tx, &actor, "Article", saved.id, &before, &after)?,
            }
            Ok(saved)
        })
        .await;
    match result {
        Ok(saved) => Ok(see_other(&format!(
            "/app/accounts/{}/portals/{}/articles/{}",
            app.member.account_id(),
            loaded.portal.slug,
            saved.id
        ))),
        Err(ApiError::Validation { message, .. } | ApiError::Unprocessable(message)) => {
            refused(&app, &loaded, &form, message)
        }
        Err(other) => Err(PageError::api(t, other)),
    }
}

fn refused(app: &AppMember, loaded: &Loaded, form: &FormFields, error: String) -> PageResult {
    let (_, mut page) = form_page(app, loaded, StatusCode::UNPROCESSABLE_ENTITY);
    typed(&mut page, form);
    page.error = error;
    Ok(page_response(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// `POST …/portals/{slug}/articles`
pub async fn create(
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, String)>,
) -> PageResult {
    let Posted { app, form } = posted;
    save(&state, app, form, path.into_inner().1, None).await
}

/// `POST …/portals/{slug}/articles/{id}`
pub async fn update(
    state: web::Data<AppState>,
    posted: Posted,
    path: web::Path<(i64, String, i64)>,
) -> PageResult {
    let Posted { app, form } = posted;
    let (_, slug, id) = path.into_inner();
    save(&state, app, form, slug, Some(id)).await
}
