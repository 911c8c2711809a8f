//! `api_access_token` → [`Principal`], and the account gate. Handlers ask for one of the
//! extractors below and receive an already-authorized caller.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};

pub use crate::caller::{AccountMember, ConversationCaller};
use crate::db::access_tokens::{self, OwnerType};
use crate::db::account_users::{self, AccountUser};
use crate::db::accounts::{self, Account, AccountStatus};
use crate::db::agent_bots::{self, AgentBot};
use crate::db::platform::{self, PlatformApp};
use crate::db::sessions;
use crate::db::users::{self, User};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Whoever a valid token belongs to.
#[derive(Debug, Clone)]
pub enum Principal {
    User(Box<User>),
    AgentBot(Box<AgentBot>),
    PlatformApp(PlatformApp),
}

/// What a request presents to say who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// `api_access_token` (or `Api-Access-Token`): a personal, bot or platform token.
    ApiToken(String),
    /// devise_token_auth's session headers `access-token`, `client`, `uid` (or the same three
    /// inside `Authorization: Bearer <base64 JSON>`).
    Session {
        uid: String,
        client: String,
        token: String,
    },
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// The credentials of a request: an API token wins over session headers, as in Chatwoot's
/// `Api::BaseController`.
pub fn credentials(req: &HttpRequest) -> Option<Credentials> {
    if let Some(token) = ["api_access_token", "api-access-token"]
        .iter()
        .find_map(|name| header(req, name))
    {
        return Some(Credentials::ApiToken(token.to_string()));
    }
    if let (Some(token), Some(client), Some(uid)) = (
        header(req, "access-token"),
        header(req, "client"),
        header(req, "uid"),
    ) {
        return Some(Credentials::Session {
            uid: uid.to_string(),
            client: client.to_string(),
            token: token.to_string(),
        });
    }
    header(req, "authorization").and_then(bearer_session)
}

/// devise_token_auth 1.2's `Authorization: Bearer base64({"access-token","client","uid",…})`.
fn bearer_session(value: &str) -> Option<Credentials> {
    use base64::Engine;
    let encoded = value.strip_prefix("Bearer ")?.trim();
    let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    let fields: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&bytes).ok()?;
    let field = |name: &str| fields.get(name).and_then(|v| v.as_str()).map(str::to_string);
    Some(Credentials::Session {
        token: field("access-token")?,
        client: field("client")?,
        uid: field("uid")?,
    })
}

/// The session `client` id the request signed in with (none for API tokens).
pub fn session_client(req: &HttpRequest) -> Option<String> {
    match credentials(req) {
        Some(Credentials::Session { client, .. }) => Some(client),
        _ => None,
    }
}

