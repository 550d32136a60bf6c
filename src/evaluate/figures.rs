//! The figures of a confusion matrix, computed into buffers that are reused, so that a
//! bootstrap computes them a thousand times without allocating.

/// Accuracy, per-label precision, recall and F1, and their macro and weighted means,
/// from a confusion matrix. Macro means are over the labels with support (as
/// scikit-learn's with the labels present); weighted means are by support.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Share of sentences on the diagonal.
    pub accuracy: f64,
    /// Mean F1 over labels with support.
    pub macro_f1: f64,
    /// Mean precision over labels with support.
    pub macro_precision: f64,
    /// Mean recall over labels with support.
    pub macro_recall: f64,
    /// Support-weighted mean precision.
    pub weighted_precision: f64,
    /// Support-weighted mean recall (equal to accuracy).
    pub weighted_recall: f64,
    /// Support-weighted mean F1.
    pub weighted_f1: f64,
    /// Precision of each label (0 when nothing is predicted with it).
    pub precision: Vec<f64>,
    /// Recall of each label (0 when it has no support).
    pub recall: Vec<f64>,
    /// F1 of each label (0 when precision and recall are both 0).
    pub f1: Vec<f64>,
    /// Sentences that carry each label.
    pub support: Vec<u64>,
    predicted: Vec<u64>,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Figures {
    /// Buffers for `k` labels, all figures 0.
    pub fn new(k: usize) -> Figures {
        Figures {
            accuracy: 0.0,
            macro_f1: 0.0,
            macro_precision: 0.0,
            macro_recall: 0.0,
            weighted_precision: 0.0,
            weighted_recall: 0.0,
            weighted_f1: 0.0,
            precision: vec![0.0; k],
            recall: vec![0.0; k],
            f1: vec![0.0; k],
            support: vec![0; k],
            predicted: vec![0; k],
        }
    }

    /// The number of labels.
    pub fn labels(&self) -> usize {
        self.f1.len()
    }

    /// Compute every figure of `confusion`, row-major `k × k` (`[t * k + p]`:
    /// sentences of true label `t` predicted as `p`).
    ///
    /// # Panics
    /// If `confusion` does not have `k × k` entries.
    pub fn compute(&mut self, confusion: &[u64]) {
        let k = self.labels();
        assert_eq!(confusion.len(), k * k, "confusion is not {k} x {k}");
        self.predicted.iter_mut().for_each(|c| *c = 0);
        let mut correct = 0;
        for t in 0..k {
            let row = &confusion[t * k..(t + 1) * k];
            self.support[t] = row.iter().sum();
            for (p, &c) in row.iter().enumerate() {
                self.predicted[p] += c;
            }
            correct += row[t];
        }
        let n: u64 = self.support.iter().sum();
        for i in 0..k {
            let tp = confusion[i * k + i];
            let (p, r) = (ratio(tp, self.predicted[i]), ratio(tp, self.support[i]));
            self.precision[i] = p;
            self.recall[i] = r;
            self.f1[i] = if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            };
        }
        self.accuracy = ratio(correct, n);
        self.means(n);
    }

    fn means(&mut self, n: u64) {
        let present = self.support.iter().filter(|&&s| s > 0).count();
        let macro_of = |v: &[f64]| -> f64 {
            if present == 0 {
                return 0.0;
            }
            let sum: f64 = v
                .iter()
                .zip(&self.support)
                .filter(|(_, &s)| s > 0)
                .map(|(x, _)| x)
                .sum();
            sum / present as f64
        };
        let weighted_of = |v: &[f64]| -> f64 {
            if n == 0 {
                return 0.0;
            }
            let sum: f64 = v
                .iter()
                .zip(&self.support)
                .map(|(x, &s)| x * s as f64)
                .sum();
            sum / n as f64
        };
        self.macro_f1 = macro_of(&self.f1);
        self.macro_precision = macro_of(&self.precision);
        self.macro_recall = macro_of(&self.recall);
        self.weighted_f1 = weighted_of(&self.f1);
        self.weighted_precision = weighted_of(&self.precision);
        self.weighted_recall = weighted_of(&self.recall);
    }
}
