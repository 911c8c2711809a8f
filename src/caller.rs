//! Who is calling, as the services see it: a member of an account, an agent bot, the viewer a
//! rendered conversation depends on, the actor written in audit entries. Built by `auth` from a
//! request; services and views take these and never see actix types.

use crate::db::account_users::{AccountUser, Role};
use crate::db::accounts::Account;
use crate::db::agent_bots::AgentBot;
use crate::db::users::User;
use crate::error::{ApiError, ApiResult};

/// The viewer of rendered conversations: account, user (0 for bots) and public base URL.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub account_id: i64,
    pub user_id: i64,
    pub base_url: String,
}

/// The user behind a change and where the request came from.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: i64,
    pub user_id: i64,
    pub username: String,
    pub remote_ip: String,
    pub request_id: String,
}

/// A user acting inside the account named by the `{account_id}` path segment, with their
/// membership. Unknown account → 404, suspended → 401, not a member → 401.
#[derive(Debug, Clone)]
pub struct AccountMember {
    pub user: User,
    pub account: Account,
    pub account_user: AccountUser,
    /// Client address and request id, recorded in audit logs.
    pub remote_ip: String,
    pub request_id: String,
    /// Public base URL for absolute links (attachments).
    pub base_url: String,
}

impl AccountMember {
    /// Administrators only; Chatwoot's policy denial is a 401.
    pub fn require_admin(&self) -> ApiResult<()> {
        if self.account_user.role == Role::Administrator {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The account id every query of this request is scoped to.
    pub fn account_id(&self) -> i64 {
        self.account.id
    }

    /// Who is looking, for views that depend on it.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            account_id: self.account.id,
            user_id: self.user.id,
            base_url: self.base_url.clone(),
        }
    }

    /// Whether the member administers the account.
    pub fn is_admin(&self) -> bool {
        self.account_user.role == Role::Administrator
    }

    /// Who is acting, for audit logs.
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: self.account.id,
            user_id: self.user.id,
            username: self.user.email.clone(),
            remote_ip: self.remote_ip.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

/// Who acts on a conversation endpoint that Chatwoot also opens to agent bots.
#[derive(Debug, Clone)]
pub enum ConversationCaller {
    /// A signed-in member of the account.
    Member(Box<AccountMember>),
    /// An agent bot of the account (or connected to one of its inboxes).
    Bot {
        bot: Box<AgentBot>,
        account: Box<Account>,
        base_url: String,
    },
    /// An automation rule of the account acting on its own ("Automation System").
    Automation { account_id: i64, base_url: String },
}

impl ConversationCaller {
    /// The account of the path.
    pub fn account_id(&self) -> i64 {
        match self {
            ConversationCaller::Member(member) => member.account_id(),
            ConversationCaller::Bot { account, .. } => account.id,
            ConversationCaller::Automation { account_id, .. } => *account_id,
        }
    }

    /// Who is looking, for views that depend on it.
    pub fn viewer(&self) -> Viewer {
        match self {
            ConversationCaller::Member(member) => member.viewer(),
            ConversationCaller::Bot {
                account, base_url, ..
            } => Viewer {
                account_id: account.id,
                user_id: 0,
                base_url: base_url.clone(),
            },
            ConversationCaller::Automation { account_id, base_url } => Viewer {
                account_id: *account_id,
                user_id: 0,
                base_url: base_url.clone(),
            },
        }
    }

    /// The member, when a user is calling.
    pub fn member(&self) -> Option<&AccountMember> {
        match self {
            ConversationCaller::Member(member) => Some(member),
            ConversationCaller::Bot { .. } | ConversationCaller::Automation { .. } => None,
        }
    }

    /// The name used in activity messages.
    pub fn display_name(&self) -> String {
        match self {
            ConversationCaller::Member(member) => member.user.name.clone(),
            ConversationCaller::Bot { bot, .. } => bot.name.clone(),
            ConversationCaller::Automation { .. } => "Automation System".to_string(),
        }
    }

    /// `(sender_type, sender_id)` of messages this caller writes (automation writes its
    /// messages without a sender, as Chatwoot does, through its own path).
    pub fn sender(&self) -> (&'static str, i64) {
        match self {
            ConversationCaller::Member(member) => ("User", member.user.id),
            ConversationCaller::Bot { bot, .. } => ("AgentBot", bot.id),
            ConversationCaller::Automation { .. } => ("AgentBot", 0),
        }
    }
}

impl From<AccountMember> for ConversationCaller {
    fn from(member: AccountMember) -> Self {
        ConversationCaller::Member(Box::new(member))
    }
}
