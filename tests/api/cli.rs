//! The `parlor` executable's administrative commands.

use std::process::{Command, Output};

use serde_json::Value;

/// Run the built binary against `data_dir`.
pub fn parlor(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parlor"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("PARLOR_BCRYPT_COST", "4")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("parlor runs")
}

/// The JSON object printed on stdout.
pub fn stdout_json(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|err| panic!("stdout {text:?} is not JSON: {err}"))
}

/// `parlor setup` with the given email and password.
pub fn setup(data_dir: &std::path::Path, email: &str, password: &str) -> Output {
    parlor(
        data_dir,
        &[
            "setup",
            "--account-name",
            "Acme",
            "--name",
            "Ada",
            "--email",
            email,
            "--password",
            password,
        ],
    )
}

#[test]
fn setup_prints_ids_and_token() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("nested/data");
    let output = setup(&data, "ada@acme.test", "Passw0rd!");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = stdout_json(&output);
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["account_id", "user_id", "access_token"]);
    assert_eq!(json["access_token"].as_str().expect("token").len(), 24);
    assert!(data.join("parlor.sqlite3").exists(), "data dir created");
    assert!(data.join("uploads").is_dir());
}

#[test]
fn setup_refuses_duplicate_email_and_weak_password() {
    let dir = tempfile::tempdir().expect("dir");
    assert!(setup(dir.path(), "ada@acme.test", "Passw0rd!").status.success());
    let duplicate = setup(dir.path(), "ADA@acme.test", "Passw0rd!");
    assert!(!duplicate.status.success());
    assert!(duplicate.stdout.is_empty());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("Email has already been taken"));
    for weak in ["short", "alllowercase1!", "NoDigits!!", "NoSpecial123"] {
        let output = setup(dir.path(), "new@acme.test", weak);
        assert!(!output.status.success(), "{weak} accepted");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("Password"),
            "{weak}"
        );
    }
    let conn = rusqlite::Connection::open(dir.path().join("parlor.sqlite3")).expect("open");
    let accounts: i64 = conn
        .query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(accounts, 1, "failed setups left no account behind");
}

#[test]
fn platform_app_create_prints_json() {
    let dir = tempfile::tempdir().expect("dir");
    let output = parlor(dir.path(), &["platform-app", "create", "--name", "Hub"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = stdout_json(&output);
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["id", "name", "access_token"]);
    assert_eq!(json["name"], "Hub");
    let blank = parlor(dir.path(), &["platform-app", "create", "--name", " "]);
    assert!(!blank.status.success());
}
