//! THE route table, grouped by consumer. Literal segments are registered before templated
//! siblings so that, e.g., `/conversations/meta` never matches `/conversations/{id}`.
//!
//! Routes are registered through a [`RouteTable`], so the same functions that configure actix
//! also list every `(method, path)` ([`routes_list`], [`account_routes_list`]) without a server.

mod mobile;
mod notifications;
mod table;

use actix_web::{HttpResponse, web};

pub use self::table::RouteTable;
use crate::api::{accounts, meta, platform, profile};
use crate::error::ApiError;

/// Register every route on an actix app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
        .app_data(
            web::QueryConfig::default().error_handler(|err, _| ApiError::BadRequest(err.to_string()).into()),
        );
    app_routes(&mut RouteTable::new(cfg));
    cfg.default_service(web::to(not_found));
}

/// Every route of the app as `(method, full path)`, in matching order.
pub fn routes_list() -> Vec<(&'static str, String)> {
    let mut table = RouteTable::listing();
    app_routes(&mut table);
    table.into_list()
}

/// The routes below `/api/v1/accounts/{account_id}` as `(method, path relative to it)`, in
/// matching order (the account itself is the empty path).
pub fn account_routes_list() -> Vec<(&'static str, String)> {
    let mut table = RouteTable::listing();
    account_routes(&mut table);
    table.into_list()
}

/// Every route, in the order actix tries them.
fn app_routes(t: &mut RouteTable<'_>) {
    t.configure(platform_api)
        .configure(application_api)
        .configure(client_api)
        .configure(sign_in)
        .get("/api", meta::index)
        .get("/health", meta::health)
        .get("/attachments/{key}", crate::api::attachments::serve)
        .configure(pages);
}

/// devise_token_auth's sign-in routes (mobile app, dashboard) and the live socket.
fn sign_in(t: &mut RouteTable<'_>) {
    use crate::api::sessions;
    t.post("/auth/sign_in", sessions::sign_in)
        .get("/auth/validate_token", sessions::validate_token)
        .delete("/auth/sign_out", sessions::sign_out)
        .get("/cable", crate::live::socket::cable);
}

/// Server-rendered pages and their assets.
fn pages(t: &mut RouteTable<'_>) {
    use crate::web::{assets, survey};
    t.configure(help_center_pages)
        .get("/survey/responses/{uuid}", survey::show)
        .post("/survey/responses/{uuid}", survey::submit)
        .get("/static/{file}", assets::serve)
        .get("/brand/{file}", assets::brand);
}

