//! Files: reading labeled CSVs and articles, loading models (or the library's
//! built-in one), writing models atomically.

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use tasnif::corpus::{self, Corpus, ReadOptions};
use tasnif::pipeline::Pipeline;

use super::decode::{decoding, encoding_named};
use super::hints::{hinted, hinted_with_groups};
use super::{DataArgs, STDOUT_WRITE};

/// Open a file for reading, with an error that says what the path is if not a file.
pub fn open(path: &Path) -> Result<fs::File> {
    let meta = fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if meta.is_dir() {
        bail!("{}: is a directory; give a file", path.display());
    }
    fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))
}

/// Read labeled sentences; skipped rows are reported on standard error.
pub fn read_corpus(args: &DataArgs, quiet: bool) -> Result<Corpus> {
    read_corpus_with_groups(args, None, quiet)
}

/// [`read_corpus`], with the article of each sentence from `group_col`, which must exist.
pub fn read_corpus_with_groups(
    args: &DataArgs,
    group_col: Option<&str>,
    quiet: bool,
) -> Result<Corpus> {
    read_corpus_with(args, group_col, None, quiet)
}

/// [`read_corpus_with_groups`], with the value of column `by_col` (which must exist)
/// for every sentence in `Corpus::by`.
pub fn read_corpus_with(
    args: &DataArgs,
    group_col: Option<&str>,
    by_col: Option<&str>,
    quiet: bool,
) -> Result<Corpus> {
    let file = open(&args.data)?;
    let mut opts = ReadOptions {
        text_col: args.text_col.clone(),
        label_col: args.label_col.clone(),
        skip_invalid: args.skip_invalid,
        delimiter: args.delimiter,
        by_col: by_col.map(str::to_string),
        ..Default::default()
    };
    if let Some(g) = group_col {
        opts.doc_col = g.to_string();
        opts.require_doc = true;
    }
    let encoding = args.encoding.as_deref().map(encoding_named).transpose()?;
    let reader = std::io::BufReader::new(decoding(file, encoding));
    let corpus = corpus::read_labeled(reader, &opts).map_err(|e| {
        let name = args.data.display();
        match other_delimiter(&e, args.delimiter) {
            Some(c) => anyhow::anyhow!(
                "{name}: {e}; the header looks separated by {c}: pass --delimiter {c}"
            ),
            None => hinted_with_groups(e, group_col).context(name.to_string()),
        }
    })?;
    if !corpus.skipped.is_empty() && !quiet {
        for e in &corpus.skipped {
            eprintln!("tasnif: warning: {}: skipped {e}", args.data.display());
        }
        eprintln!(
            "tasnif: warning: {}: skipped {} invalid row(s), kept {}",
            args.data.display(),
            corpus.skipped.len(),
            corpus.sentences.len()
        );
    }
    if corpus.sentences.is_empty() {
        bail!(
            "{}: no valid sentences left after skipping",
            args.data.display()
        );
    }
    Ok(corpus)
}

/// The separator a header seems to use instead of `delimiter`, when a wanted column
/// is missing because the whole header came out as one field.
fn other_delimiter(e: &tasnif::Error, delimiter: u8) -> Option<&'static str> {
    let tasnif::Error::Csv(tasnif::error::CsvError {
        kind: tasnif::error::CsvErrorKind::MissingColumn { available, .. },
        ..
    }) = e
    else {
        return None;
    };
    let [only] = &available[..] else {
        return None;
    };
    [(';', "';'"), ('\t', "tab"), ('|', "'|'"), (',', "','")]
        .into_iter()
        .find(|&(c, _)| c as u32 != delimiter as u32 && only.contains(c))
        .map(|(_, name)| name)
}

/// Load a model file, or the built-in model when `path` is `None`.
pub fn load_model(path: Option<&Path>) -> Result<Pipeline> {
    load_model_bytes(path).map(|(model, _)| model)
}

/// [`load_model`], with the bytes it was loaded from.
pub fn load_model_bytes(path: Option<&Path>) -> Result<(Pipeline, Vec<u8>)> {
    match path {
        None => {
            let model = tasnif::builtin::model()
                .map_err(hinted)
                .context("the built-in model")?;
            Ok((model, tasnif::builtin::MODEL_BYTES.to_vec()))
        }
        Some(p) => {
            let mut bytes = Vec::new();
            open(p)?
                .read_to_end(&mut bytes)
                .with_context(|| format!("{}: cannot read", p.display()))?;
            if bytes.is_empty() {
                bail!(
                    "{}: the model file is empty; train one with `tasnif train`",
                    p.display()
                );
            }
            let model = Pipeline::from_bytes(&bytes)
                .map_err(hinted)
                .with_context(|| format!("{}", p.display()))?;
            Ok((model, bytes))
        }
    }
}

/// A temporary file in the folder of `path`, to be put in its place by [`persist`];
/// fails at once when `path` is a folder or its folder cannot be written.
pub fn temp_file_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    if path.is_dir() {
        bail!("{}: is a directory; give a file name", path.display());
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("{}: cannot write", path.display()))
}

/// Put a written temporary file in the place of `path`, durably.
pub fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    tmp.as_file()
        .sync_all()
        .and_then(|_| tmp.persist(path).map(|_| ()).map_err(|e| e.error))
        .with_context(|| format!("{}: cannot write", path.display()))
}

/// Fail now, before any work, if a file cannot be written at `path`.
pub fn check_writable(path: &Path) -> Result<()> {
    temp_file_beside(path).map(drop)
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename,
/// so that an interrupted write never leaves a half-written file at `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = temp_file_beside(path)?;
    tmp.write_all(bytes)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    persist(tmp, path)
}

/// Where records go: standard output, or a file that appears whole when the run
/// ends (written to a temporary file in its folder, then renamed).
pub enum Destination<'p> {
    Stdout,
    File {
        path: &'p Path,
        tmp: tempfile::NamedTempFile,
    },
}

impl<'p> Destination<'p> {
    /// Open the destination; a file's folder must be writable before any work.
    pub fn new(path: Option<&'p Path>) -> Result<Self> {
        Ok(match path {
            None => Destination::Stdout,
            Some(path) => Destination::File {
                path,
                tmp: temp_file_beside(path)?,
            },
        })
    }

    pub fn writer(&self) -> Result<Box<dyn Write + Send>> {
        Ok(match self {
            // Not locked: the records may be written from another thread.
            Destination::Stdout => Box::new(BufWriter::with_capacity(1 << 16, io::stdout())),
            Destination::File { path, tmp } => {
                let file = tmp
                    .reopen()
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                Box::new(BufWriter::with_capacity(1 << 16, file))
            }
        })
    }

    /// The context of a failed write.
    pub fn write_error(&self) -> String {
        match self {
            Destination::Stdout => STDOUT_WRITE.to_string(),
            Destination::File { path, .. } => format!("{}: cannot write", path.display()),
        }
    }

    /// Put a finished file in place (records were flushed by the run).
    pub fn finish(self) -> Result<()> {
        match self {
            Destination::File { path, tmp } => persist(tmp, path),
            Destination::Stdout => Ok(()),
        }
    }
}
