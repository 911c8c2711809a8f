//! The audited life cycle the account's settings resources share (labels, teams, canned
//! responses, custom attribute definitions, custom filters, automation rules): each change is
//! validated, saved and written to the audit trail in one transaction.

use rusqlite::Connection;
use serde_json::Value;

use crate::api::destroy_audited;
use crate::db::DbResult;
use crate::error::{ApiError, ApiResult};
use crate::services::audit::{self, Actor};
use crate::state::AppState;

/// How one resource is found, saved, deleted and shown to the audit trail; a resource module
/// declares one as a `const` and its handlers call the methods.
pub struct Audited<T> {
    /// `auditable_type` in the trail (the Rails class name).
    pub audit_type: &'static str,
    /// The record of the actor's account (and user, for per-user records), if any.
    pub find: fn(&Connection, &Actor, i64) -> DbResult<Option<T>>,
    /// Insert or update; returns the stored record.
    pub save: fn(&Connection, &T) -> DbResult<T>,
    /// `(account_id, id)`.
    pub delete: fn(&Connection, i64, i64) -> DbResult<()>,
    pub id: fn(&T) -> i64,
    /// The JSON the trail records (the resource's view).
    pub view: fn(&T) -> Value,
}

impl<T: Send + 'static> Audited<T> {
    /// The record `id` of the actor's account, or 404.
    pub async fn load(&self, state: &AppState, actor: Actor, id: i64) -> ApiResult<T> {
        let find = self.find;
        state
            .db
            .read(move |conn| find(conn, &actor, id)?.ok_or(ApiError::NotFound))
            .await
    }

    /// `apply` the request to `record` (a blank one), save it and record the creation.
    pub async fn create<Apply>(&self, state: &AppState, actor: Actor, record: T, apply: Apply) -> ApiResult<T>
    where
        Apply: FnOnce(&Connection, &mut T) -> ApiResult<()> + Send + 'static,
    {
        let Audited {
            audit_type,
            save,
            id,
            view,
            ..
        } = *self;
        state
            .db
            .write(move |tx| -> ApiResult<T> {
                let mut record = record;
                apply(tx, &mut record)?;
                let record = save(tx, &record)?;
                audit::created(tx, &actor, audit_type, id(&record), &view(&record))?;
                Ok(record)
            })
            .await
    }

    /// Find record `id` (404 when absent), `apply` the request, save it and record the change.
    pub async fn update<Apply>(&self, state: &AppState, actor: Actor, id: i64, apply: Apply) -> ApiResult<T>
    where
        Apply: FnOnce(&Connection, &mut T) -> ApiResult<()> + Send + 'static,
    {
        let Audited {
            audit_type,
            find,
            save,
            view,
            ..
        } = *self;
        state
            .db
            .write(move |tx| -> ApiResult<T> {
                let mut record = find(tx, &actor, id)?.ok_or(ApiError::NotFound)?;
                let before = view(&record);
                apply(tx, &mut record)?;
                let record = save(tx, &record)?;
                audit::updated(tx, &actor, audit_type, id, &before, &view(&record))?;
                Ok(record)
            })
            .await
    }

    /// Delete record `id` (404 when absent) and record its last view.
    pub async fn destroy(&self, state: &AppState, actor: Actor, id: i64) -> ApiResult<()> {
        destroy_audited(
            state,
            actor,
            self.audit_type,
            id,
            self.find,
            self.delete,
            self.view,
        )
        .await
    }
}

impl<T> Clone for Audited<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Audited<T> {}
