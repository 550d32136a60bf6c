//! Vocabulary, document frequencies and TF-IDF rows.
//!
//! [`Featurizer`] is normalizer + tokenizer + vocabulary. [`Featurizer::fit`] learns the
//! vocabulary and IDF from training texts; [`Featurizer::transform_into`] turns one text
//! into a sparse, L2-normalized TF-IDF row, reusing the caller's buffers.
//!
//! Weighting, as scikit-learn's `TfidfVectorizer(sublinear_tf=True, smooth_idf=True)`:
//! `tf = 1 + ln(count)`, `idf = ln((1 + n) / (1 + df)) + 1`. Word and character blocks
//! are each L2-normalized, scaled by their weights, and the whole row is L2-normalized
//! again, so a row has unit norm (or is empty).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use crate::error::{Error, PartsError, Result};
use crate::normalize::Normalizer;
use crate::tokenize::{feature_hash, FeatureKind, TokenScratch, TokenizeOptions, Tokenizer};

/// The version of how text becomes features beyond what a model file stores or
/// fingerprints: the feature hash, the n-gram rules, TF-IDF weighting and row
/// normalization. Saved in the model file; a file of another version is refused on
/// load. Bump it with any change to how features or their values are computed that
/// the stored options, lists and table fingerprints do not show.
pub const FEATURES_VERSION: u32 = 1;

/// TF-IDF and vocabulary settings, saved in the model file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VectorizeOptions {
    /// Keep features that occur in at least this many training sentences.
    pub min_df: usize,
    /// Drop features that occur in more than this fraction of training sentences.
    pub max_df: f64,
    /// Keep at most this many features, the most frequent first (0: no cap).
    pub max_features: usize,
    /// `1 + ln(tf)` instead of the raw count.
    pub sublinear_tf: bool,
    /// `ln((1 + n) / (1 + df)) + 1` instead of `ln(n / df) + 1`.
    pub smooth_idf: bool,
    /// Weight of the word n-gram block relative to the character block.
    pub word_weight: f32,
    /// Weight of the character n-gram block.
    pub char_weight: f32,
}

impl Default for VectorizeOptions {
    fn default() -> Self {
        VectorizeOptions {
            min_df: 5,
            max_df: 0.1,
            max_features: 100_000,
            sublinear_tf: true,
            smooth_idf: true,
            word_weight: 0.5,
            char_weight: 1.0,
        }
    }
}

impl VectorizeOptions {
    /// Check the ranges.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidMaxDf`] if `max_df` is not in (0, 1],
    /// [`Error::InvalidFeatureWeight`] for a block weight that is negative, NaN or
    /// infinite.
    pub fn validate(&self) -> Result<()> {
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            return Err(Error::InvalidMaxDf {
                max_df: self.max_df,
            });
        }
        for (kind, weight) in [
            (FeatureKind::Word, self.word_weight),
            (FeatureKind::Char, self.char_weight),
        ] {
            if !(weight.is_finite() && weight >= 0.0) {
                return Err(Error::InvalidFeatureWeight { kind, weight });
            }
        }
        Ok(())
    }

    /// [`VectorizeOptions::validate`], and check that the n-gram blocks `tokenize`
    /// turns on make features: at least one of them has a weight above 0 (otherwise
    /// every row is empty and the model says the same for every sentence).
    ///
    /// # Errors
    ///
    /// As [`VectorizeOptions::validate`], and [`Error::NoWeightedBlock`] (with the
    /// blocks that are on and their weights) if no block that is on weighs anything.
    pub fn validate_with(&self, tokenize: &TokenizeOptions) -> Result<()> {
        self.validate()?;
        let blocks = [
            (
                FeatureKind::Word,
                tokenize.word_max > 0,
                "word_weight",
                self.word_weight,
            ),
            (
                FeatureKind::Char,
                tokenize.char_max > 0,
                "char_weight",
                self.char_weight,
            ),
        ];
        if blocks.iter().any(|&(_, on, _, w)| on && w > 0.0) {
            return Ok(());
        }
        let on: Vec<(FeatureKind, f32)> = blocks
            .iter()
            .filter(|b| b.1)
            .map(|&(kind, _, _, w)| (kind, w))
            .collect();
        Err(Error::NoWeightedBlock { blocks: on })
    }
}

