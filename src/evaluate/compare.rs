//! Which of two models is better on the same sentences: each figure of both, the
//! difference B − A with a paired bootstrap interval and p-value (the same resamples
//! score both models), and McNemar's exact test on accuracy.

use serde::Serialize;

use super::bootstrap::{
    draw, percentile_interval, units, BootstrapOptions, Interval, Resampling, UnitCells,
};
use super::figures::Figures;
use crate::error::{Error, Result};
use crate::rng::SplitMix64;

/// The figures compared, by name.
pub const METRICS: [&str; 5] = [
    "accuracy",
    "macro_f1",
    "weighted_f1",
    "macro_precision",
    "macro_recall",
];

fn metric_values(f: &Figures) -> [f64; 5] {
    [
        f.accuracy,
        f.macro_f1,
        f.weighted_f1,
        f.macro_precision,
        f.macro_recall,
    ]
}

/// One figure of both models and their difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// The figure's name (one of [`METRICS`]).
    pub metric: &'static str,
    /// Model A's value.
    pub a: f64,
    /// Model B's value.
    pub b: f64,
    /// B − A.
    pub value: f64,
    /// Percentile interval of B − A over the paired resamples.
    pub ci: Interval,
    /// Two-sided bootstrap p-value of "no difference": twice the smaller share of
    /// resamples with B − A ≤ 0 or with B − A ≥ 0, each counted as (count + 1) /
    /// (resamples + 1), at most 1.
    pub p_value: f64,
}

/// McNemar's test on the sentences exactly one model labels correctly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McNemar {
    /// Sentences A labels correctly and B does not.
    pub a_only: usize,
    /// Sentences B labels correctly and A does not.
    pub b_only: usize,
    /// Two-sided p-value of the exact binomial test (`a_only` of `a_only + b_only`
    /// trials at probability 1/2); 1 when no sentence is labeled correctly by one only.
    pub p_value: f64,
    /// `"exact binomial"`.
    pub method: &'static str,
}

/// Two models compared on the same sentences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Sentences compared.
    pub n: usize,
    /// What was resampled.
    pub resampling: Resampling,
    /// Resamples drawn.
    pub resamples: usize,
    /// The seed.
    pub seed: u64,
    /// Share of the resampled differences inside each interval.
    pub confidence: f64,
    /// One entry per figure, in [`METRICS`] order.
    pub differences: Vec<Difference>,
    /// McNemar's test on accuracy.
    pub mcnemar: McNemar,
    /// Sentences the models label differently.
    pub disagreements: usize,
}

/// The two-sided exact binomial p-value of McNemar's test for discordant counts
/// `b` and `c`: `min(1, 2 · P(X ≤ min(b, c)))`, `X ~ Binomial(b + c, 1/2)`, computed
/// in log space so that large counts do not underflow.
pub fn mcnemar_exact(b: usize, c: usize) -> f64 {
    let n = b + c;
    if n == 0 {
        return 1.0;
    }
    let m = b.min(c);
    // ln C(n, i) − n ln 2, from i = 0 upwards.
    let mut terms = Vec::with_capacity(m + 1);
    let mut ln = -(n as f64) * std::f64::consts::LN_2;
    for i in 0..=m {
        terms.push(ln);
        ln += ((n - i) as f64).ln() - ((i + 1) as f64).ln();
    }
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let tail = max.exp() * terms.iter().map(|t| (t - max).exp()).sum::<f64>();
    (2.0 * tail).min(1.0)
}

fn bootstrap_p(diffs: &[f64]) -> f64 {
    let b = diffs.len() as f64;
    let below = diffs.iter().filter(|&&d| d <= 0.0).count() as f64;
    let above = diffs.iter().filter(|&&d| d >= 0.0).count() as f64;
    (2.0 * ((below + 1.0) / (b + 1.0)).min((above + 1.0) / (b + 1.0))).min(1.0)
}

