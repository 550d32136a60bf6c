//! Cutting a stream of article text into chunks that are labeled on their own.
//!
//! A chunk ends at a line break (LF, CR, CRLF, U+2028, U+2029, U+0085) where there is
//! one, else at the start of its last sentence, so that labeling chunk by chunk gives
//! the same sentences as labeling the whole article (the splitter's length limit
//! makes even a page without a stop or a break cut into sentences). Memory per
//! article is a few chunks, whatever its size or line endings.

use tasnif::sentence::split_sentences;

/// A chunk is cut once this many bytes of text are waiting.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// Raw bytes in, UTF-8 chunks out. Bytes that are not UTF-8 become U+FFFD and are
/// counted, so that the caller can tell a file in another encoding from one with a
/// few bad bytes.
#[derive(Default)]
pub struct Chunker {
    pending: String,
    /// The start of a character split across two pushes.
    carry: Vec<u8>,
    /// Offset of `pending` in the decoded article.
    base: usize,
    /// Raw bytes seen; how many were not ASCII, not valid UTF-8, or NUL.
    pub seen: u64,
    pub non_ascii: u64,
    pub invalid: u64,
    pub nul: u64,
    /// Raw offset of the first invalid byte.
    pub first_invalid: Option<u64>,
}

/// A piece of article text with its byte offset in the (decoded) article.
pub struct Cut {
    pub text: String,
    pub base: usize,
    /// The text ends inside a sentence longer than the splitter's limit, at one of
    /// its cuts: its last span is a piece that the next chunk continues.
    pub ends_mid_sentence: bool,
}

impl Chunker {
    /// Add raw bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.non_ascii += bytes.iter().filter(|b| !b.is_ascii()).count() as u64;
        self.nul += bytes.iter().filter(|&&b| b == 0).count() as u64;
        let offset = self.seen - self.carry.len() as u64;
        self.seen += bytes.len() as u64;
        if self.carry.is_empty() {
            self.decode(bytes, offset, false);
        } else {
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(bytes);
            self.decode(&joined, offset, false);
        }
    }

    /// Append `bytes` (starting at raw `offset`) to `pending`, repairing bad UTF-8;
    /// an incomplete character at the end waits in `carry` unless `at_end`.
    fn decode(&mut self, mut bytes: &[u8], mut offset: u64, at_end: bool) {
        // The common case, valid UTF-8, checked at memory speed; the standard
        // library's check finds where a bad byte is.
        if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
            self.pending.push_str(s);
            return;
        }
        loop {
            match std::str::from_utf8(bytes) {
                Ok(s) => {
                    self.pending.push_str(s);
                    return;
                }
                Err(e) => {
                    let (good, rest) = bytes.split_at(e.valid_up_to());
                    self.pending
                        .push_str(std::str::from_utf8(good).unwrap_or_default());
                    let Some(bad) = e.error_len() else {
                        if at_end {
                            self.bad(offset + good.len() as u64, rest.len());
                        } else {
                            self.carry.extend_from_slice(rest);
                        }
                        return;
                    };
                    self.bad(offset + good.len() as u64, bad);
                    offset += (good.len() + bad) as u64;
                    bytes = &rest[bad..];
                }
            }
        }
    }

    fn bad(&mut self, at: u64, len: usize) {
        self.pending.push(char::REPLACEMENT_CHARACTER);
        self.invalid += len as u64;
        self.first_invalid.get_or_insert(at);
    }

    /// Whether most of the non-ASCII bytes seen so far are not UTF-8: the mark of a
    /// file in another encoding.
    pub fn mostly_invalid(&self) -> bool {
        self.invalid > 0 && self.invalid * 2 > self.non_ascii
    }

    /// Add text that is known to be UTF-8 (raw counts are not kept for it).
    pub fn push_text(&mut self, text: String) {
        if self.pending.is_empty() {
            self.pending = text;
        } else {
            self.pending.push_str(&text);
        }
    }

    /// A chunk, once enough text waits; it ends at a line break or sentence start.
    pub fn next_chunk(&mut self) -> Option<Cut> {
        if self.pending.len() < CHUNK_BYTES {
            return None;
        }
        let (cut, ends_mid_sentence) = cut_point(&self.pending);
        let rest = self.pending.split_off(cut);
        let text = std::mem::replace(&mut self.pending, rest);
        let base = self.base;
        self.base += text.len();
        Some(Cut {
            text,
            base,
            ends_mid_sentence,
        })
    }

    /// The rest of the article, after the last push.
    pub fn finish(mut self) -> (Cut, Self) {
        let carry = std::mem::take(&mut self.carry);
        let offset = self.seen - carry.len() as u64;
        self.decode(&carry, offset, true);
        let cut = Cut {
            text: std::mem::take(&mut self.pending),
            base: self.base,
            ends_mid_sentence: false,
        };
        (cut, self)
    }
}

