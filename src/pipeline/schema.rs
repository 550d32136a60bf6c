//! The model file's content: a strict, versioned counterpart of [`Pipeline`].
//!
//! The in-memory types can change; these types are what a file means. Every struct
//! here refuses unknown fields and needs every field present (an `Option` is written
//! as `null`, never left out), so an option added to the code later cannot silently
//! take a default for an old file. Converting from and to the in-memory types
//! destructures them whole, so a new option field does not compile until it is stored
//! here (and the format version bumped, or a value given that keeps old files'
//! meaning).
//!
//! Besides the settings, the content stores what defines features in code: the
//! stopword list (when stopwords are on), the clitic rules (when clitic stripping is
//! on), and fingerprints of the normalization and word-character tables. Loading
//! compares each with this build and refuses the file with a message that says what
//! differs, so a model either classifies as it did when trained or is not loaded.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize};

use super::{reserved_labels, Pipeline, TrainingInfo};
use crate::error::{Error, ModelError, Result};
use crate::model::{ClassWeight, LinearModel, Solver, TrainOptions};
use crate::normalize::{NormalizeOptions, Normalizer};
use crate::tokenize::{self, FeatureKind, TokenizeOptions, Tokenizer};
use crate::vectorize::{Featurizer, VectorizeOptions, Vocabulary, FEATURES_VERSION};

/// The JSON document inside a model file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Content<'a> {
    /// [`FEATURES_VERSION`] of the build that trained the model.
    features_version: u32,
    /// Sorted, distinct, none a marker label.
    labels: Vec<String>,
    normalizer: Normalization,
    tokenizer: Tokenization,
    vectorizer: Vectorization,
    /// Word n-grams in index order (features `0..n`). The texts and the arrays are
    /// borrowed from the file's bytes when they hold no escapes, as they do when
    /// tasnif writes them: loading copies none of them.
    #[serde(borrow)]
    word_vocabulary: Vec<Text<'a>>,
    /// Character n-grams in index order, after the word n-grams.
    #[serde(borrow)]
    char_vocabulary: Vec<Text<'a>>,
    /// One IDF a feature, little-endian `f32`, base64.
    #[serde(borrow)]
    idf_f32le: Cow<'a, str>,
    /// Weights feature-major (`w[f * labels + k]`), little-endian `f32`, base64.
    #[serde(borrow)]
    weights_f32le: Cow<'a, str>,
    /// One intercept a label.
    intercept: Vec<f32>,
    /// Probabilities are `softmax(scores / temperature)`: 1 from training, the fitted
    /// value after calibration. Added in format version 3.
    temperature: f32,
    training: Training,
}

/// A string of the file, borrowed from its bytes when it has no escapes (serde copies
/// a `Cow` inside a `Vec` unless it is wrapped so).
#[derive(Debug, Serialize, Deserialize)]
#[serde(transparent)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

/// [`NormalizeOptions`], and the fingerprint of what they make of each code point.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Normalization {
    presentation_forms: bool,
    diacritics: bool,
    tatweel: bool,
    alef: bool,
    alef_maqsura: bool,
    teh_marbuta: bool,
    hamza_carriers: bool,
    persian_forms: bool,
    digits: bool,
    punctuation: bool,
    zero_width: bool,
    lowercase: bool,
    collapse_whitespace: bool,
    /// `Normalizer::fingerprint` for these options.
    table_fingerprint: String,
}

/// [`TokenizeOptions`], and the word lists and tables they switch on.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tokenization {
    word_min: usize,
    word_max: usize,
    char_min: usize,
    char_max: usize,
    strip_clitics: bool,
    stopwords: bool,
    /// `tokenize::word_chars_fingerprint`.
    word_chars_fingerprint: String,
    /// [`tokenize::STOPWORDS`] when `stopwords` is on, `null` when it is off.
    #[serde(deserialize_with = "required")]
    stopword_list: Option<Vec<String>>,
    /// The clitic rules when `strip_clitics` is on, `null` when it is off.
    #[serde(deserialize_with = "required")]
    clitic_rules: Option<CliticRules>,
}

/// What [`tokenize::strip_clitics`] removes and what it keeps.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CliticRules {
    /// Article forms, tried in order.
    articles: Vec<String>,
    /// Proclitics, tried in order when no article matched.
    proclitics: Vec<String>,
    /// Letters that must remain after an article.
    article_min_rest: usize,
    /// Letters that must remain after a proclitic.
    proclitic_min_rest: usize,
}

/// [`VectorizeOptions`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vectorization {
    min_df: usize,
    max_df: f64,
    max_features: usize,
    sublinear_tf: bool,
    smooth_idf: bool,
    word_weight: f32,
    char_weight: f32,
}