/// Compare predictions `a` and `b` of the same sentences (true labels `truth`, `k`
/// labels). With `groups` (one id a sentence), the paired bootstrap draws whole groups.
///
/// # Errors
/// As [`super::bootstrap::bootstrap`].
///
/// # Panics
/// If the slices differ in length or a label index is not below `k`.
pub fn compare(
    k: usize,
    truth: &[usize],
    a: &[usize],
    b: &[usize],
    groups: Option<&[usize]>,
    options: &BootstrapOptions,
) -> Result<Comparison> {
    options.validate()?;
    assert!(
        truth.len() == a.len() && a.len() == b.len(),
        "predictions differ in length"
    );
    if truth.is_empty() {
        return Err(Error::NoSentences);
    }
    let (unit, resampling) = units(truth.len(), groups);
    let n_units = match resampling {
        Resampling::Sentences(n) | Resampling::Groups(n) => n,
    };
    let cells = [a, b].map(|p| UnitCells::new(k, truth, p, &unit, n_units));
    let mut rng = SplitMix64::new(options.seed);
    let mut times = vec![1u32; n_units];
    let mut confusion = vec![0u64; k * k];
    let mut figures = [Figures::new(k), Figures::new(k)];
    let mut point = [[0.0; 5]; 2];
    for (m, f) in figures.iter_mut().enumerate() {
        cells[m].confusion_into(&times, &mut confusion);
        f.compute(&confusion);
        point[m] = metric_values(f);
    }
    let mut diffs = vec![Vec::with_capacity(options.resamples); METRICS.len()];
    for _ in 0..options.resamples {
        draw(&mut rng, &mut times);
        for (m, f) in figures.iter_mut().enumerate() {
            cells[m].confusion_into(&times, &mut confusion);
            f.compute(&confusion);
        }
        let (va, vb) = (metric_values(&figures[0]), metric_values(&figures[1]));
        for (j, d) in diffs.iter_mut().enumerate() {
            d.push(vb[j] - va[j]);
        }
    }
    let differences = METRICS
        .iter()
        .zip(diffs.iter_mut())
        .enumerate()
        .map(|(j, (&metric, d))| Difference {
            metric,
            a: point[0][j],
            b: point[1][j],
            value: point[1][j] - point[0][j],
            p_value: bootstrap_p(d),
            ci: percentile_interval(d, options.confidence),
        })
        .collect();
    Ok(Comparison {
        n: truth.len(),
        resampling,
        resamples: options.resamples,
        seed: options.seed,
        confidence: options.confidence,
        differences,
        mcnemar: mcnemar(truth, a, b),
        disagreements: a.iter().zip(b).filter(|(x, y)| x != y).count(),
    })
}

fn mcnemar(truth: &[usize], a: &[usize], b: &[usize]) -> McNemar {
    let (mut a_only, mut b_only) = (0, 0);
    for ((t, x), y) in truth.iter().zip(a).zip(b) {
        match (x == t, y == t) {
            (true, false) => a_only += 1,
            (false, true) => b_only += 1,
            _ => {}
        }
    }
    McNemar {
        a_only,
        b_only,
        p_value: mcnemar_exact(a_only, b_only),
        method: "exact binomial",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(n: usize, err: usize, seed: u64) -> (Vec<usize>, Vec<usize>) {
        let mut rng = SplitMix64::new(seed);
        let truth: Vec<usize> = (0..n).map(|_| rng.below(3)).collect();
        let p = truth
            .iter()
            .map(|&t| if rng.below(100) < err { (t + 1) % 3 } else { t })
            .collect();
        (truth, p)
    }

    #[test]
    fn a_model_against_itself_differs_by_zero_with_p_one() {
        let (t, p) = data(400, 25, 1);
        let groups: Vec<usize> = (0..400).map(|i| i / 4).collect();
        let c = compare(3, &t, &p, &p, Some(&groups), &BootstrapOptions::default()).unwrap();
        for d in &c.differences {
            assert_eq!(
                (d.value, d.ci.lo, d.ci.hi, d.p_value),
                (0.0, 0.0, 0.0, 1.0),
                "{d:?}"
            );
        }
        assert_eq!(
            (c.mcnemar.a_only, c.mcnemar.b_only, c.mcnemar.p_value),
            (0, 0, 1.0)
        );
        assert_eq!(c.resampling, Resampling::Groups(100));
        assert_eq!(c.disagreements, 0);
    }

    #[test]
    fn a_clearly_better_model_is_found_and_deterministic() {
        let (t, worse) = data(1000, 40, 2);
        let better: Vec<usize> = t
            .iter()
            .zip(&worse)
            .enumerate()
            .map(|(i, (&t, &w))| if i % 2 == 0 { t } else { w })
            .collect();
        let o = BootstrapOptions::default();
        let c = compare(3, &t, &worse, &better, None, &o).unwrap();
        let acc = &c.differences[0];
        assert!(
            acc.value > 0.1 && acc.ci.lo > 0.0 && acc.ci.contains(acc.value),
            "{acc:?}"
        );
        assert!(acc.p_value < 0.01 && c.mcnemar.p_value < 1e-10, "{c:?}");
        assert_eq!(c.mcnemar.a_only, 0);
        assert_eq!(c, compare(3, &t, &worse, &better, None, &o).unwrap());
    }

    #[test]
    fn mcnemar_matches_the_binomial_by_hand() {
        // b = 1, c = 5: 2 · (1 + 6) / 64.
        assert!((mcnemar_exact(1, 5) - 14.0 / 64.0).abs() < 1e-12);
        assert!((mcnemar_exact(5, 1) - 14.0 / 64.0).abs() < 1e-12);
        assert_eq!(mcnemar_exact(3, 3), 1.0);
        let p = mcnemar_exact(4000, 5000);
        assert!(p > 0.0 && p < 1e-20, "{p}");
    }
}
