//! The normalizer never panics, its fast path (the `unsafe` one) writes what the slow
//! reference path writes, it is idempotent under every option set, and the tokenizer
//! and featurizer accept whatever it produces.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tasnif::normalize::{NormalizeOptions, Normalizer};
use tasnif::tokenize::{words, TokenScratch, TokenizeOptions, Tokenizer};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let bit = |i: u32| flags.rotate_left(i) & 1 == 1;
    let mut o = NormalizeOptions::default();
    if flags != 0 {
        o = NormalizeOptions {
            presentation_forms: bit(0),
            diacritics: bit(1),
            tatweel: bit(2),
            alef: bit(3),
            alef_maqsura: bit(4),
            teh_marbuta: bit(5),
            hamza_carriers: bit(6),
            persian_forms: bit(7),
            digits: bit(0) ^ bit(1),
            punctuation: bit(2) ^ bit(3),
            zero_width: bit(4) ^ bit(5),
            lowercase: bit(6) ^ bit(7),
            collapse_whitespace: bit(1) ^ bit(6),
        };
    }
    let n = Normalizer::new(o);
    let once = n.normalize(text);
    let mut reference = String::new();
    n.normalize_reference_into(text, &mut reference);
    assert_eq!(once, reference, "the fast path differs from the reference");
    assert_eq!(n.normalize(&once), once, "not idempotent");
    assert!(words(&once).all(|w| !w.is_empty()));
    let tok = Tokenizer::new(TokenizeOptions { strip_clitics: bit(3), stopwords: bit(4), ..Default::default() }).unwrap();
    let mut scratch = TokenScratch::default();
    tok.for_each_feature(&once, &mut scratch, |f| {
        let mut s = String::new();
        f.write_text(&mut s);
        assert_eq!(tasnif::tokenize::feature_hash(f.kind, &s), f.hash);
    });
});