/// Hasher for keys that are already good 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashIndex<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// One vocabulary entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Term {
    /// Word or character n-gram.
    pub kind: FeatureKind,
    /// The n-gram as text (normalized).
    pub text: String,
}

/// A sparse row: indices ascending, one value each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseRow {
    /// Feature indices, strictly ascending.
    pub indices: Vec<u32>,
    /// Values, one per index.
    pub values: Vec<f32>,
}

impl SparseRow {
    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }
    /// Whether the row has no entries.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
    fn clear(&mut self) {
        self.indices.clear();
        self.values.clear();
    }
}

/// Rows in compressed sparse row form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseMatrix {
    /// Row `i` is `indices[indptr[i]..indptr[i + 1]]`.
    pub indptr: Vec<usize>,
    /// Column indices.
    pub indices: Vec<u32>,
    /// Values.
    pub values: Vec<f32>,
    /// Number of columns.
    pub n_cols: usize,
}

impl SparseMatrix {
    /// An empty matrix with `n_cols` columns.
    pub fn new(n_cols: usize) -> Self {
        SparseMatrix {
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
            n_cols,
        }
    }
    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.indptr.len() - 1
    }
    /// Append a row.
    pub fn push(&mut self, row: &SparseRow) {
        self.indices.extend_from_slice(&row.indices);
        self.values.extend_from_slice(&row.values);
        self.indptr.push(self.indices.len());
    }
    /// Row `i` as index and value slices.
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let r = self.indptr[i]..self.indptr[i + 1];
        (&self.indices[r.clone()], &self.values[r])
    }
    /// The rows at `rows`, in that order, as a new matrix.
    pub fn select(&self, rows: &[usize]) -> SparseMatrix {
        let mut m = SparseMatrix::new(self.n_cols);
        for &i in rows {
            let (idx, val) = self.row(i);
            m.indices.extend_from_slice(idx);
            m.values.extend_from_slice(val);
            m.indptr.push(m.indices.len());
        }
        m
    }
    /// Dense copy (rows × columns).
    pub fn to_dense(&self) -> ndarray::Array2<f32> {
        let mut d = ndarray::Array2::<f32>::zeros((self.n_rows(), self.n_cols));
        for i in 0..self.n_rows() {
            let (idx, val) = self.row(i);
            for (&j, &v) in idx.iter().zip(val) {
                d[[i, j as usize]] = v;
            }
        }
        d
    }
}

/// Reusable buffers for [`Featurizer::transform_into`].
#[derive(Debug, Default, Clone)]
pub struct FeatureScratch {
    normalized: String,
    tokens: TokenScratch,
    /// Occurrences of each feature in the current text (zero outside `unique`).
    counts: Vec<u32>,
    /// Features seen in the current text, in first-seen order.
    unique: Vec<u32>,
    /// Hashes of the current text's features.
    hashes: Vec<u64>,
}

/// One vocabulary entry, borrowed from a [`Vocabulary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TermRef<'a> {
    /// Word or character n-gram.
    pub kind: FeatureKind,
    /// The n-gram as text (normalized).
    pub text: &'a str,
}

/// The texts of the features, word n-grams first, in one buffer: feature `i` is the
/// `i`-th text (one allocation for the whole vocabulary, not one a term).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    text: String,
    /// Where each term's text ends in `text`.
    ends: Vec<u32>,
    /// Terms `0..n_word` are word n-grams, the rest character n-grams.
    n_word: usize,
}

impl Vocabulary {
    /// An empty vocabulary with room for `terms` terms of `bytes` bytes in all.
    pub fn with_capacity(terms: usize, bytes: usize) -> Vocabulary {
        Vocabulary {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(terms),
            n_word: 0,
        }
    }

    /// Add a term after the others.
    ///
    /// # Errors
    ///
    /// [`PartsError::TermOrder`] for a word n-gram after a character n-gram.
    pub fn push(&mut self, kind: FeatureKind, text: &str) -> std::result::Result<(), PartsError> {
        match kind {
            FeatureKind::Word if self.n_word < self.ends.len() => {
                return Err(PartsError::TermOrder)
            }
            FeatureKind::Word => self.n_word += 1,
            FeatureKind::Char => {}
        }
        self.text.push_str(text);
        self.ends.push(self.text.len() as u32);
        Ok(())
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// No terms at all.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Number of word n-grams (the first terms).
    pub fn n_word(&self) -> usize {
        self.n_word
    }

    /// Term `i`; panics if there is none.
    pub fn get(&self, i: usize) -> TermRef<'_> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let kind = if i < self.n_word {
            FeatureKind::Word
        } else {
            FeatureKind::Char
        };
        TermRef {
            kind,
            text: &self.text[start..self.ends[i] as usize],
        }
    }

    /// Every term in feature order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = TermRef<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Normalizer, tokenizer, vocabulary and IDF: text in, TF-IDF row out.
