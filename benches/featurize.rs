//! One criterion group per stage of the hot path, on real Arabic news:
//! `../shared/corpus/news-ar.txt` when it is there (the first 4 MB), otherwise the
//! project's own articles in `data/articles/`. Every measured loop returns a real count
//! so nothing is optimized away.
//!
//! Run: `cargo bench --bench featurize` (all groups) or `cargo bench -- normalize`.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tasnif::normalize::Normalizer;
use tasnif::pipeline::{Pipeline, PredictScratch};
use tasnif::sentence::split_sentences;
use tasnif::tokenize::{words, TokenScratch, TokenizeOptions, Tokenizer};
use tasnif::vectorize::{FeatureScratch, SparseRow};

const SAMPLE_BYTES: usize = 4 * 1024 * 1024;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The benchmark text: real news when available, else our own articles.
fn sample() -> String {
    let corpus = root().join("../shared/corpus/news-ar.txt");
    match std::fs::read_to_string(&corpus) {
        Ok(mut text) => {
            let mut cut = SAMPLE_BYTES.min(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            eprintln!("bench text: {} bytes of {}", text.len(), corpus.display());
            text
        }
        Err(_) => {
            eprintln!(
                "bench text: {} not there; using data/articles/*.txt",
                corpus.display()
            );
            let mut text = String::new();
            let mut paths: Vec<_> = std::fs::read_dir(root().join("data/articles"))
                .expect("data/articles")
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            paths.sort();
            for p in paths {
                text += &std::fs::read_to_string(p).unwrap();
                text.push('\n');
            }
            text
        }
    }
}

fn model_bytes() -> Vec<u8> {
    std::fs::read(root().join("models/default.tasnif")).expect("models/default.tasnif")
}

/// What every group reads: the sample text, its lines and the built-in model.
struct Fixture {
    text: String,
    bytes_model: Vec<u8>,
    model: Pipeline,
}

impl Fixture {
    fn lines(&self) -> Vec<&str> {
        self.text.lines().collect()
    }
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let bytes_model = model_bytes();
        let model = Pipeline::from_bytes(&bytes_model).expect("built-in model loads");
        Fixture {
            text: sample(),
            bytes_model,
            model,
        }
    })
}

fn normalize(c: &mut Criterion) {
    let f = fixture();
    let lines = f.lines();
    let normalizer = Normalizer::default();
    let mut g = c.benchmark_group("normalize");
    g.throughput(Throughput::Bytes(f.text.len() as u64));
    g.bench_function("news", |b| {
        let mut out = String::new();
        b.iter(|| {
            let mut n = 0;
            for l in &lines {
                normalizer.normalize_into(l, &mut out);
                n += out.len();
            }
            black_box(n)
        })
    });
    g.finish();
}

fn sentence_split(c: &mut Criterion) {
    let text = &fixture().text;
    let mut g = c.benchmark_group("sentence_split");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("news", |b| {
        b.iter(|| black_box(split_sentences(black_box(text)).count()))
    });
    g.finish();
}

fn normalize_words(c: &mut Criterion) {
    let f = fixture();
    let lines = f.lines();
    let normalizer = Normalizer::default();
    let mut g = c.benchmark_group("normalize_words");
    g.throughput(Throughput::Bytes(f.text.len() as u64));
    g.bench_function("news", |b| {
        let mut out = String::new();
        b.iter(|| {
            let mut n = 0;
            for l in &lines {
                normalizer.normalize_into(l, &mut out);
                n += words(&out).count();
            }
            black_box(n)
        })
    });
    g.finish();
}

