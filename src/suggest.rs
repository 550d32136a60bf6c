//! What to label next: the sentences a model is least sure of, spread over articles
//! and labels, each near-duplicate once.
//!
//! A [`Selector`] is offered every labeled sentence of a stream of articles
//! ([`Selector::offer`]) and keeps a bounded pool of candidates; [`Selector::finish`]
//! picks the suggestions from it. Memory does not grow with the input: the pool holds
//! at most `POOL_FACTOR × n` candidates per label, and the article being read at most
//! `per_doc` per label.
//!
//! How a pick is made:
//! - **Uncertainty** ([`Strategy`]): `1 − (p₁ − p₂)` for margin (the two largest
//!   probabilities), or the entropy `−Σ p ln p`; larger is less sure. Ties go to the
//!   sentence offered first, so the same input gives the same picks.
//! - **Per article**: at most `per_doc` sentences of one article (one `doc` name).
//! - **Per label**: first up to `min_per_label` of each predicted label (the most
//!   uncertain of each, when it has that many), then the most uncertain of any label.
//! - **Duplicates**: a sentence is keyed by its normalized words with digits taken
//!   out (so "5 killed in X" and "7 killed in X" are one sentence); of one key only
//!   the most uncertain is kept. Near-duplicates, sentences whose sets of word
//!   bigrams (of the same digitless words) have a Jaccard similarity of at least
//!   `similarity`, are picked once: the first one picked wins.
//! - Sentences labeled `(no text)` or `(unknown)` are never suggested.
//!
//! ```
//! # #[cfg(feature = "builtin-model")] {
//! use tasnif::suggest::{suggest_articles, SuggestOptions};
//! let model = tasnif::builtin::model().unwrap();
//! let articles = [("a", "أعدم التنظيم رجلين في الرقة. وقال ناشطون إن القوات تقدمت.")];
//! let picks = suggest_articles(&model, articles, SuggestOptions::new(1)).unwrap();
//! assert_eq!(picks.len(), 1);
//! # }
//! ```

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::{Error, Result};
use crate::normalize::Normalizer;
use crate::pipeline::{Pipeline, PredictScratch, Prediction};
use crate::tokenize::words;

/// The pool keeps up to this many times `n` candidates per predicted label, so that
/// the per-article cap and the duplicate checks still leave `n` to pick from.
pub const POOL_FACTOR: usize = 4;

/// How sure the model is of a sentence, from its probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// The gap between the two most probable labels; a small gap is unsure.
    #[default]
    Margin,
    /// The entropy of the probabilities; a large entropy is unsure.
    Entropy,
}

impl Strategy {
    /// The uncertainty of `probabilities`, at least 0; larger is less sure.
    /// Margin gives `1 − (p₁ − p₂)` in [0, 1]; entropy `−Σ p ln p` in [0, ln k].
    pub fn uncertainty(self, probabilities: &[f32]) -> f64 {
        let u = match self {
            Strategy::Margin => {
                let (mut first, mut second) = (0f64, 0f64);
                for &p in probabilities {
                    let p = f64::from(p);
                    if p > first {
                        (first, second) = (p, first);
                    } else if p > second {
                        second = p;
                    }
                }
                1.0 - (first - second)
            }
            Strategy::Entropy => probabilities
                .iter()
                .map(|&p| f64::from(p))
                .filter(|&p| p > 0.0)
                .map(|p| -p * p.ln())
                .sum(),
        };
        if u.is_finite() {
            u.max(0.0)
        } else {
            0.0
        }
    }
}

/// What [`Selector`] picks: how many, how, and how spread.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SuggestOptions {
    /// How many sentences to suggest (at least 1).
    pub n: usize,
    /// At most this many from one article (at least 1). Default 3.
    pub per_doc: usize,
    /// How uncertainty is measured. Default [`Strategy::Margin`].
    pub strategy: Strategy,
    /// Slots kept for each predicted label, filled first when the label has
    /// candidates; `None` (the default) keeps `max(1, n / (4 × labels))`.
    pub min_per_label: Option<usize>,
    /// Jaccard similarity of word-bigram sets at or above which two sentences are
    /// near-duplicates, in (0, 1]; 1 catches only sentences with the same bigrams.
    /// Default 0.6.
    pub similarity: f64,
}

