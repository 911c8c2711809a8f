//! The subcommands: `serve`, `setup`, `platform-app create`. Administrative commands write through
//! the same database layer as the server, so they work while a server runs on the data dir.

use anyhow::{Context, bail};
use serde_json::json;

use crate::config::{Cli, Command, Config, PlatformAppCommand, SetupArgs};
use crate::db::access_tokens::{self, OwnerType};
use crate::db::account_users::{self, Role};
use crate::db::{accounts, platform};
use crate::error::ApiError;
use crate::services::users::{NewUser, hash_new_password};
use crate::startup::{Application, open_database};

/// Run the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    init_tracing();
    let config = cli.config;
    config.validate().map_err(anyhow::Error::msg)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Setup(args) => setup(&config, args),
        Command::PlatformApp(PlatformAppCommand::Create { name }) => create_platform_app(&config, &name),
    }
}

/// Logs go to stderr (stdout carries the JSON of the admin commands); `RUST_LOG` filters.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn serve(config: Config) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let bind = config.bind;
        if let Some(warning) = config.frontend_url_warning() {
            tracing::warn!("{warning}");
        }
        let app = Application::build(config).context("starting the server")?;
        tracing::info!(%bind, port = app.port, "Parlor is listening");
        app.run_until_stopped().await.context("serving")
    })
}

/// A validation failure as a one-line message for the terminal.
fn describe(err: ApiError) -> anyhow::Error {
    match err {
        ApiError::Validation { message, .. } => anyhow::anyhow!(message),
        ApiError::Unprocessable(message) => anyhow::anyhow!(message),
        other => anyhow::anyhow!(other.to_string()),
    }
}

fn setup(config: &Config, args: SetupArgs) -> anyhow::Result<()> {
    if args.account_name.trim().is_empty() {
        bail!("--account-name must not be blank");
    }
    let hash = hash_new_password(&args.password, config.bcrypt_cost).map_err(describe)?;
    let db = open_database(config)?;
    let (account_id, user_id, token) = db
        .write_sync(|tx| -> Result<_, ApiError> {
            let account = accounts::insert(tx, &accounts::new_account(args.account_name.trim()))?;
            let new = NewUser {
                name: args.name.clone(),
                email: args.email.clone(),
                encrypted_password: hash,
                super_admin: true,
                ..NewUser::default()
            };
            let user = crate::services::users::create(tx, new)?;
            account_users::upsert(tx, account.id, user.id, Role::Administrator, None)?;
            let token = access_tokens::token_of(tx, OwnerType::User, user.id)?
                .ok_or_else(|| ApiError::Internal("token missing after create".into()))?;
            Ok((account.id, user.id, token))
        })
        .map_err(describe)?;
    println!(
        "{}",
        json!({"account_id": account_id, "user_id": user_id, "access_token": token})
    );
    Ok(())
}

fn create_platform_app(config: &Config, name: &str) -> anyhow::Result<()> {
    let name = name.trim();
    if name.is_empty() {
        bail!("--name must not be blank");
    }
    let db = open_database(config)?;
    let (app, token) = db
        .write_sync(|tx| -> Result<_, ApiError> {
            let app = platform::insert_app(tx, name)?;
            let token = access_tokens::issue(tx, OwnerType::PlatformApp, app.id)?;
            Ok((app, token))
        })
        .map_err(describe)?;
    println!(
        "{}",
        json!({"id": app.id, "name": app.name, "access_token": token})
    );
    Ok(())
}
