//! `tasnif classify`: streams articles through the model on every core, writing one
//! record a sentence and one summary an article, in input order.
//!
//! Input is cut into chunks at line breaks or sentence starts ([`chunker`]), chunks
//! are labeled in parallel batches, and a writer thread writes each batch while the
//! next is read and labeled (one batch waits between them at most): memory stays
//! flat however large the input, and output starts before the input ends. An article that cannot be read (a missing file, a malformed JSON
//! line, a file in an unnamed encoding) yields one error record at its place and the
//! run goes on; the exit status says whether any article failed.

mod chunker;
mod jsonl;
mod output;

use std::io::{self, BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use tasnif::pipeline::{Pipeline, PredictScratch, SentenceLabel};

use self::chunker::{Chunker, Cut, CHUNK_BYTES};
use self::output::Output;
use super::decode::{decoding, encoding_named};
use super::files::{load_model, open, Destination};
use super::{ClassifyArgs, ClassifyFormat, InputArgs, InputFormat};

/// A batch is labeled in parallel once it holds this many bytes or pieces.
const BATCH_BYTES: usize = 1024 * 1024;
const BATCH_PIECES: usize = 1024;
/// The longest line `--input jsonl` or `lines` reads; a longer one is an error record.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// A piece of one article, or the failure that stands for an article.
enum Piece {
    Text {
        doc: Arc<str>,
        text: String,
        /// Offset of `text` in the article.
        base: usize,
        /// The last piece of its article: write the summary after it.
        last: bool,
        /// The text ends at a length-limit cut inside a sentence (its last sentence
        /// record says so).
        ends_mid_sentence: bool,
    },
    Failed {
        doc: Arc<str>,
        /// What went wrong, naming the file and the line.
        message: String,
    },
}

impl Piece {
    fn text(doc: Arc<str>, cut: Cut, last: bool) -> Piece {
        Piece::Text {
            doc,
            text: cut.text,
            base: cut.base,
            last,
            ends_mid_sentence: cut.ends_mid_sentence,
        }
    }
}

pub fn run(a: ClassifyArgs) -> Result<()> {
    let model = load_model(a.model.as_deref())?;
    if let Some(p) = a.min_confidence {
        if !(0.0..=1.0).contains(&p) {
            bail!("--min-confidence {p}: must be between 0 and 1");
        }
    }
    let format = a
        .format
        .unwrap_or(if a.out.is_none() && io::stdout().is_terminal() {
            ClassifyFormat::Table
        } else {
            ClassifyFormat::Jsonl
        });
    let dest = Destination::new(a.out.as_deref())?;
    let out = Output::new(dest.writer()?, &model, format, a.min_confidence, a.explain);
    let settings = Settings {
        inputs: &a.inputs,
        jobs: a.jobs,
        fail_fast: a.fail_fast,
        progress: !a.quiet,
        explain_top: if a.explain { a.explain_top } else { 0 },
        write_error: dest.write_error(),
        verb: "classifying",
    };
    let (result, streamed) = stream(&model, out, &settings);
    if result.is_ok() || streamed.stopped {
        dest.finish()?;
    }
    result?;
    streamed.check_failures("classified")
}

/// How [`stream`] reads and labels its input.
pub struct Settings<'a> {
    /// The files and how to read them.
    pub inputs: &'a InputArgs,
    /// Threads (`None` or 0: all cores).
    pub jobs: Option<u16>,
    /// Stop at the first article that cannot be read.
    pub fail_fast: bool,
    /// Show progress and a closing summary when standard error is a terminal.
    pub progress: bool,
    /// How many n-grams to explain each sentence with (0: none).
    pub explain_top: usize,
    /// What a failed write of the sink says it failed to write.
    pub write_error: String,
    /// What the progress display says is going on, e.g. "classifying".
    pub verb: &'static str,
}

