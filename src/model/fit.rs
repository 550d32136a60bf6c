//! linfa's [`Fit`] for [`LogisticValidParams`] over
//! `DatasetBase<SparseRecords, Array1<usize>>`, and the [`Fitted`] result.

use std::borrow::Cow;

use linfa::prelude::*;
use linfa_logistic::MultiLogisticRegression;
use ndarray::Array1;

use super::{lbfgs, LinearModel, LogisticValidParams, Solver};
use crate::error::{Error, Result, TrainingDataError};
use crate::sparse::SparseRecords;

/// A fitted model and, when the solver tells, the iterations it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    model: LinearModel,
    iterations: Option<u64>,
}

impl Fitted {
    /// The fitted weights.
    pub fn model(&self) -> &LinearModel {
        &self.model
    }
    /// Iterations the solver ran (the sparse solver reports them; linfa does not).
    pub fn iterations(&self) -> Option<u64> {
        self.iterations
    }
    /// The fitted weights, owned.
    pub fn into_model(self) -> LinearModel {
        self.model
    }
}

/// Fits `softmax(W·x + b)` to a dataset of sparse rows whose targets are class indices
/// (`0..k`, `k` the largest index + 1, at least two of them present). A sentence's
/// weight in the loss is its class weight ([`super::ClassWeight`], from the targets)
/// times its weight in the dataset (`DatasetBase::weights`, 1 when there are none).
///
/// # Errors
///
/// [`Error::TrainingData`] for no rows, fewer than two classes, no features or a
/// sentence weight that is negative, NaN or infinite, or a weight other than 1 for
/// [`Solver::Linfa`]; [`Error::Linfa`] when the targets or weights do not match the
/// rows in number; [`Error::Training`] when the solver fails.
impl Fit<SparseRecords, Array1<usize>, Error> for LogisticValidParams {
    type Object = Fitted;

    fn fit(&self, dataset: &DatasetBase<SparseRecords, Array1<usize>>) -> Result<Fitted> {
        let x = dataset.records();
        let y: Cow<'_, [usize]> = match dataset.targets().as_slice() {
            Some(y) => Cow::Borrowed(y),
            None => Cow::Owned(dataset.targets().to_vec()),
        };
        if x.n_rows() == 0 {
            return Err(TrainingDataError::NoSentences.into());
        }
        if x.n_rows() != y.len() {
            return Err(linfa::Error::MismatchedShapes(x.n_rows(), y.len()).into());
        }
        let n_classes = y.iter().max().map_or(0, |&m| m + 1);
        let mut present = vec![false; n_classes];
        y.iter().for_each(|&k| present[k] = true);
        if present.iter().filter(|&&p| p).count() < 2 {
            return Err(TrainingDataError::OneClass { class: y[0] }.into());
        }
        if x.n_features() == 0 {
            return Err(TrainingDataError::NoFeatures.into());
        }
        let w = sentence_weights(self, dataset, &y, n_classes)?;
        match self.solver() {
            Solver::Linfa => {
                if let Some((i, &wi)) = w.iter().enumerate().find(|(_, &wi)| wi != 1.0) {
                    return Err(TrainingDataError::WeightsUnsupported {
                        sentence: i,
                        weight: wi,
                    }
                    .into());
                }
                Ok(Fitted {
                    model: fit_linfa(x, &y, n_classes, self)?,
                    iterations: None,
                })
            }
            Solver::Sparse => {
                let (model, iterations) = lbfgs::fit(x.matrix(), &y, &w, n_classes, self)?;
                Ok(Fitted {
                    model,
                    iterations: Some(iterations),
                })
            }
        }
    }
}

/// Each sentence's weight: its class weight times its dataset weight, in f64.
fn sentence_weights(
    p: &LogisticValidParams,
    dataset: &DatasetBase<SparseRecords, Array1<usize>>,
    y: &[usize],
    n_classes: usize,
) -> Result<Vec<f64>> {
    let mut w = p.class_weight().sentence_weights(y, n_classes);
    if let Some(given) = dataset.weights() {
        if given.len() != y.len() {
            return Err(linfa::Error::MismatchedShapes(y.len(), given.len()).into());
        }
        for (i, (wi, &g)) in w.iter_mut().zip(given).enumerate() {
            if !(g.is_finite() && g >= 0.0) {
                return Err(TrainingDataError::InvalidWeight {
                    sentence: i,
                    weight: g,
                }
                .into());
            }
            *wi *= g as f64;
        }
    }
    Ok(w)
}

