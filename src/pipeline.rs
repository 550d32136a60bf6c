//! Normalizer + tokenizer + vectorizer + model as one trained object.
//!
//! [`Pipeline::fit`] trains on labeled sentences; [`Pipeline::classify_article`] splits
//! an article into sentences and labels each; [`Pipeline::evaluate`] builds a report.
//! The pipeline is saved and loaded whole: [`Pipeline::to_bytes`] writes its strict,
//! versioned content (the private `schema` module) inside [`crate::model_file`]'s
//! frame, and [`Pipeline::from_bytes`] reads it back or refuses it.

mod base64;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

use linfa::prelude::*;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::calibrate::{Calibration, Excluded, Logits};
use crate::corpus::LabeledSentence;
use crate::error::{Error, Result, TrainingDataError};
use crate::evaluate::Report;
use crate::model::{argmax, LinearModel, TrainOptions};
use crate::normalize::{NormalizeOptions, Normalizer};
use crate::sentence::split_sentences;
use crate::sparse::SparseRecords;
use crate::tokenize::{TokenizeOptions, Tokenizer};
use crate::vectorize::{FeatureScratch, Featurizer, SparseRow, VectorizeOptions};

/// The label given to a sentence that has no words to classify (only punctuation,
/// symbols or marks). A marker label: never a training label.
pub const NO_TEXT_LABEL: &str = "(no text)";

/// The label given to a sentence that has words, none of which the model knows (no
/// feature of its vocabulary occurs in it). A marker label: never a training label.
pub const UNKNOWN_LABEL: &str = "(unknown)";

/// The label given to a sentence whose top probability is below a chosen minimum
/// confidence. A marker label: never a training label.
pub const UNCERTAIN_LABEL: &str = "uncertain";

/// The label column of the row that stands for an article that could not be read,
/// in tabular output. A marker label: never a training label.
pub const ERROR_LABEL: &str = "(error)";

/// Every label that classification output can carry besides the model's own labels.
/// [`Pipeline::fit`] refuses them as training labels and a model file that has one is
/// refused on load, so a marker never means two things.
pub const MARKER_LABELS: &[&str] = &[NO_TEXT_LABEL, UNKNOWN_LABEL, UNCERTAIN_LABEL, ERROR_LABEL];

/// Whether `label` is one of the [`MARKER_LABELS`].
pub fn is_marker_label(label: &str) -> bool {
    MARKER_LABELS.contains(&label)
}

/// What is wrong with `labels` if some of them are markers, e.g. "label 'uncertain' is
/// reserved for output markers ('(no text)', '(unknown)', 'uncertain', '(error)')".
pub(crate) fn reserved_labels(labels: &[String]) -> Option<String> {
    let quote = |l: &str| format!("'{l}'");
    let found: Vec<String> = labels
        .iter()
        .filter(|l| is_marker_label(l))
        .map(|l| quote(l))
        .collect();
    if found.is_empty() {
        return None;
    }
    let markers: Vec<String> = MARKER_LABELS.iter().map(|l| quote(l)).collect();
    Some(format!(
        "{} {} reserved for output markers ({})",
        if found.len() == 1 { "label" } else { "labels" },
        found.join(", ") + if found.len() == 1 { " is" } else { " are" },
        markers.join(", ")
    ))
}

/// What the model made of one sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Prediction {
    /// One of the model's labels, by index into [`Pipeline::labels`], with the
    /// probability of every label in that order.
    Label {
        /// The most probable label.
        index: usize,
        /// Probability of each of the model's labels.
        probabilities: Vec<f32>,
    },
    /// The sentence has no words ([`NO_TEXT_LABEL`]).
    NoText,
    /// The sentence has words, but none of the model's features ([`UNKNOWN_LABEL`]).
    Unknown,
}

