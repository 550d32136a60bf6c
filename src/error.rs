//! The library's error type.

use std::fmt;

use crate::tokenize::FeatureKind;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library. Messages state what is wrong and name
/// the offending values; they say nothing of flags or commands, which the command-line
/// tool adds (with the file name) where it reports an error.
///
/// The variants that wrap another error ([`Error::Params`], [`Error::Records`],
/// [`Error::Linfa`], [`Error::Parts`], [`Error::Csv`], [`Error::Model`], [`Error::Io`]) are transparent: they display as the wrapped error and hand on its
/// source, so printing an error and then its chain of sources says each thing once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An n-gram range is not `1 <= min <= max <= largest`, nor `0..0` (off).
    #[error("{} n-gram range {min}..{max} is invalid: need 1 <= min <= max <= {largest}, or 0..0 to turn it off", kind_name(*.kind))]
    InvalidNgramRange {
        /// Word or character n-grams.
        kind: FeatureKind,
        /// The smallest n asked for.
        min: usize,
        /// The largest n asked for.
        max: usize,
        /// The largest n supported for this kind.
        largest: usize,
    },

    /// Both word and character n-grams are off.
    #[error("both word and char n-grams are off: no features would be made")]
    NoNgrams,

    /// `max_df` is not in (0, 1].
    #[error("max_df {max_df} must be in (0, 1]")]
    InvalidMaxDf {
        /// The value given.
        max_df: f64,
    },

    /// A block weight (`word_weight`, `char_weight`) is negative, NaN or infinite.
    #[error("{}_weight {weight} must be a finite number >= 0", kind_name(*.kind))]
    InvalidFeatureWeight {
        /// The block the weight is for.
        kind: FeatureKind,
        /// The value given.
        weight: f32,
    },

    /// No n-gram block that is on has a weight above 0, so every row would be empty.
    #[error("no n-gram block that is on has a weight above 0 ({}): every sentence would have no features", list_blocks(.blocks))]
    NoWeightedBlock {
        /// The blocks that are on, each with its weight (all 0).
        blocks: Vec<(FeatureKind, f32)>,
    },

    /// Fewer than two folds asked for.
    #[error("folds {folds}: need at least 2")]
    TooFewFolds {
        /// The number of folds asked for.
        folds: usize,
    },

    /// Fewer articles (groups) than folds.
    #[error("{folds} folds but only {groups} article(s) to spread over them")]
    TooFewGroups {
        /// The number of folds asked for.
        folds: usize,
        /// The number of articles (or of sentences, when not grouped).
        groups: usize,
    },

    /// No feature is frequent enough and rare enough to enter the vocabulary.
    #[error("the vocabulary is empty: no feature is in at least min_df {min_df} sentence(s) and in at most the fraction max_df {max_df} of them")]
    EmptyVocabulary {
        /// The `min_df` used.
        min_df: usize,
        /// The `max_df` used.
        max_df: f64,
    },

    /// A count that must be at least 1 is 0 (`n` or `per_doc` of the suggestion
    /// options).
    #[error("{option} 0: need at least 1")]
    ZeroCount {
        /// The option's name.
        option: &'static str,
    },

    /// A similarity threshold is not in (0, 1].
    #[error("similarity {value} must be in (0, 1]")]
    InvalidSimilarity {
        /// The value given.
        value: f64,
    },

    /// Saved parts of a featurizer or model do not fit together.
    #[error(transparent)]
    Parts(#[from] PartsError),

    /// Training data a classifier cannot be trained on.
    #[error("training data: {0}")]
    TrainingData(#[from] TrainingDataError),

    /// The solver failed.
    #[error("training failed: {0}")]
    Training(String),

    /// A training parameter is out of range, or parameters contradict each other.
    #[error(transparent)]
    Params(#[from] crate::model::ParamsError),

    /// Sparse rows break an invariant of [`crate::sparse::SparseRecords`].
    #[error(transparent)]
    Records(#[from] crate::sparse::RecordsError),

    /// linfa refused the dataset (targets or weights that do not match the records).
    #[error(transparent)]
    Linfa(#[from] linfa::Error),

    /// A labeled-sentence CSV could not be read.
    #[error(transparent)]
    Csv(#[from] CsvError),

    /// Evaluation data carries labels the model was not trained on.
    #[error("labels not known to the model: {}; the model knows: {}", list_counts(.unknown), .known.join(", "))]
    UnknownLabels {
        /// Each unknown label with the number of sentences that carry it.
        unknown: Vec<(String, usize)>,
        /// The model's labels.
        known: Vec<String>,
    },

    /// No held-out sentence can be used to fit a temperature: each has no words, no
    /// feature of the model, or a label the model does not have.
    #[error("none of the {sentences} held-out sentence(s) can be used to fit a temperature: {no_text} have no words, {unknown} no feature of the model, {unknown_label} a label the model does not have")]
    NothingToCalibrate {
        /// Sentences given.
        sentences: usize,
        /// Sentences with no words.
        no_text: usize,
        /// Sentences with words but no feature of the model.
        unknown: usize,
        /// Sentences whose label is not one of the model's.
        unknown_label: usize,
    },

    /// A bootstrap asked for no resamples.
    #[error("bootstrap resamples {resamples}: need at least 1")]
    TooFewResamples {
        /// The number of resamples asked for.
        resamples: usize,
    },

    /// A confidence level outside (0, 1).
    #[error("confidence {confidence} must be in (0, 1)")]
    InvalidConfidence {
        /// The value given.
        confidence: f64,
    },

    /// Figures asked of no sentences.
    #[error("no sentences to score")]
    NoSentences,

    /// A model file could not be loaded.
    #[error(transparent)]
    Model(#[from] ModelError),

    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// `word` or `char`, as in the option names.
fn kind_name(kind: FeatureKind) -> &'static str {
    match kind {
        FeatureKind::Word => "word",
        FeatureKind::Char => "char",
    }
}

fn list_blocks(blocks: &[(FeatureKind, f32)]) -> String {
    blocks
        .iter()
        .map(|&(k, w)| format!("{0} n-grams with {0}_weight {w}", kind_name(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list_counts(items: &[(String, usize)]) -> String {
    items
        .iter()
        .map(|(l, n)| format!("'{l}' ({n} sentence{})", if *n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Saved parts (vocabulary, IDF, weights) that do not fit together, as when a
/// featurizer or model is rebuilt from a model file's content.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PartsError {
    /// The vocabulary and the IDF values differ in length.
    #[error("{terms} terms but {idf} idf values")]
    IdfLength {
        /// Terms in the vocabulary.
        terms: usize,
        /// IDF values.
        idf: usize,
    },
    /// An IDF value is not a finite number above 0.
    #[error("idf value {value}: every idf must be a finite number > 0")]
    InvalidIdf {
        /// The first bad value.
        value: f32,
    },
    /// A word term comes after a character term.
    #[error("word terms must come before char terms")]
    TermOrder,
    /// A term is twice in the vocabulary.
    #[error("duplicate {} term '{text}' in the vocabulary", kind_name(*.kind))]
    DuplicateTerm {
        /// Word or character n-gram.
        kind: FeatureKind,
        /// The term's text.
        text: String,
    },
    /// The weights or intercepts are not `n_features × n_classes` and `n_classes`
    /// long, or there are no classes.
    #[error("weights {weights} / intercept {intercept} do not fit {n_features} features × {n_classes} classes")]
    WeightsShape {
        /// Weights given.
        weights: usize,
        /// Intercepts given.
        intercept: usize,
        /// Features.
        n_features: usize,
        /// Classes.
        n_classes: usize,
    },
    /// A weight or intercept is NaN or infinite.
    #[error("weights contain NaN or infinity")]
    NonFiniteWeights,
    /// A temperature is not a finite number above 0.
    #[error("temperature {temperature}: it must be a finite number > 0")]
    InvalidTemperature {
        /// The value given.
        temperature: f32,
    },
}

/// A problem in a labeled-sentence CSV, with the line it was found on (1-based; the
/// header is line 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CsvError {
    /// Line number in the file (1-based), 0 when the problem is the file as a whole.
    pub line: u64,
    /// What is wrong.
    pub kind: CsvErrorKind,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: ", self.line)?;
        }
        write!(f, "{}", self.kind)
    }
}

/// What is wrong in a CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CsvErrorKind {
    /// The file has no header line.
    Empty,
    /// A wanted column is missing from the header.
    MissingColumn {
        /// The column asked for.
        wanted: String,
        /// The columns the header has.
        available: Vec<String>,
    },
    /// Two header fields have the same name.
    DuplicateColumn(String),
    /// A record has a different number of fields than the header.
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in the record.
        found: usize,
    },
    /// A required field is empty.
    EmptyField(String),
    /// Bytes that are not UTF-8.
    InvalidUtf8 {
        /// Byte offset of the first bad byte from the start of the file.
        byte: u64,
    },
    /// Any other CSV syntax problem.
    Syntax(String),
    /// The file has a header but no records.
    NoRecords,
}

impl fmt::Display for CsvErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvErrorKind::Empty => write!(
                f,
                "the file is empty; expected a header line such as 'doc,text,label'"
            ),
            CsvErrorKind::MissingColumn { wanted, available } => write!(
                f,
                "no column '{wanted}' in the header; the columns are: {}",
                available
                    .iter()
                    .map(|c| format!("'{c}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CsvErrorKind::DuplicateColumn(name) => {
                write!(f, "the header names column '{name}' twice")
            }
            CsvErrorKind::FieldCount { expected, found } => write!(
                f,
                "expected {expected} fields as in the header, found {found}"
            ),
            CsvErrorKind::EmptyField(col) => write!(f, "the '{col}' field is empty"),
            CsvErrorKind::InvalidUtf8 { byte } => {
                write!(f, "invalid UTF-8 at byte offset {byte}")
            }
            CsvErrorKind::Syntax(msg) => write!(f, "{msg}"),
            CsvErrorKind::NoRecords => write!(f, "the file has a header but no sentences"),
        }
    }
}

/// Why a model file could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The bytes do not start with the tasnif model header.
    #[error("not a tasnif model file (it does not start with 'tasnif-model')")]
    NotAModel,
    /// The file is of another format version.
    #[error("model file format version {found}, but this tasnif reads version {supported}")]
    FormatVersion {
        /// Version in the file.
        found: String,
        /// Version this build reads.
        supported: u32,
    },
    /// The file is shorter or longer than its header says.
    #[error(
        "model file is truncated or padded: header says {expected} bytes of content, found {found}"
    )]
    Length {
        /// Content length from the header.
        expected: usize,
        /// Content length present.
        found: usize,
    },
    /// The checksum does not match the content.
    #[error(
        "model file is damaged: checksum {found:08x} does not match {expected:08x} in its header"
    )]
    Checksum {
        /// Checksum in the header.
        expected: u32,
        /// Checksum of the content.
        found: u32,
    },
    /// The file's features were computed the way another tasnif version computes them.
    #[error(
        "model file features version {found}, but this tasnif computes features version {computed}"
    )]
    FeaturesVersion {
        /// Features version in the file.
        found: u32,
        /// Features version this build computes.
        computed: u32,
    },
    /// Something that defines features (a word list, a table's fingerprint) is not
    /// what this build has, so it would compute other features than the trainer did.
    #[error("{what} differs from this build's: {difference}")]
    FeaturesDiffer {
        /// What differs, e.g. "the stopword list".
        what: &'static str,
        /// How, e.g. "this build's has 3 words added (…) and 1 word removed (…)".
        difference: String,
    },
    /// The content is not a valid model despite a good checksum: the reason, from
    /// the JSON parser or a check of the content.
    #[error("model file content is invalid: {0}")]
    Invalid(String),
    /// The content's vocabulary, IDF and weights do not fit together.
    #[error("model file content is invalid: {0}")]
    Parts(PartsError),
}