/// linfa-logistic on a dense copy of `x` (the reference solver; unweighted).
fn fit_linfa(
    x: &SparseRecords,
    y: &[usize],
    n_classes: usize,
    p: &LogisticValidParams,
) -> Result<LinearModel> {
    let dense = x.to_dense();
    let targets = Array1::from_vec(y.to_vec());
    let dataset = Dataset::new(dense, targets);
    let fitted = MultiLogisticRegression::<f32>::default()
        .alpha(p.alpha() as f32)
        .max_iterations(p.max_iterations())
        .gradient_tolerance(p.gradient_tolerance() as f32)
        .fit(&dataset)
        .map_err(|e| Error::Training(e.to_string()))?;
    // linfa's classes are the sorted distinct targets; map its columns to ours.
    let classes: Vec<usize> = fitted.classes().to_vec();
    let params = fitted.params();
    let nf = x.n_features();
    let mut weights = vec![0f32; nf * n_classes];
    let mut intercept = vec![-1e4f32; n_classes]; // a class never seen is never predicted
    for (col, &k) in classes.iter().enumerate() {
        for f in 0..nf {
            weights[f * n_classes + k] = params[[f, col]];
        }
        intercept[k] = fitted.intercept()[col];
    }
    LinearModel::from_parts(nf, n_classes, weights, intercept)
}

#[cfg(test)]
mod tests {
    use super::super::{objective, ClassWeight, LogisticParams};
    use super::*;
    use crate::vectorize::SparseRow;

    /// Three separable-ish classes in 4 features.
    fn toy() -> (SparseRecords, Vec<usize>) {
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
        let sparse: Vec<SparseRow> = rows
            .iter()
            .map(|(i, v, _)| SparseRow {
                indices: i.to_vec(),
                values: v.to_vec(),
            })
            .collect();
        let y = rows.iter().map(|r| r.2).collect();
        (SparseRecords::from_rows(4, &sparse).unwrap(), y)
    }

    fn dataset(x: &SparseRecords, y: &[usize]) -> DatasetBase<SparseRecords, Array1<usize>> {
        DatasetBase::new(x.clone(), Array1::from_vec(y.to_vec()))
    }

    fn params(solver: Solver) -> LogisticParams {
        LogisticParams::new()
            .alpha(0.5)
            .max_iterations(500)
            .gradient_tolerance(1e-6)
            .cost_tolerance(0.0)
            .class_weight(ClassWeight::None)
            .solver(solver)
    }

