//! Temperature scaling end to end: the library on the built-in model and
//! `data/test.csv` (held out from its training), and `tasnif calibrate`.

mod common;

use common::*;
use tasnif::model::softmax_in_place;
use tasnif::pipeline::{Outcome, PredictScratch};
use tasnif::{LabeledSentence, Pipeline, Prediction, ReadOptions};

fn test_sentences() -> Vec<LabeledSentence> {
    let file = std::fs::File::open(root().join("data/test.csv")).unwrap();
    tasnif::read_labeled(file, &ReadOptions::default())
        .unwrap()
        .sentences
}

/// The test sentences split by article: even-numbered articles, then the others.
fn halves() -> (Vec<LabeledSentence>, Vec<LabeledSentence>) {
    let mut docs: Vec<String> = test_sentences()
        .iter()
        .filter_map(|s| s.doc.clone())
        .collect();
    docs.sort();
    docs.dedup();
    let first = |s: &LabeledSentence| {
        let i = docs.binary_search(s.doc.as_ref().unwrap()).unwrap();
        i.is_multiple_of(2)
    };
    test_sentences().into_iter().partition(first)
}

fn builtin() -> Pipeline {
    tasnif::builtin::model().unwrap()
}

#[test]
fn a_temperature_fitted_on_held_out_articles_lowers_the_log_loss_on_others() {
    let model = builtin();
    assert_eq!(model.temperature(), 1.0, "training sets temperature 1");
    let (fit_on, check_on) = halves();
    assert!(fit_on.len() > 500 && check_on.len() > 500);
    let found = model.calibrate(&fit_on).unwrap();
    assert!(found.log_loss_after < found.log_loss_before, "{found:?}");
    let calibrated = model.clone().with_temperature(found.temperature).unwrap();
    let other = model.calibrate(&check_on).unwrap().logits;
    assert!(
        other.log_loss(calibrated.temperature()) < other.log_loss(1.0),
        "T {}: {} vs {}",
        found.temperature,
        other.log_loss(found.temperature),
        other.log_loss(1.0)
    );
}

#[test]
fn at_temperature_1_probabilities_are_the_plain_softmax_of_the_scores() {
    let model = builtin();
    let mut scratch = PredictScratch::default();
    let (mut scores, mut probs) = (Vec::new(), Vec::new());
    for s in test_sentences() {
        let a = model.scores_into(&s.text, &mut scratch, &mut scores);
        let b = model.predict_into(&s.text, &mut scratch, &mut probs);
        if let Outcome::Label(_) = b {
            softmax_in_place(&mut scores);
            assert_eq!(scores, probs, "{}", s.text);
        }
        assert_eq!(a, b);
    }
}

#[test]
fn a_calibrated_model_changes_probabilities_not_labels_and_survives_save_and_load() {
    let model = builtin();
    let found = model.calibrate(&test_sentences()).unwrap();
    assert_ne!(found.temperature, 1.0);
    let bytes = model
        .clone()
        .with_temperature(found.temperature)
        .unwrap()
        .to_bytes()
        .unwrap();
    let loaded = Pipeline::from_bytes(&bytes).unwrap();
    assert_eq!(loaded.temperature(), found.temperature);
    let mut changed = 0;
    for s in test_sentences() {
        let (before, after) = (model.predict(&s.text), loaded.predict(&s.text));
        assert_eq!(before.label_index(), after.label_index(), "{}", s.text);
        if let (Prediction::Label { .. }, Some(p), Some(q)) =
            (&before, before.top_probability(), after.top_probability())
        {
            // T < 1 sharpens: the top label only gains.
            assert!(q >= p || found.temperature > 1.0);
            changed += usize::from(p != q);
        }
    }
    assert!(changed > 1000, "{changed}");
}

#[test]
fn calibrating_the_same_model_on_the_same_data_gives_the_same_file() {
    let model = builtin();
    let file = || {
        let t = model.calibrate(&test_sentences()).unwrap().temperature;
        model
            .clone()
            .with_temperature(t)
            .unwrap()
            .to_bytes()
            .unwrap()
    };
    assert!(file() == file());
}

#[test]
fn sentences_that_cannot_be_used_are_counted_or_refused() {
    let model = builtin();
    let s = LabeledSentence::new;
    let mut data = test_sentences();
    data.truncate(50);
    data.push(s("!!! ...", "defection"));
    data.push(s("zzzqqq xxyyww", "defection"));
    data.push(s("فر الجنود من مواقعهم", "no_such_label"));
    let found = model.calibrate(&data).unwrap();
    assert_eq!(found.logits.len(), 50);
    assert_eq!(
        (
            found.excluded.no_text,
            found.excluded.unknown,
            found.excluded.unknown_label
        ),
        (1, 1, 1)
    );
    let e = model.calibrate(&data[50..]).unwrap_err();
    assert!(
        matches!(e, tasnif::Error::NothingToCalibrate { sentences: 3, .. }),
        "{e}"
    );
}

#[test]
fn the_command_writes_a_calibrated_model_that_info_and_evaluate_read() {
    let dir = tempdir();
    let out = dir.path().join("calibrated.tasnif");
    let out = out.to_str().unwrap();
    let args = ["calibrate", "--data", "data/test.csv", "--out", out];
    let said = ok(&tasnif(&args));
    let sentences = csv::Reader::from_path("data/test.csv")
        .unwrap()
        .records()
        .count();
    let counted = format!("calibrated on {sentences} sentences of data/test.csv");
    for line in [
        counted.as_str(),
        "temperature:   1.0000 -> 0.",
        "log loss:",
        "ECE (15 bins):",
    ] {
        assert!(said.contains(line), "{said}");
    }
    let first = std::fs::read(out).unwrap();
    // `--model builtin` is the built-in model; the same run gives the same bytes.
    ok(&tasnif(
        &[&args[..], &["--model", "builtin", "-q"]].concat(),
    ));
    assert!(std::fs::read(out).unwrap() == first);
    let info: serde_json::Value =
        serde_json::from_str(&ok(&tasnif(&["info", "--model", out, "--format", "json"]))).unwrap();
    let t = info["temperature"].as_f64().unwrap();
    assert!(t > 0.05 && t < 1.0, "{info}");
    let report = |model: Option<&str>| {
        let mut a = vec!["evaluate", "--data", "data/test.csv", "--format", "json"];
        a.extend(model.map(|m| ["--model", m]).into_iter().flatten());
        let r: serde_json::Value = serde_json::from_str(&ok(&tasnif(&a))).unwrap();
        (r["accuracy"].clone(), r["confusion"].clone())
    };
    assert_eq!(report(Some(out)), report(None), "labels do not change");
}

#[test]
fn the_command_refuses_data_it_cannot_use() {
    let dir = tempdir();
    let data = dir.path().join("marks.csv");
    std::fs::write(&data, "text,label\n\"!!!\",defection\n").unwrap();
    let out = dir.path().join("m.tasnif");
    let err = fails(&tasnif(&[
        "calibrate",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(err.contains("none of the 1 held-out sentence(s)"), "{err}");
    assert!(!out.exists());
}
