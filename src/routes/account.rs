//! `/api/v1/accounts/{account_id}/…`: everything scoped to one account, in matching order
//! (literal segments before `{id}`).

use super::RouteTable;
use crate::api::contacts::{self, import_export, notes};
use crate::api::conversations::{self as conv, actions, lists, messages};
use crate::api::inboxes::{self, members as inbox_members};
use crate::api::{
    accounts, agent_bots, agents, attachments, audit_logs, automation_rules, canned_responses,
    csat_responses as csat, custom_attribute_definitions as cads, custom_filters, integrations, labels,
    reporting_events, teams, webhook_deliveries, webhooks,
};

/// Every route below `/api/v1/accounts/{account_id}` (the account itself is the empty path).
pub(super) fn account_routes(t: &mut RouteTable<'_>) {
    t.get("", accounts::show)
        .patch("", accounts::update)
        .put("", accounts::update)
        .configure(people)
        .configure(settings)
        // Help center administration
        .configure(help_center_routes)
        .configure(super::notifications::notification_routes)
        .configure(integrations_and_automation)
        .configure(contact_routes)
        .configure(conversation_routes)
        .configure(super::mobile::account_routes);
}

/// Agents, agent bots, teams and inboxes with their members.
fn people(t: &mut RouteTable<'_>) {
    // Agents (no show: Chatwoot has none)
    t.resource("/agents", "{id}", |r| {
        r.index(agents::index).create(agents::create);
    })
    .post("/agents/bulk_create", agents::bulk_create)
    .resource("/agents", "{id}", |r| {
        r.update(agents::update).destroy(agents::destroy);
    })
    .resource("/agent_bots", "{id}", |r| {
        r.index(agent_bots::index)
            .create(agent_bots::create)
            .show(agent_bots::show)
            .update(agent_bots::update)
            .destroy(agent_bots::destroy);
    })
    .post(
        "/agent_bots/{id}/reset_access_token",
        agent_bots::reset_access_token,
    )
    // Teams and members
    .resource("/teams", "{team_id}", |r| {
        r.index(teams::index)
            .create(teams::create)
            .show(teams::show)
            .update(teams::update)
            .destroy(teams::destroy);
    })
    .get("/teams/{team_id}/team_members", teams::members)
    .post("/teams/{team_id}/team_members", teams::add_members)
    .patch("/teams/{team_id}/team_members", teams::replace_members)
    .delete("/teams/{team_id}/team_members", teams::remove_members)
    // Inboxes, members, bots
    .resource("/inboxes", "{id}", |r| {
        r.index(inboxes::index)
            .create(inboxes::create)
            .show(inboxes::show)
            .update(inboxes::update)
            .destroy(inboxes::destroy);
    })
    .get("/inboxes/{id}/assignable_agents", inboxes::assignable_agents)
    .get("/inboxes/{id}/agent_bot", inboxes::agent_bot)
    .post("/inboxes/{id}/set_agent_bot", inboxes::set_agent_bot)
    .post("/inbox_members", inbox_members::create)
    .patch("/inbox_members", inbox_members::update)
    .delete("/inbox_members", inbox_members::destroy)
    .get("/inbox_members/{inbox_id}", inbox_members::show);
}

/// Canned responses, custom attribute definitions and custom filters.
fn settings(t: &mut RouteTable<'_>) {
    // Canned responses (no show)
    t.resource("/canned_responses", "{id}", |r| {
        r.index(canned_responses::index)
            .create(canned_responses::create)
            .update(canned_responses::update)
            .destroy(canned_responses::destroy);
    })
    .resource("/custom_attribute_definitions", "{id}", |r| {
        r.index(cads::index)
            .create(cads::create)
            .show(cads::show)
            .update(cads::update)
            .destroy(cads::destroy);
    })
    .resource("/custom_filters", "{id}", |r| {
        r.index(custom_filters::index)
            .create(custom_filters::create)
            .show(custom_filters::show)
            .update(custom_filters::update)
            .destroy(custom_filters::destroy);
    });
}