    fn argmax(p: &[f32]) -> usize {
        (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap()
    }

    /// Rows `x` with row `i` repeated `times[i]` times: an integer sentence weight for
    /// linfa-logistic, which has none.
    fn repeat(x: &SparseRecords, y: &[usize], times: &[usize]) -> (SparseRecords, Vec<usize>) {
        let mut rows = Vec::new();
        let mut ys = Vec::new();
        for (i, &t) in times.iter().enumerate() {
            let (idx, val) = x.row(i);
            for _ in 0..t {
                rows.push(SparseRow {
                    indices: idx.to_vec(),
                    values: val.to_vec(),
                });
                ys.push(y[i]);
            }
        }
        (SparseRecords::from_rows(x.n_features(), &rows).unwrap(), ys)
    }

    #[test]
    fn sparse_solver_reaches_linfa_objective() {
        let (x, y) = toy();
        let linfa = params(Solver::Linfa).fit(&dataset(&x, &y)).unwrap();
        let sparse = params(Solver::Sparse).fit(&dataset(&x, &y)).unwrap();
        assert_eq!(linfa.iterations(), None);
        assert!(sparse.iterations().is_some());
        let ones = vec![1.0; y.len()];
        let (a, b) = (
            objective(&x, &y, &ones, 0.5, linfa.model()),
            objective(&x, &y, &ones, 0.5, sparse.model()),
        );
        assert!(((a - b) / a).abs() < 1e-4, "linfa {a} sparse {b}");
        let (pa, pb) = (
            linfa.model().predict_probabilities(&x),
            sparse.model().predict_probabilities(&x),
        );
        for i in 0..x.n_rows() {
            let (ra, rb) = (pa.row(i).to_vec(), pb.row(i).to_vec());
            assert_eq!(argmax(&ra), argmax(&rb), "row {i}");
        }
    }

    /// Non-uniform sentence weights: the sparse solver with integer weights in the
    /// dataset reaches the objective linfa-logistic reaches on the rows repeated that
    /// many times (the same objective), and the weighted objective agrees.
    #[test]
    fn weighted_sparse_solver_reaches_linfa_objective_on_repeated_rows() {
        let (x, y) = toy();
        let times = [3, 1, 2, 1, 1, 4, 2, 1, 1];
        let (xr, yr) = repeat(&x, &y, &times);
        let linfa = params(Solver::Linfa).fit(&dataset(&xr, &yr)).unwrap();
        let w: Vec<f32> = times.iter().map(|&t| t as f32).collect();
        let weighted = dataset(&x, &y).with_weights(Array1::from_vec(w));
        let sparse = params(Solver::Sparse).fit(&weighted).unwrap();
        let w64: Vec<f64> = times.iter().map(|&t| t as f64).collect();
        let (a, b) = (
            objective(&xr, &yr, &vec![1.0; yr.len()], 0.5, linfa.model()),
            objective(&x, &y, &w64, 0.5, sparse.model()),
        );
        assert!(((a - b) / a).abs() < 1e-4, "linfa {a} sparse {b}");
        // The weights matter: unweighted, the optimum is elsewhere.
        let plain = params(Solver::Sparse).fit(&dataset(&x, &y)).unwrap();
        let c = objective(&x, &y, &w64, 0.5, plain.model());
        assert!(c > b * (1.0 + 1e-3), "unweighted {c} weighted {b}");
    }

    /// Balanced class weights on the dataset's weights multiply: balanced + weights
    /// `w` minimizes the objective with the product as sentence weights.
    #[test]
    fn class_weights_times_dataset_weights() {
        let (x, mut y) = toy();
        y[8] = 0; // 4 / 3 / 2 sentences: balanced weights differ
        let w: Vec<f32> = vec![1.0, 2.0, 1.0, 1.0, 1.0, 3.0, 1.0, 1.0, 0.5];
        let balanced = params(Solver::Sparse)
            .class_weight(ClassWeight::Balanced)
            .fit(&dataset(&x, &y).with_weights(Array1::from_vec(w.clone())))
            .unwrap();
        let product: Vec<f32> = ClassWeight::Balanced
            .sentence_weights(&y, 3)
            .iter()
            .zip(&w)
            .map(|(c, &s)| (c * s as f64) as f32)
            .collect();
        let by_hand = params(Solver::Sparse)
            .fit(&dataset(&x, &y).with_weights(Array1::from_vec(product.clone())))
            .unwrap();
        let p64: Vec<f64> = product.iter().map(|&v| v as f64).collect();
        let (a, b) = (
            objective(&x, &y, &p64, 0.5, balanced.model()),
            objective(&x, &y, &p64, 0.5, by_hand.model()),
        );
        assert!(((a - b) / a).abs() < 1e-6, "balanced {a} by hand {b}");
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
        let model = params(Solver::Linfa)
            .max_iterations(200)
            .gradient_tolerance(1e-4)
            .fit(&dataset(&x, &y))
            .unwrap()
            .into_model();
        let want = fitted.predict_probabilities(&dense);
        let got = model.predict_probabilities(&x);
        for i in 0..x.n_rows() {
            for c in 0..3 {
                assert!(
                    (got[[i, c]] - want[[i, c]]).abs() < 1e-6,
                    "row {i} class {c}: {} vs {}",
                    got[[i, c]],
                    want[[i, c]]
                );
            }
        }
        let labels: Array1<usize> = model.predict(&dataset(&x, &y));
        assert_eq!(labels, fitted.predict(&dense));
    }

    #[test]
    fn guards_instead_of_linfa_panics() {
        let (x, y) = toy();
        let default = LogisticParams::default();
        let empty = SparseRecords::from_rows(4, []).unwrap();
        assert!(matches!(
            default.fit(&dataset(&empty, &[])),
            Err(Error::TrainingData(TrainingDataError::NoSentences))
        ));
        let one = vec![0usize; y.len()];
        assert!(matches!(
            default.fit(&dataset(&x, &one)),
            Err(Error::TrainingData(TrainingDataError::OneClass {
                class: 0
            }))
        ));
        assert!(matches!(
            default.fit(&dataset(&x, &y[1..])),
            Err(Error::Linfa(linfa::Error::MismatchedShapes(9, 8)))
        ));
        // Unchecked parameters are checked by linfa's blanket `Fit` impl.
        assert!(matches!(
            default.max_iterations(0).fit(&dataset(&x, &y)),
            Err(Error::Params(_))
        ));
        assert!(matches!(
            default.alpha(f64::NAN).fit(&dataset(&x, &y)),
            Err(Error::Params(_))
        ));
        let bad_weight = dataset(&x, &y).with_weights(Array1::from_elem(9, -1.0));
        assert!(matches!(
            default.fit(&bad_weight),
            Err(Error::TrainingData(TrainingDataError::InvalidWeight {
                sentence: 0,
                ..
            }))
        ));
        let short_weights = dataset(&x, &y).with_weights(Array1::from_elem(3, 1.0));
        assert!(matches!(
            default.fit(&short_weights),
            Err(Error::Linfa(linfa::Error::MismatchedShapes(9, 3)))
        ));
        let weighted = dataset(&x, &y).with_weights(Array1::from_elem(9, 2.0));
        let err = params(Solver::Linfa).fit(&weighted).unwrap_err();
        assert!(err.to_string().contains("cannot weight"), "{err}");
    }

    #[test]
    fn training_is_deterministic() {
        let (x, y) = toy();
        let a = LogisticParams::default().fit(&dataset(&x, &y)).unwrap();
        let b = LogisticParams::default().fit(&dataset(&x, &y)).unwrap();
        assert_eq!(a, b);
    }
}
