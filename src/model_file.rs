//! The model file's framing: a header line that says what follows, then the content.
//!
//! ```text
//! tasnif-model format=3 length=<content bytes> crc32=<8 hex digits>\n
//! <content>
//! ```
//!
//! [`frame`] puts the header before content bytes; [`unframe`] checks, in order, the
//! magic word, the format version, the length and the CRC-32 of the content, each
//! failure its own [`ModelError`], and hands back the content. This module knows
//! nothing of what the content means: [`crate::pipeline::Pipeline::to_bytes`] and
//! [`crate::pipeline::Pipeline::from_bytes`] write and read it (a JSON document whose
//! schema lives beside the pipeline).
//!
//! ```
//! use tasnif::model_file::{frame, unframe};
//! let bytes = frame(b"{}");
//! assert!(bytes.starts_with(b"tasnif-model format=3 length=2 crc32="));
//! assert_eq!(unframe(&bytes).unwrap(), b"{}");
//! ```

use crate::error::ModelError;

/// The format version this build writes and reads. Version 2 stores the feature
/// definitions (stopword and clitic lists, table fingerprints) and refuses missing or
/// unknown fields; version 3 adds the temperature (calibration). Files of other
/// versions are refused (retrain; a version 2 model retrained gives the same
/// features and weights, at temperature 1).
pub const FORMAT_VERSION: u32 = 3;

/// The word a model file starts with.
pub const MAGIC: &str = "tasnif-model";

/// How far into the file the header line must end.
const MAX_HEADER_BYTES: usize = 200;

/// The header line (magic, format version, length and CRC-32 of `content`), then
/// `content`.
pub fn frame(content: &[u8]) -> Vec<u8> {
    let crc = crc32fast::hash(content);
    let mut out = format!(
        "{MAGIC} format={FORMAT_VERSION} length={} crc32={crc:08x}\n",
        content.len()
    )
    .into_bytes();
    out.extend_from_slice(content);
    out
}

/// The content of a framed model file, after checking its header, format version,
/// length and CRC-32.
///
/// # Errors
///
/// [`ModelError::NotAModel`] if `bytes` does not start with a header line,
/// [`ModelError::FormatVersion`] if the header names another format version,
/// [`ModelError::Length`] if the content is shorter or longer than the header says,
/// [`ModelError::Checksum`] if its CRC-32 is not the header's.
pub fn unframe(bytes: &[u8]) -> Result<&[u8], ModelError> {
    if !bytes.starts_with(MAGIC.as_bytes()) {
        return Err(ModelError::NotAModel);
    }
    let nl = bytes
        .iter()
        .take(MAX_HEADER_BYTES)
        .position(|&b| b == b'\n')
        .ok_or(ModelError::NotAModel)?;
    let header = std::str::from_utf8(&bytes[..nl]).map_err(|_| ModelError::NotAModel)?;
    let field = |name: &str| {
        header
            .split(' ')
            .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
    };
    let format = field("format").ok_or(ModelError::NotAModel)?;
    if format != FORMAT_VERSION.to_string() {
        return Err(ModelError::FormatVersion {
            found: format.to_string(),
            supported: FORMAT_VERSION,
        });
    }
    let length: usize = field("length")
        .and_then(|v| v.parse().ok())
        .ok_or(ModelError::NotAModel)?;
    let crc = field("crc32")
        .and_then(|v| u32::from_str_radix(v, 16).ok())
        .ok_or(ModelError::NotAModel)?;
    let content = &bytes[nl + 1..];
    if content.len() != length {
        return Err(ModelError::Length {
            expected: length,
            found: content.len(),
        });
    }
    let found = crc32fast::hash(content);
    if found != crc {
        return Err(ModelError::Checksum {
            expected: crc,
            found,
        });
    }
    Ok(content)
}

/// The identity of a model file: FNV-1a 64 over all its bytes, as
/// `fnv1a64:<16 hex digits>`. Two files with the same hash hold the same model.
pub fn model_hash(bytes: &[u8]) -> String {
    let mut h = crate::fingerprint::Fnv1a64::new();
    h.write(bytes);
    h.fingerprint()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unframe_gives_back_what_frame_was_given() {
        for content in [&b""[..], b"{}", "نص".as_bytes(), &[0xFF, 0, b'\n']] {
            assert_eq!(unframe(&frame(content)).unwrap(), content);
        }
    }

    #[test]
    fn the_header_states_version_length_and_checksum() {
        let bytes = frame(b"abc");
        let nl = bytes.iter().position(|&b| b == b'\n').unwrap();
        assert_eq!(
            std::str::from_utf8(&bytes[..nl]).unwrap(),
            format!(
                "tasnif-model format=3 length=3 crc32={:08x}",
                crc32fast::hash(b"abc")
            )
        );
    }

    #[test]
    fn bad_frames_are_refused_each_with_its_error() {
        let good = frame(b"{\"a\":1}");
        let with_header = |header: &str| {
            let mut b = header.as_bytes().to_vec();
            b.extend_from_slice(&good[good.iter().position(|&b| b == b'\n').unwrap()..]);
            b
        };
        let crc = crc32fast::hash(b"{\"a\":1}");
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        let cases: Vec<(&str, Vec<u8>, ModelError)> = vec![
            ("empty", Vec::new(), ModelError::NotAModel),
            ("csv", b"doc,text,label\n".to_vec(), ModelError::NotAModel),
            (
                "no newline",
                b"tasnif-model format=3".to_vec(),
                ModelError::NotAModel,
            ),
            (
                "version 1",
                with_header(&format!("tasnif-model format=1 length=7 crc32={crc:08x}")),
                ModelError::FormatVersion {
                    found: "1".into(),
                    supported: 3,
                },
            ),
            (
                "version 2",
                with_header(&format!("tasnif-model format=2 length=7 crc32={crc:08x}")),
                ModelError::FormatVersion {
                    found: "2".into(),
                    supported: 3,
                },
            ),
            (
                "no length",
                with_header(&format!("tasnif-model format=3 crc32={crc:08x}")),
                ModelError::NotAModel,
            ),
            (
                "truncated",
                good[..good.len() - 1].to_vec(),
                ModelError::Length {
                    expected: 7,
                    found: 6,
                },
            ),
            (
                "bit flipped",
                flipped,
                ModelError::Checksum {
                    expected: crc,
                    found: crc32fast::hash(b"{\"a\":1|"),
                },
            ),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(unframe(&bytes), Err(want), "{name}");
        }
    }
}
