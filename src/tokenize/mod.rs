//! Word tokens and n-gram features over normalized text.
//!
//! Nothing here allocates per token: [`words`] hands out `&str` slices of the text, and
//! [`Tokenizer::for_each_feature`] reports every word n-gram and character n-gram as a
//! [`Feature`] that borrows from the text, with a stable 64-bit hash computed on the
//! fly. Only when a feature enters the vocabulary at training time is its text written
//! out, with [`Feature::write_text`]. Prediction needs only the hashes:
//! [`Tokenizer::hashes_into`] gives them, in the same order, with less work.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::normalize::{arabic_index, is_arabic_diacritic, is_arabic_lead};

mod hashes;

/// The kind of a feature: word n-gram or character n-gram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FeatureKind {
    /// A word n-gram: words joined by one space.
    Word,
    /// A character n-gram inside a word padded with one space on each side (`char_wb`).
    Char,
}

impl FeatureKind {
    const fn tag(self) -> u8 {
        match self {
            FeatureKind::Word => b'w',
            FeatureKind::Char => b'c',
        }
    }
}

/// Tokenizer settings, saved in the model file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenizeOptions {
    /// Smallest word n-gram (0 turns word features off together with `word_max`).
    pub word_min: usize,
    /// Largest word n-gram (at most 4).
    pub word_max: usize,
    /// Smallest character n-gram (0 turns character features off with `char_max`).
    pub char_min: usize,
    /// Largest character n-gram (at most 8).
    pub char_max: usize,
    /// Strip the article ال and the proclitics و ف ب ك ل from words before word
    /// n-grams are formed (character n-grams always see the whole word).
    pub strip_clitics: bool,
    /// Leave out Arabic function words and reporting verbs ([`STOPWORDS`]) from word
    /// and character n-grams, as if they were not in the text.
    pub stopwords: bool,
}

impl Default for TokenizeOptions {
    fn default() -> Self {
        TokenizeOptions {
            word_min: 1,
            word_max: 2,
            char_min: 3,
            char_max: 5,
            strip_clitics: false,
            stopwords: true,
        }
    }
}

/// Largest word n-gram supported.
pub const MAX_WORD_NGRAM: usize = 4;
/// Largest character n-gram supported.
pub const MAX_CHAR_NGRAM: usize = 8;

impl TokenizeOptions {
    /// Check the ranges; the error says which one is wrong.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidNgramRange`] for a range that is not `1 <= min <= max <=` the
    /// largest supported (nor `0..0`), [`Error::NoNgrams`] if both ranges are off.
    pub fn validate(&self) -> Result<()> {
        let check = |kind: FeatureKind, min: usize, max: usize, cap: usize| {
            if (min == 0) != (max == 0) || min > max || max > cap {
                Err(Error::InvalidNgramRange {
                    kind,
                    min,
                    max,
                    largest: cap,
                })
            } else {
                Ok(())
            }
        };
        check(
            FeatureKind::Word,
            self.word_min,
            self.word_max,
            MAX_WORD_NGRAM,
        )?;
        check(
            FeatureKind::Char,
            self.char_min,
            self.char_max,
            MAX_CHAR_NGRAM,
        )?;
        if self.word_max == 0 && self.char_max == 0 {
            return Err(Error::NoNgrams);
        }
        Ok(())
    }
}

/// Whether `c` belongs to a word: letters, digits and Arabic combining marks.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let cp = c as u32;
    if (0x0600..=0x06FF).contains(&cp) {
        return arabic_word_table()[(cp - 0x0600) as usize];
    }
    is_word_char_slow(c)
}

fn is_word_char_slow(c: char) -> bool {
    c.is_alphanumeric() || is_arabic_diacritic(c as u32)
}

/// [`is_word_char`] for U+0600..=U+06FF as a table built at compile time: Unicode
/// property lookups are the slowest part of tokenizing Arabic otherwise. A test checks
/// it against the Unicode properties.
static ARABIC_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut cp = 0x0600;
    while cp <= 0x06FF {
        t[cp - 0x0600] = matches!(cp, 0x0610..=0x061A | 0x0620..=0x0669 | 0x066E..=0x06D3 | 0x06D5..=0x06FC | 0x06FF);
        cp += 1;
    }
    t
};