/// The public help center. Literal segments come before `{locale}` so that `articles`,
/// `sitemap.xml` and `logo` are never read as a locale.
fn help_center_pages(t: &mut RouteTable<'_>) {
    use crate::web::help_center::{feeds, home, pages, search_page};
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

/// Help center administration: portals by slug, their categories and articles.
fn help_center_routes(t: &mut RouteTable<'_>) {
    use crate::api::help_center::{article_bulk_actions as bulk_actions, articles, categories, portals};
    t.get("/portals", portals::index)
        .post("/portals", portals::create)
        .get("/portals/{slug}", portals::show)
        .patch("/portals/{slug}", portals::update)
        .put("/portals/{slug}", portals::update)
        .delete("/portals/{slug}", portals::destroy)
        .patch("/portals/{slug}/archive", portals::archive)
        .post("/portals/{slug}/logo", portals::upload_logo)
        .put("/portals/{slug}/logo", portals::upload_logo)
        .delete("/portals/{slug}/logo", portals::delete_logo)
        .post("/portals/{slug}/send_instructions", portals::send_instructions)
        .get("/portals/{slug}/categories", categories::index)
        .post("/portals/{slug}/categories", categories::create)
        .post("/portals/{slug}/categories/reorder", categories::reorder)
        .get("/portals/{slug}/categories/{id}", categories::show)
        .patch("/portals/{slug}/categories/{id}", categories::update)
        .put("/portals/{slug}/categories/{id}", categories::update)
        .delete("/portals/{slug}/categories/{id}", categories::destroy)
        .post(
            "/portals/{slug}/articles/bulk_actions/translate",
            bulk_actions::bulk_translate,
        )
        .patch(
            "/portals/{slug}/articles/bulk_actions/update_status",
            bulk_actions::bulk_update_status,
        )
        .patch(
            "/portals/{slug}/articles/bulk_actions/update_category",
            bulk_actions::bulk_update_category,
        )
        .delete(
            "/portals/{slug}/articles/bulk_actions/delete_articles",
            bulk_actions::bulk_delete,
        )
        .get("/portals/{slug}/articles", articles::index)
        .post("/portals/{slug}/articles", articles::create)
        .post("/portals/{slug}/articles/reorder", articles::reorder)
        .get("/portals/{slug}/articles/{id}", articles::show)
        .patch("/portals/{slug}/articles/{id}", articles::update)
        .put("/portals/{slug}/articles/{id}", articles::update)
        .delete("/portals/{slug}/articles/{id}", articles::destroy)
        .get("/search/articles", articles::search);
}

/// `/platform/api/v1`: platform-app tokens.
fn platform_api(t: &mut RouteTable<'_>) {
    use platform::{account_users, accounts, agent_bots, users};
    t.scope("/platform/api/v1", |t| {
        t.post("/accounts", accounts::create)
            .get("/accounts/{account_id}", accounts::show)
            .patch("/accounts/{account_id}", accounts::update)
            .put("/accounts/{account_id}", accounts::update)
            .delete("/accounts/{account_id}", accounts::destroy)
            .get("/accounts/{account_id}/account_users", account_users::index)
            .post("/accounts/{account_id}/account_users", account_users::create)
            .delete("/accounts/{account_id}/account_users", account_users::destroy)
            .get("/agent_bots", agent_bots::index)
            .post("/agent_bots", agent_bots::create)
            .get("/agent_bots/{id}", agent_bots::show)
            .patch("/agent_bots/{id}", agent_bots::update)
            .put("/agent_bots/{id}", agent_bots::update)
            .delete("/agent_bots/{id}", agent_bots::destroy)
            .post("/users", users::create)
            .get("/users/{id}", users::show)
            .patch("/users/{id}", users::update)
            .put("/users/{id}", users::update)
            .delete("/users/{id}", users::destroy)
            .get("/users/{id}/login", users::login);
    });
}

/// `/api/v1`: user and agent-bot tokens.
fn application_api(t: &mut RouteTable<'_>) {
    t.scope("/api/v1", |t| {
        t.get("/profile", profile::show)
            .put("/profile", profile::update)
            .patch("/profile", profile::update)
            .post("/profile/availability", profile::availability)
            .put("/profile/set_active_account", profile::set_active_account)
            .post(
                "/notification_subscriptions",
                crate::api::notification_subscriptions::create,
            )
            .delete(
                "/notification_subscriptions",
                crate::api::notification_subscriptions::destroy,
            )
            .scope("/accounts/{account_id}", account_routes);
    });
}

/// `/api/v1/accounts/{account_id}/…`: everything scoped to one account.
fn account_routes(t: &mut RouteTable<'_>) {
    use crate::api::contacts::{self, import_export, notes};
    use crate::api::conversations::{self as conv, actions, lists, messages};
    use crate::api::inboxes::{self, members as inbox_members};
    use crate::api::{
        agent_bots, agents, attachments, audit_logs, automation_rules, canned_responses,
        csat_responses as csat, custom_attribute_definitions as cads, custom_filters, integrations, labels,
        reporting_events, teams, webhook_deliveries, webhooks,
    };
    t.get("", accounts::show)
        .patch("", accounts::update)
        .put("", accounts::update)
        // Agents (no show: Chatwoot has none)
        .get("/agents", agents::index)
        .post("/agents", agents::create)
        .post("/agents/bulk_create", agents::bulk_create)
        .patch("/agents/{id}", agents::update)
        .put("/agents/{id}", agents::update)
        .delete("/agents/{id}", agents::destroy)
        // Agent bots
        .get("/agent_bots", agent_bots::index)
        .post("/agent_bots", agent_bots::create)
        .get("/agent_bots/{id}", agent_bots::show)
        .patch("/agent_bots/{id}", agent_bots::update)
        .put("/agent_bots/{id}", agent_bots::update)
        .delete("/agent_bots/{id}", agent_bots::destroy)
        .post(
            "/agent_bots/{id}/reset_access_token",
            agent_bots::reset_access_token,
        )
        // Teams and members
        .get("/teams", teams::index)
        .post("/teams", teams::create)
        .get("/teams/{team_id}", teams::show)
        .patch("/teams/{team_id}", teams::update)
        .put("/teams/{team_id}", teams::update)
        .delete("/teams/{team_id}", teams::destroy)
        .get("/teams/{team_id}/team_members", teams::members)
        .post("/teams/{team_id}/team_members", teams::add_members)
        .patch("/teams/{team_id}/team_members", teams::replace_members)
        .delete("/teams/{team_id}/team_members", teams::remove_members)
        // Inboxes, members, bots
        .get("/inboxes", inboxes::index)
        .post("/inboxes", inboxes::create)
        .get("/inboxes/{id}", inboxes::show)
        .patch("/inboxes/{id}", inboxes::update)
        .put("/inboxes/{id}", inboxes::update)
        .delete("/inboxes/{id}", inboxes::destroy)
        .get("/inboxes/{id}/assignable_agents", inboxes::assignable_agents)
        .get("/inboxes/{id}/agent_bot", inboxes::agent_bot)
        .post("/inboxes/{id}/set_agent_bot", inboxes::set_agent_bot)
        .post("/inbox_members", inbox_members::create)
        .patch("/inbox_members", inbox_members::update)
        .delete("/inbox_members", inbox_members::destroy)
        .get("/inbox_members/{inbox_id}", inbox_members::show)
        // Canned responses (no show)
        .get("/canned_responses", canned_responses::index)
        .post("/canned_responses", canned_responses::create)
        .patch("/canned_responses/{id}", canned_responses::update)
        .put("/canned_responses/{id}", canned_responses::update)
        .delete("/canned_responses/{id}", canned_responses::destroy)
        // Custom attribute definitions
        .get("/custom_attribute_definitions", cads::index)
        .post("/custom_attribute_definitions", cads::create)
        .get("/custom_attribute_definitions/{id}", cads::show)
        .patch("/custom_attribute_definitions/{id}", cads::update)
        .put("/custom_attribute_definitions/{id}", cads::update)
        .delete("/custom_attribute_definitions/{id}", cads::destroy)
        // Custom filters
        .get("/custom_filters", custom_filters::index)
        .post("/custom_filters", custom_filters::create)
        .get("/custom_filters/{id}", custom_filters::show)
        .patch("/custom_filters/{id}", custom_filters::update)
        .put("/custom_filters/{id}", custom_filters::update)
        .delete("/custom_filters/{id}", custom_filters::destroy)
        // Help center administration
        .configure(help_center_routes)
        .configure(notifications::notification_routes)
        // Labels
        .get("/labels", labels::index)
        .post("/labels", labels::create)
        .get("/labels/{id}", labels::show)
        .patch("/labels/{id}", labels::update)
        .put("/labels/{id}", labels::update)
        .delete("/labels/{id}", labels::destroy)
        // Webhooks (no show)
        .get("/webhooks", webhooks::index)
        .post("/webhooks", webhooks::create)
        .patch("/webhooks/{id}", webhooks::update)
        .put("/webhooks/{id}", webhooks::update)
        .delete("/webhooks/{id}", webhooks::destroy)
        .get("/webhooks/{id}/deliveries", webhook_deliveries::index)
        .post(
            "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
            webhook_deliveries::redeliver,
        )
        // Integrations
        .get("/integrations/apps", integrations::apps)
        .get("/integrations/apps/{id}", integrations::app)
        .post("/integrations/hooks", integrations::create)
        .get("/integrations/hooks/{id}", integrations::show)
        .patch("/integrations/hooks/{id}", integrations::update)
        .put("/integrations/hooks/{id}", integrations::update)
        .delete("/integrations/hooks/{id}", integrations::destroy)
        // Automation rules
        .get("/automation_rules", automation_rules::index)
        .post("/automation_rules", automation_rules::create)
        .get("/automation_rules/{id}", automation_rules::show)
        .patch("/automation_rules/{id}", automation_rules::update)
        .put("/automation_rules/{id}", automation_rules::update)
        .delete("/automation_rules/{id}", automation_rules::destroy)
        .post("/automation_rules/{id}/clone", automation_rules::clone)
        // Audit logs
        .get("/audit_logs", audit_logs::index)
        // CSAT responses (literal segments before `{id}`)
        .get("/csat_survey_responses", csat::index)
        .get("/csat_survey_responses/metrics", csat::metrics)
        .get("/csat_survey_responses/download", csat::download)
        .patch("/csat_survey_responses/{id}", csat::update)
        // Contacts (literal segments before `{id}`)
        .get("/contacts", contacts::lists::index)
        .post("/contacts", contacts::create)
        .get("/contacts/search", contacts::lists::search)
        .get("/contacts/active", contacts::lists::active)
        .post("/contacts/filter", contacts::lists::filter)
        .post("/contacts/import", import_export::import)
        .post("/contacts/export", import_export::export)
        .post("/actions/contact_merge", contacts::merge)
        .post("/contact_inboxes/filter", contacts::filter_contact_inbox)
        .get("/contacts/{id}", contacts::show)
        .patch("/contacts/{id}", contacts::update)
        .put("/contacts/{id}", contacts::update)
        .delete("/contacts/{id}", contacts::destroy)
        .post(
            "/contacts/{id}/destroy_custom_attributes",
            contacts::destroy_custom_attributes,
        )
        .get("/contacts/{id}/labels", contacts::labels)
        .post("/contacts/{id}/labels", contacts::set_labels)
        .post("/contacts/{id}/contact_inboxes", contacts::create_contact_inbox)
        .get(
            "/contacts/{id}/contactable_inboxes",
            contacts::contactable_inboxes,
        )
        .get("/contacts/{id}/conversations", contacts::conversations)
        .get("/contacts/{id}/notes", notes::index)
        .post("/contacts/{id}/notes", notes::create)
        .get("/contacts/{contact_id}/notes/{id}", notes::show)
        .patch("/contacts/{contact_id}/notes/{id}", notes::update)
        .put("/contacts/{contact_id}/notes/{id}", notes::update)
        .delete("/contacts/{contact_id}/notes/{id}", notes::destroy)
        // Conversations (literal segments before `{id}`)
        .get("/conversations", lists::index)
        .post("/conversations", conv::create)
        .get("/conversations/meta", lists::meta)
        .get("/conversations/search", lists::search)
        .post("/conversations/filter", lists::filter)
        .get("/conversations/{id}", conv::show)
        .patch("/conversations/{id}", conv::update)
        .put("/conversations/{id}", conv::update)
        .delete("/conversations/{id}", conv::destroy)
        .post("/conversations/{id}/toggle_status", actions::toggle_status)
        .post("/conversations/{id}/toggle_priority", actions::toggle_priority)
        .post(
            "/conversations/{id}/toggle_typing_status",
            actions::toggle_typing_status,
        )
        .post(
            "/conversations/{id}/custom_attributes",
            actions::custom_attributes,
        )
        .get("/conversations/{id}/labels", actions::labels)
        .post("/conversations/{id}/labels", actions::set_labels)
        .post("/conversations/{id}/assignments", actions::assign)
        .post("/conversations/{id}/update_last_seen", actions::update_last_seen)
        .post("/conversations/{id}/unread", actions::unread)
        .post("/conversations/{id}/mute", actions::mute)
        .post("/conversations/{id}/unmute", actions::unmute)
        .post("/conversations/{id}/transcript", actions::transcript)
        .get("/conversations/{id}/attachments", attachments::index)
        .get(
            "/conversations/{id}/reporting_events",
            reporting_events::for_conversation,
        )
        .get("/reporting_events", reporting_events::for_account)
        .get("/conversations/{id}/messages", messages::index)
        .post("/conversations/{id}/messages", messages::create)
        .patch("/conversations/{conversation_id}/messages/{id}", messages::update)
        .put("/conversations/{conversation_id}/messages/{id}", messages::update)
        .delete(
            "/conversations/{conversation_id}/messages/{id}",
            messages::destroy,
        )
        .configure(mobile::account_routes);
}

/// `/public/api/v1/…`: customers, no token.
fn client_api(t: &mut RouteTable<'_>) {
    use crate::api::public::{contacts, conversations as conv, csat};
    t.get("/public/api/v1/csat_survey/{uuid}", csat::show)
        .put("/public/api/v1/csat_survey/{uuid}", csat::update)
        .patch("/public/api/v1/csat_survey/{uuid}", csat::update)
        .scope("/public/api/v1/inboxes/{inbox_identifier}", |t| {
            t.get("", contacts::show_inbox)
                .post("/contacts", contacts::create)
                .get("/contacts/{source_id}", contacts::show)
                .patch("/contacts/{source_id}", contacts::update)
                .put("/contacts/{source_id}", contacts::update)
                .get("/contacts/{source_id}/conversations", conv::index)
                .post("/contacts/{source_id}/conversations", conv::create)
                .get("/contacts/{source_id}/conversations/{id}", conv::show)
                .post(
                    "/contacts/{source_id}/conversations/{id}/toggle_status",
                    conv::toggle_status,
                )
                .post(
                    "/contacts/{source_id}/conversations/{id}/toggle_typing",
                    conv::toggle_typing,
                )
                .post(
                    "/contacts/{source_id}/conversations/{id}/update_last_seen",
                    conv::update_last_seen,
                )
                .get(
                    "/contacts/{source_id}/conversations/{id}/messages",
                    conv::messages,
                )
                .post(
                    "/contacts/{source_id}/conversations/{id}/messages",
                    conv::create_message,
                )
                .patch(
                    "/contacts/{source_id}/conversations/{id}/messages/{message_id}",
                    conv::update_message,
                )
                .put(
                    "/contacts/{source_id}/conversations/{id}/messages/{message_id}",
                    conv::update_message,
                );
        });
}

/// Unknown routes (and routes not built yet) are a JSON 404.
async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(serde_json::json!({"error": "Resource could not be found"}))
}
