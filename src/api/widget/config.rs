//! `POST /api/v1/widget/config`: the widget page's data as JSON, with the visitor's token (a
//! new one, naming nobody yet, when the request carries none that is valid here).

use actix_web::{HttpResponse, web};

use super::{PublicClient, WidgetRequest};
use crate::api::ok_json;
use crate::error::ApiResult;
use crate::services::widget::{channel_facts, claims_for, new_claims, sign, widget_inbox};
use crate::state::AppState;
use crate::views::widget::{Channel, config};

/// `POST /api/v1/widget/config?website_token=`
pub async fn create(
    state: web::Data<AppState>,
    _: PublicClient,
    widget: WidgetRequest,
) -> ApiResult<HttpResponse> {
    let body = state
        .db
        .read(move |conn| -> ApiResult<_> {
            let inbox = widget_inbox(conn, &widget.website_token)?;
            let claims = match widget.auth_token.as_deref() {
                Some(token) => claims_for(conn, &inbox, token)?,
                None => None,
            };
            let (claims, token) = match claims {
                Some(claims) => (claims, widget.auth_token.clone().unwrap_or_default()),
                None => {
                    let claims = new_claims(&inbox);
                    let token = sign(conn, &claims)?;
                    (claims, token)
                }
            };
            let pubsub = crate::db::contacts::find_contact_inbox(conn, inbox.id, &claims.source_id)?
                .map(|ci| ci.pubsub_token);
            let (locale, bot_name, utc_offset) = channel_facts(conn, &inbox)?;
            let channel = Channel {
                inbox: &inbox,
                locale: &locale,
                bot_name,
                utc_offset,
            };
            Ok(config(&channel, pubsub.as_deref(), &token))
        })
        .await?;
    Ok(ok_json(body))
}
