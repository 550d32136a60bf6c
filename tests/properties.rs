//! Properties checked on generated text (proptest): mixes of Arabic letters, marks,
//! digits, punctuation, white space, Latin and odd code points, and arbitrary Unicode
//! for the normalizer's fast path against its reference.

use std::sync::OnceLock;

use proptest::prelude::*;
use tasnif::corpus::LabeledSentence;
use tasnif::normalize::{NormalizeOptions, Normalizer};
use tasnif::pipeline::{Pipeline, TrainConfig};
use tasnif::sentence::split_sentences;
use tasnif::tokenize::{words, TokenizeOptions, Tokenizer};
use tasnif::vectorize::{Featurizer, VectorizeOptions};

/// Text drawn from the characters that matter to tasnif.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        8 => prop::sample::select(vec![
            "ال", "قوات", "أعدم", "إعدام", "آلاف", "ى", "ة", "ؤ", "ئ", "ء", "داعـــش", "تَنْظِيم", "ٱ", "ک", "ی",
            "٣", "۴", "3.5", "،", "؛", "؟", ".", "!", "…", "«", "»", "\"", "(", ")", " ", "  ", "\n", "\r\n", "\t",
            "\u{200B}", "\u{200F}", "\u{FEFF}", "\u{00A0}", "\u{FEFB}", "\u{FDF2}", "\u{FDFA}", "ISIS", "Abc",
            "İ", "ß", "😀", "\u{0301}", "نت", "العربية.نت", "bbc.co.uk", "نظن.ناشط", "\u{0670}", "\u{06D6}",
        ]).prop_map(String::from),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn options() -> impl Strategy<Value = NormalizeOptions> {
    prop::collection::vec(any::<bool>(), 13).prop_map(|b| NormalizeOptions {
        presentation_forms: b[0],
        diacritics: b[1],
        tatweel: b[2],
        alef: b[3],
        alef_maqsura: b[4],
        teh_marbuta: b[5],
        hamza_carriers: b[6],
        persian_forms: b[7],
        digits: b[8],
        punctuation: b[9],
        zero_width: b[10],
        lowercase: b[11],
        collapse_whitespace: b[12],
    })
}

fn small_model() -> &'static Pipeline {
    static MODEL: OnceLock<Pipeline> = OnceLock::new();
    MODEL.get_or_init(|| {
        let s = |t: &str, l: &str| LabeledSentence::new(t, l);
        let data = vec![
            s(
                "انشق عشرات المقاتلين عن التنظيم وفروا إلى تركيا",
                "defection",
            ),
            s("فر قائد ميداني من صفوف التنظيم وسلم نفسه", "defection"),
            s(
                "تقدمت القوات نحو المدينة وسيطرت على ثلاث قرى",
                "military_advance",
            ),
            s(
                "شنت الطائرات غارات على مواقع التنظيم قرب المدينة",
                "military_advance",
            ),
            s("أعدم التنظيم خمسة رجال في ساحة المدينة", "execution"),
            s("ارتفعت أسعار الخبز في المدينة", "other"),
        ];
        let config = TrainConfig {
            vectorize: VectorizeOptions {
                min_df: 1,
                max_df: 1.0,
                ..Default::default()
            },
            ..Default::default()
        };
        Pipeline::fit(&data, &config).unwrap()
    })
}

