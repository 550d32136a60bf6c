//! `tasnif._tasnif`: the Python extension, a thin layer over the tasnif library.
//!
//! Every result comes from the library; this file converts arguments and values
//! between Python and Rust, maps errors to Python exceptions (`ValueError` for what the
//! library refuses, `OSError` for files) and releases the GIL while the library works.
//! The parts that mirror the binary (training options as `tasnif train` takes them,
//! the report as `evaluate --format json` writes it, `info` as `tasnif info` shows it)
//! are checked against the binary by `python/tests/`.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use numpy::{IntoPyArray, PyArray2};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use rayon::prelude::*;
use serde_json::{json, Map, Value};
use tasnif::evaluate::Report;
use tasnif::model::{softmax_in_place, ClassWeight, Solver};
use tasnif::model_file::{model_hash, FORMAT_VERSION};
use tasnif::pipeline::Outcome;
use tasnif::tokenize::FeatureKind;
use tasnif::{LabeledSentence, NormalizeOptions, Pipeline, PredictScratch, TrainConfig};

/// Sentences predicted per task in batch prediction.
const BATCH: usize = 256;

/// The library's error as a `ValueError`.
fn value_error(e: tasnif::Error) -> PyErr {
    PyValueError::new_err(message(&e))
}

/// The library's message, with its causes when the message leaves them out.
fn message(e: &tasnif::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !message.contains(&s_text) {
            message = format!("{message}: {s_text}");
        }
        source = s.source();
    }
    message
}

/// An I/O error on `path` as `OSError(errno, message, path)`, which Python turns into
/// the matching subclass (`FileNotFoundError`, `PermissionError`, ...).
fn os_error(e: std::io::Error, path: &Path) -> PyErr {
    let path = path.display().to_string();
    match e.raw_os_error() {
        Some(errno) => PyOSError::new_err((errno, e.to_string(), path)),
        None => PyOSError::new_err(format!("{path}: {e}")),
    }
}

/// A JSON value as the Python object `json.loads` makes of it.
fn to_python(py: Python<'_>, v: &Value) -> PyResult<PyObject> {
    let text = serde_json::to_string(v).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

/// A trained tasnif model: normalizer, tokenizer, vocabulary, weights and labels.
#[pyclass(module = "tasnif._tasnif", name = "Model", frozen)]
struct Model {
    inner: Pipeline,
    /// Where it came from: a path, `(built-in)`, `(trained)` or `(bytes)`.
    origin: String,
}

impl Model {
    fn new(inner: Pipeline, origin: impl Into<String>) -> Self {
        Model {
            inner,
            origin: origin.into(),
        }
    }
}

/// One sentence of an article as a dict: the CLI's JSONL record (`index`, `text`,
/// `label`, `probabilities`, `features`, `cut_at_limit`), with `start`/`end` in
/// characters of the Python string and `start_byte`/`end_byte` in its UTF-8 bytes.
fn sentence_dicts<'py>(
    py: Python<'py>,
    model: &Pipeline,
    article: &str,
    sentences: &[tasnif::SentenceLabel],
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let labels = model.labels();
    let mut out = Vec::with_capacity(sentences.len());
    // Spans are in order and do not overlap: count characters as they go by.
    let (mut byte, mut chars) = (0usize, 0usize);
    for s in sentences {
        chars += article[byte..s.start].chars().count();
        let start = chars;
        chars += article[s.start..s.end].chars().count();
        byte = s.end;
        let d = PyDict::new(py);
        d.set_item("index", s.index)?;
        d.set_item("start", start)?;
        d.set_item("end", chars)?;
        d.set_item("start_byte", s.start)?;
        d.set_item("end_byte", s.end)?;
        d.set_item("text", &article[s.start..s.end])?;
        d.set_item("label", model.label_name(&s.prediction))?;
        let p = PyDict::new(py);
        for (l, v) in labels.iter().zip(s.prediction.probabilities()) {
            p.set_item(l, *v)?;
        }
        d.set_item("probabilities", p)?;
        d.set_item("features", s.features)?;
        d.set_item("cut_at_limit", s.cut_at_limit)?;
        out.push(d);
    }
    Ok(out)
}