#[derive(Debug, Clone)]
pub struct Featurizer {
    normalizer: Normalizer,
    tokenizer: Tokenizer,
    options: VectorizeOptions,
    terms: Vocabulary,
    idf: Vec<f32>,
    /// Word features are indices `0..n_word`, character features the rest.
    n_word: usize,
    index: HashIndex<u32>,
}

/// Per-feature counts gathered in the first pass of [`Featurizer::fit`].
#[derive(Clone, Copy)]
struct Counts {
    df: u32,
    total: u64,
    kind: FeatureKind,
}

/// Document frequency and total count of every feature hash in `texts`.
fn document_frequencies<S: AsRef<str>>(
    normalizer: &Normalizer,
    tokenizer: &Tokenizer,
    texts: &[S],
) -> HashIndex<Counts> {
    let mut counts: HashIndex<Counts> = HashIndex::default();
    let mut norm = String::new();
    let mut tok = TokenScratch::default();
    let mut doc: Vec<(u64, FeatureKind)> = Vec::new();
    for text in texts {
        normalizer.normalize_into(text.as_ref(), &mut norm);
        doc.clear();
        tokenizer.for_each_feature(&norm, &mut tok, |f| doc.push((f.hash, f.kind)));
        doc.sort_unstable_by_key(|d| d.0);
        for run in doc.chunk_by(|a, b| a.0 == b.0) {
            let c = counts.entry(run[0].0).or_insert(Counts {
                df: 0,
                total: 0,
                kind: run[0].1,
            });
            c.df += 1;
            c.total += run.len() as u64;
        }
    }
    counts
}

/// The features that pass `min_df` and `max_df`, then the `max_features` most frequent,
/// in index order: word features first, then the most frequent first, ties by hash
/// (deterministic). Frequent features at low indices share cache lines in the arrays
/// indexed by feature (IDF, counts, weights): a fifth fewer reads miss L2 when
/// classifying (`scripts/instructions --cache`). The features and their IDF are the
/// same in any order; the trained weights differ only as the solver adds in another.
fn select_vocabulary(
    counts: HashIndex<Counts>,
    options: &VectorizeOptions,
    n_docs: usize,
) -> Vec<(u64, Counts)> {
    let max_df = (options.max_df * n_docs as f64).floor() as u64;
    let mut kept: Vec<(u64, Counts)> = counts
        .into_iter()
        .filter(|(_, c)| c.df as usize >= options.min_df.max(1) && (c.df as u64) <= max_df.max(1))
        .collect();
    if options.max_features > 0 && kept.len() > options.max_features {
        kept.sort_unstable_by(|a, b| b.1.total.cmp(&a.1.total).then(a.0.cmp(&b.0)));
        kept.truncate(options.max_features);
    }
    kept.sort_unstable_by(|a, b| {
        a.1.kind
            .cmp(&b.1.kind)
            .then(b.1.total.cmp(&a.1.total))
            .then(a.0.cmp(&b.0))
    });
    kept
}

impl Featurizer {
    /// Learn the vocabulary and IDF from `texts`; returns the featurizer and the
    /// training rows.
    ///
    /// # Errors
    ///
    /// As [`TokenizeOptions::validate`] and [`VectorizeOptions::validate_with`]; the
    /// vocabulary may come out empty, which is not an error here.
    pub fn fit<S: AsRef<str>>(
        normalizer: Normalizer,
        tokenizer: Tokenizer,
        options: VectorizeOptions,
        texts: &[S],
    ) -> Result<(Featurizer, SparseMatrix)> {
        tokenizer.options().validate()?;
        options.validate_with(tokenizer.options())?;
        let counts = document_frequencies(&normalizer, &tokenizer, texts);
        let kept = select_vocabulary(counts, &options, texts.len());
        let mut fz =
            Featurizer::with_vocabulary(normalizer, tokenizer, options, &kept, texts.len());
        let matrix = fz.rows_and_term_texts(texts);
        Ok((fz, matrix))
    }

