//! Sentence splitting on the original text.
//!
//! [`split_sentences`] returns byte spans into the text it was given, so that output can
//! quote each sentence exactly as written. Spans are trimmed of white space, in order,
//! never overlap, lie on char boundaries and together cover every non-space character;
//! none is longer than [`MAX_SENTENCE_BYTES`] (a longer sentence is cut into pieces).
//!
//! ```
//! use tasnif::sentence::split_sentences;
//! let text = "وينهار بأسرع مما نظن.ناشط من الموصل قال 3.5 مليون.";
//! let spans: Vec<&str> = split_sentences(text).map(|s| &text[s.start..s.end]).collect();
//! assert_eq!(spans, ["وينهار بأسرع مما نظن.", "ناشط من الموصل قال 3.5 مليون."]);
//! ```

use std::ops::Range;

/// A sentence as a byte range of the original text.
pub type Span = Range<usize>;

/// Characters that end a sentence (besides line breaks).
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '؛' | '…' | '۔')
}

/// Characters that close a sentence after its terminator: quotes and brackets.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '}' | '›' | '﴾' | '﴿'
    )
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{0085}')
}

/// Words that follow a dot in a domain-like name (`العربية.نت`, `aljazeera.net`).
const DOMAIN_SUFFIXES: &[&str] = &[
    "نت", "كوم", "اورج", "أورج", "اورغ", "أورغ", "com", "net", "org", "gov", "info", "tv", "fm",
    "uk", "fr", "de", "ru", "ae", "sa", "eg", "iq", "sy", "ly", "ye", "tn", "ma", "co", "io",
];

/// The longest sentence, in bytes, that a span may cover. A longer sentence (a page
/// with no full stop or line break, say) is cut into pieces of at most this many
/// bytes, each at the last white space inside the limit (or at a character boundary
/// when it has none); [`Sentences::marked`] tells which spans end at such a cut.
/// This bounds the work and memory that one sentence can take, and makes the pieces
/// the same whether a text is split whole or from the start of any of its spans.
pub const MAX_SENTENCE_BYTES: usize = 16 * 1024;

/// Split `text` into sentences. See the module docs for the guarantees.
pub fn split_sentences(text: &str) -> Sentences<'_> {
    Sentences {
        text,
        pos: 0,
        rest: None,
    }
}

/// Iterator over sentence spans, made by [`split_sentences`].
#[derive(Debug, Clone)]
pub struct Sentences<'a> {
    text: &'a str,
    pos: usize,
    /// What is left of a sentence longer than [`MAX_SENTENCE_BYTES`].
    rest: Option<Span>,
}

/// A sentence span and whether it ends at a cut made by the length limit (the
/// sentence goes on in the next span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedSpan {
    /// The bytes of the sentence (or of its piece).
    pub span: Span,
    /// True when the sentence was longer than [`MAX_SENTENCE_BYTES`] and this span
    /// ends at the cut, not at the end of the sentence.
    pub cut_at_limit: bool,
}

impl<'a> Sentences<'a> {
    /// The same spans, each with whether it ends at a length-limit cut.
    pub fn marked(self) -> Marked<'a> {
        Marked(self)
    }

    fn next_marked(&mut self) -> Option<MarkedSpan> {
        let span = match self.rest.take() {
            Some(rest) => rest,
            None => self.next_whole()?,
        };
        if span.len() <= MAX_SENTENCE_BYTES {
            return Some(MarkedSpan {
                span,
                cut_at_limit: false,
            });
        }
        let cut = limit_cut(self.text, &span);
        let rest = trim(self.text, cut..span.end);
        if !rest.is_empty() {
            self.rest = Some(rest);
        }
        Some(MarkedSpan {
            span: trim(self.text, span.start..cut),
            cut_at_limit: true,
        })
    }

    /// The next whole sentence, trimmed, however long.
    fn next_whole(&mut self) -> Option<Span> {
        loop {
            if self.pos >= self.text.len() {
                return None;
            }
            let start = self.pos;
            let end = find_end(self.text, start);
            self.pos = end;
            let span = trim(self.text, start..end);
            if !span.is_empty() {
                return Some(span);
            }
        }
    }
}

impl Iterator for Sentences<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        self.next_marked().map(|m| m.span)
    }
}

/// Iterator over [`MarkedSpan`]s, made by [`Sentences::marked`].
#[derive(Debug, Clone)]
pub struct Marked<'a>(Sentences<'a>);

impl Iterator for Marked<'_> {
    type Item = MarkedSpan;

    fn next(&mut self) -> Option<MarkedSpan> {
        self.0.next_marked()
    }
}