/// Arbitrary Unicode, weighted towards what the normalizer's fast path and tables see:
/// the Arabic block (diacritics included), presentation forms, ASCII and white space.
fn unicode_text() -> impl Strategy<Value = String> {
    let in_range =
        |lo: u32, hi: u32| (lo..=hi).prop_map(|c| char::from_u32(c).unwrap_or('\u{FFFD}'));
    let c = prop_oneof![
        3 => any::<char>(),
        4 => in_range(0x0600, 0x06FF),
        2 => in_range(0xFB50, 0xFDFF),
        2 => in_range(0xFE70, 0xFEFF),
        2 => in_range(0, 0x7F),
        1 => prop::sample::select(vec![' ', '\t', '\n', '\u{0B}', '\u{A0}', '\u{2028}', '\u{3000}']),
    ];
    prop_oneof![
        3 => prop::collection::vec(c, 0..64).prop_map(|v| v.into_iter().collect()),
        1 => text(),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn normalization_fast_path_matches_the_reference(t in unicode_text(), o in options()) {
        let n = Normalizer::new(o);
        let mut want = String::new();
        n.normalize_reference_into(&t, &mut want);
        // A reused buffer, not empty, with room or without.
        let mut got = String::from("left over from the last text");
        n.normalize_into(&t, &mut got);
        prop_assert_eq!(&got, &want, "{:?} under {:?}", t, o);
        n.normalize_into(&t, &mut got);
        prop_assert_eq!(got, want);
    }

    #[test]
    fn normalization_is_idempotent(t in text(), o in options()) {
        let n = Normalizer::new(o);
        let once = n.normalize(&t);
        prop_assert_eq!(n.normalize(&once), once.clone());
        if o.collapse_whitespace {
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "), "{:?}", once);
            prop_assert!(!once.contains(['\n', '\t', '\r']));
        }
    }

    #[test]
    fn normalization_with_no_rules_copies(t in text()) {
        prop_assert_eq!(Normalizer::new(NormalizeOptions::none()).normalize(&t), t);
    }

    #[test]
    fn sentence_spans_are_ordered_disjoint_and_cover_non_space(t in text()) {
        let mut covered = vec![false; t.len()];
        let mut last = 0;
        for s in split_sentences(&t) {
            prop_assert!(s.start >= last && s.start < s.end);
            prop_assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
            let piece = &t[s.clone()];
            prop_assert_eq!(piece.trim(), piece);
            covered[s.clone()].iter_mut().for_each(|c| *c = true);
            last = s.end;
        }
        for (i, c) in t.char_indices() {
            prop_assert!(c.is_whitespace() || covered[i], "{:?} at {} not covered", c, i);
        }
    }

    #[test]
    fn tokens_are_never_empty(t in text()) {
        let n = Normalizer::default().normalize(&t);
        for w in words(&n) {
            prop_assert!(!w.is_empty());
        }
        let tok = Tokenizer::new(TokenizeOptions { strip_clitics: true, ..Default::default() }).unwrap();
        let mut scratch = Default::default();
        tok.for_each_feature(&n, &mut scratch, |f| {
            let mut s = String::new();
            f.write_text(&mut s);
            assert!(!s.trim().is_empty());
            assert_eq!(tasnif::tokenize::feature_hash(f.kind, &s), f.hash);
        });
    }

    #[test]
    fn featurizing_is_deterministic_with_unit_rows(texts in prop::collection::vec(text(), 1..8), probe in text()) {
        let tok = Tokenizer::new(TokenizeOptions::default()).unwrap();
        let o = VectorizeOptions { min_df: 1, max_df: 1.0, ..Default::default() };
        let (a, ma) = Featurizer::fit(Normalizer::default(), tok, o, &texts).unwrap();
        let (b, mb) = Featurizer::fit(Normalizer::default(), tok, o, &texts).unwrap();
        prop_assert_eq!(&ma, &mb);
        prop_assert_eq!(a.terms(), b.terms());
        let row = a.transform(&probe);
        prop_assert_eq!(&row, &b.transform(&probe));
        let norm: f32 = row.values.iter().map(|v| v * v).sum();
        prop_assert!(row.is_empty() || (norm - 1.0).abs() < 1e-4, "norm {}", norm);
        prop_assert!(row.indices.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn save_load_predict_is_identical(t in text()) {
        let m = small_model();
        let back = Pipeline::from_bytes(&m.to_bytes().unwrap()).unwrap();
        prop_assert_eq!(m.predict(&t), back.predict(&t));
        prop_assert_eq!(m.classify_article(&t), back.classify_article(&t));
    }
}