/// What makes training data unusable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TrainingDataError {
    /// There is nothing to train on.
    #[error("no sentences to train on")]
    NoSentences,

    /// Every sentence carries the same label.
    #[error("every sentence has the label '{label}'; a classifier needs at least two labels")]
    OneLabel {
        /// The only label.
        label: String,
    },

    /// Every row has the same class index.
    #[error("every sentence has the class {class}; a classifier needs at least two classes")]
    OneClass {
        /// The only class index.
        class: usize,
    },

    /// Labels that the output reserves for its markers.
    #[error("{} reserved for output markers ({}); a training label cannot be a marker, rename it in the data", quote_list(.labels, "label", "labels", "is", "are"), quote_all(.markers))]
    ReservedLabels {
        /// The reserved labels found in the data.
        labels: Vec<String>,
        /// Every reserved label.
        markers: Vec<String>,
    },

    /// The records have no feature columns.
    #[error("the records have no features: no sentence can be told from another")]
    NoFeatures,

    /// A sentence weight other than 1 for a solver that cannot weight sentences.
    #[error("the linfa solver cannot weight sentences, but sentence {sentence} weighs {weight}")]
    WeightsUnsupported {
        /// Index of the first sentence whose weight is not 1.
        sentence: usize,
        /// Its weight.
        weight: f64,
    },

    /// A dataset weight that is negative or not finite.
    #[error("sentence {sentence} has the weight {weight}; a weight must be a finite number >= 0")]
    InvalidWeight {
        /// Index of the sentence.
        sentence: usize,
        /// Its weight.
        weight: f32,
    },
}