/// The client address used for rate limiting and audit entries: the peer, or with
/// `--trust-proxy` the first `X-Forwarded-For` address. Warns once when a local proxy forwards
/// requests that are then counted as its own.
pub fn client_ip(req: &HttpRequest, state: &AppState) -> IpAddr {
    let trust_proxy = state.config.trust_proxy;
    let info = req.connection_info();
    let parse = |addr: &str| {
        addr.parse::<std::net::SocketAddr>()
            .map(|s| s.ip())
            .ok()
            .or_else(|| addr.parse().ok())
    };
    let peer = req
        .peer_addr()
        .map(|addr| addr.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    state
        .proxy_warning
        .observe(peer, req.headers().contains_key("x-forwarded-for"), trust_proxy);
    let candidate = if trust_proxy {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    candidate.and_then(parse).unwrap_or(peer)
}

fn state(req: &HttpRequest) -> ApiResult<AppState> {
    req.app_data::<web::Data<AppState>>()
        .map(|data| data.get_ref().clone())
        .ok_or_else(|| ApiError::Internal("application state missing".into()))
}

/// Resolve the request's token. `Ok(None)` when no token was sent.
async fn resolve_principal(req: &HttpRequest) -> ApiResult<Option<Principal>> {
    Ok(resolve_principal_with(req, |_, _| Ok(()))
        .await?
        .map(|(principal, ())| principal))
}

/// Resolve the token and, in the same blocking call, run `then` with the principal (one trip
/// to the database pool per request instead of two).
async fn resolve_principal_with<T: Send + 'static>(
    req: &HttpRequest,
    then: impl FnOnce(&rusqlite::Connection, &Principal) -> ApiResult<T> + Send + 'static,
) -> ApiResult<Option<(Principal, T)>> {
    let Some(credentials) = credentials(req) else {
        return Ok(None);
    };
    // devise answers a bad session with its "sign in" error, the token check with its own.
    let refusal = match credentials {
        Credentials::ApiToken(_) => ApiError::InvalidAccessToken,
        Credentials::Session { .. } => ApiError::NoCredentials,
    };
    let state = state(req)?;
    let ip = client_ip(req, &state);
    // The token is checked before the limiter: a valid token always passes, so one address
    // guessing wrong (or a team behind one proxy) never locks out the people who sign in right.
    let found = state
        .db
        .read(move |conn| -> ApiResult<Option<(Principal, T)>> {
            let owner = match &credentials {
                Credentials::ApiToken(token) => access_tokens::owner_of(conn, token)?,
                Credentials::Session { uid, client, token } => {
                    sessions::authenticate(conn, uid, client, token)?.map(|id| (OwnerType::User, id))
                }
            };
            let Some((owner_type, owner_id)) = owner else {
                return Ok(None);
            };
            let principal = match owner_type {
                OwnerType::User => users::find(conn, owner_id)?.map(|u| Principal::User(Box::new(u))),
                OwnerType::AgentBot => {
                    agent_bots::find(conn, owner_id)?.map(|b| Principal::AgentBot(Box::new(b)))
                }
                OwnerType::PlatformApp => platform::find_app(conn, owner_id)?.map(Principal::PlatformApp),
            };
            let Some(principal) = principal else {
                return Ok(None);
            };
            let extra = then(conn, &principal)?;
            Ok(Some((principal, extra)))
        })
        .await?;
    match found {
        Some(found) => Ok(Some(found)),
        None if state.limiter.is_blocked(ip) => Err(ApiError::TooManyAttempts),
        None => {
            state.limiter.record_failure(ip);
            Err(refusal)
        }
    }
}

type Extracting<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// A platform-app caller of the Platform API.
#[derive(Debug, Clone)]
pub struct PlatformCaller(pub PlatformApp);

impl FromRequest for PlatformCaller {
    type Error = ApiError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match resolve_principal(&req).await {
                Ok(Some(Principal::PlatformApp(app))) => Ok(PlatformCaller(app)),
                Err(ApiError::TooManyAttempts) => Err(ApiError::TooManyAttempts),
                Err(ApiError::Internal(detail)) => Err(ApiError::Internal(detail)),
                _ => Err(ApiError::InvalidPlatformToken),
            }
        })
    }
}

/// A signed-in user (bots and platform apps are refused, as on Chatwoot's user-only endpoints).
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

async fn current_user(req: &HttpRequest) -> ApiResult<User> {
    match resolve_principal(req).await? {
        None => Err(ApiError::NoCredentials),
        Some(Principal::User(user)) => Ok(*user),
        Some(Principal::AgentBot(_) | Principal::PlatformApp(_)) => Err(ApiError::BotNotAllowed),
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { current_user(&req).await.map(CurrentUser) })
    }
}

/// The `{account_id}` path segment; a non-number cannot name an account, so it is a 404.
fn path_account_id(req: &HttpRequest) -> ApiResult<i64> {
    req.match_info()
        .get("account_id")
        .and_then(|raw| raw.parse().ok())
        .ok_or(ApiError::NotFound)
}

impl FromRequest for AccountMember {
    type Error = ApiError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let account_id = path_account_id(&req);
            let found = resolve_principal_with(&req, move |conn, principal| match (principal, account_id) {
                (Principal::User(user), Ok(id)) => Ok(Some((
                    accounts::find(conn, id)?,
                    account_users::find(conn, id, user.id)?,
                ))),
                _ => Ok(None),
            })
            .await?;
            match found {
                None => Err(ApiError::NoCredentials),
                Some((Principal::User(user), Some(prefetched))) => {
                    account_member(&req, *user, Some(prefetched)).await
                }
                Some((Principal::User(_), None)) => Err(ApiError::NotFound),
                Some(_) => Err(ApiError::BotNotAllowed),
            }
        })
    }
}

/// A member on `/api/v1/accounts/{account_id}` itself. Chatwoot looks that account up among
/// the user's own accounts, so a user outside it gets a 404 (elsewhere the account gate's 401).
#[derive(Debug, Clone)]
pub struct OwnAccount(pub AccountMember);