/// Where to cut a span longer than [`MAX_SENTENCE_BYTES`]: at the last white space
/// within the limit, else at the last character boundary within it.
fn limit_cut(text: &str, span: &Span) -> usize {
    let mut limit = span.start + MAX_SENTENCE_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[span.start..limit];
    match window
        .char_indices()
        .rev()
        .find(|&(i, c)| i > 0 && c.is_whitespace())
    {
        Some((i, _)) => span.start + i,
        None => limit,
    }
}

/// Bytes that are rare in Arabic text and mark every possible terminator or line
/// break: `.` `!` `?` LF CR themselves; the last byte of ؟ (D8 9F), ؛ (D8 9B) and
/// ۔ (DB 94); the lead byte of … U+2028 U+2029 (E2 ..) and U+0085 (C2 85). The scan
/// skips every other byte without decoding; hits are checked by [`char_at_hit`].
const FILTER: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = [b'.', b'!', b'?', b'\n', b'\r', 0x9B, 0x9F, 0x94, 0xE2, 0xC2];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

/// For a [`FILTER`] hit at byte `at`: the start of the terminator or line break it
/// belongs to, if it is one.
#[inline]
fn char_at_hit(bytes: &[u8], start: usize, at: usize) -> Option<usize> {
    let b = bytes[at];
    let prev = if at > start { bytes[at - 1] } else { 0 };
    let next = |k: usize| bytes.get(at + k).copied().unwrap_or(0);
    match b {
        b'.' | b'!' | b'?' | b'\n' | b'\r' => Some(at),
        0x9B | 0x9F if prev == 0xD8 => Some(at - 1),
        0x94 if prev == 0xDB => Some(at - 1),
        0xE2 if next(1) == 0x80 && matches!(next(2), 0xA6 | 0xA8 | 0xA9) => Some(at),
        0xC2 if next(1) == 0x85 => Some(at),
        _ => None,
    }
}

/// Byte offset where the sentence that starts at `start` ends (exclusive).
fn find_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    while at < bytes.len() {
        if !FILTER[bytes[at] as usize] {
            at += 1;
            continue;
        }
        let Some(pos) = char_at_hit(bytes, start, at) else {
            at += 1;
            continue;
        };
        let c = match text[pos..].chars().next() {
            Some(c) => c,
            None => break,
        };
        if is_line_break(c) {
            return pos + c.len_utf8();
        }
        if !is_terminator(c) || (c == '.' && !dot_ends_sentence(text, pos)) {
            at = pos + c.len_utf8();
            continue;
        }
        // Consume the run of terminators and closing quotes or brackets.
        let mut end = pos + c.len_utf8();
        for c2 in text[end..].chars() {
            if is_terminator(c2) || is_closer(c2) {
                end += c2.len_utf8();
            } else {
                break;
            }
        }
        return end;
    }
    text.len()
}

/// Whether the `.` at byte `at` ends a sentence: not between digits (3.5), not inside
/// a Latin abbreviation or address (U.S., bbc.co.uk), not before a domain suffix
/// (العربية.نت).
fn dot_ends_sentence(text: &str, at: usize) -> bool {
    let prev = text[..at].chars().next_back();
    let rest = &text[at + 1..];
    let next = rest.chars().next();
    let (Some(prev), Some(next)) = (prev, next) else {
        return true;
    };
    if prev.is_numeric() && next.is_numeric() {
        return false;
    }
    if prev.is_alphanumeric() && next.is_alphanumeric() {
        if prev.is_ascii_alphanumeric() && next.is_ascii_alphanumeric() {
            return false;
        }
        let word_end = rest
            .char_indices()
            .find(|&(_, c)| !c.is_alphanumeric())
            .map_or(rest.len(), |(i, _)| i);
        let word = &rest[..word_end];
        if DOMAIN_SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(word)) {
            return false;
        }
    }
    true
}

