//! Table and property tests of the filter DSL.
use super::*;
use proptest::prelude::*;
use serde_json::json;

fn custom() -> HashMap<String, CustomKind> {
    [
        ("plan", CustomKind::Text),
        ("seats", CustomKind::Number),
        ("renewal", CustomKind::Date),
        ("vip", CustomKind::Checkbox),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn cond(key: &str, op: &str, values: Value, q: Value) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": q})
}

/// `(payload, Ok(number of bound params) | Err(message prefix))`
fn check(target: Target, payload: Value, expected: Result<usize, &str>) {
    let result = compile(target, &payload, &custom());
    match (result, expected) {
        (Ok(compiled), Ok(params)) => {
            assert_eq!(compiled.params.len(), params, "{payload}");
            assert_eq!(
                compiled.sql.matches('?').count(),
                params,
                "placeholders of {}",
                compiled.sql
            );
        }
        (Err(message), Err(prefix)) => assert!(message.starts_with(prefix), "{message} for {payload}"),
        (other, expected) => panic!("{payload}: got {other:?}, expected {expected:?}"),
    }
}

#[test]
fn conversation_table() {
    use Target::Conversation as C;
    check(
        C,
        json!([cond(
            "status",
            "equal_to",
            json!(["open", "pending"]),
            Value::Null
        )]),
        Ok(2),
    );
    check(
        C,
        json!([cond("status", "equal_to", json!(["all"]), Value::Null)]),
        Ok(0),
    );
    check(
        C,
        json!([cond("labels", "is_present", Value::Null, Value::Null)]),
        Ok(0),
    );
    check(
        C,
        json!([
            cond("assignee_id", "equal_to", json!(["1", 2]), json!("and")),
            cond("plan", "equal_to", json!(["pro"]), Value::Null)
        ]),
        Ok(3),
    );
    check(
        C,
        json!([cond("plan", "not_equal_to", json!(["pro"]), Value::Null)]),
        Ok(1),
    );
    check(
        C,
        json!([cond("vip", "equal_to", json!([true]), Value::Null)]),
        Ok(1),
    );
    check(
        C,
        json!([cond(
            "created_at",
            "is_greater_than",
            json!(["2024-01-31"]),
            Value::Null
        )]),
        Ok(1),
    );
    check(
        C,
        json!([cond("created_at", "days_before", json!([3]), Value::Null)]),
        Ok(1),
    );
    check(
        C,
        json!([cond("foo", "equal_to", json!(["x"]), Value::Null)]),
        Err("Invalid attribute key - [foo]."),
    );
    check(
        C,
        json!([cond("status", "contains", json!(["x"]), Value::Null)]),
        Err("Invalid operator. The allowed operators for status are [equal_to,not_equal_to]."),
    );
    check(
        C,
        json!([cond("status", "equal_to", json!(["closed"]), Value::Null)]),
        Err("Invalid value. The values provided for status are invalid"),
    );
    check(
        C,
        json!([
            cond("status", "equal_to", json!(["open"]), json!("XOR")),
            cond("status", "equal_to", json!(["open"]), Value::Null)
        ]),
        Err("Query operator must be either"),
    );
    check(
        C,
        json!([cond("status", "equal_to", json!(["open"]), json!("and"))]),
        Err("The last condition"),
    );
    check(
        C,
        json!([cond(
            "created_at",
            "is_less_than",
            json!(["yesterday"]),
            Value::Null
        )]),
        Err("Invalid value"),
    );
    check(
        C,
        json!([cond("status", "equal_to", json!([]), Value::Null)]),
        Err("Invalid value"),
    );
    check(C, json!([]), Err("Invalid payload"));
    check(C, json!({"status": "open"}), Err("Invalid payload"));
}

#[test]
fn contact_table() {
    use Target::Contact as K;
    check(
        K,
        json!([cond("email", "contains", json!(["acme", "globex"]), Value::Null)]),
        Ok(2),
    );
    check(
        K,
        json!([cond(
            "phone_number",
            "equal_to",
            json!(["+1 (415) 555"]),
            Value::Null
        )]),
        Ok(1),
    );
    check(
        K,
        json!([cond("phone_number", "starts_with", json!(["+1415"]), Value::Null)]),
        Ok(1),
    );
    check(
        K,
        json!([cond("blocked", "equal_to", json!([true]), Value::Null)]),
        Ok(1),
    );
    check(
        K,
        json!([cond("blocked", "equal_to", json!(["maybe"]), Value::Null)]),
        Err("Invalid value"),
    );
    check(
        K,
        json!([cond("status", "equal_to", json!(["open"]), Value::Null)]),
        Err("Invalid attribute key - [status]"),
    );
    check(
        K,
        json!([cond("seats", "is_greater_than", json!(["ten"]), Value::Null)]),
        Err("Invalid value"),
    );
}

/// Random condition parts: a mix of valid and hostile keys, operators and values.
fn any_condition() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "status",
        "priority",
        "assignee_id",
        "labels",
        "display_id",
        "referer",
        "created_at",
        "name",
        "email",
        "phone_number",
        "city",
        "blocked",
        "plan",
        "seats",
        "renewal",
        "vip",
        "x'); DROP TABLE contacts;--",
        "",
    ]);
    let ops = prop::sample::select(vec![
        "equal_to",
        "not_equal_to",
        "contains",
        "does_not_contain",
        "is_present",
        "is_not_present",
        "is_greater_than",
        "is_less_than",
        "days_before",
        "starts_with",
        "like",
        "",
    ]);
    let value = prop_oneof![
        any::<i64>().prop_map(Value::from),
        "[a-z0-9%_'\"\\\\ -]{0,12}".prop_map(Value::from),
        Just(json!("2024-02-29")),
        Just(json!("open")),
        Just(json!(true)),
        Just(Value::Null),
    ];
    let values = prop::collection::vec(value, 0..4).prop_map(Value::Array);
    let query = prop::sample::select(vec![
        json!("AND"),
        json!("or"),
        json!("xor"),
        Value::Null,
        json!(""),
    ]);
    (keys, ops, values, query).prop_map(|(k, o, v, q)| cond(k, o, v, q))
}

/// One migrated database shared by every case (opening one per case is slow).
fn database() -> &'static crate::db::Db {
    static DB: std::sync::OnceLock<(tempfile::TempDir, crate::db::Db)> = std::sync::OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().expect("dir");
        let db =
            crate::db::Db::open(&dir.path().join("t.sqlite3"), crate::config::SyncMode::Normal).expect("db");
        (dir, db)
    })
    .1
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Whatever the payload, compiling gives a message or SQL that SQLite accepts as is.
    #[test]
    fn hostile_payloads_never_break_sql(conditions in prop::collection::vec(any_condition(), 0..4), contact in any::<bool>()) {
        let db = database();
        let target = if contact { Target::Contact } else { Target::Conversation };
        let payload = Value::Array(conditions);
        if let Ok(compiled) = compile(target, &payload, &custom()) {
            let table = if contact { "contacts c" } else { "conversations v" };
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE {}", compiled.sql);
            let params: Vec<rusqlite::types::Value> = compiled.params.iter().map(crate::db::conversation_list::bound).collect();
            let counted: Result<i64, _> = db.read_sync(|conn| Ok(conn.query_row(&sql, rusqlite::params_from_iter(params), |r| r.get(0))?));
            prop_assert!(counted.is_ok(), "{sql}: {counted:?}");
        }
    }
}