impl SuggestOptions {
    /// `n` suggestions with the defaults for the rest.
    pub fn new(n: usize) -> Self {
        SuggestOptions {
            n,
            per_doc: 3,
            strategy: Strategy::Margin,
            min_per_label: None,
            similarity: 0.6,
        }
    }

    /// Check the options.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroCount`] when `n` or `per_doc` is 0; [`Error::InvalidSimilarity`]
    /// when `similarity` is not in (0, 1].
    pub fn validate(&self) -> Result<()> {
        for (option, value) in [("n", self.n), ("per_doc", self.per_doc)] {
            if value == 0 {
                return Err(Error::ZeroCount { option });
            }
        }
        if !(self.similarity > 0.0 && self.similarity <= 1.0) {
            return Err(Error::InvalidSimilarity {
                value: self.similarity,
            });
        }
        Ok(())
    }

    /// The slots kept for each of `labels` labels.
    fn reserve(&self, labels: usize) -> usize {
        self.min_per_label
            .unwrap_or_else(|| (self.n / (4 * labels.max(1))).max(1))
    }
}

/// One suggested sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The article's name, as offered.
    pub doc: String,
    /// The sentence's number in its article, from 0.
    pub index: usize,
    /// The sentence, as in the article.
    pub text: String,
    /// The predicted label, by index into [`Pipeline::labels`].
    pub label: usize,
    /// The probability of each label.
    pub probabilities: Vec<f32>,
    /// How unsure the model is ([`Strategy::uncertainty`]).
    pub uncertainty: f64,
}

/// Counts of what a [`Selector`] was offered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SelectorStats {
    /// Sentences offered.
    pub sentences: u64,
    /// Of them, the `(no text)` and `(unknown)` ones, never suggested.
    pub markers: u64,
}

/// Where a candidate stands: most uncertain first, then the one offered first.
type Rank = (Reverse<u64>, u64);

/// A sentence that may be suggested, with what deduplication needs.
#[derive(Debug, Clone)]
struct Candidate {
    rank: Rank,
    /// Hash of the normalized digitless words.
    key: u64,
    /// Sorted hashes of the word bigrams (or of the word, for a one-word sentence).
    shingles: Vec<u64>,
    suggestion: Suggestion,
}

/// The most uncertain candidates of one label, at most `cap`, one per key.
#[derive(Debug)]
struct Pool {
    cap: usize,
    by_rank: BTreeMap<Rank, Candidate>,
    by_key: HashMap<u64, Rank>,
}

impl Pool {
    fn new(cap: usize) -> Self {
        Pool {
            cap,
            by_rank: BTreeMap::new(),
            by_key: HashMap::new(),
        }
    }

    /// Whether a candidate of rank `rank` would stay in the pool.
    fn admits(&self, rank: Rank) -> bool {
        self.by_rank.len() < self.cap
            || self
                .by_rank
                .last_key_value()
                .is_some_and(|(r, _)| rank < *r)
    }

    fn insert(&mut self, c: Candidate) {
        if let Some(&old) = self.by_key.get(&c.key) {
            if old <= c.rank {
                return;
            }
            self.by_rank.remove(&old);
        }
        self.by_key.insert(c.key, c.rank);
        self.by_rank.insert(c.rank, c);
        if self.by_rank.len() > self.cap {
            if let Some((_, worst)) = self.by_rank.pop_last() {
                self.by_key.remove(&worst.key);
            }
        }
    }
}

/// Picks what to label next from a stream of labeled sentences, in bounded memory.
#[derive(Debug)]
pub struct Selector<'p> {
    normalizer: &'p Normalizer,
    options: SuggestOptions,
    labels: usize,
    pools: Vec<Pool>,
    /// The article being offered and its best candidates per label (at most
    /// `per_doc` each); they join the pools when another article starts.
    doc: String,
    current: Vec<Vec<Candidate>>,
    seq: u64,
    stats: SelectorStats,
    normalized: String,
}

