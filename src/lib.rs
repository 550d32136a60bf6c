//! # tasnif
//!
//! Classify the sentences of Arabic news articles about armed conflicts.
//!
//! The data flows through one module each:
//! [`normalize`] → [`sentence`] (split articles) → [`tokenize`] → [`vectorize`]
//! (TF-IDF rows, checked as [`sparse`] records) → [`model`] (multinomial logistic
//! regression as a linfa algorithm: `ParamGuard` params, `Fit`, `PredictInplace`) →
//! [`evaluate`], with [`corpus`] reading labeled sentences and [`pipeline`] tying them
//! into one saved model.
//!
//! The library never prints, parses flags or opens paths: it takes `&str` and
//! `io::Read`, and returns values and [`Error`]s. The `tasnif` binary is a thin shell
//! over it.
//!
//! ```
//! use tasnif::corpus::LabeledSentence;
//! use tasnif::pipeline::{Pipeline, TrainConfig};
//!
//! let s = |t: &str, l: &str| LabeledSentence::new(t, l);
//! let data = vec![
//!     s("انشق عشرات المقاتلين عن التنظيم وفروا إلى تركيا", "defection"),
//!     s("فر قائد ميداني من صفوف التنظيم وسلم نفسه", "defection"),
//!     s("تقدمت القوات نحو المدينة وسيطرت على ثلاث قرى", "military_advance"),
//!     s("شنت الطائرات غارات على مواقع التنظيم قرب المدينة", "military_advance"),
//! ];
//! let config = TrainConfig { vectorize: tasnif::vectorize::VectorizeOptions { min_df: 1, max_df: 1.0, ..Default::default() }, ..Default::default() };
//! let model = Pipeline::fit(&data, &config).unwrap();
//! let article = "انشق قائد عن التنظيم. وتقدمت القوات نحو القرى.";
//! let labels: Vec<String> = model.classify_article(article).iter().map(|s| s.label.clone()).collect();
//! assert_eq!(labels.len(), 2);
//! ```
#![deny(missing_docs)]

#[cfg(feature = "builtin-model")]
pub mod builtin;
pub mod corpus;
pub mod cv;
pub mod error;
pub mod evaluate;
mod fingerprint;
pub mod model;
pub mod model_file;
pub mod normalize;
pub mod pipeline;
pub mod sentence;
pub mod sparse;
pub mod tokenize;
pub mod vectorize;

pub use error::{Error, Result};
