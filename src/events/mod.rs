//! Events: what Parlor sends out when something happens (webhooks, agent-bot events).

pub mod actions;
pub mod automation;
pub mod dispatcher;
pub mod notify;
pub mod outgoing;
pub mod payloads;
pub mod recorder;
pub mod stream;
