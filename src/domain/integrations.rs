//! The integration apps Parlor offers and the settings each hook of them needs.

/// Where an app's hooks attach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookType {
    Account,
    Inbox,
}

impl HookType {
    /// Chatwoot's enum name.
    pub fn as_str(self) -> &'static str {
        match self {
            HookType::Account => "account",
            HookType::Inbox => "inbox",
        }
    }
}

/// One app of the catalog.
#[derive(Debug)]
pub struct App {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub short_description: &'static str,
    pub hook_type: HookType,
    pub allow_multiple_hooks: bool,
    /// Settings a hook must carry.
    pub required_settings: &'static [&'static str],
    /// Settings shown back to administrators (secrets are never shown).
    pub visible_settings: &'static [&'static str],
}

/// The catalog. `webhook` is configured through `/webhooks`, not hooks.
pub const APPS: &[App] = &[
    App {
        id: "webhook",
        name: "Webhooks",
        description: "Configure webhooks to receive events from your account on your own endpoints.",
        short_description: "Receive account events on your endpoints.",
        hook_type: HookType::Account,
        allow_multiple_hooks: false,
        required_settings: &[],
        visible_settings: &[],
    },
    App {
        id: "dialogflow",
        name: "Dialogflow",
        description: "Build chatbots using Dialogflow and connect them to an inbox.",
        short_description: "Connect a Dialogflow bot to an inbox.",
        hook_type: HookType::Inbox,
        allow_multiple_hooks: true,
        required_settings: &["project_id", "credentials"],
        visible_settings: &["project_id", "region"],
    },
    App {
        id: "google_translate",
        name: "Google Translate",
        description: "Translate messages with Google Translate.",
        short_description: "Translate messages.",
        hook_type: HookType::Account,
        allow_multiple_hooks: false,
        required_settings: &["project_id", "credentials"],
        visible_settings: &["project_id"],
    },
    App {
        id: "openai",
        name: "OpenAI",
        description: "Reply suggestions, summaries and label suggestions powered by OpenAI.",
        short_description: "AI assistance for agents.",
        hook_type: HookType::Account,
        allow_multiple_hooks: false,
        required_settings: &["api_key"],
        visible_settings: &["label_suggestion"],
    },
    App {
        id: "dyte",
        name: "Dyte",
        description: "Start video calls with customers from a conversation.",
        short_description: "Video calls from conversations.",
        hook_type: HookType::Account,
        allow_multiple_hooks: false,
        required_settings: &["api_key", "organization_id"],
        visible_settings: &["organization_id"],
    },
];

/// Find an app by id.
pub fn find(id: &str) -> Option<&'static App> {
    APPS.iter().find(|app| app.id == id)
}
