//! Text encodings of input files. UTF-8 is the default; a file that starts with a
//! byte-order mark is read in the encoding it names (UTF-8, UTF-16 LE or BE), and
//! `--encoding` names any other (windows-1256, iso-8859-6, …). Decoding happens
//! while reading, so a file is never held whole in memory.

use std::io::Read;

use anyhow::{bail, Result};
use encoding_rs::Encoding;
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

/// The encoding `--encoding NAME` names (WHATWG labels, any case).
pub fn encoding_named(name: &str) -> Result<&'static Encoding> {
    match Encoding::for_label(name.trim().as_bytes()) {
        Some(e) => Ok(e),
        None => bail!(
            "--encoding {name}: not an encoding name; try windows-1256, iso-8859-6, utf-16le, utf-16be or utf-8"
        ),
    }
}

/// A reader that yields UTF-8: bytes after a byte-order mark are transcoded from the
/// encoding it marks (the mark itself is dropped); otherwise, with `encoding`, they
/// are transcoded from it (bad sequences become U+FFFD); without one, or with UTF-8,
/// they pass through unchanged, for the caller to check as UTF-8.
pub fn decoding<R: Read>(
    reader: R,
    encoding: Option<&'static Encoding>,
) -> DecodeReaderBytes<R, Vec<u8>> {
    // Named UTF-8 is read as unnamed: bad bytes are then counted, not hidden.
    let encoding = encoding.filter(|&e| e != encoding_rs::UTF_8);
    DecodeReaderBytesBuilder::new()
        .encoding(encoding)
        .bom_override(true)
        .utf8_passthru(true)
        .strip_bom(true)
        .build(reader)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], encoding: Option<&'static Encoding>) -> Vec<u8> {
        let mut out = Vec::new();
        decoding(bytes, encoding).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn utf16_with_a_mark_becomes_utf8() {
        let text = "قتل الجنود.";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le, None), text.as_bytes());
        assert_eq!(decode(&be, None), text.as_bytes());
    }

    #[test]
    fn named_encoding_is_transcoded_and_unmarked_bytes_pass_through() {
        // "قتل" in windows-1256.
        let cp1256 = [0xDE, 0xCA, 0xE1];
        let e = encoding_named("Windows-1256").unwrap();
        assert_eq!(decode(&cp1256, Some(e)), "قتل".as_bytes());
        assert_eq!(decode(&cp1256, None), cp1256);
        assert_eq!(decode(b"\xEF\xBB\xBFabc", None), b"abc");
        assert!(encoding_named("klingon").is_err());
    }
}
