//! Writing `classify` records: one a sentence, one summary an article, and one error
//! record in place of an article that could not be read. [`Output`] keeps the
//! per-article counts and hands each record to the writer of the chosen format.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use tasnif::pipeline::{
    FeatureWeight, Pipeline, Prediction, SentenceLabel, ERROR_LABEL, NO_TEXT_LABEL,
    UNCERTAIN_LABEL, UNKNOWN_LABEL,
};

use crate::cli::ClassifyFormat;

/// Writes records in the chosen format, keeping per-article counts.
pub struct Output<'m> {
    records: Box<dyn RecordWriter + Send + 'm>,
    model: &'m Pipeline,
    min_confidence: Option<f32>,
    explain: bool,
    /// Sentences written in all.
    pub sentences: usize,
    index: usize,
    counts: Counts,
}

/// Sentences per label in one article: the model's labels by index, then markers.
#[derive(Default)]
struct Counts {
    labels: Vec<usize>,
    no_text: usize,
    unknown: usize,
    uncertain: usize,
}

impl Counts {
    /// Every label, and each marker that occurred, by name.
    fn by_name<'a>(&self, names: &'a [String]) -> BTreeMap<&'a str, usize> {
        let mut m: BTreeMap<&str, usize> = names
            .iter()
            .map(String::as_str)
            .zip(self.labels.iter().copied())
            .collect();
        for (name, n) in [
            (NO_TEXT_LABEL, self.no_text),
            (UNKNOWN_LABEL, self.unknown),
            (UNCERTAIN_LABEL, self.uncertain),
        ] {
            if n > 0 {
                m.insert(name, n);
            }
        }
        m
    }
}

/// One sentence as every format shows it.
pub struct SentenceView<'a> {
    doc: &'a str,
    index: usize,
    start: usize,
    end: usize,
    text: &'a str,
    label: &'a str,
    probabilities: &'a [f32],
    features: usize,
    cut_at_limit: bool,
    explanation: Option<&'a [FeatureWeight]>,
}

/// The records of one output format.
trait RecordWriter {
    fn header(&mut self, labels: &[String], explain: bool) -> Result<()>;
    fn sentence(&mut self, s: &SentenceView<'_>, labels: &[String]) -> Result<()>;
    fn summary(
        &mut self,
        doc: &str,
        sentences: usize,
        counts: &BTreeMap<&str, usize>,
    ) -> Result<()>;
    fn error(&mut self, doc: &str, message: &str, labels: &[String]) -> Result<()>;
    fn flush(&mut self) -> Result<()>;
}

impl<'m> Output<'m> {
    pub fn new(
        w: Box<dyn Write + Send + 'm>,
        model: &'m Pipeline,
        format: ClassifyFormat,
        min_confidence: Option<f32>,
        explain: bool,
    ) -> Self {
        let records: Box<dyn RecordWriter + Send + 'm> = match format {
            ClassifyFormat::Jsonl => Box::new(Jsonl(w)),
            ClassifyFormat::Csv => Box::new(Csv {
                w: csv::Writer::from_writer(w),
                explain,
            }),
            ClassifyFormat::Table => Box::new(Table::new(w, table_width())),
        };
        let mut o = Output {
            records,
            model,
            min_confidence,
            explain,
            sentences: 0,
            index: 0,
            counts: Counts::default(),
        };
        o.reset_counts();
        o
    }

    fn reset_counts(&mut self) {
        self.counts = Counts {
            labels: vec![0; self.model.labels().len()],
            ..Counts::default()
        };
        self.index = 0;
    }

    pub fn header(&mut self) -> Result<()> {
        self.records.header(self.model.labels(), self.explain)
    }

