//! Rails ActionCable's JSON wire format (`actioncable-v1-json`): commands a client sends and
//! the frames a server answers with. Pure functions; no I/O.

use serde::Deserialize;
use serde_json::Value;

/// The subprotocol JS clients offer and require on open.
pub const SUBPROTOCOL: &str = "actioncable-v1-json";
/// Seconds between pings (`BEAT_INTERVAL`); clients reconnect after 6 s without one.
pub const BEAT_SECONDS: u64 = 3;
/// Largest command a client may send; longer frames close the socket.
pub const MAX_COMMAND_BYTES: usize = 16 * 1024;

/// A client command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Subscribe {
        identifier: String,
    },
    Unsubscribe {
        identifier: String,
    },
    /// `perform(action, data)`: `data` is the JSON string the client sent.
    Message {
        identifier: String,
        data: String,
    },
}

#[derive(Deserialize)]
struct RawCommand {
    command: String,
    identifier: String,
    #[serde(default)]
    data: Option<String>,
}

/// Why a frame was not a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("not an ActionCable command")]
    Malformed,
    #[error("unknown command {0:?}")]
    UnknownCommand(String),
}

/// Parse one text frame.
pub fn parse_command(text: &str) -> Result<Command, ProtocolError> {
    let raw: RawCommand = serde_json::from_str(text).map_err(|_| ProtocolError::Malformed)?;
    match raw.command.as_str() {
        "subscribe" => Ok(Command::Subscribe {
            identifier: raw.identifier,
        }),
        "unsubscribe" => Ok(Command::Unsubscribe {
            identifier: raw.identifier,
        }),
        "message" => Ok(Command::Message {
            identifier: raw.identifier,
            data: raw.data.ok_or(ProtocolError::Malformed)?,
        }),
        other => Err(ProtocolError::UnknownCommand(other.chars().take(40).collect())),
    }
}

/// A `RoomChannel` identifier: an agent's (token, account, user) or a contact's token alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomIdentifier {
    Agent {
        pubsub_token: String,
        account_id: i64,
        user_id: i64,
    },
    Contact {
        pubsub_token: String,
    },
}