fn arabic_word_table() -> &'static [bool; 256] {
    &ARABIC_WORD
}

/// The fingerprint of which code points of [`crate::fingerprint::CODE_POINTS`] are
/// word characters, as [`is_word_char`] and the word scanner ([`words`]) each say:
/// equal fingerprints mean the same words. Saved in the model file and compared on
/// load. Computed once.
pub(crate) fn word_chars_fingerprint() -> &'static str {
    static FINGERPRINT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FINGERPRINT.get_or_init(|| {
        let mut h = crate::fingerprint::Fnv1a64::new();
        let mut buf = [0u8; 4];
        for c in crate::fingerprint::code_points() {
            let one = c.encode_utf8(&mut buf);
            let answer = is_word_char(c) as u8 | (word_char_at(one, 0).0 as u8) << 1;
            h.write(&(c as u32).to_le_bytes());
            h.write(&[answer]);
        }
        h.fingerprint()
    })
}

/// Byte classes for the word scanner: what the byte at a char boundary says.
const NOT_WORD: u8 = 0;
const ASCII_WORD: u8 = 1;
const ARABIC_LEAD: u8 = 2;
const OTHER_LEAD: u8 = 3;

static BYTE_CLASS: [u8; 256] = {
    let mut t = [OTHER_LEAD; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = if (b as u8).is_ascii_alphanumeric() {
            ASCII_WORD
        } else {
            NOT_WORD
        };
        b += 1;
    }
    while b < 256 {
        if is_arabic_lead(b as u8) {
            t[b] = ARABIC_LEAD;
        }
        b += 1;
    }
    t
};

/// Whether the char starting at byte `i` of `text` is a word char, and its length.
#[inline(always)]
fn word_char_at(text: &str, i: usize) -> (bool, usize) {
    let bytes = text.as_bytes();
    let b = bytes[i];
    match BYTE_CLASS[b as usize] {
        NOT_WORD => (false, 1),
        ASCII_WORD => (true, 1),
        ARABIC_LEAD if i + 1 < bytes.len() => (ARABIC_WORD[arabic_index(b, bytes[i + 1])], 2),
        _ => match text[i..].chars().next() {
            Some(c) => (is_word_char(c), c.len_utf8()),
            None => (false, 1),
        },
    }
}

/// The words of `text`: maximal runs of [`is_word_char`] characters.
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

/// Iterator over the words of a text, made by [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let len = self.text.len();
        let mut i = self.pos;
        // Skip to the start of a word.
        let start = loop {
            if i >= len {
                self.pos = i;
                return None;
            }
            let (word, n) = word_char_at(self.text, i);
            if word {
                break i;
            }
            i += n;
        };
        // Find its end.
        while i < len {
            let (word, n) = word_char_at(self.text, i);
            if !word {
                break;
            }
            i += n;
        }
        self.pos = i;
        Some(&self.text[start..i])
    }
}

