//! `POST|PUT|DELETE …/portals/{slug}/logo`: a portal's logo as a multipart upload (Parlor's
//! replacement for Chatwoot's direct-upload `blob_id`), stored under the uploads directory.

use super::PortalPath;
use super::portals::{change, render};
use crate::api::uploads::MessageInput;
use crate::api::{Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::run_blocking;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Image types a logo may have (shown inline on public pages, so never SVG or HTML).
const LOGO_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];

/// `POST|PUT …/portals/{slug}/logo` (multipart, one file in `logo` or `attachments[]`):
/// Parlor's replacement for Chatwoot's direct-upload `blob_id`.
pub async fn upload_logo(
    state: State,
    member: AccountMember,
    path: PortalPath,
    input: MessageInput,
) -> Reply {
    let files = input.files;
    let checked = (|| {
        member.require_admin()?;
        let [file] = files.files.as_slice() else {
            return Err(ApiError::invalid("logo", "Send exactly one image file as logo"));
        };
        if !LOGO_TYPES.contains(&file.content_type.as_str()) {
            return Err(ApiError::invalid(
                "logo",
                "Logo must be a PNG, JPEG, GIF or WebP image",
            ));
        }
        Ok(file.clone())
    })();
    let file = match checked {
        Ok(file) => file,
        Err(err) => {
            files.discard().await;
            return Err(err);
        }
    };
    let result = change(&state, &member, path.into_inner().1, move |_, portal| {
        portal.logo_key = Some(file.key.clone());
        portal.logo_filename = Some(file.file_name.clone());
        portal.logo_content_type = Some(file.content_type.clone());
        Ok(())
    })
    .await;
    match result {
        Ok((before, portal)) => {
            remove_file(&state, before.logo_key).await;
            Ok(ok_json(render(&state, &member, portal, None).await?))
        }
        Err(err) => {
            files.discard().await;
            Err(err)
        }
    }
}

/// `DELETE …/portals/{slug}/logo`
pub async fn delete_logo(state: State, member: AccountMember, path: PortalPath) -> Reply {
    member.require_admin()?;
    let (before, _) = change(&state, &member, path.into_inner().1, |_, portal| {
        portal.logo_key = None;
        portal.logo_filename = None;
        portal.logo_content_type = None;
        Ok(())
    })
    .await?;
    remove_file(&state, before.logo_key).await;
    Ok(head_ok())
}

/// Remove a replaced or orphaned logo file.
pub(super) async fn remove_file(state: &AppState, key: Option<String>) {
    if let Some(key) = key {
        let path = state.config.uploads_dir().join(key);
        let _ = run_blocking(move || -> ApiResult<()> {
            let _ = std::fs::remove_file(path);
            Ok(())
        })
        .await;
    }
}
