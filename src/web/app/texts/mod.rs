//! The agent app's chrome in the shipped languages (en, es, fr, de, pt-BR). Message content and
//! names are the account's own and never translated.

mod de;
mod en;
mod es;
mod fr;
mod pt_br;

/// Every text the agent app's templates show.
#[derive(Debug)]
pub struct AppTexts {
    pub lang: &'static str,
    pub skip: &'static str,
    pub sign_in: &'static str,
    pub sign_in_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub forgot: &'static str,
    pub forgot_title: &'static str,
    pub forgot_body: &'static str,
    pub back_to_sign_in: &'static str,
    pub bad_credentials: &'static str,
    pub unconfirmed: &'static str,
    pub too_many: &'static str,
    pub sso_invalid: &'static str,
    pub csrf_title: &'static str,
    pub csrf_body: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub suspended: &'static str,
    pub no_accounts: &'static str,
    pub error_title: &'static str,
    pub error_body: &'static str,
    pub sign_out: &'static str,
    pub conversations: &'static str,
    pub contacts: &'static str,
    pub settings: &'static str,
    pub profile: &'static str,
    pub accounts: &'static str,
    pub appearance: &'static str,
    pub system: &'static str,
    pub light: &'static str,
    pub dark: &'static str,
    pub mine: &'static str,
    pub unassigned: &'static str,
    pub all: &'static str,
    pub status: &'static str,
    pub statuses: [&'static str; 4],
    pub all_statuses: &'static str,
    pub inbox: &'static str,
    pub all_inboxes: &'static str,
    pub label: &'static str,
    pub all_labels: &'static str,
    pub team: &'static str,
    pub all_teams: &'static str,
    pub no_team: &'static str,
    pub sort: &'static str,
    pub sorts: [&'static str; 5],
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub apply: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub empty_list: &'static str,
    pub empty_hint: &'static str,
    pub unread: &'static str,
    pub no_messages: &'static str,
    pub reply: &'static str,
    pub private_note: &'static str,
    pub send: &'static str,
    pub send_hint: &'static str,
    pub reply_placeholder: &'static str,
    pub note_placeholder: &'static str,
    pub resolve: &'static str,
    pub reopen: &'static str,
    pub snooze: &'static str,
    pub snooze_until: &'static str,
    pub mark_pending: &'static str,
    pub priority: &'static str,
    pub priorities: [&'static str; 5],
    pub assignee: &'static str,
    pub nobody: &'static str,
    pub labels: &'static str,
    pub save: &'static str,
    pub mute: &'static str,
    pub unmute: &'static str,
    pub muted: &'static str,
    pub contact: &'static str,
    pub phone: &'static str,
    pub company: &'static str,
    pub custom_attributes: &'static str,
    pub previous_conversations: &'static str,
    pub notes: &'static str,
    pub add_note: &'static str,
    pub none: &'static str,
    pub back: &'static str,
    pub typing: &'static str,
    pub rating: &'static str,
    pub attachment: &'static str,
    pub bot: &'static str,
    pub shortcuts: &'static str,
    pub close: &'static str,
    pub shortcut_list: [&'static str; 7],
    pub canned: &'static str,
    pub new_activity: &'static str,
    pub name: &'static str,
    pub display_name: &'static str,
    pub edit: &'static str,
    pub conversation_not_found: &'static str,
    pub identifier: &'static str,
    pub no_contacts: &'static str,
    pub contacts_hint: &'static str,
    pub search_contacts: &'static str,
    pub contact_note_placeholder: &'static str,
    pub saved: &'static str,
    pub teams: &'static str,
    pub agents: &'static str,
    pub role: &'static str,
    pub invite: &'static str,
    pub set_password_link: &'static str,
    pub link_hint: &'static str,
    pub new_link: &'static str,
    pub invitation_pending: &'static str,
    pub set_password_title: &'static str,
    pub set_password: &'static str,
    pub roles: [&'static str; 2],
    pub help_center: &'static str,
    pub articles: &'static str,
    pub new_article: &'static str,
    pub save_draft: &'static str,
    pub publish: &'static str,
    pub preview: &'static str,
    pub preview_note: &'static str,
    pub archive: &'static str,
    pub view_public: &'static str,
    pub slug: &'static str,
    pub category: &'static str,
    pub no_category: &'static str,
    pub no_portals: &'static str,
    pub article_statuses: [&'static str; 3],
    pub inboxes: &'static str,
    pub title_field: &'static str,
    pub color: &'static str,
    pub description: &'static str,
    pub short_code: &'static str,
    pub content: &'static str,
    pub add: &'static str,
    pub delete: &'static str,
    pub embed_code: &'static str,
    pub embed_hint: &'static str,
    pub nothing_yet: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub confirm_password: &'static str,
    pub change_password: &'static str,
    pub password_changed: &'static str,
    pub availability: &'static str,
    pub access_token: &'static str,
    pub access_token_hint: &'static str,
    pub show_token: &'static str,
    pub reset_token: &'static str,
    pub availabilities: [&'static str; 3],
}

/// Texts for an account or browser locale (`pt_BR`, `fr-CA`, …); English when there is none.
pub fn app_texts(locale: &str) -> &'static AppTexts {
    let lower = locale.trim().to_ascii_lowercase().replace('_', "-");
    match lower.split('-').next().unwrap_or("") {
        "es" => &es::TEXTS,
        "fr" => &fr::TEXTS,
        "de" => &de::TEXTS,
        "pt" => &pt_br::TEXTS,
        _ => &en::TEXTS,
    }
}

/// The first shipped language of an `Accept-Language` header (English when none matches).
pub fn from_accept_language(header: &str) -> &'static AppTexts {
    header
        .split(',')
        .map(|part| part.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .find(|tag| {
            ["en", "es", "fr", "de", "pt"]
                .iter()
                .any(|l| tag.split('-').next() == Some(l))
        })
        .map_or(&en::TEXTS, |tag| app_texts(&tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_and_accept_language() {
        assert_eq!(app_texts("pt_BR").lang, "pt-BR");
        assert_eq!(app_texts("fr").lang, "fr");
        assert_eq!(app_texts("xx").lang, "en");
        assert_eq!(from_accept_language("de-DE,de;q=0.9,en;q=0.8").lang, "de");
        assert_eq!(from_accept_language("en-US,es;q=0.5").lang, "en");
        assert_eq!(from_accept_language("").lang, "en");
    }
}