/// What the model makes of each text: probabilities of every label, row by row, and
/// the label index or the marker. A text with no words or no known feature gets the
/// intercepts' probabilities, as [`Pipeline::evaluate`] scores it.
fn predict_rows(model: &Pipeline, texts: &[String]) -> (Vec<f32>, Vec<Outcome>) {
    let k = model.labels().len();
    let parts: Vec<(Vec<f32>, Vec<Outcome>)> = texts
        .par_chunks(BATCH)
        .map(|chunk| {
            let mut scratch = PredictScratch::default();
            let mut probs = Vec::with_capacity(k);
            let mut rows = Vec::with_capacity(chunk.len() * k);
            let mut outcomes = Vec::with_capacity(chunk.len());
            for t in chunk {
                let outcome = model.predict_into(t, &mut scratch, &mut probs);
                if probs.len() != k {
                    probs.clear();
                    probs.extend_from_slice(model.linear_model().intercept());
                    softmax_in_place(&mut probs);
                }
                rows.extend_from_slice(&probs);
                outcomes.push(outcome);
            }
            (rows, outcomes)
        })
        .collect();
    let mut rows = Vec::with_capacity(texts.len() * k);
    let mut outcomes = Vec::with_capacity(texts.len());
    for (r, o) in parts {
        rows.extend(r);
        outcomes.extend(o);
    }
    (rows, outcomes)
}

#[pymethods]
impl Model {
    /// The model built into tasnif (labels defection, execution, military_advance,
    /// other, propaganda).
    #[staticmethod]
    fn builtin() -> PyResult<Model> {
        Ok(Model::new(
            tasnif::builtin::model().map_err(value_error)?,
            "(built-in)",
        ))
    }

