//! The plain-text report.

use std::fmt::Write as _;

use tasnif::evaluate::{Interval, Report};

use super::{resampling_line, Evaluation, METRIC_NOTES};

/// `0.748 [0.713, 0.781]`, or `0.748` without an interval.
pub fn with_ci(v: f64, ci: Option<Interval>) -> String {
    match ci {
        Some(ci) => format!("{v:.3} [{:.3}, {:.3}]", ci.lo, ci.hi),
        None => format!("{v:.3}"),
    }
}

pub fn render(ev: &Evaluation) -> String {
    let r = &ev.report;
    let ci = ev.intervals.as_ref().map(|(ci, _)| ci);
    let mut s = String::from("tasnif evaluation\n");
    s += &ev.model.text("  ");
    let _ = writeln!(s, "  data:     {}, {} sentences", ev.data, r.n);
    let _ = writeln!(s, "  when:     {}\n", ev.when);
    let _ = writeln!(
        s,
        "accuracy     {}",
        with_ci(r.accuracy, ci.map(|c| c.accuracy))
    );
    let _ = writeln!(
        s,
        "macro F1     {}",
        with_ci(r.macro_f1, ci.map(|c| c.macro_f1))
    );
    let _ = writeln!(
        s,
        "weighted F1  {}",
        with_ci(r.weighted_f1, ci.map(|c| c.weighted_f1))
    );
    match &ev.intervals {
        Some((ci, col)) => {
            let _ = writeln!(s, "intervals: {}", resampling_line(ci, col.as_deref()));
        }
        None => s.push_str("intervals: none (--bootstrap 0)\n"),
    }
    s.push('\n');
    per_label(&mut s, ev);
    confusion(&mut s, r);
    calibration(&mut s, ev);
    groups(&mut s, ev);
    mistakes(&mut s, ev);
    s.push_str("\nwhat the figures mean:\n");
    for (name, note) in METRIC_NOTES {
        let _ = writeln!(s, "  {name:<13} {note}");
    }
    s
}

fn per_label(s: &mut String, ev: &Evaluation) {
    let r = &ev.report;
    let w = r.labels.iter().map(|l| l.len()).max().unwrap_or(5).max(12);
    let cw = if ev.intervals.is_some() { 21 } else { 9 };
    let _ = writeln!(
        s,
        "{:<w$} {:>cw$} {:>cw$} {:>cw$} {:>8}",
        "label", "precision", "recall", "f1-score", "support"
    );
    for (i, m) in r.per_label.iter().enumerate() {
        let li = ev.intervals.as_ref().map(|(ci, _)| &ci.per_label[i]);
        let _ = writeln!(
            s,
            "{:<w$} {:>cw$} {:>cw$} {:>cw$} {:>8}",
            m.label,
            with_ci(m.precision, li.map(|l| l.precision)),
            with_ci(m.recall, li.map(|l| l.recall)),
            with_ci(m.f1, li.map(|l| l.f1)),
            m.support
        );
    }
    let acc_ci = ev.intervals.as_ref().map(|(ci, _)| ci.accuracy);
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<w$} {:>cw$} {:>cw$} {:>cw$} {:>8}",
        "accuracy",
        "",
        "",
        with_ci(r.accuracy, acc_ci),
        r.n
    );
    let mf = ev.intervals.as_ref().map(|(ci, _)| ci.macro_f1);
    let wf = ev.intervals.as_ref().map(|(ci, _)| ci.weighted_f1);
    let _ = writeln!(
        s,
        "{:<w$} {:>cw$} {:>cw$} {:>cw$} {:>8}",
        "macro avg",
        with_ci(r.macro_precision, None),
        with_ci(r.macro_recall, None),
        with_ci(r.macro_f1, mf),
        r.n
    );
    let _ = writeln!(
        s,
        "{:<w$} {:>cw$} {:>cw$} {:>cw$} {:>8}",
        "weighted avg",
        with_ci(r.weighted_precision, None),
        with_ci(r.weighted_recall, None),
        with_ci(r.weighted_f1, wf),
        r.n
    );
}

/// The widest a text report's table may be.
const TEXT_WIDTH: usize = 80;