    /// A featurizer over the `kept` features, in their order (word features first); term
    /// texts are left empty.
    fn with_vocabulary(
        normalizer: Normalizer,
        tokenizer: Tokenizer,
        options: VectorizeOptions,
        kept: &[(u64, Counts)],
        n_docs: usize,
    ) -> Featurizer {
        let n_word = kept
            .iter()
            .take_while(|k| k.1.kind == FeatureKind::Word)
            .count();
        let idf: Vec<f32> = kept
            .iter()
            .map(|(_, c)| idf_value(options.smooth_idf, n_docs, c.df as usize))
            .collect();
        let mut index = HashIndex::with_capacity_and_hasher(kept.len(), Default::default());
        for (i, (h, _)) in kept.iter().enumerate() {
            index.insert(*h, i as u32);
        }
        Featurizer {
            normalizer,
            tokenizer,
            options,
            terms: Vocabulary::default(),
            idf,
            n_word,
            index,
        }
    }

    /// The training rows, and the text of every kept feature (from its first
    /// occurrence).
    fn rows_and_term_texts<S: AsRef<str>>(&mut self, texts: &[S]) -> SparseMatrix {
        let mut matrix = SparseMatrix::new(self.n_features());
        let mut scratch = FeatureScratch::default();
        let mut row = SparseRow::default();
        let mut terms = vec![String::new(); self.idf.len()];
        let mut without_text = terms.len();
        for text in texts {
            self.count_features(text.as_ref(), &mut scratch);
            if without_text > 0 && scratch.unique.iter().any(|&i| terms[i as usize].is_empty()) {
                without_text -= self.write_new_texts(&mut scratch, &mut terms);
            }
            self.weigh(&mut scratch, &mut row);
            matrix.push(&row);
        }
        let bytes = terms.iter().map(String::len).sum();
        let mut vocabulary = Vocabulary::with_capacity(terms.len(), bytes);
        for (i, text) in terms.iter().enumerate() {
            let kind = if i < self.n_word {
                FeatureKind::Word
            } else {
                FeatureKind::Char
            };
            vocabulary
                .push(kind, text)
                .expect("kept features are sorted words first");
        }
        self.terms = vocabulary;
        matrix
    }

    /// Rebuild a featurizer from saved parts (as read from a model file).
    ///
    /// # Errors
    ///
    /// As [`Featurizer::from_vocabulary`]; [`PartsError::TermOrder`] for a word term
    /// after a character term.
    pub fn from_parts(
        normalizer: Normalizer,
        tokenizer: Tokenizer,
        options: VectorizeOptions,
        terms: Vec<Term>,
        idf: Vec<f32>,
    ) -> Result<Featurizer> {
        let bytes = terms.iter().map(|t| t.text.len()).sum();
        let mut vocabulary = Vocabulary::with_capacity(terms.len(), bytes);
        for t in &terms {
            vocabulary.push(t.kind, &t.text)?;
        }
        Featurizer::from_vocabulary(normalizer, tokenizer, options, vocabulary, idf)
    }

    /// Rebuild a featurizer from saved parts, the vocabulary in one buffer.
    ///
    /// # Errors
    ///
    /// As [`VectorizeOptions::validate_with`] for `options`; [`Error::Parts`] if the
    /// parts do not fit together: [`PartsError::IdfLength`], [`PartsError::InvalidIdf`],
    /// [`PartsError::DuplicateTerm`].
    pub fn from_vocabulary(
        normalizer: Normalizer,
        tokenizer: Tokenizer,
        options: VectorizeOptions,
        terms: Vocabulary,
        idf: Vec<f32>,
    ) -> Result<Featurizer> {
        options.validate_with(tokenizer.options())?;
        if terms.len() != idf.len() {
            return Err(PartsError::IdfLength {
                terms: terms.len(),
                idf: idf.len(),
            }
            .into());
        }
        if let Some(&value) = idf.iter().find(|v| !(v.is_finite() && **v > 0.0)) {
            return Err(PartsError::InvalidIdf { value }.into());
        }
        let mut index = HashIndex::with_capacity_and_hasher(terms.len(), Default::default());
        for (i, t) in terms.iter().enumerate() {
            if index
                .insert(feature_hash(t.kind, t.text), i as u32)
                .is_some()
            {
                return Err(PartsError::DuplicateTerm {
                    kind: t.kind,
                    text: t.text.to_string(),
                }
                .into());
            }
        }
        Ok(Featurizer {
            normalizer,
            tokenizer,
            options,
            n_word: terms.n_word(),
            terms,
            idf,
            index,
        })
    }

