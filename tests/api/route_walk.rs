//! Walks every account-scoped route with tokens that must get nothing: none, another account's
//! administrator, an agent bot, and an account that does not exist.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error, no_credentials, spawn_app_with};

/// Every route under `/api/v1/accounts/{account_id}`; `{id}` is filled per resource.
const ACCOUNT_ROUTES: &[(&str, &str)] = &[
    ("GET", ""),
    ("PATCH", ""),
    ("PUT", ""),
    ("GET", "/agents"),
    ("POST", "/agents"),
    ("POST", "/agents/bulk_create"),
    ("PATCH", "/agents/{agent}"),
    ("PUT", "/agents/{agent}"),
    ("DELETE", "/agents/{agent}"),
    ("GET", "/agent_bots"),
    ("POST", "/agent_bots"),
    ("GET", "/agent_bots/{bot}"),
    ("PATCH", "/agent_bots/{bot}"),
    ("PUT", "/agent_bots/{bot}"),
    ("DELETE", "/agent_bots/{bot}"),
    ("POST", "/agent_bots/{bot}/reset_access_token"),
    ("GET", "/teams"),
    ("POST", "/teams"),
    ("GET", "/teams/{team}"),
    ("PATCH", "/teams/{team}"),
    ("PUT", "/teams/{team}"),
    ("DELETE", "/teams/{team}"),
    ("GET", "/teams/{team}/team_members"),
    ("POST", "/teams/{team}/team_members"),
    ("PATCH", "/teams/{team}/team_members"),
    ("DELETE", "/teams/{team}/team_members"),
    ("GET", "/inboxes"),
    ("POST", "/inboxes"),
    ("GET", "/inboxes/{inbox}"),
    ("PATCH", "/inboxes/{inbox}"),
    ("PUT", "/inboxes/{inbox}"),
    ("DELETE", "/inboxes/{inbox}"),
    ("GET", "/inboxes/{inbox}/assignable_agents"),
    ("GET", "/inboxes/{inbox}/agent_bot"),
    ("POST", "/inboxes/{inbox}/set_agent_bot"),
    ("POST", "/inbox_members"),
    ("PATCH", "/inbox_members"),
    ("DELETE", "/inbox_members"),
    ("GET", "/inbox_members/{inbox}"),
    ("GET", "/canned_responses"),
    ("POST", "/canned_responses"),
    ("PATCH", "/canned_responses/{canned}"),
    ("PUT", "/canned_responses/{canned}"),
    ("DELETE", "/canned_responses/{canned}"),
    ("GET", "/custom_attribute_definitions"),
    ("POST", "/custom_attribute_definitions"),
    ("GET", "/custom_attribute_definitions/{attribute}"),
    ("PATCH", "/custom_attribute_definitions/{attribute}"),
    ("PUT", "/custom_attribute_definitions/{attribute}"),
    ("DELETE", "/custom_attribute_definitions/{attribute}"),
    ("GET", "/custom_filters"),
    ("POST", "/custom_filters"),
    ("GET", "/custom_filters/{filter}"),
    ("PATCH", "/custom_filters/{filter}"),
    ("PUT", "/custom_filters/{filter}"),
    ("DELETE", "/custom_filters/{filter}"),
    ("GET", "/labels"),
    ("POST", "/labels"),
    ("GET", "/labels/{label}"),
    ("PATCH", "/labels/{label}"),
    ("PUT", "/labels/{label}"),
    ("DELETE", "/labels/{label}"),
    ("GET", "/webhooks"),
    ("POST", "/webhooks"),
    ("PATCH", "/webhooks/{webhook}"),
    ("PUT", "/webhooks/{webhook}"),
    ("DELETE", "/webhooks/{webhook}"),
    ("GET", "/webhooks/{webhook}/deliveries"),
    ("POST", "/webhooks/{webhook}/deliveries/{delivery}/redeliver"),
    ("GET", "/integrations/apps"),
    ("GET", "/integrations/apps/{app}"),
    ("POST", "/integrations/hooks"),
    ("GET", "/integrations/hooks/{hook}"),
    ("PATCH", "/integrations/hooks/{hook}"),
    ("PUT", "/integrations/hooks/{hook}"),
    ("DELETE", "/integrations/hooks/{hook}"),
    ("GET", "/automation_rules"),
    ("POST", "/automation_rules"),
    ("GET", "/automation_rules/{rule}"),
    ("PATCH", "/automation_rules/{rule}"),
    ("PUT", "/automation_rules/{rule}"),
    ("DELETE", "/automation_rules/{rule}"),
    ("POST", "/automation_rules/{rule}/clone"),
    ("GET", "/audit_logs"),
    ("GET", "/csat_survey_responses"),
    ("GET", "/csat_survey_responses/metrics"),
    ("GET", "/csat_survey_responses/download"),
    ("PATCH", "/csat_survey_responses/{csat}"),
    ("GET", "/contacts"),
    ("POST", "/contacts"),
    ("GET", "/contacts/search"),
    ("GET", "/contacts/active"),
    ("POST", "/contacts/filter"),
    ("POST", "/contacts/import"),
    ("POST", "/contacts/export"),
    ("POST", "/actions/contact_merge"),
    ("POST", "/contact_inboxes/filter"),
    ("GET", "/contacts/{contact}"),
    ("PATCH", "/contacts/{contact}"),
    ("PUT", "/contacts/{contact}"),
    ("DELETE", "/contacts/{contact}"),
    ("POST", "/contacts/{contact}/destroy_custom_attributes"),
    ("GET", "/contacts/{contact}/labels"),
    ("POST", "/contacts/{contact}/labels"),
    ("POST", "/contacts/{contact}/contact_inboxes"),
    ("GET", "/contacts/{contact}/contactable_inboxes"),
    ("GET", "/contacts/{contact}/notes"),
    ("POST", "/contacts/{contact}/notes"),
    ("GET", "/contacts/{contact}/notes/{note}"),
    ("PATCH", "/contacts/{contact}/notes/{note}"),
    ("PUT", "/contacts/{contact}/notes/{note}"),
    ("DELETE", "/contacts/{contact}/notes/{note}"),
    ("GET", "/contacts/{contact}/conversations"),
    ("GET", "/conversations"),
    ("POST", "/conversations"),
    ("GET", "/conversations/meta"),
    ("GET", "/conversations/search"),
    ("POST", "/conversations/filter"),
    ("GET", "/conversations/{conversation}"),
    ("PATCH", "/conversations/{conversation}"),
    ("PUT", "/conversations/{conversation}"),
    ("DELETE", "/conversations/{conversation}"),
    ("POST", "/conversations/{conversation}/toggle_status"),
    ("POST", "/conversations/{conversation}/toggle_priority"),
    ("POST", "/conversations/{conversation}/toggle_typing_status"),
    ("POST", "/conversations/{conversation}/custom_attributes"),
    ("GET", "/conversations/{conversation}/labels"),
    ("POST", "/conversations/{conversation}/labels"),
    ("POST", "/conversations/{conversation}/assignments"),
    ("POST", "/conversations/{conversation}/update_last_seen"),
    ("POST", "/conversations/{conversation}/unread"),
    ("POST", "/conversations/{conversation}/mute"),
    ("POST", "/conversations/{conversation}/unmute"),
    ("POST", "/conversations/{conversation}/transcript"),
    ("GET", "/conversations/{conversation}/attachments"),
    ("GET", "/conversations/{conversation}/reporting_events"),
    ("GET", "/reporting_events"),
    ("GET", "/conversations/{conversation}/messages"),
    ("POST", "/conversations/{conversation}/messages"),
    ("PATCH", "/conversations/{conversation}/messages/{message}"),
    ("PUT", "/conversations/{conversation}/messages/{message}"),
    ("DELETE", "/conversations/{conversation}/messages/{message}"),
    // Notifications
    ("GET", "/notifications"),
    ("POST", "/notifications/read_all"),
    ("GET", "/notifications/unread_count"),
    ("POST", "/notifications/destroy_all"),
    ("PATCH", "/notifications/{notification}"),
    ("PUT", "/notifications/{notification}"),
    ("DELETE", "/notifications/{notification}"),
    ("POST", "/notifications/{notification}/snooze"),
    ("POST", "/notifications/{notification}/unread"),
    ("GET", "/notification_settings"),
    ("PUT", "/notification_settings"),
    ("PATCH", "/notification_settings"),
    // Mobile app (src/routes/mobile.rs)
    ("GET", "/conversations/{conversation}/participants"),
    ("POST", "/conversations/{conversation}/participants"),
    ("PATCH", "/conversations/{conversation}/participants"),
    ("PUT", "/conversations/{conversation}/participants"),
    ("DELETE", "/conversations/{conversation}/participants"),
    (
        "POST",
        "/conversations/{conversation}/messages/{message}/translate",
    ),
    ("GET", "/assignable_agents"),
    ("GET", "/dashboard_apps"),
    ("POST", "/dashboard_apps"),
    ("GET", "/dashboard_apps/{dashboard_app}"),
    ("PATCH", "/dashboard_apps/{dashboard_app}"),
    ("PUT", "/dashboard_apps/{dashboard_app}"),
    ("DELETE", "/dashboard_apps/{dashboard_app}"),
    ("GET", "/macros"),
    ("POST", "/macros"),
    ("GET", "/macros/{macro}"),
    ("PATCH", "/macros/{macro}"),
    ("PUT", "/macros/{macro}"),
    ("DELETE", "/macros/{macro}"),
    ("POST", "/macros/{macro}/execute"),
    ("POST", "/bulk_actions"),
    ("GET", "/search"),
    ("GET", "/search/conversations"),
    ("GET", "/search/contacts"),
    ("GET", "/search/messages"),
    // Help center
    ("GET", "/portals"),
    ("POST", "/portals"),
    ("GET", "/portals/{portal}"),
    ("PATCH", "/portals/{portal}"),
    ("PUT", "/portals/{portal}"),
    ("DELETE", "/portals/{portal}"),
    ("PATCH", "/portals/{portal}/archive"),
    ("POST", "/portals/{portal}/logo"),
    ("PUT", "/portals/{portal}/logo"),
    ("DELETE", "/portals/{portal}/logo"),
    ("POST", "/portals/{portal}/send_instructions"),
    ("GET", "/portals/{portal}/categories"),
    ("POST", "/portals/{portal}/categories"),
    ("POST", "/portals/{portal}/categories/reorder"),
    ("GET", "/portals/{portal}/categories/{category}"),
    ("PATCH", "/portals/{portal}/categories/{category}"),
    ("PUT", "/portals/{portal}/categories/{category}"),
    ("DELETE", "/portals/{portal}/categories/{category}"),
    ("POST", "/portals/{portal}/articles/bulk_actions/translate"),
    ("PATCH", "/portals/{portal}/articles/bulk_actions/update_status"),
    ("PATCH", "/portals/{portal}/articles/bulk_actions/update_category"),
    (
        "DELETE",
        "/portals/{portal}/articles/bulk_actions/delete_articles",
    ),
    ("GET", "/portals/{portal}/articles"),
    ("POST", "/portals/{portal}/articles"),
    ("POST", "/portals/{portal}/articles/reorder"),
    ("GET", "/portals/{portal}/articles/{article}"),
    ("PATCH", "/portals/{portal}/articles/{article}"),
    ("PUT", "/portals/{portal}/articles/{article}"),
    ("DELETE", "/portals/{portal}/articles/{article}"),
    ("GET", "/search/articles"),
];

