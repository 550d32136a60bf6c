//! Our corpus is our own writing: no run of ten consecutive normalized words of any
//! sentence in `data/` occurs in the real news of `../shared/` (the unlabeled corpus,
//! the evaluation set, the seed articles), except the few runs listed in
//! `data/shared_runs_allowed.txt` (long official names and titles).

mod common;

use std::collections::{BTreeMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use common::{root, shared};
use tasnif::normalize::Normalizer;
use tasnif::tokenize::words;

const RUN: usize = 10;

fn run_hash(run: &[&str]) -> u64 {
    let mut h = DefaultHasher::new();
    run.hash(&mut h);
    h.finish()
}

/// Every run of `RUN` consecutive normalized words of `text`, as hash and text.
fn runs(normalizer: &Normalizer, text: &str, mut f: impl FnMut(u64, &[&str])) {
    let norm = normalizer.normalize(text);
    let w: Vec<&str> = words(&norm).collect();
    for run in w.windows(RUN) {
        f(run_hash(run), run);
    }
}

/// The texts of data/: every CSV's `text` column and the example articles.
fn our_texts() -> Vec<String> {
    let mut texts = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("data/corpus"))
        .expect("data/corpus")
        .map(|e| e.unwrap().path())
        .collect();
    paths.push(root().join("data/train.csv"));
    paths.push(root().join("data/test.csv"));
    for p in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
    {
        let mut r = csv::Reader::from_path(p).unwrap();
        let text_col = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "text")
            .unwrap();
        for rec in r.records() {
            texts.push(rec.unwrap()[text_col].to_string());
        }
    }
    for e in std::fs::read_dir(root().join("data/articles")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt") {
            texts.push(std::fs::read_to_string(p).unwrap());
        }
    }
    texts
}

fn allowed(normalizer: &Normalizer) -> HashSet<u64> {
    let list = std::fs::read_to_string(root().join("data/shared_runs_allowed.txt")).unwrap();
    let mut set = HashSet::new();
    for line in list
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        runs(normalizer, line, |h, _| {
            set.insert(h);
        });
    }
    set
}

fn shared_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![dir.join("corpus/news-ar.txt"), dir.join("eval/dev.csv")];
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(dir.join("seeds"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    seeds.sort();
    files.extend(seeds);
    files
}

#[test]
fn no_ten_word_run_of_our_data_is_in_the_shared_news() {
    let Some(dir) = shared("") else { return };
    let normalizer = Normalizer::default();
    let mut ours: BTreeMap<u64, String> = BTreeMap::new();
    for text in our_texts() {
        runs(&normalizer, &text, |h, run| {
            ours.entry(h).or_insert_with(|| run.join(" "));
        });
    }
    let allowed = allowed(&normalizer);
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for file in shared_files(&dir) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            eprintln!("skipped: cannot read {}", file.display());
            continue;
        };
        for line in text.lines() {
            runs(&normalizer, line, |h, _| {
                if let Some(run) = ours.get(&h).filter(|_| !allowed.contains(&h)) {
                    found
                        .entry(run.clone())
                        .or_insert_with(|| file.display().to_string());
                }
            });
        }
    }
    let list: Vec<String> = found.iter().map(|(run, f)| format!("{f}: {run}")).collect();
    assert!(
        found.is_empty(),
        "{} run(s) of {RUN} words of data/ occur in ../shared/ (rewrite the sentence, or list \
         a long official name in data/shared_runs_allowed.txt):\n{}",
        found.len(),
        list.join("\n")
    );
}

#[test]
fn the_allowed_list_is_short_and_every_entry_is_a_full_run() {
    let normalizer = Normalizer::default();
    let list = std::fs::read_to_string(root().join("data/shared_runs_allowed.txt")).unwrap();
    let entries: Vec<&str> = list
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    assert!(entries.len() <= 20, "{} allowed runs", entries.len());
    for e in entries {
        let norm = normalizer.normalize(e);
        assert!(words(&norm).count() >= RUN, "shorter than {RUN} words: {e}");
    }
}
