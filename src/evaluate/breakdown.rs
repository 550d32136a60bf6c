//! Figures per group of sentences (an article, a source, any column's value).

use std::collections::BTreeMap;

use serde::Serialize;

use super::figures::Figures;

/// The figures of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFigures {
    /// The group's value.
    pub key: String,
    /// Sentences in the group.
    pub sentences: usize,
    /// Share labeled correctly.
    pub accuracy: f64,
    /// Macro F1 over the labels the group's sentences carry.
    pub macro_f1: f64,
}

/// Sentences, accuracy and macro F1 for each distinct value of `keys` (one a
/// sentence), largest groups first, then by value.
///
/// # Panics
/// If `truth`, `predicted` and `keys` differ in length or a label index is not below `k`.
pub fn breakdown<S: AsRef<str>>(
    k: usize,
    truth: &[usize],
    predicted: &[usize],
    keys: &[S],
) -> Vec<GroupFigures> {
    assert_eq!(
        truth.len(),
        predicted.len(),
        "truth and predictions differ in length"
    );
    assert_eq!(
        truth.len(),
        keys.len(),
        "keys and sentences differ in length"
    );
    let mut groups: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for ((&t, &p), key) in truth.iter().zip(predicted).zip(keys) {
        groups.entry(key.as_ref()).or_insert_with(|| vec![0; k * k])[t * k + p] += 1;
    }
    let mut figures = Figures::new(k);
    let mut out: Vec<GroupFigures> = groups
        .into_iter()
        .map(|(key, confusion)| {
            figures.compute(&confusion);
            GroupFigures {
                key: key.to_string(),
                sentences: confusion.iter().sum::<u64>() as usize,
                accuracy: figures.accuracy,
                macro_f1: figures.macro_f1,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.sentences
            .cmp(&a.sentences)
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_first_with_their_figures() {
        let keys = ["x", "y", "y", "y", "x", "z"];
        let g = breakdown(2, &[0, 0, 1, 1, 1, 0], &[0, 1, 1, 1, 1, 0], &keys);
        let order: Vec<(&str, usize)> = g.iter().map(|g| (g.key.as_str(), g.sentences)).collect();
        assert_eq!(order, [("y", 3), ("x", 2), ("z", 1)]);
        assert!((g[0].accuracy - 2.0 / 3.0).abs() < 1e-12);
        // y: label 0 recall 0 (f1 0), label 1 p 2/3 r 1 (f1 0.8) → 0.4.
        assert!((g[0].macro_f1 - 0.4).abs() < 1e-12);
        assert_eq!((g[1].accuracy, g[1].macro_f1), (1.0, 1.0));
    }
}