/// One object of every kind in the account, so a leak would show real data.
async fn seed_everything(
    app: &TestApp,
    account_id: i64,
    token: &str,
    agent_id: i64,
) -> Vec<(&'static str, String)> {
    let mut ids = vec![("{agent}", agent_id.to_string()), ("{app}", "dyte".to_string())];
    let creations: [(&str, &str, Value); 12] = [
        ("{bot}", "/agent_bots", json!({"name": "Bot"})),
        ("{team}", "/teams", json!({"name": "Support"})),
        (
            "{inbox}",
            "/inboxes",
            json!({"name": "Api", "channel": {"type": "api"}}),
        ),
        (
            "{canned}",
            "/canned_responses",
            json!({"short_code": "hi", "content": "Hello"}),
        ),
        (
            "{attribute}",
            "/custom_attribute_definitions",
            json!({"attribute_display_name": "Plan", "attribute_key": "plan", "attribute_display_type": "text"}),
        ),
        (
            "{filter}",
            "/custom_filters",
            json!({"name": "Mine", "filter_type": "conversation", "query": {"payload": []}}),
        ),
        ("{label}", "/labels", json!({"title": "vip"})),
        ("{webhook}", "/webhooks", json!({"url": "https://hooks.test/a"})),
        (
            "{hook}",
            "/integrations/hooks",
            json!({"app_id": "dyte", "settings": {"api_key": "k", "organization_id": "o"}}),
        ),
        (
            "{rule}",
            "/automation_rules",
            json!({"name": "R", "event_name": "message_created",
            "conditions": [{"attribute_key": "content", "filter_operator": "contains", "values": ["help"], "query_operator": null}],
            "actions": [{"action_name": "add_label", "action_params": ["vip"]}]}),
        ),
        (
            "{dashboard_app}",
            "/dashboard_apps",
            json!({"title": "CRM", "content": [{"type": "frame", "url": "https://crm.example.com"}]}),
        ),
        (
            "{macro}",
            "/macros",
            json!({"name": "Close", "visibility": "global",
            "actions": [{"action_name": "resolve_conversation", "action_params": []}]}),
        ),
    ];
    for (placeholder, path, body) in creations {
        let (status, created) = app
            .account_call(account_id, Method::POST, path, token, Some(body))
            .await;
        assert_eq!(status, 200, "seeding {path}: {created}");
        let id = created
            .pointer("/payload/webhook/id")
            .or_else(|| created.pointer("/payload/id"))
            .or_else(|| created.get("id"))
            .expect("id")
            .to_string();
        ids.push((placeholder, id));
    }
    let (_, contact) = app
        .account_call(
            account_id,
            Method::POST,
            "/contacts",
            token,
            Some(json!({"name": "Jo", "email": "jo@example.test"})),
        )
        .await;
    let contact_id = contact
        .pointer("/payload/contact/id")
        .expect("contact id")
        .to_string();
    let (_, note) = app
        .account_call(
            account_id,
            Method::POST,
            &format!("/contacts/{contact_id}/notes"),
            token,
            Some(json!({"content": "vip"})),
        )
        .await;
    ids.push(("{note}", note["id"].to_string()));
    let inbox_id = ids
        .iter()
        .find(|(p, _)| *p == "{inbox}")
        .map(|(_, id)| id.clone())
        .expect("inbox");
    let (status, conversation) = app
        .account_call(account_id, Method::POST, "/conversations", token,
            Some(json!({"inbox_id": inbox_id.parse::<i64>().expect("id"), "contact_id": contact_id.parse::<i64>().expect("id"),
                "message": {"content": "Hello"}})))
        .await;
    assert_eq!(status, 200, "{conversation}");
    let display = conversation["id"].to_string();
    let (_, messages) = app
        .account_call(
            account_id,
            Method::GET,
            &format!("/conversations/{display}/messages"),
            token,
            None,
        )
        .await;
    ids.push(("{message}", messages["payload"][0]["id"].to_string()));
    ids.push(("{conversation}", display));
    ids.push(("{contact}", contact_id));
    ids.push(("{csat}", "1".to_string()));
    ids.push(("{delivery}", "1".to_string()));
    ids.push(("{notification}", "1".to_string()));
    let (status, portal) = app
        .account_call(
            account_id,
            Method::POST,
            "/portals",
            token,
            Some(json!({"name": "Docs", "slug": format!("docs-{account_id}")})),
        )
        .await;
    assert_eq!(status, 200, "{portal}");
    let slug = portal["slug"].as_str().expect("slug").to_string();
    let (status, category) = app
        .account_call(
            account_id,
            Method::POST,
            &format!("/portals/{slug}/categories"),
            token,
            Some(json!({"name": "Start", "slug": "start"})),
        )
        .await;
    assert_eq!(status, 200, "{category}");
    let (status, article) = app
        .account_call(
            account_id,
            Method::POST,
            &format!("/portals/{slug}/articles"),
            token,
            Some(json!({"title": "Hello", "content": "Hi"})),
        )
        .await;
    assert_eq!(status, 200, "{article}");
    ids.push(("{category}", category["payload"]["id"].to_string()));
    ids.push(("{article}", article["payload"]["id"].to_string()));
    ids.push(("{portal}", slug));
    ids
}

