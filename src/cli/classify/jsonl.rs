//! `--input jsonl`: one article a line, as a JSON object with a text field and,
//! optionally, an id field.
//!
//! Ids are data: a string id comes out as the string, and any other id (a number of
//! any size, say) exactly as it is written in the line, never through a float.

use std::collections::HashMap;

use serde_json::value::RawValue;

/// One article read from a line.
pub struct Article {
    /// The id from the id field, if one was asked for.
    pub id: Option<String>,
    pub text: String,
}

/// A line that is not an article, and why; `id` when the line still named one.
pub struct BadLine {
    pub id: Option<String>,
    pub message: String,
}

/// Parse one line (without requiring its line break).
pub fn parse_line(
    line: &[u8],
    text_field: &str,
    id_field: Option<&str>,
) -> Result<Article, BadLine> {
    let fields: HashMap<String, &RawValue> = serde_json::from_slice(line).map_err(|e| {
        let hint = if std::str::from_utf8(line).is_err() {
            "; the line is not UTF-8: name the file's encoding with --encoding"
        } else {
            "; --input jsonl wants one JSON object a line"
        };
        // serde's own "at line 1 column N" would read as a second line number.
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or_default();
        BadLine {
            id: None,
            message: format!("not a JSON object (column {}: {what}){hint}", e.column()),
        }
    })?;
    let id = match id_field {
        None => None,
        Some(f) => match fields.get(f).map(|v| v.get()) {
            None | Some("null") => {
                return Err(BadLine {
                    id: None,
                    message: format!("no field '{f}'; choose the id field with --id-field"),
                })
            }
            Some(raw) => Some(id_text(raw)),
        },
    };
    let fail = |message: String| BadLine {
        id: id.clone(),
        message,
    };
    let text = match fields.get(text_field) {
        None => {
            return Err(fail(format!(
                "no field '{text_field}'; choose the text field with --text-field"
            )))
        }
        Some(raw) => serde_json::from_str::<String>(raw.get())
            .map_err(|_| fail(format!("field '{text_field}' is not a string")))?,
    };
    Ok(Article { id, text })
}

/// A string id as its text; any other JSON value as written.
fn id_text(raw: &str) -> String {
    serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(line: &str) -> String {
        parse_line(line.as_bytes(), "text", Some("id"))
            .ok()
            .and_then(|a| a.id)
            .unwrap()
    }

    #[test]
    fn ids_come_out_as_written() {
        assert_eq!(
            id_of(r#"{"id": 12345678901234567890123, "text": "x"}"#),
            "12345678901234567890123"
        );
        assert_eq!(id_of(r#"{"id": 1.50e3, "text": "x"}"#), "1.50e3");
        assert_eq!(id_of(r#"{"id": "خبر\u0020٧", "text": "x"}"#), "خبر ٧");
        assert_eq!(id_of(r#"{"text": "x", "id": "🙂"}"#), "🙂");
    }

    #[test]
    fn bad_lines_say_why_and_keep_the_id() {
        let bad = |l: &str| {
            parse_line(l.as_bytes(), "text", Some("id"))
                .err()
                .map(|b| (b.id, b.message))
                .unwrap()
        };
        assert!(bad("{oops").1.contains("not a JSON object"));
        assert!(bad(r#"{"text": "x"}"#).1.contains("no field 'id'"));
        let (id, msg) = bad(r#"{"id": 7, "text": 3}"#);
        assert_eq!(id.as_deref(), Some("7"));
        assert!(msg.contains("not a string"));
        assert!(parse_line(b"{\"text\": \"\xff\"}", "text", None)
            .err()
            .unwrap()
            .message
            .contains("--encoding"));
    }
}
