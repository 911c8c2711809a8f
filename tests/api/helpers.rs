//! `spawn_app()` and seeding helpers: a real server on port 0 over a temp-dir SQLite file.

use std::collections::BTreeSet;

use parlor::config::Config;
use parlor::db::access_tokens::{self, OwnerType};
use parlor::db::account_users::{self, Role};
use parlor::db::{accounts, platform};
use parlor::error::ApiError;
use parlor::services::users::{NewUser, create};
use parlor::startup::Application;
use parlor::state::AppState;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub client: reqwest::Client,
    /// Kept alive so the database outlives the test body.
    pub _data_dir: tempfile::TempDir,
}

/// A seeded account with one administrator.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub account_id: i64,
    pub user_id: i64,
    pub token: String,
}

/// Start the real server on a fresh data dir.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Start the server after adjusting its configuration.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    // Server errors show up in the output of the failing test (RUST_LOG to see more).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "error".into()),
        )
        .with_test_writer()
        .try_init();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::for_data_dir(data_dir.path().to_path_buf());
    adjust(&mut config);
    let app = Application::build(config).expect("server builds");
    let address = format!("http://127.0.0.1:{}", app.port);
    let state = app.state.clone();
    tokio::spawn(app.run_until_stopped());
    parlor::events::outgoing::install_crypto_provider();
    TestApp {
        address,
        state,
        client: reqwest::Client::new(),
        _data_dir: data_dir,
    }
}

/// The password every seeded user has.
pub const PASSWORD: &str = "Passw0rd!";

impl TestApp {
    /// Create an account with an administrator (through the same services the CLI uses).
    pub fn seed_account(&self, account_name: &str, email: &str) -> Seeded {
        let hash = parlor::domain::password::hash(PASSWORD, 4).expect("hash");
        self.state
            .db
            .write_sync(|tx| -> Result<_, ApiError> {
                let account = accounts::insert(tx, &accounts::new_account(account_name))?;
                let user = create(
                    tx,
                    NewUser {
                        name: "Admin".into(),
                        email: email.into(),
                        encrypted_password: hash,
                        ..NewUser::default()
                    },
                )?;
                account_users::upsert(tx, account.id, user.id, Role::Administrator, None)?;
                let token = access_tokens::token_of(tx, OwnerType::User, user.id)?.expect("token");
                Ok(Seeded {
                    account_id: account.id,
                    user_id: user.id,
                    token,
                })
            })
            .expect("seed account")
    }

    /// Add a user with `role` to an account; returns (user id, token).
    pub fn seed_member(&self, account_id: i64, email: &str, role: Role) -> (i64, String) {
        let hash = parlor::domain::password::hash(PASSWORD, 4).expect("hash");
        self.state
            .db
            .write_sync(|tx| -> Result<_, ApiError> {
                let user = create(
                    tx,
                    NewUser {
                        name: "Member".into(),
                        email: email.into(),
                        encrypted_password: hash,
                        ..NewUser::default()
                    },
                )?;
                account_users::upsert(tx, account_id, user.id, role, None)?;
                let token = access_tokens::token_of(tx, OwnerType::User, user.id)?.expect("token");
                Ok((user.id, token))
            })
            .expect("seed member")
    }

    /// Create a platform app; returns (id, token).
    pub fn seed_platform_app(&self, name: &str) -> (i64, String) {
        self.state
            .db
            .write_sync(|tx| -> Result<_, ApiError> {
                let app = platform::insert_app(tx, name)?;
                let token = access_tokens::issue(tx, OwnerType::PlatformApp, app.id)?;
                Ok((app.id, token))
            })
            .expect("seed platform app")
    }

    /// A request to `path` carrying `token` (if any) as `api_access_token`.
    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self.client.request(method, format!("{}{}", self.address, path));
        match token {
            Some(token) => builder.header("api_access_token", token),
            None => builder,
        }
    }

    /// Send a JSON request and return (status, body as JSON or Null).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut builder = self.request(method, path, token);
        if let Some(body) = body {
            builder = builder.json(&body);
        }
        let response = builder.send().await.expect("request sent");
        read(response).await
    }

    /// Count rows of a table (to prove nothing was half-written).
    pub fn count(&self, table: &str) -> i64 {
        self.state
            .db
            .read_sync(|conn| Ok(conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?))
            .expect("count")
    }
}