impl<'p> Selector<'p> {
    /// A selector for sentences labeled by `pipeline`.
    ///
    /// # Errors
    ///
    /// As [`SuggestOptions::validate`].
    pub fn new(pipeline: &'p Pipeline, options: SuggestOptions) -> Result<Self> {
        options.validate()?;
        let labels = pipeline.labels().len();
        let cap = options.n.saturating_mul(POOL_FACTOR);
        Ok(Selector {
            normalizer: pipeline.featurizer().normalizer(),
            options,
            labels,
            pools: (0..labels).map(|_| Pool::new(cap)).collect(),
            doc: String::new(),
            current: vec![Vec::new(); labels],
            seq: 0,
            stats: SelectorStats::default(),
            normalized: String::new(),
        })
    }

    /// What has been offered so far.
    pub fn stats(&self) -> SelectorStats {
        self.stats
    }

    /// Consider sentence `index` of article `doc`, `text`, which the model labeled
    /// `prediction`. Sentences of one article are best offered together: the
    /// per-article cap is applied as each article ends.
    pub fn offer(&mut self, doc: &str, index: usize, text: &str, prediction: &Prediction) {
        self.stats.sentences += 1;
        let Prediction::Label {
            index: label,
            probabilities,
        } = prediction
        else {
            self.stats.markers += 1;
            return;
        };
        if doc != self.doc {
            self.end_article();
            self.doc.clear();
            self.doc.push_str(doc);
        }
        let uncertainty = self.options.strategy.uncertainty(probabilities);
        self.seq += 1;
        let rank = (Reverse(uncertainty.to_bits()), self.seq);
        let kept = &self.current[*label];
        let full = kept.len() >= self.options.per_doc;
        if (full && kept.last().is_some_and(|c| c.rank < rank)) || !self.pools[*label].admits(rank)
        {
            return;
        }
        let (key, shingles) = fingerprint(self.normalizer, text, &mut self.normalized);
        let candidate = Candidate {
            rank,
            key,
            shingles,
            suggestion: Suggestion {
                doc: doc.to_string(),
                index,
                text: text.to_string(),
                label: *label,
                probabilities: probabilities.clone(),
                uncertainty,
            },
        };
        keep_best(&mut self.current[*label], candidate, self.options.per_doc);
    }

    /// Move the article's candidates into the pools.
    fn end_article(&mut self) {
        for (label, kept) in self.current.iter_mut().enumerate() {
            for c in kept.drain(..) {
                self.pools[label].insert(c);
            }
        }
    }

    /// The suggestions, most uncertain first: at most `n`, at most `per_doc` per
    /// article, each label's reserved slots first, no two duplicates.
    pub fn finish(mut self) -> Vec<Suggestion> {
        self.end_article();
        let reserve = self.options.reserve(self.labels);
        let mut picked = Picked::new(self.options);
        let pools: Vec<Vec<Candidate>> = self
            .pools
            .into_iter()
            .map(|p| p.by_rank.into_values().collect())
            .collect();
        // Labels whose most uncertain candidate is less sure reserve first, which
        // decides only when there are fewer slots than labels.
        let mut order: Vec<&Vec<Candidate>> = pools.iter().filter(|p| !p.is_empty()).collect();
        order.sort_by_key(|p| p[0].rank);
        for pool in order {
            let mut taken = 0;
            for c in pool {
                if taken == reserve || picked.full() {
                    break;
                }
                taken += usize::from(picked.try_pick(c));
            }
        }
        let mut all: Vec<&Candidate> = pools.iter().flatten().collect();
        all.sort_by_key(|c| c.rank);
        for c in all {
            if picked.full() {
                break;
            }
            picked.try_pick(c);
        }
        picked.into_suggestions()
    }
}

/// Insert `c` into `kept` (sorted by rank, one per key), keeping the best `cap`.
fn keep_best(kept: &mut Vec<Candidate>, c: Candidate, cap: usize) {
    if let Some(i) = kept.iter().position(|k| k.key == c.key) {
        if kept[i].rank <= c.rank {
            return;
        }
        kept.remove(i);
    }
    let at = kept.partition_point(|k| k.rank < c.rank);
    kept.insert(at, c);
    kept.truncate(cap);
}

