//! The JSON report: the report's figures (the shape `cv` uses per fold), then the
//! intervals, calibration, groups, mistakes and what the report is about.

use serde_json::{json, Map, Value};
use tasnif::evaluate::Report;

use super::Evaluation;

/// The report's figures, as documented in README.
pub fn json_value(r: &Report) -> Value {
    let mut per_label = Map::new();
    for m in &r.per_label {
        per_label.insert(
            m.label.clone(),
            json!({"precision": m.precision, "recall": m.recall, "f1": m.f1, "support": m.support}),
        );
    }
    json!({
        "n": r.n,
        "accuracy": r.accuracy,
        "macro_f1": r.macro_f1,
        "macro_precision": r.macro_precision,
        "macro_recall": r.macro_recall,
        "weighted_precision": r.weighted_precision,
        "weighted_recall": r.weighted_recall,
        "weighted_f1": r.weighted_f1,
        "per_label": per_label,
        "confusion": {"labels": r.labels, "matrix": r.confusion},
    })
}

/// Everything `evaluate --format json` writes.
pub fn full(ev: &Evaluation) -> Value {
    let mut v = json_value(&ev.report);
    let o = v.as_object_mut().expect("an object");
    if let Some((ci, column)) = &ev.intervals {
        o.insert(
            "ci".into(),
            json!({
                "accuracy": ci.accuracy,
                "macro_f1": ci.macro_f1,
                "weighted_f1": ci.weighted_f1,
                "confidence": ci.confidence,
                "resamples": ci.resamples,
                "seed": ci.seed,
                "resampling": ci.resampling,
                "group_col": column,
            }),
        );
        let per_label = o["per_label"].as_object_mut().expect("an object");
        for (m, li) in ev.report.per_label.iter().zip(&ci.per_label) {
            per_label[&m.label]["ci"] = json!(li);
        }
    }
    o.insert("calibration".into(), json!(ev.calibration));
    if let Some((column, groups)) = &ev.groups {
        o.insert("groups".into(), json!({"column": column, "values": groups}));
    }
    let mistakes: Vec<Value> = ev
        .mistakes
        .iter()
        .map(|m| {
            json!({"text": m.text, "doc": m.doc, "gold": m.gold, "predicted": m.predicted,
                   "probability": m.probability, "ngrams": m.ngrams})
        })
        .collect();
    o.insert(
        "mistakes".into(),
        json!({"total": ev.mistakes_total, "most_confident": mistakes}),
    );
    o.insert(
        "about".into(),
        json!({"model": ev.model.json(), "data": ev.data, "when": ev.when}),
    );
    v
}
