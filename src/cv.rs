//! Cross-validation: stratified k-fold splits that keep articles together, and the
//! mean and spread of each metric over the folds.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::corpus::LabeledSentence;
use crate::error::{Error, Result};
use crate::evaluate::Report;
use crate::pipeline::{Pipeline, TrainConfig};
use crate::rng::SplitMix64;

/// Split sentence indices into `k` folds, stratified by label. With `by_group`,
/// sentences of one article (`doc`) stay in one fold; without it each sentence is its
/// own group. Deterministic for a given `seed`.
///
/// # Errors
///
/// [`Error::TooFewFolds`] if `k` is below 2, [`Error::TooFewGroups`] if there are
/// fewer articles (or sentences, without `by_group`) than folds.
pub fn folds(
    data: &[LabeledSentence],
    k: usize,
    by_group: bool,
    seed: u64,
) -> Result<Vec<Vec<usize>>> {
    if k < 2 {
        return Err(Error::TooFewFolds { folds: k });
    }
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in data.iter().enumerate() {
        let key = match (&s.doc, by_group) {
            (Some(d), true) => d.clone(),
            _ => format!("\u{0}{i}"),
        };
        groups.entry(key).or_default().push(i);
    }
    if groups.len() < k {
        return Err(Error::TooFewGroups {
            folds: k,
            groups: groups.len(),
        });
    }
    let labels: Vec<&str> = data
        .iter()
        .map(|s| s.label.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let label_of = |i: usize| labels.binary_search(&data[i].label.as_str()).unwrap_or(0);
    // Shuffle groups with the seed, then place large groups first.
    let mut rng = SplitMix64::new(seed);
    let mut order: Vec<(u64, Vec<usize>)> =
        groups.into_values().map(|g| (rng.next_u64(), g)).collect();
    order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    let mut fold_labels = vec![vec![0usize; labels.len()]; k];
    let mut out = vec![Vec::new(); k];
    for (_, g) in order {
        let mut need = vec![0usize; labels.len()];
        g.iter().for_each(|&i| need[label_of(i)] += 1);
        // The fold with the fewest sentences of this group's labels, then the smallest.
        let best = (0..k)
            .min_by_key(|&f| {
                let same: usize = need
                    .iter()
                    .zip(&fold_labels[f])
                    .map(|(n, c)| if *n > 0 { *c } else { 0 })
                    .sum();
                (same, out[f].len(), f)
            })
            .unwrap_or(0);
        need.iter()
            .enumerate()
            .for_each(|(l, n)| fold_labels[best][l] += n);
        out[best].extend(g);
    }
    for f in &mut out {
        f.sort_unstable();
    }
    Ok(out)
}

/// Mean and standard deviation of one metric over folds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (0 for one value).
    pub std: f64,
}

impl Spread {
    fn of(values: &[f64]) -> Spread {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n.max(1.0);
        let var = if values.len() > 1 {
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            0.0
        };
        Spread {
            mean,
            std: var.sqrt(),
        }
    }
}

/// Cross-validation results.
#[derive(Debug, Clone, Serialize)]
pub struct CvReport {
    /// One report per fold, on that fold's held-out sentences.
    pub folds: Vec<Report>,
    /// Accuracy over folds.
    pub accuracy: Spread,
    /// Macro F1 over folds.
    pub macro_f1: Spread,
    /// Weighted F1 over folds.
    pub weighted_f1: Spread,
    /// Per-label F1 over folds.
    pub per_label_f1: BTreeMap<String, Spread>,
}

/// Train on all folds but one and evaluate on that one, for each fold.
/// `on_fold` is called after each fold (for progress).
///
/// # Errors
///
/// The first error of [`Pipeline::fit`] on a fold's training part or of
/// [`Pipeline::evaluate`] on its held-out part (a label only in the held-out part is
/// [`Error::UnknownLabels`]).
pub fn cross_validate(
    data: &[LabeledSentence],
    config: &TrainConfig,
    folds: &[Vec<usize>],
    mut on_fold: impl FnMut(usize, &Report),
) -> Result<CvReport> {
    let mut reports = Vec::with_capacity(folds.len());
    for (f, held_out) in folds.iter().enumerate() {
        let mut is_test = vec![false; data.len()];
        held_out.iter().for_each(|&i| is_test[i] = true);
        let train: Vec<LabeledSentence> = data
            .iter()
            .zip(&is_test)
            .filter(|(_, t)| !**t)
            .map(|(s, _)| s.clone())
            .collect();
        let model = Pipeline::fit(&train, config)?;
        // Sentences whose label no training sentence had cannot be scored; keep the rest.
        let test: Vec<LabeledSentence> = held_out
            .iter()
            .map(|&i| data[i].clone())
            .filter(|s| model.labels().binary_search(&s.label).is_ok())
            .collect();
        let (report, _) = model.evaluate(&test)?;
        on_fold(f, &report);
        reports.push(report);
    }
    let get = |f: &dyn Fn(&Report) -> f64| Spread::of(&reports.iter().map(f).collect::<Vec<_>>());
    let mut per_label_f1 = BTreeMap::new();
    let all_labels: BTreeSet<&String> = reports.iter().flat_map(|r| r.labels.iter()).collect();
    for l in all_labels {
        let v: Vec<f64> = reports
            .iter()
            .filter_map(|r| {
                r.per_label
                    .iter()
                    .find(|m| &m.label == l && m.support > 0)
                    .map(|m| m.f1)
            })
            .collect();
        per_label_f1.insert(l.clone(), Spread::of(&v));
    }
    Ok(CvReport {
        accuracy: get(&|r| r.accuracy),
        macro_f1: get(&|r| r.macro_f1),
        weighted_f1: get(&|r| r.weighted_f1),
        per_label_f1,
        folds: reports,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Vec<LabeledSentence> {
        let mut v = Vec::new();
        for d in 0..20 {
            for j in 0..3 {
                let label = if (d + j) % 3 == 0 {
                    "a"
                } else if d % 2 == 0 {
                    "b"
                } else {
                    "c"
                };
                v.push(LabeledSentence {
                    doc: Some(format!("d{d}")),
                    text: format!("t{d} {j}"),
                    label: label.into(),
                    line: 0,
                });
            }
        }
        v
    }

    #[test]
    fn folds_partition_keep_groups_and_stratify() {
        let d = data();
        let f = folds(&d, 4, true, 7).unwrap();
        let mut all: Vec<usize> = f.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..d.len()).collect::<Vec<_>>());
        for fold in &f {
            let docs: BTreeSet<&str> = fold.iter().map(|&i| d[i].doc.as_deref().unwrap()).collect();
            for other in f.iter().filter(|o| *o != fold) {
                assert!(
                    other
                        .iter()
                        .all(|&i| !docs.contains(d[i].doc.as_deref().unwrap())),
                    "a doc in two folds"
                );
            }
            let a = fold.iter().filter(|&&i| d[i].label == "a").count();
            assert!((4..=6).contains(&a), "label a spread over folds: {a}");
        }
        assert_eq!(f, folds(&d, 4, true, 7).unwrap(), "deterministic");
        assert_ne!(f, folds(&d, 4, true, 8).unwrap(), "the seed matters");
    }

    #[test]
    fn too_few_groups_is_an_error() {
        assert!(folds(&data()[..3], 4, true, 0).is_err());
        assert!(folds(&data(), 1, true, 0).is_err());
    }

    #[test]
    fn spread() {
        let s = Spread::of(&[1.0, 2.0, 3.0]);
        assert!((s.mean - 2.0).abs() < 1e-12 && (s.std - 1.0).abs() < 1e-12);
    }
}
