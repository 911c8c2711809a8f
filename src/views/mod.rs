//! Chatwoot's JSON shapes (the jbuilder layer). Every response body is built here.

pub mod account;
pub mod platform;
pub mod user;
