//! Training parameters in linfa's `ParamGuard` shape: [`LogisticParams`] (consuming
//! setters) → [`ParamGuard::check`] → [`LogisticValidParams`], which fits.
//!
//! [`TrainOptions`] is the serializable form kept in config files and in a model
//! file's training metadata; [`TrainOptions::params`] turns it into parameters.

use linfa::ParamGuard;
use serde::{Deserialize, Serialize};

/// Which solver fits the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Solver {
    /// linfa-logistic on a dense copy of the training matrix (the reference; every
    /// sentence weighs 1).
    Linfa,
    /// L-BFGS on the sparse matrix (same objective, sentence weights).
    #[default]
    Sparse,
}

impl Solver {
    /// The name used in config files: `linfa` or `sparse`.
    pub fn name(self) -> &'static str {
        match self {
            Solver::Linfa => "linfa",
            Solver::Sparse => "sparse",
        }
    }
}

/// How each label's sentences are weighted in the loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ClassWeight {
    /// Every label weighs 1.
    #[default]
    None,
    /// Each label's sentences weigh `n / (k * n_label)`, as scikit-learn's "balanced"
    /// (`n` sentences, `k` labels present, `n_label` sentences of the label).
    Balanced,
}

impl ClassWeight {
    /// The name used in config files: `none` or `balanced`.
    pub fn name(self) -> &'static str {
        match self {
            ClassWeight::None => "none",
            ClassWeight::Balanced => "balanced",
        }
    }

    /// The weight of each sentence of `y` (class indices below `n_classes`) from its
    /// label, in f64.
    ///
    /// # Panics
    ///
    /// If a class index is not below `n_classes`.
    pub fn sentence_weights(self, y: &[usize], n_classes: usize) -> Vec<f64> {
        match self {
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
}

/// A training parameter out of range, or parameters that contradict each other.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParamsError {
    /// `alpha` is negative, NaN or infinite.
    #[error("invalid option: alpha {alpha} must be a finite number >= 0")]
    InvalidAlpha {
        /// The value given.
        alpha: f64,
    },
    /// `gradient_tolerance` is not a finite number above 0.
    #[error("invalid option: gradient_tolerance {gradient_tolerance} must be a finite number > 0")]
    InvalidGradientTolerance {
        /// The value given.
        gradient_tolerance: f64,
    },
    /// `cost_tolerance` is negative, NaN or infinite.
    #[error("invalid option: cost_tolerance {cost_tolerance} must be a finite number >= 0")]
    InvalidCostTolerance {
        /// The value given.
        cost_tolerance: f64,
    },
    /// `max_iterations` is 0.
    #[error("invalid option: max_iterations must be at least 1")]
    ZeroMaxIterations,
    /// Class weights with a solver that cannot weight sentences.
    #[error("invalid option: the {} solver cannot weight sentences, so class_weight {} needs the sparse solver", .solver.name(), .class_weight.name())]
    UnweightedSolver {
        /// The solver.
        solver: Solver,
        /// The class weighting asked for.
        class_weight: ClassWeight,
    },
}

/// Checked training parameters: what [`linfa::traits::Fit`] is implemented for.
/// Made by [`ParamGuard::check`] on [`LogisticParams`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogisticValidParams {
    alpha: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
    cost_tolerance: f64,
    solver: Solver,
    class_weight: ClassWeight,
}

impl LogisticValidParams {
    /// L2 strength.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// Maximum L-BFGS iterations.
    pub fn max_iterations(&self) -> u64 {
        self.max_iterations
    }
    /// Gradient-norm tolerance.
    pub fn gradient_tolerance(&self) -> f64 {
        self.gradient_tolerance
    }
    /// Per-sentence cost tolerance of the sparse solver (0: none).
    pub fn cost_tolerance(&self) -> f64 {
        self.cost_tolerance
    }
    /// The solver.
    pub fn solver(&self) -> Solver {
        self.solver
    }
    /// The class weighting.
    pub fn class_weight(&self) -> ClassWeight {
        self.class_weight
    }
}

