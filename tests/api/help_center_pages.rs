//! The public help center over HTTP: pages, feeds, custom domains, caching, views and feedback.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Team, TestApp, spawn_app};

/// A portal with a published article in a category, a draft, a hostile article and a French
/// locale; returns the team.
pub async fn seed(app: &TestApp) -> Team {
    let t = app.seed_team("Acme");
    let a = t.admin.account_id;
    let call = |path: &str, body: Value| {
        let path = path.to_string();
        let token = t.admin.token.clone();
        async move {
            let (status, body) = app.account_call(a, Method::POST, &path, &token, Some(body)).await;
            assert_eq!(status, 200, "{path}: {body}");
            body
        }
    };
    call(
        "/portals",
        json!({"name": "Acme Help", "slug": "acme", "header_text": "How can we help?",
        "custom_domain": "help.acme.test", "config": {"allowed_locales": ["en", "fr"]}}),
    )
    .await;
    let category = call(
        "/portals/acme/categories",
        json!({"name": "Billing", "slug": "billing", "icon": "💳",
        "description": "Invoices and payments"}),
    )
    .await;
    let category_id = category["payload"]["id"].as_i64().expect("id");
    call("/portals/acme/articles", json!({"title": "Download your invoice", "slug": "download-invoice",
        "category_id": category_id, "status": "published",
        "content": "## Where to find it\n\nOpen **Billing** and pick the invoice.\n\n## Paying\n\nInvoices are paid by card."})).await;
    call(
        "/portals/acme/articles",
        json!({"title": "Secret roadmap", "slug": "secret-roadmap",
        "content": "not yet public"}),
    )
    .await;
    call(
        "/portals/acme/articles",
        json!({"title": "Hostile", "slug": "hostile", "status": "published",
        "content": "Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"}),
    )
    .await;
    call(
        "/portals/acme/articles",
        json!({"title": "Factures", "slug": "factures", "locale": "fr",
        "status": "published", "content": "Téléchargez vos factures."}),
    )
    .await;
    t
}