    /// Load a model file written by `tasnif train` or `Model.save`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Model> {
        let bytes = std::fs::read(&path).map_err(|e| os_error(e, &path))?;
        let inner = py
            .allow_threads(|| Pipeline::from_bytes(&bytes))
            .map_err(|e| PyValueError::new_err(format!("{}: {}", path.display(), message(&e))))?;
        Ok(Model::new(inner, path.display().to_string()))
    }

    /// A model from the bytes of a model file (`Model.to_bytes`).
    #[staticmethod]
    fn from_bytes(bytes: Vec<u8>) -> PyResult<Model> {
        Ok(Model::new(
            Pipeline::from_bytes(&bytes).map_err(value_error)?,
            "(bytes)",
        ))
    }

    /// The model file's bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.inner.to_bytes().map_err(value_error)?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Write the model file to `path` (the bytes `tasnif train` would write). The file
    /// appears whole or not at all: the bytes go to `path` + `.tmp`, renamed at the end.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let bytes = self.inner.to_bytes().map_err(value_error)?;
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        py.allow_threads(|| {
            std::fs::write(&tmp, bytes)
                .and_then(|()| std::fs::rename(&tmp, &path))
                .inspect_err(|_| {
                    let _ = std::fs::remove_file(&tmp);
                })
        })
        .map_err(|e| os_error(e, &path))
    }

    /// The labels, in the order of probabilities (sorted).
    #[getter]
    fn labels(&self) -> Vec<String> {
        self.inner.labels().to_vec()
    }

    /// What `tasnif info --format json` says of the model, as a dict.
    fn info(&self, py: Python<'_>) -> PyResult<PyObject> {
        let bytes = self.inner.to_bytes().map_err(value_error)?;
        let terms = self.inner.featurizer().terms();
        let words = terms.iter().filter(|t| t.kind == FeatureKind::Word).count();
        let value = json!({
            "model": self.origin,
            "hash": model_hash(&bytes),
            "bytes": bytes.len(),
            "format": FORMAT_VERSION,
            "labels": self.inner.labels(),
            // As the binary prints it: the shortest decimal that reads back as the f32.
            "temperature": self.inner.temperature().to_string().parse::<f64>().unwrap_or(1.0),
            "vocabulary": {"words": words, "chars": terms.len() - words, "total": terms.len()},
            "settings": self.inner.config(),
            "training": self.inner.info(),
        });
        to_python(py, &value)
    }

    /// Split an article into sentences and label each: a list of dicts with `index`,
    /// `start`/`end` (character offsets into `text`), `start_byte`/`end_byte` (UTF-8
    /// offsets), `text`, `label` (a label, or the marker `(no text)` / `(unknown)`),
    /// `probabilities` (label → probability; empty for a marker), `features` and
    /// `cut_at_limit`.
    fn classify_article<'py>(
        &self,
        py: Python<'py>,
        text: String,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let sentences = py.allow_threads(|| self.inner.classify_article(&text));
        sentence_dicts(py, &self.inner, &text, &sentences)
    }

    /// `classify_article` for many articles at once, in parallel: one list each.
    fn classify_articles<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
    ) -> PyResult<Vec<Vec<Bound<'py, PyDict>>>> {
        let all: Vec<Vec<tasnif::SentenceLabel>> = py.allow_threads(|| {
            texts
                .par_iter()
                .map(|t| self.inner.classify_article(t))
                .collect()
        });
        texts
            .iter()
            .zip(&all)
            .map(|(t, s)| sentence_dicts(py, &self.inner, t, s))
            .collect()
    }

    /// The label of each sentence (each text is taken as one sentence). A sentence
    /// with no words or no known feature gets the label the intercepts alone give, as
    /// `evaluate` scores it, or with `markers=True` the marker `(no text)` /
    /// `(unknown)`, as `classify` writes it.
    #[pyo3(signature = (texts, *, markers = false))]
    fn predict(&self, py: Python<'_>, texts: Vec<String>, markers: bool) -> Vec<String> {
        let labels = self.inner.labels();
        let k = labels.len();
        let (rows, outcomes) = py.allow_threads(|| predict_rows(&self.inner, &texts));
        rows.chunks(k)
            .zip(outcomes)
            .map(|(p, o)| match o {
                Outcome::NoText if markers => tasnif::NO_TEXT_LABEL.to_string(),
                Outcome::Unknown if markers => tasnif::UNKNOWN_LABEL.to_string(),
                Outcome::Label(i) => labels[i].clone(),
                _ => labels[tasnif::model::argmax(p)].clone(),
            })
            .collect()
    }

    /// The probability of every label for each sentence: a float32 array of shape
    /// (len(texts), len(labels)), columns in `labels` order. A sentence with no words
    /// or no known feature gets the intercepts' probabilities, as `evaluate` scores it.
    fn predict_proba<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
    ) -> PyResult<Bound<'py, PyArray2<f32>>> {
        let k = self.inner.labels().len();
        let (rows, _) = py.allow_threads(|| predict_rows(&self.inner, &texts));
        let array = Array2::from_shape_vec((texts.len(), k), rows)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(array.into_pyarray(py))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let py = slf.py();
        let from_bytes = slf.get_type().getattr("from_bytes")?;
        Ok((from_bytes, (slf.get().to_bytes(py)?,)))
    }

    fn __repr__(&self) -> String {
        format!(
            "tasnif.Model({}, labels={:?})",
            self.origin,
            self.inner.labels()
        )
    }
}

/// `--word-ngrams` / `--char-ngrams`: "MIN-MAX" (or "N") as the CLI takes it, or a
/// (min, max) pair.
fn ngram_range(v: &Bound<'_, PyAny>, what: &str) -> PyResult<(usize, usize)> {
    if let Ok(s) = v.downcast::<PyString>() {
        let s = s.to_cow()?;
        let (a, b) = s.split_once('-').unwrap_or((&s, &s));
        let parse = |x: &str| {
            x.trim().parse::<usize>().map_err(|_| {
                PyValueError::new_err(format!("{what} {s:?}: expected MIN-MAX such as 1-2"))
            })
        };
        return Ok((parse(a)?, parse(b)?));
    }
    v.extract::<(usize, usize)>().map_err(|_| {
        PyValueError::new_err(format!(
            "{what}: expected a (min, max) pair or a string such as \"1-2\""
        ))
    })
}

