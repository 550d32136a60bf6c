//! The prediction path's tokenizer: only the hashes of the features, in the order
//! [`Tokenizer::for_each_feature`] reports them, written into one vector.
//!
//! It gives the same hashes as the general path (a test checks every option against it)
//! with less work per n-gram: each word is decoded once into code points; the seeds of
//! the two feature kinds are constants; a word's hash is its unigram's and the start of
//! every n-gram it begins; nothing but the hash is built.

use super::{FeatureKind, Fnv, TokenScratch, Tokenizer, MAX_WORD_NGRAM};

/// The FNV state after the kind tag and ':' of word features.
const WORD_SEED: Fnv = Fnv::seed(FeatureKind::Word);
/// The FNV state after the kind tag and ':' of character features.
const CHAR_SEED: Fnv = Fnv::seed(FeatureKind::Char);

impl Tokenizer {
    /// Append the hash of every feature of `normalized` to `out`, in the order of
    /// [`Tokenizer::for_each_feature`] (`out` is not cleared). Returns the number of
    /// words seen.
    pub fn hashes_into(
        &self,
        normalized: &str,
        scratch: &mut TokenScratch,
        out: &mut Vec<u64>,
    ) -> usize {
        let o = &self.options;
        // grams[n - 1]: the hash of the n-gram ending at the last kept word.
        let mut grams = [WORD_SEED; MAX_WORD_NGRAM];
        let mut have = 0usize;
        let mut n_words = 0usize;
        let cps = &mut scratch.cps;
        for word in super::words(normalized) {
            n_words += 1;
            padded_code_points(word, cps);
            let whole = hash_of(WORD_SEED, &cps[1..cps.len() - 1]);
            if o.stopwords && super::is_stop_hash(whole.0) {
                continue;
            }
            if o.word_max > 0 {
                let skip = if o.strip_clitics {
                    let rest = super::strip_clitics(word);
                    word[..word.len() - rest.len()].chars().count()
                } else {
                    0
                };
                let letters = &cps[1 + skip..cps.len() - 1];
                // Each n-gram continues the (n-1)-gram ending at the last kept word.
                have = (have + 1).min(o.word_max);
                for n in (2..=have).rev() {
                    let mut h = grams[n - 2];
                    h.push(' ' as u32);
                    grams[n - 1] = hash_of(h, letters);
                }
                grams[0] = if skip == 0 {
                    whole
                } else {
                    hash_of(WORD_SEED, letters)
                };
                // Validated options: word_min >= 1 when word_max > 0.
                if have >= o.word_min {
                    out.extend(grams[o.word_min - 1..have].iter().map(|h| h.0));
                }
            }
            if o.char_max > 0 {
                self.char_hashes(cps, out);
            }
        }
        n_words
    }

    /// The hashes of the character n-grams of one padded word (` word ` as code points).
    #[inline]
    fn char_hashes(&self, cps: &[u32], out: &mut Vec<u64>) {
        let (min, max) = (self.options.char_min, self.options.char_max);
        let padded = cps.len();
        for s in 0..padded {
            let end = (s + max).min(padded);
            if s + min > end {
                break;
            }
            let mut h = hash_of(CHAR_SEED, &cps[s..s + min - 1]);
            for &cp in &cps[s + min - 1..end] {
                h.push(cp);
                out.push(h.0);
            }
        }
    }
}

/// `h` continued with the code points `cps`.
#[inline(always)]
fn hash_of(mut h: Fnv, cps: &[u32]) -> Fnv {
    for &cp in cps {
        h.push(cp);
    }
    h
}

/// `word` as code points between two spaces, into `cps` (cleared first).
#[inline]
fn padded_code_points(word: &str, cps: &mut Vec<u32>) {
    cps.clear();
    cps.push(' ' as u32);
    super::for_each_code_point(word, |cp| cps.push(cp));
    cps.push(' ' as u32);
}

#[cfg(test)]
mod tests {
    use super::super::TokenizeOptions;
    use super::*;

    fn general(t: &Tokenizer, text: &str) -> (Vec<u64>, usize) {
        let mut out = Vec::new();
        let n = t.for_each_feature(text, &mut TokenScratch::default(), |f| out.push(f.hash));
        (out, n)
    }

    fn fast(t: &Tokenizer, text: &str, scratch: &mut TokenScratch) -> (Vec<u64>, usize) {
        let mut out = vec![7];
        let n = t.hashes_into(text, scratch, &mut out);
        assert_eq!(out.remove(0), 7, "hashes_into must append, not clear");
        (out, n)
    }

    /// Texts over an alphabet of Arabic letters, clitics, stopwords, Latin, digits,
    /// marks, emoji, a three-byte and a four-byte char, and separators.
    fn texts() -> Vec<String> {
        let pieces = [
            "ال",
            "و",
            "ب",
            "ف",
            "لل",
            "في",
            "من",
            "قال",
            "الجيش",
            "والمدينة",
            "ك",
            "ي",
            "ة",
            "ً",
            "ا",
            "abc",
            "Z",
            "42",
            "٣",
            "😀",
            "€",
            "𝔸",
            " ",
            " ",
            " ",
            ".",
            "،",
            "\n",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut out = vec![
            String::new(),
            " ".into(),
            "قال الجيش إنه سيطر على المدينة والقرى المحيطة بها في 3 أيام".into(),
            include_str!("../../data/articles/sirte_offensive.txt").into(),
        ];
        for _ in 0..300 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for k in 0..(seed % 40) {
                s.push_str(pieces[((seed >> (k % 50)) as usize + k as usize * 7) % pieces.len()]);
            }
            out.push(s);
        }
        out
    }

    #[test]
    fn hashes_equal_the_general_paths_for_every_option() {
        let texts = texts();
        let mut scratch = TokenScratch::default();
        for (word_min, word_max) in [(0, 0), (1, 1), (1, 2), (2, 2), (1, 3), (2, 4), (4, 4)] {
            for (char_min, char_max) in [(0, 0), (1, 1), (2, 4), (3, 5), (5, 5), (1, 8)] {
                for strip_clitics in [false, true] {
                    for stopwords in [false, true] {
                        let options = TokenizeOptions {
                            word_min,
                            word_max,
                            char_min,
                            char_max,
                            strip_clitics,
                            stopwords,
                        };
                        let Ok(t) = Tokenizer::new(options) else {
                            continue;
                        };
                        for text in &texts {
                            assert_eq!(
                                fast(&t, text, &mut scratch),
                                general(&t, text),
                                "{options:?} on {text:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}
