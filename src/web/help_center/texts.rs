//! Interface texts of the public help center; English is the fallback for other locales.

/// Every string a portal page shows that is not content.
#[derive(Debug, Clone, Copy)]
pub struct PortalTexts {
    pub skip: &'static str,
    pub settings: &'static str,
    pub homepage: &'static str,
    pub appearance: &'static str,
    pub system: &'static str,
    pub light: &'static str,
    pub dark: &'static str,
    pub powered: &'static str,
    pub subtitle: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search: &'static str,
    pub featured: &'static str,
    pub view_all: &'static str,
    pub uncategorized: &'static str,
    pub no_articles: &'static str,
    pub home: &'static str,
    pub last_updated: &'static str,
    pub contents: &'static str,
    pub helpful: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub feedback_thanks: &'static str,
    pub results: &'static str,
    pub results_for: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    /// "{n} articles" with `{n}` replaced.
    pub articles_count: &'static str,
    pub article_count_one: &'static str,
    /// "{n} results" with `{n}` replaced.
    pub results_count: &'static str,
    pub result_count_one: &'static str,
}

const EN: PortalTexts = PortalTexts {
    skip: "Skip to content",
    settings: "Settings",
    homepage: "Go to homepage",
    appearance: "Appearance",
    system: "System",
    light: "Light",
    dark: "Dark",
    powered: "Powered by Parlor",
    subtitle: "Search for the articles here or browse the categories below.",
    search_label: "Search articles",
    search_placeholder: "Search for articles",
    search: "Search",
    featured: "Featured articles",
    view_all: "View all articles",
    uncategorized: "Uncategorized",
    no_articles: "There are no articles here yet.",
    home: "Home",
    last_updated: "Last updated on",
    contents: "On this page",
    helpful: "Was this article helpful?",
    yes: "Yes",
    no: "No",
    feedback_thanks: "Thank you for your feedback!",
    results: "Search results",
    results_for: "Search results for",
    previous: "Previous",
    next: "Next",
    not_found_title: "Page not found",
    not_found_body: "The page you are looking for does not exist or is no longer available.",
    back_home: "Back to the home page",
    articles_count: "{n} articles",
    article_count_one: "1 article",
    results_count: "{n} results",
    result_count_one: "1 result",
};

const FR: PortalTexts = PortalTexts {
    skip: "Aller au contenu",
    settings: "Réglages",
    homepage: "Aller au site",
    appearance: "Apparence",
    system: "Système",
    light: "Clair",
    dark: "Sombre",
    powered: "Propulsé par Parlor",
    subtitle: "Recherchez un article ou parcourez les catégories ci-dessous.",
    search_label: "Rechercher des articles",
    search_placeholder: "Rechercher des articles",
    search: "Rechercher",
    featured: "Articles à la une",
    view_all: "Voir tous les articles",
    uncategorized: "Sans catégorie",
    no_articles: "Il n'y a pas encore d'articles ici.",
    home: "Accueil",
    last_updated: "Mis à jour le",
    contents: "Sur cette page",
    helpful: "Cet article vous a-t-il aidé ?",
    yes: "Oui",
    no: "Non",
    feedback_thanks: "Merci pour votre retour !",
    results: "Résultats de recherche",
    results_for: "Résultats pour",
    previous: "Précédent",
    next: "Suivant",
    not_found_title: "Page introuvable",
    not_found_body: "La page demandée n'existe pas ou n'est plus disponible.",
    back_home: "Retour à l'accueil",
    articles_count: "{n} articles",
    article_count_one: "1 article",
    results_count: "{n} résultats",
    result_count_one: "1 résultat",
};

/// Texts for a locale code (`fr`, `fr_CA` → French); English otherwise.
pub fn portal_texts(locale: &str) -> &'static PortalTexts {
    match locale.split(['_', '-']).next().unwrap_or("") {
        "fr" => &FR,
        _ => &EN,
    }
}

/// Right-to-left scripts.
pub fn direction(locale: &str) -> &'static str {
    match locale.split(['_', '-']).next().unwrap_or("") {
        "ar" | "he" | "fa" | "ur" => "rtl",
        _ => "ltr",
    }
}

/// A language's own name for the locale switcher.
pub fn language_name(locale: &str) -> String {
    let name = match locale {
        "en" => "English",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "pt_BR" => "Português (Brasil)",
        "nl" => "Nederlands",
        "ar" => "العربية",
        "he" => "עברית",
        "fa" => "فارسی",
        "ja" => "日本語",
        "zh_CN" => "简体中文",
        "zh_TW" => "繁體中文",
        "ru" => "Русский",
        "uk" => "Українська",
        "pl" => "Polski",
        "tr" => "Türkçe",
        _ => locale,
    };
    format!("{name} ({locale})")
}
