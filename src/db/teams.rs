//! `teams` and `team_members`.

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::Value;

use super::{CachedQuery, DbResult, now_ms};

/// One team, with whether the viewing user belongs to it.
#[derive(Debug, Clone)]
pub struct Team {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub allow_auto_assign: bool,
    pub is_member: bool,
}

const SELECT: &str = "SELECT t.id, t.account_id, t.name, t.description, t.allow_auto_assign, \
    EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = t.id AND tm.user_id = ?2) FROM teams t";

fn from_row(row: &Row) -> rusqlite::Result<Team> {
    Ok(Team {
        id: row.get(0)?,
        account_id: row.get(1)?,
        name: row.get(2)?,
        description: row.get(3)?,
        allow_auto_assign: row.get(4)?,
        is_member: row.get(5)?,
    })
}

/// Teams of the account (by id), seen by `viewer_id`.
pub fn list(conn: &Connection, account_id: i64, viewer_id: i64) -> DbResult<Vec<Team>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE t.account_id = ?1 ORDER BY t.id"))?;
    let rows = stmt
        .query_map(params![account_id, viewer_id], from_row)?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// One team of the account, seen by `viewer_id`.
pub fn find(conn: &Connection, account_id: i64, viewer_id: i64, id: i64) -> DbResult<Option<Team>> {
    Ok(conn
        .query_row_cached(
            &format!("{SELECT} WHERE t.account_id = ?1 AND t.id = ?3"),
            params![account_id, viewer_id, id],
            from_row,
        )
        .optional()?)
}

/// Whether another team of the account has this name.
pub fn name_taken(conn: &Connection, account_id: i64, name: &str, except_id: i64) -> DbResult<bool> {
    Ok(conn.exists_cached(
        "SELECT 1 FROM teams WHERE account_id = ?1 AND name = ?2 AND id != ?3",
        params![account_id, name, except_id],
    )?)
}

/// Insert (id 0) or update; returns the stored team.
pub fn save(conn: &Connection, team: &Team) -> DbResult<Team> {
    let now = now_ms();
    if team.id == 0 {
        conn.execute(
            "INSERT INTO teams (account_id, name, description, allow_auto_assign, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![
                team.account_id,
                team.name,
                team.description,
                team.allow_auto_assign,
                now
            ],
        )?;
        return Ok(Team {
            id: conn.last_insert_rowid(),
            ..team.clone()
        });
    }
    conn.execute(
        "UPDATE teams SET name = ?3, description = ?4, allow_auto_assign = ?5, updated_at = ?6 \
         WHERE account_id = ?1 AND id = ?2",
        params![
            team.account_id,
            team.id,
            team.name,
            team.description,
            team.allow_auto_assign,
            now
        ],
    )?;
    Ok(team.clone())
}

/// Delete a team of the account (members go by cascade).
pub fn delete(conn: &Connection, account_id: i64, id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM teams WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    Ok(())
}

/// Add members; returns the ids that were not members before.
pub fn add_members(conn: &Connection, team_id: i64, user_ids: &[i64]) -> DbResult<Vec<i64>> {
    let now = now_ms();
    let mut added = Vec::new();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO team_members (team_id, user_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3) \
         ON CONFLICT (team_id, user_id) DO NOTHING",
    )?;
    for user_id in user_ids {
        if stmt.execute(params![team_id, user_id, now])? > 0 {
            added.push(*user_id);
        }
    }
    Ok(added)
}

/// Remove members.
pub fn remove_members(conn: &Connection, team_id: i64, user_ids: &[i64]) -> DbResult<()> {
    conn.execute(
        "DELETE FROM team_members WHERE team_id = ?1 AND user_id IN (SELECT value FROM json_each(?2))",
        params![team_id, Value::from(user_ids.to_vec()).to_string()],
    )?;
    Ok(())
}

/// Make the member set exactly `user_ids`.
pub fn replace_members(conn: &Connection, team_id: i64, user_ids: &[i64]) -> DbResult<()> {
    conn.execute(
        "DELETE FROM team_members WHERE team_id = ?1 AND user_id NOT IN (SELECT value FROM json_each(?2))",
        params![team_id, Value::from(user_ids.to_vec()).to_string()],
    )?;
    add_members(conn, team_id, user_ids)?;
    Ok(())
}

/// Drop a user from every team of one account (when they leave the account).
pub fn remove_user_from_account(conn: &Connection, account_id: i64, user_id: i64) -> DbResult<()> {
    conn.execute(
        "DELETE FROM team_members WHERE user_id = ?2 AND team_id IN (SELECT id FROM teams WHERE account_id = ?1)",
        params![account_id, user_id],
    )?;
    Ok(())
}

/// Teams of the account among `ids`, keyed by id (one query).
pub fn find_many(
    conn: &Connection,
    account_id: i64,
    viewer_id: i64,
    ids: &[i64],
) -> DbResult<std::collections::HashMap<i64, Team>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE t.account_id = ?1 AND t.id IN (SELECT value FROM json_each(?3))"
    ))?;
    let rows = stmt
        .query_map(
            params![account_id, viewer_id, Value::from(ids.to_vec()).to_string()],
            from_row,
        )?
        .map(|r| r.map(|t| (t.id, t)))
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
