//! The analyst's loop end to end: bootstrap intervals, calibration and breakdowns in
//! `evaluate`, the reports' facts, and `compare`.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

/// tasnif with `args` and a fixed clock (`SOURCE_DATE_EPOCH`), standard output.
fn at_fixed_time(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tasnif"))
        .args(args)
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", "1796246705")
        .output()
        .expect("run tasnif");
    ok(&out)
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(&tasnif(args))).expect("JSON")
}

fn inside(ci: &Value, v: &Value) -> bool {
    let (lo, hi, v) = (
        ci[0].as_f64().unwrap(),
        ci[1].as_f64().unwrap(),
        v.as_f64().unwrap(),
    );
    lo <= v && v <= hi && lo < hi
}

#[test]
fn evaluate_intervals_contain_the_figures_and_resample_articles() {
    let r = json(&["evaluate", "--data", "data/test.csv", "--format", "json"]);
    for m in ["accuracy", "macro_f1", "weighted_f1"] {
        assert!(
            inside(&r["ci"][m], &r[m]),
            "{m}: {} not in {}",
            r[m],
            r["ci"][m]
        );
    }
    for (label, m) in r["per_label"].as_object().unwrap() {
        for f in ["precision", "recall", "f1"] {
            assert!(inside(&m["ci"][f], &m[f]), "{label} {f}: {m}");
        }
    }
    assert_eq!(r["ci"]["resamples"], 1000);
    assert_eq!(r["ci"]["resampling"]["unit"], "groups");
    assert_eq!(r["ci"]["group_col"], "doc");
    let docs: std::collections::BTreeSet<String> =
        csv::Reader::from_path(root().join("data/test.csv"))
            .unwrap()
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
    assert_eq!(r["ci"]["resampling"]["count"], docs.len());
    let text = ok(&tasnif(&["evaluate", "--data", "data/test.csv"]));
    let line = text.lines().find(|l| l.starts_with("macro F1")).unwrap();
    let want = format!(
        "macro F1     {:.3} [{:.3}, {:.3}]",
        r["macro_f1"].as_f64().unwrap(),
        r["ci"]["macro_f1"][0].as_f64().unwrap(),
        r["ci"]["macro_f1"][1].as_f64().unwrap()
    );
    assert_eq!(line, want);
    assert!(
        text.contains(&format!(
            "resamples of the {} articles (column doc)",
            docs.len()
        )),
        "{text}"
    );
    let off = json(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--format",
        "json",
        "--bootstrap",
        "0",
    ]);
    assert!(off.get("ci").is_none() && off["per_label"]["other"].get("ci").is_none());
    assert_eq!(off["macro_f1"], r["macro_f1"]);
}