fn trim(text: &str, span: Span) -> Span {
    let s = &text[span.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    let start = span.start + lead;
    start..start + trimmed.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text).map(|s| &text[s]).collect()
    }

    struct Case {
        name: &'static str,
        text: &'static str,
        want: &'static [&'static str],
    }

    const CASES: &[Case] = &[
        Case {
            name: "empty",
            text: "",
            want: &[],
        },
        Case {
            name: "white space only",
            text: "  \n\t \r\n ",
            want: &[],
        },
        Case {
            name: "one sentence, no stop",
            text: "تقدمت القوات نحو المدينة",
            want: &["تقدمت القوات نحو المدينة"],
        },
        Case {
            name: "two sentences",
            text: "تقدمت القوات. وانسحب المسلحون.",
            want: &["تقدمت القوات.", "وانسحب المسلحون."],
        },
        Case {
            name: "glued after full stop",
            text: "مما نظن.ناشط من الموصل ذكر ذلك",
            want: &["مما نظن.", "ناشط من الموصل ذكر ذلك"],
        },
        Case {
            name: "decimal number",
            text: "نزح 3.5 مليون شخص.",
            want: &["نزح 3.5 مليون شخص."],
        },
        Case {
            name: "arabic-indic decimal",
            text: "نزح ٣.٥ مليون شخص.",
            want: &["نزح ٣.٥ مليون شخص."],
        },
        Case {
            name: "domain-like name",
            text: "قال لموقع العربية.نت إن المعركة بدأت. وأضاف أن",
            want: &["قال لموقع العربية.نت إن المعركة بدأت.", "وأضاف أن"],
        },
        Case {
            name: "latin domain",
            text: "نشر على bbc.co.uk خبرا.",
            want: &["نشر على bbc.co.uk خبرا."],
        },
        Case {
            name: "run of punctuation",
            text: "هل انتهى التنظيم؟! لا أحد يعرف...ربما",
            want: &["هل انتهى التنظيم؟!", "لا أحد يعرف...", "ربما"],
        },
        Case {
            name: "closing quote and bracket",
            text: "قال: \"انتهت المعركة.\" ثم غادر (إلى بغداد.) وعاد",
            want: &["قال: \"انتهت المعركة.\"", "ثم غادر (إلى بغداد.)", "وعاد"],
        },
        Case {
            name: "guillemets close",
            text: "وقال «سنعود.» وانتهى",
            want: &["وقال «سنعود.»", "وانتهى"],
        },
        Case {
            name: "arabic question mark, semicolon and ellipsis",
            text: "لماذا؟ لأنه فر؛ ثم عاد… أخيرا",
            want: &["لماذا؟", "لأنه فر؛", "ثم عاد…", "أخيرا"],
        },
        Case {
            name: "line breaks",
            text: "عنوان الخبر\r\nالفقرة الأولى\n\nالفقرة الثانية",
            want: &["عنوان الخبر", "الفقرة الأولى", "الفقرة الثانية"],
        },
        Case {
            name: "only punctuation",
            text: "...",
            want: &["..."],
        },
        Case {
            name: "stop at start",
            text: ". قتل",
            want: &[".", "قتل"],
        },
    ];

    #[test]
    fn table() {
        for case in CASES {
            assert_eq!(split(case.text), case.want, "case: {}", case.name);
        }
    }

    #[test]
    fn long_sentence_is_cut_at_white_space_within_the_limit() {
        let word = "كلمة ";
        let text = word.repeat(3 * MAX_SENTENCE_BYTES / word.len());
        let marked: Vec<MarkedSpan> = split_sentences(&text).marked().collect();
        assert!(marked.len() >= 3);
        for (k, m) in marked.iter().enumerate() {
            assert!(m.span.len() <= MAX_SENTENCE_BYTES);
            assert_eq!(m.cut_at_limit, k + 1 < marked.len(), "piece {k}");
            assert!(text[m.span.clone()].ends_with("كلمة"), "cut inside a word");
        }
        let joined: Vec<&str> = marked.iter().map(|m| &text[m.span.clone()]).collect();
        assert_eq!(joined.join(" "), text.trim());
    }

    #[test]
    fn long_run_without_space_is_cut_at_a_char_boundary() {
        let text = "ب".repeat(MAX_SENTENCE_BYTES);
        let spans: Vec<Span> = split_sentences(&text).collect();
        assert_eq!(spans.len(), 2);
        assert_eq!(spans[0].end, spans[1].start);
        assert!(spans.iter().all(|s| s.len() <= MAX_SENTENCE_BYTES));
    }

    #[test]
    fn pieces_are_the_same_from_any_span_start() {
        let text = format!(
            "{} نهاية. {}",
            "جملة طويلة ".repeat(4000),
            "ثانية ".repeat(100)
        );
        let whole: Vec<Span> = split_sentences(&text).collect();
        for s in &whole {
            let from: Vec<Span> = split_sentences(&text[s.start..])
                .map(|t| t.start + s.start..t.end + s.start)
                .collect();
            assert_eq!(
                &from[..],
                &whole[whole.iter().position(|w| w == s).unwrap()..]
            );
        }
    }

    #[test]
    fn spans_are_in_order_and_cover_non_space() {
        for case in CASES {
            let spans: Vec<Span> = split_sentences(case.text).collect();
            let mut covered = vec![false; case.text.len()];
            let mut last = 0;
            for s in &spans {
                assert!(s.start >= last && s.start < s.end, "case: {}", case.name);
                assert!(case.text.is_char_boundary(s.start) && case.text.is_char_boundary(s.end));
                covered[s.clone()].iter_mut().for_each(|c| *c = true);
                last = s.end;
            }
            for (i, c) in case.text.char_indices() {
                if !c.is_whitespace() {
                    assert!(
                        covered[i],
                        "case {}: char {c:?} at {i} not covered",
                        case.name
                    );
                }
            }
        }
    }
}