fn quote_all(items: &[String]) -> String {
    items
        .iter()
        .map(|l| format!("'{l}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn quote_list(items: &[String], one: &str, many: &str, is: &str, are: &str) -> String {
    let (noun, verb) = if items.len() == 1 {
        (one, is)
    } else {
        (many, are)
    };
    format!("{noun} {} {verb}", quote_all(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each variant whose message the library writes itself.
    fn samples() -> Vec<Error> {
        let csv = |kind| Error::Csv(CsvError { line: 3, kind });
        let model = Error::Model;
        vec![
            Error::InvalidNgramRange {
                kind: FeatureKind::Word,
                min: 3,
                max: 1,
                largest: 4,
            },
            Error::NoNgrams,
            Error::InvalidMaxDf { max_df: 2.0 },
            Error::InvalidFeatureWeight {
                kind: FeatureKind::Char,
                weight: -1.0,
            },
            Error::NoWeightedBlock {
                blocks: vec![(FeatureKind::Word, 0.0)],
            },
            Error::TooFewFolds { folds: 1 },
            Error::TooFewGroups {
                folds: 5,
                groups: 2,
            },
            Error::EmptyVocabulary {
                min_df: 100,
                max_df: 0.5,
            },
            TrainingDataError::NoSentences.into(),
            TrainingDataError::OneLabel {
                label: "other".into(),
            }
            .into(),
            TrainingDataError::OneClass { class: 0 }.into(),
            TrainingDataError::ReservedLabels {
                labels: vec!["(error)".into()],
                markers: vec!["(no text)".into(), "(error)".into()],
            }
            .into(),
            TrainingDataError::NoFeatures.into(),
            TrainingDataError::WeightsUnsupported {
                sentence: 4,
                weight: 2.5,
            }
            .into(),
            TrainingDataError::InvalidWeight {
                sentence: 7,
                weight: -1.0,
            }
            .into(),
            Error::ZeroCount { option: "per_doc" },
            Error::InvalidSimilarity { value: 1.5 },
            Error::TooFewResamples { resamples: 0 },
            Error::InvalidConfidence { confidence: 1.5 },
            Error::NoSentences,
            Error::Parts(PartsError::DuplicateTerm {
                kind: FeatureKind::Word,
                text: "قصف".into(),
            }),
            csv(CsvErrorKind::Empty),
            csv(CsvErrorKind::MissingColumn {
                wanted: "text".into(),
                available: vec!["doc".into(), "sentence".into()],
            }),
            csv(CsvErrorKind::DuplicateColumn("text".into())),
            csv(CsvErrorKind::FieldCount {
                expected: 3,
                found: 2,
            }),
            csv(CsvErrorKind::EmptyField("label".into())),
            csv(CsvErrorKind::InvalidUtf8 { byte: 30 }),
            csv(CsvErrorKind::NoRecords),
            model(ModelError::NotAModel),
            model(ModelError::FormatVersion {
                found: "9".into(),
                supported: 2,
            }),
            model(ModelError::Length {
                expected: 10,
                found: 5,
            }),
            model(ModelError::Checksum {
                expected: 1,
                found: 2,
            }),
            model(ModelError::FeaturesVersion {
                found: 9,
                computed: 1,
            }),
            model(ModelError::FeaturesDiffer {
                what: "the stopword list",
                difference: "this build's has 1 word removed ('قصف')".into(),
            }),
            model(ModelError::Parts(PartsError::NonFiniteWeights)),
            Error::Parts(PartsError::InvalidTemperature { temperature: -0.5 }),
            Error::NothingToCalibrate {
                sentences: 4,
                no_text: 1,
                unknown: 2,
                unknown_label: 1,
            },
        ]
    }

    #[test]
    fn messages_state_facts_and_name_no_flag_or_command() {
        for e in samples() {
            let msg = e.to_string();
            assert!(
                !msg.contains("--") && !msg.contains("tasnif train") && !msg.contains('`'),
                "{msg}"
            );
        }
    }

    #[test]
    fn messages_carry_the_values() {
        let msgs: Vec<String> = samples().iter().map(ToString::to_string).collect();
        for needle in [
            "word n-gram range 3..1",
            "max_df 2",
            "char_weight -1",
            "word n-grams with word_weight 0",
            "folds 1",
            "5 folds but only 2",
            "min_df 100",
            "per_doc 0: need at least 1",
            "similarity 1.5",
            "resamples 0",
            "confidence 1.5",
            "duplicate word term 'قصف'",
            "'doc', 'sentence'",
            "expected 3 fields as in the header, found 2",
            "line 3: the 'label' field is empty",
            "byte offset 30",
            "format version 9",
            "the label 'other'",
            "label '(error)' is reserved",
            "sentence 4 weighs 2.5",
            "sentence 7 has the weight -1",
            "temperature -0.5",
            "none of the 4 held-out sentence(s)",
            "2 no feature of the model",
        ] {
            assert!(
                msgs.iter().any(|m| m.contains(needle)),
                "no message says {needle:?}"
            );
        }
    }
}