impl Prediction {
    /// The label's index, unless the prediction is a marker.
    pub fn label_index(&self) -> Option<usize> {
        match self {
            Prediction::Label { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// The probability of every label (empty for a marker).
    pub fn probabilities(&self) -> &[f32] {
        match self {
            Prediction::Label { probabilities, .. } => probabilities,
            _ => &[],
        }
    }

    /// The probability of the predicted label, unless the prediction is a marker.
    pub fn top_probability(&self) -> Option<f32> {
        self.label_index().map(|i| self.probabilities()[i])
    }
}

/// What [`Pipeline::predict_into`] found; the probabilities are in the caller's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The index of the most probable label.
    Label(usize),
    /// The sentence has no words.
    NoText,
    /// The sentence has words, but none of the model's features.
    Unknown,
}

/// Everything that decides how a model is trained.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Normalization rules.
    pub normalize: NormalizeOptions,
    /// Word and character n-grams.
    pub tokenize: TokenizeOptions,
    /// TF-IDF and vocabulary.
    pub vectorize: VectorizeOptions,
    /// Solver.
    pub train: TrainOptions,
}

/// How a model was trained, saved in the model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// Version of tasnif that trained it.
    pub crate_version: String,
    /// Number of training sentences.
    pub sentences: usize,
    /// Training sentences per label.
    pub sentences_per_label: BTreeMap<String, usize>,
    /// FNV-1a 64 hash of the training texts and labels, in order.
    pub data_hash: String,
    /// Solver settings used.
    pub options: TrainOptions,
    /// Iterations the solver ran (the sparse solver reports them; linfa does not).
    pub iterations: Option<u64>,
}

/// The label of one sentence of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceLabel {
    /// Sentence number in the article, from 0.
    pub index: usize,
    /// Byte offset of the sentence in the article.
    pub start: usize,
    /// Byte offset just past the sentence.
    pub end: usize,
    /// The label and its probabilities, or a marker.
    pub prediction: Prediction,
    /// How many of the model's features the sentence has (distinct n-grams).
    pub features: usize,
    /// The sentence was longer than [`crate::sentence::MAX_SENTENCE_BYTES`]: this is
    /// a piece that ends at the cut, and the sentence goes on in the next one.
    pub cut_at_limit: bool,
    /// The n-grams that pushed most towards the label, when asked for.
    pub explanation: Vec<FeatureWeight>,
}

/// A trained model: featurizer, weights and labels.
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub(crate) featurizer: Featurizer,
    pub(crate) model: LinearModel,
    pub(crate) labels: Vec<String>,
    pub(crate) info: TrainingInfo,
}

/// Reusable buffers for [`Pipeline::predict_into`].
#[derive(Debug, Default, Clone)]
pub struct PredictScratch {
    features: FeatureScratch,
    row: SparseRow,
}

impl PredictScratch {
    /// How many of the model's features the last sentence predicted had.
    pub fn matched_features(&self) -> usize {
        self.row.indices.len()
    }
}

/// One feature's part in a decision: the n-gram as text and its weight or contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureWeight {
    /// `w:` word n-gram or `c:` character n-gram, then its text (normalized).
    pub feature: String,
    /// The weight (for [`Pipeline::top_features`]) or value × weight
    /// (for [`Pipeline::explain`]).
    pub weight: f32,
}

fn feature_name(t: crate::vectorize::TermRef<'_>) -> String {
    let kind = match t.kind {
        crate::tokenize::FeatureKind::Word => 'w',
        crate::tokenize::FeatureKind::Char => 'c',
    };
    format!("{kind}:{}", t.text)
}

/// FNV-1a 64 over the sentences and labels, with separators.
pub fn data_hash(data: &[LabeledSentence]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for s in data {
        eat(s.text.as_bytes());
        eat(&[0x1f]);
        eat(s.label.as_bytes());
        eat(&[0x1e]);
    }
    format!("fnv1a64:{h:016x}")
}

