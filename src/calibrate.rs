//! Temperature scaling: one number `T > 0` that makes a model's probabilities say how
//! often it is right, fitted on held-out labeled sentences.
//!
//! A model's probability of label `k` is `softmax(z / T)_k`, where `z` are its scores
//! before the softmax (the logits, [`crate::model::LinearModel::scores_into`]).
//! Dividing every score by the same `T` never changes which label is the most
//! probable; it only makes the probabilities sharper (`T < 1`) or flatter (`T > 1`).
//! [`Logits::fit_temperature`] picks the `T` in
//! [`MIN_TEMPERATURE`]`..=`[`MAX_TEMPERATURE`] that minimizes the mean log loss
//! (negative log-likelihood of the gold labels) over held-out sentences, by
//! golden-section search on `ln T`: the log loss is convex in `1 / T` (a log-sum-exp
//! of a linear function minus a linear function), so it has one minimum along `ln T`
//! and the search, a fixed number of steps, finds it deterministically.
//!
//! This module knows nothing of text: it takes scores and gold label indices.
//! [`crate::pipeline::Pipeline::calibrate`] computes them from labeled sentences, and
//! [`crate::pipeline::Pipeline::with_temperature`] sets the fitted `T` on a model;
//! training sets `T = 1` and never fits it on its own training data.
//!
//! ```
//! use tasnif::calibrate::Logits;
//!
//! // A model that is right 3 times in 4, each time with scores 4 apart: too sure.
//! let mut held_out = Logits::new(2);
//! for (scores, gold) in [([4.0, 0.0], 0), ([4.0, 0.0], 0), ([4.0, 0.0], 0), ([4.0, 0.0], 1)] {
//!     held_out.push(&scores, gold);
//! }
//! let t = held_out.fit_temperature(1.0);
//! assert!(t > 1.0);
//! assert!(held_out.log_loss(t) < held_out.log_loss(1.0));
//! // Probability 3/4 for the top label at the fitted temperature: softmax(4 / T) = 0.75.
//! assert!((held_out.confidences(t)[0].top - 0.75).abs() < 1e-3);
//! ```

use crate::model::tempered_softmax_in_place;

/// The smallest temperature [`Logits::fit_temperature`] considers.
pub const MIN_TEMPERATURE: f32 = 0.05;

/// The largest temperature [`Logits::fit_temperature`] considers.
pub const MAX_TEMPERATURE: f32 = 20.0;

/// Golden-section steps: each keeps 0.618 of the bracket, so 100 steps narrow
/// `ln 20 - ln 0.05 ≈ 6` to about 1e-20, far below what an `f32` temperature shows.
const GOLDEN_STEPS: usize = 100;

/// The scores (logits) of held-out sentences and their gold label indices.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Logits {
    n_labels: usize,
    /// Row-major: sentence `i`'s scores are `scores[i * n_labels..(i + 1) * n_labels]`.
    scores: Vec<f32>,
    gold: Vec<usize>,
}

/// The top probability of one sentence and whether its label was the gold one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confidence {
    /// The probability of the most probable label.
    pub top: f32,
    /// The most probable label is the gold label.
    pub correct: bool,
}

impl Logits {
    /// No sentences yet, for a model with `n_labels` labels.
    pub fn new(n_labels: usize) -> Logits {
        Logits {
            n_labels,
            scores: Vec::new(),
            gold: Vec::new(),
        }
    }

    /// Add one sentence: its scores (one a label) and the index of its gold label.
    ///
    /// # Panics
    ///
    /// If `scores` does not have one score a label or `gold` is not a label index.
    pub fn push(&mut self, scores: &[f32], gold: usize) {
        assert_eq!(scores.len(), self.n_labels, "one score a label");
        assert!(gold < self.n_labels, "gold label {gold} out of range");
        self.scores.extend_from_slice(scores);
        self.gold.push(gold);
    }

    /// The number of sentences.
    pub fn len(&self) -> usize {
        self.gold.len()
    }