/// Where to end a chunk of `text`: after its last line break, else at the start of
/// its last sentence (which may go on past the text), else at its end; and whether
/// that start is a length-limit cut inside a sentence.
///
/// Without a line break, the sentences are found in the text up to its last white
/// space: no word, number or run of closing marks is cut there, so the splitter's
/// look-ahead sees what it would see in the whole text, and every span but the last
/// ends where it would. Only a window that is one run of white space or of text
/// without any (over 48 KiB of it) falls back to the pieces of the whole window.
fn cut_point(text: &str) -> (usize, bool) {
    const BREAKS: [char; 5] = ['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}'];
    if let Some(i) = text.rfind(BREAKS) {
        let c = text[i..].chars().next().map_or(1, char::len_utf8);
        return (i + c, false);
    }
    let words_end = text.rfind(char::is_whitespace).unwrap_or(text.len());
    last_span_start(&text[..words_end])
        .or_else(|| last_span_start(text))
        .unwrap_or((text.len(), false))
}

/// The start of the last span of `text` when it is not at 0, and whether the span
/// before it ends at a length-limit cut.
fn last_span_start(text: &str) -> Option<(usize, bool)> {
    let (mut before, mut last) = (None, None);
    for m in split_sentences(text).marked() {
        before = last.replace(m);
    }
    let start = last?.span.start;
    (start > 0).then(|| (start, before.is_some_and(|b| b.cut_at_limit)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tasnif::sentence::MAX_SENTENCE_BYTES;

    /// Feed `bytes` in pieces of `step` and collect the chunks.
    fn chunks(bytes: &[u8], step: usize) -> (Vec<Cut>, Chunker) {
        let mut c = Chunker::default();
        let mut out = Vec::new();
        for piece in bytes.chunks(step) {
            c.push(piece);
            while let Some(cut) = c.next_chunk() {
                out.push(cut);
            }
        }
        let (last, c) = c.finish();
        out.push(last);
        (out, c)
    }

    fn sentences_of(text: &str) -> Vec<String> {
        split_sentences(text).map(|s| text[s].to_string()).collect()
    }

    /// Sentences and their cut marks, chunk by chunk, are those of the whole text.
    fn assert_same_sentences(text: &str, step: usize) {
        let (cuts, _) = chunks(text.as_bytes(), step);
        let mut base = 0;
        let (mut got, mut got_cuts) = (Vec::new(), Vec::new());
        for c in &cuts {
            assert_eq!(c.base, base);
            assert!(c.text.len() <= 3 * CHUNK_BYTES, "chunk of {}", c.text.len());
            base += c.text.len();
            got.extend(sentences_of(&c.text));
            got_cuts.extend(split_sentences(&c.text).marked().map(|m| m.cut_at_limit));
            if c.ends_mid_sentence {
                *got_cuts.last_mut().unwrap() = true;
            }
        }
        assert_eq!(base, text.len());
        assert_eq!(got, sentences_of(text));
        let want_cuts: Vec<bool> = split_sentences(text)
            .marked()
            .map(|m| m.cut_at_limit)
            .collect();
        assert_eq!(got_cuts, want_cuts);
    }

    #[test]
    fn every_line_ending_cuts_chunks_with_the_same_sentences() {
        for eol in ["\n", "\r\n", "\r", "\u{2028}"] {
            let text = format!("تقدمت القوات نحو المدينة. وانسحب المسلحون{eol}").repeat(5000);
            assert_same_sentences(&text, 7919);
        }
    }

    #[test]
    fn one_long_line_is_cut_at_sentence_starts() {
        let text = "تقدمت القوات نحو المدينة وانسحب المسلحون؛ ".repeat(8000);
        assert_same_sentences(&text, 65536);
        let no_stop = "كلمة ".repeat(4 * CHUNK_BYTES / 5);
        assert_same_sentences(&no_stop, 10007);
        let spans: Vec<_> = split_sentences(&no_stop).collect();
        assert!(spans.iter().all(|s| s.len() <= MAX_SENTENCE_BYTES));
    }

    #[test]
    fn cuts_never_change_a_sentence_whatever_the_read_size() {
        let stop = "تقدمت القوات نحو المدينة. ";
        let domain = "قال مصدر لموقع العربية.نت إن المعركة بدأت» ثم (انسحب.) ";
        let long = "كلمة ".repeat(5000);
        let text = [
            stop.repeat(2500),
            domain.repeat(2000),
            long,
            stop.repeat(100),
        ]
        .concat();
        for step in [1000, 4093, 65536, 65539, 99991] {
            assert_same_sentences(&text, step);
        }
        let lead = [" ".repeat(65000), "قتل الجنود في المدينة ".repeat(3000)].concat();
        assert_same_sentences(&lead, 65539);
    }

    #[test]
    fn split_characters_join_and_bad_bytes_are_counted() {
        let text = "قتل ".repeat(10);
        let (cuts, c) = chunks(text.as_bytes(), 3);
        assert_eq!(cuts.last().unwrap().text, text);
        assert_eq!(c.invalid, 0);
        let mut bad = text.clone().into_bytes();
        bad.extend_from_slice(b"\xFF\xD8");
        let (cuts, c) = chunks(&bad, 5);
        assert!(cuts.last().unwrap().text.ends_with("\u{FFFD}\u{FFFD}"));
        assert_eq!((c.invalid, c.first_invalid), (2, Some(text.len() as u64)));
        assert!(!c.mostly_invalid());
        let (_, c) = chunks(&[0xDE, 0xCA, 0xE1, b' ', 0xC7, 0xE1], 4);
        assert!(c.mostly_invalid());
    }
}