    /// The records of one chunk of an article whose text starts at byte `base`; the
    /// article's summary after it when `last`.
    pub fn chunk(
        &mut self,
        doc: &str,
        text: &str,
        base: usize,
        last: bool,
        sentences: Vec<SentenceLabel>,
    ) -> Result<()> {
        let labels = self.model.labels();
        for s in &sentences {
            let label = match (&s.prediction, s.prediction.top_probability()) {
                (_, Some(top)) if self.min_confidence.is_some_and(|p| top < p) => {
                    self.counts.uncertain += 1;
                    UNCERTAIN_LABEL
                }
                (Prediction::Label { index, .. }, _) => {
                    self.counts.labels[*index] += 1;
                    &labels[*index]
                }
                (Prediction::NoText, _) => {
                    self.counts.no_text += 1;
                    NO_TEXT_LABEL
                }
                (Prediction::Unknown, _) => {
                    self.counts.unknown += 1;
                    UNKNOWN_LABEL
                }
            };
            let view = SentenceView {
                doc,
                index: self.index,
                start: base + s.start,
                end: base + s.end,
                text: &text[s.start..s.end],
                label,
                probabilities: s.prediction.probabilities(),
                features: s.features,
                cut_at_limit: s.cut_at_limit,
                explanation: self.explain.then_some(s.explanation.as_slice()),
            };
            self.records.sentence(&view, labels)?;
            self.index += 1;
            self.sentences += 1;
        }
        if last {
            let counts = self.counts.by_name(labels);
            self.records.summary(doc, self.index, &counts)?;
            self.reset_counts();
        }
        Ok(())
    }

    /// The error record of an article that could not be classified, in place of its
    /// summary (after any of its records already written).
    pub fn error(&mut self, doc: &str, message: &str) -> Result<()> {
        self.records.error(doc, message, self.model.labels())?;
        self.reset_counts();
        Ok(())
    }

    pub fn flush(&mut self) -> Result<()> {
        self.records.flush()
    }
}

/// One JSON object a record.
struct Jsonl<W>(W);

struct Probabilities<'a> {
    labels: &'a [String],
    p: &'a [f32],
}

impl Serialize for Probabilities<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.p.len()))?;
        for (l, p) in self.labels.iter().zip(self.p) {
            m.serialize_entry(l, p)?;
        }
        m.end()
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize)]
struct SentenceRecord<'a> {
    doc: &'a str,
    index: usize,
    start: usize,
    end: usize,
    text: &'a str,
    label: &'a str,
    probabilities: Probabilities<'a>,
    features: usize,
    #[serde(skip_serializing_if = "is_false")]
    cut_at_limit: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a [FeatureWeight]>,
}

#[derive(Serialize)]
struct SummaryRecord<'a> {
    doc: &'a str,
    summary: &'a BTreeMap<&'a str, usize>,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    doc: &'a str,
    error: &'a str,
}

impl<W: Write> Jsonl<W> {
    fn record<T: Serialize>(&mut self, r: &T) -> Result<()> {
        serde_json::to_writer(&mut self.0, r)?;
        self.0.write_all(b"\n")?;
        Ok(())
    }
}

impl<W: Write> RecordWriter for Jsonl<W> {
    fn header(&mut self, _: &[String], _: bool) -> Result<()> {
        Ok(())
    }
    fn sentence(&mut self, s: &SentenceView<'_>, labels: &[String]) -> Result<()> {
        self.record(&SentenceRecord {
            doc: s.doc,
            index: s.index,
            start: s.start,
            end: s.end,
            text: s.text,
            label: s.label,
            probabilities: Probabilities {
                labels,
                p: s.probabilities,
            },
            features: s.features,
            cut_at_limit: s.cut_at_limit,
            explanation: s.explanation,
        })
    }
    fn summary(&mut self, doc: &str, _: usize, counts: &BTreeMap<&str, usize>) -> Result<()> {
        self.record(&SummaryRecord {
            doc,
            summary: counts,
        })
    }
    fn error(&mut self, doc: &str, message: &str, _: &[String]) -> Result<()> {
        self.record(&ErrorRecord {
            doc,
            error: message,
        })
    }
    fn flush(&mut self) -> Result<()> {
        self.0.flush()?;
        Ok(())
    }
}

/// CSV with a header, one row a sentence (an error row for a failed article; no
/// summaries).
struct Csv<W: Write> {
    w: csv::Writer<W>,
    explain: bool,
}

