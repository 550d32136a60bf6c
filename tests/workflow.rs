//! The workflow around a model: cross-validation, tuning, explanations, the HTML report.

mod common;

use common::*;

/// A small labeled file: every fifth article of data/train.csv.
fn small_csv(dir: &tempfile::TempDir) -> String {
    let text = std::fs::read_to_string(root().join("data/train.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["doc", "text", "label"]).unwrap();
    let mut docs = std::collections::BTreeSet::new();
    for r in rdr.records() {
        let r = r.unwrap();
        docs.insert(r[0].to_string());
        if docs.len() % 5 == 0 {
            w.write_record(&r).unwrap();
        }
    }
    let p = dir.path().join("small.csv");
    std::fs::write(&p, w.into_inner().unwrap()).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn cv_reports_mean_and_spread() {
    let dir = tempdir();
    let data = small_csv(&dir);
    let out = ok(&tasnif(&[
        "cv",
        "--data",
        &data,
        "--folds",
        "3",
        "--group-col",
        "doc",
        "--format",
        "json",
        "-q",
        "--max-iter",
        "60",
    ]));
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["folds"].as_array().unwrap().len(), 3);
    let m = r["macro_f1"]["mean"].as_f64().unwrap();
    assert!(m > 0.4 && m <= 1.0, "macro F1 {m}");
    assert!(r["macro_f1"]["std"].as_f64().unwrap() >= 0.0);
    let n: u64 = r["folds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["n"].as_u64().unwrap())
        .sum();
    let rows = std::fs::read_to_string(&data).unwrap();
    assert_eq!(
        n as usize,
        csv::Reader::from_reader(rows.as_bytes()).records().count(),
        "every sentence is held out once"
    );
    let text = ok(&tasnif(&[
        "cv",
        "--data",
        &data,
        "--folds",
        "3",
        "-q",
        "--max-iter",
        "60",
    ]));
    assert!(text.contains("macro F1:") && text.contains("±"), "{text}");
    let err = fails(&tasnif(&["cv", "--data", &data, "--group-col", "article"]));
    assert!(err.contains("no column 'article'"), "{err}");
}

#[test]
fn tune_ranks_settings_and_writes_a_config_train_accepts() {
    let dir = tempdir();
    let data = small_csv(&dir);
    let best = dir.path().join("best.toml");
    let out = ok(&tasnif(&[
        "tune",
        "--data",
        &data,
        "--folds",
        "3",
        "--group-col",
        "doc",
        "-q",
        "--max-iter",
        "40",
        "--grid",
        "alpha=0.1,1;stopwords=false,true",
        "--holdout",
        "data/test.csv",
        "--out",
        best.to_str().unwrap(),
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    let scores: Vec<f64> = lines[1..]
        .iter()
        .map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked: {scores:?}"
    );
    let config = std::fs::read_to_string(&best).unwrap();
    assert!(
        config.contains("[train]") && config.contains("alpha"),
        "{config}"
    );
    let first = config.lines().next().unwrap();
    assert!(
        first.contains("cv macro F1") && first.contains("holdout macro F1"),
        "{first}"
    );
    let model = dir.path().join("m.tasnif");
    ok(&tasnif(&[
        "train",
        "--data",
        &data,
        "--config",
        best.to_str().unwrap(),
        "--out",
        model.to_str().unwrap(),
        "-q",
    ]));
}

#[test]
fn tune_ranks_by_the_holdout_score_when_asked() {
    let dir = tempdir();
    let data = small_csv(&dir);
    let args = [
        "tune",
        "--data",
        &data,
        "--folds",
        "3",
        "-q",
        "--max-iter",
        "40",
        "--grid",
        "alpha=0.01,1,30",
        "--holdout",
        "data/test.csv",
        "--rank-by",
        "holdout",
    ];
    let out = ok(&tasnif(&args));
    let holdout: Vec<f64> = out
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(4).unwrap().parse().unwrap())
        .collect();
    assert_eq!(holdout.len(), 3, "{out}");
    assert!(holdout.windows(2).all(|w| w[0] >= w[1]), "{out}");
    let refused = tasnif(
        &args[..args.len() - 4]
            .iter()
            .chain(&["--rank-by", "holdout"])
            .copied()
            .collect::<Vec<_>>(),
    );
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("--rank-by holdout needs --holdout"), "{err}");
}

#[test]
fn tune_help_lists_every_grid_option() {
    let help = ok(&tasnif(&["tune", "--help"]));
    let rejected = tasnif(&["tune", "--data", "data/test.csv", "--grid", "nonsense=1"]);
    let err = String::from_utf8_lossy(&rejected.stderr);
    let listed = err
        .split("options are ")
        .nth(1)
        .expect("the error lists the options");
    let keys: Vec<&str> = listed.split(" (").next().unwrap().split(", ").collect();
    assert!(keys.len() >= 10, "{err}");
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for key in keys {
        assert!(flat.contains(key), "tune --help does not list {key}");
    }
}

#[test]
fn explain_lists_each_labels_top_ngrams() {
    let out = ok(&tasnif(&["explain", "--top", "3", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let labels = v.as_object().unwrap();
    assert_eq!(labels.len(), 5);
    for (label, feats) in labels {
        let feats = feats.as_array().unwrap();
        assert_eq!(feats.len(), 3, "{label}");
        let w: Vec<f64> = feats
            .iter()
            .map(|f| f["weight"].as_f64().unwrap())
            .collect();
        assert!(
            w.windows(2).all(|x| x[0] >= x[1]) && w[0] > 0.0,
            "{label}: {w:?}"
        );
        assert!(feats
            .iter()
            .all(|f| f["feature"].as_str().unwrap().starts_with(['w', 'c'])));
    }
}

#[test]
fn classify_explain_names_the_ngrams_behind_a_label() {
    let out = ok(&tasnif_stdin(
        &[
            "classify",
            "--format",
            "jsonl",
            "--explain",
            "--explain-top",
            "4",
        ],
        "أعدم التنظيم خمسة رجال رميا بالرصاص في ساحة المدينة.".as_bytes(),
    ));
    let recs = jsonl(&out);
    assert_eq!(recs[0]["label"], "execution");
    let why = recs[0]["explanation"].as_array().unwrap();
    assert!(!why.is_empty() && why.len() <= 4);
    assert!(
        why.iter()
            .any(|f| f["feature"].as_str().unwrap().contains("اعدم")),
        "{why:?}"
    );
}

#[test]
fn classify_explain_is_followed_by_a_file() {
    let article = "data/articles/mosul_defections.txt";
    let recs = jsonl(&ok(&tasnif(&[
        "classify",
        "--format",
        "jsonl",
        "--explain",
        article,
    ])));
    assert_eq!(recs[0]["doc"], article);
    let why = recs[0]["explanation"].as_array().unwrap();
    assert!(!why.is_empty() && why.len() <= 5);
}

/// The built-in model's HTML report on data/test.csv, written into `dir`.
fn html_report(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let page = dir.path().join("report.html");
    ok(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--format",
        "html",
        "--out",
        page.to_str().unwrap(),
    ]));
    page
}

#[test]
fn html_report_is_self_contained() {
    let dir = tempdir();
    let page = html_report(&dir);
    let html = std::fs::read_to_string(&page).unwrap();
    for needle in [
        "<svg id=\"confusion\"",
        "Most confident mistakes",
        "Top n-grams",
        "dir=\"rtl\"",
        "training data hash",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    for outside in ["<script", "http://", "https://", "@import", "<link"] {
        let allowed = outside == "http://"
            && html
                .matches(outside)
                .all(|_| html.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(
            !html.contains(outside) || allowed,
            "report loads something from outside: {outside}"
        );
    }
    let err = fails(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--format",
        "html",
    ]));
    assert!(err.contains("--out"), "{err}");
}
