//! Chatwoot's filter DSL (`POST conversations/filter`, `POST contacts/filter`) compiled to a SQL
//! condition. Attribute keys map through a whitelist to fixed SQL expressions; every value is a
//! bound parameter. Custom attributes are read with `json_extract(col, ?)` and a bound path.

use std::collections::HashMap;

use serde_json::Value;

use crate::domain::text::like_escape;
use attributes::{CUSTOM, Column, standard, standard_keys};
use values::{date_of, int_of, invalid_value, placeholders, text_of};

mod attributes;
mod values;

/// A bound parameter of a compiled filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    Int(i64),
    Real(f64),
    Text(String),
}

/// A compiled condition: SQL text with `?` placeholders and their values, in order.
#[derive(Debug, Clone, Default)]
pub struct Compiled {
    pub sql: String,
    pub params: Vec<Bound>,
}

/// Which records are filtered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Conversation,
    Contact,
}

/// Custom attribute display types that change how values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomKind {
    Text,
    Number,
    Date,
    Checkbox,
}

impl CustomKind {
    /// From a definition's display type name.
    pub fn from_display_type(name: &str) -> Self {
        match name {
            "number" | "currency" | "percent" => CustomKind::Number,
            "date" => CustomKind::Date,
            "checkbox" => CustomKind::Checkbox,
            _ => CustomKind::Text,
        }
    }
}

/// One condition after validation.
struct Condition<'a> {
    key: &'a str,
    operator: &'a str,
    values: Vec<Value>,
}

/// `(expr …)` for the condition on a standard column.
fn compile_standard(
    target: Target,
    column: Column,
    c: &Condition,
    out: &mut Compiled,
) -> Result<String, String> {
    let first = c.values.first();
    match (column, c.operator) {
        (Column::Enum(expr, names), op) => {
            let mut codes = Vec::new();
            for value in &c.values {
                let name = value.as_str().ok_or_else(|| invalid_value(c.key))?;
                if name == "all" {
                    return Ok(if op == "equal_to" {
                        "1 = 1".into()
                    } else {
                        "1 = 0".into()
                    });
                }
                let code = names
                    .iter()
                    .position(|n| *n == name)
                    .ok_or_else(|| invalid_value(c.key))?;
                codes.push(Bound::Int(i64::try_from(code).map_err(|_| invalid_value(c.key))?));
            }
            let n = codes.len();
            out.params.extend(codes);
            Ok(if op == "equal_to" {
                format!("{expr} IN ({})", placeholders(n))
            } else {
                format!("({expr} IS NULL OR {expr} NOT IN ({}))", placeholders(n))
            })
        }
        (Column::Id(expr), "is_present") => Ok(format!("{expr} IS NOT NULL")),
        (Column::Id(expr), "is_not_present") => Ok(format!("{expr} IS NULL")),
        (Column::Id(expr), op @ ("equal_to" | "not_equal_to")) => {
            let ids: Vec<i64> = c
                .values
                .iter()
                .map(int_of)
                .collect::<Option<_>>()
                .ok_or_else(|| invalid_value(c.key))?;
            let n = ids.len();
            out.params.extend(ids.into_iter().map(Bound::Int));
            Ok(if op == "equal_to" {
                format!("{expr} IN ({})", placeholders(n))
            } else {
                format!("({expr} IS NULL OR {expr} NOT IN ({}))", placeholders(n))
            })
        }
        (Column::Id(expr), op @ ("contains" | "does_not_contain")) => {
            let texts: Vec<String> = c
                .values
                .iter()
                .map(text_of)
                .collect::<Option<_>>()
                .ok_or_else(|| invalid_value(c.key))?;
            like_any(&format!("CAST({expr} AS TEXT)"), op, &texts, out)
        }
        (Column::Text(expr), op @ ("equal_to" | "not_equal_to")) if target == Target::Contact => {
            let mut value = first
                .and_then(text_of)
                .ok_or_else(|| invalid_value(c.key))?
                .to_lowercase();
            if c.key == "phone_number" {
                value = format!(
                    "+{}",
                    value.chars().filter(char::is_ascii_digit).collect::<String>()
                );
            }
            out.params.push(Bound::Text(value));
            Ok(if op == "equal_to" {
                format!("lower({expr}) = ?")
            } else {
                format!("({expr} IS NULL OR lower({expr}) != ?)")
            })
        }
        (Column::Text(expr), op @ ("equal_to" | "not_equal_to")) => {
            let texts: Vec<Bound> = c
                .values
                .iter()
                .map(|v| text_of(v).map(|t| Bound::Text(t.to_lowercase())))
                .collect::<Option<_>>()
                .ok_or_else(|| invalid_value(c.key))?;
            let n = texts.len();
            out.params.extend(texts);
            Ok(if op == "equal_to" {
                format!("lower({expr}) IN ({})", placeholders(n))
            } else {
                format!("({expr} IS NULL OR lower({expr}) NOT IN ({}))", placeholders(n))
            })
        }
        (Column::Text(expr), "starts_with") => {
            let value = first.and_then(text_of).ok_or_else(|| invalid_value(c.key))?;
            out.params.push(Bound::Text(format!("{}%", like_escape(&value))));
            Ok(format!("{expr} LIKE ? ESCAPE '\\'"))
        }
        (Column::Text(expr), op @ ("contains" | "does_not_contain")) => {
            let texts: Vec<String> = c
                .values
                .iter()
                .map(text_of)
                .collect::<Option<_>>()
                .ok_or_else(|| invalid_value(c.key))?;
            like_any(expr, op, &texts, out)
        }
        (Column::Time(expr), op) => compile_date(
            &format!("date({expr} / 1000, 'unixepoch')"),
            c.key,
            op,
            first,
            out,
        ),
        (Column::Flag(expr), op) => {
            let flag = match first {
                Some(Value::Bool(b)) => *b,
                Some(Value::String(s)) if s == "true" => true,
                Some(Value::String(s)) if s == "false" => false,
                _ => return Err(invalid_value(c.key)),
            };
            out.params.push(Bound::Int(i64::from(flag)));
            Ok(if op == "equal_to" {
                format!("{expr} = ?")
            } else {
                format!("{expr} != ?")
            })
        }
        (Column::Labels, op) => {
            let (table, owner, id) = match target {
                Target::Conversation => ("conversation_labels", "conversation_id", "v.id"),
                Target::Contact => ("contact_labels", "contact_id", "c.id"),
            };
            let exists =
                |filter: &str| format!("EXISTS (SELECT 1 FROM {table} lt WHERE lt.{owner} = {id}{filter})");
            match op {
                "is_present" => Ok(exists("")),
                "is_not_present" => Ok(format!("NOT {}", exists(""))),
                _ => {
                    let labels: Vec<String> = match target {
                        Target::Contact => first.and_then(text_of).into_iter().collect(),
                        Target::Conversation => c.values.iter().filter_map(text_of).collect(),
                    };
                    if labels.is_empty() {
                        return Err(invalid_value(c.key));
                    }
                    let n = labels.len();
                    out.params.extend(labels.into_iter().map(Bound::Text));
                    let any = exists(&format!(" AND lt.label IN ({})", placeholders(n)));
                    Ok(if op == "equal_to" {
                        any
                    } else {
                        format!("NOT {any}")
                    })
                }
            }
        }
        _ => Err(format!(
            "Invalid operator. The allowed operators for {} are [].",
            c.key
        )),
    }
}

