//! Writing `classify` records: one a sentence, one summary an article, and one error
//! record in place of an article that could not be read, in table, JSONL or CSV.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use tasnif::pipeline::{FeatureWeight, Pipeline, SentenceLabel, ERROR_LABEL, UNCERTAIN_LABEL};

use crate::cli::ClassifyFormat;

/// A sentence's label and, with `--explain`, the n-grams behind it.
pub type Labeled = (SentenceLabel, Vec<FeatureWeight>);

/// Writes records in the chosen format, keeping per-article counts.
pub struct Output<'m, W: Write> {
    w: W,
    model: &'m Pipeline,
    format: ClassifyFormat,
    min_confidence: Option<f32>,
    /// With `--explain`: how many n-grams to show per sentence.
    pub explain: Option<usize>,
    /// Sentences written in all.
    pub sentences: usize,
    index: usize,
    counts: BTreeMap<String, usize>,
}

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
    summary: &'a BTreeMap<String, usize>,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    doc: &'a str,
    error: &'a str,
}

impl<'m, W: Write> Output<'m, W> {
    pub fn new(
        w: W,
        model: &'m Pipeline,
        format: ClassifyFormat,
        min_confidence: Option<f32>,
    ) -> Self {
        let mut o = Output {
            w,
            model,
            format,
            min_confidence,
            explain: None,
            sentences: 0,
            index: 0,
            counts: BTreeMap::new(),
        };
        o.reset_counts();
        o
    }

    fn reset_counts(&mut self) {
        self.counts.clear();
        for l in self.model.labels() {
            self.counts.insert(l.clone(), 0);
        }
        self.index = 0;
    }

    pub fn header(&mut self) -> Result<()> {
        match self.format {
            ClassifyFormat::Csv => {
                let mut cols: Vec<String> = ["doc", "index", "start", "end", "text", "label"]
                    .into_iter()
                    .map(String::from)
                    .collect();
                cols.push("features".into());
                cols.push("cut_at_limit".into());
                if self.explain.is_some() {
                    cols.push("explanation".into());
                }
                cols.extend(self.model.labels().iter().map(|l| format!("p_{l}")));
                self.csv_row(&cols)?;
            }
            ClassifyFormat::Table => {
                writeln!(
                    self.w,
                    "{:<24} {:>4} {:<18} {:>6}  text",
                    "doc", "#", "label", "p"
                )?;
            }
            ClassifyFormat::Jsonl => {}
        }
        Ok(())
    }