/// Endpoints Chatwoot opens to agent bots answer an outside bot with the account refusal;
/// every other endpoint refuses bots outright.
fn bot_refusal(method: &str, template: &str) -> &'static str {
    const BOT_ENDPOINTS: &[(&str, &str)] = &[
        ("POST", "/conversations"),
        ("PATCH", "/conversations/{conversation}"),
        ("PUT", "/conversations/{conversation}"),
        ("POST", "/conversations/{conversation}/toggle_status"),
        ("POST", "/conversations/{conversation}/toggle_priority"),
        ("POST", "/conversations/{conversation}/custom_attributes"),
        ("POST", "/conversations/{conversation}/assignments"),
        ("POST", "/conversations/{conversation}/messages"),
    ];
    if BOT_ENDPOINTS.contains(&(method, template)) {
        "Bot is not authorized to access this account"
    } else {
        "Access to this endpoint is not authorized for bots"
    }
}

/// Another account's user: the account itself is looked up among the user's own accounts (404);
/// everything under it answers the account gate's 401.
fn outsider_refusal<'a>(template: &str, token: &'a str) -> (Option<&'a str>, u16, Value) {
    if template.is_empty() {
        (Some(token), 404, error("Resource could not be found"))
    } else {
        (
            Some(token),
            401,
            error("You are not authorized to access this account"),
        )
    }
}

