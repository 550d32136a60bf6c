//! `tasnif evaluate`: the report in text, JSON or Markdown.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use serde_json::{json, Map, Value};
use tasnif::evaluate::Report;

use super::files::{load_model, read_corpus, write_atomic};
use super::{EvaluateArgs, ExplainFormat, ReportFormat};

pub fn run(a: EvaluateArgs) -> Result<()> {
    let model = load_model(a.model.as_deref())?;
    let corpus = read_corpus(&a.data, false)?;
    let (report, probs) = model
        .evaluate(&corpus.sentences)
        .map_err(super::hints::hinted)
        .with_context(|| format!("{}", a.data.data.display()))?;
    let source = a.data.data.display().to_string();
    let text = match a.format {
        ReportFormat::Text => text(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&json_value(&report))? + "\n",
        ReportFormat::Markdown => markdown(&report),
        ReportFormat::Html => {
            super::report_html::render(&model, &corpus.sentences, &probs, &report, &source)
        }
    };
    match &a.out {
        Some(path) => write_atomic(path, text.as_bytes())?,
        None if a.format == ReportFormat::Html => {
            anyhow::bail!("--format html writes a page: give it a file with --out report.html")
        }
        None => super::write_stdout(text.as_bytes())?,
    }
    Ok(())
}

/// `tasnif explain`: the top n-grams of each label.
pub fn run_explain(a: super::ExplainArgs) -> Result<()> {
    let model = load_model(a.model.as_deref())?;
    let mut out = String::new();
    if a.format == ExplainFormat::Json {
        let mut m = Map::new();
        for (k, l) in model.labels().iter().enumerate() {
            m.insert(
                l.clone(),
                serde_json::to_value(model.top_features(k, a.top))?,
            );
        }
        out = serde_json::to_string_pretty(&Value::Object(m))? + "\n";
    } else {
        for (k, l) in model.labels().iter().enumerate() {
            let _ = writeln!(out, "{l}");
            for f in model.top_features(k, a.top) {
                let _ = writeln!(out, "  {:>8.3}  {}", f.weight, f.feature);
            }
        }
    }
    super::write_stdout(out.as_bytes())?;
    Ok(())
}

/// The JSON shape documented in README.
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
        "weighted_f1": r.weighted_f1,
        "per_label": per_label,
        "confusion": {"labels": r.labels, "matrix": r.confusion},
    })
}

fn text(r: &Report) -> String {
    let mut s = String::new();
    let w = r.labels.iter().map(|l| l.len()).max().unwrap_or(5).max(12);
    let _ = writeln!(s, "sentences: {}", r.n);
    let _ = writeln!(s, "accuracy:  {:.4}", r.accuracy);
    let _ = writeln!(s, "macro F1:  {:.4}", r.macro_f1);
    let _ = writeln!(s, "weighted F1: {:.4}\n", r.weighted_f1);
    let _ = writeln!(
        s,
        "{:<w$} {:>9} {:>9} {:>9} {:>8}",
        "label", "precision", "recall", "f1", "support"
    );
    for m in &r.per_label {
        let _ = writeln!(
            s,
            "{:<w$} {:>9.4} {:>9.4} {:>9.4} {:>8}",
            m.label, m.precision, m.recall, m.f1, m.support
        );
    }
    let _ = writeln!(
        s,
        "{:<w$} {:>9.4} {:>9.4} {:>9.4} {:>8}",
        "macro avg", r.macro_precision, r.macro_recall, r.macro_f1, r.n
    );
    let _ = writeln!(
        s,
        "\nconfusion matrix (rows: true label, columns: predicted)"
    );
    let cw = r.labels.iter().map(|l| l.len()).max().unwrap_or(5).max(6);
    let _ = write!(s, "{:<w$}", "");
    for l in &r.labels {
        let _ = write!(s, " {l:>cw$}");
    }
    let _ = writeln!(s);
    for (l, row) in r.labels.iter().zip(&r.confusion) {
        let _ = write!(s, "{l:<w$}");
        for c in row {
            let _ = write!(s, " {c:>cw$}");
        }
        let _ = writeln!(s);
    }
    s
}

/// Markdown tables: headline figures, per-label figures and the confusion matrix.
pub fn markdown(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| sentences | accuracy | macro F1 | weighted F1 |\n|---:|---:|---:|---:|"
    );
    let _ = writeln!(
        s,
        "| {} | {:.4} | {:.4} | {:.4} |\n",
        r.n, r.accuracy, r.macro_f1, r.weighted_f1
    );
    let _ = writeln!(
        s,
        "| label | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|"
    );
    for m in &r.per_label {
        let _ = writeln!(
            s,
            "| {} | {:.4} | {:.4} | {:.4} | {} |",
            m.label, m.precision, m.recall, m.f1, m.support
        );
    }
    let _ = writeln!(
        s,
        "\nConfusion matrix (rows: true label, columns: predicted)\n"
    );
    let _ = write!(s, "| true \\ predicted |");
    for l in &r.labels {
        let _ = write!(s, " {l} |");
    }
    let _ = write!(s, "\n|---|");
    for _ in &r.labels {
        let _ = write!(s, "---:|");
    }
    let _ = writeln!(s);
    for (l, row) in r.labels.iter().zip(&r.confusion) {
        let _ = write!(s, "| {l} |");
        for c in row {
            let _ = write!(s, " {c} |");
        }
        let _ = writeln!(s);
    }
    s
}