fn char_ngrams(c: &mut Criterion) {
    let f = fixture();
    let model = &f.model;
    let normalizer = Normalizer::default();
    let normalized: Vec<String> = f.lines().iter().map(|l| normalizer.normalize(l)).collect();
    let mut g = c.benchmark_group("char_ngrams");
    g.throughput(Throughput::Bytes(
        normalized.iter().map(|s| s.len() as u64).sum(),
    ));
    let chars_only = Tokenizer::new(TokenizeOptions {
        word_min: 0,
        word_max: 0,
        ..*model.featurizer().tokenizer().options()
    })
    .unwrap();
    let o = chars_only.options();
    g.bench_function(
        format!("{}-{} on normalized news", o.char_min, o.char_max),
        |b| {
            let mut scratch = TokenScratch::default();
            b.iter(|| {
                let mut n = 0u64;
                for l in &normalized {
                    chars_only.for_each_feature(l, &mut scratch, |f| n = n.wrapping_add(f.hash));
                }
                black_box(n)
            })
        },
    );
    g.finish();
}

fn featurize(c: &mut Criterion) {
    let f = fixture();
    let lines = f.lines();
    let mut g = c.benchmark_group("featurize");
    g.throughput(Throughput::Bytes(f.text.len() as u64));
    let fz = f.model.featurizer();
    for (name, sorted) in [
        ("default model settings (prediction path)", false),
        ("default model settings, sorted rows (training path)", true),
    ] {
        g.bench_function(name, |b| {
            let mut scratch = FeatureScratch::default();
            let mut row = SparseRow::default();
            b.iter(|| {
                let mut nnz = 0;
                for l in &lines {
                    if sorted {
                        fz.transform_into(l, &mut scratch, &mut row);
                    } else {
                        fz.transform_unsorted_into(l, &mut scratch, &mut row);
                    }
                    nnz += row.nnz();
                }
                black_box(nnz)
            })
        });
    }
    g.finish();
}

fn predict(c: &mut Criterion) {
    let f = fixture();
    let lines = f.lines();
    let model = &f.model;
    // Sentences of the sample, featurized once, for the prediction-only group.
    let sentences: Vec<&str> = lines
        .iter()
        .flat_map(|l| split_sentences(l).map(move |s| &l[s]))
        .take(20_000)
        .collect();
    let rows: Vec<SparseRow> = sentences
        .iter()
        .map(|s| model.featurizer().transform(s))
        .collect();
    let mut g = c.benchmark_group("predict");
    g.throughput(Throughput::Bytes(
        sentences.iter().map(|s| s.len() as u64).sum(),
    ));
    g.bench_function("sparse rows", |b| {
        let mut probs = Vec::new();
        let lm = model.linear_model();
        b.iter(|| {
            let mut argmax_sum = 0usize;
            for r in &rows {
                lm.predict_proba_into(&r.indices, &r.values, &mut probs);
                argmax_sum += (0..probs.len())
                    .max_by(|&a, &b| probs[a].total_cmp(&probs[b]))
                    .unwrap();
            }
            black_box(argmax_sum)
        })
    });
    g.finish();
}

fn classify(c: &mut Criterion) {
    let f = fixture();
    let lines = f.lines();
    let model = &f.model;
    let articles = &lines[..lines.len().min(500)];
    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Bytes(
        articles.iter().map(|l| l.len() as u64).sum(),
    ));
    g.bench_function("articles end to end, one thread", |b| {
        let mut scratch = PredictScratch::default();
        b.iter(|| {
            let mut n = 0usize;
            for l in articles {
                model.classify_article_with(l, &mut scratch, 0, |s| n += s.features);
            }
            black_box(n)
        })
    });
    g.finish();
}

fn model_load(c: &mut Criterion) {
    let bytes_model = &fixture().bytes_model;
    let mut g = c.benchmark_group("model_load");
    g.throughput(Throughput::Bytes(bytes_model.len() as u64));
    g.bench_function("built-in model", |b| {
        b.iter(|| {
            black_box(
                Pipeline::from_bytes(black_box(bytes_model))
                    .unwrap()
                    .labels()
                    .len(),
            )
        })
    });
    g.bench_function("load and classify one sentence", |b| {
        b.iter(|| {
            let p = Pipeline::from_bytes(black_box(bytes_model)).unwrap();
            black_box(
                p.predict("تقدمت القوات العراقية نحو مركز المدينة")
                    .label_index(),
            )
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = normalize, sentence_split, normalize_words, char_ngrams, featurize, predict, classify, model_load
}
criterion_main!(benches);
