//! Parlor: a Chatwoot-compatible customer-support server in one binary with embedded SQLite.
//! Modules in reading order: configuration and start-up, the route table, authentication and
//! errors, handlers, views, services, storage, pure rules.

pub mod cli;
pub mod config;
pub mod startup;
pub mod state;

pub mod routes;

pub mod auth;
pub mod caller;
pub mod error;
pub mod presence;
pub mod rate_limit;

pub mod api;
pub mod live;
pub mod views;
pub mod web;

pub mod services;

pub mod events;

pub mod db;
pub mod domain;
