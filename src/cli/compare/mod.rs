//! `tasnif compare`: two models scored on the same sentences, their differences with
//! paired bootstrap intervals and p-values, McNemar's test, and where they disagree.
//! The statistics are the library's (`tasnif::evaluate::compare`); this is the shell.

mod render;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tasnif::evaluate::bootstrap::BootstrapOptions;
use tasnif::evaluate::compare::compare;
use tasnif::evaluate::Comparison;
use tasnif::pipeline::Pipeline;

use super::about::{timestamp, ModelAbout};
use super::evaluate::{group_ids, indices};
use super::files::{load_model_bytes, read_corpus_with_groups, write_atomic};
use super::{CompareArgs, ReportFormat};

/// A sentence the two models label differently.
pub struct Disagreement {
    pub doc: Option<String>,
    pub text: String,
    pub gold: String,
    pub a: String,
    pub b: String,
}

/// Everything a comparison report shows.
pub struct CompareReport {
    pub a: ModelAbout,
    pub b: ModelAbout,
    pub data: String,
    pub when: String,
    pub comparison: Comparison,
    /// The article column the bootstrap drew from, if any.
    pub group_col: Option<String>,
    /// An evenly spread sample of the disagreements, in file order.
    pub sample: Vec<Disagreement>,
}

/// `builtin` names the built-in model; anything else is a path.
fn model_path(arg: &str) -> Option<PathBuf> {
    (arg != "builtin").then(|| PathBuf::from(arg))
}

fn load(arg: &str) -> Result<(Pipeline, ModelAbout)> {
    let path = model_path(arg);
    let (model, bytes) = load_model_bytes(path.as_deref())?;
    let about = ModelAbout::new(path.as_deref(), &bytes, &model);
    Ok((model, about))
}

pub fn run(a: CompareArgs) -> Result<()> {
    if a.format == ReportFormat::Html && a.out.is_none() {
        bail!("--format html writes a page: give it a file with --out compare.html");
    }
    if a.bootstrap.resamples == 0 {
        bail!("--bootstrap 0: compare needs at least 1 resample for its intervals and p-values");
    }
    let report = build(&a)?;
    let text = match a.format {
        ReportFormat::Text => render::text(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&render::json(&report))? + "\n",
        ReportFormat::Markdown => render::markdown(&report),
        ReportFormat::Html => render::html(&report),
    };
    match &a.out {
        Some(path) => write_atomic(path, text.as_bytes()),
        None => super::write_stdout(text.as_bytes()),
    }
}

fn build(a: &CompareArgs) -> Result<CompareReport> {
    let (model_a, about_a) = load(&a.a)?;
    let (model_b, about_b) = load(&a.b)?;
    if model_a.labels() != model_b.labels() {
        bail!(
            "the models have different labels ({}: {}; {}: {}): compare needs models of the same labels",
            about_a.name,
            model_a.labels().join(", "),
            about_b.name,
            model_b.labels().join(", ")
        );
    }
    let group_col = a.bootstrap.group_col.as_deref();
    let data = read_corpus_with_groups(&a.data, group_col, false)?.sentences;
    let score = |m: &Pipeline, name: &str| {
        m.evaluate(&data)
            .map_err(super::hints::hinted)
            .with_context(|| format!("{} with {name}", a.data.data.display()))
    };
    let (_, probs_a) = score(&model_a, &about_a.name)?;
    let (_, probs_b) = score(&model_b, &about_b.name)?;
    let (truth, pred_a) = indices(&model_a, &data, &probs_a);
    let (_, pred_b) = indices(&model_b, &data, &probs_b);
    let (groups, column) = group_ids(&data, group_col);
    let options = BootstrapOptions {
        resamples: a.bootstrap.resamples,
        seed: a.bootstrap.seed,
        ..Default::default()
    };
    let comparison = compare(
        model_a.labels().len(),
        &truth,
        &pred_a,
        &pred_b,
        groups.as_deref(),
        &options,
    )
    .map_err(super::hints::hinted)?;
    let differ: Vec<usize> = (0..data.len())
        .filter(|&i| pred_a[i] != pred_b[i])
        .collect();
    let labels = model_a.labels();
    let sample = spread(differ.len(), a.disagreements)
        .map(|j| {
            let i = differ[j];
            Disagreement {
                doc: data[i].doc.clone(),
                text: data[i].text.clone(),
                gold: data[i].label.clone(),
                a: labels[pred_a[i]].clone(),
                b: labels[pred_b[i]].clone(),
            }
        })
        .collect();
    Ok(CompareReport {
        a: about_a,
        b: about_b,
        data: display(&a.data.data),
        when: timestamp(),
        comparison,
        group_col: column,
        sample,
    })
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

/// `want` indices spread evenly over `0..len` (all of them when there are fewer).
fn spread(len: usize, want: usize) -> impl Iterator<Item = usize> {
    let take = want.min(len);
    (0..take).map(move |j| j * len / take)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_is_even_and_distinct() {
        assert_eq!(spread(10, 3).collect::<Vec<_>>(), [0, 3, 6]);
        assert_eq!(spread(2, 5).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(spread(0, 5).count(), 0);
        assert_eq!(model_path("builtin"), None);
    }
}
