//! `tasnif evaluate`: score a model on labeled sentences and write the report in text,
//! JSON, Markdown or HTML (one printer a file); `tasnif explain`.

mod json;
mod markdown;
mod text;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, Result};
use serde_json::{Map, Value};
use tasnif::corpus::{Corpus, LabeledSentence};
use tasnif::evaluate::bootstrap::{bootstrap, BootstrapOptions};
use tasnif::evaluate::breakdown::{breakdown, GroupFigures};
use tasnif::evaluate::calibration::DEFAULT_BINS;
use tasnif::evaluate::{Calibration, Intervals, Report, Resampling};
use tasnif::pipeline::{FeatureWeight, Pipeline};

use super::about::{timestamp, ModelAbout};
use super::files::{load_model_bytes, read_corpus_with, write_atomic};
use super::{EvaluateArgs, ExplainFormat, ReportFormat};

pub use json::json_value;

/// How many mistakes a report lists, and how many n-grams each.
const MISTAKES: usize = 25;
const MISTAKE_NGRAMS: usize = 5;

/// A sentence the model got wrong.
pub struct Mistake {
    pub text: String,
    pub doc: Option<String>,
    pub gold: String,
    pub predicted: String,
    pub probability: f32,
    /// The n-grams that pushed most towards the predicted label.
    pub ngrams: Vec<FeatureWeight>,
}

/// Everything a report shows.
pub struct Evaluation {
    pub model: ModelAbout,
    pub data: String,
    pub when: String,
    pub report: Report,
    /// Bootstrap intervals, and the column the articles came from.
    pub intervals: Option<(Intervals, Option<String>)>,
    pub calibration: Calibration,
    /// `--by`: the column and the figures of each of its values.
    pub groups: Option<(String, Vec<GroupFigures>)>,
    /// The most confident mistakes, surest first.
    pub mistakes: Vec<Mistake>,
    pub mistakes_total: usize,
}

pub fn run(a: EvaluateArgs) -> Result<()> {
    if a.format == ReportFormat::Html && a.out.is_none() {
        anyhow::bail!("--format html writes a page: give it a file with --out report.html");
    }
    let (model, bytes) = load_model_bytes(a.model.as_deref())?;
    let corpus = read_corpus_with(
        &a.data,
        a.bootstrap.group_col.as_deref(),
        a.by.as_deref(),
        false,
    )?;
    let ev = evaluation(&a, &model, &bytes, &corpus)?;
    let text = match a.format {
        ReportFormat::Text => text::render(&ev),
        ReportFormat::Json => serde_json::to_string_pretty(&json::full(&ev))? + "\n",
        ReportFormat::Markdown => markdown::render(&ev),
        ReportFormat::Html => super::report_html::render(&ev, &model),
    };
    match &a.out {
        Some(path) => write_atomic(path, text.as_bytes()),
        None => super::write_stdout(text.as_bytes()),
    }
}

fn evaluation(
    a: &EvaluateArgs,
    model: &Pipeline,
    bytes: &[u8],
    corpus: &Corpus,
) -> Result<Evaluation> {
    let data = &corpus.sentences;
    let (report, probs) = model
        .evaluate(data)
        .map_err(super::hints::hinted)
        .with_context(|| format!("{}", a.data.data.display()))?;
    let (truth, predicted) = indices(model, data, &probs);
    let k = model.labels().len();
    let intervals = if a.bootstrap.resamples == 0 {
        None
    } else {
        let (groups, column) = group_ids(data, a.bootstrap.group_col.as_deref());
        let options = BootstrapOptions {
            resamples: a.bootstrap.resamples,
            seed: a.bootstrap.seed,
            ..Default::default()
        };
        let ci = bootstrap(k, &truth, &predicted, groups.as_deref(), &options)
            .map_err(super::hints::hinted)?;
        Some((ci, column))
    };
    let groups =
        a.by.as_ref()
            .map(|col| (col.clone(), breakdown(k, &truth, &predicted, &corpus.by)));
    let (mistakes, mistakes_total) = mistakes(model, data, &truth, &predicted, &probs);
    Ok(Evaluation {
        model: ModelAbout::new(a.model.as_deref(), bytes, model),
        data: a.data.data.display().to_string(),
        when: timestamp(),
        report,
        intervals,
        calibration: Calibration::new(&truth, &probs, DEFAULT_BINS),
        groups,
        mistakes,
        mistakes_total,
    })
}