/// The suggestions picked so far and what they rule out.
struct Picked<'c> {
    options: SuggestOptions,
    chosen: Vec<&'c Candidate>,
    keys: HashSet<u64>,
    /// (doc, index) of each pick, so that no sentence is picked twice.
    sentences: HashSet<(&'c str, usize)>,
    per_doc: HashMap<&'c str, usize>,
}

impl<'c> Picked<'c> {
    fn new(options: SuggestOptions) -> Self {
        Picked {
            options,
            chosen: Vec::new(),
            keys: HashSet::new(),
            sentences: HashSet::new(),
            per_doc: HashMap::new(),
        }
    }

    fn full(&self) -> bool {
        self.chosen.len() >= self.options.n
    }

    /// Pick `c` unless it was picked, its article has given `per_doc`, or it
    /// duplicates a pick; whether it was picked.
    fn try_pick(&mut self, c: &'c Candidate) -> bool {
        let s = &c.suggestion;
        let from_doc = self.per_doc.get(s.doc.as_str()).copied().unwrap_or(0);
        if self.full()
            || from_doc >= self.options.per_doc
            || self.sentences.contains(&(s.doc.as_str(), s.index))
            || self.keys.contains(&c.key)
            || self
                .chosen
                .iter()
                .any(|p| jaccard(&p.shingles, &c.shingles) >= self.options.similarity)
        {
            return false;
        }
        self.per_doc.insert(&s.doc, from_doc + 1);
        self.sentences.insert((&s.doc, s.index));
        self.keys.insert(c.key);
        self.chosen.push(c);
        true
    }

    fn into_suggestions(mut self) -> Vec<Suggestion> {
        self.chosen.sort_by_key(|c| c.rank);
        self.chosen
            .into_iter()
            .map(|c| c.suggestion.clone())
            .collect()
    }
}

