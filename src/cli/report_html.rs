//! The evaluation report as one self-contained HTML page: no scripts, fonts or network;
//! charts are inline SVG; Arabic text is right-to-left.

use std::fmt::Write as _;

use tasnif::evaluate::{Calibration, Interval, Report};
use tasnif::pipeline::Pipeline;

use super::evaluate::{resampling_line, Evaluation, METRIC_NOTES};

pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

pub const STYLE: &str = "body{font-family:'DejaVu Sans','Noto Sans Arabic','Noto Naskh Arabic',Tahoma,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.45}\
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:right}\
th{background:#f3f3f3}.ar{direction:rtl;text-align:right;unicode-bidi:isolate;font-size:1.1em;max-width:640px}\
.figs{display:flex;gap:2em;flex-wrap:wrap}.fig{background:#f7f7f7;padding:.8em 1.2em;border-radius:6px}\
.fig b{display:block;font-size:1.6em}.small{color:#666;font-size:.9em}code{background:#f3f3f3;padding:0 .2em}";

/// Render the page for an evaluation of `model`.
pub fn render(ev: &Evaluation, model: &Pipeline) -> String {
    let r = &ev.report;
    let ci = ev.intervals.as_ref().map(|(ci, _)| ci);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tasnif evaluation: {}</title><style>{STYLE}</style></head><body>\n",
        esc(&ev.data)
    );
    let _ = writeln!(h, "<h1>tasnif evaluation</h1>");
    about(&mut h, ev);
    let _ = writeln!(h, "<div class=\"figs\">");
    for (name, v, c) in [
        ("accuracy", r.accuracy, ci.map(|c| c.accuracy)),
        ("macro F1", r.macro_f1, ci.map(|c| c.macro_f1)),
        ("weighted F1", r.weighted_f1, ci.map(|c| c.weighted_f1)),
        ("ECE", ev.calibration.ece, None),
        ("Brier", ev.calibration.brier, None),
    ] {
        let interval = c.map_or(String::new(), |c| {
            format!("<span class=\"small\">[{:.3}, {:.3}]</span>", c.lo, c.hi)
        });
        let _ = writeln!(h, "<div class=\"fig\">{name}<b>{v:.3}</b>{interval}</div>");
    }
    let _ = writeln!(h, "</div>");
    if let Some((ci, col)) = &ev.intervals {
        let _ = writeln!(
            h,
            "<p class=\"small\">Intervals: {}.</p>",
            esc(&resampling_line(ci, col.as_deref()))
        );
    }
    per_label(&mut h, ev);
    confusion(&mut h, r);
    reliability(&mut h, &ev.calibration);
    groups(&mut h, ev);
    mistakes(&mut h, ev);
    top_ngrams(&mut h, model);
    metadata(&mut h, model);
    notes(&mut h);
    h.push_str("</body></html>\n");
    h
}

fn about(h: &mut String, ev: &Evaluation) {
    let m = &ev.model;
    let _ = writeln!(h, "<table class=\"about\">");
    for (k, v) in [
        ("model", format!("<code>{}</code>", esc(&m.name))),
        ("model hash", format!("<code>{}</code>", esc(&m.hash))),
        ("trained on", esc(&m.per_label_line())),
        ("solver", esc(&m.solver_line())),
        (
            "data",
            format!("<code>{}</code>, {} sentences", esc(&ev.data), ev.report.n),
        ),
        ("when", esc(&ev.when)),
    ] {
        let _ = writeln!(
            h,
            "<tr><th>{k}</th><td style=\"text-align:left\">{v}</td></tr>"
        );
    }
    let _ = writeln!(h, "</table>");
}

fn ci_cell(v: f64, c: Option<Interval>) -> String {
    match c {
        Some(c) => format!(
            "{v:.3} <span class=\"small\">[{:.3}, {:.3}]</span>",
            c.lo, c.hi
        ),
        None => format!("{v:.3}"),
    }
}