#[test]
fn intervals_shrink_with_more_data_and_sentences_are_resampled_without_doc() {
    let dir = tempdir();
    let all = std::fs::read_to_string(root().join("data/test.csv")).unwrap();
    let lines: Vec<&str> = all.lines().collect();
    // The first fifth of the file, without its doc column.
    let mut rdr = csv::Reader::from_reader(all.as_bytes());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["text", "label"]).unwrap();
    for rec in rdr.records().take(lines.len() / 5) {
        let rec = rec.unwrap();
        w.write_record([&rec[1], &rec[2]]).unwrap();
    }
    let small = dir.path().join("small.csv");
    std::fs::write(&small, w.into_inner().unwrap()).unwrap();
    let width = |r: &Value| {
        r["ci"]["macro_f1"][1].as_f64().unwrap() - r["ci"]["macro_f1"][0].as_f64().unwrap()
    };
    let s = json(&[
        "evaluate",
        "--data",
        small.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(s["ci"]["resampling"]["unit"], "sentences");
    assert!(s["ci"]["group_col"].is_null());
    let big = json(&["evaluate", "--data", "data/test.csv", "--format", "json"]);
    assert!(width(&big) < width(&s), "{} vs {}", width(&big), width(&s));
    let text = ok(&tasnif(&["evaluate", "--data", small.to_str().unwrap()]));
    assert!(text.contains("sentences (no article column)"), "{text}");
}

#[test]
fn same_seed_same_report_other_seed_other_intervals() {
    let args = ["evaluate", "--data", "data/test.csv", "--seed", "7"];
    let a = at_fixed_time(&args);
    assert_eq!(a, at_fixed_time(&args));
    assert!(a.contains("when:     2026-12-02T21:25:05Z"), "{a}");
    let other = at_fixed_time(&["evaluate", "--data", "data/test.csv", "--seed", "8"]);
    assert_ne!(a, other);
    let html = |seed: &str, dir: &tempfile::TempDir| {
        let p = dir.path().join(format!("r{seed}.html"));
        at_fixed_time(&[
            "evaluate",
            "--data",
            "data/test.csv",
            "--format",
            "html",
            "--seed",
            "7",
            "--out",
            p.to_str().unwrap(),
        ]);
        std::fs::read(p).unwrap()
    };
    let dir = tempdir();
    assert_eq!(html("a", &dir), html("b", &dir));
}

#[test]
fn calibration_figures_are_consistent() {
    let r = json(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--format",
        "json",
        "--bootstrap",
        "0",
    ]);
    let c = &r["calibration"];
    let bins = c["bins"].as_array().unwrap();
    assert_eq!(bins.len(), 15);
    let n: u64 = bins.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(n, r["n"].as_u64().unwrap());
    let correct: f64 = bins
        .iter()
        .filter(|b| b["count"].as_u64().unwrap() > 0)
        .map(|b| b["accuracy"].as_f64().unwrap() * b["count"].as_f64().unwrap())
        .sum();
    assert!((correct / n as f64 - r["accuracy"].as_f64().unwrap()).abs() < 1e-9);
    let ece: f64 = bins
        .iter()
        .filter(|b| b["count"].as_u64().unwrap() > 0)
        .map(|b| {
            b["count"].as_f64().unwrap()
                * (b["accuracy"].as_f64().unwrap() - b["confidence"].as_f64().unwrap()).abs()
        })
        .sum::<f64>()
        / n as f64;
    assert!((ece - c["ece"].as_f64().unwrap()).abs() < 1e-9);
    let brier = c["brier"].as_f64().unwrap();
    assert!(brier > 0.0 && brier < 2.0, "{brier}");
}

#[test]
fn by_column_gives_figures_per_value_largest_first() {
    let r = json(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--format",
        "json",
        "--by",
        "doc",
        "--bootstrap",
        "0",
    ]);
    assert_eq!(r["groups"]["column"], "doc");
    let g = r["groups"]["values"].as_array().unwrap();
    let sizes: Vec<u64> = g.iter().map(|v| v["sentences"].as_u64().unwrap()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    assert_eq!(sizes.iter().sum::<u64>(), r["n"].as_u64().unwrap());
    let right: f64 = g
        .iter()
        .map(|v| v["accuracy"].as_f64().unwrap() * v["sentences"].as_f64().unwrap())
        .sum();
    assert!((right / r["n"].as_f64().unwrap() - r["accuracy"].as_f64().unwrap()).abs() < 1e-9);
    let text = ok(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--by",
        "doc",
        "--bootstrap",
        "0",
    ]));
    assert!(
        text.contains(&format!("by doc ({} values, largest first)", g.len())),
        "{text}"
    );
    let err = fails(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--by",
        "source",
    ]));
    assert!(err.contains("no column 'source'"), "{err}");
}

#[test]
fn reports_say_what_was_evaluated_and_explain_mistakes() {
    let text = ok(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--bootstrap",
        "50",
    ]));
    let hash = tasnif::model_file::model_hash(tasnif::builtin::MODEL_BYTES);
    for needle in [
        format!("model:    built-in ({hash})"),
        "data:     data/test.csv".to_string(),
        "weighted avg".to_string(),
        "solver iterations".to_string(),
        "what the figures mean".to_string(),
        "pushed by w:".to_string(),
    ] {
        assert!(text.contains(&needle), "text lacks {needle}:\n{text}");
    }
    let total = text.lines().find(|l| l.starts_with("total")).unwrap();
    let n = ok(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--format",
        "json",
        "--bootstrap",
        "0",
    ]));
    let n: Value = serde_json::from_str(&n).unwrap();
    assert!(total.ends_with(&format!(" {}", n["n"])), "{total}");
    let dir = tempdir();
    let page = dir.path().join("r.html");
    ok(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--by",
        "doc",
        "--format",
        "html",
        "--bootstrap",
        "50",
        "--out",
        page.to_str().unwrap(),
    ]));
    let html = std::fs::read_to_string(page).unwrap();
    for needle in [
        "<svg id=\"reliability\"",
        "<th>weighted avg</th>",
        "<h2>By doc</h2>",
        &hash,
        ">total</text>",
        "pushed by",
        "Intervals: 95% percentile bootstrap, 50 resamples",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    let md = ok(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--format",
        "markdown",
        "--bootstrap",
        "50",
    ]));
    assert!(
        md.contains("| weighted avg |") && md.contains(" total |") && md.contains("Intervals:"),
        "{md}"
    );
}