/// Rename the first category of Acme's portal through the API.
async fn rename_first_category(app: &TestApp, t: &Team, name: &str) {
    let a = t.admin.account_id;
    let (_, categories) = app
        .account_call(a, Method::GET, "/portals/acme/categories", &t.admin.token, None)
        .await;
    let id = categories["payload"][0]["id"].as_i64().expect("id");
    let path = format!("/portals/acme/categories/{id}");
    let (status, body) = app
        .account_call(
            a,
            Method::PATCH,
            &path,
            &t.admin.token,
            Some(json!({"name": name})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// Change an article of Acme's portal through the API.
async fn edit_article(app: &TestApp, t: &Team, id: i64, changes: Value) {
    let path = format!("/portals/acme/articles/{id}");
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::PATCH,
            &path,
            &t.admin.token,
            Some(changes),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The id of the first article of Acme's admin list matching `query`.
async fn first_article_id(app: &TestApp, t: &Team, query: &str) -> i64 {
    let path = format!("/portals/acme/articles?query={query}");
    let (_, list) = app
        .account_call(t.admin.account_id, Method::GET, &path, &t.admin.token, None)
        .await;
    list["payload"][0]["id"].as_i64().expect("id")
}

async fn get(app: &TestApp, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("body"))
}

#[tokio::test]
async fn pages_show_published_content_only() {
    let app = spawn_app().await;
    seed(&app).await;
    let response = app
        .client
        .get(format!("{}/hc/acme", app.address))
        .send()
        .await
        .expect("root");
    assert_eq!(response.status(), 200, "redirect followed to the default locale");
    assert!(response.url().path().ends_with("/hc/acme/en"));

    let (status, headers, home) = get(&app, "/hc/acme/en").await;
    assert_eq!(status, 200);
    assert!(
        headers["content-security-policy"]
            .to_str()
            .expect("csp")
            .contains("default-src 'none'")
    );
    assert_eq!(headers["x-frame-options"], "DENY");
    for expected in [
        "How can we help?",
        "Billing",
        "Download your invoice",
        "hreflang=\"fr\"",
        "rel=\"canonical\"",
        "Français (fr)",
        "/hc/acme/en/search",
    ] {
        assert!(home.contains(expected), "home lacks {expected}");
    }
    assert!(!home.contains("Secret roadmap"), "drafts are not listed");

    let (status, _, article) = get(&app, "/hc/acme/articles/download-invoice").await;
    assert_eq!(status, 200);
    for expected in [
        "<h2 id=\"where-to-find-it\">",
        "href=\"#paying\"",
        "application/ld+json",
        "\"@type\":\"Article\"",
        "Last updated on",
        "Was this article helpful?",
        "<a href=\"/hc/acme/en/categories/billing\">Billing</a>",
    ] {
        assert!(article.contains(expected), "article lacks {expected}");
    }
    let (status, _, _) = get(&app, "/hc/acme/articles/secret-roadmap").await;
    assert_eq!(
        status, 404,
        "Parlor does better than Chatwoot: drafts are not public"
    );
    let (status, _, _) = get(&app, "/hc/acme/articles/secret-roadmap.md").await;
    assert_eq!(status, 404);
    let (status, headers, markdown) = get(&app, "/hc/acme/articles/download-invoice.md").await;
    assert_eq!(
        (status, headers["content-type"].to_str().ok()),
        (200, Some("text/markdown; charset=utf-8"))
    );
    assert!(markdown.starts_with("## Where to find it"));

    let (status, _, hostile) = get(&app, "/hc/acme/articles/hostile").await;
    assert_eq!(status, 200);
    let lower = hostile.to_lowercase();
    assert!(
        !lower.contains("<script>alert") && !lower.contains("javascript:") && !lower.contains("onerror"),
        "{hostile}"
    );

    let (status, _, category) = get(&app, "/hc/acme/en/categories/billing").await;
    assert_eq!(status, 200);
    assert!(category.contains("Invoices and payments") && category.contains("1 article"));
    let (status, _, missing) = get(&app, "/hc/acme/en/categories/nope").await;
    assert_eq!(status, 404);
    assert!(missing.contains("Page not found"));

    let (status, _, french) = get(&app, "/hc/acme/fr").await;
    assert_eq!(status, 200);
    assert!(
        french.contains("lang=\"fr\"")
            && french.contains("Factures")
            && !french.contains("Download your invoice")
    );

    let response = app
        .client
        .get(format!("{}/hc/acme/en/categories", app.address))
        .send()
        .await
        .expect("categories");
    assert_eq!(
        response.url().path(),
        "/hc/acme/en",
        "categories index moves home"
    );
}

#[tokio::test]
async fn search_ranks_and_highlights() {
    let app = spawn_app().await;
    seed(&app).await;
    let (status, headers, page) = get(&app, "/hc/acme/en/search?query=invoice").await;
    assert_eq!(status, 200);
    assert!(headers["content-security-policy"].to_str().is_ok());
    assert!(page.contains("Download your invoice"), "{page}");
    assert!(page.contains("<mark>"), "matches are highlighted");
    assert!(page.contains(">1 result<"), "one result, singular: {page}");
    assert!(!page.contains("Secret roadmap"));
    let (status, _, page) = get(
        &app,
        "/hc/acme/en/search?query=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    )
    .await;
    assert_eq!(status, 200);
    assert!(!page.contains("<script>alert"), "the query is escaped");

    let (status, _, body) = get(&app, "/hc/acme/en/articles.json?query=invo").await;
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["payload"][0]["link"], "/hc/acme/articles/download-invoice");
    let (_, _, body) = get(&app, "/hc/acme/en/articles.json?per_page=1&sort=views").await;
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["meta"]["articles_count"], 2);
    assert_eq!(body["payload"].as_array().map(Vec::len), Some(1));
    assert!(
        body["payload"][0]["content"]
            .as_str()
            .is_some_and(|c| !c.is_empty()),
        "the widget list carries the markdown: {body}"
    );
    assert!(
        body["payload"][0]["link"]
            .as_str()
            .is_some_and(|l| l.starts_with("hc/acme/articles/"))
    );
    let (_, _, body) = get(&app, "/hc/acme/en/categories.json").await;
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["payload"][0]["slug"], "billing");
    assert_eq!(body["payload"][0]["meta"]["articles_count"], 1);
    assert!(body["payload"][0].get("id").is_none());

    let (status, _, sitemap) = get(&app, "/hc/acme/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(sitemap.contains("https://help.acme.test/hc/acme/articles/download-invoice"));
    assert!(sitemap.contains("/articles/factures"));
    assert!(!sitemap.contains("secret-roadmap"));
    let (status, _, robots) = get(&app, "/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Disallow: /api/"));
}

#[tokio::test]
async fn custom_domains_route_to_their_portal() {
    let app = spawn_app().await;
    seed(&app).await;
    let on = |host: &str, path: &str| {
        app.client
            .get(format!("{}{path}", app.address))
            .header("Host", host.to_string())
            .send()
    };
    let home = on("help.acme.test", "/").await.expect("home");
    assert_eq!(home.status(), 200);
    assert!(home.text().await.expect("body").contains("How can we help?"));
    let any_slug = on("help.acme.test", "/hc/whatever/en")
        .await
        .expect("slug ignored");
    assert_eq!(any_slug.status(), 200, "the domain decides the portal");
    let unknown = on("evil.test", "/hc/acme/en").await.expect("unknown");
    assert_eq!(unknown.status(), 401);
    let body: Value = unknown.json().await.expect("json");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("Domain: evil.test is not registered"))
    );
    let root = on("evil.test", "/").await.expect("root");
    assert_eq!(root.status(), 404);
}