/// Arabic function words and reporting verbs, normalized (alef, yeh and teh marbuta
/// unified), sorted: words that say how a sentence is told, not what it reports.
pub const STOPWORDS: &[&str] = &[
    "اذ",
    "اذا",
    "اضاف",
    "اضافت",
    "افاد",
    "افادت",
    "اكد",
    "اكدت",
    "الا",
    "التي",
    "الذي",
    "الذين",
    "الي",
    "ام",
    "اما",
    "ان",
    "انا",
    "انه",
    "انها",
    "انهم",
    "او",
    "اوضح",
    "اوضحت",
    "اي",
    "ايضا",
    "بان",
    "بانه",
    "بحسب",
    "بعد",
    "بعض",
    "بين",
    "تلك",
    "ثم",
    "حتي",
    "حسب",
    "حيث",
    "خلال",
    "ذكر",
    "ذكرت",
    "ذلك",
    "علي",
    "عن",
    "عند",
    "عندما",
    "غير",
    "فان",
    "فانه",
    "في",
    "فيه",
    "فيها",
    "قال",
    "قالت",
    "قبل",
    "قد",
    "كان",
    "كانت",
    "كل",
    "كما",
    "لا",
    "لان",
    "لدي",
    "لقد",
    "لكن",
    "لم",
    "لن",
    "له",
    "لها",
    "ما",
    "مع",
    "من",
    "منذ",
    "منه",
    "منها",
    "هذا",
    "هذه",
    "هم",
    "هناك",
    "هو",
    "هي",
    "واضاف",
    "واضافت",
    "واكد",
    "واكدت",
    "وان",
    "وانه",
    "واوضح",
    "وذكر",
    "وفق",
    "وفقا",
    "وقال",
    "وقالت",
    "وقد",
    "وكان",
    "وكانت",
    "ولا",
    "ولكن",
    "ولم",
    "وما",
    "ومن",
    "وهو",
    "وهي",
    "يكون",
];

/// [`STOPWORDS`] as word hashes: a 4096-bit filter that rejects most words with one
/// load, and the sorted hashes behind it. Built once.
struct StopSet {
    filter: [u64; 64],
    hashes: Vec<u64>,
}

fn stop_set() -> &'static StopSet {
    static SET: std::sync::OnceLock<StopSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut hashes: Vec<u64> = STOPWORDS
            .iter()
            .map(|w| feature_hash(FeatureKind::Word, w))
            .collect();
        hashes.sort_unstable();
        let mut filter = [0u64; 64];
        for &h in &hashes {
            let bit = (h >> 52) as usize;
            filter[bit / 64] |= 1 << (bit % 64);
        }
        StopSet { filter, hashes }
    })
}

/// Whether `w` is one of [`STOPWORDS`], by its word hash.
#[inline]
fn is_stopword(w: &str) -> bool {
    is_stop_hash(feature_hash(FeatureKind::Word, w))
}

/// Whether a word hash ([`feature_hash`] of kind word) is one of [`STOPWORDS`].
#[inline]
fn is_stop_hash(h: u64) -> bool {
    let set = stop_set();
    let bit = (h >> 52) as usize;
    set.filter[bit / 64] & (1 << (bit % 64)) != 0 && set.hashes.binary_search(&h).is_ok()
}

/// The article forms [`strip_clitics`] removes, tried in this order.
pub(crate) const ARTICLES: &[&str] = &["وال", "فال", "بال", "كال", "لل", "ال"];
/// The proclitics [`strip_clitics`] removes when no article matched, tried in this order.
pub(crate) const PROCLITICS: &[&str] = &["و", "ف", "ب", "ك", "ل"];
/// Letters that must remain after an article is stripped.
pub(crate) const ARTICLE_MIN_REST: usize = 2;
/// Letters that must remain after a proclitic is stripped.
pub(crate) const PROCLITIC_MIN_REST: usize = 3;

/// Light clitic stripping: remove the article ال (with a leading و ف ب ك or ل) or a
/// single proclitic و ف ب ك ل, keeping at least two (article) or three (proclitic)
/// letters. Returns a slice of `word`.
pub fn strip_clitics(word: &str) -> &str {
    let chars = |s: &str| s.chars().count();
    for a in ARTICLES {
        if let Some(rest) = word.strip_prefix(a) {
            if chars(rest) >= ARTICLE_MIN_REST {
                return rest;
            }
        }
    }
    for p in PROCLITICS {
        if let Some(rest) = word.strip_prefix(p) {
            if chars(rest) >= PROCLITIC_MIN_REST {
                return rest;
            }
        }
    }
    word
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over Unicode code points (one multiply a char), so that hashing a text in
/// pieces equals hashing it whole.
#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    /// The state after the kind tag and ':', which every feature's hash starts with.
    const fn seed(kind: FeatureKind) -> Self {
        let mut h = Fnv(FNV_OFFSET);
        h.push(kind.tag() as u32);
        h.push(':' as u32);
        h
    }
    #[inline(always)]
    const fn push(&mut self, cp: u32) {
        self.0 ^= cp as u64;
        self.0 = self.0.wrapping_mul(FNV_PRIME);
    }
    #[inline]
    fn write(&mut self, s: &str) {
        for_each_code_point(s, |cp| self.push(cp));
    }
}

