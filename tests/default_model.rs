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
    assert!(r["macro_f1"].as_f64().unwrap() > 0.75, "{r}");
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
    assert!(r["macro_f1"].as_f64().unwrap() > 0.6, "{r}");
}