/// The confusion matrix, with the column labels shortened (and a legend) when full
/// labels would make it wider than [`TEXT_WIDTH`].
fn confusion(s: &mut String, r: &Report) {
    let _ = writeln!(
        s,
        "\nconfusion matrix (rows: true label, columns: predicted)"
    );
    let w = r.labels.iter().map(|l| l.len()).max().unwrap_or(5).max(5);
    let digits = r.n.to_string().len().max(5);
    let full = r
        .labels
        .iter()
        .map(|l| l.len())
        .max()
        .unwrap_or(5)
        .max(digits);
    let short = w + (r.labels.len() + 1) * (full + 1) > TEXT_WIDTH;
    let heads: Vec<String> = if short {
        short_names(&r.labels)
    } else {
        r.labels.clone()
    };
    let cw = heads.iter().map(|l| l.len()).max().unwrap_or(5).max(digits);
    let _ = write!(s, "{:<w$}", "");
    for h in &heads {
        let _ = write!(s, " {h:>cw$}");
    }
    let _ = writeln!(s, " {:>cw$}", "total");
    for (l, row) in r.labels.iter().zip(&r.confusion) {
        let _ = write!(s, "{l:<w$}");
        for c in row {
            let _ = write!(s, " {c:>cw$}");
        }
        let _ = writeln!(s, " {:>cw$}", row.iter().sum::<usize>());
    }
    let _ = write!(s, "{:<w$}", "total");
    for j in 0..r.labels.len() {
        let _ = write!(
            s,
            " {:>cw$}",
            r.confusion.iter().map(|row| row[j]).sum::<usize>()
        );
    }
    let _ = writeln!(s, " {:>cw$}", r.n);
    if short {
        let legend: Vec<String> = heads
            .iter()
            .zip(&r.labels)
            .map(|(h, l)| format!("{h} = {l}"))
            .collect();
        let mut line = String::from("columns:");
        for entry in legend {
            if line.chars().count() + 1 + entry.len() + 1 > TEXT_WIDTH {
                let _ = writeln!(s, "{line}");
                line = String::from("        ");
            }
            line.push(' ');
            line.push_str(&entry);
            line.push(',');
        }
        let _ = writeln!(s, "{}", line.trim_end_matches(','));
    }
}

/// The shortest prefixes, of at least three characters, that tell the labels apart
/// (a label that is a prefix of another stays whole).
fn short_names(labels: &[String]) -> Vec<String> {
    labels
        .iter()
        .map(|l| {
            let chars: Vec<char> = l.chars().collect();
            (3.min(chars.len())..=chars.len())
                .map(|n| chars[..n].iter().collect::<String>())
                .find(|p| labels.iter().all(|o| o == l || !o.starts_with(p.as_str())))
                .unwrap_or_else(|| l.clone())
        })
        .collect()
}

fn calibration(s: &mut String, ev: &Evaluation) {
    let c = &ev.calibration;
    let _ = writeln!(
        s,
        "\ncalibration: ECE {:.3}, Brier {:.3} ({} bins of the top probability)",
        c.ece,
        c.brier,
        c.bins.len()
    );
    let _ = writeln!(
        s,
        "  {:<11} {:>6} {:>10} {:>9}",
        "top prob", "count", "confidence", "accuracy"
    );
    for b in c.bins.iter().filter(|b| b.count > 0) {
        let _ = writeln!(
            s,
            "  {:.2}-{:.2}   {:>6} {:>10.3} {:>9.3}",
            b.lo,
            b.hi,
            b.count,
            b.confidence.unwrap_or(0.0),
            b.accuracy.unwrap_or(0.0)
        );
    }
}

fn groups(s: &mut String, ev: &Evaluation) {
    let Some((column, groups)) = &ev.groups else {
        return;
    };
    let w = groups
        .iter()
        .map(|g| g.key.chars().count())
        .max()
        .unwrap_or(5)
        .max(column.len());
    let _ = writeln!(s, "\nby {column} ({} values, largest first)", groups.len());
    let _ = writeln!(
        s,
        "  {column:<w$} {:>9} {:>8} {:>8}",
        "sentences", "accuracy", "macro F1"
    );
    for g in groups {
        let _ = writeln!(
            s,
            "  {:<w$} {:>9} {:>8.3} {:>8.3}",
            g.key, g.sentences, g.accuracy, g.macro_f1
        );
    }
}

fn mistakes(s: &mut String, ev: &Evaluation) {
    let shown = ev.mistakes.len().min(10);
    let _ = writeln!(
        s,
        "\nmost confident mistakes ({shown} of {}):",
        ev.mistakes_total
    );
    for m in ev.mistakes.iter().take(shown) {
        let ngrams: Vec<String> = m
            .ngrams
            .iter()
            .map(|f| format!("{} {:.2}", f.feature, f.weight))
            .collect();
        let _ = writeln!(
            s,
            "  doc {}: true {}, predicted {} ({:.3}); pushed by {}\n    {}",
            m.doc.as_deref().unwrap_or("-"),
            m.gold,
            m.predicted,
            m.probability,
            if ngrams.is_empty() {
                "no n-gram".to_string()
            } else {
                ngrams.join(", ")
            },
            m.text
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_the_shortest_distinct_prefixes() {
        let labels = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            short_names(&labels(&["defection", "execution", "other"])),
            ["def", "exe", "oth"]
        );
        assert_eq!(
            short_names(&labels(&["attack", "attacker", "ab"])),
            ["attack", "attacke", "ab"]
        );
    }
}