    fn csv_row(&mut self, fields: &[String]) -> Result<()> {
        let mut line = String::new();
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            if f.contains([',', '"', '\n', '\r']) {
                line.push('"');
                line.push_str(&f.replace('"', "\"\""));
                line.push('"');
            } else {
                line.push_str(f);
            }
        }
        line.push('\n');
        self.w.write_all(line.as_bytes())?;
        Ok(())
    }

    /// The records of one chunk of an article whose text starts at byte `base`; the
    /// article's summary after it when `last`.
    pub fn chunk(
        &mut self,
        doc: &str,
        text: &str,
        base: usize,
        last: bool,
        sentences: Vec<Labeled>,
    ) -> Result<()> {
        for (s, why) in sentences {
            let top = s.probabilities.iter().copied().fold(0f32, f32::max);
            let label: &str = match self.min_confidence {
                Some(p) if !s.probabilities.is_empty() && top < p => UNCERTAIN_LABEL,
                _ => &s.label,
            };
            match self.counts.get_mut(label) {
                Some(n) => *n += 1,
                None => {
                    self.counts.insert(label.to_string(), 1);
                }
            }
            let sentence = Sentence {
                doc,
                text: &text[s.start..s.end],
                start: base + s.start,
                end: base + s.end,
                label,
                top,
            };
            match self.format {
                ClassifyFormat::Jsonl => self.jsonl_sentence(&sentence, &s, &why)?,
                ClassifyFormat::Csv => self.csv_sentence(&sentence, &s, &why)?,
                ClassifyFormat::Table => self.table_sentence(&sentence, &why)?,
            }
            self.index += 1;
            self.sentences += 1;
        }
        if last {
            self.summary(doc)?;
        }
        Ok(())
    }

    fn jsonl_sentence(
        &mut self,
        r: &Sentence<'_>,
        s: &SentenceLabel,
        why: &[FeatureWeight],
    ) -> Result<()> {
        let rec = SentenceRecord {
            doc: r.doc,
            index: self.index,
            start: r.start,
            end: r.end,
            text: r.text,
            label: r.label,
            probabilities: Probabilities {
                labels: self.model.labels(),
                p: &s.probabilities,
            },
            features: s.features,
            cut_at_limit: s.cut_at_limit,
            explanation: self.explain.map(|_| why),
        };
        serde_json::to_writer(&mut self.w, &rec)?;
        self.w.write_all(b"\n")?;
        Ok(())
    }

    fn csv_sentence(
        &mut self,
        r: &Sentence<'_>,
        s: &SentenceLabel,
        why: &[FeatureWeight],
    ) -> Result<()> {
        let mut row = vec![
            r.doc.to_string(),
            self.index.to_string(),
            r.start.to_string(),
            r.end.to_string(),
            r.text.to_string(),
            r.label.to_string(),
            s.features.to_string(),
            s.cut_at_limit.to_string(),
        ];
        if self.explain.is_some() {
            row.push(explanation(why, 3));
        }
        if s.probabilities.is_empty() {
            row.extend(self.model.labels().iter().map(|_| String::new()));
        } else {
            row.extend(s.probabilities.iter().map(|p| format!("{p:.6}")));
        }
        self.csv_row(&row)
    }

    fn table_sentence(&mut self, r: &Sentence<'_>, why: &[FeatureWeight]) -> Result<()> {
        let shown: String = r.text.chars().take(90).collect();
        let more = if shown.len() < r.text.len() {
            "…"
        } else {
            ""
        };
        let shown = shown.replace(['\n', '\r', '\t'], " ");
        writeln!(
            self.w,
            "{:<24} {:>4} {:<18} {:>6.3}  {shown}{more}",
            clip(r.doc, 24),
            self.index,
            r.label,
            r.top
        )?;
        if !why.is_empty() {
            writeln!(self.w, "{:>31} because: {}", "", explanation(why, 2))?;
        }
        Ok(())
    }

    fn summary(&mut self, doc: &str) -> Result<()> {
        match self.format {
            ClassifyFormat::Jsonl => {
                serde_json::to_writer(
                    &mut self.w,
                    &SummaryRecord {
                        doc,
                        summary: &self.counts,
                    },
                )?;
                self.w.write_all(b"\n")?;
            }
            ClassifyFormat::Table => {
                let parts: Vec<String> = self
                    .counts
                    .iter()
                    .map(|(l, n)| format!("{l}={n}"))
                    .collect();
                writeln!(
                    self.w,
                    "{:<24} summary: {} sentences: {}\n",
                    clip(doc, 24),
                    self.index,
                    parts.join(" ")
                )?;
            }
            ClassifyFormat::Csv => {}
        }
        self.reset_counts();
        Ok(())
    }

    /// The error record of an article that could not be classified, in place of its
    /// summary (after any of its records already written).
    pub fn error(&mut self, doc: &str, message: &str) -> Result<()> {
        match self.format {
            ClassifyFormat::Jsonl => {
                serde_json::to_writer(
                    &mut self.w,
                    &ErrorRecord {
                        doc,
                        error: message,
                    },
                )?;
                self.w.write_all(b"\n")?;
            }
            ClassifyFormat::Table => {
                writeln!(self.w, "{:<24} error: {message}\n", clip(doc, 24))?;
            }
            ClassifyFormat::Csv => {
                let mut row = vec![
                    doc.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    message.to_string(),
                    ERROR_LABEL.to_string(),
                    String::new(),
                    String::new(),
                ];
                if self.explain.is_some() {
                    row.push(String::new());
                }
                row.extend(self.model.labels().iter().map(|_| String::new()));
                self.csv_row(&row)?;
            }
        }
        self.reset_counts();
        Ok(())
    }

    pub fn flush(&mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }
}

/// What every format shows of one sentence.
struct Sentence<'a> {
    doc: &'a str,
    text: &'a str,
    start: usize,
    end: usize,
    label: &'a str,
    top: f32,
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