fn per_label(h: &mut String, ev: &Evaluation) {
    let r = &ev.report;
    let ci = ev.intervals.as_ref().map(|(ci, _)| ci);
    let _ = writeln!(h, "<h2>Per label</h2><table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>F1</th></tr>");
    for (i, m) in r.per_label.iter().enumerate() {
        let li = ci.map(|c| &c.per_label[i]);
        let w = (m.f1 * 200.0).round();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td style=\"text-align:left\"><svg width=\"210\" height=\"14\" role=\"img\" aria-label=\"F1 {:.3}\"><rect width=\"200\" height=\"14\" fill=\"#eee\"/><rect width=\"{w}\" height=\"14\" fill=\"#3b7dd8\"/></svg></td></tr>",
            esc(&m.label), ci_cell(m.precision, li.map(|l| l.precision)), ci_cell(m.recall, li.map(|l| l.recall)),
            ci_cell(m.f1, li.map(|l| l.f1)), m.support, m.f1
        );
    }
    let _ = writeln!(
        h,
        "<tr><th>accuracy</th><td></td><td></td><td>{}</td><td>{}</td><td></td></tr>",
        ci_cell(r.accuracy, ci.map(|c| c.accuracy)),
        r.n
    );
    let _ =
        writeln!(
        h,
        "<tr><th>macro avg</th><td>{:.3}</td><td>{:.3}</td><td>{}</td><td>{}</td><td></td></tr>",
        r.macro_precision, r.macro_recall, ci_cell(r.macro_f1, ci.map(|c| c.macro_f1)), r.n
    );
    let _ = writeln!(
        h,
        "<tr><th>weighted avg</th><td>{:.3}</td><td>{:.3}</td><td>{}</td><td>{}</td><td></td></tr></table>",
        r.weighted_precision, r.weighted_recall, ci_cell(r.weighted_f1, ci.map(|c| c.weighted_f1)), r.n
    );
}

fn confusion(h: &mut String, r: &Report) {
    let k = r.labels.len();
    let cell = 92.0;
    let left = 150.0;
    let top = 40.0;
    let (w, hh) = (
        left + cell * (k + 1) as f64 + 10.0,
        top + cell * k as f64 + 40.0,
    );
    let _ = writeln!(h, "<h2>Confusion matrix</h2><p class=\"small\">Rows: true label; columns: predicted. Each cell: count and share of its row; totals at the right and at the bottom.</p>");
    let _ = writeln!(h, "<svg id=\"confusion\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{hh}\" font-size=\"12\">");
    for (j, l) in r.labels.iter().enumerate() {
        let x = left + cell * j as f64 + cell / 2.0;
        let _ = writeln!(
            h,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            top - 10.0,
            esc(l)
        );
    }
    for (i, row) in r.confusion.iter().enumerate() {
        let total: usize = row.iter().sum();
        let y = top + cell * i as f64;
        let _ = writeln!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + cell / 2.0 + 4.0,
            esc(&r.labels[i])
        );
        for (j, &c) in row.iter().enumerate() {
            let share = if total > 0 {
                c as f64 / total as f64
            } else {
                0.0
            };
            let x = left + cell * j as f64;
            // White to blue by row share.
            let shade = |full: f64| (255.0 - (255.0 - full) * share).round() as u8;
            let (rr, gg, bb) = (shade(30.0), shade(90.0), shade(200.0));
            let ink = if share > 0.5 { "#fff" } else { "#222" };
            let _ = writeln!(
                h,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"rgb({rr},{gg},{bb})\" stroke=\"#fff\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{ink}\" font-size=\"15\">{c}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{ink}\">{:.0}%</text>",
                x + cell / 2.0, y + cell / 2.0, x + cell / 2.0, y + cell / 2.0 + 18.0, share * 100.0
            );
        }
    }
    totals(h, r, (left, top, cell));
    let _ = writeln!(h, "</svg>");
}

