//! The Markdown report: headline figures, per-label figures, the confusion matrix with
//! totals, calibration and groups.

use std::fmt::Write as _;

use super::text::with_ci;
use super::{resampling_line, Evaluation};

pub fn render(ev: &Evaluation) -> String {
    let r = &ev.report;
    let ci = ev.intervals.as_ref().map(|(ci, _)| ci);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Model `{}` (`{}`) on `{}`, {}.\n",
        ev.model.name, ev.model.hash, ev.data, ev.when
    );
    let _ = writeln!(
        s,
        "| sentences | accuracy | macro F1 | weighted F1 | ECE | Brier |\n|---:|---:|---:|---:|---:|---:|"
    );
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {:.3} | {:.3} |\n",
        r.n,
        with_ci(r.accuracy, ci.map(|c| c.accuracy)),
        with_ci(r.macro_f1, ci.map(|c| c.macro_f1)),
        with_ci(r.weighted_f1, ci.map(|c| c.weighted_f1)),
        ev.calibration.ece,
        ev.calibration.brier
    );
    if let Some((ci, col)) = &ev.intervals {
        let _ = writeln!(s, "Intervals: {}.\n", resampling_line(ci, col.as_deref()));
    }
    let _ = writeln!(
        s,
        "| label | precision | recall | F1 | support |\n|---|---:|---:|---:|---:|"
    );
    for (i, m) in r.per_label.iter().enumerate() {
        let li = ci.map(|c| &c.per_label[i]);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            m.label,
            with_ci(m.precision, li.map(|l| l.precision)),
            with_ci(m.recall, li.map(|l| l.recall)),
            with_ci(m.f1, li.map(|l| l.f1)),
            m.support
        );
    }
    let _ = writeln!(
        s,
        "| accuracy | | | {} | {} |",
        with_ci(r.accuracy, ci.map(|c| c.accuracy)),
        r.n
    );
    let _ = writeln!(
        s,
        "| macro avg | {:.3} | {:.3} | {} | {} |",
        r.macro_precision,
        r.macro_recall,
        with_ci(r.macro_f1, ci.map(|c| c.macro_f1)),
        r.n
    );
    let _ = writeln!(
        s,
        "| weighted avg | {:.3} | {:.3} | {} | {} |",
        r.weighted_precision,
        r.weighted_recall,
        with_ci(r.weighted_f1, ci.map(|c| c.weighted_f1)),
        r.n
    );
    confusion(&mut s, ev);
    if let Some((column, groups)) = &ev.groups {
        let _ = writeln!(s, "\nBy `{column}`, largest first\n\n| {column} | sentences | accuracy | macro F1 |\n|---|---:|---:|---:|");
        for g in groups {
            let _ = writeln!(
                s,
                "| {} | {} | {:.3} | {:.3} |",
                g.key, g.sentences, g.accuracy, g.macro_f1
            );
        }
    }
    s
}

fn confusion(s: &mut String, ev: &Evaluation) {
    let r = &ev.report;
    let _ = writeln!(
        s,
        "\nConfusion matrix (rows: true label, columns: predicted)\n"
    );
    let _ = write!(s, "| true \\ predicted |");
    for l in &r.labels {
        let _ = write!(s, " {l} |");
    }
    let _ = write!(s, " total |\n|---|");
    for _ in 0..=r.labels.len() {
        let _ = write!(s, "---:|");
    }
    let _ = writeln!(s);
    for (l, row) in r.labels.iter().zip(&r.confusion) {
        let _ = write!(s, "| {l} |");
        for c in row {
            let _ = write!(s, " {c} |");
        }
        let _ = writeln!(s, " {} |", row.iter().sum::<usize>());
    }
    let _ = write!(s, "| total |");
    for j in 0..r.labels.len() {
        let _ = write!(
            s,
            " {} |",
            r.confusion.iter().map(|row| row[j]).sum::<usize>()
        );
    }
    let _ = writeln!(s, " {} |", r.n);
}
