//! The built-in model is what `scripts/train-default` produces from `data/train.csv`,
//! and it does what it is for on data it was not trained on.

mod common;

use common::*;

#[test]
fn committed_model_is_byte_identical_to_a_retrain() {
    let dir = tempdir();
    let out = dir.path().join("default.tasnif");
    ok(&tasnif(&[
        "train",
        "--data",
        "data/train.csv",
        "--config",
        "models/default.toml",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]));
    let fresh = std::fs::read(&out).unwrap();
    let committed = std::fs::read(root().join("models/default.tasnif")).unwrap();
    assert!(
        fresh == committed,
        "models/default.tasnif is stale: run scripts/train-default and commit it ({} vs {} bytes)",
        committed.len(),
        fresh.len()
    );
}

fn macro_f1(data: &str) -> serde_json::Value {
    let report = ok(&tasnif(&["evaluate", "--data", data, "--format", "json"]));
    serde_json::from_str(&report).unwrap()
}

#[test]
fn built_in_model_on_held_out_articles() {
    let r = macro_f1("data/test.csv");
    eprintln!(
        "built-in model on data/test.csv: macro F1 {:.4}, accuracy {:.4}",
        r["macro_f1"], r["accuracy"]
    );
    assert!(r["macro_f1"].as_f64().unwrap() > 0.8, "{r}");
}

#[test]
fn built_in_model_on_real_news() {
    let Some(dev) = shared("eval/dev.csv") else {
        return;
    };
    let r = macro_f1(dev.to_str().unwrap());
    eprintln!(
        "built-in model on real news (dev.csv): macro F1 {:.4}, accuracy {:.4}",
        r["macro_f1"], r["accuracy"]
    );
    assert!(r["macro_f1"].as_f64().unwrap() > 0.7, "{r}");
}

/// The example articles' sentences, labeled by their writer in data/articles/LABELS.tsv
/// (file, sentence number, label, first words): the built-in model should agree.
#[test]
fn built_in_model_agrees_with_the_writers_of_the_example_articles() {
    let table = std::fs::read_to_string(root().join("data/articles/LABELS.tsv")).unwrap();
    let mut want: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for line in table.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        want.entry(cols[0].to_string())
            .or_default()
            .push(cols[2].to_string());
    }
    let (mut agree, mut total) = (0, 0);
    for (file, labels) in &want {
        let recs = jsonl(&ok(&tasnif(&[
            "classify",
            "--format",
            "jsonl",
            &format!("data/articles/{file}"),
        ])));
        let got: Vec<&str> = recs
            .iter()
            .filter(|r| r.get("label").is_some())
            .map(|r| r["label"].as_str().unwrap())
            .collect();
        assert_eq!(got.len(), labels.len(), "{file}: sentence count");
        agree += got
            .iter()
            .zip(labels)
            .filter(|(g, w)| **g == w.as_str())
            .count();
        total += got.len();
    }
    eprintln!("built-in model agrees with the writers on {agree} of {total} sentences");
    assert!(agree * 10 >= total * 9, "{agree} of {total}");
}