/// What labeled articles go to: `classify`'s records, or `suggest`'s selection.
/// Each call gets the pieces in input order.
pub trait Sink {
    /// Before the first article.
    fn header(&mut self) -> Result<()>;
    /// The labeled sentences of one chunk of article `doc` whose text starts at byte
    /// `base` of it; `last` when the article ends with it.
    fn chunk(
        &mut self,
        doc: &str,
        text: &str,
        base: usize,
        last: bool,
        sentences: Vec<SentenceLabel>,
    ) -> Result<()>;
    /// Article `doc` could not be read, for the reason in `message`.
    fn error(&mut self, doc: &str, message: &str) -> Result<()>;
    /// After each batch.
    fn flush(&mut self) -> Result<()>;
}

impl Sink for Output<'_> {
    fn header(&mut self) -> Result<()> {
        Output::header(self)
    }
    fn chunk(
        &mut self,
        doc: &str,
        text: &str,
        base: usize,
        last: bool,
        sentences: Vec<SentenceLabel>,
    ) -> Result<()> {
        Output::chunk(self, doc, text, base, last, sentences)
    }
    fn error(&mut self, doc: &str, message: &str) -> Result<()> {
        Output::error(self, doc, message)
    }
    fn flush(&mut self) -> Result<()> {
        Output::flush(self)
    }
}

/// A finished [`stream`]: the sink, and what was read.
pub struct Streamed<S> {
    /// The sink, with all it was given.
    pub sink: S,
    /// The run stopped at a failed article under `--fail-fast`.
    pub stopped: bool,
    /// Articles finished (labeled or failed), and how many of them failed.
    pub articles: usize,
    pub failed: usize,
}

impl<S> Streamed<S> {
    /// The exit error when some article failed; `done` says what the others were.
    pub fn check_failures(&self, done: &str) -> Result<()> {
        if self.failed > 0 {
            bail!(
                "{} of {} article(s) could not be {done}; each has an error record in the output",
                self.failed,
                self.articles
            );
        }
        Ok(())
    }
}

/// Read every input of `settings`, label it on every core in batches and hand each
/// batch to `sink` in input order; memory stays flat however large the input.
/// The result says whether the run went through; the sink comes back either way.
pub fn stream<S: Sink + Send>(
    model: &Pipeline,
    mut sink: S,
    settings: &Settings<'_>,
) -> (Result<()>, Streamed<S>) {
    let started = std::time::Instant::now();
    // Labeled batches go to the sink on a thread of their own, so that writing one
    // overlaps reading and labeling the next; one waits in the channel at most.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    let (result, run) = std::thread::scope(|scope| {
        let sink = &mut sink;
        let writer = scope.spawn(move || write_batches(sink, rx, settings));
        let mut run = match Run::new(model, tx, settings) {
            Ok(run) => run,
            Err(e) => return (Err(e), None),
        };
        let read = run.classify_all(settings.inputs);
        run.tx = None;
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the thread writing the output stopped")));
        // A failed write is why reading stopped, if it did.
        (written.and(read), Some(run))
    });
    let Some(mut run) = run else {
        let streamed = Streamed {
            sink,
            stopped: false,
            articles: 0,
            failed: 0,
        };
        return (result, streamed);
    };
    if let Some(bar) = run.progress.take() {
        bar.finish_and_clear();
        if result.is_ok() {
            eprintln!(
                "tasnif: {} sentences in {} article(s), {:.1} MB, in {:.2} s",
                run.sentences,
                run.articles,
                run.done_bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
        }
    }
    let streamed = Streamed {
        sink,
        stopped: run.stopped,
        articles: run.articles,
        failed: run.failed,
    };
    (result, streamed)
}

/// A labeled batch on its way to the sink: the pieces, and the sentences of each.
struct Batch {
    pieces: Vec<Piece>,
    labeled: Vec<Vec<SentenceLabel>>,
}