/// Status and JSON body (Null when the body is empty).
pub async fn read(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// Assert that `value` is an object with exactly these keys.
#[track_caller]
pub fn assert_keys(value: &Value, expected: &[&str]) {
    let actual: BTreeSet<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(actual, expected, "keys of {value}");
}

/// Chatwoot's 401 body for a missing user token.
pub fn no_credentials() -> Value {
    serde_json::json!({"errors": ["You need to sign in or sign up before continuing."]})
}

/// `{"error": text}`
pub fn error(text: &str) -> Value {
    serde_json::json!({ "error": text })
}

/// Keys whose values change from run to run; [`stable`] replaces them with placeholders.
const VOLATILE: &[&str] = &[
    "id",
    "account_id",
    "user_id",
    "auditable_id",
    "associated_id",
    "channel_id",
    "inbox_id",
    "created_at",
    "updated_at",
    "created_on",
    "access_token",
    "hmac_token",
    "website_token",
    "inbox_identifier",
    "pubsub_token",
    "secret",
    "web_widget_script",
    "request_uuid",
    "forward_to_email",
    "timestamp",
    "uuid",
    "source_id",
    "last_activity_at",
    "first_reply_created_at",
    "waiting_since",
    "sender_id",
    "agent_last_seen_at",
    "assignee_last_seen_at",
    "contact_last_seen_at",
];

/// A copy of `value` with run-specific values replaced, for snapshots.
pub fn stable(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let zero = v.as_i64() == Some(0);
                    let v = if VOLATILE.contains(&k.as_str()) && !v.is_null() && !v.is_object() && !zero {
                        Value::String(format!("[{k}]"))
                    } else {
                        stable(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(stable).collect()),
        other => other.clone(),
    }
}

/// An account with an administrator and an agent.
pub struct Team {
    pub admin: Seeded,
    pub agent_id: i64,
    pub agent: String,
}

impl TestApp {
    /// Seed an account with an admin and an agent member.
    pub fn seed_team(&self, name: &str) -> Team {
        let slug = name.to_lowercase();
        let admin = self.seed_account(name, &format!("admin@{slug}.test"));
        let (agent_id, agent) =
            self.seed_member(admin.account_id, &format!("agent@{slug}.test"), Role::Agent);
        Team {
            admin,
            agent_id,
            agent,
        }
    }

    /// An API inbox of the team's account with the agent as a member, and a contact "Jo";
    /// returns their ids.
    pub async fn seed_api_inbox_and_contact(&self, t: &Team) -> (i64, i64) {
        self.seed_inbox_and_contact(t, json!({"type": "api"})).await
    }

    /// [`Self::seed_api_inbox_and_contact`] with an inbox of any `channel`.
    pub async fn seed_inbox_and_contact(&self, t: &Team, channel: Value) -> (i64, i64) {
        let a = t.admin.account_id;
        let (_, inbox) = self
            .account_call(
                a,
                Method::POST,
                "/inboxes",
                &t.admin.token,
                Some(json!({"name": "API", "channel": channel})),
            )
            .await;
        self.call(
            Method::POST,
            &format!("/api/v1/accounts/{a}/inbox_members"),
            Some(&t.admin.token),
            Some(json!({"inbox_id": inbox["id"], "user_ids": [t.agent_id]})),
        )
        .await;
        let (_, contact) = self
            .account_call(
                a,
                Method::POST,
                "/contacts",
                &t.admin.token,
                Some(json!({"name": "Jo", "email": "jo@example.test"})),
            )
            .await;
        (
            inbox["id"].as_i64().expect("inbox"),
            contact["payload"]["contact"]["id"].as_i64().expect("contact"),
        )
    }

    /// A conversation (with one message "Hello") in a fresh API inbox whose member is the
    /// team's agent, with a new contact "Jo" (`jo-<inbox id>@example.test`); returns
    /// (inbox id, conversation display id).
    pub async fn seed_conversation(&self, t: &Team) -> (i64, i64) {
        let a = t.admin.account_id;
        let (_, inbox) = self
            .account_call(
                a,
                Method::POST,
                "/inboxes",
                &t.admin.token,
                Some(json!({"name": "API", "channel": {"type": "api"}})),
            )
            .await;
        let inbox = inbox["id"].as_i64().expect("inbox");
        self.account_call(
            a,
            Method::POST,
            "/inbox_members",
            &t.admin.token,
            Some(json!({"inbox_id": inbox, "user_ids": [t.agent_id]})),
        )
        .await;
        let (_, contact) = self
            .account_call(
                a,
                Method::POST,
                "/contacts",
                &t.admin.token,
                Some(json!({"name": "Jo", "email": format!("jo-{inbox}@example.test")})),
            )
            .await;
        let (status, conversation) = self
            .account_call(
                a,
                Method::POST,
                "/conversations",
                &t.admin.token,
                Some(
                    json!({"inbox_id": inbox, "contact_id": contact["payload"]["contact"]["id"],
                    "message": {"content": "Hello"}}),
                ),
            )
            .await;
        assert_eq!(status, 200, "{conversation}");
        (inbox, conversation["id"].as_i64().expect("display id"))
    }

    /// `call` scoped to `/api/v1/accounts/{account_id}`.
    pub async fn account_call(
        &self,
        seeded_account: i64,
        method: Method,
        rest: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.call(
            method,
            &format!("/api/v1/accounts/{seeded_account}{rest}"),
            Some(token),
            body,
        )
        .await
    }
}

/// Chatwoot's policy-denial body.
pub fn denied() -> Value {
    serde_json::json!({"error": "You are not authorized to do this action"})
}

/// Chatwoot's unknown-record body.
pub fn not_found() -> Value {
    serde_json::json!({"error": "Resource could not be found"})
}

/// Read `read` every 50 ms, up to 5 s, until `done` holds; returns the last value read (the
/// caller asserts on it, so a timeout shows what was seen).
pub async fn poll<T>(mut read: impl FnMut() -> T, done: impl Fn(&T) -> bool) -> T {
    let mut value = read();
    for _ in 0..100 {
        if done(&value) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        value = read();
    }
    value
}