/// [`TrainingInfo`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Training {
    crate_version: String,
    sentences: usize,
    sentences_per_label: BTreeMap<String, usize>,
    data_hash: String,
    options: Solving,
    #[serde(deserialize_with = "required")]
    iterations: Option<u64>,
}

/// [`TrainOptions`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Solving {
    alpha: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
    cost_tolerance: f64,
    solver: StoredSolver,
    class_weight: StoredClassWeight,
}

/// [`Solver`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StoredSolver {
    Linfa,
    Sparse,
}

/// [`ClassWeight`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum StoredClassWeight {
    None,
    Balanced,
}

/// Just the features version, read when the whole content does not parse: a file
/// from a build that computes features otherwise may also be laid out otherwise.
#[derive(Deserialize)]
struct FeaturesVersionOnly {
    features_version: u32,
}

/// Deserialize an `Option` that must be present (as a value or `null`): serde fills
/// in `None` for a missing `Option` field unless the field has its own deserializer.
fn required<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> std::result::Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

impl<'a> Content<'a> {
    /// The content that stands for `p`.
    pub(super) fn new(p: &'a Pipeline) -> Content<'a> {
        let fz = &p.featurizer;
        let vocabulary = |kind: FeatureKind| {
            fz.terms()
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| Text(Cow::Borrowed(t.text)))
                .collect()
        };
        Content {
            features_version: FEATURES_VERSION,
            labels: p.labels.clone(),
            normalizer: Normalization::new(fz.normalizer()),
            tokenizer: Tokenization::new(fz.tokenizer().options()),
            vectorizer: Vectorization::from(*fz.options()),
            word_vocabulary: vocabulary(FeatureKind::Word),
            char_vocabulary: vocabulary(FeatureKind::Char),
            idf_f32le: Cow::Owned(encode_f32(fz.idf())),
            weights_f32le: Cow::Owned(encode_f32(p.model.weights())),
            intercept: p.model.intercept().to_vec(),
            temperature: p.model.temperature(),
            training: Training::from(p.info.clone()),
        }
    }

    /// Parse JSON content strictly.
    pub(super) fn parse(json: &'a [u8]) -> Result<Content<'a>> {
        // One fast check of the whole text instead of one per string in serde_json.
        let text = simdutf8::basic::from_utf8(json).map_err(|_| {
            let e = std::str::from_utf8(json).expect_err("simdutf8 found invalid UTF-8");
            invalid(format!(
                "the content is not UTF-8 at byte {}",
                e.valid_up_to()
            ))
        })?;
        serde_json::from_str(text).map_err(|e| {
            match serde_json::from_slice::<FeaturesVersionOnly>(json) {
                Ok(v) if v.features_version != FEATURES_VERSION => {
                    features_version_error(v.features_version)
                }
                _ => invalid(e.to_string()),
            }
        })
    }

    /// The JSON text, deterministic: the same content gives the same bytes.
    pub(super) fn to_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|e| invalid(e.to_string()))
    }

    /// The pipeline this content stands for, after checking that this build computes
    /// its features as the build that wrote it did and that its parts fit together.
    pub(super) fn into_pipeline(self) -> Result<Pipeline> {
        if self.features_version != FEATURES_VERSION {
            return Err(features_version_error(self.features_version));
        }
        let labels = self.labels;
        if labels.len() < 2 || labels.windows(2).any(|w| w[0] >= w[1]) {
            return Err(invalid(
                "labels must be at least two, sorted and distinct".into(),
            ));
        }
        if let Some(why) = reserved_labels(&labels) {
            return Err(invalid(format!(
                "{why}; a model label cannot be a marker, retrain"
            )));
        }
        let normalizer = self.normalizer.into_normalizer()?;
        let tokenizer = self.tokenizer.into_tokenizer()?;
        // The weights (the largest array) are decoded on a second thread while the
        // vocabulary's table is built: the two halves of a load take about as long.
        let vectorizer: VectorizeOptions = self.vectorizer.into();
        let (weights_text, idf_text) = (&self.weights_f32le, &self.idf_f32le);
        let (words, chars) = (&self.word_vocabulary, &self.char_vocabulary);
        let (weights, featurizer) = std::thread::scope(|scope| {
            let weights = scope.spawn(|| decode_f32(weights_text, "weights"));
            let terms = vocabulary(words, chars);
            let featurizer = featurizer(normalizer, tokenizer, vectorizer, terms, idf_text);
            let weights = weights
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (weights, featurizer)
        });
        let (weights, featurizer) = (weights?, featurizer?);
        let n_features = featurizer.n_features();
        let model = LinearModel::from_parts(n_features, labels.len(), weights, self.intercept)
            .and_then(|m| m.with_temperature(self.temperature))
            .map_err(invalid_part)?;
        Ok(Pipeline {
            featurizer,
            model,
            labels,
            info: self.training.into(),
        })
    }
}