    /// Number of features (vocabulary size).
    pub fn n_features(&self) -> usize {
        self.idf.len()
    }
    /// The vocabulary, word features first; index `i` is feature `i`.
    pub fn terms(&self) -> &Vocabulary {
        &self.terms
    }
    /// IDF of every feature.
    pub fn idf(&self) -> &[f32] {
        &self.idf
    }
    /// The normalizer.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }
    /// The tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }
    /// TF-IDF settings.
    pub fn options(&self) -> &VectorizeOptions {
        &self.options
    }

    /// Featurize `text` into `row` (cleared first). Returns the number of words the
    /// normalized text has: 0 means the text has nothing to classify.
    pub fn transform_into(
        &self,
        text: &str,
        scratch: &mut FeatureScratch,
        row: &mut SparseRow,
    ) -> usize {
        let words = self.count_features(text, scratch);
        self.weigh(scratch, row);
        words
    }

    /// [`Featurizer::transform_into`] without sorting the row's indices: the same
    /// entries in first-seen order, for prediction, which does not need the order.
    pub fn transform_unsorted_into(
        &self,
        text: &str,
        scratch: &mut FeatureScratch,
        row: &mut SparseRow,
    ) -> usize {
        let words = self.count_features(text, scratch);
        self.weigh_in_order(scratch, row);
        words
    }

    /// Normalize and tokenize `text`, counting the occurrences of every known feature
    /// in `scratch` (`counts`, and `unique` in first-seen order). Returns the number of
    /// words.
    fn count_features(&self, text: &str, scratch: &mut FeatureScratch) -> usize {
        // Hash every feature first, then look them all up in one tight loop: the
        // lookups are independent, so the processor overlaps their cache misses.
        self.normalizer
            .normalize_into(text, &mut scratch.normalized);
        let FeatureScratch {
            normalized,
            tokens,
            counts,
            unique,
            hashes,
        } = scratch;
        hashes.clear();
        let words = self.tokenizer.hashes_into(normalized, tokens, hashes);
        if counts.len() != self.idf.len() {
            counts.clear();
            counts.resize(self.idf.len(), 0);
        }
        unique.clear();
        for h in hashes.iter() {
            if let Some(&i) = self.index.get(h) {
                let c = &mut counts[i as usize];
                if *c == 0 {
                    unique.push(i);
                }
                *c = c.saturating_add(1);
            }
        }
        words
    }

    /// Featurize `text` into a new row.
    pub fn transform(&self, text: &str) -> SparseRow {
        let mut row = SparseRow::default();
        self.transform_into(text, &mut FeatureScratch::default(), &mut row);
        row
    }

    /// Write the text of each feature of the text last counted in `scratch` whose term
    /// has none yet, from its first occurrence; returns how many were written.
    fn write_new_texts(&self, scratch: &mut FeatureScratch, terms: &mut [String]) -> usize {
        let FeatureScratch {
            normalized, tokens, ..
        } = scratch;
        let mut written = 0;
        self.tokenizer.for_each_feature(normalized, tokens, |f| {
            if let Some(&i) = self.index.get(&f.hash) {
                let t = &mut terms[i as usize];
                if t.is_empty() {
                    f.write_text(t);
                    written += 1;
                }
            }
        });
        written
    }

    /// Turn the counted occurrences into a weighted, normalized row, and reset the
    /// counts for the next text.
    fn weigh(&self, scratch: &mut FeatureScratch, row: &mut SparseRow) {
        scratch.unique.sort_unstable();
        self.weigh_in_order(scratch, row);
    }

