//! The library's error type.

use std::fmt;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the library. Messages name the offending values;
/// the command-line tool adds the file name.
///
/// The variants that wrap another error ([`Error::Params`], [`Error::Records`],
/// [`Error::Linfa`], [`Error::Csv`], [`Error::Model`], [`Error::Io`]) are transparent: they display as the wrapped error and hand on its
/// source, so printing an error and then its chain of sources says each thing once.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An option is out of range or options contradict each other.
    #[error("invalid option: {0}")]
    InvalidOption(String),

    /// Training data problems: no sentences, one label, and the like.
    #[error("training data: {0}")]
    TrainingData(String),

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

    /// A model file could not be loaded.
    #[error(transparent)]
    Model(#[from] ModelError),

    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn list_counts(items: &[(String, usize)]) -> String {
    items
        .iter()
        .map(|(l, n)| format!("'{l}' ({n} sentence{})", if *n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
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
            CsvErrorKind::Empty => write!(f, "the file is empty; expected a header line such as 'doc,text,label'"),
            CsvErrorKind::MissingColumn { wanted, available } => write!(
                f,
                "no column '{wanted}' in the header; the columns are: {} (choose with --text-col / --label-col)",
                available.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
            ),
            CsvErrorKind::DuplicateColumn(name) => {
                write!(f, "the header names column '{name}' twice; rename one of them")
            }
            CsvErrorKind::FieldCount { expected, found } => write!(
                f,
                "expected {expected} fields as in the header, found {found}; quote fields that contain commas"
            ),
            CsvErrorKind::EmptyField(col) => write!(
                f,
                "the '{col}' field is empty; fill it in or pass --skip-invalid to skip such rows"
            ),
            CsvErrorKind::InvalidUtf8 { byte } => {
                write!(f, "invalid UTF-8 at byte offset {byte}; save the file as UTF-8")
            }
            CsvErrorKind::Syntax(msg) => write!(f, "{msg}"),
            CsvErrorKind::NoRecords => write!(f, "the file has a header but no sentences"),
        }
    }
}

/// Why a model file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The bytes do not start with the tasnif model header.
    #[error("not a tasnif model file (it does not start with 'tasnif-model'); train one with `tasnif train`")]
    NotAModel,
    /// The file is of another format version.
    #[error("model file format version {found}, but this tasnif reads version {supported}; retrain the model with this version's `tasnif train`")]
    FormatVersion {
        /// Version in the file.
        found: String,
        /// Version this build reads.
        supported: u32,
    },
    /// The file is shorter or longer than its header says.
    #[error("model file is truncated or padded: header says {expected} bytes of content, found {found}; copy the file again or retrain")]
    Length {
        /// Content length from the header.
        expected: usize,
        /// Content length present.
        found: usize,
    },
    /// The checksum does not match the content.
    #[error("model file is damaged: checksum {found:08x} does not match {expected:08x} in its header; copy the file again or retrain")]
    Checksum {
        /// Checksum in the header.
        expected: u32,
        /// Checksum of the content.
        found: u32,
    },
    /// The file's features were computed the way another tasnif version computes them.
    #[error("model file features version {found}, but this tasnif computes features version {computed}; retrain the model with this version's `tasnif train`")]
    FeaturesVersion {
        /// Features version in the file.
        found: u32,
        /// Features version this build computes.
        computed: u32,
    },
    /// Something that defines features (a word list, a table's fingerprint) is not
    /// what this build has, so it would compute other features than the trainer did.
    #[error("{what} differs from this build's: {difference}; retrain the model with this version's `tasnif train`")]
    FeaturesDiffer {
        /// What differs, e.g. "the stopword list".
        what: &'static str,
        /// How, e.g. "this build's has 3 words added (…) and 1 word removed (…)".
        difference: String,
    },
    /// The content is not a valid model despite a good checksum.
    #[error("model file content is invalid: {0}")]
    Invalid(String),
}