/// The featurizer of a model file: settings, vocabulary and IDF (as base64).
fn featurizer(
    normalizer: Normalizer,
    tokenizer: Tokenizer,
    vectorizer: VectorizeOptions,
    terms: Vocabulary,
    idf_text: &str,
) -> Result<Featurizer> {
    if terms.is_empty() {
        return Err(invalid(
            "the vocabulary is empty (no word or character n-grams): no sentence would have a feature".into(),
        ));
    }
    let idf = decode_f32(idf_text, "idf")?;
    Featurizer::from_vocabulary(normalizer, tokenizer, vectorizer, terms, idf).map_err(invalid_part)
}

impl Normalization {
    fn new(n: &Normalizer) -> Normalization {
        let NormalizeOptions {
            presentation_forms,
            diacritics,
            tatweel,
            alef,
            alef_maqsura,
            teh_marbuta,
            hamza_carriers,
            persian_forms,
            digits,
            punctuation,
            zero_width,
            lowercase,
            collapse_whitespace,
        } = *n.options();
        Normalization {
            presentation_forms,
            diacritics,
            tatweel,
            alef,
            alef_maqsura,
            teh_marbuta,
            hamza_carriers,
            persian_forms,
            digits,
            punctuation,
            zero_width,
            lowercase,
            collapse_whitespace,
            table_fingerprint: n.fingerprint(),
        }
    }

    /// The normalizer, if its fingerprint in this build is the file's.
    fn into_normalizer(self) -> Result<Normalizer> {
        let Normalization {
            presentation_forms,
            diacritics,
            tatweel,
            alef,
            alef_maqsura,
            teh_marbuta,
            hamza_carriers,
            persian_forms,
            digits,
            punctuation,
            zero_width,
            lowercase,
            collapse_whitespace,
            table_fingerprint,
        } = self;
        let n = Normalizer::new(NormalizeOptions {
            presentation_forms,
            diacritics,
            tatweel,
            alef,
            alef_maqsura,
            teh_marbuta,
            hamza_carriers,
            persian_forms,
            digits,
            punctuation,
            zero_width,
            lowercase,
            collapse_whitespace,
        });
        same_fingerprint(
            "the normalization table",
            &table_fingerprint,
            &n.fingerprint(),
        )?;
        Ok(n)
    }
}

impl Tokenization {
    fn new(o: &TokenizeOptions) -> Tokenization {
        let TokenizeOptions {
            word_min,
            word_max,
            char_min,
            char_max,
            strip_clitics,
            stopwords,
        } = *o;
        Tokenization {
            word_min,
            word_max,
            char_min,
            char_max,
            strip_clitics,
            stopwords,
            word_chars_fingerprint: tokenize::word_chars_fingerprint().to_string(),
            stopword_list: stopwords
                .then(|| tokenize::STOPWORDS.iter().map(|w| w.to_string()).collect()),
            clitic_rules: strip_clitics.then(CliticRules::this_build),
        }
    }

    /// The tokenizer, if this build has the file's word characters, stopwords and
    /// clitic rules.
    fn into_tokenizer(self) -> Result<Tokenizer> {
        let Tokenization {
            word_min,
            word_max,
            char_min,
            char_max,
            strip_clitics,
            stopwords,
            word_chars_fingerprint,
            stopword_list,
            clitic_rules,
        } = self;
        let tokenizer = Tokenizer::new(TokenizeOptions {
            word_min,
            word_max,
            char_min,
            char_max,
            strip_clitics,
            stopwords,
        })
        .map_err(invalid_part)?;
        same_fingerprint(
            "the word-character table",
            &word_chars_fingerprint,
            tokenize::word_chars_fingerprint(),
        )?;
        match (stopwords, stopword_list) {
            (true, Some(list)) => same_stopwords(&list)?,
            (false, None) => {}
            (on, _) => return Err(stored_iff("stopwords", "stopword_list", on)),
        }
        match (strip_clitics, clitic_rules) {
            (true, Some(rules)) => rules.same_as_this_build()?,
            (false, None) => {}
            (on, _) => return Err(stored_iff("strip_clitics", "clitic_rules", on)),
        }
        Ok(tokenizer)
    }
}

/// A list stored although its switch is off, or missing although it is on.
fn stored_iff(switch: &str, list: &str, on: bool) -> Error {
    invalid(if on {
        format!("tokenizer: {switch} is on but {list} is null")
    } else {
        format!("tokenizer: {switch} is off but {list} is not null")
    })
}