    /// Whether there are no sentences.
    pub fn is_empty(&self) -> bool {
        self.gold.is_empty()
    }

    /// Each sentence's scores and gold label index.
    fn rows(&self) -> impl Iterator<Item = (&[f32], usize)> {
        self.scores
            .chunks_exact(self.n_labels.max(1))
            .zip(self.gold.iter().copied())
    }

    /// The mean log loss at `temperature`: the mean over sentences of
    /// `-ln softmax(z / T)[gold]`, computed in `f64`; NaN when there are no sentences.
    pub fn log_loss(&self, temperature: f32) -> f64 {
        let t = f64::from(temperature);
        let total: f64 = self.rows().map(|(z, y)| nll(z, y, t)).sum();
        total / self.len() as f64
    }

    /// Each sentence's top probability at `temperature`, computed as a model with that
    /// temperature computes it, and whether the top label is the gold one.
    pub fn confidences(&self, temperature: f32) -> Vec<Confidence> {
        let mut p = Vec::with_capacity(self.n_labels);
        self.rows()
            .map(|(z, y)| {
                p.clear();
                p.extend_from_slice(z);
                tempered_softmax_in_place(&mut p, temperature);
                let top = crate::model::argmax(&p);
                Confidence {
                    top: p[top],
                    correct: top == y,
                }
            })
            .collect()
    }

    /// The temperature with the lowest [`Logits::log_loss`]: the minimum found by
    /// golden-section search on `ln T` over
    /// [`MIN_TEMPERATURE`]`..=`[`MAX_TEMPERATURE`], or `current` (the model's
    /// temperature now) when that is as good, so the log loss on these sentences
    /// never rises. Deterministic: the same scores give the same temperature. With no
    /// sentences it is `current`.
    pub fn fit_temperature(&self, current: f32) -> f32 {
        if self.is_empty() {
            return current;
        }
        let loss_at = |u: f64| self.log_loss(u.exp() as f32);
        let u = golden_section_min(
            f64::from(MIN_TEMPERATURE).ln(),
            f64::from(MAX_TEMPERATURE).ln(),
            loss_at,
        );
        let found = (u.exp() as f32).clamp(MIN_TEMPERATURE, MAX_TEMPERATURE);
        if self.log_loss(found) < self.log_loss(current) {
            found
        } else {
            current
        }
    }
}

/// `-ln softmax(z / t)[y]`, stable for large scores.
fn nll(z: &[f32], y: usize, t: f64) -> f64 {
    let scaled = |v: f32| f64::from(v) / t;
    let max = z
        .iter()
        .map(|&v| scaled(v))
        .fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = z.iter().map(|&v| (scaled(v) - max).exp()).sum();
    max + sum.ln() - scaled(z[y])
}

/// The point of `lo..=hi` where the unimodal `f` is lowest, by [`GOLDEN_STEPS`] steps
/// of golden-section search (the better end of the last bracket).
fn golden_section_min(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let mut a = hi - r * (hi - lo);
    let mut b = lo + r * (hi - lo);
    let (mut fa, mut fb) = (f(a), f(b));
    for _ in 0..GOLDEN_STEPS {
        if fa <= fb {
            hi = b;
            (b, fb) = (a, fa);
            a = hi - r * (hi - lo);
            fa = f(a);
        } else {
            lo = a;
            (a, fa) = (b, fb);
            b = lo + r * (hi - lo);
            fb = f(b);
        }
    }
    if fa <= fb {
        a
    } else {
        b
    }
}

/// Sentences of held-out data that calibration leaves out, by reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Excluded {
    /// No words (the model says `(no text)`).
    pub no_text: usize,
    /// Words, but no feature of the model (the model says `(unknown)`).
    pub unknown: usize,
    /// A gold label the model does not have.
    pub unknown_label: usize,
}

impl Excluded {
    /// All sentences left out.
    pub fn total(&self) -> usize {
        self.no_text + self.unknown + self.unknown_label
    }
}

