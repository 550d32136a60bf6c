//! Command-line definition (clap) and dispatch. Parsing does no work; each command's
//! module turns its arguments into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod about;
mod calibrate;
mod classify;
mod compare;
mod cv;
mod decode;
mod evaluate;
mod files;
mod hints;
mod info;
mod report_html;
mod suggest;
mod train;

/// Classify the sentences of Arabic news articles.
#[derive(Parser, Debug)]
#[command(name = "tasnif", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train a model on labeled sentences (CSV with a header).
    Train(TrainArgs),
    /// Label every sentence of one or more articles.
    Classify(ClassifyArgs),
    /// Pick the sentences a model is least sure of, to label next (CSV, doccano, Prodigy).
    Suggest(SuggestArgs),
    /// Measure a model on labeled sentences: accuracy, per-label F1, confusion matrix.
    Evaluate(EvaluateArgs),
    /// Score two models on the same sentences: each figure, the difference with a
    /// paired bootstrap interval and p-value, McNemar's test, and where they disagree.
    Compare(CompareArgs),
    /// Cross-validate training options on labeled sentences (stratified k-fold).
    Cv(CvArgs),
    /// Grid search over training options, scored by cross-validated macro F1.
    Tune(TuneArgs),
    /// Fit a model's temperature on held-out labeled sentences, so its probabilities
    /// say how often it is right; writes the calibrated model.
    Calibrate(CalibrateArgs),
    /// The n-grams with the largest weights for each label of a model.
    Explain(ExplainArgs),
    /// What a model is: labels, feature settings, vocabulary, training, file hash.
    Info(InfoArgs),
}

#[derive(Args, Debug)]
pub struct InfoArgs {
    /// Model file (default: the model built into tasnif).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Output format.
    #[arg(long, default_value = "text")]
    pub format: ExplainFormat,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Model file (default: the model built into tasnif).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// How many n-grams per label.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Output format.
    #[arg(long, default_value = "text")]
    pub format: ExplainFormat,
}

/// Formats of `explain`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainFormat {
    /// Plain text.
    Text,
    /// JSON object.
    Json,
}

/// Formats of `cv` and `tune`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CvFormat {
    /// Plain text.
    Text,
    /// JSON object.
    Json,
    /// Markdown tables.
    Markdown,
}

/// Where labeled sentences come from and how to read them.
#[derive(Args, Debug, Clone)]
pub struct DataArgs {
    /// CSV file of labeled sentences, with a header line.
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// Column that holds the sentence.
    #[arg(long, default_value = "text")]
    pub text_col: String,
    /// Column that holds the label.
    #[arg(long, default_value = "label")]
    pub label_col: String,
    /// Report and skip rows with an empty text or label instead of stopping.
    #[arg(long)]
    pub skip_invalid: bool,
    /// The character between fields: ',' (default), ';', '|', or tab ("tab" or "\t").
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = parse_delimiter)]
    pub delimiter: u8,
    /// Encoding of the CSV when it is not UTF-8 and has no byte-order mark, e.g.
    /// windows-1256 (UTF-16 with a byte-order mark is read as it is).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
}