fn fill(template: &str, ids: &[(&str, String)]) -> String {
    ids.iter().fold(template.to_string(), |path, (placeholder, id)| {
        path.replace(placeholder, id)
    })
}

#[tokio::test]
async fn no_route_answers_outsiders() {
    // Hundreds of deliberate bad-token calls: lift the failed-auth limit for this walk.
    let app = spawn_app_with(|config| config.auth_failure_limit = 100_000).await;
    let acme = app.seed_team("Acme");
    let globex = app.seed_team("Globex");
    let ids = seed_everything(&app, acme.admin.account_id, &acme.admin.token, acme.agent_id).await;
    let (_, platform) = app.seed_platform_app("hub");
    let (_, bot) = app
        .call(
            Method::POST,
            "/platform/api/v1/agent_bots",
            Some(&platform),
            Some(json!({"name": "Outside bot"})),
        )
        .await;
    let bot_token = bot["access_token"].as_str().expect("bot token").to_string();
    let audit_before = app.count("audit_logs");
    let body = json!({"name": "x", "user_ids": [acme.agent_id], "inbox_id": 1});

    for (method, template) in ACCOUNT_ROUTES {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let rest = fill(template, &ids);
        let path = format!("/api/v1/accounts/{}{rest}", acme.admin.account_id);
        let cases = [
            (None, 401, no_credentials()),
            (Some("forged-token"), 401, error("Invalid Access Token")),
            outsider_refusal(template, &globex.admin.token),
            (
                Some(bot_token.as_str()),
                401,
                error(bot_refusal(method.as_str(), template)),
            ),
        ];
        for (token, status, expected) in cases {
            let (got, response) = app.call(method.clone(), &path, token, Some(body.clone())).await;
            assert_eq!(
                (got, &response),
                (status, &expected),
                "{method} {path} with {token:?}"
            );
        }
        let missing = format!("/api/v1/accounts/999999{rest}");
        let (got, response) = app
            .call(
                method.clone(),
                &missing,
                Some(&acme.admin.token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            (got, response),
            (404, error("Resource could not be found")),
            "{method} {missing}"
        );
    }
    assert_eq!(
        app.count("audit_logs"),
        audit_before,
        "no outsider changed anything"
    );
}

/// A route template with every `{placeholder}` written `{x}`, so the walk's names (`{contact}`)
/// and the table's (`{id}`) compare.
fn generic(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str("{x}");
        rest = &rest[close..];
    }
    out + rest
}