/// Refuse a stopword list that is not, as a set, this build's.
fn same_stopwords(list: &[String]) -> Result<()> {
    let file: BTreeSet<&str> = list.iter().map(String::as_str).collect();
    let build: BTreeSet<&str> = tokenize::STOPWORDS.iter().copied().collect();
    if file == build {
        return Ok(());
    }
    let added: Vec<&str> = build.difference(&file).copied().collect();
    let removed: Vec<&str> = file.difference(&build).copied().collect();
    let part = |words: &[&str], done: &str| {
        const SHOWN: usize = 5;
        let mut quoted: Vec<String> = words.iter().take(SHOWN).map(|w| format!("'{w}'")).collect();
        if words.len() > SHOWN {
            quoted.push("…".into());
        }
        format!(
            "{} word{} {done} ({})",
            words.len(),
            if words.len() == 1 { "" } else { "s" },
            quoted.join(", ")
        )
    };
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(part(&added, "added"));
    }
    if !removed.is_empty() {
        parts.push(part(&removed, "removed"));
    }
    Err(ModelError::FeaturesDiffer {
        what: "the stopword list",
        difference: format!("this build's has {}", parts.join(" and ")),
    }
    .into())
}

impl CliticRules {
    fn this_build() -> CliticRules {
        let owned = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        CliticRules {
            articles: owned(tokenize::ARTICLES),
            proclitics: owned(tokenize::PROCLITICS),
            article_min_rest: tokenize::ARTICLE_MIN_REST,
            proclitic_min_rest: tokenize::PROCLITIC_MIN_REST,
        }
    }

    /// Refuse rules that are not this build's, saying which part differs.
    fn same_as_this_build(&self) -> Result<()> {
        let build = CliticRules::this_build();
        let list = |l: &[String]| {
            let quoted: Vec<String> = l.iter().map(|s| format!("'{s}'")).collect();
            format!("[{}]", quoted.join(", "))
        };
        let mut parts = Vec::new();
        if self.articles != build.articles {
            parts.push(format!(
                "articles {} in the file, {} in this build",
                list(&self.articles),
                list(&build.articles)
            ));
        }
        if self.proclitics != build.proclitics {
            parts.push(format!(
                "proclitics {} in the file, {} in this build",
                list(&self.proclitics),
                list(&build.proclitics)
            ));
        }
        for (what, file, this) in [
            (
                "letters kept after an article",
                self.article_min_rest,
                build.article_min_rest,
            ),
            (
                "letters kept after a proclitic",
                self.proclitic_min_rest,
                build.proclitic_min_rest,
            ),
        ] {
            if file != this {
                parts.push(format!(
                    "{what}: at least {file} in the file, {this} in this build"
                ));
            }
        }
        if parts.is_empty() {
            return Ok(());
        }
        Err(ModelError::FeaturesDiffer {
            what: "the clitic rule set",
            difference: parts.join("; "),
        }
        .into())
    }
}

/// Refuse a table whose fingerprint in this build is not the file's.
fn same_fingerprint(what: &'static str, file: &str, build: &str) -> Result<()> {
    if file == build {
        return Ok(());
    }
    Err(ModelError::FeaturesDiffer {
        what,
        difference: format!("fingerprint {file} in the file, {build} in this build"),
    }
    .into())
}

impl From<VectorizeOptions> for Vectorization {
    fn from(o: VectorizeOptions) -> Self {
        let VectorizeOptions {
            min_df,
            max_df,
            max_features,
            sublinear_tf,
            smooth_idf,
            word_weight,
            char_weight,
        } = o;
        Vectorization {
            min_df,
            max_df,
            max_features,
            sublinear_tf,
            smooth_idf,
            word_weight,
            char_weight,
        }
    }
}

impl From<Vectorization> for VectorizeOptions {
    fn from(v: Vectorization) -> Self {
        let Vectorization {
            min_df,
            max_df,
            max_features,
            sublinear_tf,
            smooth_idf,
            word_weight,
            char_weight,
        } = v;
        VectorizeOptions {
            min_df,
            max_df,
            max_features,
            sublinear_tf,
            smooth_idf,
            word_weight,
            char_weight,
        }
    }
}

impl From<TrainingInfo> for Training {
    fn from(i: TrainingInfo) -> Self {
        let TrainingInfo {
            crate_version,
            sentences,
            sentences_per_label,
            data_hash,
            options,
            iterations,
        } = i;
        Training {
            crate_version,
            sentences,
            sentences_per_label,
            data_hash,
            options: options.into(),
            iterations,
        }
    }
}

impl From<Training> for TrainingInfo {
    fn from(t: Training) -> Self {
        let Training {
            crate_version,
            sentences,
            sentences_per_label,
            data_hash,
            options,
            iterations,
        } = t;
        TrainingInfo {
            crate_version,
            sentences,
            sentences_per_label,
            data_hash,
            options: options.into(),
            iterations,
        }
    }
}