/// The first most probable label, as the library picks it.
pub fn top(p: &[f32]) -> usize {
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    best
}

/// True and predicted label indices of sentences scored by `Pipeline::evaluate`.
pub fn indices(
    model: &Pipeline,
    data: &[LabeledSentence],
    probs: &[Vec<f32>],
) -> (Vec<usize>, Vec<usize>) {
    let labels = model.labels();
    let truth = data
        .iter()
        .map(|s| labels.binary_search(&s.label).unwrap_or(0))
        .collect();
    (truth, probs.iter().map(|p| top(p)).collect())
}

/// Article ids for the bootstrap: from the `--group-col` column when given, else from
/// the `doc` column when every sentence has one; with the column's name.
pub fn group_ids(
    data: &[LabeledSentence],
    group_col: Option<&str>,
) -> (Option<Vec<usize>>, Option<String>) {
    if data.iter().any(|s| s.doc.is_none()) {
        return (None, None);
    }
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let groups = data
        .iter()
        .map(|s| {
            let next = ids.len();
            *ids.entry(s.doc.as_deref().unwrap_or_default())
                .or_insert(next)
        })
        .collect();
    (Some(groups), Some(group_col.unwrap_or("doc").to_string()))
}

/// How the intervals were drawn, e.g. `1000 resamples of the 120 articles (column doc), seed 0`.
pub fn resampling_line(ci: &Intervals, column: Option<&str>) -> String {
    let what = match (ci.resampling, column) {
        (Resampling::Groups(n), Some(c)) => format!("the {n} articles (column {c})"),
        (Resampling::Groups(n), None) => format!("the {n} articles"),
        (Resampling::Sentences(n), _) => format!("the {n} sentences (no article column)"),
    };
    format!(
        "{:.0}% percentile bootstrap, {} resamples of {what}, seed {}",
        ci.confidence * 100.0,
        ci.resamples,
        ci.seed
    )
}

fn mistakes(
    model: &Pipeline,
    data: &[LabeledSentence],
    truth: &[usize],
    predicted: &[usize],
    probs: &[Vec<f32>],
) -> (Vec<Mistake>, usize) {
    let mut wrong: Vec<(f32, usize)> = (0..data.len())
        .filter(|&i| truth[i] != predicted[i])
        .map(|i| (probs[i][predicted[i]], i))
        .collect();
    wrong.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let labels = model.labels();
    let listed = wrong
        .iter()
        .take(MISTAKES)
        .map(|&(p, i)| Mistake {
            text: data[i].text.clone(),
            doc: data[i].doc.clone(),
            gold: data[i].label.clone(),
            predicted: labels[predicted[i]].clone(),
            probability: p,
            ngrams: model.explain(&data[i].text, predicted[i], MISTAKE_NGRAMS),
        })
        .collect();
    (listed, wrong.len())
}

/// One line each: what the figures mean.
pub const METRIC_NOTES: [(&str, &str); 8] = [
    ("accuracy", "the share of sentences labeled correctly"),
    ("precision", "of the sentences given a label, the share that carry it"),
    ("recall", "of the sentences that carry a label, the share given it"),
    ("F1", "the harmonic mean of precision and recall"),
    ("macro avg", "the unweighted mean over labels: each label counts the same"),
    ("weighted avg", "the mean over labels weighted by support (sentences that carry each)"),
    ("ECE", "expected calibration error: the mean gap between top probability and accuracy over 15 bins, weighted by count (0 is calibrated)"),
    ("Brier", "the mean squared distance between the probabilities and the true label (0 best, 2 worst)"),
];

/// `tasnif explain`: the top n-grams of each label.
pub fn run_explain(a: super::ExplainArgs) -> Result<()> {
    let (model, _) = load_model_bytes(a.model.as_deref())?;
    let mut out = String::new();
    if a.format == ExplainFormat::Json {
        let mut m = Map::new();
        for (k, l) in model.labels().iter().enumerate() {
            m.insert(
                l.clone(),
                serde_json::to_value(model.top_features(k, a.top))?,
            );
        }
        out = serde_json::to_string_pretty(&Value::Object(m))? + "\n";
    } else {
        for (k, l) in model.labels().iter().enumerate() {
            let _ = writeln!(out, "{l}");
            for f in model.top_features(k, a.top) {
                let _ = writeln!(out, "  {:>8.3}  {}", f.weight, f.feature);
            }
        }
    }
    super::write_stdout(out.as_bytes())?;
    Ok(())
}
