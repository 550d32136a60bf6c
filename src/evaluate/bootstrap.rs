//! Percentile bootstrap intervals on a report's figures.
//!
//! Each resample draws as many units as there are, with replacement: whole articles
//! (groups) when groups are given, since the sentences of one article are not
//! independent, or single sentences otherwise. A resample is scored from confusion
//! counts (the counts of each unit, times how often it was drawn), never by predicting
//! again, and every buffer is reused, so a thousand resamples of a few thousand
//! sentences take milliseconds. The generator is SplitMix64 from the seed: the same
//! inputs and options give the same intervals everywhere.

use serde::{Serialize, Serializer};

use super::figures::Figures;
use crate::error::{Error, Result};
use crate::rng::SplitMix64;

/// How many resamples, from which seed, at which confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapOptions {
    /// Resamples to draw (default 1000); at least 1.
    pub resamples: usize,
    /// Seed of the generator (default 0).
    pub seed: u64,
    /// Share of the resampled values inside the interval, in (0, 1) (default 0.95).
    pub confidence: f64,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            resamples: 1000,
            seed: 0,
            confidence: 0.95,
        }
    }
}

impl BootstrapOptions {
    /// Refuse 0 resamples and a confidence outside (0, 1).
    ///
    /// # Errors
    /// [`Error::TooFewResamples`] or [`Error::InvalidConfidence`].
    pub fn validate(&self) -> Result<()> {
        if self.resamples == 0 {
            return Err(Error::TooFewResamples {
                resamples: self.resamples,
            });
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(Error::InvalidConfidence {
                confidence: self.confidence,
            });
        }
        Ok(())
    }
}

/// What one resample drew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "unit", content = "count")]
pub enum Resampling {
    /// Single sentences, as many as there are.
    Sentences(usize),
    /// Whole articles (groups), as many as there are.
    Groups(usize),
}

/// A closed interval; serialized as `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

impl Interval {
    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }
    /// `hi - lo`.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        [self.lo, self.hi].serialize(s)
    }
}

/// Intervals on one label's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelIntervals {
    /// Precision.
    pub precision: Interval,
    /// Recall.
    pub recall: Interval,
    /// F1.
    pub f1: Interval,
}

/// Bootstrap intervals on a report's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intervals {
    /// What was resampled.
    pub resampling: Resampling,
    /// Resamples drawn.
    pub resamples: usize,
    /// The seed.
    pub seed: u64,
    /// Share of the resampled values inside each interval.
    pub confidence: f64,
    /// Accuracy.
    pub accuracy: Interval,
    /// Macro F1.
    pub macro_f1: Interval,
    /// Weighted F1.
    pub weighted_f1: Interval,
    /// One entry a label, in the report's label order.
    pub per_label: Vec<LabelIntervals>,
}

/// The confusion counts of each resampling unit: for unit `g`, the nonzero cells
/// `t * k + p` with their counts.
#[derive(Debug, Clone)]
pub(crate) struct UnitCells {
    k: usize,
    starts: Vec<usize>,
    cells: Vec<(u32, u32)>,
}

impl UnitCells {
    /// Count the cells of each unit; `unit[i]` is the unit of sentence `i`, in `0..units`.
    pub(crate) fn new(
        k: usize,
        truth: &[usize],
        predicted: &[usize],
        unit: &[usize],
        units: usize,
    ) -> UnitCells {
        let mut order: Vec<usize> = (0..truth.len()).collect();
        order.sort_by_key(|&i| (unit[i], truth[i] * k + predicted[i]));
        let mut starts = vec![0; units + 1];
        let mut cells: Vec<(u32, u32)> = Vec::new();
        let mut last = None;
        for i in order {
            let cell = (truth[i] * k + predicted[i]) as u32;
            match cells.last_mut() {
                Some((c, n)) if last == Some(unit[i]) && *c == cell => *n += 1,
                _ => cells.push((cell, 1)),
            }
            last = Some(unit[i]);
            starts[unit[i] + 1] = cells.len();
        }
        for g in 1..=units {
            starts[g] = starts[g].max(starts[g - 1]);
        }
        UnitCells { k, starts, cells }
    }

    /// The confusion matrix of a resample that drew unit `g` `times[g]` times.
    pub(crate) fn confusion_into(&self, times: &[u32], out: &mut [u64]) {
        debug_assert_eq!(out.len(), self.k * self.k);
        out.iter_mut().for_each(|c| *c = 0);
        for (g, &m) in times.iter().enumerate() {
            if m == 0 {
                continue;
            }
            for &(cell, n) in &self.cells[self.starts[g]..self.starts[g + 1]] {
                out[cell as usize] += u64::from(m) * u64::from(n);
            }
        }
    }
}

