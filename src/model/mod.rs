//! Multinomial logistic regression as a linfa algorithm: training and prediction from
//! sparse rows.
//!
//! Parameters follow linfa's `ParamGuard` pattern: [`LogisticParams`] (consuming
//! setters, each stating its default; [`TrainOptions::params`] builds them from the
//! stored options) is checked by [`linfa::ParamGuard::check`] into
//! [`LogisticValidParams`], which implements
//! [`linfa::traits::Fit`]`<`[`SparseRecords`]`, Array1<usize>, `[`Error`](crate::Error)`>` and gives a
//! [`Fitted`] model; linfa's blanket impl also lets the unchecked params fit, checking
//! first. Sentence weights come from the dataset's `weights` times the class weights
//! ([`ClassWeight`]). The fitted [`LinearModel`] implements
//! [`linfa::traits::PredictInplace`] (class indices) and
//! [`LinearModel::predict_probabilities`].
//!
//! Two solvers minimize the same objective, the weighted summed multinomial
//! cross-entropy plus `alpha / 2 * ‖W‖²` (the intercept is not penalized), which is
//! linfa-logistic's:
//!
//! - [`Solver::Linfa`] densifies the training rows and fits linfa-logistic's
//!   `MultiLogisticRegression` (the reference). linfa-logistic reads no sample
//!   weights, so this solver refuses class weights and dataset weights other than 1.
//! - [`Solver::Sparse`] runs argmin's L-BFGS (the optimizer linfa-logistic uses) on
//!   the sparse rows directly, with a weight per sentence; it scales to large
//!   vocabularies that would not fit densified.
//!
//! Prediction is `softmax((W·x + b) / T)` over the stored entries of a sparse row,
//! where `T` is the model's temperature: 1 after training, another value after
//! temperature scaling on held-out data ([`crate::calibrate`]). The scores before the
//! softmax (the logits, [`LinearModel::scores_into`]) do not depend on `T`, and
//! neither does the most probable class.
//!
//! ```
//! use linfa::prelude::*;
//! use ndarray::{array, Array1};
//! use tasnif::model::{ClassWeight, LogisticParams};
//! use tasnif::sparse::SparseRecords;
//!
//! // Four sentences over three features, CSR: row i is indices[indptr[i]..indptr[i + 1]].
//! let x = SparseRecords::new(vec![0, 1, 2, 3, 4], vec![0, 0, 1, 2], vec![1.0; 4], 3).unwrap();
//! let data = DatasetBase::new(x, array![0usize, 0, 1, 1]);
//! let fitted = LogisticParams::new().class_weight(ClassWeight::None).fit(&data).unwrap();
//! let labels: Array1<usize> = fitted.model().predict(&data);
//! assert_eq!(labels, array![0, 0, 1, 1]);
//! assert_eq!(fitted.model().predict_probabilities(&data.records).dim(), (4, 2));
//! ```

mod fit;
mod lbfgs;
mod params;

use linfa::dataset::Records;
use linfa::traits::PredictInplace;
use ndarray::{Array1, Array2};

pub use fit::Fitted;
pub use params::{
    ClassWeight, LogisticParams, LogisticValidParams, ParamsError, Solver, TrainOptions,
};

use crate::error::{PartsError, Result};
use crate::sparse::SparseRecords;
use crate::vectorize::SparseRow;

/// Fitted weights: `n_features × n_classes` (feature-major), one intercept a class,
/// and the temperature the scores are divided by before the softmax.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    n_features: usize,
    n_classes: usize,
    weights: Vec<f32>,
    intercept: Vec<f32>,
    temperature: f32,
}

impl LinearModel {
    /// A model from raw parts; `weights` is feature-major (`w[f * n_classes + k]`).
    /// Its temperature is 1 ([`LinearModel::with_temperature`] sets another).
    ///
    /// # Errors
    ///
    /// [`Error::Parts`](crate::Error::Parts): [`PartsError::WeightsShape`] if the lengths do not fit
    /// `n_features × n_classes` or there are no classes,
    /// [`PartsError::NonFiniteWeights`] for a NaN or infinite weight or intercept.
    pub fn from_parts(
        n_features: usize,
        n_classes: usize,
        weights: Vec<f32>,
        intercept: Vec<f32>,
    ) -> Result<Self> {
        if weights.len() != n_features * n_classes || intercept.len() != n_classes || n_classes == 0
        {
            return Err(PartsError::WeightsShape {
                weights: weights.len(),
                intercept: intercept.len(),
                n_features,
                n_classes,
            }
            .into());
        }
        if weights.iter().chain(&intercept).any(|w| !w.is_finite()) {
            return Err(PartsError::NonFiniteWeights.into());
        }
        Ok(LinearModel {
            n_features,
            n_classes,
            weights,
            intercept,
            temperature: 1.0,
        })
    }