#[test]
fn route_table_and_walk_agree() {
    let listed = parlor::routes::account_routes_list();
    let mut registered: Vec<(String, String)> = listed
        .iter()
        .map(|(method, path)| ((*method).to_string(), generic(path)))
        .collect();
    let mut walked: Vec<(String, String)> = ACCOUNT_ROUTES
        .iter()
        .map(|(method, path)| ((*method).to_string(), generic(path)))
        .collect();
    registered.sort();
    walked.sort();
    assert!(registered.len() > 100, "the table lists the account routes");
    let not_walked: Vec<_> = registered.iter().filter(|r| !walked.contains(r)).collect();
    let not_registered: Vec<_> = walked.iter().filter(|r| !registered.contains(r)).collect();
    assert!(
        not_walked.is_empty() && not_registered.is_empty(),
        "registered but not walked: {not_walked:?}; walked but not registered: {not_registered:?}"
    );
    assert_eq!(registered, walked, "each route once on both sides");
    // The same routes, with their scope, in the list of every route of the app.
    let everything: BTreeSet<(&str, String)> = parlor::routes::routes_list().into_iter().collect();
    for (method, path) in listed {
        let full = format!("/api/v1/accounts/{{account_id}}{path}");
        assert!(everything.contains(&(method, full.clone())), "{method} {full}");
    }
}