/// The header, then every batch in the order sent, each flushed; stops at the first
/// failed write (dropping the channel, which stops the reading).
fn write_batches<S: Sink>(
    sink: &mut S,
    batches: std::sync::mpsc::Receiver<Batch>,
    settings: &Settings<'_>,
) -> Result<()> {
    let write_error = || settings.write_error.clone();
    sink.header().with_context(write_error)?;
    for batch in batches {
        for (piece, sentences) in batch.pieces.iter().zip(batch.labeled) {
            match piece {
                Piece::Text {
                    doc,
                    text,
                    base,
                    last,
                    ..
                } => sink.chunk(doc, text, *base, *last, sentences),
                Piece::Failed { doc, message } => {
                    if !settings.fail_fast {
                        eprintln!("tasnif: error: {message}");
                    }
                    sink.error(doc, message)
                }
            }
            .with_context(write_error)?;
        }
        sink.flush().with_context(write_error)?;
    }
    Ok(())
}

/// The progress display: a bar with percent and time left when the input's size is
/// known (every input a file), a spinner otherwise; bytes in MB, as the closing line.
fn progress_bar(verb: &'static str, total: Option<u64>) -> indicatif::ProgressBar {
    let (bar, template) = match total {
        Some(total) => (
            indicatif::ProgressBar::new(total),
            "{msg} [{bar:30}] {percent}% of {decimal_total_bytes}, {decimal_bytes_per_sec}, {eta} left",
        ),
        None => (
            indicatif::ProgressBar::new_spinner(),
            "{spinner} {msg} {decimal_bytes} labeled, {decimal_bytes_per_sec}",
        ),
    };
    bar.set_style(indicatif::ProgressStyle::with_template(template).expect("a valid template"));
    bar.set_message(verb);
    bar
}

/// The bytes of the inputs when all of them are files whose size is known.
fn input_size(a: &InputArgs) -> Option<u64> {
    if a.files.is_empty() {
        return None;
    }
    a.files
        .iter()
        .map(|p| {
            let m = std::fs::metadata(p).ok()?;
            m.is_file().then_some(m.len())
        })
        .sum()
}

/// One run: the batch being filled and where it goes.
struct Run<'m> {
    pool: rayon::ThreadPool,
    model: &'m Pipeline,
    /// Where labeled batches go (to [`write_batches`]); `None` once reading ended.
    tx: Option<std::sync::mpsc::SyncSender<Batch>>,
    /// The input encoding named, if any.
    encoding: Option<&'static encoding_rs::Encoding>,
    /// Sentences labeled so far.
    sentences: usize,
    /// With `--explain`: how many n-grams to show per sentence (0: none).
    explain_top: usize,
    fail_fast: bool,
    /// The run stopped at a failed article under `--fail-fast`.
    stopped: bool,
    pieces: Vec<Piece>,
    bytes: usize,
    /// Articles finished (labeled or failed), and how many of them failed.
    articles: usize,
    failed: usize,
    /// Bytes labeled so far, and the progress display on a terminal.
    done_bytes: u64,
    progress: Option<indicatif::ProgressBar>,
    /// The buffer plain text is read through, kept between articles.
    read_buf: Vec<u8>,
}

impl<'m> Run<'m> {
    /// A run for `settings` that sends its batches to `tx`, or why it cannot start.
    fn new(
        model: &'m Pipeline,
        tx: std::sync::mpsc::SyncSender<Batch>,
        settings: &Settings<'_>,
    ) -> Result<Self> {
        let encoding = settings
            .inputs
            .encoding
            .as_deref()
            .map(encoding_named)
            .transpose()?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(settings.jobs.map_or(0, usize::from))
            .build()
            .context("cannot start threads")?;
        Ok(Run {
            pool,
            model,
            tx: Some(tx),
            encoding,
            sentences: 0,
            explain_top: settings.explain_top,
            fail_fast: settings.fail_fast,
            stopped: false,
            pieces: Vec::new(),
            bytes: 0,
            articles: 0,
            failed: 0,
            done_bytes: 0,
            progress: (settings.progress && io::stderr().is_terminal())
                .then(|| progress_bar(settings.verb, input_size(settings.inputs))),
            read_buf: Vec::new(),
        })
    }

