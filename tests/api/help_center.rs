//! Help center administration API: portals, categories, articles, bulk actions, search, logo.

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{Team, TestApp, denied, not_found, spawn_app, stable};

/// A portal `docs` with locales en + fr, a category per locale and returns (team, slug).
async fn seed_portal(app: &TestApp) -> Team {
    let t = app.seed_team("Acme");
    let (status, portal) = app
        .account_call(
            t.admin.account_id,
            Method::POST,
            "/portals",
            &t.admin.token,
            Some(
                json!({"portal": {"name": "Acme Help", "slug": "docs", "color": "#0a6",
                "config": {"allowed_locales": ["en", "fr"], "default_locale": "en"}}}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{portal}");
    t
}

async fn post(app: &TestApp, t: &Team, path: &str, body: Value) -> (u16, Value) {
    app.account_call(t.admin.account_id, Method::POST, path, &t.admin.token, Some(body))
        .await
}

#[tokio::test]
async fn portal_lifecycle_and_shapes() {
    let app = spawn_app().await;
    let t = seed_portal(&app).await;
    let a = t.admin.account_id;
    let (status, portal) = app
        .account_call(a, Method::GET, "/portals/docs", &t.agent, None)
        .await;
    assert_eq!(status, 200);
    insta::assert_json_snapshot!("portal_show", stable(&portal));
    assert_eq!(portal["config"]["allowed_locales"][1]["code"], "fr");

    let (status, list) = app.account_call(a, Method::GET, "/portals", &t.agent, None).await;
    assert_eq!(status, 200);
    assert_eq!(list["meta"], json!({"current_page": 1, "portals_count": 1}));
    assert_eq!(list["payload"][0]["slug"], "docs");

    // Agents read but never write.
    let (status, body) = app
        .account_call(
            a,
            Method::PATCH,
            "/portals/docs",
            &t.agent,
            Some(json!({"name": "Mine"})),
        )
        .await;
    assert_eq!((status, body), (401, denied()));

    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            "/portals/docs",
            &t.admin.token,
            Some(json!({"portal": {"custom_domain": "https://Help.Acme.test/x", "homepage_link": "https://acme.test"}})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["custom_domain"], "help.acme.test");
    assert_eq!(updated["name"], "Acme Help", "untouched fields stay");

    let (status, archived) = app
        .account_call(a, Method::PATCH, "/portals/docs/archive", &t.admin.token, None)
        .await;
    assert_eq!((status, archived["archived"].clone()), (200, json!(true)));

    let (status, _) = app
        .account_call(a, Method::DELETE, "/portals/docs", &t.admin.token, None)
        .await;
    assert_eq!(status, 200);
    let (status, body) = app
        .account_call(a, Method::GET, "/portals/docs", &t.agent, None)
        .await;
    assert_eq!((status, body), (404, not_found()));
}

#[tokio::test]
async fn portal_bad_input_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let t = seed_portal(&app).await;
    let other = app.seed_account("Globex", "admin@globex.test");
    let cases = [
        (json!({"name": "", "slug": "x1"}), "Name can't be blank"),
        (
            json!({"name": "X", "slug": "docs"}),
            "Slug has already been taken",
        ),
        (json!({"name": "X", "slug": "a/b"}), "Slug is invalid"),
        (json!({"name": "X", "slug": "x2", "color": "red"}), ""),
        (
            json!({"name": "X", "slug": "x3", "homepage_link": "javascript:alert(1)"}),
            "Homepage link is invalid",
        ),
        (
            json!({"name": "X", "slug": "x4", "config": {"theme": "dark"}}),
            "Config theme is not supported.",
        ),
        (
            json!({"name": "X", "slug": "x5", "config": {"allowed_locales": ["en"], "draft_locales": ["en"]}}),
            "",
        ),
        (
            json!({"name": "X", "slug": "x6", "config": {"allowed_locales": ["zz"]}}),
            "",
        ),
        (json!({"name": "X", "slug": "x7", "archived": "yes"}), ""),
    ];
    let before = app.count("portals");
    for (body, message) in cases {
        let (status, response) = post(&app, &t, "/portals", body.clone()).await;
        assert_eq!(status, 422, "{body} → {response}");
        if !message.is_empty() {
            assert_eq!(response["message"], message, "{body}");
        }
    }
    // Slugs are global: another account cannot take `docs` either.
    let (status, response) = app
        .account_call(
            other.account_id,
            Method::POST,
            "/portals",
            &other.token,
            Some(json!({"name": "G", "slug": "docs"})),
        )
        .await;
    assert_eq!(status, 422, "{response}");
    assert_eq!(app.count("portals"), before);
    // …and cannot see it.
    let (status, _) = app
        .account_call(other.account_id, Method::GET, "/portals/docs", &other.token, None)
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn categories_are_per_locale() {
    let app = spawn_app().await;
    let t = seed_portal(&app).await;
    let a = t.admin.account_id;
    let (status, en) = post(
        &app,
        &t,
        "/portals/docs/categories",
        json!({"category": {"name": "Getting started", "slug": "start", "position": 2, "icon": "🚀"}}),
    )
    .await;
    assert_eq!(status, 200, "{en}");
    insta::assert_json_snapshot!("category_created", stable(&en));
    let en_id = en["payload"]["id"].as_i64().expect("id");
    let (status, fr) = post(&app, &t, "/portals/docs/categories",
        json!({"name": "Démarrer", "slug": "start", "locale": "fr", "associated_category_id": en_id, "position": 1})).await;
    assert_eq!(status, 200, "same slug in another locale is fine: {fr}");
    assert_eq!(fr["payload"]["root_category"]["id"], en_id);
    let fr_id = fr["payload"]["id"].as_i64().expect("id");

    for (body, attribute) in [
        (json!({"name": "Again", "slug": "start"}), "slug"),
        (json!({"name": "De", "slug": "de", "locale": "de"}), "locale"),
        (json!({"name": "", "slug": "blank"}), "name"),
        (
            json!({"name": "P", "slug": "p", "parent_category_id": 999}),
            "parent_category_id",
        ),
    ] {
        let (status, body) = post(&app, &t, "/portals/docs/categories", body).await;
        assert_eq!(
            (status, body["attributes"][0].as_str()),
            (422, Some(attribute)),
            "{body}"
        );
    }

    let (status, list) = app
        .account_call(a, Method::GET, "/portals/docs/categories", &t.agent, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(list["meta"]["categories_count"], 2);
    assert_eq!(list["payload"][0]["id"], fr_id, "by position");
    let (_, only_fr) = app
        .account_call(
            a,
            Method::GET,
            "/portals/docs/categories?locale=fr",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(only_fr["payload"].as_array().map(Vec::len), Some(1));

    // Agents may list but not read one or write.
    let (status, _) = app
        .account_call(
            a,
            Method::GET,
            &format!("/portals/docs/categories/{en_id}"),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 401);

    let (status, _) = post(
        &app,
        &t,
        "/portals/docs/categories/reorder",
        json!({"positions_hash": {en_id.to_string(): 1, fr_id.to_string(): 5}}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, list) = app
        .account_call(a, Method::GET, "/portals/docs/categories", &t.agent, None)
        .await;
    assert_eq!(list["payload"][0]["id"], en_id);
    let (status, _) = post(
        &app,
        &t,
        "/portals/docs/categories/reorder",
        json!({"positions_hash": {en_id.to_string(): 9, "424242": 1}}),
    )
    .await;
    assert_eq!(status, 404, "an unknown id rolls the whole reorder back");
    let (_, list) = app
        .account_call(a, Method::GET, "/portals/docs/categories", &t.agent, None)
        .await;
    assert_eq!(list["payload"][0]["id"], en_id);
    assert_eq!(list["payload"][0]["position"], 1);

    let (status, updated) = app
        .account_call(
            a,
            Method::PATCH,
            &format!("/portals/docs/categories/{en_id}"),
            &t.admin.token,
            Some(json!({"description": "First steps", "related_category_ids": [fr_id]})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["payload"]["related_categories"][0]["id"], fr_id);
    let (status, _) = app
        .account_call(
            a,
            Method::DELETE,
            &format!("/portals/docs/categories/{en_id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn articles_lifecycle() {
    let app = spawn_app().await;
    let t = seed_portal(&app).await;
    let a = t.admin.account_id;
    let (_, category) = post(
        &app,
        &t,
        "/portals/docs/categories",
        json!({"name": "Billing", "slug": "billing"}),
    )
    .await;
    let category_id = category["payload"]["id"].as_i64().expect("id");
    let (status, created) = post(
        &app,
        &t,
        "/portals/docs/articles",
        json!({"article": {"title": "Reset your password", "content": "# Steps\n\nClick **reset**.",
            "category_id": category_id, "meta": {"tags": ["account"]}}}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let article = &created["payload"];
    assert_eq!(article["status"], "draft");
    assert_eq!(article["position"], 10);
    assert_eq!(article["category"]["slug"], "billing");
    assert_eq!(article["author"]["id"], t.admin.user_id);
    let slug = article["slug"].as_str().expect("slug");
    assert!(slug.ends_with("-reset-your-password"), "{slug}");
    insta::assert_json_snapshot!(
        "article_created",
        stable(&json!({"payload": {
            "status": article["status"], "category": article["category"], "meta": article["meta"],
            "associated_articles": article["associated_articles"], "views": article["views"],
            "keys": article.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()),
        }}))
    );
    let id = article["id"].as_i64().expect("id");

    let (_, second) = post(&app, &t, "/portals/docs/articles",
        json!({"title": "Invoices", "content": "Monthly invoices", "category_id": category_id, "status": "published"})).await;
    assert_eq!(second["payload"]["position"], 20, "appended to the category");
    assert_eq!(second["payload"]["status"], "published");
    let (_, french) = post(&app, &t, "/portals/docs/articles",
        json!({"title": "Réinitialiser", "content": "Étapes", "locale": "fr", "associated_article_id": id, "status": 1})).await;
    assert_eq!(french["payload"]["status"], "published", "integers are cast");

    for (body, attribute) in [
        (json!({"title": ""}), "title"),
        (json!({"title": "S", "slug": "search"}), "slug"),
        (json!({"title": "S", "slug": slug}), "slug"),
        (json!({"title": "S", "status": "published"}), "content"),
        (json!({"title": "S", "status": "live"}), "status"),
        (json!({"title": "S", "category_id": 999}), "category_id"),
        (json!({"title": "S", "locale": "de"}), "locale"),
        (json!({"title": "S", "author_id": 999}), "author_id"),
    ] {
        let (status, response) = post(&app, &t, "/portals/docs/articles", body.clone()).await;
        assert_eq!(
            (status, response["attributes"][0].as_str()),
            (422, Some(attribute)),
            "{body} → {response}"
        );
    }
    assert_eq!(app.count("articles"), 3, "nothing half-written");

    let (status, show) = app
        .account_call(
            a,
            Method::GET,
            &format!("/portals/docs/articles/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        show["payload"]["associated_articles"][0]["title"],
        "Réinitialiser"
    );
    let (status, _) = app
        .account_call(
            a,
            Method::GET,
            &format!("/portals/docs/articles/{id}"),
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 401, "show is for administrators");

    let (status, list) = app
        .account_call(
            a,
            Method::GET,
            "/portals/docs/articles?locale=en&status=published",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["payload"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        list["meta"],
        json!({"all_articles_count": 3, "articles_count": 2, "archived_articles_count": 0,
        "draft_articles_count": 1, "published_count": 1, "mine_articles_count": 0, "current_page": 1}),
        "the agent wrote none"
    );
    let (_, ordered) = app
        .account_call(
            a,
            Method::GET,
            "/portals/docs/articles?category_slug=billing",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(ordered["payload"][0]["id"], id, "by position within a category");
    let (_, found) = app
        .account_call(
            a,
            Method::GET,
            "/portals/docs/articles?query=passw",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(
        found["payload"].as_array().map(Vec::len),
        Some(1),
        "prefix search: {found}"
    );
    let (status, bad) = app
        .account_call(
            a,
            Method::GET,
            "/portals/docs/articles?status=live",
            &t.agent,
            None,
        )
        .await;
    assert_eq!(status, 422, "{bad}");

    let (status, moved) = app
        .account_call(
            a,
            Method::PATCH,
            &format!("/portals/docs/articles/{id}"),
            &t.admin.token,
            Some(json!({"article": {"category_id": null, "status": "published"}})),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["payload"]["category"]["id"], Value::Null);
    assert_eq!(moved["payload"]["status"], "published");

    let (status, search) = app
        .account_call(a, Method::GET, "/search/articles?q=invoice", &t.agent, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(search["payload"]["articles"][0]["portal_slug"], "docs");
    assert_eq!(search["payload"]["articles"][0]["category_name"], "Billing");

    let (status, _) = app
        .account_call(
            a,
            Method::DELETE,
            &format!("/portals/docs/articles/{id}"),
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.count("articles"), 2);
}

#[tokio::test]
async fn bulk_actions_apply_all_or_nothing() {
    let app = spawn_app().await;
    let t = seed_portal(&app).await;
    let a = t.admin.account_id;
    let mut ids = Vec::new();
    for (title, content) in [("One", "text"), ("Two", ""), ("Three", "text")] {
        let (_, created) = post(
            &app,
            &t,
            "/portals/docs/articles",
            json!({"title": title, "content": content}),
        )
        .await;
        ids.push(created["payload"]["id"].as_i64().expect("id"));
    }
    let call = |method: Method, action: &str, body: Value| {
        let path = format!("/portals/docs/articles/bulk_actions/{action}");
        let token = t.admin.token.clone();
        let app = &app;
        async move { app.account_call(a, method, &path, &token, Some(body)).await }
    };
    let (status, _) = call(
        Method::PATCH,
        "update_status",
        json!({"ids": ids, "status": "published"}),
    )
    .await;
    assert_eq!(status, 422, "article Two has no content");
    let (_, list) = app
        .account_call(
            a,
            Method::GET,
            "/portals/docs/articles?status=published",
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(list["meta"]["published_count"], 0, "nothing was published");
    let (status, _) = call(
        Method::PATCH,
        "update_status",
        json!({"ids": [ids[0], ids[2]], "status": "archived"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        Method::PATCH,
        "update_status",
        json!({"ids": [999], "status": "archived"}),
    )
    .await;
    assert_eq!(status, 422, "no article matched");
    let (status, _) = call(
        Method::PATCH,
        "update_status",
        json!({"ids": [ids[0]], "status": "gone"}),
    )
    .await;
    assert_eq!(status, 422);
    let (_, category) = post(
        &app,
        &t,
        "/portals/docs/categories",
        json!({"name": "Misc", "slug": "misc"}),
    )
    .await;
    let category_id = category["payload"]["id"].as_i64().expect("id");
    let (status, _) = call(
        Method::PATCH,
        "update_category",
        json!({"ids": ids, "category_id": category_id}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        Method::PATCH,
        "update_category",
        json!({"ids": ids, "category_id": 999}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = call(Method::POST, "translate", json!({"ids": ids})).await;
    assert_eq!(status, 501);
    let (status, _) = app
        .account_call(
            a,
            Method::DELETE,
            "/portals/docs/articles/bulk_actions/delete_articles",
            &t.agent,
            Some(json!({"ids": ids})),
        )
        .await;
    assert_eq!(status, 401, "agents cannot bulk delete");
    let (status, _) = call(Method::DELETE, "delete_articles", json!({"ids": ids})).await;
    assert_eq!(status, 200);
    assert_eq!(app.count("articles"), 0);
}

#[tokio::test]
async fn logo_upload_accepts_images_only() {
    let app = spawn_app().await;
    let t = seed_portal(&app).await;
    let path = format!("/api/v1/accounts/{}/portals/docs/logo", t.admin.account_id);
    let png = Part::bytes(b"\x89PNG\r\n\x1a\nfake".to_vec())
        .file_name("../../logo.png")
        .mime_str("image/png")
        .expect("mime");
    let response = app
        .request(Method::POST, &path, Some(&t.admin.token))
        .multipart(Form::new().part("logo", png))
        .send()
        .await
        .expect("upload");
    let (status, portal) = crate::helpers::read(response).await;
    assert_eq!(status, 200, "{portal}");
    assert_eq!(portal["logo"]["filename"], "logo.png");
    let url = portal["logo"]["file_url"].as_str().expect("url");
    let served = app.client.get(url).send().await.expect("logo");
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");

    let svg = Part::bytes(b"<svg onload=alert(1)></svg>".to_vec())
        .file_name("x.svg")
        .mime_str("image/svg+xml")
        .expect("mime");
    let response = app
        .request(Method::POST, &path, Some(&t.admin.token))
        .multipart(Form::new().part("logo", svg))
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), 422);
    let uploads = std::fs::read_dir(app.state.config.uploads_dir())
        .expect("dir")
        .count();
    assert_eq!(uploads, 1, "the refused file was not kept");

    let (status, _) = app
        .account_call(
            t.admin.account_id,
            Method::DELETE,
            "/portals/docs/logo",
            &t.admin.token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let uploads = std::fs::read_dir(app.state.config.uploads_dir())
        .expect("dir")
        .count();
    assert_eq!(uploads, 0, "the removed logo's file is gone");
}

/// Page numbers far past the end (up to i64::MAX) answer an empty page, never an overflow.
#[tokio::test]
async fn huge_page_numbers_answer_empty_pages() {
    let app = spawn_app().await;
    let t = seed_portal(&app).await;
    let (status, body) = post(
        &app,
        &t,
        "/portals/docs/articles",
        json!({"title": "Refunds", "slug": "refunds", "status": "published", "content": "Refunds take a week."}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let max = i64::MAX;
    for (path, list) in [
        (format!("/portals/docs/articles?page={max}"), "/payload"),
        (format!("/portals/docs/categories?page={max}"), "/payload"),
        (
            format!("/search/articles?q=refund&page={max}"),
            "/payload/articles",
        ),
    ] {
        let (status, body) = app
            .account_call(t.admin.account_id, Method::GET, &path, &t.admin.token, None)
            .await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(
            body.pointer(list).and_then(Value::as_array).map(Vec::len),
            Some(0),
            "{path}: {body}"
        );
    }
    for path in [
        format!("/hc/docs/en/articles.json?per_page=10&page={max}"),
        format!("/hc/docs/en/articles.json?query=refund&per_page=10&page={max}"),
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 200, "{path}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(
            body["payload"].as_array().map(Vec::len),
            Some(0),
            "{path}: {body}"
        );
    }
}
