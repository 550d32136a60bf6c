//! The sparse solver: argmin's L-BFGS with More-Thuente line search (the optimizer
//! linfa-logistic uses) on linfa-logistic's objective, over CSR rows directly.

use std::cell::RefCell;
use std::ops::Range;

use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;
use rayon::prelude::*;

use super::{log_sum_exp, LinearModel, LogisticValidParams};
use crate::error::{Error, Result};
use crate::vectorize::SparseMatrix;

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
    /// Loss and gradient (`(n_features + 1) × k`, f64) summed over the rows: the rows
    /// are split into [`CHUNKS`] chunks, fixed whatever the thread count; `pass` runs on
    /// each chunk in parallel from `zero()` and returns the chunk's loss, and the chunks'
    /// losses and gradients (`add` folds one into the total) are added in chunk order.
    fn sum_over_chunks<G, Z, P, A>(&self, zero: Z, pass: P, add: A) -> (f64, Vec<f64>)
    where
        G: Send,
        Z: Fn() -> G + Sync,
        P: Fn(Range<usize>, &mut G) -> f64 + Sync,
        A: Fn(&mut [f64], G),
    {
        let (n, nf, k) = (self.x.n_rows(), self.x.n_cols, self.k);
        let chunk = n.div_ceil(CHUNKS).max(1);
        let starts: Vec<usize> = (0..n).step_by(chunk).collect();
        let parts: Vec<(f64, G)> = starts
            .into_par_iter()
            .map(|start| {
                let mut grad = zero();
                let loss = pass(start..(start + chunk).min(n), &mut grad);
                (loss, grad)
            })
            .collect();
        let mut loss = 0f64;
        let mut grad = vec![0f64; (nf + 1) * k];
        for (l, g) in parts {
            loss += l;
            add(&mut grad, g);
        }
        (loss, grad)
    }

    /// Loss and gradient (without the L2 term) for up to [`LANES`] classes: weights
    /// padded to `[f32; LANES]` a feature, so that each stored entry costs one vector
    /// multiply-add forward and one backward. Scores and the gradient within a chunk
    /// are f32; the log-sum-exp, the loss and the sum of the chunks' gradients are f64.
    fn loss_grad_lanes(&self, params: &[f64]) -> (f64, Vec<f64>) {
        let (k, nf) = (self.k, self.x.n_cols);
        let wp: Vec<[f32; LANES]> = (0..=nf)
            .map(|j| {
                let mut r = [0f32; LANES];
                for c in 0..k {
                    r[c] = params[j * k + c] as f32;
                }
                r
            })
            .collect();
        self.sum_over_chunks(
            || vec![[0f32; LANES]; nf + 1],
            |rows, grad| {
                let mut loss = 0f64;
                for i in rows {
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
                loss
            },
            |total, g| {
                for (j, row) in g.iter().enumerate() {
                    for c in 0..k {
                        total[j * k + c] += row[c] as f64;
                    }
                }
            },
        )
    }

    /// Loss and gradient (without the L2 term) for any number of classes, all in f64.
    fn loss_grad_any(&self, params: &[f64]) -> (f64, Vec<f64>) {
        let (k, nf) = (self.k, self.x.n_cols);
        self.sum_over_chunks(
            || vec![0f64; (nf + 1) * k],
            |rows, grad| {
                let mut loss = 0f64;
                let mut h = vec![0f64; k];
                for i in rows {
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
                loss
            },
            |total, g| total.iter_mut().zip(g).for_each(|(a, b)| *a += b),
        )
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

/// Fit `k` classes on rows `x` with class indices `y` and sentence weights `w` (all
/// checked by the caller); the model and the iterations run.
pub(super) fn fit(
    x: &SparseMatrix,
    y: &[usize],
    w: &[f64],
    k: usize,
    p: &LogisticValidParams,
) -> Result<(LinearModel, u64)> {
    let problem = SparseProblem {
        x,
        y,
        w,
        alpha: p.alpha(),
        k,
        cache: RefCell::new(None),
    };
    let nf = x.n_cols;
    let init = Array1::<f64>::zeros((nf + 1) * k);
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(p.gradient_tolerance())
        .map_err(|e| Error::Training(e.to_string()))?
        .with_tolerance_cost(p.cost_tolerance() * x.n_rows() as f64)
        .map_err(|e| Error::Training(e.to_string()))?;
    let result = Executor::new(problem, solver)
        .configure(|s| s.param(init).max_iters(p.max_iterations()))
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
        iterations,
    ))
}
