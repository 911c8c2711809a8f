//! THE route table, grouped by consumer. Literal segments are registered before templated
//! siblings so that, e.g., `/conversations/meta` never matches `/conversations/{id}`.

use actix_web::{HttpResponse, web};

use crate::api::{accounts, meta, platform, profile};
use crate::error::ApiError;

/// Register every route on an actix app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
        .app_data(
            web::QueryConfig::default().error_handler(|err, _| ApiError::BadRequest(err.to_string()).into()),
        )
        .configure(platform_api)
        .configure(application_api)
        .configure(client_api)
        .route("/api", web::get().to(meta::index))
        .route("/health", web::get().to(meta::health))
        .route(
            "/attachments/{key}",
            web::get().to(crate::api::attachments::serve),
        )
        .configure(pages)
        .default_service(web::to(not_found));
}

/// Server-rendered pages and their assets.
fn pages(cfg: &mut web::ServiceConfig) {
    use crate::web::{assets, survey};
    cfg.configure(help_center_pages)
        .route("/survey/responses/{uuid}", web::get().to(survey::show))
        .route("/survey/responses/{uuid}", web::post().to(survey::submit))
        .route("/static/{file}", web::get().to(assets::serve))
        .route("/brand/{file}", web::get().to(assets::brand));
}

/// The public help center. Literal segments come before `{locale}` so that `articles`,
/// `sitemap.xml` and `logo` are never read as a locale.
fn help_center_pages(cfg: &mut web::ServiceConfig) {
    use crate::web::help_center::{feeds, home, pages, search_page};
    cfg.route("/", web::get().to(home::domain_root))
        .route("/robots.txt", web::get().to(feeds::robots))
        .route("/hc/{slug}", web::get().to(pages::portal_root))
        .route("/hc/{slug}/sitemap.xml", web::get().to(feeds::sitemap))
        .route("/hc/{slug}/logo", web::get().to(feeds::logo))
        .route(
            "/hc/{slug}/articles/{article}/feedback",
            web::post().to(pages::feedback),
        )
        .route("/hc/{slug}/articles/{article}", web::get().to(pages::article))
        .route("/hc/{slug}/{locale}", web::get().to(home::home))
        .route("/hc/{slug}/{locale}/search", web::get().to(search_page::search))
        .route(
            "/hc/{slug}/{locale}/articles.json",
            web::get().to(feeds::articles_json),
        )
        .route(
            "/hc/{slug}/{locale}/categories.json",
            web::get().to(feeds::categories_json),
        )
        .route(
            "/hc/{slug}/{locale}/categories",
            web::get().to(feeds::categories_index),
        )
        .route(
            "/hc/{slug}/{locale}/categories/{category}/articles.json",
            web::get().to(feeds::category_articles_json),
        )
        .route(
            "/hc/{slug}/{locale}/categories/{category}",
            web::get().to(pages::category),
        );
}

/// Help center administration: portals by slug, their categories and articles.
fn help_center_routes(cfg: &mut web::ServiceConfig) {
    use crate::api::help_center::{article_bulk_actions as bulk_actions, articles, categories, portals};
    cfg.route("/portals", web::get().to(portals::index))
        .route("/portals", web::post().to(portals::create))
        .route("/portals/{slug}", web::get().to(portals::show))
        .route("/portals/{slug}", web::patch().to(portals::update))
        .route("/portals/{slug}", web::put().to(portals::update))
        .route("/portals/{slug}", web::delete().to(portals::destroy))
        .route("/portals/{slug}/archive", web::patch().to(portals::archive))
        .route("/portals/{slug}/logo", web::post().to(portals::upload_logo))
        .route("/portals/{slug}/logo", web::put().to(portals::upload_logo))
        .route("/portals/{slug}/logo", web::delete().to(portals::delete_logo))
        .route(
            "/portals/{slug}/send_instructions",
            web::post().to(portals::send_instructions),
        )
        .route("/portals/{slug}/categories", web::get().to(categories::index))
        .route("/portals/{slug}/categories", web::post().to(categories::create))
        .route(
            "/portals/{slug}/categories/reorder",
            web::post().to(categories::reorder),
        )
        .route("/portals/{slug}/categories/{id}", web::get().to(categories::show))
        .route(
            "/portals/{slug}/categories/{id}",
            web::patch().to(categories::update),
        )
        .route(
            "/portals/{slug}/categories/{id}",
            web::put().to(categories::update),
        )
        .route(
            "/portals/{slug}/categories/{id}",
            web::delete().to(categories::destroy),
        )
        .route(
            "/portals/{slug}/articles/bulk_actions/translate",
            web::post().to(bulk_actions::bulk_translate),
        )
        .route(
            "/portals/{slug}/articles/bulk_actions/update_status",
            web::patch().to(bulk_actions::bulk_update_status),
        )
        .route(
            "/portals/{slug}/articles/bulk_actions/update_category",
            web::patch().to(bulk_actions::bulk_update_category),
        )
        .route(
            "/portals/{slug}/articles/bulk_actions/delete_articles",
            web::delete().to(bulk_actions::bulk_delete),
        )
        .route("/portals/{slug}/articles", web::get().to(articles::index))
        .route("/portals/{slug}/articles", web::post().to(articles::create))
        .route(
            "/portals/{slug}/articles/reorder",
            web::post().to(articles::reorder),
        )
        .route("/portals/{slug}/articles/{id}", web::get().to(articles::show))
        .route("/portals/{slug}/articles/{id}", web::patch().to(articles::update))
        .route("/portals/{slug}/articles/{id}", web::put().to(articles::update))
        .route(
            "/portals/{slug}/articles/{id}",
            web::delete().to(articles::destroy),
        )
        .route("/search/articles", web::get().to(articles::search));
}

