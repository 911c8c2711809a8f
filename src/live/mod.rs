//! `/cable`: Rails ActionCable's protocol in process, for Chatwoot's dashboard, mobile app and
//! widget. `protocol` is the wire format, `hub` the subscriptions by stream, `socket` one
//! client's task, `broadcasts` what each committed event means for whom, and `fanout` the task
//! that follows the event stream and feeds the hub.

pub mod broadcasts;
pub mod fanout;
pub mod hub;
pub mod notifications;
pub mod protocol;
pub mod socket;
