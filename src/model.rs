//! Multinomial logistic regression: training and prediction from sparse rows.
//!
//! Two solvers minimize the same objective, the summed multinomial cross-entropy plus
//! `alpha / 2 * ‖W‖²` (the intercept is not penalized), which is linfa-logistic's:
//!
//! - [`Solver::Linfa`] densifies the training matrix and fits linfa-logistic's
//!   `MultiLogisticRegression` (the reference).
//! - [`Solver::Sparse`] runs argmin's L-BFGS (the optimizer linfa-logistic uses) on
//!   the sparse matrix directly, with an optional weight per sentence; it scales to
//!   large vocabularies that would not fit densified.
//!
//! Prediction is `softmax(W·x + b)` over the stored entries of a sparse row.

use std::cell::RefCell;

use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::{Array1, Array2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::vectorize::{SparseMatrix, SparseRow};

/// Which solver fits the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Solver {
    /// linfa-logistic on a dense copy of the training matrix.
    Linfa,
    /// L-BFGS on the sparse matrix (same objective).
    #[default]
    Sparse,
}

/// How sentences are weighted in the loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ClassWeight {
    /// Every sentence counts once.
    #[default]
    None,
    /// Each label's sentences weigh `n / (k * n_label)`, as scikit-learn's "balanced".
    Balanced,
}

/// Solver settings, saved in the model file's training metadata.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainOptions {
    /// L2 strength (about 1/C of scikit-learn).
    pub alpha: f64,
    /// Maximum L-BFGS iterations.
    pub max_iterations: u64,
    /// Stop when the gradient norm falls below this.
    pub gradient_tolerance: f64,
    /// Sparse solver: also stop when an iteration lowers the objective by less than
    /// this much per sentence (0: never).
    pub cost_tolerance: f64,
    /// Solver.
    pub solver: Solver,
    /// Sentence weights (the linfa solver supports only `None`).
    pub class_weight: ClassWeight,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            alpha: 0.1,
            max_iterations: 200,
            gradient_tolerance: 1e-4,
            cost_tolerance: 1e-6,
            solver: Solver::Sparse,
            class_weight: ClassWeight::Balanced,
        }
    }
}

impl TrainOptions {
    /// Check the ranges.
    pub fn validate(&self) -> Result<()> {
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(Error::InvalidOption(format!(
                "alpha {} must be a finite number >= 0",
                self.alpha
            )));
        }
        if !(self.cost_tolerance.is_finite() && self.cost_tolerance >= 0.0) {
            return Err(Error::InvalidOption(format!(
                "cost_tolerance {} must be >= 0",
                self.cost_tolerance
            )));
        }
        if self.max_iterations == 0 {
            return Err(Error::InvalidOption(
                "max_iterations must be at least 1".into(),
            ));
        }
        if !(self.gradient_tolerance.is_finite() && self.gradient_tolerance > 0.0) {
            return Err(Error::InvalidOption(format!(
                "gradient_tolerance {} must be > 0",
                self.gradient_tolerance
            )));
        }
        if self.solver == Solver::Linfa && self.class_weight != ClassWeight::None {
            return Err(Error::InvalidOption(
                "the linfa solver has no sentence weights: use --solver sparse with --class-weight balanced".into(),
            ));
        }
        Ok(())
    }
}

/// Fitted weights: `n_features × n_classes` (feature-major) and one intercept a class.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    n_features: usize,
    n_classes: usize,
    weights: Vec<f32>,
    intercept: Vec<f32>,
}

impl LinearModel {
    /// A model from raw parts; `weights` is feature-major (`w[f * n_classes + k]`).
    pub fn from_parts(
        n_features: usize,
        n_classes: usize,
        weights: Vec<f32>,
        intercept: Vec<f32>,
    ) -> Result<Self> {
        if weights.len() != n_features * n_classes || intercept.len() != n_classes || n_classes == 0
        {
            return Err(Error::InvalidOption(format!(
                "weights {} / intercept {} do not fit {n_features} features × {n_classes} classes",
                weights.len(),
                intercept.len()
            )));
        }
        if weights.iter().chain(&intercept).any(|w| !w.is_finite()) {
            return Err(Error::InvalidOption(
                "weights contain NaN or infinity".into(),
            ));
        }
        Ok(LinearModel {
            n_features,
            n_classes,
            weights,
            intercept,
        })
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

    /// Class probabilities of a row into `out` (resized to the number of classes).
    /// Indices at or past `n_features` are ignored.
    pub fn predict_proba_into(&self, indices: &[u32], values: &[f32], out: &mut Vec<f32>) {
        out.clear();
        out.extend_from_slice(&self.intercept);
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
        softmax_in_place(out);
    }

    /// Class probabilities of a row.
    pub fn predict_proba(&self, row: &SparseRow) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.n_classes);
        self.predict_proba_into(&row.indices, &row.values, &mut out);
        out
    }
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

