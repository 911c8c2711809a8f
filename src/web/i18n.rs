//! Texts of the public pages in the shipped languages (en, es, fr, de, pt-BR).

/// The keys every language provides.
#[derive(Debug, Clone, Copy)]
pub struct Texts {
    pub lang: &'static str,
    pub title: &'static str,
    pub fallback: &'static str,
    pub ratings: [&'static str; 5],
    pub thanks: &'static str,
    pub feedback_label: &'static str,
    pub feedback_submit: &'static str,
    pub feedback_thanks: &'static str,
    pub expired_title: &'static str,
    pub expired_body: &'static str,
    pub missing_title: &'static str,
    pub missing_body: &'static str,
    pub your_rating: &'static str,
}

const EN: Texts = Texts {
    lang: "en",
    title: "Rate your conversation",
    fallback: "Dear customer 👋, please take a few moments to share feedback about the conversation you had with {inbox}.",
    ratings: [
        "Very dissatisfied",
        "Dissatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
    ],
    thanks: "Thank you for submitting the rating",
    feedback_label: "Tell us more (optional)",
    feedback_submit: "Send feedback",
    feedback_thanks: "Thank you for your feedback",
    expired_title: "This survey has expired",
    expired_body: "Ratings can be given for 14 days after the conversation was resolved.",
    missing_title: "Survey not found",
    missing_body: "This link does not lead to a survey. Please check the address.",
    your_rating: "Your rating",
};

const ES: Texts = Texts {
    lang: "es",
    title: "Califica tu conversación",
    fallback: "Estimado cliente 👋, tómate un momento para darnos tu opinión sobre la conversación que tuviste con {inbox}.",
    ratings: [
        "Muy insatisfecho",
        "Insatisfecho",
        "Neutral",
        "Satisfecho",
        "Muy satisfecho",
    ],
    thanks: "Gracias por enviar tu calificación",
    feedback_label: "Cuéntanos más (opcional)",
    feedback_submit: "Enviar comentario",
    feedback_thanks: "Gracias por tus comentarios",
    expired_title: "Esta encuesta ha caducado",
    expired_body: "Las calificaciones pueden enviarse durante 14 días después de resolver la conversación.",
    missing_title: "Encuesta no encontrada",
    missing_body: "Este enlace no lleva a ninguna encuesta. Revisa la dirección.",
    your_rating: "Tu calificación",
};

const FR: Texts = Texts {
    lang: "fr",
    title: "Évaluez votre conversation",
    fallback: "Cher client 👋, prenez quelques instants pour nous donner votre avis sur la conversation avec {inbox}.",
    ratings: [
        "Très insatisfait",
        "Insatisfait",
        "Neutre",
        "Satisfait",
        "Très satisfait",
    ],
    thanks: "Merci pour votre évaluation",
    feedback_label: "Dites-nous en plus (facultatif)",
    feedback_submit: "Envoyer le commentaire",
    feedback_thanks: "Merci pour votre commentaire",
    expired_title: "Cette enquête a expiré",
    expired_body: "Les évaluations sont possibles pendant 14 jours après la résolution de la conversation.",
    missing_title: "Enquête introuvable",
    missing_body: "Ce lien ne mène à aucune enquête. Veuillez vérifier l'adresse.",
    your_rating: "Votre note",
};

const DE: Texts = Texts {
    lang: "de",
    title: "Bewerten Sie Ihr Gespräch",
    fallback: "Liebe Kundin, lieber Kunde 👋, bitte nehmen Sie sich einen Moment Zeit für Ihr Feedback zum Gespräch mit {inbox}.",
    ratings: [
        "Sehr unzufrieden",
        "Unzufrieden",
        "Neutral",
        "Zufrieden",
        "Sehr zufrieden",
    ],
    thanks: "Vielen Dank für Ihre Bewertung",
    feedback_label: "Erzählen Sie uns mehr (optional)",
    feedback_submit: "Feedback senden",
    feedback_thanks: "Vielen Dank für Ihr Feedback",
    expired_title: "Diese Umfrage ist abgelaufen",
    expired_body: "Bewertungen sind 14 Tage nach Abschluss des Gesprächs möglich.",
    missing_title: "Umfrage nicht gefunden",
    missing_body: "Dieser Link führt zu keiner Umfrage. Bitte prüfen Sie die Adresse.",
    your_rating: "Ihre Bewertung",
};

const PT_BR: Texts = Texts {
    lang: "pt-BR",
    title: "Avalie sua conversa",
    fallback: "Prezado cliente 👋, reserve um momento para avaliar a conversa que você teve com {inbox}.",
    ratings: [
        "Muito insatisfeito",
        "Insatisfeito",
        "Neutro",
        "Satisfeito",
        "Muito satisfeito",
    ],
    thanks: "Obrigado por enviar sua avaliação",
    feedback_label: "Conte-nos mais (opcional)",
    feedback_submit: "Enviar comentário",
    feedback_thanks: "Obrigado pelo seu comentário",
    expired_title: "Esta pesquisa expirou",
    expired_body: "As avaliações podem ser enviadas por 14 dias após a resolução da conversa.",
    missing_title: "Pesquisa não encontrada",
    missing_body: "Este link não leva a nenhuma pesquisa. Verifique o endereço.",
    your_rating: "Sua avaliação",
};

/// Texts for an account locale (`pt_BR`, `fr`, …); English when there is no translation.
pub fn texts(locale: &str) -> &'static Texts {
    match locale {
        "es" => &ES,
        "fr" => &FR,
        "de" => &DE,
        "pt_BR" | "pt-BR" | "pt" => &PT_BR,
        _ => &EN,
    }
}