/// Options that change features or training; unset ones come from `--config` or the
/// defaults.
#[derive(Args, Debug, Clone, Default)]
pub struct ModelArgs {
    /// Settings file (TOML or JSON) with [normalize], [tokenize], [vectorize], [train].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Word n-gram range, e.g. 1-2 (0-0 turns word features off).
    #[arg(long, value_name = "MIN-MAX")]
    pub word_ngrams: Option<String>,
    /// Character n-gram range inside words, e.g. 2-5 (0-0 turns them off).
    #[arg(long, value_name = "MIN-MAX")]
    pub char_ngrams: Option<String>,
    /// Strip the article ال and proclitics و ف ب ك ل before word n-grams.
    #[arg(long, value_name = "BOOL")]
    pub strip_clitics: Option<bool>,
    /// Leave Arabic function words and reporting verbs out of the features.
    #[arg(long, value_name = "BOOL")]
    pub stopwords: Option<bool>,
    /// Keep features found in at least this many sentences.
    #[arg(long)]
    pub min_df: Option<usize>,
    /// Drop features found in more than this fraction of sentences.
    #[arg(long)]
    pub max_df: Option<f64>,
    /// Keep at most this many features (0: no cap).
    #[arg(long)]
    pub max_features: Option<usize>,
    /// Weight of the word n-gram block in a row (relative to the character block).
    #[arg(long)]
    pub word_weight: Option<f32>,
    /// Weight of the character n-gram block in a row.
    #[arg(long)]
    pub char_weight: Option<f32>,
    /// Normalization rules to turn off, comma-separated (e.g. alef,teh_marbuta).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub normalize_off: Vec<String>,
    /// L2 regularization strength (about 1/C of scikit-learn).
    #[arg(long)]
    pub alpha: Option<f64>,
    /// Maximum solver iterations.
    #[arg(long)]
    pub max_iter: Option<u64>,
    /// Solver: sparse (L-BFGS on sparse rows) or linfa (linfa-logistic, dense).
    #[arg(long)]
    pub solver: Option<SolverArg>,
    /// Sentence weights: none, or balanced (each label weighs the same in total).
    #[arg(long)]
    pub class_weight: Option<ClassWeightArg>,
}

/// `--delimiter` values: one ASCII character, or "tab".
fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => {
            Ok(s.as_bytes()[0])
        }
        _ => Err(format!(
            "'{s}' is not a separator: give one character such as ';' or '|', or \"tab\""
        )),
    }
}

/// `--solver` values.
#[derive(ValueEnum, Debug, Clone, Copy)]
pub enum SolverArg {
    /// L-BFGS on sparse rows.
    Sparse,
    /// linfa-logistic on a dense matrix.
    Linfa,
}

/// `--class-weight` values.
#[derive(ValueEnum, Debug, Clone, Copy)]
pub enum ClassWeightArg {
    /// Every sentence counts once.
    None,
    /// Labels weigh the same in total.
    Balanced,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Where to write the model file.
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Output formats of `classify`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassifyFormat {
    /// Aligned columns for reading (the default on a terminal).
    Table,
    /// One JSON object a sentence, then one a summary per article (the default otherwise).
    Jsonl,
    /// CSV with a header: one row a sentence (no summaries).
    Csv,
}

/// How `classify` and `suggest` read their input.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Each file is one article.
    Text,
    /// One JSON object a line, one article each.
    Jsonl,
    /// One article a line of plain text, named FILE:LINE (blank lines are skipped).
    Lines,
}

/// Where articles come from and how they are read (`classify`, `suggest`).
#[derive(Args, Debug)]
pub struct InputArgs {
    /// Input format.
    #[arg(long, default_value = "text")]
    pub input: InputFormat,
    /// With --input jsonl: the field that holds the article text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// With --input jsonl: the field that names the article. Without it an article is
    /// named FILE:LINE, which repeats across shards of one dataset (each starts at
    /// line 1): give an id field when the input is split.
    #[arg(long)]
    pub id_field: Option<String>,
    /// Encoding of the input when it is not UTF-8 and has no byte-order mark, e.g.
    /// windows-1256 or iso-8859-6 (UTF-16 with a byte-order mark is read as it is).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// Articles (files); standard input when none is given or for "-".
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ClassifyArgs {
    /// Model file (default: the model built into tasnif).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Output format (default: table on a terminal, jsonl otherwise).
    #[arg(long)]
    pub format: Option<ClassifyFormat>,
    /// Write the records to this file instead of standard output; it appears whole,
    /// when the run ends, or not at all.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Threads to use, at most 256 (default or 0: all cores).
    #[arg(long, short, value_parser = clap::value_parser!(u16).range(0..=256))]
    pub jobs: Option<u16>,
    /// Stop at the first article that cannot be read, after writing the records of
    /// every article before it and its error record (default: write an error record
    /// and go on, exit 2 at the end).
    #[arg(long)]
    pub fail_fast: bool,
    /// Label sentences whose top probability is below P as "uncertain".
    #[arg(long, value_name = "P")]
    pub min_confidence: Option<f32>,
    /// No progress display or closing summary on a terminal.
    #[arg(long, short)]
    pub quiet: bool,
    /// Show the n-grams that pushed most towards each sentence's label.
    #[arg(long)]
    pub explain: bool,
    /// With --explain: how many n-grams to show per sentence.
    #[arg(long, value_name = "N", default_value_t = 5, requires = "explain")]
    pub explain_top: usize,
}

/// Output formats of `suggest`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestFormat {
    /// CSV to label: doc,index,text,label,suggested,p_<label>... with label empty.
    Csv,
    /// doccano text-classification JSONL: {"text", "label": [suggested], ...}.
    Doccano,
    /// Prodigy JSONL: {"text", "label", "options", "accept": [suggested], "meta"}.
    Prodigy,
}