    /// The header, every input in order, and the last batch.
    fn classify_all(&mut self, a: &InputArgs) -> Result<()> {
        let stdin = [PathBuf::from("-")];
        let inputs = if a.files.is_empty() {
            &stdin[..]
        } else {
            &a.files[..]
        };
        for path in inputs {
            self.read_input(path, a)?;
        }
        self.flush()
    }

    /// Read one input (a file, or standard input for "-").
    fn read_input(&mut self, path: &Path, a: &InputArgs) -> Result<()> {
        let (name, reader): (String, Box<dyn Read>) = if path.as_os_str() == "-" {
            if io::stdin().is_terminal() {
                eprintln!("tasnif: reading from standard input; end with Ctrl-D (or give a file)");
            }
            ("-".to_string(), Box::new(io::stdin().lock()))
        } else {
            let name = path.display().to_string();
            match open(path) {
                Ok(f) => (name, Box::new(f)),
                Err(e) => return self.fail(name.into(), format!("{e:#}")),
            }
        };
        let reader = decoding(reader, self.encoding);
        match a.input {
            InputFormat::Text => self.read_text(name.as_str().into(), &name, reader),
            InputFormat::Lines => self.read_lines(&name, BufReader::with_capacity(1 << 16, reader)),
            InputFormat::Jsonl => self.read_jsonl(
                &name,
                BufReader::with_capacity(1 << 16, reader),
                &a.text_field,
                a.id_field.as_deref(),
            ),
        }
    }

    /// One article of plain text (a file, or a line with `--input lines`); `name`
    /// says where it is in messages.
    fn read_text(&mut self, doc: Arc<str>, name: &str, mut reader: impl Read) -> Result<()> {
        let mut chunker = Chunker::default();
        let mut buf = std::mem::take(&mut self.read_buf);
        buf.resize(CHUNK_BYTES, 0);
        let result = self.read_text_with(doc, name, &mut reader, &mut chunker, &mut buf);
        self.read_buf = buf;
        result
    }

