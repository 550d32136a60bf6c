//! `tasnif classify`: streams articles through the model on every core, writing one
//! record a sentence and one summary an article, in input order.
//!
//! Input is read in chunks of whole lines (a sentence never spans a line break, so
//! this gives the same sentences as reading the whole article), chunks are labeled in
//! parallel batches, and each batch is written before the next is read: memory stays
//! flat however large the input, and output starts before the input ends.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use tasnif::pipeline::{FeatureWeight, Pipeline, PredictScratch, SentenceLabel, NO_TEXT_LABEL};

use super::files::{load_model, open};
use super::{ClassifyArgs, ClassifyFormat, InputFormat};

/// Label given under `--min-confidence` to a sentence whose top probability is lower.
pub use tasnif::pipeline::UNCERTAIN_LABEL;

/// Chunks are cut at the first line break past this many bytes.
const CHUNK_BYTES: usize = 64 * 1024;
/// A batch is labeled in parallel once it holds this many bytes or chunks.
const BATCH_BYTES: usize = 4 * 1024 * 1024;
const BATCH_CHUNKS: usize = 1024;

/// A piece of one article: whole lines, with their offset in the article.
struct Chunk {
    doc: usize,
    text: String,
    base: usize,
    /// The last chunk of its article: write the summary after it.
    last: bool,
}

/// A sentence's label and, with `--explain`, the n-grams behind it.
type Labeled = (SentenceLabel, Vec<FeatureWeight>);

/// Articles' names, indexed by `Chunk::doc`.
struct Docs(Vec<String>);

