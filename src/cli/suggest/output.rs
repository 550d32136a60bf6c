//! The formats `suggest` writes: a CSV to label, doccano JSONL, Prodigy JSONL. One
//! writer each; all get the picks most uncertain first.

use std::io::Write;

use anyhow::Result;
use serde_json::{json, Map, Value};
use tasnif::suggest::Suggestion;

use crate::cli::SuggestFormat;

/// Write `picks` (labels by index into `labels`) in `format`.
pub fn write(
    w: &mut dyn Write,
    format: SuggestFormat,
    labels: &[String],
    picks: &[Suggestion],
) -> Result<()> {
    match format {
        SuggestFormat::Csv => csv_rows(w, labels, picks),
        SuggestFormat::Doccano => jsonl(w, picks, |s| doccano(s, labels)),
        SuggestFormat::Prodigy => jsonl(w, picks, |s| prodigy(s, labels)),
    }
}

/// `doc,index,text,label,suggested,p_<label>...`, the `label` column left empty for
/// the annotator; `train` reads it once filled in.
fn csv_rows(w: &mut dyn Write, labels: &[String], picks: &[Suggestion]) -> Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header: Vec<String> = ["doc", "index", "text", "label", "suggested"]
        .map(String::from)
        .to_vec();
    header.extend(labels.iter().map(|l| format!("p_{l}")));
    out.write_record(&header)?;
    for s in picks {
        let mut row = vec![
            s.doc.clone(),
            s.index.to_string(),
            s.text.clone(),
            String::new(),
            labels[s.label].clone(),
        ];
        row.extend(s.probabilities.iter().map(|p| format!("{p:.4}")));
        out.write_record(&row)?;
    }
    out.flush()?;
    Ok(())
}

/// One JSON object a line.
fn jsonl(
    w: &mut dyn Write,
    picks: &[Suggestion],
    record: impl Fn(&Suggestion) -> Value,
) -> Result<()> {
    for s in picks {
        serde_json::to_writer(&mut *w, &record(s))?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// The probability of each label, as `p_<label>`, rounded to 4 places.
fn probabilities(s: &Suggestion, labels: &[String]) -> Map<String, Value> {
    labels
        .iter()
        .zip(&s.probabilities)
        .map(|(l, &p)| (format!("p_{l}"), json!((f64::from(p) * 1e4).round() / 1e4)))
        .collect()
}

/// doccano's text-classification import: `{"text", "label": [..]}` (the `label` key
/// holds the list of labels, doccano/doccano#17); the other fields are kept as the
/// example's metadata.
fn doccano(s: &Suggestion, labels: &[String]) -> Value {
    let mut m = Map::new();
    m.insert("text".into(), json!(s.text));
    m.insert("label".into(), json!([labels[s.label]]));
    m.insert("doc".into(), json!(s.doc));
    m.insert("index".into(), json!(s.index));
    m.insert("uncertainty".into(), json!(s.uncertainty));
    m.extend(probabilities(s, labels));
    Value::Object(m)
}

/// A Prodigy task: `label` for a binary textcat recipe, and `options` with the
/// suggestion pre-selected in `accept` (the ids of the chosen options, as the
/// `choice` interface saves them) for the choice interface; `meta` is shown with the
/// task.
fn prodigy(s: &Suggestion, labels: &[String]) -> Value {
    let mut meta = Map::new();
    meta.insert("doc".into(), json!(s.doc));
    meta.insert("index".into(), json!(s.index));
    meta.insert("uncertainty".into(), json!(s.uncertainty));
    meta.extend(probabilities(s, labels));
    let options: Vec<Value> = labels.iter().map(|l| json!({"id": l, "text": l})).collect();
    json!({
        "text": s.text,
        "label": labels[s.label],
        "options": options,
        "accept": [labels[s.label]],
        "meta": meta,
    })
}
