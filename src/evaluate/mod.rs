//! Accuracy reports: per-label precision, recall, F1 and support, macro and weighted
//! averages, and the confusion matrix. The report is a value; the CLI renders it.
//!
//! Beside the report: bootstrap intervals on its figures ([`bootstrap`]), calibration
//! of the probabilities ([`calibration`]), figures per group of sentences
//! ([`breakdown`]) and the paired comparison of two models ([`compare`]).

pub mod bootstrap;
pub mod breakdown;
pub mod calibration;
pub mod compare;
mod figures;

pub use bootstrap::{Interval, Intervals, LabelIntervals, Resampling};
pub use calibration::Calibration;
pub use compare::Comparison;
pub use figures::Figures;

use serde::Serialize;

/// Figures for one label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelMetrics {
    /// The label.
    pub label: String,
    /// Of the sentences predicted with this label, the share that carry it.
    pub precision: f64,
    /// Of the sentences that carry this label, the share predicted with it.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Sentences that carry this label.
    pub support: usize,
}

/// An evaluation report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Labels in matrix order.
    pub labels: Vec<String>,
    /// Sentences evaluated.
    pub n: usize,
    /// Share of sentences labeled correctly.
    pub accuracy: f64,
    /// Unweighted mean of the per-label F1 over labels with support.
    pub macro_f1: f64,
    /// Unweighted mean precision.
    pub macro_precision: f64,
    /// Unweighted mean recall.
    pub macro_recall: f64,
    /// Support-weighted mean precision.
    pub weighted_precision: f64,
    /// Support-weighted mean recall.
    pub weighted_recall: f64,
    /// Support-weighted mean F1.
    pub weighted_f1: f64,
    /// One entry a label, in `labels` order.
    pub per_label: Vec<LabelMetrics>,
    /// `confusion[t][p]`: sentences of true label `t` predicted as `p`.
    pub confusion: Vec<Vec<usize>>,
}

impl Report {
    /// Build the report from true and predicted label indices into `labels`.
    ///
    /// # Panics
    /// If `truth` and `predicted` differ in length or hold an index past `labels`.
    pub fn new(labels: Vec<String>, truth: &[usize], predicted: &[usize]) -> Report {
        assert_eq!(
            truth.len(),
            predicted.len(),
            "truth and predictions differ in length"
        );
        let k = labels.len();
        let mut flat = vec![0u64; k * k];
        for (&t, &p) in truth.iter().zip(predicted) {
            flat[t * k + p] += 1;
        }
        let mut f = Figures::new(k);
        f.compute(&flat);
        let confusion: Vec<Vec<usize>> = flat
            .chunks(k.max(1))
            .take(k)
            .map(|row| row.iter().map(|&c| c as usize).collect())
            .collect();
        let per_label = labels
            .iter()
            .enumerate()
            .map(|(i, label)| LabelMetrics {
                label: label.clone(),
                precision: f.precision[i],
                recall: f.recall[i],
                f1: f.f1[i],
                support: f.support[i] as usize,
            })
            .collect();
        Report {
            labels,
            n: truth.len(),
            accuracy: f.accuracy,
            macro_f1: f.macro_f1,
            macro_precision: f.macro_precision,
            macro_recall: f.macro_recall,
            weighted_precision: f.weighted_precision,
            weighted_recall: f.weighted_recall,
            weighted_f1: f.weighted_f1,
            per_label,
            confusion,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_hand_computed() {
        // truth a a a b b c ; pred a a b b c c
        let labels = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let r = Report::new(labels, &[0, 0, 0, 1, 1, 2], &[0, 0, 1, 1, 2, 2]);
        assert_eq!(
            r.confusion,
            vec![vec![2, 1, 0], vec![0, 1, 1], vec![0, 0, 1]]
        );
        assert!((r.accuracy - 4.0 / 6.0).abs() < 1e-12);
        // a: p 1, r 2/3, f1 0.8; b: p 1/2, r 1/2, f1 1/2; c: p 1/2, r 1, f1 2/3
        let f1: Vec<f64> = r.per_label.iter().map(|m| m.f1).collect();
        for (g, w) in f1.iter().zip([0.8, 0.5, 2.0 / 3.0]) {
            assert!((g - w).abs() < 1e-12);
        }
        assert!((r.macro_f1 - (0.8 + 0.5 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        assert!((r.weighted_f1 - (0.8 * 3.0 + 0.5 * 2.0 + 2.0 / 3.0) / 6.0).abs() < 1e-12);
        assert!((r.weighted_precision - (3.0 + 0.5 * 2.0 + 0.5) / 6.0).abs() < 1e-12);
        assert!((r.weighted_recall - r.accuracy).abs() < 1e-12);
        assert_eq!(r.per_label[0].support, 3);
    }

    #[test]
    fn empty_and_absent_labels() {
        let r = Report::new(vec!["a".into(), "b".into()], &[], &[]);
        assert_eq!(r.accuracy, 0.0);
        let r = Report::new(vec!["a".into(), "b".into()], &[0, 0], &[0, 0]);
        assert_eq!(
            r.macro_f1, 1.0,
            "label b has no support and is not averaged"
        );
    }
}