/// `--strategy` values of `suggest`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrategyArg {
    /// Smallest gap between the two most probable labels first.
    Margin,
    /// Largest entropy of the probabilities first.
    Entropy,
}

#[derive(Args, Debug)]
pub struct SuggestArgs {
    /// Model file (default: the model built into tasnif).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// How many sentences to suggest.
    #[arg(long, default_value_t = 200, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub n: usize,
    /// How the model's doubt is measured.
    #[arg(long, default_value = "margin")]
    pub strategy: StrategyArg,
    /// At most this many sentences from one article.
    #[arg(long, value_name = "K", default_value_t = 3, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub per_doc: usize,
    /// Slots kept for each predicted label (default: n / (4 × labels), at least 1).
    #[arg(long, value_name = "K")]
    pub min_per_label: Option<usize>,
    /// Word-bigram Jaccard similarity at which two sentences count as one, in (0, 1].
    #[arg(long, value_name = "J", default_value_t = 0.6)]
    pub similarity: f64,
    /// Output format.
    #[arg(long, default_value = "csv")]
    pub format: SuggestFormat,
    /// Write the suggestions to this file instead of standard output; it appears
    /// whole, when the run ends, or not at all.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub inputs: InputArgs,
    /// Threads to use, at most 256 (default or 0: all cores).
    #[arg(long, short, value_parser = clap::value_parser!(u16).range(0..=256))]
    pub jobs: Option<u16>,
    /// Stop at the first article that cannot be read (default: report it and go on,
    /// exit 2 at the end).
    #[arg(long)]
    pub fail_fast: bool,
    /// No progress display or closing summary on a terminal.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Report formats of `evaluate`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Plain text.
    Text,
    /// JSON object.
    Json,
    /// Markdown tables.
    Markdown,
    /// One self-contained HTML page (needs --out).
    Html,
}

#[derive(Args, Debug, Clone)]
pub struct CvArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Number of folds (at least 2).
    #[arg(long, default_value_t = 5, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(2..))]
    pub folds: usize,
    /// Keep the sentences of one article (this column) in one fold.
    #[arg(long, value_name = "COLUMN")]
    pub group_col: Option<String>,
    /// Seed of the fold assignment.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Report format.
    #[arg(long, default_value = "text")]
    pub format: CvFormat,
    /// No progress bar or timing line.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct TuneArgs {
    #[command(flatten)]
    pub cv: CvArgs,
    /// The grid: NAME=V1,V2;NAME=... over alpha, max_iter, min_df, max_df,
    /// max_features, word_weight, char_weight, word_ngrams, char_ngrams, strip_clitics,
    /// stopwords, class_weight, normalize_off (rules joined with +, or none).
    /// Example: "alpha=0.03,0.1;char_ngrams=3-5,2-4".
    #[arg(long)]
    pub grid: String,
    /// Also train each setting on all the data and report macro F1 on this CSV.
    #[arg(long, value_name = "FILE.csv")]
    pub holdout: Option<PathBuf>,
    /// Which score ranks the settings (holdout needs --holdout).
    #[arg(long, default_value = "cv")]
    pub rank_by: RankBy,
    /// Write the best settings here as a config `train --config` accepts (TOML).
    #[arg(long, value_name = "FILE.toml")]
    pub out: Option<PathBuf>,
}