    /// [`Featurizer::weigh`] keeping the features in first-seen order.
    fn weigh_in_order(&self, scratch: &mut FeatureScratch, row: &mut SparseRow) {
        row.clear();
        let (mut norm_w, mut norm_c) = (0f32, 0f32);
        for &i in &scratch.unique {
            let count = std::mem::take(&mut scratch.counts[i as usize]);
            let tf = if count == 1 {
                1.0
            } else if self.options.sublinear_tf {
                1.0 + (count as f32).ln()
            } else {
                count as f32
            };
            let v = tf * self.idf[i as usize];
            if (i as usize) < self.n_word {
                norm_w += v * v;
            } else {
                norm_c += v * v;
            }
            row.indices.push(i);
            row.values.push(v);
        }
        let scale = |norm: f32, weight: f32| {
            if norm > 0.0 {
                weight / norm.sqrt()
            } else {
                0.0
            }
        };
        let (sw, sc) = (
            scale(norm_w, self.options.word_weight),
            scale(norm_c, self.options.char_weight),
        );
        let mut total = 0f32;
        for (k, v) in row.indices.iter().zip(row.values.iter_mut()) {
            *v *= if (*k as usize) < self.n_word { sw } else { sc };
            total += *v * *v;
        }
        if total > 0.0 {
            let inv = 1.0 / total.sqrt();
            row.values.iter_mut().for_each(|v| *v *= inv);
        } else {
            row.clear();
        }
    }
}