/// Row totals in a column after the matrix, column totals in a row below it.
fn totals(h: &mut String, r: &Report, (left, top, cell): (f64, f64, f64)) {
    let k = r.labels.len();
    let tx = left + cell * k as f64 + cell / 2.0;
    let _ = writeln!(
        h,
        "<text x=\"{tx}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">total</text>",
        top - 10.0
    );
    for (i, row) in r.confusion.iter().enumerate() {
        let y = top + cell * i as f64 + cell / 2.0 + 4.0;
        let _ = writeln!(
            h,
            "<text x=\"{tx}\" y=\"{y}\" text-anchor=\"middle\">{}</text>",
            row.iter().sum::<usize>()
        );
    }
    let ty = top + cell * k as f64 + 22.0;
    let _ = writeln!(
        h,
        "<text x=\"{}\" y=\"{ty}\" text-anchor=\"end\" font-weight=\"bold\">total</text>",
        left - 8.0
    );
    for j in 0..k {
        let x = left + cell * j as f64 + cell / 2.0;
        let col: usize = r.confusion.iter().map(|row| row[j]).sum();
        let _ = writeln!(
            h,
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"middle\">{col}</text>"
        );
    }
    let _ = writeln!(
        h,
        "<text x=\"{tx}\" y=\"{ty}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>",
        r.n
    );
}

fn mistakes(h: &mut String, ev: &Evaluation) {
    let _ = writeln!(h, "<h2>Most confident mistakes</h2><p class=\"small\">{} mistakes in all; the {} the model was surest of, each with the n-grams that pushed most towards the wrong label.</p>", ev.mistakes_total, ev.mistakes.len());
    let _ = writeln!(
        h,
        "<table><tr><th>doc</th><th>sentence</th><th>true</th><th>predicted</th><th>probability</th><th>pushed by</th></tr>"
    );
    for m in &ev.mistakes {
        let ngrams: Vec<String> = m
            .ngrams
            .iter()
            .map(|f| format!("{} {:.2}", esc(&f.feature.replace(' ', "␣")), f.weight))
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"ar\" dir=\"rtl\" lang=\"ar\">{}</td><td>{}</td><td>{}</td><td>{:.3}</td><td class=\"ar\" dir=\"rtl\" lang=\"ar\">{}</td></tr>",
            esc(m.doc.as_deref().unwrap_or("")), esc(&m.text), esc(&m.gold), esc(&m.predicted), m.probability, ngrams.join("<br>")
        );
    }
    let _ = writeln!(h, "</table>");
}

fn groups(h: &mut String, ev: &Evaluation) {
    let Some((column, groups)) = &ev.groups else {
        return;
    };
    let _ = writeln!(h, "<h2>By {}</h2><p class=\"small\">{} values, largest first.</p><table><tr><th>{}</th><th>sentences</th><th>accuracy</th><th>macro F1</th></tr>", esc(column), groups.len(), esc(column));
    for g in groups {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td></tr>",
            esc(&g.key),
            g.sentences,
            g.accuracy,
            g.macro_f1
        );
    }
    let _ = writeln!(h, "</table>");
}