/// Resampling units from optional group ids: dense unit numbers and their count.
/// Any ids do; they are numbered in sorted order.
pub(crate) fn units(n: usize, groups: Option<&[usize]>) -> (Vec<usize>, Resampling) {
    match groups {
        None => ((0..n).collect(), Resampling::Sentences(n)),
        Some(g) => {
            assert_eq!(g.len(), n, "group ids and sentences differ in length");
            let mut ids = g.to_vec();
            ids.sort_unstable();
            ids.dedup();
            let unit = g
                .iter()
                .map(|x| ids.binary_search(x).unwrap_or(0))
                .collect();
            (unit, Resampling::Groups(ids.len()))
        }
    }
}

/// Draw how often each of `times.len()` units is taken in one resample.
pub(crate) fn draw(rng: &mut SplitMix64, times: &mut [u32]) {
    times.iter_mut().for_each(|t| *t = 0);
    let n = times.len();
    for _ in 0..n {
        times[rng.below(n)] += 1;
    }
}

/// The percentile interval holding `confidence` of `values` (sorted in place), with
/// linear interpolation between order statistics (numpy's default).
pub(crate) fn percentile_interval(values: &mut [f64], confidence: f64) -> Interval {
    values.sort_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    Interval {
        lo: quantile(values, tail),
        hi: quantile(values, 1.0 - tail),
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos - pos.floor());
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * frac
}

/// Resampled values of each figure: accuracy, macro F1, weighted F1, then precision,
/// recall and F1 of each label.
pub(crate) struct Samples {
    values: Vec<Vec<f64>>,
}

impl Samples {
    pub(crate) fn new(k: usize, resamples: usize) -> Samples {
        Samples {
            values: vec![Vec::with_capacity(resamples); 3 + 3 * k],
        }
    }

    pub(crate) fn push(&mut self, f: &Figures) {
        let k = f.labels();
        let v = &mut self.values;
        v[0].push(f.accuracy);
        v[1].push(f.macro_f1);
        v[2].push(f.weighted_f1);
        for i in 0..k {
            v[3 + 3 * i].push(f.precision[i]);
            v[4 + 3 * i].push(f.recall[i]);
            v[5 + 3 * i].push(f.f1[i]);
        }
    }

    fn intervals(mut self, confidence: f64) -> (Interval, Interval, Interval, Vec<LabelIntervals>) {
        let k = (self.values.len() - 3) / 3;
        let mut ci = self
            .values
            .iter_mut()
            .map(|v| percentile_interval(v, confidence));
        let mut next = || ci.next().expect("one interval a figure");
        let (a, m, w) = (next(), next(), next());
        let per_label = (0..k)
            .map(|_| LabelIntervals {
                precision: next(),
                recall: next(),
                f1: next(),
            })
            .collect();
        (a, m, w, per_label)
    }
}