#[test]
fn compare_a_model_with_itself_finds_no_difference() {
    let r = json(&[
        "compare",
        "--data",
        "data/test.csv",
        "builtin",
        "builtin",
        "--format",
        "json",
        "--bootstrap",
        "200",
    ]);
    for (metric, d) in r["difference"].as_object().unwrap() {
        assert_eq!(d["value"], 0.0, "{metric}");
        assert_eq!(d["ci"], serde_json::json!([0.0, 0.0]), "{metric}");
        assert_eq!(d["p_value"], 1.0, "{metric}");
    }
    assert_eq!(r["mcnemar"]["p_value"], 1.0);
    assert_eq!(r["mcnemar"]["method"], "exact binomial");
    assert_eq!(r["disagreements"]["total"], 0);
    assert_eq!(r["bootstrap"]["resampling"]["unit"], "groups");
    assert_eq!(r["a"]["macro_f1"], r["b"]["macro_f1"]);
}

#[test]
fn compare_two_models_in_every_format() {
    let dir = tempdir();
    let m = trained_model().to_str().unwrap().to_string();
    let args = |format: &'static str| {
        vec![
            "compare",
            "--data",
            "data/test.csv",
            "builtin",
            m.as_str(),
            "--format",
            format,
            "--bootstrap",
            "200",
        ]
    };
    let r = json(&args("json"));
    let d = &r["difference"]["macro_f1"];
    let (a, b) = (
        r["a"]["macro_f1"].as_f64().unwrap(),
        r["b"]["macro_f1"].as_f64().unwrap(),
    );
    assert!((d["value"].as_f64().unwrap() - (b - a)).abs() < 1e-12);
    assert!(inside(&d["ci"], &d["value"]) || d["value"] == 0.0, "{d}");
    let p = d["p_value"].as_f64().unwrap();
    assert!(p > 0.0 && p <= 1.0);
    let disagree = r["disagreements"]["total"].as_u64().unwrap();
    let sample = r["disagreements"]["sample"].as_array().unwrap();
    assert_eq!(sample.len() as u64, disagree.min(10));
    assert!(sample.iter().all(|s| s["a"] != s["b"]));
    let text = ok(&tasnif(&args("text")));
    assert!(
        text.contains("McNemar's test on accuracy (exact binomial)") && text.contains("B - A"),
        "{text}"
    );
    assert!(ok(&tasnif(&args("markdown"))).contains("| metric | A | B | B − A |"));
    let page = dir.path().join("c.html");
    let mut html_args = args("html");
    html_args.extend(["--out", page.to_str().unwrap()]);
    ok(&tasnif(&html_args));
    assert!(std::fs::read_to_string(&page)
        .unwrap()
        .contains("Where they disagree"));
    let err = fails(&tasnif(&[
        "compare",
        "--data",
        "data/test.csv",
        "builtin",
        "builtin",
        "--format",
        "html",
    ]));
    assert!(err.contains("--out"), "{err}");
}

#[test]
fn train_warns_when_the_solver_stops_at_max_iter() {
    let dir = tempdir();
    let out = dir.path().join("m.tasnif");
    let run = tasnif(&[
        "train",
        "--data",
        "data/test.csv",
        "--out",
        out.to_str().unwrap(),
        "--max-iter",
        "3",
    ]);
    let stdout = ok(&run);
    assert!(
        stdout.contains("solver: 3 solver iterations, stopped at max_iter 3"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("warning: the solver stopped at --max-iter 3 without converging"),
        "{stderr}"
    );
}

#[test]
fn built_in_model_on_real_news_with_intervals() {
    let Some(dev) = shared("eval/dev.csv") else {
        return;
    };
    let r = json(&[
        "evaluate",
        "--data",
        dev.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(inside(&r["ci"]["macro_f1"], &r["macro_f1"]));
    eprintln!(
        "built-in model on dev.csv: macro F1 {:.3} {}, ECE {:.3}, Brier {:.3}",
        r["macro_f1"].as_f64().unwrap(),
        r["ci"]["macro_f1"],
        r["calibration"]["ece"].as_f64().unwrap(),
        r["calibration"]["brier"].as_f64().unwrap()
    );
}