pub fn run(a: ClassifyArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let model = load_model(a.model.as_deref())?;
    if let Some(p) = a.min_confidence {
        if !(0.0..=1.0).contains(&p) {
            bail!("--min-confidence {p}: must be between 0 and 1");
        }
    }
    let format = a.format.unwrap_or(if io::stdout().is_terminal() {
        ClassifyFormat::Table
    } else {
        ClassifyFormat::Jsonl
    });
    let jobs = a.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("cannot start threads")?;
    let stdout = io::stdout().lock();
    let mut out = Output::new(
        BufWriter::with_capacity(1 << 16, stdout),
        &model,
        format,
        a.min_confidence,
    );
    out.explain = a.explain;
    out.header()?;
    let inputs: Vec<PathBuf> = if a.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        a.files.clone()
    };
    let mut batch = Batch::default();
    if !a.quiet && io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} {binary_bytes} labeled, {binary_bytes_per_sec}",
            )
            .expect("a valid template"),
        );
        bar.set_message("classifying");
        batch.progress = Some(bar);
    }
    let mut docs = Docs(Vec::new());
    for path in &inputs {
        let (name, reader): (String, Box<dyn Read>) = if path.as_os_str() == "-" {
            ("-".to_string(), Box::new(io::stdin().lock()))
        } else {
            (path.display().to_string(), Box::new(open(path)?))
        };
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut on_chunk = |chunk: Chunk, docs: &Docs| -> Result<()> {
            batch.push(chunk);
            if batch.full() {
                batch.flush(&pool, &model, docs, &mut out)?;
            }
            Ok(())
        };
        match a.input {
            InputFormat::Text => read_text(&name, &mut reader, &mut docs, &mut on_chunk)?,
            InputFormat::Jsonl => read_jsonl(
                &name,
                path,
                &mut reader,
                &a.text_field,
                a.id_field.as_deref(),
                &mut docs,
                &mut on_chunk,
            )?,
        }
    }
    batch.flush(&pool, &model, &docs, &mut out)?;
    let (sentences, articles) = (out.sentences, docs.0.len());
    out.finish()?;
    if let Some(bar) = batch.progress.take() {
        bar.finish_and_clear();
        eprintln!(
            "tasnif: {sentences} sentences in {articles} article(s), {:.1} MB, in {:.2} s",
            batch.done_bytes as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Read the next line (with its line break) into `buf`; false at the end of input.
fn next_line<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>, name: &str) -> Result<bool> {
    buf.clear();
    let n = reader
        .read_until(b'\n', buf)
        .with_context(|| format!("{name}: cannot read"))?;
    Ok(n > 0)
}

/// Split a plain-text article into chunks of whole lines.
fn read_text<R: BufRead>(
    name: &str,
    reader: &mut R,
    docs: &mut Docs,
    on_chunk: &mut dyn FnMut(Chunk, &Docs) -> Result<()>,
) -> Result<()> {
    let doc = docs.0.len();
    docs.0.push(name.to_string());
    let mut buf = Vec::new();
    let mut text = String::new();
    let mut base = 0usize;
    let mut line_no = 0u64;
    let mut warned = false;
    while next_line(reader, &mut buf, name)? {
        line_no += 1;
        match std::str::from_utf8(&buf) {
            Ok(s) => text.push_str(s),
            Err(e) => {
                if !warned {
                    eprintln!(
                        "tasnif: warning: {name}: line {line_no}: invalid UTF-8 at byte {} of the line, replaced by U+FFFD (offsets refer to the repaired text)",
                        e.valid_up_to()
                    );
                    warned = true;
                }
                text.push_str(&String::from_utf8_lossy(&buf));
            }
        }
        if text.len() >= CHUNK_BYTES {
            let len = text.len();
            on_chunk(
                Chunk {
                    doc,
                    text: std::mem::take(&mut text),
                    base,
                    last: false,
                },
                docs,
            )?;
            base += len;
        }
    }
    on_chunk(
        Chunk {
            doc,
            text,
            base,
            last: true,
        },
        docs,
    )
}

/// One article a line of JSON.
fn read_jsonl<R: BufRead>(
    name: &str,
    path: &Path,
    reader: &mut R,
    text_field: &str,
    id_field: Option<&str>,
    docs: &mut Docs,
    on_chunk: &mut dyn FnMut(Chunk, &Docs) -> Result<()>,
) -> Result<()> {
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    while next_line(reader, &mut buf, name)? {
        line_no += 1;
        if buf.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let value: serde_json::Value = serde_json::from_slice(&buf).with_context(|| {
            format!(
                "{}: line {line_no}: not a JSON object; --input jsonl wants one object a line",
                path.display()
            )
        })?;
        let text = match value.get(text_field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(_) => bail!("{name}: line {line_no}: field '{text_field}' is not a string"),
            None => bail!("{name}: line {line_no}: no field '{text_field}'; choose the text field with --text-field"),
        };
        let id = match id_field {
            None => format!("{name}:{line_no}"),
            Some(f) => match value.get(f) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Null) | None => {
                    bail!("{name}: line {line_no}: no field '{f}'; choose the id field with --id-field")
                }
                Some(v) => v.to_string(),
            },
        };
        let doc = docs.0.len();
        docs.0.push(id);
        on_chunk(
            Chunk {
                doc,
                text,
                base: 0,
                last: true,
            },
            docs,
        )?;
    }
    Ok(())
}

#[derive(Default)]
struct Batch {
    chunks: Vec<Chunk>,
    bytes: usize,
    /// Bytes labeled so far, and the progress display on a terminal.
    done_bytes: u64,
    progress: Option<indicatif::ProgressBar>,
}

impl Batch {
    fn push(&mut self, c: Chunk) {
        self.bytes += c.text.len();
        self.chunks.push(c);
    }
    fn full(&self) -> bool {
        self.bytes >= BATCH_BYTES || self.chunks.len() >= BATCH_CHUNKS
    }
    /// Label every chunk in parallel, then write in order.
    fn flush<W: Write>(
        &mut self,
        pool: &rayon::ThreadPool,
        model: &Pipeline,
        docs: &Docs,
        out: &mut Output<'_, W>,
    ) -> Result<()> {
        let explain = out.explain;
        let labeled: Vec<Vec<Labeled>> = pool.install(|| {
            self.chunks
                .par_iter()
                .map_init(PredictScratch::default, |scratch, c| {
                    let mut v = Vec::new();
                    model.classify_article_with(&c.text, scratch, |s| {
                        let why = match (explain, model.labels().binary_search(&s.label)) {
                            (Some(n), Ok(k)) => model.explain(&c.text[s.start..s.end], k, n),
                            _ => Vec::new(),
                        };
                        v.push((s, why));
                    });
                    v
                })
                .collect()
        });
        for (chunk, sentences) in self.chunks.iter().zip(labeled) {
            out.chunk(&docs.0[chunk.doc], chunk, sentences)?;
        }
        out.flush()?;
        self.done_bytes += self.bytes as u64;
        if let Some(bar) = &self.progress {
            bar.set_position(self.done_bytes);
        }
        self.chunks.clear();
        self.bytes = 0;
        Ok(())
    }
}