impl FromRequest for OwnAccount {
    type Error = ApiError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let member = AccountMember::from_request(req, payload);
        Box::pin(async move {
            match member.await {
                Ok(member) => Ok(OwnAccount(member)),
                Err(ApiError::NotAccountMember) => Err(ApiError::NotFound),
                Err(other) => Err(other),
            }
        })
    }
}

/// Account and membership rows, when already loaded with the token.
pub type Prefetched = (Option<Account>, Option<AccountUser>);

/// The account gate for a resolved user (the API's extractors and the agent web app's pages).
pub async fn account_member(
    req: &HttpRequest,
    user: User,
    prefetched: Option<Prefetched>,
) -> ApiResult<AccountMember> {
    let account_id = path_account_id(req)?;
    let state = state(req)?;
    let user_id = user.id;
    let (account, account_user) = match prefetched {
        Some(rows) => rows,
        None => {
            state
                .db
                .read(move |conn| -> ApiResult<_> {
                    Ok((
                        accounts::find(conn, account_id)?,
                        account_users::find(conn, account_id, user_id)?,
                    ))
                })
                .await?
        }
    };
    let account = account.ok_or(ApiError::NotFound)?;
    if account.status == AccountStatus::Suspended {
        return Err(ApiError::AccountSuspended);
    }
    let account_user = account_user.ok_or(ApiError::NotAccountMember)?;
    let remote_ip = client_ip(req, &state).to_string();
    let request_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(ToString::to_string)
        .unwrap_or_default();
    Ok(AccountMember {
        user,
        account,
        account_user,
        remote_ip,
        request_id,
        base_url: state.config.frontend_url(),
    })
}

/// Rows the conversation gate needs, loaded with the token.
enum CallerRows {
    Member(Prefetched),
    Bot {
        account: Option<Account>,
        attached: bool,
    },
    Other,
}

impl FromRequest for ConversationCaller {
    type Error = ApiError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let account_id = path_account_id(&req).ok();
            let found = resolve_principal_with(&req, move |conn, principal| {
                let Some(account_id) = account_id else {
                    return Ok(CallerRows::Other);
                };
                Ok(match principal {
                    Principal::User(user) => CallerRows::Member((
                        accounts::find(conn, account_id)?,
                        account_users::find(conn, account_id, user.id)?,
                    )),
                    Principal::AgentBot(bot) => CallerRows::Bot {
                        account: accounts::find(conn, account_id)?,
                        attached: agent_bots::attached_to_account(conn, bot.id, account_id)?,
                    },
                    Principal::PlatformApp(_) => CallerRows::Other,
                })
            })
            .await?;
            let (principal, rows) = found.ok_or(ApiError::NoCredentials)?;
            match (principal, rows) {
                (Principal::User(user), CallerRows::Member(rows)) => Ok(ConversationCaller::Member(
                    Box::new(account_member(&req, *user, Some(rows)).await?),
                )),
                (Principal::AgentBot(bot), CallerRows::Bot { account, attached }) => {
                    let account = account.ok_or(ApiError::NotFound)?;
                    if account.status == AccountStatus::Suspended {
                        return Err(ApiError::AccountSuspended);
                    }
                    if bot.account_id != Some(account.id) && !attached {
                        return Err(ApiError::BotNotInAccount);
                    }
                    Ok(ConversationCaller::Bot {
                        bot,
                        account: Box::new(account),
                        base_url: state(&req)?.config.frontend_url(),
                    })
                }
                (Principal::PlatformApp(_), _) => Err(ApiError::BotNotAllowed),
                _ => Err(ApiError::NotFound),
            }
        })
    }
}

/// A public caller that passed the per-IP request limit.
#[derive(Debug, Clone)]
pub struct PublicClient;

impl FromRequest for PublicClient {
    type Error = ApiError;
    type Future = Extracting<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let verdict = match req.app_data::<web::Data<AppState>>() {
            None => Err(ApiError::Internal("application state missing".into())),
            Some(state) => {
                let ip = client_ip(req, state);
                if state.public_limiter.is_blocked(ip) {
                    Err(ApiError::TooManyAttempts)
                } else {
                    state.public_limiter.record_failure(ip);
                    Ok(PublicClient)
                }
            }
        };
        Box::pin(async move { verdict })
    }
}