impl<W: Write> RecordWriter for Csv<W> {
    fn header(&mut self, labels: &[String], explain: bool) -> Result<()> {
        let mut cols: Vec<String> = [
            "doc",
            "index",
            "start",
            "end",
            "text",
            "label",
            "features",
            "cut_at_limit",
        ]
        .map(String::from)
        .to_vec();
        if explain {
            cols.push("explanation".into());
        }
        cols.extend(labels.iter().map(|l| format!("p_{l}")));
        self.w.write_record(&cols)?;
        Ok(())
    }
    fn sentence(&mut self, s: &SentenceView<'_>, labels: &[String]) -> Result<()> {
        let mut row = vec![
            s.doc.to_string(),
            s.index.to_string(),
            s.start.to_string(),
            s.end.to_string(),
            s.text.to_string(),
            s.label.to_string(),
            s.features.to_string(),
            s.cut_at_limit.to_string(),
        ];
        if let Some(why) = s.explanation {
            row.push(explanation(why, 3));
        }
        if s.probabilities.is_empty() {
            row.extend(labels.iter().map(|_| String::new()));
        } else {
            row.extend(s.probabilities.iter().map(|p| format!("{p:.6}")));
        }
        self.w.write_record(&row)?;
        Ok(())
    }
    fn summary(&mut self, _: &str, _: usize, _: &BTreeMap<&str, usize>) -> Result<()> {
        Ok(())
    }
    fn error(&mut self, doc: &str, message: &str, labels: &[String]) -> Result<()> {
        let mut row = vec![doc, "", "", "", message, ERROR_LABEL, "", ""];
        if self.explain {
            row.push("");
        }
        row.extend(labels.iter().map(|_| ""));
        self.w.write_record(&row)?;
        Ok(())
    }
    fn flush(&mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }
}

/// The width the table is laid out for: the terminal's, `COLUMNS` when standard
/// output is not a terminal, else 120.
fn table_width() -> usize {
    let term = console::Term::stdout();
    if let Some((_, cols)) = term.is_term().then(|| term.size_checked()).flatten() {
        return usize::from(cols);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(120)
}

/// Aligned columns for reading, as wide as the terminal: the text (and the
/// explanation) wrap at word boundaries under the text column.
struct Table<W> {
    w: W,
    /// Width of the doc column.
    doc: usize,
    /// Where the text column starts, and how wide it is.
    indent: usize,
    text: usize,
}

/// Widths of the `#`, label and probability columns.
const INDEX_W: usize = 4;
const LABEL_W: usize = 16;
const P_W: usize = 5;
/// The text column is never narrower than this; on a narrower terminal the text
/// goes on lines of its own under the record.
const MIN_TEXT: usize = 24;

impl<W: Write> Table<W> {
    fn new(w: W, width: usize) -> Self {
        let doc = if width >= 100 { 24 } else { 12 };
        let indent = doc + 1 + INDEX_W + 1 + LABEL_W + 1 + P_W + 2;
        let text = width.saturating_sub(indent).max(MIN_TEXT);
        Table {
            w,
            doc,
            indent,
            text,
        }
    }

    /// Write `text` wrapped into the text column, the first line after `lead`
    /// (which is `indent` wide).
    fn wrapped(&mut self, lead: &str, text: &str) -> Result<()> {
        let lines = wrap(text, self.text);
        let pad = self.indent;
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                writeln!(self.w, "{lead}{line}")?;
            } else {
                writeln!(self.w, "{:pad$}{line}", "")?;
            }
        }
        if lines.is_empty() {
            writeln!(self.w, "{}", lead.trim_end())?;
        }
        Ok(())
    }
}

