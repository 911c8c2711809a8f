//! The layer tidy test: every `crate::` path in `src/` (outside unit tests) must point along
//! the allowed directions of ARCHITECTURE.md's code map. When an import is refused, move the
//! type down a layer rather than adding an arrow.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which top-level modules each module may use (besides itself). The same table is in
/// ARCHITECTURE.md ("Who may import whom").
const ALLOWED: &[(&str, &[&str])] = &[
    ("main", &["cli"]),
    (
        "cli",
        &[
            "config", "startup", "services", "caller", "views", "db", "domain", "error",
        ],
    ),
    (
        "startup",
        &[
            "config",
            "routes",
            "state",
            "web",
            "events",
            "live",
            "db",
            "error",
            "rate_limit",
        ],
    ),
    ("routes", &["api", "web", "live", "auth", "state", "error"]),
    (
        "api",
        &[
            "auth", "caller", "events", "services", "views", "db", "domain", "state", "config", "error",
            "presence",
        ],
    ),
    (
        "web",
        &[
            "auth", "caller", "services", "views", "db", "domain", "state", "config", "error",
        ],
    ),
    (
        "live",
        &[
            "auth", "caller", "events", "services", "views", "db", "domain", "state", "config", "error",
            "presence",
        ],
    ),
    (
        "auth",
        &["caller", "state", "rate_limit", "db", "domain", "config", "error"],
    ),
    (
        "state",
        &["config", "events", "rate_limit", "presence", "db", "error"],
    ),
    (
        "events",
        &["services", "caller", "views", "db", "domain", "config", "error"],
    ),
    ("services", &["caller", "views", "db", "domain", "error"]),
    ("caller", &["db", "domain", "error"]),
    ("views", &["db", "domain"]),
    ("db", &["domain", "config", "error"]),
    ("error", &["db", "domain"]),
    ("config", &[]),
    ("rate_limit", &[]),
    ("presence", &[]),
    ("domain", &[]),
];

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its unit tests (test fixtures may reach across layers).
fn production_code(path: &Path) -> Option<String> {
    if path.file_stem().is_some_and(|s| s == "tests") {
        return None;
    }
    let text = std::fs::read_to_string(path).expect("read file");
    Some(match text.find("#[cfg(test)]") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    })
}

/// Top-level modules named by `crate::…` paths, including `use crate::{a, b::c}` groups.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (line_no, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                let body = group.split('}').next().unwrap_or_default();
                for item in body.split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        found.push((line_no + 1, name));
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                found.push((line_no + 1, name));
            }
            rest = after;
        }
    }
    found
}

/// `src/api/x.rs` → `api`; `src/auth.rs` → `auth`.
fn top_module(src: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(src).expect("below src");
    let first = relative.components().next().expect("component");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

#[test]
fn imports_follow_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(module, uses)| (*module, uses.iter().copied().collect()))
        .collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut refused = Vec::new();
    let mut checked = 0;
    for path in &files {
        let module = top_module(&src, path);
        if module == "lib" {
            continue;
        }
        let Some(code) = production_code(path) else {
            continue;
        };
        let Some(may_use) = allowed.get(module.as_str()) else {
            refused.push(format!(
                "{}: module `{module}` is not in the layer table",
                path.display()
            ));
            continue;
        };
        for (line, target) in crate_paths(&code) {
            checked += 1;
            if target != module && !may_use.contains(target.as_str()) {
                let shown = path.strip_prefix(&src).unwrap_or(path).display();
                refused.push(format!("src/{shown}:{line}: {module} → {target}"));
            }
        }
    }
    assert!(checked > 500, "the scan found the crate's imports ({checked})");
    assert!(
        refused.is_empty(),
        "imports against the layers:\n{}",
        refused.join("\n")
    );
}

#[test]
fn the_scanner_reads_grouped_and_inline_paths() {
    let code = "use crate::{db::x, views};\nlet a = crate::api::ok_json(b);\n#[serde(with = \"crate::domain::params::nullable\")]";
    let names: Vec<String> = crate_paths(code).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["db", "views", "api", "domain"]);
}

/// Statements and calls that run SQL; outside `src/db/` none may appear.
const SQL_MARKERS: &[&str] = &[
    "\"SELECT ",
    "\"INSERT ",
    "\"UPDATE ",
    "\"DELETE ",
    "\"WITH ",
    ".execute(",
    ".execute_batch(",
    ".prepare(",
    ".prepare_cached(",
    ".query_row(",
    ".query_row_cached(",
];

#[test]
fn sql_lives_in_db() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = Vec::new();
    for path in files.iter().filter(|p| !p.starts_with(src.join("db"))) {
        let Some(code) = production_code(path) else {
            continue;
        };
        for (line_no, line) in code.lines().enumerate() {
            if SQL_MARKERS.iter().any(|marker| line.contains(marker)) {
                let shown = path.strip_prefix(&src).unwrap_or(path).display();
                found.push(format!("src/{shown}:{}: {}", line_no + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "SQL outside src/db/:\n{}", found.join("\n"));
}

/// Response shapes are built in `src/views/` (ARCHITECTURE.md: "Views are the contract"); a
/// handler in `src/api/` that writes `json!` is building one in the wrong layer.
#[test]
fn api_builds_no_json() {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join("api");
    let mut files = Vec::new();
    rust_files(&api, &mut files);
    let mut found = Vec::new();
    for path in &files {
        let Some(code) = production_code(path) else {
            continue;
        };
        for (line_no, line) in code.lines().enumerate() {
            if line.contains("json!(") {
                found.push(format!("{}:{}: {}", path.display(), line_no + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "JSON built outside src/views/:\n{}",
        found.join("\n")
    );
}
