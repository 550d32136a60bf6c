//! One stage of the hot path over a fixed input, for counting instructions under
//! callgrind (`scripts/instructions` runs it): `instructions STAGE FILE [RUNS]`, STAGE one of
//! `load`, `normalize`, `tokenize` (the general path), `hashes` (the prediction path's
//! tokenizer), `featurize`, `classify`. The input is the first
//! 1,000,000 bytes of FILE (one article a line), cut at a line end; only the call to
//! `measured` is counted, so reading the file and loading the model are not (except
//! in `load`, which counts one load of the model). The model is the built-in one, or
//! the file named by the environment variable `INSTRUCTIONS_MODEL`.
use std::hint::black_box;

use tasnif::normalize::Normalizer;
use tasnif::pipeline::Pipeline;
use tasnif::tokenize::TokenScratch;
use tasnif::vectorize::{FeatureScratch, SparseRow};

const INPUT: usize = 1_000_000;

#[inline(never)]
fn measured(stage: &str, lines: &[&str], model_bytes: &[u8], model: &Pipeline) -> usize {
    let fz = model.featurizer();
    match stage {
        "load" => Pipeline::from_bytes(model_bytes).map_or(0, |p| p.labels().len()),
        "normalize" => {
            let n = Normalizer::default();
            let mut out = String::new();
            lines
                .iter()
                .map(|l| {
                    n.normalize_into(l, &mut out);
                    out.len()
                })
                .sum()
        }
        "tokenize" => {
            // The general path (every feature with its text at hand), as training uses.
            let mut out = String::new();
            let mut scratch = TokenScratch::default();
            let mut hashes = 0u64;
            for l in lines {
                fz.normalizer().normalize_into(l, &mut out);
                fz.tokenizer()
                    .for_each_feature(&out, &mut scratch, |f| hashes ^= f.hash);
            }
            hashes as usize
        }
        // The prediction path's tokenizer (hashes only); older versions have none.
        #[cfg(not(instructions_base))]
        "hashes" => {
            let mut out = String::new();
            let mut scratch = TokenScratch::default();
            let mut hashes = Vec::new();
            let mut n = 0;
            for l in lines {
                fz.normalizer().normalize_into(l, &mut out);
                hashes.clear();
                fz.tokenizer().hashes_into(&out, &mut scratch, &mut hashes);
                n += hashes.len();
            }
            n
        }
        "featurize" => {
            let mut scratch = FeatureScratch::default();
            let mut row = SparseRow::default();
            lines
                .iter()
                .map(|l| {
                    fz.transform_unsorted_into(l, &mut scratch, &mut row);
                    row.nnz()
                })
                .sum()
        }
        "classify" => {
            // As the binary does: one scratch for every article.
            let mut scratch = tasnif::pipeline::PredictScratch::default();
            let mut n = 0;
            for l in lines {
                model.classify_article_with(l, &mut scratch, 0, |s| n += s.features);
            }
            n
        }
        _ => panic!(
            "unknown stage {stage}: load, normalize, tokenize, hashes, featurize or classify"
        ),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let stage = args.next().expect("a stage");
    let path = args.next().expect("a text file, one article a line");
    let text = std::fs::read_to_string(path).expect("a readable UTF-8 file");
    let head = &text.as_bytes()[..INPUT.min(text.len())];
    let cut = head
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(text.len(), |i| i + 1);
    let lines: Vec<&str> = text[..cut].lines().collect();
    // INSTRUCTIONS_MODEL=FILE measures another model (two builds, the same model).
    let file =
        std::env::var_os("INSTRUCTIONS_MODEL").map(|p| std::fs::read(p).expect("a model file"));
    let bytes = file.as_deref().unwrap_or(tasnif::builtin::MODEL_BYTES);
    let model = Pipeline::from_bytes(bytes).expect("a model that loads");
    let n = measured(black_box(&stage), black_box(&lines), bytes, &model);
    println!("{stage}: {} bytes, result {n}", cut);
    // With a count of runs: the fastest run's wall time too (for a quick A/B of two
    // builds on a quiet machine; the instruction count is the figure that holds).
    if let Some(runs) = args.next().and_then(|r| r.parse::<u32>().ok()) {
        let best = (0..runs)
            .map(|_| {
                let t = std::time::Instant::now();
                black_box(measured(
                    black_box(&stage),
                    black_box(&lines),
                    bytes,
                    &model,
                ));
                t.elapsed()
            })
            .min()
            .unwrap_or_default();
        println!(
            "{stage}: fastest of {runs} runs {:.2} ms",
            best.as_secs_f64() * 1e3
        );
    }
}