/// Whether a route names an inbox, or something inside one (conversation, message).
fn inside_an_inbox(template: &str) -> bool {
    ["{inbox}", "{conversation}"]
        .iter()
        .any(|placeholder| template.contains(placeholder))
}

/// Tables a refused call must leave untouched.
const INBOX_TABLES: &[&str] = &[
    "conversations",
    "messages",
    "contact_inboxes",
    "contacts",
    "inbox_members",
    "agent_bot_inboxes",
];

#[tokio::test]
async fn no_route_answers_an_agent_outside_the_inbox() {
    let app = spawn_app_with(|config| config.auth_failure_limit = 100_000).await;
    let acme = app.seed_team("Acme");
    let ids = seed_everything(&app, acme.admin.account_id, &acme.admin.token, acme.agent_id).await;
    let id = |placeholder: &str| {
        ids.iter()
            .find(|(p, _)| *p == placeholder)
            .map(|(_, id)| id.clone())
            .expect("seeded")
    };
    let (inbox, contact) = (id("{inbox}"), id("{contact}"));
    let before: Vec<i64> = INBOX_TABLES.iter().map(|t| app.count(t)).collect();
    let agent = acme.agent.as_str();
    let body = json!({"name": "x", "user_ids": [acme.agent_id], "inbox_id": inbox.parse::<i64>().expect("id"),
        "content": "x", "status": "resolved", "priority": "high", "labels": ["vip"]});

    let mut walked = 0;
    for (method, template) in ACCOUNT_ROUTES.iter().filter(|(_, t)| inside_an_inbox(t)) {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let path = format!(
            "/api/v1/accounts/{}{}",
            acme.admin.account_id,
            fill(template, &ids)
        );
        let (status, response) = app
            .call(method.clone(), &path, Some(agent), Some(body.clone()))
            .await;
        assert_eq!(
            (status, response),
            (401, error("You are not authorized to do this action")),
            "{method} {path}"
        );
        walked += 1;
    }
    assert!(walked > 20, "the walk covers the inbox and conversation routes");

    // Routes that carry the inbox, contact inbox or conversation in the body.
    let (_, contact_json) = app
        .account_call(
            acme.admin.account_id,
            Method::GET,
            &format!("/contacts/{contact}"),
            &acme.admin.token,
            None,
        )
        .await;
    let source_id = contact_json["payload"]["contact_inboxes"][0]["source_id"]
        .as_str()
        .expect("the seeded conversation's contact inbox")
        .to_string();
    let inbox_id: i64 = inbox.parse().expect("id");
    let contact_id: i64 = contact.parse().expect("id");
    let by_body = [
        ("/conversations", json!({"source_id": source_id})),
        (
            "/conversations",
            json!({"inbox_id": inbox_id, "contact_id": contact_id}),
        ),
        (
            "/conversations",
            json!({"inbox_id": inbox_id, "contact_id": 999_999}),
        ),
        (
            "/contact_inboxes/filter",
            json!({"inbox_id": inbox_id, "source_id": source_id}),
        ),
        (
            "/contact_inboxes/filter",
            json!({"inbox_id": inbox_id, "source_id": "nobody"}),
        ),
        (
            &*format!("/contacts/{contact}/contact_inboxes"),
            json!({"inbox_id": inbox_id}),
        ),
        (
            "/contacts",
            json!({"name": "New", "email": "new@example.test", "inbox_id": inbox_id}),
        ),
    ];
    for (rest, body) in by_body {
        let (status, response) = app
            .account_call(
                acme.admin.account_id,
                Method::POST,
                rest,
                agent,
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            (status, response),
            (401, error("You are not authorized to do this action")),
            "POST {rest} {body}"
        );
    }

    // Lists leave the inbox out rather than refusing.
    let empty_lists = [
        (
            Method::GET,
            format!("/conversations?inbox_id={inbox}&status=all"),
            "/data/payload",
        ),
        (
            Method::GET,
            "/conversations/search?q=Hello".to_string(),
            "/payload",
        ),
        (
            Method::GET,
            format!("/contacts/{contact}/conversations"),
            "/payload",
        ),
        (
            Method::GET,
            format!("/contacts/{contact}/contactable_inboxes"),
            "/payload",
        ),
        (Method::GET, "/inboxes".to_string(), "/payload"),
    ];
    for (method, rest, pointer) in empty_lists {
        let (status, response) = app
            .account_call(acme.admin.account_id, method.clone(), &rest, agent, None)
            .await;
        assert_eq!(status, 200, "{method} {rest}: {response}");
        assert_eq!(
            response.pointer(pointer),
            Some(&json!([])),
            "{method} {rest}: {response}"
        );
    }
    let filter = json!({"payload": [{"attribute_key": "inbox_id", "filter_operator": "equal_to",
        "values": [inbox_id], "query_operator": null}]});
    let (status, response) = app
        .account_call(
            acme.admin.account_id,
            Method::POST,
            "/conversations/filter",
            agent,
            Some(filter),
        )
        .await;
    assert_eq!(
        (status, response.pointer("/payload")),
        (200, Some(&json!([]))),
        "{response}"
    );
    let (_, meta) = app
        .account_call(
            acme.admin.account_id,
            Method::GET,
            "/conversations/meta?status=all",
            agent,
            None,
        )
        .await;
    assert_eq!(meta["meta"]["all_count"], 0, "{meta}");

    let after: Vec<i64> = INBOX_TABLES.iter().map(|t| app.count(t)).collect();
    assert_eq!(before, after, "refused calls wrote nothing");
}