/// `--rank-by` values of `tune`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankBy {
    /// Mean cross-validated macro F1.
    Cv,
    /// Macro F1 on the --holdout file.
    Holdout,
}

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// Model file, or "builtin" (default: the model built into tasnif).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Held-out labeled sentences (never the training data).
    #[command(flatten)]
    pub data: DataArgs,
    /// Where to write the calibrated model file.
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// Model file (default: the model built into tasnif).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
    /// Report format.
    #[arg(long, default_value = "text")]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output (required for html).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
    /// Also report sentences, accuracy and macro F1 for each value of this column.
    #[arg(long, value_name = "COLUMN")]
    pub by: Option<String>,
}

/// How bootstrap intervals are drawn.
#[derive(Args, Debug, Clone)]
pub struct BootstrapArgs {
    /// Bootstrap resamples for the 95% intervals (0 turns them off).
    #[arg(long = "bootstrap", value_name = "N", default_value_t = 1000)]
    pub resamples: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Resample whole articles named by this column (default: the doc column, when the
    /// file has one; otherwise single sentences).
    #[arg(long, value_name = "COLUMN")]
    pub group_col: Option<String>,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Model A: a model file, or "builtin".
    #[arg(value_name = "MODEL_A")]
    pub a: String,
    /// Model B: a model file, or "builtin". Differences are B - A.
    #[arg(value_name = "MODEL_B")]
    pub b: String,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
    /// Report format.
    #[arg(long, default_value = "text")]
    pub format: ReportFormat,
    /// Write the report to this file instead of standard output (required for html).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// How many sentences where the models disagree to show.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub disagreements: usize,
}

/// Parse the command line and run the command.
pub fn run() -> anyhow::Result<()> {
    use clap::{CommandFactory, FromArgMatches};
    // `--version` names the built-in model too; the string lives as long as the run.
    // Hashing the model takes a few milliseconds of every start, so only for it.
    let asks_version = std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--version" || a == "-V");
    let version = if asks_version {
        format!(
            "{} (built-in model {})",
            env!("CARGO_PKG_VERSION"),
            tasnif::model_file::model_hash(tasnif::builtin::MODEL_BYTES)
        )
    } else {
        env!("CARGO_PKG_VERSION").to_string()
    };
    let matches = Cli::command()
        .version(&*Box::leak(version.into_boxed_str()))
        .get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Train(a) => train::run(a),
        Command::Classify(a) => classify::run(a),
        Command::Suggest(a) => suggest::run(a),
        Command::Evaluate(a) => evaluate::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Cv(a) => cv::run_cv_command(a),
        Command::Tune(a) => cv::run_tune(a),
        Command::Calibrate(a) => calibrate::run(a),
        Command::Explain(a) => evaluate::run_explain(a),
        Command::Info(a) => info::run(a),
    }
}

/// What a failed write to standard output says before the system's reason, e.g.
/// `standard output: cannot write: No space left on device (os error 28)`.
pub const STDOUT_WRITE: &str = "standard output: cannot write";

/// Write `bytes` to standard output and flush it; a failure says it was standard
/// output (a closed pipe stays recognizable to [`is_broken_pipe`]).
pub fn write_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .context(STDOUT_WRITE)
}

/// Whether the error is a closed output pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
            || matches!(c.downcast_ref::<tasnif::Error>(),
                Some(tasnif::Error::Io(e)) if e.kind() == BrokenPipe)
    })
}