#[tokio::test]
async fn caching_views_and_feedback() {
    let app = spawn_app().await;
    let t = seed(&app).await;
    let (_, headers, _) = get(&app, "/hc/acme/en").await;
    let etag = headers["etag"].to_str().expect("etag").to_string();
    let again = app
        .client
        .get(format!("{}/hc/acme/en", app.address))
        .header("If-None-Match", etag)
        .send()
        .await
        .expect("conditional");
    assert_eq!(again.status(), 304);
    let gz = app
        .client
        .get(format!("{}/hc/acme/en", app.address))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .expect("gzip");
    assert_eq!(gz.headers()["content-encoding"], "gzip");

    for _ in 0..3 {
        get(&app, "/hc/acme/articles/download-invoice").await;
    }
    let response = app
        .client
        .post(format!(
            "{}/hc/acme/articles/download-invoice/feedback",
            app.address
        ))
        .form(&[("helpful", "true")])
        .send()
        .await
        .expect("feedback");
    assert_eq!(response.status(), 200, "303 back to the article");
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("Thank you for your feedback")
    );
    let bad = app
        .client
        .post(format!(
            "{}/hc/acme/articles/download-invoice/feedback",
            app.address
        ))
        .form(&[("helpful", "maybe")])
        .send()
        .await
        .expect("feedback");
    assert_eq!(bad.status(), 400);
    let (_, list) = app
        .account_call(
            t.admin.account_id,
            Method::GET,
            "/portals/acme/articles?query=invoice",
            &t.admin.token,
            None,
        )
        .await;
    let article = &list["payload"][0];
    assert_eq!(article["views"], 1, "one visitor, one view a day");
    assert_eq!(article["helpful_count"], 1);
    assert_eq!(article["not_helpful_count"], 0);

    // Archived portals disappear from the public.
    app.account_call(
        t.admin.account_id,
        Method::PATCH,
        "/portals/acme",
        &t.admin.token,
        Some(json!({"archived": true})),
    )
    .await;
    let (status, _, _) = get(&app, "/hc/acme/en").await;
    assert_eq!(status, 404);
}

