//! Events: what Parlor sends out when something happens (webhooks, agent-bot events).

pub mod actions;
pub mod automation;
pub mod dispatcher;
pub mod outgoing;
pub mod recorder;
pub mod stream;