impl From<TrainOptions> for Solving {
    fn from(o: TrainOptions) -> Self {
        let TrainOptions {
            alpha,
            max_iterations,
            gradient_tolerance,
            cost_tolerance,
            solver,
            class_weight,
        } = o;
        Solving {
            alpha,
            max_iterations,
            gradient_tolerance,
            cost_tolerance,
            solver: match solver {
                Solver::Linfa => StoredSolver::Linfa,
                Solver::Sparse => StoredSolver::Sparse,
            },
            class_weight: match class_weight {
                ClassWeight::None => StoredClassWeight::None,
                ClassWeight::Balanced => StoredClassWeight::Balanced,
            },
        }
    }
}

impl From<Solving> for TrainOptions {
    fn from(s: Solving) -> Self {
        let Solving {
            alpha,
            max_iterations,
            gradient_tolerance,
            cost_tolerance,
            solver,
            class_weight,
        } = s;
        TrainOptions {
            alpha,
            max_iterations,
            gradient_tolerance,
            cost_tolerance,
            solver: match solver {
                StoredSolver::Linfa => Solver::Linfa,
                StoredSolver::Sparse => Solver::Sparse,
            },
            class_weight: match class_weight {
                StoredClassWeight::None => ClassWeight::None,
                StoredClassWeight::Balanced => ClassWeight::Balanced,
            },
        }
    }
}

fn features_version_error(found: u32) -> Error {
    ModelError::FeaturesVersion {
        found,
        computed: FEATURES_VERSION,
    }
    .into()
}