/// `/platform/api/v1`: platform-app tokens.
fn platform_api(cfg: &mut web::ServiceConfig) {
    use platform::{account_users, accounts, agent_bots, users};
    cfg.service(
        web::scope("/platform/api/v1")
            .route("/accounts", web::post().to(accounts::create))
            .route("/accounts/{account_id}", web::get().to(accounts::show))
            .route("/accounts/{account_id}", web::patch().to(accounts::update))
            .route("/accounts/{account_id}", web::put().to(accounts::update))
            .route("/accounts/{account_id}", web::delete().to(accounts::destroy))
            .route(
                "/accounts/{account_id}/account_users",
                web::get().to(account_users::index),
            )
            .route(
                "/accounts/{account_id}/account_users",
                web::post().to(account_users::create),
            )
            .route(
                "/accounts/{account_id}/account_users",
                web::delete().to(account_users::destroy),
            )
            .route("/agent_bots", web::get().to(agent_bots::index))
            .route("/agent_bots", web::post().to(agent_bots::create))
            .route("/agent_bots/{id}", web::get().to(agent_bots::show))
            .route("/agent_bots/{id}", web::patch().to(agent_bots::update))
            .route("/agent_bots/{id}", web::put().to(agent_bots::update))
            .route("/agent_bots/{id}", web::delete().to(agent_bots::destroy))
            .route("/users", web::post().to(users::create))
            .route("/users/{id}", web::get().to(users::show))
            .route("/users/{id}", web::patch().to(users::update))
            .route("/users/{id}", web::put().to(users::update))
            .route("/users/{id}", web::delete().to(users::destroy))
            .route("/users/{id}/login", web::get().to(users::login)),
    );
}

/// `/api/v1`: user and agent-bot tokens.
fn application_api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/profile", web::get().to(profile::show))
            .route("/profile", web::put().to(profile::update))
            .route("/profile", web::patch().to(profile::update))
            .route("/profile/availability", web::post().to(profile::availability))
            .service(web::scope("/accounts/{account_id}").configure(account_routes)),
    );
}