/// The duplicate key and the sorted, distinct bigram hashes of `text`'s normalized
/// words with their digits taken out (a word of digits only is dropped).
fn fingerprint(normalizer: &Normalizer, text: &str, buf: &mut String) -> (u64, Vec<u64>) {
    normalizer.normalize_into(text, buf);
    let mut word_hashes = Vec::new();
    let mut key = Fnv::new();
    for w in words(buf) {
        let mut h = Fnv::new();
        for c in w.chars().filter(|c| !c.is_numeric()) {
            h.eat_char(c);
        }
        if h.len > 0 {
            key.eat(&h.finish().to_le_bytes());
            word_hashes.push(h.finish());
        }
    }
    let mut shingles: Vec<u64> = match word_hashes.as_slice() {
        [one] => vec![*one],
        many => many
            .windows(2)
            .map(|p| p[0].rotate_left(17) ^ p[1].wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect(),
    };
    shingles.sort_unstable();
    shingles.dedup();
    (key.finish(), shingles)
}

/// Jaccard similarity of two sorted, distinct lists; 1 for two empty ones.
fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// FNV-1a 64, counting what it ate.
struct Fnv {
    h: u64,
    len: usize,
}

impl Fnv {
    fn new() -> Self {
        Fnv {
            h: 0xcbf2_9ce4_8422_2325,
            len: 0,
        }
    }

    fn eat(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.h ^= u64::from(b);
            self.h = self.h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.len += bytes.len();
    }

    fn eat_char(&mut self, c: char) {
        self.eat(c.encode_utf8(&mut [0; 4]).as_bytes());
    }

    fn finish(&self) -> u64 {
        self.h
    }
}

/// Label every sentence of `articles` (name, text) with `pipeline` and pick the
/// suggestions: [`Selector`] over [`Pipeline::classify_article_with`].
///
/// # Errors
///
/// As [`SuggestOptions::validate`].
pub fn suggest_articles<'a, I>(
    pipeline: &Pipeline,
    articles: I,
    options: SuggestOptions,
) -> Result<Vec<Suggestion>>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut selector = Selector::new(pipeline, options)?;
    let mut scratch = PredictScratch::default();
    for (doc, text) in articles {
        pipeline.classify_article_with(text, &mut scratch, 0, |s| {
            selector.offer(doc, s.index, &text[s.start..s.end], &s.prediction);
        });
    }
    Ok(selector.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::LabeledSentence;
    use crate::pipeline::TrainConfig;

    /// A three-label model (labels a, b, c); only its normalizer and labels matter.
    fn model() -> Pipeline {
        let s = LabeledSentence::new;
        let data = [
            s("انشق عشرات المقاتلين عن التنظيم", "a"),
            s("تقدمت القوات نحو المدينة", "b"),
            s("أعدم التنظيم رجلين في الساحة", "c"),
        ];
        let mut config = TrainConfig::default();
        config.vectorize.min_df = 1;
        config.vectorize.max_df = 1.0;
        Pipeline::fit(&data, &config).unwrap()
    }

    fn label(index: usize, probabilities: &[f32]) -> Prediction {
        Prediction::Label {
            index,
            probabilities: probabilities.to_vec(),
        }
    }

    /// A distinct sentence for each number: eight words picked by a hash of it, so
    /// that two numbers share few word bigrams.
    fn text(i: usize) -> String {
        const W: [&str; 20] = [
            "صفر",
            "واحد",
            "اثنان",
            "ثلاثة",
            "أربعة",
            "خمسة",
            "ستة",
            "سبعة",
            "ثمانية",
            "تسعة",
            "قرية",
            "مدينة",
            "جبل",
            "نهر",
            "سوق",
            "جسر",
            "طريق",
            "مطار",
            "ميناء",
            "معسكر",
        ];
        let mut h = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut words = Vec::new();
        for _ in 0..8 {
            words.push(W[(h % 20) as usize]);
            h = h.rotate_left(13).wrapping_mul(0x2545_f491_4f6c_dd1d);
        }
        words.join(" ")
    }

    /// A probability vector whose top label is `top`, less sure as `u` grows in [0, 1).
    fn probs(top: usize, u: f32) -> Vec<f32> {
        let hi = 1.0 - 0.6 * u;
        let mut p = vec![(1.0 - hi) / 2.0; 3];
        p[top] = hi;
        p
    }

    /// 40 articles of 10 sentences, top labels cycling, uncertainty from a hash.
    fn offer_many(sel: &mut Selector<'_>) {
        for d in 0..40 {
            for i in 0..10 {
                let n = d * 10 + i;
                let u = ((n * 7919) % 101) as f32 / 101.0;
                sel.offer(
                    &format!("doc{d}"),
                    i,
                    &text(n),
                    &label(n % 3, &probs(n % 3, u)),
                );
            }
        }
    }

    #[test]
    fn margin_and_entropy_measure_uncertainty() {
        let m = Strategy::Margin;
        assert!((m.uncertainty(&[0.5, 0.3, 0.2]) - 0.8).abs() < 1e-6);
        assert!((m.uncertainty(&[0.2, 0.4, 0.4]) - 1.0).abs() < 1e-6);
        assert!(m.uncertainty(&[1.0, 0.0, 0.0]).abs() < 1e-9);
        let e = Strategy::Entropy;
        assert!((e.uncertainty(&[0.5, 0.5]) - std::f64::consts::LN_2).abs() < 1e-6);
        assert_eq!(e.uncertainty(&[1.0, 0.0]), 0.0);
        assert!(e.uncertainty(&[0.4, 0.3, 0.3]) > e.uncertainty(&[0.8, 0.1, 0.1]));
        assert_eq!(m.uncertainty(&[f32::NAN, 0.5]), 0.5);
    }

    #[test]
    fn options_are_checked() {
        let p = model();
        let mut o = SuggestOptions::new(0);
        assert!(matches!(
            Selector::new(&p, o),
            Err(Error::ZeroCount { option: "n" })
        ));
        o.n = 5;
        o.per_doc = 0;
        assert!(matches!(
            Selector::new(&p, o),
            Err(Error::ZeroCount { option: "per_doc" })
        ));
        o.per_doc = 1;
        for bad in [0.0, 1.5, f64::NAN] {
            o.similarity = bad;
            assert!(matches!(
                Selector::new(&p, o),
                Err(Error::InvalidSimilarity { .. })
            ));
        }
    }

    #[test]
    fn no_sentence_twice_and_at_most_per_doc_from_an_article() {
        let p = model();
        for per_doc in [1, 2, 3] {
            let mut o = SuggestOptions::new(30);
            o.per_doc = per_doc;
            let mut sel = Selector::new(&p, o).unwrap();
            offer_many(&mut sel);
            let picks = sel.finish();
            assert_eq!(picks.len(), 30.min(40 * per_doc));
            let mut seen = HashSet::new();
            let mut per = HashMap::new();
            for s in &picks {
                assert!(
                    seen.insert((s.doc.clone(), s.index)),
                    "{} {} twice",
                    s.doc,
                    s.index
                );
                *per.entry(s.doc.clone()).or_insert(0) += 1;
            }
            assert!(per.values().all(|&n| n <= per_doc), "{per:?}");
        }
    }

    #[test]
    fn picks_are_the_most_uncertain_first_and_the_same_every_time() {
        let p = model();
        let run = || {
            let mut sel = Selector::new(&p, SuggestOptions::new(20)).unwrap();
            offer_many(&mut sel);
            sel.finish()
        };
        let picks = run();
        assert_eq!(picks, run());
        assert!(picks
            .windows(2)
            .all(|w| w[0].uncertainty >= w[1].uncertainty));
        // With no cap and no reserve in the way, they are the 20 most uncertain of
        // all 400, ties to the first offered.
        let mut o = SuggestOptions::new(20);
        o.per_doc = 10;
        o.min_per_label = Some(0);
        let mut sel = Selector::new(&p, o).unwrap();
        offer_many(&mut sel);
        let got: Vec<(String, usize)> =
            sel.finish().into_iter().map(|s| (s.doc, s.index)).collect();
        let mut all: Vec<(f64, usize)> = (0..400)
            .map(|n| {
                let u = ((n * 7919) % 101) as f32 / 101.0;
                (Strategy::Margin.uncertainty(&probs(n % 3, u)), n)
            })
            .collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let want: Vec<(String, usize)> = all[..20]
            .iter()
            .map(|&(_, n)| (format!("doc{}", n / 10), n % 10))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn every_predicted_label_gets_its_reserved_slots() {
        let p = model();
        let mut o = SuggestOptions::new(12);
        o.per_doc = 12;
        o.min_per_label = Some(2);
        let mut sel = Selector::new(&p, o).unwrap();
        // Label 2 is always sure; labels 0 and 1 never are.
        for i in 0..200 {
            let top = i % 3;
            let u = if top == 2 { 0.01 } else { 0.9 };
            sel.offer(
                &format!("d{}", i / 20),
                i % 20,
                &text(i),
                &label(top, &probs(top, u)),
            );
        }
        let picks = sel.finish();
        assert_eq!(picks.len(), 12);
        let sure = picks.iter().filter(|s| s.label == 2).count();
        assert_eq!(sure, 2, "label 2 gets exactly its reserve");
        assert_eq!(picks.iter().filter(|s| s.label == 2).count(), 2);
        // The reserve is a floor, not a quota: a label with no candidates leaves its
        // slots to the others.
        let mut sel = Selector::new(&p, o).unwrap();
        for i in 0..50 {
            sel.offer("d", i, &text(i), &label(0, &probs(0, 0.5)));
        }
        assert_eq!(sel.finish().len(), 12);
    }

    #[test]
    fn with_fewer_slots_than_labels_the_least_sure_labels_come_first() {
        let p = model();
        let mut sel = Selector::new(&p, SuggestOptions::new(2)).unwrap();
        sel.offer("a", 0, &text(0), &label(0, &probs(0, 0.1)));
        sel.offer("b", 0, &text(1), &label(1, &probs(1, 0.5)));
        sel.offer("c", 0, &text(2), &label(2, &probs(2, 0.9)));
        let labels: Vec<usize> = sel.finish().iter().map(|s| s.label).collect();
        assert_eq!(labels, [2, 1]);
    }

    #[test]
    fn duplicates_up_to_digits_are_picked_once() {
        let p = model();
        let mut o = SuggestOptions::new(10);
        o.per_doc = 10;
        let mut sel = Selector::new(&p, o).unwrap();
        let pr = label(0, &[0.4, 0.35, 0.25]);
        sel.offer("a", 0, "قتل 5 أشخاص في قصف على حلب", &pr);
        sel.offer("b", 0, "قُتل ٧ أشخاص في قصف على حلب!", &pr);
        sel.offer("c", 0, "أعدم التنظيم رجلين في الساحة العامة", &pr);
        let picks = sel.finish();
        let texts: Vec<&str> = picks.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert_eq!(picks[0].doc, "a", "the first offered wins a tie");
    }

    #[test]
    fn near_duplicates_are_picked_once() {
        let p = model();
        let mut o = SuggestOptions::new(10);
        o.per_doc = 10;
        let mut sel = Selector::new(&p, o).unwrap();
        let base = "قال المرصد السوري إن قوات النظام تقدمت في ريف حماة الشمالي وسيطرت على قريتين";
        let near = "قال المرصد السوري إن قوات النظام تقدمت في ريف حماة الشمالي وسيطرت على ثلاث قرى";
        let other = "أعدم التنظيم رجلين في الساحة العامة بتهمة التجسس";
        sel.offer("a", 0, base, &label(0, &[0.34, 0.33, 0.33]));
        sel.offer("b", 0, near, &label(1, &[0.36, 0.34, 0.30]));
        sel.offer("c", 0, other, &label(2, &[0.30, 0.30, 0.40]));
        let picks = sel.finish();
        let texts: Vec<&str> = picks.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, [base, other]);
        // With similarity 1 both are kept.
        o.similarity = 1.0;
        let picks = suggest_pairs(&p, o, &[(base, 0), (near, 1)]);
        assert_eq!(picks, 2);
    }

    fn suggest_pairs(p: &Pipeline, o: SuggestOptions, items: &[(&str, usize)]) -> usize {
        let mut sel = Selector::new(p, o).unwrap();
        for (i, (t, l)) in items.iter().enumerate() {
            sel.offer(&format!("d{i}"), 0, t, &label(*l, &probs(*l, 0.5)));
        }
        sel.finish().len()
    }

    #[test]
    fn markers_are_never_suggested() {
        let p = model();
        let mut sel = Selector::new(&p, SuggestOptions::new(5)).unwrap();
        sel.offer("a", 0, "...", &Prediction::NoText);
        sel.offer("a", 1, "xyz", &Prediction::Unknown);
        sel.offer("a", 2, &text(1), &label(1, &probs(1, 0.2)));
        assert_eq!(
            sel.stats(),
            SelectorStats {
                sentences: 3,
                markers: 2
            }
        );
        let picks = sel.finish();
        assert_eq!(picks.len(), 1);
        assert_eq!(picks[0].index, 2);
    }

    #[test]
    fn memory_is_bounded_by_the_pool() {
        let p = model();
        let mut o = SuggestOptions::new(5);
        o.per_doc = 2;
        let mut sel = Selector::new(&p, o).unwrap();
        for i in 0..5000 {
            let top = i % 3;
            sel.offer(
                &format!("d{}", i / 7),
                i % 7,
                &text(i),
                &label(top, &probs(top, (i % 97) as f32 / 97.0)),
            );
            assert!(sel.current.iter().all(|c| c.len() <= 2));
            assert!(sel
                .pools
                .iter()
                .all(|pool| pool.by_rank.len() <= 5 * POOL_FACTOR));
            assert!(sel
                .pools
                .iter()
                .all(|pool| pool.by_key.len() == pool.by_rank.len()));
        }
        assert_eq!(sel.finish().len(), 5);
    }

    #[test]
    fn suggest_articles_labels_and_picks() {
        let p = model();
        let articles = [
            ("x", "انشق عشرات المقاتلين. تقدمت القوات نحو المدينة."),
            ("y", "أعدم التنظيم رجلين. !!!"),
        ];
        let picks = suggest_articles(&p, articles, SuggestOptions::new(10)).unwrap();
        assert_eq!(picks.len(), 3);
        for s in &picks {
            let article = articles.iter().find(|a| a.0 == s.doc).unwrap().1;
            assert!(article.contains(&s.text));
            assert_eq!(s.probabilities.len(), 3);
        }
    }
}