/// A fitted model and, when the solver tells, the iterations it ran.
pub type Fitted = (LinearModel, Option<u64>);

/// Fit a model on rows `x` with class indices `y` (each `< n_classes`).
pub fn train(
    x: &SparseMatrix,
    y: &[usize],
    n_classes: usize,
    options: &TrainOptions,
) -> Result<Fitted> {
    options.validate()?;
    if x.n_rows() == 0 {
        return Err(Error::TrainingData("no sentences to train on".into()));
    }
    if x.n_rows() != y.len() {
        return Err(Error::TrainingData(format!(
            "{} rows but {} labels",
            x.n_rows(),
            y.len()
        )));
    }
    if let Some(&bad) = y.iter().find(|&&c| c >= n_classes) {
        return Err(Error::TrainingData(format!(
            "class index {bad} out of range {n_classes}"
        )));
    }
    let present = (0..n_classes).filter(|k| y.contains(k)).count();
    if present < 2 {
        return Err(Error::TrainingData(
            "all sentences have the same label; a classifier needs at least two labels".into(),
        ));
    }
    if x.n_cols == 0 {
        return Err(Error::TrainingData(
            "the vocabulary is empty: no feature passed min_df/max_df; lower --min-df or add sentences".into(),
        ));
    }
    match options.solver {
        Solver::Linfa => Ok((train_linfa(x, y, n_classes, options)?, None)),
        Solver::Sparse => train_sparse(x, y, n_classes, options),
    }
}

fn train_linfa(
    x: &SparseMatrix,
    y: &[usize],
    n_classes: usize,
    o: &TrainOptions,
) -> Result<LinearModel> {
    let dense = x.to_dense();
    let targets = Array1::from_vec(y.to_vec());
    let dataset = Dataset::new(dense, targets);
    let fitted = MultiLogisticRegression::<f32>::default()
        .alpha(o.alpha as f32)
        .max_iterations(o.max_iterations)
        .gradient_tolerance(o.gradient_tolerance as f32)
        .fit(&dataset)
        .map_err(|e| Error::Training(e.to_string()))?;
    // linfa's classes are the sorted distinct targets; map its columns to ours.
    let classes: Vec<usize> = fitted.classes().to_vec();
    let params = fitted.params();
    let mut weights = vec![0f32; x.n_cols * n_classes];
    let mut intercept = vec![-1e4f32; n_classes]; // a class never seen is never predicted
    for (col, &k) in classes.iter().enumerate() {
        for f in 0..x.n_cols {
            weights[f * n_classes + k] = params[[f, col]];
        }
        intercept[k] = fitted.intercept()[col];
    }
    LinearModel::from_parts(x.n_cols, n_classes, weights, intercept)
}

/// Per-sentence weights for the loss.
pub fn sample_weights(y: &[usize], n_classes: usize, cw: ClassWeight) -> Vec<f64> {
    match cw {
        ClassWeight::None => vec![1.0; y.len()],
        ClassWeight::Balanced => {
            let mut counts = vec![0usize; n_classes];
            y.iter().for_each(|&k| counts[k] += 1);
            let present = counts.iter().filter(|&&c| c > 0).count() as f64;
            y.iter()
                .map(|&k| y.len() as f64 / (present * counts[k] as f64))
                .collect()
        }
    }
}

/// The training objective at `model`: weighted summed cross-entropy + `alpha/2 ‖W‖²`.
pub fn objective(
    x: &SparseMatrix,
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

/// Parameters with their cost and gradient.
type Evaluated = (Array1<f64>, f64, Array1<f64>);

/// The sparse problem handed to argmin. Parameters are `(n_features + 1) × k`,
/// feature-major, intercepts in the last row (linfa's layout).
struct SparseProblem<'a> {
    x: &'a SparseMatrix,
    y: &'a [usize],
    w: &'a [f64],
    alpha: f64,
    k: usize,
    /// Last parameters and their (cost, gradient): argmin asks for both separately.
    cache: RefCell<Option<Evaluated>>,
}