    fn read_text_with(
        &mut self,
        doc: Arc<str>,
        name: &str,
        reader: &mut impl Read,
        chunker: &mut Chunker,
        buf: &mut [u8],
    ) -> Result<()> {
        let (mut checked, mut at_end) = (false, false);
        while !at_end {
            let n = match reader.read(buf) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return self.fail(doc, format!("{name}: cannot read: {e}")),
            };
            at_end = n == 0;
            chunker.push(&buf[..n]);
            if !checked && (at_end || chunker.seen >= CHUNK_BYTES as u64) {
                checked = true;
                if let Some(message) = not_text(name, chunker) {
                    return self.fail(doc, message);
                }
            }
            if checked {
                self.drain(&doc, chunker)?;
            }
        }
        let (cut, chunker) = std::mem::take(chunker).finish();
        if chunker.mostly_invalid() {
            // Text at first, another encoding later: keep what was read, then say so.
            self.push(Piece::text(doc.clone(), cut, false))?;
            return self.fail(doc, not_utf8_message(name, &chunker));
        }
        if let Some(at) = chunker.first_invalid {
            eprintln!(
                "tasnif: warning: {name}: {} byte(s) of invalid UTF-8, the first at byte {at} of the input (after any byte-order mark), replaced by U+FFFD (offsets refer to the repaired text); if the file is in another encoding, name it with --encoding",
                chunker.invalid
            );
        }
        self.push(Piece::text(doc, cut, true))
    }

    /// One article a line of plain text.
    fn read_lines(&mut self, name: &str, mut reader: impl BufRead) -> Result<()> {
        let mut line = Vec::new();
        let mut line_no = 0u64;
        loop {
            line_no += 1;
            let doc: Arc<str> = format!("{name}:{line_no}").into();
            let at = format!("{name}: line {line_no}");
            match read_line_bounded(&mut reader, &mut line, MAX_LINE) {
                Ok(Line::End) => return Ok(()),
                Ok(Line::Complete) => {}
                Ok(Line::TooLong(len)) => {
                    self.fail(doc, too_long(&at, len))?;
                    continue;
                }
                Err(e) => return self.fail(doc, format!("{at}: cannot read: {e}")),
            }
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            self.read_text(doc, &at, &line[..])?;
        }
    }

    /// Push every chunk that `chunker` has ready.
    fn drain(&mut self, doc: &Arc<str>, chunker: &mut Chunker) -> Result<()> {
        while let Some(cut) = chunker.next_chunk() {
            self.push(Piece::text(doc.clone(), cut, false))?;
        }
        Ok(())
    }

    /// One article a line of JSON.
    fn read_jsonl(
        &mut self,
        name: &str,
        mut reader: impl BufRead,
        text_field: &str,
        id_field: Option<&str>,
    ) -> Result<()> {
        let mut buf = Vec::new();
        let mut line_no = 0u64;
        loop {
            line_no += 1;
            let at = format!("{name}: line {line_no}");
            match read_line_bounded(&mut reader, &mut buf, MAX_LINE) {
                Ok(Line::End) => return Ok(()),
                Ok(Line::Complete) => {}
                Ok(Line::TooLong(len)) => {
                    self.fail(format!("{name}:{line_no}").into(), too_long(&at, len))?;
                    continue;
                }
                Err(e) => {
                    return self.fail(
                        format!("{name}:{line_no}").into(),
                        format!("{at}: cannot read: {e}"),
                    )
                }
            }
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            match jsonl::parse_line(&buf, text_field, id_field) {
                Ok(art) => {
                    let doc = art.id.unwrap_or_else(|| format!("{name}:{line_no}"));
                    self.push_article(doc.into(), art.text)?;
                }
                Err(bad) => {
                    let doc = bad.id.unwrap_or_else(|| format!("{name}:{line_no}"));
                    self.fail(doc.into(), format!("{at}: {}", bad.message))?;
                }
            }
        }
    }

    /// A whole article's text, cut into chunks if it is long.
    fn push_article(&mut self, doc: Arc<str>, text: String) -> Result<()> {
        let mut chunker = Chunker::default();
        if text.len() <= CHUNK_BYTES {
            chunker.push_text(text);
        } else {
            for slice in text.as_bytes().chunks(CHUNK_BYTES) {
                chunker.push(slice);
                self.drain(&doc, &mut chunker)?;
            }
        }
        let (cut, _) = chunker.finish();
        self.push(Piece::text(doc, cut, true))
    }

    /// An article that could not be read: its error record goes where its records
    /// would have gone. With `--fail-fast` the run stops here, after writing
    /// everything before it and the error record.
    fn fail(&mut self, doc: Arc<str>, message: String) -> Result<()> {
        self.push(Piece::Failed { doc, message })
    }

    fn push(&mut self, piece: Piece) -> Result<()> {
        let stop = match &piece {
            Piece::Text { text, last, .. } => {
                self.bytes += text.len();
                self.articles += usize::from(*last);
                None
            }
            Piece::Failed { message, .. } => {
                self.articles += 1;
                self.failed += 1;
                self.fail_fast.then(|| message.clone())
            }
        };
        self.pieces.push(piece);
        if let Some(message) = stop {
            self.flush()?;
            self.stopped = true;
            return Err(anyhow!(message));
        }
        if self.bytes >= BATCH_BYTES || self.pieces.len() >= BATCH_PIECES {
            self.flush()?;
        }
        Ok(())
    }

    /// Label every piece in parallel and send the batch to be written.
    fn flush(&mut self) -> Result<()> {
        let labeled = label_all(&self.pool, self.model, &self.pieces, self.explain_top);
        self.sentences += labeled.iter().map(Vec::len).sum::<usize>();
        let batch = Batch {
            pieces: std::mem::take(&mut self.pieces),
            labeled,
        };
        let sent = self.tx.as_ref().map(|tx| tx.send(batch));
        if !matches!(sent, Some(Ok(()))) {
            // The writer stopped at a failed write; its error is the run's.
            bail!("the output stopped");
        }
        self.done_bytes += self.bytes as u64;
        if let Some(bar) = &self.progress {
            bar.set_position(self.done_bytes);
        }
        self.bytes = 0;
        Ok(())
    }
}