async fn conditional_get(app: &TestApp, path: &str, since: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .header("If-Modified-Since", since)
        .send()
        .await
        .expect("conditional")
}

#[tokio::test]
async fn last_modified_follows_what_the_pages_show() {
    let app = spawn_app().await;
    let t = seed(&app).await;
    let (_, headers, _) = get(&app, "/hc/acme/articles/download-invoice").await;
    let since = headers["last-modified"].to_str().expect("date").to_string();
    assert_eq!(
        conditional_get(&app, "/hc/acme/articles/download-invoice", &since)
            .await
            .status(),
        304
    );
    assert_eq!(conditional_get(&app, "/hc/acme/en", &since).await.status(), 304);

    // A view or a vote is not a change of the page.
    get(&app, "/hc/acme/articles/hostile").await;
    assert_eq!(conditional_get(&app, "/hc/acme/en", &since).await.status(), 304);

    // HTTP dates have whole seconds: wait past this one, then edit a category.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    rename_first_category(&app, &t, "Payments").await;
    let changed = conditional_get(&app, "/hc/acme/articles/download-invoice", &since).await;
    assert_eq!(changed.status(), 200, "the breadcrumb shows the category name");
    let newer = changed.headers()["last-modified"]
        .to_str()
        .expect("date")
        .to_string();
    assert_ne!(newer, since);
    assert!(changed.text().await.expect("body").contains("Payments"));
    assert_eq!(conditional_get(&app, "/hc/acme/en", &newer).await.status(), 304);
}