impl Pipeline {
    /// Train on `data`. Labels are the distinct labels of the data, sorted.
    ///
    /// # Errors
    ///
    /// [`Error::Params`] for training parameters out of range or contradicting each
    /// other; [`Error::InvalidNgramRange`], [`Error::NoNgrams`], [`Error::InvalidMaxDf`],
    /// [`Error::InvalidFeatureWeight`] or [`Error::NoWeightedBlock`] for tokenizer and
    /// vectorizer settings that cannot make features; [`Error::TrainingData`] for no
    /// sentences, a label reserved for output markers or a single label;
    /// [`Error::EmptyVocabulary`] when no feature passes `min_df` / `max_df`;
    /// [`Error::Training`] when the solver fails.
    pub fn fit(data: &[LabeledSentence], config: &TrainConfig) -> Result<Pipeline> {
        let params = config.train.params().check()?;
        let tokenizer = Tokenizer::new(config.tokenize)?;
        if data.is_empty() {
            return Err(TrainingDataError::NoSentences.into());
        }
        let labels: Vec<String> = data
            .iter()
            .map(|s| s.label.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let reserved: Vec<String> = labels
            .iter()
            .filter(|l| is_marker_label(l))
            .cloned()
            .collect();
        if !reserved.is_empty() {
            return Err(TrainingDataError::ReservedLabels {
                labels: reserved,
                markers: MARKER_LABELS.iter().map(|l| l.to_string()).collect(),
            }
            .into());
        }
        if labels.len() < 2 {
            return Err(TrainingDataError::OneLabel {
                label: labels[0].clone(),
            }
            .into());
        }
        let y: Vec<usize> = data
            .iter()
            .map(|s| labels.binary_search(&s.label).unwrap_or(0))
            .collect();
        let texts: Vec<&str> = data.iter().map(|s| s.text.as_str()).collect();
        let (featurizer, x) = Featurizer::fit(
            Normalizer::new(config.normalize),
            tokenizer,
            config.vectorize,
            &texts,
        )?;
        if featurizer.n_features() == 0 {
            return Err(Error::EmptyVocabulary {
                min_df: config.vectorize.min_df,
                max_df: config.vectorize.max_df,
            });
        }
        let dataset = DatasetBase::new(SparseRecords::try_from(x)?, Array1::from_vec(y));
        let fitted = params.fit(&dataset)?;
        let iterations = fitted.iterations();
        let model = fitted.into_model();
        let mut per_label = BTreeMap::new();
        for s in data {
            *per_label.entry(s.label.clone()).or_insert(0) += 1;
        }
        let info = TrainingInfo {
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            sentences: data.len(),
            sentences_per_label: per_label,
            data_hash: data_hash(data),
            options: config.train,
            iterations,
        };
        Ok(Pipeline {
            featurizer,
            model,
            labels,
            info,
        })
    }

    /// Serialize into model-file bytes: the content (settings, what defines features,
    /// vocabulary, IDF, weights, labels, training metadata) as JSON, framed by
    /// [`crate::model_file::frame`]. Deterministic: the same pipeline gives the same
    /// bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Model`] if the content cannot be written as JSON (it always can).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        Ok(crate::model_file::frame(
            &schema::Content::new(self).to_json()?,
        ))
    }

    /// Load from model-file bytes written by [`Pipeline::to_bytes`].
    ///
    /// # Errors
    ///
    /// [`Error::Model`] with the [`ModelError`](crate::error::ModelError) that says
    /// why: a bad frame ([`crate::model_file::unframe`]); content with a missing or
    /// unknown field or a bad label list (`Invalid`, with the reason); a vocabulary,
    /// IDF and weights that do not fit together (`Parts`, with the
    /// [`PartsError`](crate::error::PartsError)); another features
    /// version (`FeaturesVersion`); a stopword list, clitic rule set or table
    /// fingerprint that is not this build's (`FeaturesDiffer`).
    pub fn from_bytes(bytes: &[u8]) -> Result<Pipeline> {
        let content = crate::model_file::unframe(bytes)?;
        schema::Content::parse(content)?.into_pipeline()
    }

    /// The labels, in the order of probabilities.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
    /// The featurizer (normalizer, tokenizer, vocabulary).
    pub fn featurizer(&self) -> &Featurizer {
        &self.featurizer
    }
    /// The weights.
    pub fn linear_model(&self) -> &LinearModel {
        &self.model
    }
    /// Training metadata.
    pub fn info(&self) -> &TrainingInfo {
        &self.info
    }
    /// The settings that decide features and training, as a config `train` accepts.
    pub fn config(&self) -> TrainConfig {
        TrainConfig {
            normalize: *self.featurizer.normalizer().options(),
            tokenize: *self.featurizer.tokenizer().options(),
            vectorize: *self.featurizer.options(),
            train: self.info.options,
        }
    }

    /// The model's temperature: probabilities are `softmax(scores / temperature)`
    /// (1 after training; [`Pipeline::with_temperature`] sets another).
    pub fn temperature(&self) -> f32 {
        self.model.temperature()
    }

    /// The same model with another temperature, e.g. the one
    /// [`Pipeline::calibrate`] fitted. The labels it predicts do not change; their
    /// probabilities do, and the model file stores the temperature.
    ///
    /// # Errors
    ///
    /// [`Error::Parts`] ([`PartsError::InvalidTemperature`](crate::error::PartsError::InvalidTemperature))
    /// unless `temperature` is a finite number above 0.
    pub fn with_temperature(self, temperature: f32) -> Result<Pipeline> {
        Ok(Pipeline {
            model: self.model.with_temperature(temperature)?,
            ..self
        })
    }

    /// Probabilities of every label for one sentence into `probs`, and what the model
    /// made of it. `probs` is left empty unless the result is [`Outcome::Label`].
    pub fn predict_into(
        &self,
        text: &str,
        scratch: &mut PredictScratch,
        probs: &mut Vec<f32>,
    ) -> Outcome {
        let outcome = self.scores_into(text, scratch, probs);
        if outcome == Outcome::NoText || outcome == Outcome::Unknown {
            return outcome;
        }
        self.model.probabilities_in_place(probs);
        Outcome::Label(argmax(probs))
    }

    /// The scores of every label for one sentence before the softmax (the logits,
    /// which the temperature does not change) into `scores`, and what the model made
    /// of it (the label with the highest score). `scores` is left empty unless the
    /// result is [`Outcome::Label`].
    pub fn scores_into(
        &self,
        text: &str,
        scratch: &mut PredictScratch,
        scores: &mut Vec<f32>,
    ) -> Outcome {
        let words =
            self.featurizer
                .transform_unsorted_into(text, &mut scratch.features, &mut scratch.row);
        scores.clear();
        if words == 0 {
            return Outcome::NoText;
        }
        if scratch.row.indices.is_empty() {
            return Outcome::Unknown;
        }
        self.model
            .scores_into(&scratch.row.indices, &scratch.row.values, scores);
        Outcome::Label(argmax(scores))
    }

    /// Fit the temperature on held-out labeled sentences (temperature scaling, see
    /// [`crate::calibrate`]): the `T` that minimizes their mean log loss, never one
    /// that raises it. Sentences with no words, no feature of the model or a label
    /// the model does not have are left out and counted. Set the result on the
    /// model with [`Pipeline::with_temperature`]. The sentences must not be the
    /// training sentences, on which any model is too sure.
    ///
    /// # Errors
    ///
    /// [`Error::NothingToCalibrate`] when no sentence can be used.
    pub fn calibrate(&self, data: &[LabeledSentence]) -> Result<Calibration> {
        let mut logits = Logits::new(self.labels.len());
        let mut excluded = Excluded::default();
        let mut scratch = PredictScratch::default();
        let mut scores = Vec::with_capacity(self.labels.len());
        for s in data {
            let Ok(gold) = self.labels.binary_search(&s.label) else {
                excluded.unknown_label += 1;
                continue;
            };
            match self.scores_into(&s.text, &mut scratch, &mut scores) {
                Outcome::Label(_) => logits.push(&scores, gold),
                Outcome::NoText => excluded.no_text += 1,
                Outcome::Unknown => excluded.unknown += 1,
            }
        }
        if logits.is_empty() {
            return Err(Error::NothingToCalibrate {
                sentences: data.len(),
                no_text: excluded.no_text,
                unknown: excluded.unknown,
                unknown_label: excluded.unknown_label,
            });
        }
        let before = self.temperature();
        let temperature = logits.fit_temperature(before);
        Ok(Calibration {
            temperature_before: before,
            temperature,
            log_loss_before: logits.log_loss(before),
            log_loss_after: logits.log_loss(temperature),
            logits,
            excluded,
        })
    }

    /// The label name of a prediction, markers included.
    pub fn label_name(&self, p: &Prediction) -> &str {
        match p {
            Prediction::Label { index, .. } => &self.labels[*index],
            Prediction::NoText => NO_TEXT_LABEL,
            Prediction::Unknown => UNKNOWN_LABEL,
        }
    }

    /// The `n` features with the largest weights for label `k`.
    pub fn top_features(&self, k: usize, n: usize) -> Vec<FeatureWeight> {
        let terms = self.featurizer.terms();
        let mut idx: Vec<usize> = (0..terms.len()).collect();
        idx.sort_by(|&a, &b| {
            self.model
                .weight(b, k)
                .total_cmp(&self.model.weight(a, k))
                .then(a.cmp(&b))
        });
        idx.into_iter()
            .take(n)
            .map(|f| FeatureWeight {
                feature: feature_name(terms.get(f)),
                weight: self.model.weight(f, k),
            })
            .collect()
    }

    /// The `n` features of `text` that pushed most towards label `k` (value × weight).
    pub fn explain(&self, text: &str, k: usize, n: usize) -> Vec<FeatureWeight> {
        let mut scratch = PredictScratch::default();
        self.featurizer
            .transform_unsorted_into(text, &mut scratch.features, &mut scratch.row);
        self.explain_row(&scratch.row, k, n)
    }

    /// [`Pipeline::explain`] for a row already computed.
    fn explain_row(&self, row: &SparseRow, k: usize, n: usize) -> Vec<FeatureWeight> {
        let terms = self.featurizer.terms();
        let mut parts: Vec<(usize, f32)> = row
            .indices
            .iter()
            .zip(&row.values)
            .map(|(&f, &v)| (f as usize, v * self.model.weight(f as usize, k)))
            .collect();
        parts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        parts
            .into_iter()
            .filter(|p| p.1 > 0.0)
            .take(n)
            .map(|(f, w)| FeatureWeight {
                feature: feature_name(terms.get(f)),
                weight: w,
            })
            .collect()
    }

    /// What the model makes of one sentence.
    pub fn predict(&self, text: &str) -> Prediction {
        let mut probabilities = Vec::new();
        match self.predict_into(text, &mut PredictScratch::default(), &mut probabilities) {
            Outcome::Label(index) => Prediction::Label {
                index,
                probabilities,
            },
            Outcome::NoText => Prediction::NoText,
            Outcome::Unknown => Prediction::Unknown,
        }
    }

    /// Split `article` into sentences and label each; one entry a sentence, in order.
    pub fn classify_article(&self, article: &str) -> Vec<SentenceLabel> {
        let mut scratch = PredictScratch::default();
        let mut out = Vec::new();
        self.classify_article_with(article, &mut scratch, 0, |s| out.push(s));
        out
    }

    /// [`Pipeline::classify_article`] with reusable buffers, handing each sentence to
    /// `f`, each with the `explain` n-grams that pushed most towards its label (none
    /// when 0; the sentence's row is reused, not computed again).
    pub fn classify_article_with<F: FnMut(SentenceLabel)>(
        &self,
        article: &str,
        scratch: &mut PredictScratch,
        explain: usize,
        mut f: F,
    ) {
        let mut probs = Vec::new();
        for (index, m) in split_sentences(article).marked().enumerate() {
            let outcome = self.predict_into(&article[m.span.clone()], scratch, &mut probs);
            let (prediction, explanation) = match outcome {
                Outcome::Label(k) => (
                    Prediction::Label {
                        index: k,
                        probabilities: probs.clone(),
                    },
                    if explain > 0 {
                        self.explain_row(&scratch.row, k, explain)
                    } else {
                        Vec::new()
                    },
                ),
                Outcome::NoText => (Prediction::NoText, Vec::new()),
                Outcome::Unknown => (Prediction::Unknown, Vec::new()),
            };
            f(SentenceLabel {
                index,
                start: m.span.start,
                end: m.span.end,
                prediction,
                features: scratch.matched_features(),
                cut_at_limit: m.cut_at_limit,
                explanation,
            });
        }
    }

    /// Predict every sentence of `data` and compare with its label.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownLabels`] when sentences carry labels the model does not know,
    /// with each such label and its count.
    pub fn evaluate(&self, data: &[LabeledSentence]) -> Result<(Report, Vec<Vec<f32>>)> {
        let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
        for s in data {
            if self.labels.binary_search(&s.label).is_err() {
                *unknown.entry(s.label.clone()).or_insert(0) += 1;
            }
        }
        if !unknown.is_empty() {
            return Err(Error::UnknownLabels {
                unknown: unknown.into_iter().collect(),
                known: self.labels.clone(),
            });
        }
        let truth: Vec<usize> = data
            .iter()
            .map(|s| self.labels.binary_search(&s.label).unwrap_or(0))
            .collect();
        let mut scratch = PredictScratch::default();
        let mut predicted = Vec::with_capacity(data.len());
        let mut all_probs = Vec::with_capacity(data.len());
        let k = self.labels.len();
        for s in data {
            let mut probs = Vec::new();
            match self.predict_into(&s.text, &mut scratch, &mut probs) {
                Outcome::Label(i) => predicted.push(i),
                Outcome::NoText | Outcome::Unknown => {
                    // No words or no known feature: the intercepts alone decide.
                    self.model.predict_proba_into(&[], &[], &mut probs);
                    predicted.push(argmax(&probs));
                }
            }
            debug_assert_eq!(probs.len(), k);
            all_probs.push(probs);
        }
        Ok((
            Report::new(self.labels.clone(), &truth, &predicted),
            all_probs,
        ))
    }
}