/// Rows are split into this many chunks whatever the number of threads, and partial
/// gradients are added in chunk order, so results do not depend on the thread count.
const CHUNKS: usize = 8;

/// Classes handled by the vectorized gradient (the built-in model has 5).
const LANES: usize = 8;

impl SparseProblem<'_> {
    /// Row chunks (start indices) with their length: fixed whatever the thread count.
    fn chunks(&self) -> (Vec<usize>, usize) {
        let n = self.x.n_rows();
        let chunk = n.div_ceil(CHUNKS).max(1);
        ((0..n).step_by(chunk).collect(), chunk)
    }

    /// Loss and gradient (without the L2 term) for up to [`LANES`] classes: weights
    /// padded to `[f32; LANES]` a feature, so that each stored entry costs one vector
    /// multiply-add forward and one backward. Sums over rows are in f64.
    fn loss_grad_lanes(&self, params: &[f64]) -> (f64, Vec<f64>) {
        let (k, nf, n) = (self.k, self.x.n_cols, self.x.n_rows());
        let wp: Vec<[f32; LANES]> = (0..=nf)
            .map(|j| {
                let mut r = [0f32; LANES];
                for c in 0..k {
                    r[c] = params[j * k + c] as f32;
                }
                r
            })
            .collect();
        let (starts, chunk) = self.chunks();
        let parts: Vec<(f64, Vec<[f32; LANES]>)> = starts
            .into_par_iter()
            .map(|start| {
                let mut grad = vec![[0f32; LANES]; nf + 1];
                let mut loss = 0f64;
                for i in start..(start + chunk).min(n) {
                    let (idx, val) = self.x.row(i);
                    let mut h = wp[nf];
                    for (&j, &v) in idx.iter().zip(val) {
                        let w = &wp[j as usize];
                        for c in 0..LANES {
                            h[c] += v * w[c];
                        }
                    }
                    let max = h[..k].iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let sum: f64 = h[..k].iter().map(|&x| ((x - max) as f64).exp()).sum();
                    let lse = max as f64 + sum.ln();
                    let (wi, yi) = (self.w[i], self.y[i]);
                    loss += wi * (lse - h[yi] as f64);
                    // diff = w_i * (softmax(h) - onehot(y)), zero in the padding lanes.
                    let mut d = [0f32; LANES];
                    for c in 0..k {
                        let p = (h[c] as f64 - lse).exp();
                        d[c] = (wi * (p - if c == yi { 1.0 } else { 0.0 })) as f32;
                    }
                    for (&j, &v) in idx.iter().zip(val) {
                        let g = &mut grad[j as usize];
                        for c in 0..LANES {
                            g[c] += v * d[c];
                        }
                    }
                    for c in 0..LANES {
                        grad[nf][c] += d[c];
                    }
                }
                (loss, grad)
            })
            .collect();
        let mut loss = 0f64;
        let mut grad = vec![0f64; (nf + 1) * k];
        for (l, g) in parts {
            loss += l;
            for (j, row) in g.iter().enumerate() {
                for c in 0..k {
                    grad[j * k + c] += row[c] as f64;
                }
            }
        }
        (loss, grad)
    }

    /// Loss and gradient (without the L2 term) for any number of classes, in f64.
    fn loss_grad_any(&self, params: &[f64]) -> (f64, Vec<f64>) {
        let (k, nf, n) = (self.k, self.x.n_cols, self.x.n_rows());
        let (starts, chunk) = self.chunks();
        let parts: Vec<(f64, Vec<f64>)> = starts
            .into_par_iter()
            .map(|start| {
                let mut grad = vec![0f64; (nf + 1) * k];
                let mut loss = 0f64;
                let mut h = vec![0f64; k];
                for i in start..(start + chunk).min(n) {
                    let (idx, val) = self.x.row(i);
                    h.copy_from_slice(&params[nf * k..]);
                    for (&j, &v) in idx.iter().zip(val) {
                        let row = &params[j as usize * k..(j as usize + 1) * k];
                        for (hc, wc) in h.iter_mut().zip(row) {
                            *hc += v as f64 * wc;
                        }
                    }
                    let lse = log_sum_exp(&h);
                    let wi = self.w[i];
                    loss += wi * (lse - h[self.y[i]]);
                    // diff = w_i * (softmax(h) - onehot(y))
                    for (c, hc) in h.iter_mut().enumerate() {
                        *hc = wi * ((*hc - lse).exp() - if c == self.y[i] { 1.0 } else { 0.0 });
                    }
                    for (&j, &v) in idx.iter().zip(val) {
                        let g = &mut grad[j as usize * k..(j as usize + 1) * k];
                        for (gc, dc) in g.iter_mut().zip(&h) {
                            *gc += v as f64 * dc;
                        }
                    }
                    for (gc, dc) in grad[nf * k..].iter_mut().zip(&h) {
                        *gc += dc;
                    }
                }
                (loss, grad)
            })
            .collect();
        let mut loss = 0f64;
        let mut grad = vec![0f64; (nf + 1) * k];
        for (l, g) in parts {
            loss += l;
            grad.iter_mut().zip(g).for_each(|(a, b)| *a += b);
        }
        (loss, grad)
    }

    fn eval(&self, p: &Array1<f64>) -> (f64, Array1<f64>) {
        if let Some((cp, c, g)) = self.cache.borrow().as_ref() {
            if cp == p {
                return (*c, g.clone());
            }
        }
        let k = self.k;
        let nf = self.x.n_cols;
        let params = p.as_slice().expect("contiguous parameters");
        let (loss, mut grad) = if k <= LANES {
            self.loss_grad_lanes(params)
        } else {
            self.loss_grad_any(params)
        };
        let mut loss = loss;
        let mut reg = 0f64;
        for (gw, w) in grad[..nf * k].iter_mut().zip(&params[..nf * k]) {
            reg += w * w;
            *gw += self.alpha * w;
        }
        loss += 0.5 * self.alpha * reg;
        let grad = Array1::from_vec(grad);
        *self.cache.borrow_mut() = Some((p.clone(), loss, grad.clone()));
        (loss, grad)
    }
}