fn like_any(expr: &str, op: &str, texts: &[String], out: &mut Compiled) -> Result<String, String> {
    if texts.is_empty() {
        return Err("Invalid value. The values provided are invalid".into());
    }
    let parts: Vec<String> = texts
        .iter()
        .map(|t| {
            out.params.push(Bound::Text(format!("%{}%", like_escape(t))));
            format!("{expr} LIKE ? ESCAPE '\\'")
        })
        .collect();
    Ok(if op == "contains" {
        format!("({})", parts.join(" OR "))
    } else {
        format!("({expr} IS NULL OR NOT ({}))", parts.join(" OR "))
    })
}

fn compile_date(
    expr: &str,
    key: &str,
    op: &str,
    first: Option<&Value>,
    out: &mut Compiled,
) -> Result<String, String> {
    match op {
        "days_before" => {
            let days = first
                .and_then(int_of)
                .filter(|d| (0..=36_500).contains(d))
                .ok_or_else(|| invalid_value(key))?;
            out.params.push(Bound::Text(format!("-{days} days")));
            Ok(format!("{expr} < date('now', ?)"))
        }
        _ => {
            let date = first.and_then(date_of).ok_or_else(|| invalid_value(key))?;
            out.params.push(Bound::Text(date));
            Ok(if op == "is_greater_than" {
                format!("{expr} > ?")
            } else {
                format!("{expr} < ?")
            })
        }
    }
}