/// What [`crate::pipeline::Pipeline::calibrate`] found on held-out sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The model's temperature before (1 for a model fresh from training).
    pub temperature_before: f32,
    /// The fitted temperature.
    pub temperature: f32,
    /// Mean log loss of the sentences used, at the temperature before.
    pub log_loss_before: f64,
    /// Mean log loss of the sentences used, at the fitted temperature (never higher).
    pub log_loss_after: f64,
    /// The scores and gold labels of the sentences used.
    pub logits: Logits,
    /// The sentences left out, by reason.
    pub excluded: Excluded,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentences with scores `[margin, 0, 0]`, the first label gold in `right` of
    /// every `of`.
    fn held_out(margin: f32, right: usize, of: usize) -> Logits {
        let mut l = Logits::new(3);
        for i in 0..of * 10 {
            let gold = if i % of < right { 0 } else { 1 + i % 2 };
            l.push(&[margin, 0.0, 0.0], gold);
        }
        l
    }

    #[test]
    fn an_overconfident_model_is_cooled_and_an_underconfident_one_sharpened() {
        // Right 3 in 5 with scores 6 apart: far too sure.
        let hot = held_out(6.0, 3, 5);
        let t = hot.fit_temperature(1.0);
        assert!(t > 1.0, "{t}");
        // Right 19 in 20 with scores 1 apart: not sure enough.
        let cold = held_out(1.0, 19, 20);
        let t = cold.fit_temperature(1.0);
        assert!(t < 1.0, "{t}");
    }

    #[test]
    fn the_fitted_temperature_is_the_log_loss_minimum() {
        // p(top) = e^(m/T) / (e^(m/T) + 2) is 3/5 at the minimum, so m/T = ln 3.
        let l = held_out(6.0, 3, 5);
        let t = l.fit_temperature(1.0);
        let want = 6.0 / 3f32.ln();
        assert!((t - want).abs() < 1e-3 * want, "{t} vs {want}");
        for other in [t * 0.9, t * 1.1, 1.0] {
            assert!(l.log_loss(t) <= l.log_loss(other));
        }
        assert!((l.confidences(t)[0].top - 0.6).abs() < 1e-4);
    }

    #[test]
    fn the_temperature_stays_in_its_bounds() {
        // Always right: the sharper the better, down to the lower bound.
        let always = held_out(2.0, 1, 1);
        let t = always.fit_temperature(1.0);
        assert!(
            (MIN_TEMPERATURE..MIN_TEMPERATURE * 1.001).contains(&t),
            "{t}"
        );
        // Right as often as chance would be: as flat as allowed.
        let chance = held_out(3.0, 1, 3);
        let t = chance.fit_temperature(1.0);
        assert!(t > 10.0 && t <= MAX_TEMPERATURE, "{t}");
    }

    #[test]
    fn the_log_loss_never_rises_and_the_current_temperature_is_kept_when_best() {
        let l = held_out(6.0, 3, 5);
        let best = l.fit_temperature(1.0);
        assert_eq!(l.fit_temperature(best), best);
        assert_eq!(Logits::new(3).fit_temperature(2.5), 2.5);
    }

    #[test]
    fn fitting_is_deterministic() {
        let l = held_out(4.0, 7, 10);
        let t = l.fit_temperature(1.0);
        for _ in 0..3 {
            assert_eq!(l.fit_temperature(1.0).to_bits(), t.to_bits());
        }
    }

    #[test]
    fn confidences_follow_the_temperature_but_not_the_labels() {
        let mut l = Logits::new(3);
        l.push(&[2.0, 0.5, -1.0], 0);
        l.push(&[0.1, 0.3, 0.2], 2);
        let at_1 = l.confidences(1.0);
        let at_3 = l.confidences(3.0);
        for (a, b) in at_1.iter().zip(&at_3) {
            assert_eq!(a.correct, b.correct);
            assert!(b.top < a.top);
        }
        assert_eq!([at_1[0].correct, at_1[1].correct], [true, false]);
    }
}