impl CostFunction for SparseProblem<'_> {
    type Param = Array1<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.eval(p).0)
    }
}

impl Gradient for SparseProblem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(&self, p: &Self::Param) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        Ok(self.eval(p).1)
    }
}

fn train_sparse(x: &SparseMatrix, y: &[usize], k: usize, o: &TrainOptions) -> Result<Fitted> {
    let w = sample_weights(y, k, o.class_weight);
    let problem = SparseProblem {
        x,
        y,
        w: &w,
        alpha: o.alpha,
        k,
        cache: RefCell::new(None),
    };
    let nf = x.n_cols;
    let init = Array1::<f64>::zeros((nf + 1) * k);
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(o.gradient_tolerance)
        .map_err(|e| Error::Training(e.to_string()))?
        .with_tolerance_cost(o.cost_tolerance * x.n_rows() as f64)
        .map_err(|e| Error::Training(e.to_string()))?;
    let result = Executor::new(problem, solver)
        .configure(|s| s.param(init).max_iters(o.max_iterations))
        .run()
        .map_err(|e| Error::Training(e.to_string()))?;
    let iterations = result.state().get_iter();
    let best = result
        .state()
        .get_best_param()
        .cloned()
        .ok_or_else(|| Error::Training("the solver returned no parameters".into()))?;
    let best = best.as_slice().expect("contiguous parameters");
    let weights: Vec<f32> = best[..nf * k].iter().map(|&v| v as f32).collect();
    let intercept: Vec<f32> = best[nf * k..].iter().map(|&v| v as f32).collect();
    Ok((
        LinearModel::from_parts(nf, k, weights, intercept)?,
        Some(iterations),
    ))
}