/// Label the sentences of every text piece on the pool's threads; failures get none.
fn label_all(
    pool: &rayon::ThreadPool,
    model: &Pipeline,
    pieces: &[Piece],
    explain: usize,
) -> Vec<Vec<SentenceLabel>> {
    pool.install(|| {
        pieces
            .par_iter()
            .map_init(PredictScratch::default, |scratch, piece| {
                let Piece::Text {
                    text,
                    ends_mid_sentence,
                    ..
                } = piece
                else {
                    return Vec::new();
                };
                let mut v = Vec::new();
                model.classify_article_with(text, scratch, explain, |s| v.push(s));
                if let Some(last) = v.last_mut().filter(|_| *ends_mid_sentence) {
                    last.cut_at_limit = true;
                }
                v
            })
            .collect()
    })
}

/// The error for a file whose first chunk is not text in UTF-8, if it is not.
fn not_text(name: &str, chunker: &Chunker) -> Option<String> {
    if chunker.nul > 0 {
        return Some(format!(
            "{name}: not text: {} NUL byte(s) in the first {} bytes; if it is UTF-16 without a byte-order mark, name it with --encoding utf-16le or utf-16be",
            chunker.nul, chunker.seen
        ));
    }
    chunker
        .mostly_invalid()
        .then(|| not_utf8_message(name, chunker))
}

fn not_utf8_message(name: &str, chunker: &Chunker) -> String {
    format!(
        "{name}: not UTF-8: {} of {} non-ASCII bytes are invalid; name the file's encoding with --encoding (windows-1256 is common for Arabic files from Windows tools)",
        chunker.invalid, chunker.non_ascii
    )
}

fn too_long(at: &str, len: u64) -> String {
    format!(
        "{at}: the line has {len} bytes, more than the {:.1} MB a line may have; split the article",
        MAX_LINE as f64 / 1e6
    )
}

/// What [`read_line_bounded`] found.
enum Line {
    End,
    Complete,
    /// The line was longer than the bound (its length); it was read past, not kept.
    TooLong(u64),
}

/// Read the next line (with its line break) into `buf`, keeping at most `max` bytes
/// besides the line break.
fn read_line_bounded<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let (mut total, mut over) = (0u64, false);
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(match (total, over) {
                (0, _) => Line::End,
                (_, true) => Line::TooLong(total),
                _ => Line::Complete,
            });
        }
        let (piece, done) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (&avail[..=i], true),
            None => (avail, false),
        };
        let content = piece.len() - usize::from(done);
        total += content as u64;
        if !over && buf.len() + content <= max {
            buf.extend_from_slice(piece);
        } else {
            over = true;
            buf.clear();
        }
        let n = piece.len();
        r.consume(n);
        if done {
            return Ok(if over {
                Line::TooLong(total)
            } else {
                Line::Complete
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_bound_leaves_out_the_line_break() {
        let input = b"abcd\nabcde\nabc";
        let mut r = io::BufReader::with_capacity(2, &input[..]);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        loop {
            match read_line_bounded(&mut r, &mut buf, 4).unwrap() {
                Line::End => break,
                Line::Complete => got.push(String::from_utf8(buf.clone()).unwrap()),
                Line::TooLong(n) => got.push(format!("too long: {n}")),
            }
        }
        assert_eq!(got, ["abcd\n", "too long: 5", "abc"]);
    }
}
