//! Rules with no I/O: token and password policy, validation, timestamps, feature flags.

pub mod features;
pub mod password;
pub mod timestamps;
pub mod tokens;
pub mod validation;