/// `/api/v1/accounts/{account_id}/…`: everything scoped to one account.
fn account_routes(cfg: &mut web::ServiceConfig) {
    use crate::api::contacts::{self, notes};
    use crate::api::conversations::{self as conv, actions, lists, messages};
    use crate::api::inboxes::{self, members as inbox_members};
    use crate::api::{
        agent_bots, agents, audit_logs, automation_rules, canned_responses,
        custom_attribute_definitions as cads, custom_filters, integrations, labels, teams, webhooks,
    };
    cfg.route("", web::get().to(accounts::show))
        .route("", web::patch().to(accounts::update))
        .route("", web::put().to(accounts::update))
        // Agents (no show: Chatwoot has none)
        .route("/agents", web::get().to(agents::index))
        .route("/agents", web::post().to(agents::create))
        .route("/agents/bulk_create", web::post().to(agents::bulk_create))
        .route("/agents/{id}", web::patch().to(agents::update))
        .route("/agents/{id}", web::put().to(agents::update))
        .route("/agents/{id}", web::delete().to(agents::destroy))
        // Agent bots
        .route("/agent_bots", web::get().to(agent_bots::index))
        .route("/agent_bots", web::post().to(agent_bots::create))
        .route("/agent_bots/{id}", web::get().to(agent_bots::show))
        .route("/agent_bots/{id}", web::patch().to(agent_bots::update))
        .route("/agent_bots/{id}", web::put().to(agent_bots::update))
        .route("/agent_bots/{id}", web::delete().to(agent_bots::destroy))
        .route(
            "/agent_bots/{id}/reset_access_token",
            web::post().to(agent_bots::reset_access_token),
        )
        // Teams and members
        .route("/teams", web::get().to(teams::index))
        .route("/teams", web::post().to(teams::create))
        .route("/teams/{team_id}", web::get().to(teams::show))
        .route("/teams/{team_id}", web::patch().to(teams::update))
        .route("/teams/{team_id}", web::put().to(teams::update))
        .route("/teams/{team_id}", web::delete().to(teams::destroy))
        .route("/teams/{team_id}/team_members", web::get().to(teams::members))
        .route(
            "/teams/{team_id}/team_members",
            web::post().to(teams::add_members),
        )
        .route(
            "/teams/{team_id}/team_members",
            web::patch().to(teams::replace_members),
        )
        .route(
            "/teams/{team_id}/team_members",
            web::delete().to(teams::remove_members),
        )
        // Inboxes, members, bots
        .route("/inboxes", web::get().to(inboxes::index))
        .route("/inboxes", web::post().to(inboxes::create))
        .route("/inboxes/{id}", web::get().to(inboxes::show))
        .route("/inboxes/{id}", web::patch().to(inboxes::update))
        .route("/inboxes/{id}", web::put().to(inboxes::update))
        .route("/inboxes/{id}", web::delete().to(inboxes::destroy))
        .route(
            "/inboxes/{id}/assignable_agents",
            web::get().to(inboxes::assignable_agents),
        )
        .route("/inboxes/{id}/agent_bot", web::get().to(inboxes::agent_bot))
        .route(
            "/inboxes/{id}/set_agent_bot",
            web::post().to(inboxes::set_agent_bot),
        )
        .route("/inbox_members", web::post().to(inbox_members::create))
        .route("/inbox_members", web::patch().to(inbox_members::update))
        .route("/inbox_members", web::delete().to(inbox_members::destroy))
        .route("/inbox_members/{inbox_id}", web::get().to(inbox_members::show))
        // Canned responses (no show)
        .route("/canned_responses", web::get().to(canned_responses::index))
        .route("/canned_responses", web::post().to(canned_responses::create))
        .route(
            "/canned_responses/{id}",
            web::patch().to(canned_responses::update),
        )
        .route("/canned_responses/{id}", web::put().to(canned_responses::update))
        .route(
            "/canned_responses/{id}",
            web::delete().to(canned_responses::destroy),
        )
        // Custom attribute definitions
        .route("/custom_attribute_definitions", web::get().to(cads::index))
        .route("/custom_attribute_definitions", web::post().to(cads::create))
        .route("/custom_attribute_definitions/{id}", web::get().to(cads::show))
        .route(
            "/custom_attribute_definitions/{id}",
            web::patch().to(cads::update),
        )
        .route("/custom_attribute_definitions/{id}", web::put().to(cads::update))
        .route(
            "/custom_attribute_definitions/{id}",
            web::delete().to(cads::destroy),
        )
        // Custom filters
        .route("/custom_filters", web::get().to(custom_filters::index))
        .route("/custom_filters", web::post().to(custom_filters::create))
        .route("/custom_filters/{id}", web::get().to(custom_filters::show))
        .route("/custom_filters/{id}", web::patch().to(custom_filters::update))
        .route("/custom_filters/{id}", web::put().to(custom_filters::update))
        .route("/custom_filters/{id}", web::delete().to(custom_filters::destroy))
        // Labels
        .configure(help_center_routes)
        .route("/labels", web::get().to(labels::index))
        .route("/labels", web::post().to(labels::create))
        .route("/labels/{id}", web::get().to(labels::show))
        .route("/labels/{id}", web::patch().to(labels::update))
        .route("/labels/{id}", web::put().to(labels::update))
        .route("/labels/{id}", web::delete().to(labels::destroy))
        // Webhooks (no show)
        .route("/webhooks", web::get().to(webhooks::index))
        .route("/webhooks", web::post().to(webhooks::create))
        .route("/webhooks/{id}", web::patch().to(webhooks::update))
        .route("/webhooks/{id}", web::put().to(webhooks::update))
        .route("/webhooks/{id}", web::delete().to(webhooks::destroy))
        // Integrations
        .route("/integrations/apps", web::get().to(integrations::apps))
        .route("/integrations/apps/{id}", web::get().to(integrations::app))
        .route("/integrations/hooks", web::post().to(integrations::create))
        .route("/integrations/hooks/{id}", web::get().to(integrations::show))
        .route("/integrations/hooks/{id}", web::patch().to(integrations::update))
        .route("/integrations/hooks/{id}", web::put().to(integrations::update))
        .route(
            "/integrations/hooks/{id}",
            web::delete().to(integrations::destroy),
        )
        // Automation rules
        .route("/automation_rules", web::get().to(automation_rules::index))
        .route("/automation_rules", web::post().to(automation_rules::create))
        .route("/automation_rules/{id}", web::get().to(automation_rules::show))
        .route(
            "/automation_rules/{id}",
            web::patch().to(automation_rules::update),
        )
        .route("/automation_rules/{id}", web::put().to(automation_rules::update))
        .route(
            "/automation_rules/{id}",
            web::delete().to(automation_rules::destroy),
        )
        .route(
            "/automation_rules/{id}/clone",
            web::post().to(automation_rules::clone),
        )
        // Audit logs
        .route("/audit_logs", web::get().to(audit_logs::index))
        // CSAT responses (literal segments before `{id}`)
        .route(
            "/csat_survey_responses",
            web::get().to(crate::api::csat_responses::index),
        )
        .route(
            "/csat_survey_responses/metrics",
            web::get().to(crate::api::csat_responses::metrics),
        )
        .route(
            "/csat_survey_responses/download",
            web::get().to(crate::api::csat_responses::download),
        )
        .route(
            "/csat_survey_responses/{id}",
            web::patch().to(crate::api::csat_responses::update),
        )
        // Contacts (literal segments before `{id}`)
        .route("/contacts", web::get().to(contacts::lists::index))
        .route("/contacts", web::post().to(contacts::create))
        .route("/contacts/search", web::get().to(contacts::lists::search))
        .route("/contacts/active", web::get().to(contacts::lists::active))
        .route("/contacts/filter", web::post().to(contacts::lists::filter))
        .route(
            "/contacts/import",
            web::post().to(crate::api::contacts::import_export::import),
        )
        .route(
            "/contacts/export",
            web::post().to(crate::api::contacts::import_export::export),
        )
        .route("/actions/contact_merge", web::post().to(contacts::merge))
        .route(
            "/contact_inboxes/filter",
            web::post().to(contacts::filter_contact_inbox),
        )
        .route("/contacts/{id}", web::get().to(contacts::show))
        .route("/contacts/{id}", web::patch().to(contacts::update))
        .route("/contacts/{id}", web::put().to(contacts::update))
        .route("/contacts/{id}", web::delete().to(contacts::destroy))
        .route(
            "/contacts/{id}/destroy_custom_attributes",
            web::post().to(contacts::destroy_custom_attributes),
        )
        .route("/contacts/{id}/labels", web::get().to(contacts::labels))
        .route("/contacts/{id}/labels", web::post().to(contacts::set_labels))
        .route(
            "/contacts/{id}/contact_inboxes",
            web::post().to(contacts::create_contact_inbox),
        )
        .route(
            "/contacts/{id}/contactable_inboxes",
            web::get().to(contacts::contactable_inboxes),
        )
        .route(
            "/contacts/{id}/conversations",
            web::get().to(contacts::conversations),
        )
        .route("/contacts/{id}/notes", web::get().to(notes::index))
        .route("/contacts/{id}/notes", web::post().to(notes::create))
        .route("/contacts/{contact_id}/notes/{id}", web::get().to(notes::show))
        .route(
            "/contacts/{contact_id}/notes/{id}",
            web::patch().to(notes::update),
        )
        .route("/contacts/{contact_id}/notes/{id}", web::put().to(notes::update))
        .route(
            "/contacts/{contact_id}/notes/{id}",
            web::delete().to(notes::destroy),
        )
        // Conversations (literal segments before `{id}`)
        .route("/conversations", web::get().to(lists::index))
        .route("/conversations", web::post().to(conv::create))
        .route("/conversations/meta", web::get().to(lists::meta))
        .route("/conversations/search", web::get().to(lists::search))
        .route("/conversations/filter", web::post().to(lists::filter))
        .route("/conversations/{id}", web::get().to(conv::show))
        .route("/conversations/{id}", web::patch().to(conv::update))
        .route("/conversations/{id}", web::put().to(conv::update))
        .route("/conversations/{id}", web::delete().to(conv::destroy))
        .route(
            "/conversations/{id}/toggle_status",
            web::post().to(actions::toggle_status),
        )
        .route(
            "/conversations/{id}/toggle_priority",
            web::post().to(actions::toggle_priority),
        )
        .route(
            "/conversations/{id}/toggle_typing_status",
            web::post().to(actions::toggle_typing_status),
        )
        .route(
            "/conversations/{id}/custom_attributes",
            web::post().to(actions::custom_attributes),
        )
        .route("/conversations/{id}/labels", web::get().to(actions::labels))
        .route("/conversations/{id}/labels", web::post().to(actions::set_labels))
        .route("/conversations/{id}/assignments", web::post().to(actions::assign))
        .route(
            "/conversations/{id}/update_last_seen",
            web::post().to(actions::update_last_seen),
        )
        .route("/conversations/{id}/unread", web::post().to(actions::unread))
        .route("/conversations/{id}/mute", web::post().to(actions::mute))
        .route("/conversations/{id}/unmute", web::post().to(actions::unmute))
        .route(
            "/conversations/{id}/transcript",
            web::post().to(actions::transcript),
        )
        .route(
            "/conversations/{id}/attachments",
            web::get().to(crate::api::attachments::index),
        )
        .route(
            "/conversations/{id}/reporting_events",
            web::get().to(crate::api::reporting_events::for_conversation),
        )
        .route(
            "/reporting_events",
            web::get().to(crate::api::reporting_events::for_account),
        )
        .route("/conversations/{id}/messages", web::get().to(messages::index))
        .route("/conversations/{id}/messages", web::post().to(messages::create))
        .route(
            "/conversations/{conversation_id}/messages/{id}",
            web::patch().to(messages::update),
        )
        .route(
            "/conversations/{conversation_id}/messages/{id}",
            web::put().to(messages::update),
        )
        .route(
            "/conversations/{conversation_id}/messages/{id}",
            web::delete().to(messages::destroy),
        );
}