/// Turn one normalization rule off, by the names `--normalize-off` takes.
fn turn_off(n: &mut NormalizeOptions, rule: &str) -> PyResult<()> {
    let flag = match rule.trim() {
        "presentation_forms" => &mut n.presentation_forms,
        "diacritics" => &mut n.diacritics,
        "tatweel" => &mut n.tatweel,
        "alef" => &mut n.alef,
        "alef_maqsura" => &mut n.alef_maqsura,
        "teh_marbuta" => &mut n.teh_marbuta,
        "hamza_carriers" => &mut n.hamza_carriers,
        "persian_forms" => &mut n.persian_forms,
        "digits" => &mut n.digits,
        "punctuation" => &mut n.punctuation,
        "zero_width" => &mut n.zero_width,
        "lowercase" => &mut n.lowercase,
        "collapse_whitespace" => &mut n.collapse_whitespace,
        "all" => {
            *n = NormalizeOptions::none();
            return Ok(());
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "normalize_off: unknown rule {other:?}; rules are presentation_forms, diacritics, tatweel, alef, alef_maqsura, teh_marbuta, hamza_carriers, persian_forms, digits, punctuation, zero_width, lowercase, collapse_whitespace, all"
            )))
        }
    };
    *flag = false;
    Ok(())
}

/// `config`: a dict in the config file's shape, or the path of a TOML or JSON file as
/// `--config` takes it.
fn base_config(py: Python<'_>, config: Option<&Bound<'_, PyAny>>) -> PyResult<TrainConfig> {
    let Some(config) = config else {
        return Ok(TrainConfig::default());
    };
    if config.downcast::<PyDict>().is_ok() {
        let text: String = py
            .import("json")?
            .call_method1("dumps", (config,))?
            .extract()?;
        return serde_json::from_str(&text)
            .map_err(|e| PyValueError::new_err(format!("config: {e}")));
    }
    let path: PathBuf = config.extract().map_err(|_| {
        PyValueError::new_err("config: expected a dict or the path of a TOML or JSON file")
    })?;
    let text = std::fs::read_to_string(&path).map_err(|e| os_error(e, &path))?;
    let is_json =
        path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    if is_json {
        serde_json::from_str(&text).map_err(|e| {
            PyValueError::new_err(format!("{}: invalid JSON config: {e}", path.display()))
        })
    } else {
        toml::from_str(&text).map_err(|e| {
            PyValueError::new_err(format!("{}: invalid TOML config: {e}", path.display()))
        })
    }
}

/// The sentences to train or evaluate on.
fn labeled(texts: Vec<String>, labels: Vec<String>) -> PyResult<Vec<LabeledSentence>> {
    if texts.len() != labels.len() {
        return Err(PyValueError::new_err(format!(
            "{} texts but {} labels",
            texts.len(),
            labels.len()
        )));
    }
    Ok(texts
        .into_iter()
        .zip(labels)
        .map(|(t, l)| LabeledSentence::new(t, l))
        .collect())
}