/// The defaults, stated by each setter of [`LogisticParams`].
const DEFAULTS: LogisticValidParams = LogisticValidParams {
    alpha: 0.1,
    max_iterations: 200,
    gradient_tolerance: 1e-4,
    cost_tolerance: 1e-6,
    solver: Solver::Sparse,
    class_weight: ClassWeight::Balanced,
};

/// Unchecked training parameters of multinomial logistic regression over sparse rows.
///
/// ```
/// use linfa::ParamGuard;
/// use tasnif::model::{LogisticParams, ParamsError};
///
/// let params = LogisticParams::new().alpha(0.5).max_iterations(100).check().unwrap();
/// assert_eq!(params.alpha(), 0.5);
/// assert_eq!(
///     LogisticParams::new().alpha(-1.0).check().unwrap_err(),
///     ParamsError::InvalidAlpha { alpha: -1.0 }
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogisticParams(LogisticValidParams);

impl Default for LogisticParams {
    fn default() -> Self {
        Self::new()
    }
}

impl LogisticParams {
    /// Parameters with the defaults each setter states.
    pub fn new() -> Self {
        LogisticParams(DEFAULTS)
    }
    /// L2 strength `alpha` (about 1/C of scikit-learn): finite, at least 0; defaults
    /// to `0.1`.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.0.alpha = alpha;
        self
    }
    /// Maximum L-BFGS iterations, at least 1; defaults to `200`.
    pub fn max_iterations(mut self, max_iterations: u64) -> Self {
        self.0.max_iterations = max_iterations;
        self
    }
    /// Stop when the gradient norm falls below this (finite, above 0); defaults to
    /// `1e-4`.
    pub fn gradient_tolerance(mut self, gradient_tolerance: f64) -> Self {
        self.0.gradient_tolerance = gradient_tolerance;
        self
    }
    /// Sparse solver: also stop when an iteration lowers the objective by less than
    /// this much per sentence (finite, at least 0; 0: never); defaults to `1e-6`.
    pub fn cost_tolerance(mut self, cost_tolerance: f64) -> Self {
        self.0.cost_tolerance = cost_tolerance;
        self
    }
    /// The solver; defaults to [`Solver::Sparse`].
    pub fn solver(mut self, solver: Solver) -> Self {
        self.0.solver = solver;
        self
    }
    /// How each label's sentences are weighted, on top of the dataset's sentence
    /// weights; defaults to [`ClassWeight::Balanced`]. [`Solver::Linfa`] takes only
    /// [`ClassWeight::None`].
    pub fn class_weight(mut self, class_weight: ClassWeight) -> Self {
        self.0.class_weight = class_weight;
        self
    }
}

impl ParamGuard for LogisticParams {
    type Checked = LogisticValidParams;
    type Error = ParamsError;

    fn check_ref(&self) -> Result<&LogisticValidParams, ParamsError> {
        let p = &self.0;
        if !(p.alpha.is_finite() && p.alpha >= 0.0) {
            return Err(ParamsError::InvalidAlpha { alpha: p.alpha });
        }
        if !(p.gradient_tolerance.is_finite() && p.gradient_tolerance > 0.0) {
            return Err(ParamsError::InvalidGradientTolerance {
                gradient_tolerance: p.gradient_tolerance,
            });
        }
        if !(p.cost_tolerance.is_finite() && p.cost_tolerance >= 0.0) {
            return Err(ParamsError::InvalidCostTolerance {
                cost_tolerance: p.cost_tolerance,
            });
        }
        if p.max_iterations == 0 {
            return Err(ParamsError::ZeroMaxIterations);
        }
        if p.solver == Solver::Linfa && p.class_weight != ClassWeight::None {
            return Err(ParamsError::UnweightedSolver {
                solver: p.solver,
                class_weight: p.class_weight,
            });
        }
        Ok(p)
    }

    fn check(self) -> Result<LogisticValidParams, ParamsError> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// Solver settings as config files and a model file's training metadata store them.
/// [`TrainOptions::params`] turns them into [`LogisticParams`]; the defaults are the
/// same.
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
    /// Sentence weights by label (the linfa solver takes only `None`).
    pub class_weight: ClassWeight,
}

