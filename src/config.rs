//! Command line and environment configuration.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `parlor [GLOBAL FLAGS] [COMMAND]`; a bare `parlor` serves.
#[derive(Debug, Parser)]
#[command(
    name = "parlor",
    version,
    about = "A Chatwoot-compatible support server in one binary"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do; `serve` when nothing is named.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open (and migrate) the database and serve HTTP until SIGINT/SIGTERM.
    Serve,
    /// Create an account and its first administrator; prints the ids and the access token as JSON.
    Setup(SetupArgs),
    /// Manage platform apps (the callers of the Platform API).
    #[command(name = "platform-app", subcommand)]
    PlatformApp(PlatformAppCommand),
}

/// Arguments of `parlor setup`.
#[derive(Debug, Args)]
pub struct SetupArgs {
    #[arg(long)]
    pub account_name: String,
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub password: String,
}

/// `parlor platform-app …`
#[derive(Debug, Subcommand)]
pub enum PlatformAppCommand {
    /// Create a platform app; prints its id, name and access token as JSON.
    Create {
        #[arg(long)]
        name: String,
    },
}

/// SQLite `synchronous` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyncMode {
    /// Durable across process crashes; the last commits may be lost on power failure (WAL).
    Normal,
    /// Every commit is fsynced: durable across power loss, slower writes.
    Full,
}

/// Settings shared by every command. Each flag can also come from the environment.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Directory holding the SQLite database and uploaded files.
    #[arg(long, env = "PARLOR_DATA_DIR", default_value = "./parlor-data", global = true)]
    pub data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "PARLOR_BIND", default_value = "127.0.0.1:3000", global = true)]
    pub bind: SocketAddr,
    /// Public base URL used in absolute links (CSAT, SSO); defaults to http://<bind>.
    #[arg(long, env = "FRONTEND_URL", global = true)]
    pub frontend_url: Option<String>,
    /// SQLite durability: `normal` (default) or `full` for power-loss durability.
    #[arg(
        long = "sync",
        env = "PARLOR_SYNC",
        value_enum,
        default_value = "normal",
        global = true
    )]
    pub sync_mode: SyncMode,
    /// bcrypt cost for new password hashes (Chatwoot uses 11).
    #[arg(long, env = "PARLOR_BCRYPT_COST", default_value_t = 11, global = true)]
    pub bcrypt_cost: u32,
    /// Failed token/password attempts one IP may make per window before it gets 429.
    #[arg(long, env = "PARLOR_AUTH_FAILURE_LIMIT", default_value_t = 20, global = true)]
    pub auth_failure_limit: u32,
    /// Length of the failed-attempt window, in seconds.
    #[arg(
        long,
        env = "PARLOR_AUTH_FAILURE_WINDOW",
        default_value_t = 300,
        global = true
    )]
    pub auth_failure_window_secs: u64,
    /// Requests one IP may make to the public (Client) API per minute.
    #[arg(long, env = "PARLOR_PUBLIC_RATE_LIMIT", default_value_t = 600, global = true)]
    pub public_rate_limit: u32,
    /// Largest accepted uploaded file, in megabytes.
    #[arg(long, env = "PARLOR_MAX_UPLOAD_MB", default_value_t = 40, global = true)]
    pub max_upload_mb: u64,
    /// Take the client IP from X-Forwarded-For (only behind a trusted reverse proxy).
    #[arg(long, env = "PARLOR_TRUST_PROXY", default_value_t = false, global = true)]
    pub trust_proxy: bool,
    /// Let webhooks and agent bots reach loopback, private, link-local and metadata addresses
    /// (on-premise receivers, tests). Off: such deliveries are refused.
    #[arg(
        long,
        env = "PARLOR_ALLOW_PRIVATE_WEBHOOKS",
        default_value_t = false,
        global = true
    )]
    pub allow_private_webhooks: bool,
    /// Days finished webhook deliveries (and their events) are kept before pruning.
    #[arg(long, env = "PARLOR_EVENT_RETENTION_DAYS", default_value_t = 7, global = true)]
    pub event_retention_days: u64,
}

impl Config {
    /// Reject settings that would only fail later.
    pub fn validate(&self) -> Result<(), String> {
        if !(4..=31).contains(&self.bcrypt_cost) {
            return Err(format!(
                "--bcrypt-cost must be between 4 and 31, got {}",
                self.bcrypt_cost
            ));
        }
        if self.public_rate_limit == 0 {
            return Err("--public-rate-limit must be positive".into());
        }
        if self.max_upload_mb == 0 || self.max_upload_mb > 1024 {
            return Err("--max-upload-mb must be between 1 and 1024".into());
        }
        if self.event_retention_days == 0 || self.event_retention_days > 3650 {
            return Err("--event-retention-days must be between 1 and 3650".into());
        }
        if self.auth_failure_limit == 0 || self.auth_failure_window_secs == 0 {
            return Err("--auth-failure-limit and --auth-failure-window-secs must be positive".into());
        }
        if let Some(url) = &self.frontend_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(format!(
                "--frontend-url must start with http:// or https://, got {url}"
            ));
        }
        Ok(())
    }

    /// Base URL for absolute links, without a trailing slash.
    pub fn frontend_url(&self) -> String {
        match &self.frontend_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.bind),
        }
    }

    /// Why the links Parlor writes (survey pages, attachments, the widget snippet) would not
    /// reach anyone: a wildcard bind without `--frontend-url` makes them `http://0.0.0.0:…`.
    pub fn frontend_url_warning(&self) -> Option<String> {
        (self.frontend_url.is_none() && self.bind.ip().is_unspecified()).then(|| {
            format!(
                "listening on {} without --frontend-url: links in surveys, attachments and the \
                 widget snippet will point at {}; set --frontend-url (PARLOR_FRONTEND_URL) to the \
                 public address",
                self.bind,
                self.frontend_url()
            )
        })
    }

    /// Directory of uploaded files.
    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    /// Path of the SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("parlor.sqlite3")
    }

    /// Settings for tests and tools: a data dir, fast bcrypt, defaults elsewhere.
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        Config {
            data_dir,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            frontend_url: None,
            sync_mode: SyncMode::Normal,
            bcrypt_cost: 4,
            auth_failure_limit: 20,
            auth_failure_window_secs: 300,
            max_upload_mb: 40,
            public_rate_limit: 600,
            trust_proxy: false,
            allow_private_webhooks: false,
            event_retention_days: 7,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_bind_without_a_frontend_url_is_warned_about() {
        let mut config = Config::for_data_dir(PathBuf::from("/tmp/x"));
        config.bind = "0.0.0.0:3000".parse().expect("addr");
        let warning = config.frontend_url_warning().expect("warned");
        assert!(
            warning.contains("--frontend-url") && warning.contains("0.0.0.0"),
            "{warning}"
        );
        config.bind = "[::]:3000".parse().expect("addr");
        assert!(config.frontend_url_warning().is_some());
        config.frontend_url = Some("https://support.example.com".into());
        assert!(config.frontend_url_warning().is_none());
        config.frontend_url = None;
        config.bind = "127.0.0.1:3000".parse().expect("addr");
        assert!(
            config.frontend_url_warning().is_none(),
            "a loopback bind's links work locally"
        );
    }
}
