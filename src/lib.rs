//! # tasnif
//!
//! Classify the sentences of Arabic news articles about armed conflicts.
//!
//! The data flows through one module each:
//! [`normalize`] → [`sentence`] (split articles) → [`tokenize`] → [`vectorize`]
//! (TF-IDF rows, checked as [`sparse`] records) → [`model`] (multinomial logistic
//! regression as a linfa algorithm: `ParamGuard` params, `Fit`, `PredictInplace`) →
//! [`evaluate`], with [`corpus`] reading labeled sentences and [`pipeline`] tying them
//! into one saved model; [`calibrate`] fits the model's temperature on held-out
//! sentences (temperature scaling), so its probabilities say how often it is right.
//!
//! The library never prints, parses flags or opens paths: it takes `&str` and
//! `io::Read`, and returns values and [`Error`]s. The `tasnif` binary is a thin shell
//! over it. The main types are re-exported here: [`Pipeline`], [`TrainConfig`],
//! [`LabeledSentence`], [`SentenceLabel`], [`Prediction`], [`Report`], and the marker
//! labels ([`MARKER_LABELS`]).
//!
//! # Cargo features
//!
//! - `builtin-model` (default): the built-in model, `tasnif::builtin::model()`.
//! - `cli` (default): the `tasnif` binary and the crates only it uses (clap, anyhow,
//!   indicatif, toml, encoding_rs, encoding_rs_io, tempfile); turns on `builtin-model`.
//!   A program that uses only the library depends on tasnif with
//!   `default-features = false` (adding `features = ["builtin-model"]` for the model).
//!
//! # Example
//!
//! Train on four sentences and label the sentences of an article:
//!
//! ```
//! use tasnif::{LabeledSentence, Pipeline, TrainConfig};
//!
//! let s = LabeledSentence::new;
//! let data = [
//!     s("انشق عشرات المقاتلين عن التنظيم وفروا إلى تركيا", "defection"),
//!     s("فر قائد ميداني من صفوف التنظيم وسلم نفسه", "defection"),
//!     s("تقدمت القوات نحو المدينة وسيطرت على ثلاث قرى", "military_advance"),
//!     s("شنت الطائرات غارات على مواقع التنظيم قرب المدينة", "military_advance"),
//! ];
//! // The defaults are for thousands of sentences; on four, keep every feature.
//! let mut config = TrainConfig::default();
//! config.vectorize.min_df = 1;
//! config.vectorize.max_df = 1.0;
//! let model = Pipeline::fit(&data, &config)?;
//!
//! let article = "انشق قائد عن التنظيم. وتقدمت القوات نحو القرى.";
//! let sentences = model.classify_article(article);
//! assert_eq!(sentences.len(), 2);
//! for sentence in &sentences {
//!     println!("{}: {}", model.label_name(&sentence.prediction), &article[sentence.start..sentence.end]);
//! }
//! # Ok::<(), tasnif::Error>(())
//! ```
#![deny(missing_docs)]

#[cfg(feature = "builtin-model")]
pub mod builtin;
pub mod calibrate;
pub mod corpus;
pub mod cv;
pub mod error;
pub mod evaluate;
mod fingerprint;
pub mod model;
pub mod model_file;
pub mod normalize;
pub mod pipeline;
mod rng;
pub mod sentence;
pub mod sparse;
pub mod suggest;
pub mod tokenize;
pub mod vectorize;

pub use corpus::{read_labeled, Corpus, LabeledSentence, ReadOptions};
pub use error::{Error, Result, TrainingDataError};
pub use evaluate::Report;
pub use model::TrainOptions;
pub use normalize::{NormalizeOptions, Normalizer};
pub use pipeline::{
    is_marker_label, Pipeline, PredictScratch, Prediction, SentenceLabel, TrainConfig,
    TrainingInfo, ERROR_LABEL, MARKER_LABELS, NO_TEXT_LABEL, UNCERTAIN_LABEL, UNKNOWN_LABEL,
};
pub use sentence::split_sentences;
pub use tokenize::TokenizeOptions;
pub use vectorize::VectorizeOptions;
