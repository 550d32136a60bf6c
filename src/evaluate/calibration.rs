//! Whether the probabilities can be trusted: expected calibration error (ECE) over
//! equal-width bins of the top probability, the multi-class Brier score, and the bins
//! themselves (a reliability diagram's points).
//!
//! The functions take the probability vectors a model gave (one slice a sentence, in
//! label order) and the true label indices; the predicted label is the most probable
//! one. They know nothing of how the probabilities were made, so a recalibrated model
//! (temperature scaling) is measured the same way.

use serde::Serialize;

/// The number of bins the reports use (as in Guo et al. 2017).
pub const DEFAULT_BINS: usize = 15;

/// One bin of the top probability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// Lower edge (included).
    pub lo: f64,
    /// Upper edge (excluded, but for the last bin, which holds 1).
    pub hi: f64,
    /// Sentences whose top probability falls in the bin.
    pub count: usize,
    /// Their mean top probability (`None` for an empty bin).
    pub confidence: Option<f64>,
    /// The share of them labeled correctly (`None` for an empty bin).
    pub accuracy: Option<f64>,
}

/// Calibration figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Expected calibration error: the count-weighted mean over bins of
    /// |accuracy − confidence|, in [0, 1].
    pub ece: f64,
    /// Multi-class Brier score: the mean over sentences of Σₖ (pₖ − yₖ)², in [0, 2].
    pub brier: f64,
    /// The bins, lowest first.
    pub bins: Vec<Bin>,
}

fn top(p: &[f32]) -> (usize, f64) {
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    (best, p.get(best).copied().map_or(0.0, f64::from))
}

/// The bins of the top probability (`n_bins` of equal width over [0, 1]).
///
/// # Panics
/// If `truth` and `probs` differ in length or `n_bins` is 0.
pub fn reliability_bins<P: AsRef<[f32]>>(truth: &[usize], probs: &[P], n_bins: usize) -> Vec<Bin> {
    assert_eq!(
        truth.len(),
        probs.len(),
        "truth and probabilities differ in length"
    );
    let tops = truth.iter().zip(probs).map(|(&t, p)| {
        let (best, pmax) = top(p.as_ref());
        (pmax, best == t)
    });
    bins_of_top_probabilities(tops, n_bins)
}

/// The bins of (top probability, whether the most probable label is right) pairs.
///
/// # Panics
/// If `n_bins` is 0.
pub fn bins_of_top_probabilities(
    tops: impl IntoIterator<Item = (f64, bool)>,
    n_bins: usize,
) -> Vec<Bin> {
    assert!(n_bins > 0, "no bins");
    let mut count = vec![0usize; n_bins];
    let mut conf = vec![0.0f64; n_bins];
    let mut right = vec![0usize; n_bins];
    for (pmax, correct) in tops {
        let b = ((pmax * n_bins as f64) as usize).min(n_bins - 1);
        count[b] += 1;
        conf[b] += pmax;
        right[b] += usize::from(correct);
    }
    (0..n_bins)
        .map(|b| Bin {
            lo: b as f64 / n_bins as f64,
            hi: (b + 1) as f64 / n_bins as f64,
            count: count[b],
            confidence: (count[b] > 0).then(|| conf[b] / count[b] as f64),
            accuracy: (count[b] > 0).then(|| right[b] as f64 / count[b] as f64),
        })
        .collect()
}

/// Expected calibration error of (top probability, right) pairs over `n_bins`
/// equal-width bins (0 for no pairs).
///
/// # Panics
/// If `n_bins` is 0.
pub fn ece_of_top_probabilities(tops: impl IntoIterator<Item = (f64, bool)>, n_bins: usize) -> f64 {
    let bins = bins_of_top_probabilities(tops, n_bins);
    let n = bins.iter().map(|b| b.count).sum();
    ece_of(&bins, n)
}

/// Expected calibration error over `n_bins` equal-width bins of the top probability
/// (0 for no sentences).
///
/// # Panics
/// As [`reliability_bins`].
pub fn expected_calibration_error<P: AsRef<[f32]>>(
    truth: &[usize],
    probs: &[P],
    n_bins: usize,
) -> f64 {
    ece_of(&reliability_bins(truth, probs, n_bins), truth.len())
}

fn ece_of(bins: &[Bin], n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    bins.iter()
        .filter_map(|b| Some(b.count as f64 * (b.accuracy? - b.confidence?).abs()))
        .sum::<f64>()
        / n as f64
}

/// The multi-class Brier score: mean over sentences of Σₖ (pₖ − yₖ)², where yₖ is 1 for
/// the true label and 0 otherwise (0 for no sentences).
///
/// # Panics
/// If `truth` and `probs` differ in length.
pub fn brier_score<P: AsRef<[f32]>>(truth: &[usize], probs: &[P]) -> f64 {
    assert_eq!(
        truth.len(),
        probs.len(),
        "truth and probabilities differ in length"
    );
    if truth.is_empty() {
        return 0.0;
    }
    let total: f64 = truth
        .iter()
        .zip(probs)
        .map(|(&t, p)| {
            p.as_ref()
                .iter()
                .enumerate()
                .map(|(k, &v)| (f64::from(v) - if k == t { 1.0 } else { 0.0 }).powi(2))
                .sum::<f64>()
        })
        .sum();
    total / truth.len() as f64
}

impl Calibration {
    /// ECE, Brier score and bins of `probs` against `truth`, with `n_bins` bins.
    ///
    /// # Panics
    /// As [`reliability_bins`].
    pub fn new<P: AsRef<[f32]>>(truth: &[usize], probs: &[P], n_bins: usize) -> Calibration {
        let bins = reliability_bins(truth, probs, n_bins);
        Calibration {
            ece: ece_of(&bins, truth.len()),
            brier: brier_score(truth, probs),
            bins,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_hand_computed() {
        // Two sentences at 0.95 (one right), two at 0.65 (both right), 2 labels.
        let probs = [[0.95f32, 0.05], [0.05, 0.95], [0.65, 0.35], [0.35, 0.65]];
        let truth = [0, 0, 0, 1];
        let c = Calibration::new(&truth, &probs, 10);
        let nine = &c.bins[9];
        assert_eq!(nine.count, 2);
        assert!((nine.confidence.unwrap() - 0.95).abs() < 1e-6);
        assert_eq!(nine.accuracy, Some(0.5));
        assert_eq!(c.bins[6].count, 2);
        assert_eq!(c.bins[0].confidence, None);
        // ECE = (2 * |0.5 - 0.95| + 2 * |1 - 0.65|) / 4 = 0.4.
        assert!((c.ece - 0.4).abs() < 1e-6, "{}", c.ece);
        // Brier: 0.005, 1.805, 0.245, 0.245 → 0.575.
        assert!((c.brier - 0.575).abs() < 1e-6, "{}", c.brier);
        assert!((expected_calibration_error(&truth, &probs, 10) - c.ece).abs() < 1e-12);
    }

    #[test]
    fn perfect_and_edges() {
        let probs = [[1.0f32, 0.0], [0.0, 1.0]];
        let c = Calibration::new(&[0, 1], &probs, DEFAULT_BINS);
        assert_eq!((c.ece, c.brier), (0.0, 0.0));
        assert_eq!(c.bins.len(), 15);
        assert_eq!(c.bins[14].count, 2, "1.0 falls in the last bin");
        let none: [[f32; 2]; 0] = [];
        assert_eq!(Calibration::new(&[], &none, 15).ece, 0.0);
    }
}
