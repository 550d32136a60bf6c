//! The evaluation report as one self-contained HTML page: no scripts, fonts or network;
//! charts are inline SVG; Arabic text is right-to-left.

use std::fmt::Write as _;

use tasnif::corpus::LabeledSentence;
use tasnif::evaluate::Report;
use tasnif::pipeline::Pipeline;

fn esc(s: &str) -> String {
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

const STYLE: &str = "body{font-family:'DejaVu Sans','Noto Sans Arabic','Noto Naskh Arabic',Tahoma,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.45}\
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:right}\
th{background:#f3f3f3}.ar{direction:rtl;text-align:right;unicode-bidi:isolate;font-size:1.1em;max-width:640px}\
.figs{display:flex;gap:2em;flex-wrap:wrap}.fig{background:#f7f7f7;padding:.8em 1.2em;border-radius:6px}\
.fig b{display:block;font-size:1.6em}.small{color:#666;font-size:.9em}code{background:#f3f3f3;padding:0 .2em}";

/// Render the page. `probs[i]` are the probabilities the model gave `data[i]`.
pub fn render(
    model: &Pipeline,
    data: &[LabeledSentence],
    probs: &[Vec<f32>],
    r: &Report,
    source: &str,
) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tasnif evaluation: {}</title><style>{STYLE}</style></head><body>\n",
        esc(source)
    );
    let _ = writeln!(
        h,
        "<h1>tasnif evaluation</h1><p class=\"small\">data: <code>{}</code>, {} sentences</p>",
        esc(source),
        r.n
    );
    let _ = writeln!(h, "<div class=\"figs\">");
    for (name, v) in [
        ("accuracy", r.accuracy),
        ("macro F1", r.macro_f1),
        ("weighted F1", r.weighted_f1),
    ] {
        let _ = writeln!(h, "<div class=\"fig\">{name}<b>{v:.3}</b></div>");
    }
    let _ = writeln!(h, "</div>");
    per_label(&mut h, r);
    confusion(&mut h, r);
    mistakes(&mut h, model, data, probs, r);
    top_ngrams(&mut h, model);
    metadata(&mut h, model);
    h.push_str("</body></html>\n");
    h
}

fn per_label(h: &mut String, r: &Report) {
    let _ = writeln!(h, "<h2>Per label</h2><table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>F1</th></tr>");
    for m in &r.per_label {
        let w = (m.f1 * 200.0).round();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td><td style=\"text-align:left\"><svg width=\"210\" height=\"14\" role=\"img\" aria-label=\"F1 {:.3}\"><rect width=\"200\" height=\"14\" fill=\"#eee\"/><rect width=\"{w}\" height=\"14\" fill=\"#3b7dd8\"/></svg></td></tr>",
            esc(&m.label), m.precision, m.recall, m.f1, m.support, m.f1
        );
    }
    let _ = writeln!(
        h,
        "<tr><th>macro avg</th><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td><td></td></tr></table>",
        r.macro_precision, r.macro_recall, r.macro_f1, r.n
    );
}

fn confusion(h: &mut String, r: &Report) {
    let k = r.labels.len();
    let cell = 92.0;
    let left = 150.0;
    let top = 40.0;
    let (w, hh) = (left + cell * k as f64 + 10.0, top + cell * k as f64 + 10.0);
    let _ = writeln!(h, "<h2>Confusion matrix</h2><p class=\"small\">Rows: true label; columns: predicted. Each cell: count and share of its row.</p>");
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
    let _ = writeln!(h, "</svg>");
}

fn mistakes(
    h: &mut String,
    model: &Pipeline,
    data: &[LabeledSentence],
    probs: &[Vec<f32>],
    _r: &Report,
) {
    let labels = model.labels();
    let mut wrong: Vec<(f32, usize, usize)> = Vec::new();
    for (i, (s, p)) in data.iter().zip(probs).enumerate() {
        let Some(best) = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])) else {
            continue;
        };
        if labels[best] != s.label {
            wrong.push((p[best], i, best));
        }
    }
    wrong.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let _ = writeln!(h, "<h2>Most confident mistakes</h2><p class=\"small\">{} mistakes in all; the 25 the model was surest of.</p>", wrong.len());
    let _ = writeln!(
        h,
        "<table><tr><th>sentence</th><th>true</th><th>predicted</th><th>probability</th></tr>"
    );
    for (p, i, best) in wrong.iter().take(25) {
        let _ = writeln!(
            h,
            "<tr><td class=\"ar\" dir=\"rtl\" lang=\"ar\">{}</td><td>{}</td><td>{}</td><td>{p:.3}</td></tr>",
            esc(&data[*i].text), esc(&data[*i].label), esc(&labels[*best])
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