pub(super) fn encode_f32(v: &[f32]) -> String {
    let mut bytes = Vec::with_capacity(v.len() * 4);
    for x in v {
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The stored word and character n-grams as one vocabulary, words first.
fn vocabulary(words: &[Text<'_>], chars: &[Text<'_>]) -> Vocabulary {
    let bytes = words.iter().chain(chars).map(|t| t.0.len()).sum();
    let mut v = Vocabulary::with_capacity(words.len() + chars.len(), bytes);
    for (kind, texts) in [(FeatureKind::Word, words), (FeatureKind::Char, chars)] {
        for t in texts {
            v.push(kind, &t.0).expect("words come before characters");
        }
    }
    v
}

fn decode_f32(s: &str, what: &str) -> Result<Vec<f32>> {
    let bytes = super::base64::decode(s).map_err(|e| invalid(format!("{what}: {e}")))?;
    if bytes.len() % 4 != 0 {
        return Err(invalid(format!(
            "{what}: {} bytes is not a whole number of f32",
            bytes.len()
        )));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

fn invalid(msg: String) -> Error {
    Error::Model(ModelError::Invalid(msg))
}

/// A part of the content refused by its constructor: the constructor's reason, as a
/// fact about the file (a model file has no options to get wrong).
fn invalid_part(e: Error) -> Error {
    match e {
        Error::Parts(p) => Error::Model(ModelError::Parts(p)),
        other => invalid(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::LabeledSentence;
    use crate::model_file::{frame, unframe};
    use crate::pipeline::TrainConfig;
    use serde_json::Value;

    /// A small trained pipeline (labels `defection`, `military_advance`); `tune`
    /// changes the default config first.
    fn trained_with(tune: fn(&mut TrainConfig)) -> Pipeline {
        let s = LabeledSentence::new;
        let data = [
            s("انشق عشرات المقاتلين عن التنظيم", "defection"),
            s("فر قائد ميداني من صفوف التنظيم", "defection"),
            s("تقدمت القوات نحو المدينة", "military_advance"),
            s("سيطرت القوات على ثلاث قرى", "military_advance"),
        ];
        let mut config = TrainConfig::default();
        config.vectorize.min_df = 1;
        config.vectorize.max_df = 1.0;
        tune(&mut config);
        Pipeline::fit(&data, &config).unwrap()
    }

    fn trained() -> Pipeline {
        trained_with(|_| {})
    }

    /// Stopwords and clitic stripping both on: every stored list is present.
    fn trained_with_every_list() -> Pipeline {
        trained_with(|c| {
            c.tokenize.stopwords = true;
            c.tokenize.strip_clitics = true;
        })
    }

    /// The JSON content of a pipeline's model file.
    fn content_of(p: &Pipeline) -> Value {
        serde_json::from_slice(unframe(&p.to_bytes().unwrap()).unwrap()).unwrap()
    }

    fn content() -> Value {
        content_of(&trained())
    }

    /// Load `content` framed with a valid header and checksum.
    fn load(content: &Value) -> Result<Pipeline> {
        Pipeline::from_bytes(&frame(&serde_json::to_vec(content).unwrap()))
    }

    /// Why a framed `content` is refused; panics if it loads.
    fn refusal(content: &Value) -> ModelError {
        match load(content) {
            Err(Error::Model(e)) => e,
            Err(e) => panic!("refused, but not as a model error: {e}"),
            Ok(_) => panic!("loaded"),
        }
    }

    /// The reason a framed `content` is refused as invalid; panics otherwise.
    fn refused(content: &Value) -> String {
        match refusal(content) {
            ModelError::Invalid(why) => why,
            e @ ModelError::Parts(_) => e.to_string(),
            e => panic!("refused, but not as invalid content: {e}"),
        }
    }

    /// Every object of the content that is a stored struct (not a map such as
    /// `sentences_per_label`), as a JSON pointer, with its field names.
    fn structs(c: &Value) -> Vec<(String, Vec<String>)> {
        fn walk(v: &Value, at: String, out: &mut Vec<(String, Vec<String>)>) {
            let Value::Object(m) = v else { return };
            if at.ends_with("/sentences_per_label") {
                return;
            }
            out.push((at.clone(), m.keys().cloned().collect()));
            for (k, v) in m {
                walk(v, format!("{at}/{k}"), out);
            }
        }
        let mut out = Vec::new();
        walk(c, String::new(), &mut out);
        out
    }

    #[test]
    fn reframed_content_loads() {
        let p = load(&content()).unwrap();
        assert_eq!(p.labels(), ["defection", "military_advance"]);
    }

    #[test]
    fn save_load_save_gives_the_same_bytes() {
        for p in [trained(), trained_with_every_list()] {
            let bytes = p.to_bytes().unwrap();
            let back = Pipeline::from_bytes(&bytes).unwrap();
            assert_eq!(back.to_bytes().unwrap(), bytes);
            let text = "انشق قائد عن التنظيم وتقدمت القوات";
            assert_eq!(back.predict(text), p.predict(text));
        }
    }

    #[test]
    fn the_content_stores_what_defines_features() {
        let c = content_of(&trained_with_every_list());
        assert_eq!(c["features_version"], FEATURES_VERSION);
        let t = &c["tokenizer"];
        let stopwords: Vec<&str> = t["stopword_list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        assert_eq!(stopwords, tokenize::STOPWORDS);
        assert_eq!(t["clitic_rules"]["articles"][0], tokenize::ARTICLES[0]);
        assert_eq!(
            t["clitic_rules"]["proclitic_min_rest"],
            tokenize::PROCLITIC_MIN_REST
        );
        for fp in [
            &t["word_chars_fingerprint"],
            &c["normalizer"]["table_fingerprint"],
        ] {
            let fp = fp.as_str().unwrap();
            assert!(fp.starts_with("fnv1a64:") && fp.len() == 24, "{fp}");
        }
        // Lists whose switch is off are null, not left out.
        let c = content_of(&trained_with(|c| c.tokenize.stopwords = false));
        assert_eq!(c["tokenizer"]["stopword_list"], Value::Null);
        assert_eq!(c["tokenizer"]["clitic_rules"], Value::Null);
    }

    #[test]
    fn a_missing_field_is_refused_by_name() {
        for c in [content(), content_of(&trained_with_every_list())] {
            for (at, keys) in structs(&c) {
                for key in keys {
                    let mut edited = c.clone();
                    edited
                        .pointer_mut(&at)
                        .unwrap()
                        .as_object_mut()
                        .unwrap()
                        .remove(&key);
                    let why = refused(&edited);
                    assert!(
                        why.contains(&format!("missing field `{key}`")),
                        "{at}/{key}: {why}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_unknown_field_is_refused_by_name() {
        let c = content_of(&trained_with_every_list());
        for (at, _) in structs(&c) {
            let mut edited = c.clone();
            edited
                .pointer_mut(&at)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert("added_later".into(), Value::from(true));
            let why = refused(&edited);
            assert!(why.contains("unknown field `added_later`"), "{at}: {why}");
        }
    }

    #[test]
    fn another_features_version_is_refused() {
        let computed = FEATURES_VERSION;
        let mut same_layout = content();
        same_layout["features_version"] = Value::from(computed + 1);
        // A build that computes features otherwise may lay the content out otherwise.
        let mut other_layout = same_layout.clone();
        other_layout["tokenizer"]["added_later"] = Value::from(1);
        for c in [same_layout, other_layout] {
            let e = refusal(&c);
            assert_eq!(
                e,
                ModelError::FeaturesVersion {
                    found: computed + 1,
                    computed
                }
            );
            let msg = e.to_string();
            assert!(
                msg.contains(&format!("features version {}", computed + 1))
                    && msg.contains(&format!("computes features version {computed}"))
                    && !msg.contains("tasnif train"),
                "{msg}"
            );
        }
    }

    #[test]
    fn a_stopword_list_that_is_not_this_builds_is_refused() {
        let c = content();
        let list = |c: &Value| c["tokenizer"]["stopword_list"].as_array().unwrap().clone();
        // As a set it is the same list: the order does not matter.
        let mut reordered = c.clone();
        let mut words = list(&c);
        words.reverse();
        reordered["tokenizer"]["stopword_list"] = Value::Array(words);
        load(&reordered).unwrap();
        // The file lacks one word this build has, and has three it has not.
        let mut changed = c.clone();
        let mut words = list(&c);
        let dropped = words.remove(3);
        words.extend(["حرب", "جيش", "قصف"].map(Value::from));
        changed["tokenizer"]["stopword_list"] = Value::Array(words);
        let e = refusal(&changed);
        let msg = e.to_string();
        assert!(matches!(
            e,
            ModelError::FeaturesDiffer {
                what: "the stopword list",
                ..
            }
        ));
        assert!(
            msg.starts_with(&format!(
                "the stopword list differs from this build's: this build's has 1 word added ('{}') and 3 words removed (",
                dropped.as_str().unwrap()
            )) && msg.contains("'قصف'")
                && !msg.contains("tasnif train"),
            "{msg}"
        );
    }

    #[test]
    fn clitic_rules_that_are_not_this_builds_are_refused() {
        let c = content_of(&trained_with_every_list());
        let mut changed = c.clone();
        changed["tokenizer"]["clitic_rules"]["proclitics"]
            .as_array_mut()
            .unwrap()
            .pop();
        changed["tokenizer"]["clitic_rules"]["article_min_rest"] = Value::from(3);
        let msg = refusal(&changed).to_string();
        assert!(
            msg.starts_with("the clitic rule set differs from this build's: proclitics ['و', 'ف', 'ب', 'ك'] in the file, ['و', 'ف', 'ب', 'ك', 'ل'] in this build; letters kept after an article: at least 3 in the file, 2 in this build"),
            "{msg}"
        );
    }

    #[test]
    fn a_table_fingerprint_that_is_not_this_builds_is_refused() {
        let other = "fnv1a64:0123456789abcdef";
        let edits: [(&str, &str, &str); 2] = [
            (
                "/normalizer",
                "table_fingerprint",
                "the normalization table",
            ),
            (
                "/tokenizer",
                "word_chars_fingerprint",
                "the word-character table",
            ),
        ];
        for (at, key, what) in edits {
            let mut c = content();
            let ours = c.pointer(&format!("{at}/{key}")).unwrap().clone();
            c.pointer_mut(at).unwrap()[key] = Value::from(other);
            let msg = refusal(&c).to_string();
            assert!(
                msg.starts_with(&format!(
                    "{what} differs from this build's: fingerprint {other} in the file, {} in this build",
                    ours.as_str().unwrap()
                )),
                "{msg}"
            );
        }
    }

    #[test]
    fn a_list_must_be_stored_exactly_when_its_switch_is_on() {
        let mut on_without_list = content();
        on_without_list["tokenizer"]["stopword_list"] = Value::Null;
        let why = refused(&on_without_list);
        assert!(
            why.contains("stopwords is on but stopword_list is null"),
            "{why}"
        );
        let mut off_with_list = content();
        off_with_list["tokenizer"]["clitic_rules"] =
            content_of(&trained_with_every_list())["tokenizer"]["clitic_rules"].clone();
        let why = refused(&off_with_list);
        assert!(
            why.contains("strip_clitics is off but clitic_rules is not null"),
            "{why}"
        );
    }

    /// `content` framed as format `version` (with a valid length and checksum).
    fn framed_as(version: u32, content: &Value) -> Vec<u8> {
        let json = serde_json::to_vec(content).unwrap();
        let mut bytes = format!(
            "tasnif-model format={version} length={} crc32={:08x}\n",
            json.len(),
            crc32fast::hash(&json)
        )
        .into_bytes();
        bytes.extend_from_slice(&json);
        bytes
    }

    #[test]
    fn files_of_older_versions_are_refused_with_their_version() {
        // Version 1: no features version, lists or fingerprints. Version 2: no
        // temperature, which is not read as 1: the file is refused before its content.
        let mut v2 = content();
        v2.as_object_mut().unwrap().remove("temperature");
        for (version, c) in [(1, content()), (2, v2)] {
            let e = Pipeline::from_bytes(&framed_as(version, &c)).unwrap_err();
            assert!(
                matches!(&e, Error::Model(ModelError::FormatVersion { found, supported: 3 }) if *found == version.to_string()),
                "{e}"
            );
            assert_eq!(
                e.to_string(),
                format!("model file format version {version}, but this tasnif reads version 3")
            );
        }
    }

    #[test]
    fn the_temperature_is_stored_and_must_be_there() {
        let c = content();
        assert_eq!(c["temperature"], Value::from(1.0));
        let mut missing = c.clone();
        missing.as_object_mut().unwrap().remove("temperature");
        let why = refused(&missing);
        assert!(why.contains("missing field `temperature`"), "{why}");
        let mut null = c.clone();
        null["temperature"] = Value::Null;
        let why = refused(&null);
        assert!(why.contains("invalid type: null"), "{why}");
    }

    #[test]
    fn a_temperature_that_is_not_above_0_is_refused_with_its_value() {
        for t in [0.0, -1.5] {
            let mut c = content();
            c["temperature"] = Value::from(t);
            assert_eq!(
                refusal(&c),
                ModelError::Parts(crate::error::PartsError::InvalidTemperature {
                    temperature: t as f32
                })
            );
        }
    }

    #[test]
    fn a_calibrated_model_keeps_its_temperature_through_save_and_load() {
        let p = trained().with_temperature(2.5).unwrap();
        let bytes = p.to_bytes().unwrap();
        assert_eq!(content_of(&p)["temperature"], Value::from(2.5));
        let back = Pipeline::from_bytes(&bytes).unwrap();
        assert_eq!(back.temperature(), 2.5);
        assert_eq!(back.to_bytes().unwrap(), bytes);
    }

    #[test]
    fn marker_labels_are_refused() {
        // Each marker in a place that keeps the labels sorted and distinct.
        for (i, marker) in [(0, "(no text)"), (0, "(unknown)"), (1, "uncertain")] {
            let mut c = content();
            c["labels"][i] = Value::from(marker);
            let why = refused(&c);
            assert!(
                why.contains(&format!("'{marker}'")) && why.contains("reserved"),
                "{marker}: {why}"
            );
        }
    }

    #[test]
    fn parts_that_do_not_fit_are_refused_with_their_values() {
        let mut c = content();
        let terms = c["word_vocabulary"].as_array().unwrap().len()
            + c["char_vocabulary"].as_array().unwrap().len();
        c["idf_f32le"] = Value::from(encode_f32(&[1.0, 2.0]));
        assert_eq!(
            refusal(&c),
            ModelError::Parts(crate::error::PartsError::IdfLength { terms, idf: 2 })
        );
    }

    /// A case of edited content: name, the edit, what the reason must say.
    type Edit = (&'static str, fn(&mut Value), &'static str);

    #[test]
    fn useless_or_inconsistent_content_is_refused() {
        let edits: &[Edit] = &[
            (
                "empty vocabulary",
                |c| {
                    c["word_vocabulary"] = Value::Array(Vec::new());
                    c["char_vocabulary"] = Value::Array(Vec::new());
                    c["idf_f32le"] = Value::from("");
                    c["weights_f32le"] = Value::from("");
                },
                "vocabulary is empty",
            ),
            (
                "NaN idf",
                |c| {
                    let n = c["word_vocabulary"].as_array().unwrap().len()
                        + c["char_vocabulary"].as_array().unwrap().len();
                    let mut idf = vec![1.5f32; n];
                    idf[n / 2] = f32::NAN;
                    c["idf_f32le"] = Value::from(encode_f32(&idf));
                },
                "idf",
            ),
            (
                "zero idf",
                |c| {
                    let n = c["word_vocabulary"].as_array().unwrap().len()
                        + c["char_vocabulary"].as_array().unwrap().len();
                    c["idf_f32le"] = Value::from(encode_f32(&vec![0.0; n]));
                },
                "idf",
            ),
            (
                "idf shorter than the vocabulary",
                |c| c["idf_f32le"] = Value::from(encode_f32(&[1.0])),
                "idf values",
            ),
            (
                "no block weighs anything",
                |c| {
                    c["vectorizer"]["word_weight"] = Value::from(0.0);
                    c["vectorizer"]["char_weight"] = Value::from(0.0);
                },
                "weight above 0",
            ),
            (
                "infinite weight",
                |c| {
                    let mut w = decode_f32(c["weights_f32le"].as_str().unwrap(), "w").unwrap();
                    w[0] = f32::INFINITY;
                    c["weights_f32le"] = Value::from(encode_f32(&w));
                },
                "infinity",
            ),
        ];
        for (name, edit, needle) in edits {
            let mut c = content();
            edit(&mut c);
            let why = refused(&c);
            assert!(why.contains(needle), "{name}: {why}");
            assert!(
                !why.contains("invalid option"),
                "{name}: a model file has no options: {why}"
            );
        }
    }
}