#[tokio::test]
async fn search_results_follow_article_changes() {
    let app = spawn_app().await;
    let t = seed(&app).await;
    let search = |q: &'static str| {
        let app = &app;
        async move {
            let (status, _, body) = get(app, &format!("/hc/acme/en/articles.json?query={q}")).await;
            assert_eq!(status, 200);
            let body: Value = serde_json::from_str(&body).expect("json");
            body["payload"]
                .as_array()
                .expect("payload")
                .iter()
                .map(|a| a["title"].as_str().expect("title").to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("invoice").await, ["Download your invoice"]);
    let html = get(&app, "/hc/acme/en/search?query=invoice").await.2;
    assert!(html.contains("Download your invoice"));

    // Repeated searches are remembered; an edit must still show at once.
    let id = first_article_id(&app, &t, "invoice").await;
    edit_article(
        &app,
        &t,
        id,
        json!({"title": "Receipts", "content": "Find your receipts under Billing."}),
    )
    .await;
    assert!(search("invoice").await.is_empty(), "the old words are gone");
    assert_eq!(search("receipts").await, ["Receipts"]);
    let html = get(&app, "/hc/acme/en/search?query=invoice").await.2;
    assert!(
        !html.contains("Download your invoice"),
        "the HTML results follow too"
    );

    edit_article(&app, &t, id, json!({"status": "draft"})).await;
    assert!(search("receipts").await.is_empty(), "drafts leave the results");
}

/// Search folds case and diacritics as the full-text index does, stays inside its portal and
/// locale, and follows category renames and deletions.
#[tokio::test]
async fn search_folds_diacritics_and_keeps_to_its_portal() {
    let app = spawn_app().await;
    let t = seed(&app).await;
    let titles = |body: &str| -> Vec<String> {
        let body: Value = serde_json::from_str(body).expect("json");
        body["payload"]
            .as_array()
            .expect("payload")
            .iter()
            .map(|a| a["title"].as_str().expect("title").to_string())
            .collect()
    };
    let (status, _, body) = get(&app, "/hc/acme/fr/articles.json?query=telechargez").await;
    assert_eq!(status, 200);
    assert_eq!(titles(&body), ["Factures"]);
    assert!(body.contains("Téléchargez vos factures"), "{body}");
    let (_, _, page) = get(&app, "/hc/acme/fr/search?query=T%C3%89L%C3%89CHARG").await;
    assert!(page.contains("<mark>Téléchargez</mark>"), "{page}");
    let (_, _, body) = get(&app, "/hc/acme/en/articles.json?query=factures").await;
    assert!(titles(&body).is_empty(), "other locales stay out");

    // Another account's portal with the same words never shows up in Acme's results.
    let other = app.seed_team("Other");
    let o = other.admin.account_id;
    for (path, body) in [
        ("/portals", json!({"name": "Other Help", "slug": "other"})),
        (
            "/portals/other/articles",
            json!({"title": "Invoice secrets", "slug": "invoice-secrets", "status": "published",
                "content": "invoice invoice invoice"}),
        ),
    ] {
        let (status, body) = app
            .account_call(o, Method::POST, path, &other.admin.token, Some(body))
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, _, body) = get(&app, "/hc/acme/en/articles.json?query=invoice").await;
    assert_eq!(titles(&body), ["Download your invoice"]);
    let (_, _, body) = get(&app, "/hc/other/en/articles.json?query=invoice").await;
    assert_eq!(titles(&body), ["Invoice secrets"]);

    // The results page names the category; a rename shows at once, a deletion removes the hit.
    let a = t.admin.account_id;
    let page = get(&app, "/hc/acme/en/search?query=invoice").await.2;
    assert!(page.contains("\">Billing · "), "{page}");
    rename_first_category(&app, &t, "Payments").await;
    let page = get(&app, "/hc/acme/en/search?query=invoice").await.2;
    assert!(
        page.contains("\">Payments · ") && !page.contains("\">Billing · "),
        "{page}"
    );
    let id = first_article_id(&app, &t, "invoice").await;
    let (status, _) = app
        .account_call(
            a,
            Method::DELETE,
            &format!("/portals/acme/articles/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (_, _, body) = get(&app, "/hc/acme/en/articles.json?query=invoice").await;
    assert!(titles(&body).is_empty(), "deleted articles leave the results");
}

/// The home page's lists are remembered between requests, yet an edit shows at once.
#[tokio::test]
async fn home_page_follows_edits() {
    let app = spawn_app().await;
    let t = seed(&app).await;
    let home = get(&app, "/hc/acme/en").await.2;
    assert!(!home.contains("Secret roadmap") && home.contains("Billing"));
    let id = first_article_id(&app, &t, "roadmap").await;
    edit_article(&app, &t, id, json!({"status": "published"})).await;
    assert!(get(&app, "/hc/acme/en").await.2.contains("Secret roadmap"));
    rename_first_category(&app, &t, "Payments").await;
    let home = get(&app, "/hc/acme/en").await.2;
    assert!(home.contains("Payments") && !home.contains(">Billing<"), "{home}");
}

/// A snippet cut from the middle of a long article: the widget JSON marks the cuts "..." as
/// Chatwoot's excerpt does, the results page "…".
#[tokio::test]
async fn snippets_mark_their_cuts() {
    let app = spawn_app().await;
    let t = seed(&app).await;
    let filler = "lorem ipsum dolor sit amet ".repeat(20);
    let (status, body) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/portals/acme/articles",
            &t.admin.token,
            Some(
                json!({"title": "Long read", "slug": "long-read", "status": "published",
                "content": format!("{filler} the warranty covers parts {filler}")}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, _, body) = get(&app, "/hc/acme/en/articles.json?query=warranty").await;
    let body: Value = serde_json::from_str(&body).expect("json");
    let content = body["payload"][0]["content"].as_str().expect("content");
    assert!(
        content.starts_with("...") && content.ends_with("...") && content.contains("warranty covers"),
        "{content}"
    );
    assert!(!content.contains('…'), "{content}");
    let page = get(&app, "/hc/acme/en/search?query=warranty").await.2;
    assert!(
        page.contains("…") && page.contains("<mark>warranty</mark>"),
        "{page}"
    );
}