/// `/public/api/v1/…`: customers, no token.
fn client_api(cfg: &mut web::ServiceConfig) {
    use crate::api::public::{contacts, conversations as conv, csat};
    cfg.route("/public/api/v1/csat_survey/{uuid}", web::get().to(csat::show))
        .route("/public/api/v1/csat_survey/{uuid}", web::put().to(csat::update))
        .route("/public/api/v1/csat_survey/{uuid}", web::patch().to(csat::update));
    cfg.service(
        web::scope("/public/api/v1/inboxes/{inbox_identifier}")
            .route("", web::get().to(contacts::show_inbox))
            .route("/contacts", web::post().to(contacts::create))
            .route("/contacts/{source_id}", web::get().to(contacts::show))
            .route("/contacts/{source_id}", web::patch().to(contacts::update))
            .route("/contacts/{source_id}", web::put().to(contacts::update))
            .route("/contacts/{source_id}/conversations", web::get().to(conv::index))
            .route(
                "/contacts/{source_id}/conversations",
                web::post().to(conv::create),
            )
            .route(
                "/contacts/{source_id}/conversations/{id}",
                web::get().to(conv::show),
            )
            .route(
                "/contacts/{source_id}/conversations/{id}/toggle_status",
                web::post().to(conv::toggle_status),
            )
            .route(
                "/contacts/{source_id}/conversations/{id}/toggle_typing",
                web::post().to(conv::toggle_typing),
            )
            .route(
                "/contacts/{source_id}/conversations/{id}/update_last_seen",
                web::post().to(conv::update_last_seen),
            )
            .route(
                "/contacts/{source_id}/conversations/{id}/messages",
                web::get().to(conv::messages),
            )
            .route(
                "/contacts/{source_id}/conversations/{id}/messages",
                web::post().to(conv::create_message),
            )
            .route(
                "/contacts/{source_id}/conversations/{id}/messages/{message_id}",
                web::patch().to(conv::update_message),
            )
            .route(
                "/contacts/{source_id}/conversations/{id}/messages/{message_id}",
                web::put().to(conv::update_message),
            ),
    );
}

/// Unknown routes (and routes not built yet) are a JSON 404.
async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(serde_json::json!({"error": "Resource could not be found"}))
}