    /// The same model with probabilities `softmax(scores / temperature)`.
    ///
    /// # Errors
    ///
    /// [`Error::Parts`](crate::Error::Parts): [`PartsError::InvalidTemperature`] unless
    /// `temperature` is a finite number above 0.
    pub fn with_temperature(self, temperature: f32) -> Result<Self> {
        if !(temperature.is_finite() && temperature > 0.0) {
            return Err(PartsError::InvalidTemperature { temperature }.into());
        }
        Ok(LinearModel {
            temperature,
            ..self
        })
    }
    /// The temperature the scores are divided by before the softmax (1 unless
    /// calibrated).
    pub fn temperature(&self) -> f32 {
        self.temperature
    }
    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.n_features
    }
    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }
    /// Feature-major weights.
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }
    /// Intercepts, one a class.
    pub fn intercept(&self) -> &[f32] {
        &self.intercept
    }
    /// Weight of feature `f` for class `k`.
    pub fn weight(&self, f: usize, k: usize) -> f32 {
        self.weights[f * self.n_classes + k]
    }

    /// Class probabilities of a row into `out` (resized to the number of classes):
    /// [`LinearModel::scores_into`], then [`LinearModel::probabilities_in_place`].
    /// Indices at or past `n_features` are ignored.
    pub fn predict_proba_into(&self, indices: &[u32], values: &[f32], out: &mut Vec<f32>) {
        self.scores_into(indices, values, out);
        self.probabilities_in_place(out);
    }

    /// The scores of a row before the softmax, `W·x + b` (the logits), into `out`
    /// (resized to the number of classes); the temperature plays no part. Indices at
    /// or past `n_features` are ignored.
    pub fn scores_into(&self, indices: &[u32], values: &[f32], out: &mut Vec<f32>) {
        out.clear();
        out.extend_from_slice(&self.intercept);
        match self.n_classes {
            2 => self.scores_fixed::<2>(indices, values, out),
            3 => self.scores_fixed::<3>(indices, values, out),
            4 => self.scores_fixed::<4>(indices, values, out),
            5 => self.scores_fixed::<5>(indices, values, out),
            6 => self.scores_fixed::<6>(indices, values, out),
            _ => self.scores_any(indices, values, out),
        }
    }

    /// [`LinearModel::scores_into`]'s sum for `K` classes known at compile time: the
    /// same additions in the same order, without a bounds check or loop per class.
    #[inline]
    fn scores_fixed<const K: usize>(&self, indices: &[u32], values: &[f32], out: &mut [f32]) {
        let Ok(acc) = <&mut [f32; K]>::try_from(out) else {
            return;
        };
        let (rows, _) = self.weights.as_chunks::<K>();
        for (&i, &v) in indices.iter().zip(values) {
            if let Some(w) = rows.get(i as usize) {
                for j in 0..K {
                    acc[j] += v * w[j];
                }
            }
        }
    }

    /// [`LinearModel::scores_into`]'s sum for any number of classes.
    fn scores_any(&self, indices: &[u32], values: &[f32], out: &mut [f32]) {
        let k = self.n_classes;
        for (&i, &v) in indices.iter().zip(values) {
            let i = i as usize;
            if i < self.n_features {
                let w = &self.weights[i * k..(i + 1) * k];
                for (o, wk) in out.iter_mut().zip(w) {
                    *o += v * wk;
                }
            }
        }
    }

    /// Turn scores from [`LinearModel::scores_into`] into probabilities in place:
    /// `softmax(scores / temperature)`. At temperature 1 the division changes no
    /// score, so an uncalibrated model's probabilities are the plain softmax's.
    pub fn probabilities_in_place(&self, scores: &mut [f32]) {
        tempered_softmax_in_place(scores, self.temperature);
    }

    /// Class probabilities of a row.
    pub fn predict_proba(&self, row: &SparseRow) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.n_classes);
        self.predict_proba_into(&row.indices, &row.values, &mut out);
        out
    }
}

/// `softmax(s / temperature)` in place. At temperature 1 no score is divided, so the
/// result is [`softmax_in_place`]'s, bit for bit.
pub fn tempered_softmax_in_place(s: &mut [f32], temperature: f32) {
    if temperature != 1.0 {
        for v in s.iter_mut() {
            *v /= temperature;
        }
    }
    softmax_in_place(s);
}

/// Softmax in place, stable for large scores.
pub fn softmax_in_place(s: &mut [f32]) {
    let max = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0f32;
    for v in s.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in s.iter_mut() {
        *v /= sum;
    }
}