/// An integer the JS client sends as a number and other clients as a string.
fn integer(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Read a subscription identifier; `None` for another channel or a malformed one.
pub fn room_identifier(identifier: &str) -> Option<RoomIdentifier> {
    let value: Value = serde_json::from_str(identifier).ok()?;
    let map = value.as_object()?;
    if map.get("channel").and_then(Value::as_str) != Some("RoomChannel") {
        return None;
    }
    let pubsub_token = map
        .get("pubsub_token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty() && t.len() <= 128)?
        .to_string();
    match integer(map.get("user_id")) {
        Some(user_id) => Some(RoomIdentifier::Agent {
            pubsub_token,
            account_id: integer(map.get("account_id"))?,
            user_id,
        }),
        None => Some(RoomIdentifier::Contact { pubsub_token }),
    }
}

/// The `action` of a `message` command's data (`{"action":"update_presence"}`).
pub fn action(data: &str) -> Option<String> {
    let value: Value = serde_json::from_str(data).ok()?;
    value.get("action")?.as_str().map(str::to_string)
}

/// `{"type":"welcome"}`
pub fn welcome() -> String {
    r#"{"type":"welcome"}"#.to_string()
}

/// `{"type":"ping","message":<unix seconds>}`
pub fn ping(unix_seconds: i64) -> String {
    format!(r#"{{"type":"ping","message":{unix_seconds}}}"#)
}

/// The identifier as a JSON string literal, ready to splice into frames (echoed byte for byte
/// once decoded).
pub fn quoted(identifier: &str) -> String {
    Value::from(identifier).to_string()
}

/// `{"identifier":…,"type":"confirm_subscription"}`
pub fn confirm(quoted_identifier: &str) -> String {
    format!(r#"{{"identifier":{quoted_identifier},"type":"confirm_subscription"}}"#)
}

/// `{"identifier":…,"type":"reject_subscription"}`
pub fn reject(quoted_identifier: &str) -> String {
    format!(r#"{{"identifier":{quoted_identifier},"type":"reject_subscription"}}"#)
}

/// `{"identifier":…,"message":{"event":…,"data":…}}` from the pre-serialized message.
pub fn broadcast(quoted_identifier: &str, message: &str) -> String {
    format!(r#"{{"identifier":{quoted_identifier},"message":{message}}}"#)
}

/// `{"type":"disconnect","reason":…,"reconnect":…}`
pub fn disconnect(reason: &str, reconnect: bool) -> String {
    serde_json::json!({"type": "disconnect", "reason": reason, "reconnect": reconnect}).to_string()
}

/// A broadcast message `{"event":…,"data":…}`, serialized once for every recipient.
pub fn message(event: &str, data: &Value) -> String {
    serde_json::json!({"event": event, "data": data}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_and_hostile_frames_do_not() {
        let cases: &[(&str, Result<Command, ProtocolError>)] = &[
            (
                r#"{"command":"subscribe","identifier":"{\"channel\":\"RoomChannel\"}"}"#,
                Ok(Command::Subscribe {
                    identifier: r#"{"channel":"RoomChannel"}"#.into(),
                }),
            ),
            (
                r#"{"command":"message","identifier":"x","data":"{\"action\":\"update_presence\"}"}"#,
                Ok(Command::Message {
                    identifier: "x".into(),
                    data: r#"{"action":"update_presence"}"#.into(),
                }),
            ),
            (
                r#"{"command":"message","identifier":"x"}"#,
                Err(ProtocolError::Malformed),
            ),
            (
                r#"{"command":"eval","identifier":"x"}"#,
                Err(ProtocolError::UnknownCommand("eval".into())),
            ),
            ("not json", Err(ProtocolError::Malformed)),
            (r#"{"command":1,"identifier":"x"}"#, Err(ProtocolError::Malformed)),
            ("[]", Err(ProtocolError::Malformed)),
        ];
        for (frame, expected) in cases {
            assert_eq!(&parse_command(frame), expected, "{frame}");
        }
    }

    #[test]
    fn identifiers() {
        let agent = r#"{"channel":"RoomChannel","pubsub_token":"t","account_id":1,"user_id":"2"}"#;
        assert_eq!(
            room_identifier(agent),
            Some(RoomIdentifier::Agent {
                pubsub_token: "t".into(),
                account_id: 1,
                user_id: 2
            })
        );
        assert_eq!(
            room_identifier(r#"{"channel":"RoomChannel","pubsub_token":"c"}"#),
            Some(RoomIdentifier::Contact {
                pubsub_token: "c".into()
            })
        );
        for bad in [
            r#"{"channel":"OtherChannel","pubsub_token":"t"}"#,
            r#"{"channel":"RoomChannel"}"#,
            r#"{"channel":"RoomChannel","pubsub_token":""}"#,
            r#"{"channel":"RoomChannel","pubsub_token":"t","user_id":2}"#,
            "nonsense",
        ] {
            assert_eq!(room_identifier(bad), None, "{bad}");
        }
    }

    #[test]
    fn frames_echo_the_identifier_verbatim() {
        let identifier = r#"{"channel":"RoomChannel","pubsub_token":"a\"b"}"#;
        let frame: Value = serde_json::from_str(&confirm(&quoted(identifier))).expect("json");
        assert_eq!(frame["identifier"], identifier);
        assert_eq!(frame["type"], "confirm_subscription");
        let frame: Value =
            serde_json::from_str(&broadcast(&quoted(identifier), r#"{"event":"e","data":{}}"#))
                .expect("json");
        assert_eq!(frame["message"]["event"], "e");
        assert!(frame.get("action").is_none() && frame["message"].get("action").is_none());
    }
}