/// Session headers (devise_token_auth, the mobile app's way) authenticate every account route
/// exactly as the API token does: the same answers for the member, outsiders refused alike,
/// a forged session refused with devise's body.
#[tokio::test]
async fn session_headers_work_on_every_route() {
    let app = spawn_app_with(|config| config.auth_failure_limit = 100_000).await;
    let acme = app.seed_team("Acme");
    let _globex = app.seed_team("Globex");
    let ids = seed_everything(&app, acme.admin.account_id, &acme.admin.token, acme.agent_id).await;
    let member = crate::sign_in::sign_in(&app, "admin@acme.test").await;
    let outsider = crate::sign_in::sign_in(&app, "admin@globex.test").await;
    let forged = crate::sign_in::Session {
        access_token: "forged".into(),
        ..member.clone()
    };
    for (method, template) in ACCOUNT_ROUTES {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let path = format!(
            "/api/v1/accounts/{}{}",
            acme.admin.account_id,
            fill(template, &ids)
        );
        if method == Method::GET {
            let by_token = app
                .call(method.clone(), &path, Some(&acme.admin.token), None)
                .await;
            let by_session = member.call(&app, method.clone(), &path, None).await;
            assert_eq!(by_session, by_token, "GET {path}");
        }
        let (_, status, expected) = outsider_refusal(template, "");
        assert_eq!(
            outsider.call(&app, method.clone(), &path, None).await,
            (status, expected),
            "{method} {path} as an outsider"
        );
        assert_eq!(
            forged.call(&app, method.clone(), &path, None).await,
            (401, no_credentials()),
            "{method} {path} with a forged session"
        );
    }
}
