//! Throughput of tasnif's stages on a text file (one article a line), single thread,
//! for benches/compare: prints one JSON object.
//! `cargo run --release --example throughput -- FILE [MAX_BYTES]`
use std::time::Instant;

use tasnif::normalize::Normalizer;
use tasnif::tokenize::words;
use tasnif::vectorize::{FeatureScratch, SparseRow};

fn best_of<F: FnMut() -> usize>(runs: usize, mut f: F) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..runs {
        let t = Instant::now();
        n = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, n)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a text file");
    let max: usize = args
        .next()
        .map_or(usize::MAX, |m| m.parse().expect("MAX_BYTES"));
    let mut text = std::fs::read_to_string(path).expect("readable UTF-8");
    let mut cut = max.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    let lines: Vec<&str> = text.lines().collect();
    let mb = text.len() as f64 / 1e6;
    let model =
        tasnif::pipeline::Pipeline::from_bytes(&std::fs::read("models/default.tasnif").unwrap())
            .unwrap();
    let n = Normalizer::default();
    let mut out = String::new();
    let (t_norm, _) = best_of(3, || {
        lines
            .iter()
            .map(|l| {
                n.normalize_into(l, &mut out);
                out.len()
            })
            .sum()
    });
    let (t_words, _) = best_of(3, || {
        lines
            .iter()
            .map(|l| {
                n.normalize_into(l, &mut out);
                words(&out).count()
            })
            .sum()
    });
    let mut scratch = FeatureScratch::default();
    let mut row = SparseRow::default();
    let fz = model.featurizer();
    let (t_feat, _) = best_of(3, || {
        lines
            .iter()
            .map(|l| {
                fz.transform_unsorted_into(l, &mut scratch, &mut row);
                row.nnz()
            })
            .sum()
    });
    println!(
        "{{\"mb\": {mb:.3}, \"normalize_mb_s\": {:.1}, \"normalize_words_mb_s\": {:.1}, \"featurize_mb_s\": {:.1}}}",
        mb / t_norm,
        mb / t_words,
        mb / t_feat
    );
}
