//! `/public/api/v1`: the Client API that customers' widgets and apps call (no token; an
//! inbox identifier and a contact's source id).

use super::RouteTable;
use crate::api::public::{contacts, conversations as conv, csat, messages};

/// `/public/api/v1/…`: customers, no token.
pub(super) fn client_api(t: &mut RouteTable<'_>) {
    t.get("/public/api/v1/csat_survey/{uuid}", csat::show)
        .put("/public/api/v1/csat_survey/{uuid}", csat::update)
        .patch("/public/api/v1/csat_survey/{uuid}", csat::update)
        .scope("/public/api/v1/inboxes/{inbox_identifier}", |t| {
            t.get("", contacts::show_inbox)
                .resource("/contacts", "{source_id}", |r| {
                    r.create(contacts::create)
                        .show(contacts::show)
                        .update(contacts::update);
                })
                .configure(contact_conversations);
        });
}

/// A contact's conversations and their messages.
fn contact_conversations(t: &mut RouteTable<'_>) {
    t.resource("/contacts/{source_id}/conversations", "{id}", |r| {
        r.index(conv::index).create(conv::create).show(conv::show);
    })
    .post(
        "/contacts/{source_id}/conversations/{id}/toggle_status",
        conv::toggle_status,
    )
    .post(
        "/contacts/{source_id}/conversations/{id}/toggle_typing",
        conv::toggle_typing,
    )
    .post(
        "/contacts/{source_id}/conversations/{id}/update_last_seen",
        conv::update_last_seen,
    )
    .resource(
        "/contacts/{source_id}/conversations/{id}/messages",
        "{message_id}",
        |r| {
            r.index(messages::index)
                .create(messages::create)
                .update(messages::update);
        },
    );
}