/// Dense `n × k` probabilities of linfa-logistic's model for the same parameters,
/// for checking our sparse prediction against linfa's.
pub fn linfa_probabilities(model: &LinearModel, x: &SparseMatrix) -> Array2<f32> {
    let dense = x.to_dense();
    let w = Array2::from_shape_vec((model.n_features, model.n_classes), model.weights.clone())
        .expect("shape checked at construction");
    let mut h = dense.dot(&w) + &Array1::from_vec(model.intercept.clone());
    for mut row in h.rows_mut() {
        let s = row.as_slice_mut().expect("standard layout");
        softmax_in_place(s);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three separable-ish classes in 4 features.
    fn toy() -> (SparseMatrix, Vec<usize>) {
        let rows: &[(&[u32], &[f32], usize)] = &[
            (&[0], &[1.0], 0),
            (&[0, 3], &[0.8, 0.6], 0),
            (&[0, 1], &[0.6, 0.8], 0),
            (&[1], &[1.0], 1),
            (&[1, 3], &[0.8, 0.6], 1),
            (&[1, 2], &[0.6, 0.8], 1),
            (&[2], &[1.0], 2),
            (&[2, 3], &[0.8, 0.6], 2),
            (&[0, 2], &[0.6, 0.8], 2),
        ];
        let mut m = SparseMatrix::new(4);
        let mut y = Vec::new();
        for (i, v, c) in rows {
            m.push(&SparseRow {
                indices: i.to_vec(),
                values: v.to_vec(),
            });
            y.push(*c);
        }
        (m, y)
    }

    #[test]
    fn sparse_solver_reaches_linfa_objective() {
        let (x, y) = toy();
        let base = TrainOptions {
            alpha: 0.5,
            max_iterations: 500,
            gradient_tolerance: 1e-6,
            cost_tolerance: 0.0,
            class_weight: ClassWeight::None,
            solver: Solver::Linfa,
        };
        let linfa = train(&x, &y, 3, &base).unwrap().0;
        let sparse = train(
            &x,
            &y,
            3,
            &TrainOptions {
                solver: Solver::Sparse,
                ..base
            },
        )
        .unwrap()
        .0;
        let ones = vec![1.0; y.len()];
        let (a, b) = (
            objective(&x, &y, &ones, 0.5, &linfa),
            objective(&x, &y, &ones, 0.5, &sparse),
        );
        assert!(((a - b) / a).abs() < 1e-4, "linfa {a} sparse {b}");
        for i in 0..x.n_rows() {
            let (idx, val) = x.row(i);
            let (mut pa, mut pb) = (Vec::new(), Vec::new());
            linfa.predict_proba_into(idx, val, &mut pa);
            sparse.predict_proba_into(idx, val, &mut pb);
            let argmax = |p: &[f32]| (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
            assert_eq!(argmax(&pa), argmax(&pb), "row {i}");
        }
    }

    #[test]
    fn sparse_prediction_matches_linfa_predict_probabilities() {
        let (x, y) = toy();
        let dense = x.to_dense();
        let fitted = MultiLogisticRegression::<f32>::default()
            .alpha(0.5)
            .max_iterations(200)
            .fit(&Dataset::new(dense.clone(), Array1::from_vec(y.clone())))
            .unwrap();
        let model = train_linfa(
            &x,
            &y,
            3,
            &TrainOptions {
                alpha: 0.5,
                max_iterations: 200,
                solver: Solver::Linfa,
                class_weight: ClassWeight::None,
                ..Default::default()
            },
        )
        .unwrap();
        let want = fitted.predict_probabilities(&dense);
        for i in 0..x.n_rows() {
            let (idx, val) = x.row(i);
            let mut got = Vec::new();
            model.predict_proba_into(idx, val, &mut got);
            for c in 0..3 {
                assert!(
                    (got[c] - want[[i, c]]).abs() < 1e-6,
                    "row {i} class {c}: {} vs {}",
                    got[c],
                    want[[i, c]]
                );
            }
        }
    }

    #[test]
    fn guards_instead_of_linfa_panics() {
        let (x, y) = toy();
        let empty = SparseMatrix::new(4);
        assert!(matches!(
            train(&empty, &[], 3, &TrainOptions::default()),
            Err(Error::TrainingData(_))
        ));
        let one = vec![0usize; y.len()];
        assert!(matches!(
            train(&x, &one, 3, &TrainOptions::default()),
            Err(Error::TrainingData(_))
        ));
        let zero_iter = TrainOptions {
            max_iterations: 0,
            ..Default::default()
        };
        assert!(matches!(
            train(&x, &y, 3, &zero_iter),
            Err(Error::InvalidOption(_))
        ));
        assert!(train(
            &x,
            &y,
            3,
            &TrainOptions {
                alpha: f64::NAN,
                ..Default::default()
            }
        )
        .is_err());
    }

    #[test]
    fn balanced_weights() {
        let w = sample_weights(&[0, 0, 0, 1], 2, ClassWeight::Balanced);
        // n / (k * n_c): 4 / (2 * 3) and 4 / (2 * 1)
        assert!((w[0] - 4.0 / 6.0).abs() < 1e-12 && (w[3] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn training_is_deterministic() {
        let (x, y) = toy();
        let a = train(&x, &y, 3, &TrainOptions::default()).unwrap();
        let b = train(&x, &y, 3, &TrainOptions::default()).unwrap();
        assert_eq!(a, b);
    }
}