/// The reliability diagram: accuracy against mean top probability per bin, bars
/// as wide as the bin, the diagonal for a calibrated model, counts above the bars.
fn reliability(h: &mut String, c: &Calibration) {
    let (size, pad) = (300.0, 40.0);
    let _ = writeln!(h, "<h2>Calibration</h2><p class=\"small\">ECE {:.3}, Brier {:.3}. Each bar is a bin of the top probability: its height is the share of its sentences labeled correctly, the red dot, at its mean top probability on the diagonal, is where the bar of a calibrated model would end; the number is its sentences.</p>", c.ece, c.brier);
    let _ = writeln!(h, "<svg id=\"reliability\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-size=\"9\">", size + 2.0 * pad, size + 2.0 * pad);
    let x = |v: f64| pad + v * size;
    let y = |v: f64| pad + (1.0 - v) * size;
    let _ = writeln!(h, "<rect x=\"{pad}\" y=\"{pad}\" width=\"{size}\" height=\"{size}\" fill=\"#fafafa\" stroke=\"#999\"/><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>", x(0.0), y(0.0), x(1.0), y(1.0));
    for b in &c.bins {
        let (Some(acc), Some(conf)) = (b.accuracy, b.confidence) else {
            continue;
        };
        let _ = writeln!(
            h,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#3b7dd8\" fill-opacity=\"0.7\" stroke=\"#fff\"><title>{:.2}-{:.2}: {} sentences, confidence {conf:.3}, accuracy {acc:.3}</title></rect><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#d83b3b\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(b.lo), y(acc), x(b.hi) - x(b.lo), y(0.0) - y(acc), b.lo, b.hi, b.count,
            x(conf), y(conf), (x(b.lo) + x(b.hi)) / 2.0, y(acc.max(conf)) - 5.0, b.count
        );
    }
    for t in [0.0, 0.5, 1.0] {
        let _ = writeln!(h, "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{t}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{t}</text>", x(t), y(0.0) + 14.0, x(0.0) - 4.0, y(t) + 4.0);
    }
    let _ = writeln!(h, "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">top probability</text><text x=\"12\" y=\"{}\" transform=\"rotate(-90 12 {})\" text-anchor=\"middle\">accuracy</text></svg>", x(0.5), y(0.0) + 30.0, y(0.5), y(0.5));
}

fn notes(h: &mut String) {
    let _ = writeln!(h, "<h2>What the figures mean</h2><table>");
    for (name, note) in METRIC_NOTES {
        let _ = writeln!(
            h,
            "<tr><th>{name}</th><td style=\"text-align:left\">{note}</td></tr>"
        );
    }
    let _ = writeln!(h, "</table>");
}

fn top_ngrams(h: &mut String, model: &Pipeline) {
    let _ = writeln!(h, "<h2>Top n-grams of each label</h2><p class=\"small\">The 15 features with the largest weights; <code>w:</code> word n-grams, <code>c:</code> character n-grams (␣ marks a word edge), normalized.</p><div class=\"figs\">");
    for (k, l) in model.labels().iter().enumerate() {
        let _ = writeln!(h, "<div><b>{}</b><table>", esc(l));
        for f in model.top_features(k, 15) {
            let shown = f.feature.replace(' ', "␣");
            let _ = writeln!(
                h,
                "<tr><td class=\"ar\" dir=\"rtl\" lang=\"ar\">{}</td><td>{:.2}</td></tr>",
                esc(&shown),
                f.weight
            );
        }
        let _ = writeln!(h, "</table></div>");
    }
    let _ = writeln!(h, "</div>");
}

fn metadata(h: &mut String, model: &Pipeline) {
    let info = model.info();
    let _ = writeln!(h, "<h2>The model</h2><table>");
    let _ = writeln!(
        h,
        "<tr><th>tasnif version</th><td>{}</td></tr>",
        esc(&info.crate_version)
    );
    let _ = writeln!(
        h,
        "<tr><th>training sentences</th><td>{}</td></tr>",
        info.sentences
    );
    for (l, n) in &info.sentences_per_label {
        let _ = writeln!(h, "<tr><th>{}</th><td>{n}</td></tr>", esc(l));
    }
    let _ = writeln!(
        h,
        "<tr><th>training data hash</th><td><code>{}</code></td></tr>",
        esc(&info.data_hash)
    );
    let _ = writeln!(
        h,
        "<tr><th>vocabulary</th><td>{} features</td></tr>",
        model.featurizer().n_features()
    );
    let config = serde_json::to_string_pretty(&model.config()).unwrap_or_default();
    let _ = writeln!(
        h,
        "<tr><th>options</th><td style=\"text-align:left\"><pre>{}</pre></td></tr></table>",
        esc(&config)
    );
}