fn compile_custom(
    target: Target,
    kind: CustomKind,
    c: &Condition,
    out: &mut Compiled,
) -> Result<String, String> {
    let column = match target {
        Target::Conversation => "v.custom_attributes",
        Target::Contact => "c.custom_attributes",
    };
    // Custom keys are inlined as a JSON path literal: they come from the account's definitions,
    // which only allow [A-Za-z0-9_-]; checked again here so nothing else can reach the SQL text.
    if !crate::domain::custom_attributes::valid_key(c.key) {
        return Err(format!("Invalid attribute key - [{}].", c.key));
    }
    let raw = format!("json_extract({column}, '$.\"{}\"')", c.key);
    let first = c.values.first();
    match c.operator {
        "is_present" => Ok(format!("{raw} IS NOT NULL")),
        "is_not_present" => Ok(format!("{raw} IS NULL")),
        "is_greater_than" | "is_less_than" | "days_before" if kind == CustomKind::Date => {
            compile_date(&format!("date({raw})"), c.key, c.operator, first, out)
        }
        "is_greater_than" | "is_less_than" if kind == CustomKind::Number => {
            let number = first
                .and_then(|v| text_of(v)?.parse::<f64>().ok())
                .ok_or_else(|| invalid_value(c.key))?;
            out.params.push(Bound::Real(number));
            Ok(format!(
                "CAST({raw} AS REAL) {} ?",
                if c.operator == "is_greater_than" { ">" } else { "<" }
            ))
        }
        op @ ("equal_to" | "not_equal_to") => {
            let (expr, bound) = match kind {
                CustomKind::Number => {
                    let n = first
                        .and_then(|v| text_of(v)?.parse::<f64>().ok())
                        .ok_or_else(|| invalid_value(c.key))?;
                    (format!("CAST({raw} AS REAL)"), Bound::Real(n))
                }
                CustomKind::Checkbox => {
                    let flag = matches!(first, Some(Value::Bool(true)))
                        || first.and_then(Value::as_str) == Some("true");
                    (
                        format!("(CASE {raw} WHEN 1 THEN 1 WHEN 'true' THEN 1 ELSE 0 END)"),
                        Bound::Int(i64::from(flag)),
                    )
                }
                CustomKind::Date => (
                    format!("date({raw})"),
                    Bound::Text(first.and_then(date_of).ok_or_else(|| invalid_value(c.key))?),
                ),
                CustomKind::Text => (
                    format!("lower(CAST({raw} AS TEXT))"),
                    Bound::Text(
                        first
                            .and_then(text_of)
                            .ok_or_else(|| invalid_value(c.key))?
                            .to_lowercase(),
                    ),
                ),
            };
            out.params.push(bound);
            if op == "equal_to" {
                Ok(format!("{expr} = ?"))
            } else {
                // A missing key also counts as "not equal", as in Chatwoot.
                Ok(format!("({expr} != ? OR {raw} IS NULL)"))
            }
        }
        "contains" | "does_not_contain" => {
            let texts: Vec<String> = c
                .values
                .iter()
                .map(text_of)
                .collect::<Option<_>>()
                .ok_or_else(|| invalid_value(c.key))?;
            like_any(&format!("CAST({raw} AS TEXT)"), c.operator, &texts, out)
        }
        _ => Err(format!(
            "Invalid operator. The allowed operators for {} are [{}].",
            c.key,
            CUSTOM.join(",")
        )),
    }
}

/// Compile a filter payload. `custom` maps the account's custom attribute keys (of the target's
/// model) to their kinds. Errors are Chatwoot's 422 texts.
pub fn compile(
    target: Target,
    payload: &Value,
    custom: &HashMap<String, CustomKind>,
) -> Result<Compiled, String> {
    let conditions = payload
        .as_array()
        .filter(|list| !list.is_empty())
        .ok_or("Invalid payload. The filter payload must be a non-empty list of conditions")?;
    let mut out = Compiled::default();
    let mut sql = String::new();
    for (index, raw) in conditions.iter().enumerate() {
        let object = raw
            .as_object()
            .ok_or("Invalid payload. Each condition must be an object")?;
        let key = object.get("attribute_key").and_then(Value::as_str).unwrap_or("");
        let operator = object
            .get("filter_operator")
            .and_then(Value::as_str)
            .unwrap_or("");
        let standard = standard(target, key);
        let custom_kind = custom.get(key).copied();
        if standard.is_none() && custom_kind.is_none() {
            return Err(format!(
                "Invalid attribute key - [{key}]. The key should be one of [{}] or a custom attribute defined in the account.",
                standard_keys(target)
            ));
        }
        let allowed = standard.map_or(CUSTOM, |(_, ops)| ops);
        if !allowed.contains(&operator) {
            return Err(format!(
                "Invalid operator. The allowed operators for {key} are [{}].",
                allowed.join(",")
            ));
        }
        let values = match object.get("values") {
            Some(Value::Array(values)) => values.clone(),
            Some(Value::Null) | None => Vec::new(),
            Some(single) => vec![single.clone()],
        };
        let presence = matches!(operator, "is_present" | "is_not_present");
        if (values.is_empty() && !presence) || values.len() > 100 {
            return Err(invalid_value(key));
        }
        let condition = Condition {
            key,
            operator,
            values,
        };
        let clause = match (standard, custom_kind) {
            (Some((column, _)), _) => compile_standard(target, column, &condition, &mut out)?,
            (None, Some(kind)) => compile_custom(target, kind, &condition, &mut out)?,
            (None, None) => return Err(format!("Invalid attribute key - [{key}].")),
        };
        sql.push('(');
        sql.push_str(&clause);
        sql.push(')');
        let last = index + 1 == conditions.len();
        match object.get("query_operator") {
            None | Some(Value::Null) if last => {}
            Some(Value::String(op)) if op.is_empty() && last => {}
            Some(Value::String(op)) if !last && op.eq_ignore_ascii_case("and") => sql.push_str(" AND "),
            Some(Value::String(op)) if !last && op.eq_ignore_ascii_case("or") => sql.push_str(" OR "),
            Some(Value::String(op))
                if last && (op.eq_ignore_ascii_case("and") || op.eq_ignore_ascii_case("or")) =>
            {
                return Err("The last condition must not have a query operator".into());
            }
            _ => return Err("Query operator must be either \"AND\" or \"OR\".".into()),
        }
    }
    out.sql = format!("({sql})");
    Ok(out)
}

#[cfg(test)]
mod tests;