/// Percentile bootstrap intervals for accuracy, macro F1, weighted F1 and each label's
/// precision, recall and F1, from true and predicted label indices into `k` labels.
/// With `groups` (one id a sentence, any numbers), whole groups are resampled; without,
/// single sentences.
///
/// # Errors
/// [`Error::TooFewResamples`] or [`Error::InvalidConfidence`] for bad options,
/// [`Error::NoSentences`] when `truth` is empty.
///
/// # Panics
/// If `truth`, `predicted` and `groups` differ in length or a label index is not below `k`.
pub fn bootstrap(
    k: usize,
    truth: &[usize],
    predicted: &[usize],
    groups: Option<&[usize]>,
    options: &BootstrapOptions,
) -> Result<Intervals> {
    options.validate()?;
    assert_eq!(
        truth.len(),
        predicted.len(),
        "truth and predictions differ in length"
    );
    if truth.is_empty() {
        return Err(Error::NoSentences);
    }
    let (unit, resampling) = units(truth.len(), groups);
    let n_units = match resampling {
        Resampling::Sentences(n) | Resampling::Groups(n) => n,
    };
    let cells = UnitCells::new(k, truth, predicted, &unit, n_units);
    let mut rng = SplitMix64::new(options.seed);
    let mut times = vec![0u32; n_units];
    let mut confusion = vec![0u64; k * k];
    let mut figures = Figures::new(k);
    let mut samples = Samples::new(k, options.resamples);
    for _ in 0..options.resamples {
        draw(&mut rng, &mut times);
        cells.confusion_into(&times, &mut confusion);
        figures.compute(&confusion);
        samples.push(&figures);
    }
    let (accuracy, macro_f1, weighted_f1, per_label) = samples.intervals(options.confidence);
    Ok(Intervals {
        resampling,
        resamples: options.resamples,
        seed: options.seed,
        confidence: options.confidence,
        accuracy,
        macro_f1,
        weighted_f1,
        per_label,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::Report;

    /// `n` sentences over 3 labels, about 80% right, in articles of 5.
    fn data(n: usize) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
        let mut rng = SplitMix64::new(42);
        let truth: Vec<usize> = (0..n).map(|_| rng.below(3)).collect();
        let predicted = truth
            .iter()
            .map(|&t| if rng.below(5) == 0 { (t + 1) % 3 } else { t })
            .collect();
        let groups = (0..n).map(|i| i / 5).collect();
        (truth, predicted, groups)
    }

    #[test]
    fn intervals_contain_the_estimate_and_shrink_with_more_data() {
        let mut widths = Vec::new();
        for n in [200, 3200] {
            let (t, p, g) = data(n);
            let r = Report::new(vec!["a".into(), "b".into(), "c".into()], &t, &p);
            for groups in [None, Some(&g[..])] {
                let ci = bootstrap(3, &t, &p, groups, &BootstrapOptions::default()).unwrap();
                assert!(ci.accuracy.contains(r.accuracy), "{ci:?} {}", r.accuracy);
                assert!(ci.macro_f1.contains(r.macro_f1));
                assert!(ci.weighted_f1.contains(r.weighted_f1));
                for (li, m) in ci.per_label.iter().zip(&r.per_label) {
                    assert!(li.precision.contains(m.precision) && li.recall.contains(m.recall));
                    assert!(li.f1.contains(m.f1));
                }
                assert!(ci.macro_f1.width() > 0.0);
            }
            let ci = bootstrap(3, &t, &p, Some(&g), &BootstrapOptions::default()).unwrap();
            assert_eq!(ci.resampling, Resampling::Groups(n / 5));
            widths.push(ci.macro_f1.width());
        }
        // Sixteen times the data: about a quarter of the width.
        assert!(widths[1] < widths[0] / 2.5, "{widths:?}");
    }

    #[test]
    fn same_seed_same_intervals_other_seed_others() {
        let (t, p, g) = data(300);
        let o = BootstrapOptions::default();
        let a = bootstrap(3, &t, &p, Some(&g), &o).unwrap();
        assert_eq!(a, bootstrap(3, &t, &p, Some(&g), &o).unwrap());
        let b = bootstrap(3, &t, &p, Some(&g), &BootstrapOptions { seed: 1, ..o }).unwrap();
        assert_ne!(a.macro_f1, b.macro_f1);
    }

    #[test]
    fn one_sentence_groups_resample_as_sentences() {
        let (t, p, _) = data(150);
        let own: Vec<usize> = (0..150).map(|i| 1000 + 3 * i).collect();
        let o = BootstrapOptions::default();
        let by_sentence = bootstrap(3, &t, &p, None, &o).unwrap();
        let by_group = bootstrap(3, &t, &p, Some(&own), &o).unwrap();
        assert_eq!(by_group.resampling, Resampling::Groups(150));
        assert_eq!(
            (by_group.macro_f1, by_group.per_label),
            (by_sentence.macro_f1, by_sentence.per_label)
        );
    }

    #[test]
    fn unit_cells_add_up_to_the_confusion_matrix() {
        let (t, p, g) = data(97);
        let (unit, res) = units(t.len(), Some(&g));
        assert_eq!(res, Resampling::Groups(20));
        let cells = UnitCells::new(3, &t, &p, &unit, 20);
        let mut all = vec![0u64; 9];
        cells.confusion_into(&[1; 20], &mut all);
        let r = Report::new(vec!["a".into(), "b".into(), "c".into()], &t, &p);
        let flat: Vec<u64> = r.confusion.concat().iter().map(|&c| c as u64).collect();
        assert_eq!(all, flat);
        let mut twice = vec![0u64; 9];
        cells.confusion_into(&[2; 20], &mut twice);
        assert!(twice.iter().zip(&all).all(|(a, b)| *a == 2 * b));
    }

    #[test]
    fn percentiles_interpolate_and_options_are_checked() {
        let mut v: Vec<f64> = (0..=100).rev().map(f64::from).collect();
        let ci = percentile_interval(&mut v, 0.9);
        assert!((ci.lo - 5.0).abs() < 1e-12 && (ci.hi - 95.0).abs() < 1e-12);
        let o = BootstrapOptions {
            resamples: 0,
            ..Default::default()
        };
        assert!(matches!(
            o.validate(),
            Err(Error::TooFewResamples { resamples: 0 })
        ));
        let o = BootstrapOptions {
            confidence: 1.0,
            ..Default::default()
        };
        assert!(matches!(o.validate(), Err(Error::InvalidConfidence { .. })));
        assert!(matches!(
            bootstrap(2, &[], &[], None, &BootstrapOptions::default()),
            Err(Error::NoSentences)
        ));
    }
}
