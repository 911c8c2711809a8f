//! Attachment rules: file types, safe names, and which types may be shown inline.

/// `attachment.file_type` names in enum order.
pub const FILE_TYPES: &[&str] = &[
    "image",
    "audio",
    "video",
    "file",
    "location",
    "fallback",
    "share",
    "story_mention",
    "contact",
    "ig_reel",
    "ig_post",
    "ig_story",
    "embed",
];

/// Most files one message may carry (Chatwoot: 15).
pub const MAX_FILES_PER_MESSAGE: usize = 15;

/// The file type code for a content type.
pub fn file_type(content_type: &str) -> i64 {
    match content_type.split('/').next().unwrap_or("") {
        "image" => 0,
        "audio" => 1,
        "video" => 2,
        _ => 3,
    }
}

/// Lowercase alphanumeric extension of a client file name (at most 10 characters), if any.
pub fn extension(file_name: &str) -> Option<String> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let (_, ext) = base.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    (!ext.is_empty() && ext.len() <= 10 && ext.chars().all(|c| c.is_ascii_alphanumeric())).then_some(ext)
}

/// The last path segment of a client file name, stripped of control characters (display only;
/// stored files always get server-generated names).
pub fn display_name(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(255)
        .collect();
    if clean.is_empty() || clean == "." || clean == ".." {
        "file".into()
    } else {
        clean
    }
}

/// A server-generated storage key: a UUID plus the sanitized extension.
pub fn storage_key(file_name: &str) -> String {
    let id = uuid::Uuid::new_v4();
    match extension(file_name) {
        Some(ext) => format!("{id}.{ext}"),
        None => id.to_string(),
    }
}

/// Whether `key` has the shape [`storage_key`] produces (so it can never name another path).
pub fn valid_storage_key(key: &str) -> bool {
    let (id, ext) = key.split_once('.').unwrap_or((key, ""));
    uuid::Uuid::parse_str(id).is_ok_and(|u| u.hyphenated().to_string() == id)
        && ext.len() <= 10
        && ext.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// Types a browser may render inline from our origin. Everything else (HTML, SVG, XML, scripts…)
/// is served as a download.
pub fn inline_safe(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "image/avif"
            | "image/bmp"
            | "audio/mpeg"
            | "audio/ogg"
            | "audio/wav"
            | "audio/webm"
            | "audio/mp4"
            | "video/mp4"
            | "video/webm"
            | "video/ogg"
            | "application/pdf"
            | "text/plain"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_keys() {
        assert_eq!(extension("../../etc/passwd"), None);
        assert_eq!(extension("photo.JPG").as_deref(), Some("jpg"));
        assert_eq!(extension("evil.ph p"), None);
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(display_name(".."), "file");
        let key = storage_key("../../x.PNG");
        assert!(valid_storage_key(&key) && key.ends_with(".png"), "{key}");
        for bad in [
            "../etc/passwd",
            "abc.png",
            "",
            "0f8fad5b-d9cb-469f-a165-70867728950e/../x",
        ] {
            assert!(!valid_storage_key(bad), "{bad}");
        }
        assert!(!inline_safe("image/svg+xml") && !inline_safe("text/html") && inline_safe("image/png"));
        assert_eq!(file_type("image/png"), 0);
        assert_eq!(file_type("application/zip"), 3);
    }
}