impl<W: Write> RecordWriter for Table<W> {
    fn header(&mut self, _: &[String], _: bool) -> Result<()> {
        let d = self.doc;
        writeln!(
            self.w,
            "{:<d$} {:>INDEX_W$} {:<LABEL_W$} {:>P_W$}  text",
            "doc", "#", "label", "p"
        )?;
        Ok(())
    }
    fn sentence(&mut self, s: &SentenceView<'_>, _: &[String]) -> Result<()> {
        let top = s.probabilities.iter().copied().fold(0f32, f32::max);
        let d = self.doc;
        let lead = format!(
            "{:<d$} {:>INDEX_W$} {:<LABEL_W$} {:>P_W$.3}  ",
            clip(s.doc, d),
            s.index,
            clip(s.label, LABEL_W),
            top
        );
        self.wrapped(&lead, s.text)?;
        if let Some(why) = s.explanation.filter(|w| !w.is_empty()) {
            let because = format!("because: {}", explanation(why, 2));
            let lead = " ".repeat(self.indent);
            self.wrapped(&lead, &because)?;
        }
        Ok(())
    }
    fn summary(
        &mut self,
        doc: &str,
        sentences: usize,
        counts: &BTreeMap<&str, usize>,
    ) -> Result<()> {
        let parts: Vec<String> = counts.iter().map(|(l, n)| format!("{l}={n}")).collect();
        let d = self.doc;
        let lead = format!("{:<d$} summary: {sentences} sentences: ", clip(doc, d));
        let width = (self.indent + self.text).saturating_sub(lead.chars().count());
        for (i, line) in wrap(&parts.join(" "), width.max(MIN_TEXT))
            .iter()
            .enumerate()
        {
            let lead = if i == 0 { lead.as_str() } else { "" };
            let pad = if i == 0 { 0 } else { d + 1 };
            writeln!(self.w, "{:pad$}{lead}{line}", "")?;
        }
        writeln!(self.w)?;
        Ok(())
    }
    fn error(&mut self, doc: &str, message: &str, _: &[String]) -> Result<()> {
        let d = self.doc;
        writeln!(self.w, "{:<d$} error: {message}\n", clip(doc, d))?;
        Ok(())
    }
    fn flush(&mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }
}

/// Columns a character takes on a terminal: none for Arabic diacritics and other
/// combining marks, one for the rest (the table's texts are Arabic and Latin).
fn columns(c: char) -> usize {
    let combining = matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}' | '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}');
    usize::from(!combining)
}

/// `text` cut into lines of at most `width` columns at spaces; a word longer than
/// a line is cut inside. Line breaks and tabs in the text count as spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text
        .split([' ', '\n', '\r', '\t'])
        .filter(|w| !w.is_empty())
    {
        let w: usize = word.chars().map(columns).sum();
        if used > 0 && used + 1 + w > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        for c in word.chars() {
            if used + columns(c) > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += columns(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn explanation(why: &[FeatureWeight], decimals: usize) -> String {
    why.iter()
        .map(|f| format!("{} {:.*}", f.feature, decimals, f.weight))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let tail: String = s
            .chars()
            .rev()
            .take(n - 1)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("…{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        let text = "انشق عشرات المقاتلين عن التنظيم خلال الأسبوع الماضي ووصلوا إلى تركيا";
        let lines = wrap(text, 20);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text, "no word lost or cut");
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
    }

    #[test]
    fn wrap_cuts_a_word_longer_than_a_line_and_skips_diacritics_in_the_count() {
        assert_eq!(wrap("abcdefghij kl", 4), ["abcd", "efgh", "ij", "kl"]);
        // Five letters with a diacritic each take five columns.
        assert_eq!(wrap("كَتَبَ كُتُب", 5), ["كَتَبَ", "كُتُب"]);
        assert_eq!(wrap("كَتَبَ كُتُب", 7), ["كَتَبَ كُتُب"]);
        assert!(wrap(" \n ", 10).is_empty());
    }

    #[test]
    fn table_lines_fit_the_width() {
        let mut t = Table::new(Vec::new(), 80);
        t.wrapped(&" ".repeat(t.indent), &"كلمة ".repeat(60))
            .unwrap();
        let out = String::from_utf8(t.w).unwrap();
        assert!(out.lines().count() > 5);
        assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
    }
}