impl Default for TrainOptions {
    fn default() -> Self {
        let d = DEFAULTS;
        TrainOptions {
            alpha: d.alpha,
            max_iterations: d.max_iterations,
            gradient_tolerance: d.gradient_tolerance,
            cost_tolerance: d.cost_tolerance,
            solver: d.solver,
            class_weight: d.class_weight,
        }
    }
}

impl TrainOptions {
    /// The parameters these options stand for, unchecked.
    pub fn params(&self) -> LogisticParams {
        LogisticParams::new()
            .alpha(self.alpha)
            .max_iterations(self.max_iterations)
            .gradient_tolerance(self.gradient_tolerance)
            .cost_tolerance(self.cost_tolerance)
            .solver(self.solver)
            .class_weight(self.class_weight)
    }
}

impl From<TrainOptions> for LogisticParams {
    fn from(o: TrainOptions) -> Self {
        o.params()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_the_bad_value() {
        let p = LogisticParams::new;
        let cases = [
            (p().alpha(-0.5), ParamsError::InvalidAlpha { alpha: -0.5 }),
            (
                p().alpha(f64::INFINITY),
                ParamsError::InvalidAlpha {
                    alpha: f64::INFINITY,
                },
            ),
            (
                p().gradient_tolerance(0.0),
                ParamsError::InvalidGradientTolerance {
                    gradient_tolerance: 0.0,
                },
            ),
            (
                p().cost_tolerance(-1.0),
                ParamsError::InvalidCostTolerance {
                    cost_tolerance: -1.0,
                },
            ),
            (p().max_iterations(0), ParamsError::ZeroMaxIterations),
            (
                p().solver(Solver::Linfa),
                ParamsError::UnweightedSolver {
                    solver: Solver::Linfa,
                    class_weight: ClassWeight::Balanced,
                },
            ),
        ];
        for (params, want) in cases {
            assert_eq!(params.check_ref().unwrap_err(), want);
            assert_eq!(params.check().unwrap_err(), want);
        }
        let nan = p().alpha(f64::NAN).check().unwrap_err();
        assert!(matches!(nan, ParamsError::InvalidAlpha { alpha } if alpha.is_nan()));
        assert!(p()
            .solver(Solver::Linfa)
            .class_weight(ClassWeight::None)
            .check()
            .is_ok());
        assert!(p().alpha(0.0).cost_tolerance(0.0).check().is_ok());
    }

    #[test]
    fn options_and_params_agree() {
        let checked = TrainOptions::default().params().check().unwrap();
        assert_eq!(checked, LogisticParams::default().check().unwrap());
        let o = TrainOptions {
            alpha: 2.0,
            max_iterations: 7,
            gradient_tolerance: 1e-3,
            cost_tolerance: 0.0,
            solver: Solver::Linfa,
            class_weight: ClassWeight::None,
        };
        let v = LogisticParams::from(o).check().unwrap();
        assert_eq!(
            (
                v.alpha(),
                v.max_iterations(),
                v.gradient_tolerance(),
                v.cost_tolerance(),
                v.solver(),
                v.class_weight()
            ),
            (2.0, 7, 1e-3, 0.0, Solver::Linfa, ClassWeight::None)
        );
    }

    #[test]
    fn train_options_serialize_as_before() {
        let text = toml::to_string(&TrainOptions::default()).unwrap();
        assert_eq!(
            text,
            "alpha = 0.1\nmax_iterations = 200\ngradient_tolerance = 0.0001\n\
             cost_tolerance = 0.000001\nsolver = \"sparse\"\nclass_weight = \"balanced\"\n"
        );
    }

    #[test]
    fn balanced_weights() {
        let w = ClassWeight::Balanced.sentence_weights(&[0, 0, 0, 1], 2);
        // n / (k * n_c): 4 / (2 * 3) and 4 / (2 * 1)
        assert!((w[0] - 4.0 / 6.0).abs() < 1e-12 && (w[3] - 2.0).abs() < 1e-12);
        assert_eq!(ClassWeight::None.sentence_weights(&[0, 1], 2), [1.0, 1.0]);
    }
}