/// Call `f` with each code point of `s`: ASCII and two-byte characters (Arabic) decoded
/// inline, longer ones by the standard decoder.
#[inline(always)]
fn for_each_code_point(s: &str, mut f: impl FnMut(u32)) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            f(b as u32);
            i += 1;
        } else if b & 0xE0 == 0xC0 && i + 1 < bytes.len() {
            f(((b as u32 & 0x1F) << 6) | (bytes[i + 1] as u32 & 0x3F));
            i += 2;
        } else {
            let c = s[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
            f(c as u32);
            i += c.len_utf8();
        }
    }
}

/// The stable hash of a feature given as kind and text (`"word"`, `"word word"`,
/// `" wo"`): equal to [`Feature::hash`] of the same feature.
pub fn feature_hash(kind: FeatureKind, text: &str) -> u64 {
    let mut h = Fnv::seed(kind);
    h.write(text);
    h.0
}

/// One feature occurrence, borrowing from the text it came from.
#[derive(Debug, Clone, Copy)]
pub struct Feature<'a> {
    /// Stable hash of kind and text; see [`feature_hash`].
    pub hash: u64,
    /// Word or character n-gram.
    pub kind: FeatureKind,
    words: &'a [&'a str],
    lead_space: bool,
    /// For character n-grams: the word and the byte range of the n-gram's letters.
    word: &'a str,
    body: (u32, u32),
    trail_space: bool,
}

impl Feature<'_> {
    /// Append the feature's text to `out` (words joined by a space; character n-grams
    /// with their padding spaces).
    pub fn write_text(&self, out: &mut String) {
        match self.kind {
            FeatureKind::Word => {
                for (i, w) in self.words.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(w);
                }
            }
            FeatureKind::Char => {
                if self.lead_space {
                    out.push(' ');
                }
                out.push_str(&self.word[self.body.0 as usize..self.body.1 as usize]);
                if self.trail_space {
                    out.push(' ');
                }
            }
        }
    }
}

/// Turns normalized text into features. Cheap to clone; holds only settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tokenizer {
    options: TokenizeOptions,
}

/// Reusable buffers for [`Tokenizer::for_each_feature`].
#[derive(Debug, Default, Clone)]
pub struct TokenScratch {
    bounds: Vec<u32>,
    cps: Vec<u32>,
}

impl Tokenizer {
    /// A tokenizer with checked options.
    ///
    /// # Errors
    ///
    /// As [`TokenizeOptions::validate`].
    pub fn new(options: TokenizeOptions) -> Result<Self> {
        options.validate()?;
        Ok(Tokenizer { options })
    }

    /// The settings.
    pub fn options(&self) -> &TokenizeOptions {
        &self.options
    }

