//! `/api/v1/accounts/{account_id}/labels`: members list; administrators manage.

use serde::Deserialize;

use crate::api::audited::Audited;
use crate::api::body::{JsonBody, parse_params};
use crate::api::{ItemPath, Reply, State, head_ok, ok_json};
use crate::auth::AccountMember;
use crate::db::labels::{self, Label};
use crate::error::ApiResult;
use crate::services::settings;
use crate::views;

/// Writable label attributes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LabelParams {
    title: Option<String>,
    #[serde(deserialize_with = "crate::domain::params::nullable")]
    description: Option<Option<String>>,
    color: Option<String>,
    show_on_sidebar: Option<bool>,
}

/// A create or an update: the fields left out keep their values; the rules are the
/// settings service's, shared with the agent app.
fn apply(conn: &rusqlite::Connection, label: &mut Label, params: LabelParams) -> ApiResult<()> {
    let title = params.title.unwrap_or_else(|| label.title.clone());
    let description = params.description.unwrap_or_else(|| label.description.clone());
    let color = params.color.unwrap_or_else(|| label.color.clone());
    settings::apply_label(conn, label, &title, description, &color)?;
    if let Some(show) = params.show_on_sidebar {
        label.show_on_sidebar = show;
    }
    Ok(())
}

/// `GET …/labels`
pub async fn index(state: State, member: AccountMember) -> Reply {
    let account_id = member.account_id();
    let rows = state
        .db
        .read(move |conn| -> ApiResult<_> { Ok(labels::list(conn, account_id)?) })
        .await?;
    Ok(ok_json(views::envelope::payload(
        rows.iter().map(views::label::label).collect::<Vec<_>>(),
    )))
}

/// Labels in the audit trail.
const LABELS: Audited<Label> = Audited {
    audit_type: "Label",
    find: |conn, actor, id| labels::find(conn, actor.account_id, id),
    save: labels::save,
    delete: labels::delete,
    id: |label| label.id,
    view: views::label::label,
};

/// `GET …/labels/{id}` (administrators)
pub async fn show(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    let label = LABELS.load(&state, member.actor(), path.into_inner().1).await?;
    Ok(ok_json(views::label::label(&label)))
}

/// `POST …/labels` (administrators)
pub async fn create(state: State, member: AccountMember, body: JsonBody) -> Reply {
    member.require_admin()?;
    let params: LabelParams = parse_params(body.require("label")?)?;
    let blank = Label {
        id: 0,
        account_id: member.account_id(),
        title: String::new(),
        description: None,
        color: "#1f93ff".into(),
        show_on_sidebar: false,
    };
    let label = LABELS
        .create(&state, member.actor(), blank, |tx, label| {
            apply(tx, label, params)
        })
        .await?;
    Ok(ok_json(views::label::label(&label)))
}

/// `PATCH …/labels/{id}` (administrators)
pub async fn update(state: State, member: AccountMember, path: ItemPath, body: JsonBody) -> Reply {
    member.require_admin()?;
    let id = path.into_inner().1;
    let params: LabelParams = parse_params(body.require("label")?)?;
    let label = LABELS
        .update(&state, member.actor(), id, |tx, label| apply(tx, label, params))
        .await?;
    Ok(ok_json(views::label::label(&label)))
}

/// `DELETE …/labels/{id}` (administrators)
pub async fn destroy(state: State, member: AccountMember, path: ItemPath) -> Reply {
    member.require_admin()?;
    LABELS
        .destroy(&state, member.actor(), path.into_inner().1)
        .await?;
    Ok(head_ok())
}
