//! Accuracy reports: per-label precision, recall, F1 and support, macro and weighted
//! averages, and the confusion matrix. The report is a value; the CLI renders it.

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
    /// Support-weighted mean F1.
    pub weighted_f1: f64,
    /// One entry a label, in `labels` order.
    pub per_label: Vec<LabelMetrics>,
    /// `confusion[t][p]`: sentences of true label `t` predicted as `p`.
    pub confusion: Vec<Vec<usize>>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
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
        let mut confusion = vec![vec![0usize; k]; k];
        for (&t, &p) in truth.iter().zip(predicted) {
            confusion[t][p] += 1;
        }
        let n = truth.len();
        let correct: usize = (0..k).map(|i| confusion[i][i]).sum();
        let mut per_label = Vec::with_capacity(k);
        for (i, label) in labels.iter().enumerate() {
            let support: usize = confusion[i].iter().sum();
            let predicted_i: usize = confusion.iter().map(|r| r[i]).sum();
            let precision = ratio(confusion[i][i], predicted_i);
            let recall = ratio(confusion[i][i], support);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            per_label.push(LabelMetrics {
                label: label.clone(),
                precision,
                recall,
                f1,
                support,
            });
        }
        // Averages over labels present in the data (as scikit-learn with labels=present).
        let present: Vec<&LabelMetrics> = per_label.iter().filter(|m| m.support > 0).collect();
        let mean = |f: &dyn Fn(&LabelMetrics) -> f64| {
            if present.is_empty() {
                0.0
            } else {
                present.iter().map(|m| f(m)).sum::<f64>() / present.len() as f64
            }
        };
        let macro_f1 = mean(&|m| m.f1);
        let macro_precision = mean(&|m| m.precision);
        let macro_recall = mean(&|m| m.recall);
        let weighted_f1 = if n == 0 {
            0.0
        } else {
            per_label
                .iter()
                .map(|m| m.f1 * m.support as f64)
                .sum::<f64>()
                / n as f64
        };
        Report {
            labels,
            n,
            accuracy: ratio(correct, n),
            macro_f1,
            macro_precision,
            macro_recall,
            weighted_f1,
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