/// Train a model on sentences and their labels, with the options of `tasnif train`
/// (`--min-df 2` is `min_df=2`) and its defaults: an option left at None keeps the
/// value of `config` (a dict or a TOML/JSON file, as `--config`) or the default.
#[pyfunction]
#[pyo3(signature = (
    texts, labels, *, config = None, word_ngrams = None, char_ngrams = None,
    strip_clitics = None, stopwords = None, min_df = None, max_df = None,
    max_features = None, word_weight = None, char_weight = None, normalize_off = None,
    alpha = None, max_iter = None, solver = None, class_weight = None
))]
#[allow(clippy::too_many_arguments)]
fn train(
    py: Python<'_>,
    texts: Vec<String>,
    labels: Vec<String>,
    config: Option<&Bound<'_, PyAny>>,
    word_ngrams: Option<&Bound<'_, PyAny>>,
    char_ngrams: Option<&Bound<'_, PyAny>>,
    strip_clitics: Option<bool>,
    stopwords: Option<bool>,
    min_df: Option<usize>,
    max_df: Option<f64>,
    max_features: Option<usize>,
    word_weight: Option<f32>,
    char_weight: Option<f32>,
    normalize_off: Option<&Bound<'_, PyAny>>,
    alpha: Option<f64>,
    max_iter: Option<u64>,
    solver: Option<String>,
    class_weight: Option<String>,
) -> PyResult<Model> {
    let mut c = base_config(py, config)?;
    if let Some(r) = word_ngrams {
        (c.tokenize.word_min, c.tokenize.word_max) = ngram_range(r, "word_ngrams")?;
    }
    if let Some(r) = char_ngrams {
        (c.tokenize.char_min, c.tokenize.char_max) = ngram_range(r, "char_ngrams")?;
    }
    if let Some(v) = strip_clitics {
        c.tokenize.strip_clitics = v;
    }
    if let Some(v) = stopwords {
        c.tokenize.stopwords = v;
    }
    if let Some(v) = min_df {
        c.vectorize.min_df = v;
    }
    if let Some(v) = max_df {
        c.vectorize.max_df = v;
    }
    if let Some(v) = max_features {
        c.vectorize.max_features = v;
    }
    if let Some(v) = word_weight {
        c.vectorize.word_weight = v;
    }
    if let Some(v) = char_weight {
        c.vectorize.char_weight = v;
    }
    if let Some(rules) = normalize_off {
        let rules: Vec<String> = match rules.downcast::<PyString>() {
            Ok(s) => s.to_cow()?.split(',').map(str::to_string).collect(),
            Err(_) => rules.extract().map_err(|_| {
                PyValueError::new_err(
                    "normalize_off: expected rule names, e.g. \"alef,teh_marbuta\"",
                )
            })?,
        };
        for rule in &rules {
            turn_off(&mut c.normalize, rule)?;
        }
    }
    if let Some(v) = alpha {
        c.train.alpha = v;
    }
    if let Some(v) = max_iter {
        c.train.max_iterations = v;
    }
    if let Some(s) = solver {
        c.train.solver = match s.as_str() {
            "sparse" => Solver::Sparse,
            "linfa" => Solver::Linfa,
            other => {
                return Err(PyValueError::new_err(format!(
                    "solver {other:?}: expected \"sparse\" or \"linfa\""
                )))
            }
        };
    }
    if let Some(w) = class_weight {
        c.train.class_weight = match w.as_str() {
            "none" => ClassWeight::None,
            "balanced" => ClassWeight::Balanced,
            other => {
                return Err(PyValueError::new_err(format!(
                    "class_weight {other:?}: expected \"none\" or \"balanced\""
                )))
            }
        };
    }
    let data = labeled(texts, labels)?;
    let pipeline = py
        .allow_threads(|| Pipeline::fit(&data, &c))
        .map_err(value_error)?;
    Ok(Model::new(pipeline, "(trained)"))
}

/// The settings `train` uses when given no option, in the config file's shape.
#[pyfunction]
fn default_config(py: Python<'_>) -> PyResult<PyObject> {
    let value = serde_json::to_value(TrainConfig::default())
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    to_python(py, &value)
}

/// The report as `tasnif evaluate --format json` writes it.
fn report_json(r: &Report) -> Value {
    let mut per_label = Map::new();
    for m in &r.per_label {
        per_label.insert(
            m.label.clone(),
            json!({"precision": m.precision, "recall": m.recall, "f1": m.f1, "support": m.support}),
        );
    }
    json!({
        "n": r.n,
        "accuracy": r.accuracy,
        "macro_f1": r.macro_f1,
        "macro_precision": r.macro_precision,
        "macro_recall": r.macro_recall,
        "weighted_f1": r.weighted_f1,
        "per_label": per_label,
        "confusion": {"labels": r.labels, "matrix": r.confusion},
    })
}

/// Predict every sentence and compare with its label: the report of
/// `tasnif evaluate --format json`, as a dict.
#[pyfunction]
fn evaluate(
    py: Python<'_>,
    model: &Bound<'_, Model>,
    texts: Vec<String>,
    labels: Vec<String>,
) -> PyResult<PyObject> {
    let data = labeled(texts, labels)?;
    let model = &model.get().inner;
    let (report, _) = py
        .allow_threads(|| model.evaluate(&data))
        .map_err(value_error)?;
    to_python(py, &report_json(&report))
}

#[pymodule]
fn _tasnif(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Model>()?;
    m.add_function(wrap_pyfunction!(train, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(default_config, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