impl LinearModel {
    /// Class probabilities of every row of `x`: `n_rows × n_classes`. Column indices
    /// at or past [`LinearModel::n_features`] are ignored.
    pub fn predict_probabilities(&self, x: &SparseRecords) -> Array2<f32> {
        let k = self.n_classes;
        let mut out = Array2::<f32>::zeros((x.n_rows(), k));
        let mut p = Vec::with_capacity(k);
        for (i, mut row) in out.rows_mut().into_iter().enumerate() {
            let (idx, val) = x.row(i);
            self.predict_proba_into(idx, val, &mut p);
            row.iter_mut().zip(&p).for_each(|(o, &v)| *o = v);
        }
        out
    }
}

/// The most probable class of each row (the first on a tie). Column indices at or past
/// [`LinearModel::n_features`] are ignored.
impl PredictInplace<SparseRecords, Array1<usize>> for LinearModel {
    /// # Panics
    ///
    /// If `y` has not one entry per row of `x` (as linfa's models do).
    fn predict_inplace(&self, x: &SparseRecords, y: &mut Array1<usize>) {
        assert_eq!(
            x.nsamples(),
            y.len(),
            "the number of rows and of targets must be the same"
        );
        let mut p = Vec::with_capacity(self.n_classes);
        for (i, yi) in y.iter_mut().enumerate() {
            let (idx, val) = x.row(i);
            self.predict_proba_into(idx, val, &mut p);
            *yi = argmax(&p);
        }
    }

    fn default_target(&self, x: &SparseRecords) -> Array1<usize> {
        Array1::zeros(x.nsamples())
    }
}

/// The index of the largest value, the first on a tie.
pub fn argmax(p: &[f32]) -> usize {
    let mut best = 0;
    for (i, v) in p.iter().enumerate() {
        if *v > p[best] {
            best = i;
        }
    }
    best
}

/// The training objective at `model`: weighted summed cross-entropy + `alpha/2 ‖W‖²`.
pub fn objective(
    x: &SparseRecords,
    y: &[usize],
    weights: &[f64],
    alpha: f64,
    model: &LinearModel,
) -> f64 {
    let mut loss = 0f64;
    for i in 0..x.n_rows() {
        let (idx, val) = x.row(i);
        let mut h: Vec<f64> = model.intercept.iter().map(|&b| b as f64).collect();
        for (&j, &v) in idx.iter().zip(val) {
            for (c, hc) in h.iter_mut().enumerate() {
                *hc += v as f64 * model.weight(j as usize, c) as f64;
            }
        }
        let lse = log_sum_exp(&h);
        loss += weights[i] * (lse - h[y[i]]);
    }
    let reg: f64 = model.weights.iter().map(|&w| (w as f64) * (w as f64)).sum();
    loss + 0.5 * alpha * reg
}

fn log_sum_exp(h: &[f64]) -> f64 {
    let max = h.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    max + h.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_class_counts_sum_exactly_as_the_general_loop() {
        for k in 2..=7 {
            let n = 50;
            let mut seed = 0x9E37_79B9u32.wrapping_mul(k as u32 + 1);
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                (seed % 2001) as f32 / 1000.0 - 1.0
            };
            let weights: Vec<f32> = (0..n * k).map(|_| next()).collect();
            let intercept: Vec<f32> = (0..k).map(|_| next()).collect();
            let model = LinearModel::from_parts(n, k, weights, intercept.clone()).unwrap();
            // Unsorted, repeated, and past the last feature (ignored).
            let indices = [7u32, 3, 49, 3, 0, 50, 1_000, 12];
            let values: Vec<f32> = indices.iter().map(|_| next()).collect();
            let mut fast = Vec::new();
            model.scores_into(&indices, &values, &mut fast);
            let mut general = intercept;
            model.scores_any(&indices, &values, &mut general);
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&fast), bits(&general), "{k} classes");
        }
    }

    #[test]
    fn predict_inplace_and_probabilities_agree_with_rows() {
        // Feature 0 votes for class 0, feature 1 for class 1; class 2 by intercept.
        let model = LinearModel::from_parts(
            2,
            3,
            vec![2.0, -1.0, 0.0, -1.0, 2.0, 0.0],
            vec![0.0, 0.0, 0.5],
        )
        .unwrap();
        let x =
            SparseRecords::new(vec![0, 1, 2, 2, 3], vec![0, 1, 7], vec![1.0, 1.0, 1.0], 8).unwrap();
        let probs = model.predict_probabilities(&x);
        let mut labels = model.default_target(&x);
        model.predict_inplace(&x, &mut labels);
        assert_eq!(labels.to_vec(), [0, 1, 2, 2]);
        for i in 0..x.n_rows() {
            let (idx, val) = x.row(i);
            let mut p = Vec::new();
            model.predict_proba_into(idx, val, &mut p);
            assert_eq!(probs.row(i).to_vec(), p);
            assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        }
        // Row 3 has only an index past the model's features: the intercepts decide.
        assert_eq!(probs.row(2), probs.row(3));
    }
}