/// Writes records in the chosen format, keeping per-article counts.
struct Output<'m, W: Write> {
    w: W,
    model: &'m Pipeline,
    format: ClassifyFormat,
    min_confidence: Option<f32>,
    /// With `--explain N`: how many n-grams to show per sentence.
    explain: Option<usize>,
    /// Sentences written in all.
    sentences: usize,
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

#[derive(Serialize)]
struct SentenceRecord<'a> {
    doc: &'a str,
    index: usize,
    start: usize,
    end: usize,
    text: &'a str,
    label: &'a str,
    probabilities: Probabilities<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<&'a [FeatureWeight]>,
}

#[derive(Serialize)]
struct SummaryRecord<'a> {
    doc: &'a str,
    summary: &'a BTreeMap<String, usize>,
}

impl<'m, W: Write> Output<'m, W> {
    fn new(w: W, model: &'m Pipeline, format: ClassifyFormat, min_confidence: Option<f32>) -> Self {
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

    fn header(&mut self) -> Result<()> {
        match self.format {
            ClassifyFormat::Csv => {
                let mut cols = vec!["doc", "index", "start", "end", "text", "label"]
                    .into_iter()
                    .map(String::from)
                    .collect::<Vec<_>>();
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

    fn chunk(&mut self, doc: &str, chunk: &Chunk, sentences: Vec<Labeled>) -> Result<()> {
        let labels = self.model.labels();
        for (s, why) in sentences {
            let text = &chunk.text[s.start..s.end];
            let top = s.probabilities.iter().copied().fold(0f32, f32::max);
            let label: &str = match self.min_confidence {
                Some(p) if s.label != NO_TEXT_LABEL && top < p => UNCERTAIN_LABEL,
                _ => &s.label,
            };
            *self.counts.entry(label.to_string()).or_insert(0) += 1;
            let (start, end) = (chunk.base + s.start, chunk.base + s.end);
            match self.format {
                ClassifyFormat::Jsonl => {
                    let rec = SentenceRecord {
                        doc,
                        index: self.index,
                        start,
                        end,
                        text,
                        label,
                        probabilities: Probabilities {
                            labels,
                            p: &s.probabilities,
                        },
                        explanation: self.explain.map(|_| why.as_slice()),
                    };
                    serde_json::to_writer(&mut self.w, &rec)?;
                    self.w.write_all(b"\n")?;
                }
                ClassifyFormat::Csv => {
                    let mut row = vec![
                        doc.to_string(),
                        self.index.to_string(),
                        start.to_string(),
                        end.to_string(),
                        text.to_string(),
                        label.to_string(),
                    ];
                    if self.explain.is_some() {
                        let parts: Vec<String> = why
                            .iter()
                            .map(|f| format!("{} {:.3}", f.feature, f.weight))
                            .collect();
                        row.push(parts.join(" | "));
                    }
                    if s.probabilities.is_empty() {
                        row.extend(labels.iter().map(|_| String::new()));
                    } else {
                        row.extend(s.probabilities.iter().map(|p| format!("{p:.6}")));
                    }
                    self.csv_row(&row)?;
                }
                ClassifyFormat::Table => {
                    let shown: String = text.chars().take(90).collect();
                    let more = if shown.len() < text.len() { "…" } else { "" };
                    let shown = shown.replace(['\n', '\r', '\t'], " ");
                    writeln!(
                        self.w,
                        "{:<24} {:>4} {:<18} {:>6.3}  {shown}{more}",
                        clip(doc, 24),
                        self.index,
                        label,
                        top
                    )?;
                    if !why.is_empty() {
                        let parts: Vec<String> = why
                            .iter()
                            .map(|f| format!("{} {:.2}", f.feature, f.weight))
                            .collect();
                        writeln!(self.w, "{:>31} because: {}", "", parts.join(" | "))?;
                    }
                }
            }
            self.index += 1;
            self.sentences += 1;
        }
        if chunk.last {
            self.summary(doc)?;
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

    fn flush(&mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.flush()
    }
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