/// Help center administration: portals by slug, their categories and articles.
fn help_center_routes(t: &mut RouteTable<'_>) {
    use crate::api::help_center::{
        article_bulk_actions as bulk_actions, article_search, articles, categories, portal_logo, portals,
    };
    t.resource("/portals", "{slug}", |r| {
        r.index(portals::index)
            .create(portals::create)
            .show(portals::show)
            .update(portals::update)
            .destroy(portals::destroy);
    })
    .patch("/portals/{slug}/archive", portals::archive)
    .post("/portals/{slug}/logo", portal_logo::upload_logo)
    .put("/portals/{slug}/logo", portal_logo::upload_logo)
    .delete("/portals/{slug}/logo", portal_logo::delete_logo)
    .post("/portals/{slug}/send_instructions", portals::send_instructions)
    .resource("/portals/{slug}/categories", "{id}", |r| {
        r.index(categories::index).create(categories::create);
    })
    .post("/portals/{slug}/categories/reorder", categories::reorder)
    .resource("/portals/{slug}/categories", "{id}", |r| {
        r.show(categories::show)
            .update(categories::update)
            .destroy(categories::destroy);
    })
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
    .resource("/portals/{slug}/articles", "{id}", |r| {
        r.index(articles::index).create(articles::create);
    })
    .post("/portals/{slug}/articles/reorder", articles::reorder)
    .resource("/portals/{slug}/articles", "{id}", |r| {
        r.show(articles::show)
            .update(articles::update)
            .destroy(articles::destroy);
    })
    .get("/search/articles", article_search::search);
}

/// Labels, webhooks and their deliveries, integrations, automation rules, the audit log and
/// CSAT responses.
fn integrations_and_automation(t: &mut RouteTable<'_>) {
    t.resource("/labels", "{id}", |r| {
        r.index(labels::index)
            .create(labels::create)
            .show(labels::show)
            .update(labels::update)
            .destroy(labels::destroy);
    })
    // Webhooks (no show)
    .resource("/webhooks", "{id}", |r| {
        r.index(webhooks::index)
            .create(webhooks::create)
            .update(webhooks::update)
            .destroy(webhooks::destroy);
    })
    .get("/webhooks/{id}/deliveries", webhook_deliveries::index)
    .post(
        "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
        webhook_deliveries::redeliver,
    )
    .get("/integrations/apps", integrations::apps)
    .get("/integrations/apps/{id}", integrations::app)
    .resource("/integrations/hooks", "{id}", |r| {
        r.create(integrations::create)
            .show(integrations::show)
            .update(integrations::update)
            .destroy(integrations::destroy);
    })
    .resource("/automation_rules", "{id}", |r| {
        r.index(automation_rules::index)
            .create(automation_rules::create)
            .show(automation_rules::show)
            .update(automation_rules::update)
            .destroy(automation_rules::destroy);
    })
    .post("/automation_rules/{id}/clone", automation_rules::clone)
    .get("/audit_logs", audit_logs::index)
    // CSAT responses (literal segments before `{id}`)
    .get("/csat_survey_responses", csat::index)
    .get("/csat_survey_responses/metrics", csat::metrics)
    .get("/csat_survey_responses/download", csat::download)
    .patch("/csat_survey_responses/{id}", csat::update);
}

/// Contacts (literal segments before `{id}`), their labels, inboxes, conversations and notes.
fn contact_routes(t: &mut RouteTable<'_>) {
    t.resource("/contacts", "{id}", |r| {
        r.index(contacts::lists::index).create(contacts::create);
    })
    .get("/contacts/search", contacts::lists::search)
    .get("/contacts/active", contacts::lists::active)
    .post("/contacts/filter", contacts::lists::filter)
    .post("/contacts/import", import_export::import)
    .post("/contacts/export", import_export::export)
    .post("/actions/contact_merge", contacts::merge)
    .post("/contact_inboxes/filter", contacts::filter_contact_inbox)
    .resource("/contacts", "{id}", |r| {
        r.show(contacts::show)
            .update(contacts::update)
            .destroy(contacts::destroy);
    })
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
    .resource("/contacts/{id}/notes", "{id}", |r| {
        r.index(notes::index).create(notes::create);
    })
    .resource("/contacts/{contact_id}/notes", "{id}", |r| {
        r.show(notes::show).update(notes::update).destroy(notes::destroy);
    });
}

/// Conversations (literal segments before `{id}`), what agents do to one, its messages and
/// reporting events.
fn conversation_routes(t: &mut RouteTable<'_>) {
    t.resource("/conversations", "{id}", |r| {
        r.index(lists::index).create(conv::create);
    })
    .get("/conversations/meta", lists::meta)
    .get("/conversations/search", lists::search)
    .post("/conversations/filter", lists::filter)
    .resource("/conversations", "{id}", |r| {
        r.show(conv::show).update(conv::update).destroy(conv::destroy);
    })
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
    .resource("/conversations/{id}/messages", "{id}", |r| {
        r.index(messages::index).create(messages::create);
    })
    .resource("/conversations/{conversation_id}/messages", "{id}", |r| {
        r.update(messages::update).destroy(messages::destroy);
    });
}
