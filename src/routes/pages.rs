//! Server-rendered pages people open in a browser: the public help center, the CSAT survey and
//! the embedded assets.

use super::RouteTable;
use crate::web::app::{
    contacts, conversation, conversation_actions as actions, conversations, help_center as editor, login,
    profile, settings,
};
use crate::web::help_center::{feeds, home, pages, search_page};
use crate::web::{assets, survey};

/// Server-rendered pages and their assets.
pub(super) fn pages(t: &mut RouteTable<'_>) {
    t.configure(help_center_pages)
        .configure(app_pages)
        .get("/survey/responses/{uuid}", survey::show)
        .post("/survey/responses/{uuid}", survey::submit)
        .get("/static/{file}", assets::serve)
        .get("/brand/{file}", assets::brand);
}

/// The public help center. Literal segments come before `{locale}` so that `articles`,
/// `sitemap.xml` and `logo` are never read as a locale.
fn help_center_pages(t: &mut RouteTable<'_>) {
    t.get("/", home::domain_root)
        .get("/robots.txt", feeds::robots)
        .get("/hc/{slug}", pages::portal_root)
        .get("/hc/{slug}/sitemap.xml", feeds::sitemap)
        .get("/hc/{slug}/logo", feeds::logo)
        .post("/hc/{slug}/articles/{article}/feedback", pages::feedback)
        .get("/hc/{slug}/articles/{article}", pages::article)
        .get("/hc/{slug}/{locale}", home::home)
        .get("/hc/{slug}/{locale}/search", search_page::search)
        .get("/hc/{slug}/{locale}/articles.json", feeds::articles_json)
        .get("/hc/{slug}/{locale}/categories.json", feeds::categories_json)
        .get("/hc/{slug}/{locale}/categories", feeds::categories_index)
        .get(
            "/hc/{slug}/{locale}/categories/{category}/articles.json",
            feeds::category_articles_json,
        )
        .get("/hc/{slug}/{locale}/categories/{category}", pages::category);
}

/// The agent web app (`/app`): sign-in, the conversation list and one conversation with its
/// forms. Every POST handler takes `Posted` (session + CSRF check) or checks the sign-in
/// form's own token.
fn app_pages(t: &mut RouteTable<'_>) {
    const A: &str = "/app/accounts/{account_id}";
    const C: &str = "/app/accounts/{account_id}/conversations/{id}";
    let a = |rest: &str| format!("{A}{rest}");
    let c = |rest: &str| format!("{C}{rest}");
    t.get("/app", login::home)
        .get("/app/login", login::show)
        .post("/app/login", login::submit)
        .post("/app/logout", login::logout)
        .get("/app/forgot_password", login::forgot)
        .get("/app/password", login::set_password_form)
        .post("/app/password", login::set_password)
        .get(A, login::account_root)
        .post(&a("/switch"), login::switch)
        .get(&a("/conversations"), conversations::index)
        .get(C, conversation::show)
        .get(&c("/thread"), conversation::thread)
        .post(&c("/messages"), actions::reply)
        .post(&c("/status"), actions::status)
        .post(&c("/priority"), actions::priority)
        .post(&c("/assignee"), actions::assignee)
        .post(&c("/team"), actions::team)
        .post(&c("/labels"), actions::labels)
        .post(&c("/mute"), actions::mute)
        .post(&c("/typing"), actions::typing)
        .get(&a("/contacts"), contacts::index)
        .get(&a("/contacts/{id}"), contacts::show)
        .post(&a("/contacts/{id}"), contacts::update)
        .post(&a("/contacts/{id}/notes"), contacts::add_note)
        .get(&a("/profile"), profile::show)
        .post(&a("/profile"), profile::update)
        .post(&a("/profile/availability"), profile::availability)
        .post(&a("/profile/password"), profile::password)
        .post(&a("/profile/token"), profile::reset_token)
        .get(&a("/settings"), settings::index)
        .post(&a("/settings/teams"), settings::create_team)
        .post(&a("/settings/teams/{id}/delete"), settings::delete_team)
        .post(&a("/settings/labels"), settings::create_label)
        .post(&a("/settings/labels/{id}/delete"), settings::delete_label)
        .post(&a("/settings/canned_responses"), settings::create_canned)
        .post(
            &a("/settings/canned_responses/{id}/delete"),
            settings::delete_canned,
        )
        .post(&a("/settings/agents"), settings::invite_agent)
        .post(&a("/settings/agents/{id}/link"), settings::agent_link)
        .get(&a("/settings/{tab}"), settings::show)
        .get(&a("/portals"), editor::portals_index)
        .get(&a("/portals/{slug}/articles"), editor::articles_index)
        .post(&a("/portals/{slug}/articles"), editor::create)
        .get(&a("/portals/{slug}/articles/new"), editor::new_article)
        .get(&a("/portals/{slug}/articles/{id}"), editor::edit)
        .post(&a("/portals/{slug}/articles/{id}"), editor::update);
}
