//! The comparison report in text, JSON, Markdown and HTML.

use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use super::CompareReport;
use crate::cli::report_html::esc;

fn bootstrap_line(r: &CompareReport) -> String {
    let c = &r.comparison;
    let what = match c.resampling {
        tasnif::evaluate::Resampling::Groups(n) => format!(
            "the {n} articles (column {})",
            r.group_col.as_deref().unwrap_or("doc")
        ),
        tasnif::evaluate::Resampling::Sentences(n) => {
            format!("the {n} sentences (no article column)")
        }
    };
    format!(
        "paired {:.0}% percentile bootstrap, the same {} resamples of {what} for both models, seed {}; p: two-sided, from the share of resampled differences on either side of 0",
        c.confidence * 100.0,
        c.resamples,
        c.seed
    )
}

fn mcnemar_line(r: &CompareReport) -> String {
    let m = &r.comparison.mcnemar;
    format!(
        "McNemar's test on accuracy ({}): A right and B wrong on {} sentences, B right and A wrong on {}: p = {:.4}",
        m.method, m.a_only, m.b_only, m.p_value
    )
}

pub fn text(r: &CompareReport) -> String {
    let mut s = String::from("tasnif compare\n");
    s += "A:\n";
    s += &r.a.text("  ");
    s += "B:\n";
    s += &r.b.text("  ");
    let _ = writeln!(s, "data:  {}, {} sentences", r.data, r.comparison.n);
    let _ = writeln!(s, "when:  {}\n", r.when);
    let _ = writeln!(
        s,
        "{:<16} {:>7} {:>7} {:>8}  {:<20} {:>7}",
        "metric", "A", "B", "B - A", "95% interval", "p"
    );
    for d in &r.comparison.differences {
        let _ = writeln!(
            s,
            "{:<16} {:>7.4} {:>7.4} {:>+8.4}  [{:+.4}, {:+.4}] {:>7.4}",
            d.metric, d.a, d.b, d.value, d.ci.lo, d.ci.hi, d.p_value
        );
    }
    let _ = writeln!(s, "\n{}", bootstrap_line(r));
    let _ = writeln!(s, "{}", mcnemar_line(r));
    let _ = writeln!(
        s,
        "\nthe models disagree on {} sentences; {} of them:",
        r.comparison.disagreements,
        r.sample.len()
    );
    for d in &r.sample {
        let _ = writeln!(
            s,
            "  doc {}: true {}, A {}, B {}\n    {}",
            d.doc.as_deref().unwrap_or("-"),
            d.gold,
            d.a,
            d.b,
            d.text
        );
    }
    s
}

pub fn json(r: &CompareReport) -> Value {
    let c = &r.comparison;
    let mut difference = Map::new();
    let (mut a, mut b) = (Map::new(), Map::new());
    for d in &c.differences {
        difference.insert(
            d.metric.into(),
            json!({"value": d.value, "ci": d.ci, "p_value": d.p_value}),
        );
        a.insert(d.metric.into(), json!(d.a));
        b.insert(d.metric.into(), json!(d.b));
    }
    let sample: Vec<Value> = r
        .sample
        .iter()
        .map(|d| json!({"doc": d.doc, "text": d.text, "gold": d.gold, "a": d.a, "b": d.b}))
        .collect();
    json!({
        "n": c.n,
        "a": a,
        "b": b,
        "difference": difference,
        "mcnemar": c.mcnemar,
        "bootstrap": {"resamples": c.resamples, "seed": c.seed, "confidence": c.confidence,
                      "resampling": c.resampling, "group_col": r.group_col},
        "disagreements": {"total": c.disagreements, "sample": sample},
        "about": {"a": r.a.json(), "b": r.b.json(), "data": r.data, "when": r.when},
    })
}

pub fn markdown(r: &CompareReport) -> String {
    let c = &r.comparison;
    let mut s = format!(
        "A: `{}` (`{}`); B: `{}` (`{}`); data `{}`, {} sentences; {}.\n\n",
        r.a.name, r.a.hash, r.b.name, r.b.hash, r.data, c.n, r.when
    );
    s += "| metric | A | B | B − A | 95% interval | p |\n|---|---:|---:|---:|---:|---:|\n";
    for d in &c.differences {
        let _ = writeln!(
            s,
            "| {} | {:.4} | {:.4} | {:+.4} | [{:+.4}, {:+.4}] | {:.4} |",
            d.metric, d.a, d.b, d.value, d.ci.lo, d.ci.hi, d.p_value
        );
    }
    let _ = writeln!(s, "\n{}.\n\n{}.\n", bootstrap_line(r), mcnemar_line(r));
    let _ = writeln!(
        s,
        "They disagree on {} sentences; {} of them:\n\n| doc | sentence | true | A | B |\n|---|---|---|---|---|",
        c.disagreements,
        r.sample.len()
    );
    for d in &r.sample {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            d.doc.as_deref().unwrap_or(""),
            d.text.replace('|', "\\|"),
            d.gold,
            d.a,
            d.b
        );
    }
    s
}

pub fn html(r: &CompareReport) -> String {
    let c = &r.comparison;
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tasnif compare: {}</title><style>{}</style></head><body>\n<h1>tasnif compare</h1>\n<table>",
        esc(&r.data),
        crate::cli::report_html::STYLE
    );
    for (k, m) in [("A", &r.a), ("B", &r.b)] {
        let _ = writeln!(
            h,
            "<tr><th>{k}</th><td style=\"text-align:left\"><code>{}</code> <code>{}</code><br>{}<br>{}</td></tr>",
            esc(&m.name), esc(&m.hash), esc(&m.per_label_line()), esc(&m.solver_line())
        );
    }
    let _ = writeln!(
        h,
        "<tr><th>data</th><td style=\"text-align:left\"><code>{}</code>, {} sentences</td></tr><tr><th>when</th><td style=\"text-align:left\">{}</td></tr></table>",
        esc(&r.data), c.n, esc(&r.when)
    );
    h += "<h2>Figures</h2><table><tr><th>metric</th><th>A</th><th>B</th><th>B − A</th><th>95% interval</th><th>p</th></tr>\n";
    for d in &c.differences {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{:.4}</td><td>{:.4}</td><td>{:+.4}</td><td>[{:+.4}, {:+.4}]</td><td>{:.4}</td></tr>",
            d.metric, d.a, d.b, d.value, d.ci.lo, d.ci.hi, d.p_value
        );
    }
    let _ = writeln!(
        h,
        "</table><p class=\"small\">{}.</p><p>{}.</p>",
        esc(&bootstrap_line(r)),
        esc(&mcnemar_line(r))
    );
    let _ = writeln!(h, "<h2>Where they disagree</h2><p class=\"small\">{} sentences; {} of them, spread over the file.</p><table><tr><th>doc</th><th>sentence</th><th>true</th><th>A</th><th>B</th></tr>", c.disagreements, r.sample.len());
    for d in &r.sample {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"ar\" dir=\"rtl\" lang=\"ar\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(d.doc.as_deref().unwrap_or("")), esc(&d.text), esc(&d.gold), esc(&d.a), esc(&d.b)
        );
    }
    h += "</table></body></html>\n";
    h
}