/// IDF of a feature found in `df` of `n` documents.
pub fn idf_value(smooth: bool, n: usize, df: usize) -> f32 {
    let (n, df) = (n as f64, df as f64);
    let v = if smooth {
        ((1.0 + n) / (1.0 + df)).ln() + 1.0
    } else {
        (n / df).ln() + 1.0
    };
    v as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::TokenizeOptions;

    fn words_only() -> Tokenizer {
        Tokenizer::new(TokenizeOptions {
            word_min: 1,
            word_max: 1,
            char_min: 0,
            char_max: 0,
            ..Default::default()
        })
        .unwrap()
    }

    /// Every feature kept, as in the hand computations.
    fn opts() -> VectorizeOptions {
        VectorizeOptions {
            min_df: 1,
            max_df: 1.0,
            ..Default::default()
        }
    }

    #[test]
    fn idf_matches_hand_computed() {
        // n = 3 documents; a term in 1 of them: ln(4/2) + 1 = 1.693147.
        assert!((idf_value(true, 3, 1) - 1.693_147).abs() < 1e-6);
        // a term in all 3: ln(4/4) + 1 = 1.
        assert!((idf_value(true, 3, 3) - 1.0).abs() < 1e-7);
        // unsmoothed, 1 of 4: ln(4) + 1 = 2.386294.
        assert!((idf_value(false, 4, 1) - 2.386_294).abs() < 1e-6);
    }

    #[test]
    fn tfidf_row_matches_hand_computed() {
        // docs: "قتل قتل جندي", "جندي فر", "فر".  df: قتل 1, جندي 2, فر 2.
        // idf: قتل ln(4/2)+1 = 1.693147; جندي, فر ln(4/3)+1 = 1.287682.
        // doc 1: قتل tf 2 -> 1 + ln 2 = 1.693147; weight 1.693147*1.693147 = 2.866747;
        //        جندي tf 1 -> 1.287682. norm = sqrt(2.866747² + 1.287682²) = 3.142669.
        let texts = ["قتل قتل جندي", "جندي فر", "فر"];
        let (fz, m) = Featurizer::fit(Normalizer::default(), words_only(), opts(), &texts).unwrap();
        assert_eq!(fz.n_features(), 3);
        let (idx, val) = m.row(0);
        let mut got: Vec<(String, f32)> = idx
            .iter()
            .zip(val)
            .map(|(&i, &v)| (fz.terms().get(i as usize).text.to_string(), v))
            .collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        let want = [("جندي", 0.409_742), ("قتل", 0.912_202)];
        assert_eq!(got.len(), 2);
        for ((t, v), (wt, wv)) in got.iter().zip(want) {
            assert_eq!(t, wt);
            assert!((v - wv).abs() < 1e-5, "{t}: {v} vs {wv}");
        }
        // transform of the same text gives the same row as fit.
        let row = fz.transform(texts[0]);
        assert_eq!(row.indices, idx);
        assert_eq!(row.values, val);
    }

    #[test]
    fn rows_have_unit_norm_or_are_empty() {
        let texts = ["تقدمت القوات نحو المدينة", "أعدم التنظيم ثلاثة رجال", "..."];
        let tok = Tokenizer::new(TokenizeOptions::default()).unwrap();
        let (fz, m) = Featurizer::fit(Normalizer::default(), tok, opts(), &texts).unwrap();
        for i in 0..m.n_rows() {
            let (_, v) = m.row(i);
            let n: f32 = v.iter().map(|x| x * x).sum();
            assert!(v.is_empty() || (n - 1.0).abs() < 1e-5, "row {i} norm {n}");
        }
        assert!(m.row(2).0.is_empty());
        assert!(fz.transform("zzz qqq").is_empty());
    }

    #[test]
    fn min_df_max_df_and_max_features() {
        let texts = ["a b c", "a b", "a d", "a"];
        let fit = |o: VectorizeOptions| {
            let (fz, _) = Featurizer::fit(Normalizer::default(), words_only(), o, &texts).unwrap();
            let mut t: Vec<String> = fz.terms().iter().map(|t| t.text.to_string()).collect();
            t.sort();
            t
        };
        assert_eq!(fit(opts()), ["a", "b", "c", "d"]);
        assert_eq!(
            fit(VectorizeOptions {
                min_df: 2,
                ..opts()
            }),
            ["a", "b"]
        );
        assert_eq!(
            fit(VectorizeOptions {
                max_df: 0.9,
                ..opts()
            }),
            ["b", "c", "d"]
        );
        assert_eq!(
            fit(VectorizeOptions {
                max_features: 2,
                ..opts()
            }),
            ["a", "b"]
        );
    }

    #[test]
    fn vocabulary_is_in_order_of_frequency_within_each_kind() {
        // Totals: e 5, d 4, c 3, b 2, a 1 — the reverse of their text order.
        let texts = ["e d c b a", "e d c b", "e d c", "e d", "e"];
        let tokenizer = Tokenizer::new(TokenizeOptions {
            word_min: 1,
            word_max: 1,
            char_min: 1,
            char_max: 1,
            ..Default::default()
        })
        .unwrap();
        let (fz, _) = Featurizer::fit(Normalizer::default(), tokenizer, opts(), &texts).unwrap();
        let terms: Vec<(FeatureKind, String)> = fz
            .terms()
            .iter()
            .map(|t| (t.kind, t.text.to_string()))
            .collect();
        // Word features first; then characters, the padding space (10) before e (5).
        let words = ["e", "d", "c", "b", "a"].map(|w| (FeatureKind::Word, w.to_string()));
        assert_eq!(terms[..5], words);
        let chars: Vec<&str> = terms[5..].iter().map(|t| t.1.as_str()).collect();
        assert_eq!(chars, [" ", "e", "d", "c", "b", "a"]);
    }

    #[test]
    fn a_block_that_is_on_must_weigh_something() {
        let tok = TokenizeOptions::default();
        let zero = |word_weight, char_weight| VectorizeOptions {
            word_weight,
            char_weight,
            ..opts()
        };
        assert!(zero(0.0, 1.0).validate_with(&tok).is_ok());
        let err = zero(0.0, 0.0).validate_with(&tok).unwrap_err().to_string();
        assert!(
            err.contains("word_weight 0") && err.contains("char_weight 0"),
            "{err}"
        );
        let words_only = TokenizeOptions {
            char_min: 0,
            char_max: 0,
            ..tok
        };
        assert!(zero(1.0, 0.0).validate_with(&words_only).is_ok());
        assert!(zero(0.0, 1.0).validate_with(&words_only).is_err());
        assert!(zero(-1.0, 1.0).validate_with(&tok).is_err());
    }

    #[test]
    fn from_parts_round_trip() {
        let texts = [
            "تقدمت القوات نحو المدينة",
            "أعدم التنظيم ثلاثة رجال في المدينة",
        ];
        let tok = Tokenizer::new(TokenizeOptions::default()).unwrap();
        let (fz, _) = Featurizer::fit(Normalizer::default(), tok, opts(), &texts).unwrap();
        let back = Featurizer::from_parts(
            fz.normalizer().clone(),
            *fz.tokenizer(),
            *fz.options(),
            fz.terms()
                .iter()
                .map(|t| Term {
                    kind: t.kind,
                    text: t.text.to_string(),
                })
                .collect(),
            fz.idf().to_vec(),
        )
        .unwrap();
        for t in texts {
            assert_eq!(fz.transform(t), back.transform(t));
        }
    }
}