    /// Call `f` for every word n-gram and character n-gram of `normalized`, in text
    /// order. Returns the number of words seen.
    pub fn for_each_feature<F>(
        &self,
        normalized: &str,
        scratch: &mut TokenScratch,
        mut f: F,
    ) -> usize
    where
        F: FnMut(Feature<'_>),
    {
        let o = &self.options;
        let mut ring: [&str; MAX_WORD_NGRAM] = [""; MAX_WORD_NGRAM];
        let mut have = 0usize;
        let mut n_words = 0usize;
        for word in words(normalized) {
            n_words += 1;
            if o.stopwords && is_stopword(word) {
                continue;
            }
            if o.word_max > 0 {
                let w = if o.strip_clitics {
                    strip_clitics(word)
                } else {
                    word
                };
                // ring[..have] holds the last words, newest last.
                if have == o.word_max {
                    ring.copy_within(1..have, 0);
                    have -= 1;
                }
                ring[have] = w;
                have += 1;
                for n in o.word_min..=o.word_max.min(have) {
                    let gram = &ring[have - n..have];
                    let mut h = Fnv::seed(FeatureKind::Word);
                    for (i, g) in gram.iter().enumerate() {
                        if i > 0 {
                            h.push(' ' as u32);
                        }
                        h.write(g);
                    }
                    f(Feature {
                        hash: h.0,
                        kind: FeatureKind::Word,
                        words: gram,
                        lead_space: false,
                        word: "",
                        body: (0, 0),
                        trail_space: false,
                    });
                }
            }
            if o.char_max > 0 {
                self.char_ngrams(word, scratch, &mut f);
            }
        }
        n_words
    }

    /// Character n-grams of ` word ` (padded), like scikit-learn's `char_wb`.
    #[inline]
    fn char_ngrams<F>(&self, word: &str, scratch: &mut TokenScratch, f: &mut F)
    where
        F: FnMut(Feature<'_>),
    {
        let (min, max) = (self.options.char_min, self.options.char_max);
        // The padded word ` word `: code points and byte offsets of each char in `word`
        // (the padding spaces at both ends sit at offsets 0 and len).
        let TokenScratch { bounds: b, cps } = scratch;
        b.clear();
        cps.clear();
        cps.push(' ' as u32);
        for (i, c) in word.char_indices() {
            b.push(i as u32);
            cps.push(c as u32);
        }
        let m = b.len();
        b.push(word.len() as u32);
        cps.push(' ' as u32);
        let padded = m + 2;
        for s in 0..padded {
            let mut h = Fnv::seed(FeatureKind::Char);
            let last = (s + max).min(padded);
            for (k, &cp) in cps.iter().enumerate().take(last).skip(s) {
                h.push(cp);
                if k + 1 - s >= min {
                    // Padded chars s..=k: a leading space when s == 0, a trailing one
                    // when k == m + 1; the letters in between.
                    let lead = s == 0;
                    let trail = k == m + 1;
                    let body_start = if lead { 0 } else { b[s - 1] };
                    let body_end = if trail { word.len() as u32 } else { b[k] };
                    f(Feature {
                        hash: h.0,
                        kind: FeatureKind::Char,
                        words: &[],
                        lead_space: lead,
                        word,
                        body: (body_start, body_end.max(body_start)),
                        trail_space: trail,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_features(opts: TokenizeOptions, text: &str) -> Vec<(FeatureKind, String, u64)> {
        let t = Tokenizer::new(opts).unwrap();
        let mut out = Vec::new();
        t.for_each_feature(text, &mut TokenScratch::default(), |f| {
            let mut s = String::new();
            f.write_text(&mut s);
            out.push((f.kind, s, f.hash));
        });
        out
    }

    #[test]
    fn words_are_letter_and_digit_runs() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("...!!", &[]),
            ("قتل 15 شخصا, في حلب.", &["قتل", "15", "شخصا", "في", "حلب"]),
            ("isis-k و\"داعش\"", &["isis", "k", "و", "داعش"]),
            ("قُتِلَ", &["قُتِلَ"]),
        ];
        for (text, want) in cases {
            assert_eq!(words(text).collect::<Vec<_>>(), *want, "text: {text}");
        }
    }

    #[test]
    fn arabic_fast_path_agrees_with_unicode() {
        for cp in 0x0600u32..=0x06FF {
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(is_word_char(c), is_word_char_slow(c), "U+{cp:04X}");
            }
        }
    }

    #[test]
    fn stopwords_are_sorted_and_left_out() {
        assert!(
            STOPWORDS.windows(2).all(|w| w[0] < w[1]),
            "STOPWORDS must be sorted"
        );
        let opts = TokenizeOptions {
            char_min: 0,
            char_max: 0,
            stopwords: true,
            ..Default::default()
        };
        let got: Vec<String> = all_features(opts, "وقال انه انشق عن الجيش")
            .into_iter()
            .map(|f| f.1)
            .collect();
        assert_eq!(got, ["انشق", "الجيش", "انشق الجيش"].map(String::from));
    }

    #[test]
    fn clitic_stripping() {
        let cases = [
            ("والقوات", "قوات"),
            ("بالموصل", "موصل"),
            ("للتنظيم", "تنظيم"),
            ("الرقه", "رقه"),
            ("وقال", "قال"),
            ("فر", "فر"),
            ("ال", "ال"),
            ("بلد", "بلد"),
            ("ولد", "ولد"),
        ];
        for (w, want) in cases {
            assert_eq!(strip_clitics(w), want, "word: {w}");
        }
    }

    #[test]
    fn word_ngrams_1_2() {
        let opts = TokenizeOptions {
            char_min: 0,
            char_max: 0,
            ..Default::default()
        };
        let got: Vec<String> = all_features(opts, "قوات النظام تقدمت")
            .into_iter()
            .map(|f| f.1)
            .collect();
        assert_eq!(
            got,
            ["قوات", "النظام", "قوات النظام", "تقدمت", "النظام تقدمت"].map(String::from)
        );
    }

    #[test]
    fn word_ngrams_1_3_with_stripping() {
        let opts = TokenizeOptions {
            word_min: 2,
            word_max: 3,
            char_min: 0,
            char_max: 0,
            strip_clitics: true,
            stopwords: false,
        };
        let got: Vec<String> = all_features(opts, "وقال المتحدث باسم الجيش")
            .into_iter()
            .map(|f| f.1)
            .collect();
        assert_eq!(
            got,
            [
                "قال متحدث",
                "متحدث اسم",
                "قال متحدث اسم",
                "اسم جيش",
                "متحدث اسم جيش"
            ]
            .map(String::from)
        );
    }

    #[test]
    fn char_wb_ngrams_match_scikit_learn() {
        // sklearn: CountVectorizer(analyzer="char_wb", ngram_range=(2, 3)) on "قتل"
        // gives " ق", "قت", "تل", "ل ", " قت", "قتل", "تل " (as a multiset).
        let opts = TokenizeOptions {
            word_min: 0,
            word_max: 0,
            char_min: 2,
            char_max: 3,
            ..Default::default()
        };
        let mut got: Vec<String> = all_features(opts, "قتل").into_iter().map(|f| f.1).collect();
        got.sort();
        let mut want = [" ق", "قت", "تل", "ل ", " قت", "قتل", "تل "]
            .map(String::from)
            .to_vec();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn hashes_are_stable_and_match_text() {
        for (kind, text, hash) in
            all_features(TokenizeOptions::default(), "قوات النظام تقدمت نحو 3 قرى")
        {
            assert_eq!(feature_hash(kind, &text), hash, "{kind:?} {text:?}");
        }
        // Word and char features with the same text never share a hash.
        assert_ne!(
            feature_hash(FeatureKind::Word, "قتل"),
            feature_hash(FeatureKind::Char, "قتل")
        );
    }

    #[test]
    fn the_word_chars_fingerprint_is_stable() {
        let fp = word_chars_fingerprint();
        assert!(fp.starts_with("fnv1a64:") && fp.len() == 24, "{fp}");
        assert_eq!(fp, word_chars_fingerprint());
    }

    #[test]
    fn options_are_validated() {
        let bad = [
            TokenizeOptions {
                word_min: 3,
                word_max: 2,
                ..Default::default()
            },
            TokenizeOptions {
                char_max: 9,
                ..Default::default()
            },
            TokenizeOptions {
                word_min: 0,
                word_max: 2,
                ..Default::default()
            },
            TokenizeOptions {
                word_min: 0,
                word_max: 0,
                char_min: 0,
                char_max: 0,
                ..Default::default()
            },
        ];
        for o in bad {
            assert!(Tokenizer::new(o).is_err(), "{o:?}");
        }
        assert!(Tokenizer::new(TokenizeOptions::default()).is_ok());
    }
}
