//! Labeled sentences from CSV.
//!
//! [`read_labeled`] reads a CSV with a header line (UTF-8, with or without BOM, CRLF or
//! LF) and returns one [`LabeledSentence`] a record, each with the line it came from.
//! Every problem is a [`CsvError`] naming the line; with
//! [`ReadOptions::skip_invalid`], records with an empty text or label are reported in
//! [`Corpus::skipped`] instead of failing the read.

use std::io::Read;

use crate::error::{CsvError, CsvErrorKind, Error, Result};

/// One sentence with its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabeledSentence {
    /// The article (group) the sentence belongs to, when the file has such a column.
    pub doc: Option<String>,
    /// The sentence as written.
    pub text: String,
    /// Its label.
    pub label: String,
    /// Line of the file the record starts on (0 when not read from a file).
    pub line: u64,
}

impl LabeledSentence {
    /// A sentence with no article and no line.
    pub fn new(text: impl Into<String>, label: impl Into<String>) -> Self {
        LabeledSentence {
            doc: None,
            text: text.into(),
            label: label.into(),
            line: 0,
        }
    }
}

/// Which columns to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Column with the sentence text.
    pub text_col: String,
    /// Column with the label.
    pub label_col: String,
    /// Column that groups sentences into articles; read when present.
    pub doc_col: String,
    /// Skip records whose text or label is empty (reported in [`Corpus::skipped`]).
    pub skip_invalid: bool,
    /// Fail when the header has no `doc_col` column.
    pub require_doc: bool,
    /// The byte that separates fields (`,` by default; `;` and tab are common too).
    pub delimiter: u8,
    /// One more column to read for every sentence, into [`Corpus::by`] (for figures
    /// per value of that column); it must exist when given.
    pub by_col: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            text_col: "text".into(),
            label_col: "label".into(),
            doc_col: "doc".into(),
            skip_invalid: false,
            require_doc: false,
            delimiter: b',',
            by_col: None,
        }
    }
}

/// The sentences of a file and the records skipped.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Sentences in file order.
    pub sentences: Vec<LabeledSentence>,
    /// Records skipped under [`ReadOptions::skip_invalid`], with the reason.
    pub skipped: Vec<CsvError>,
    /// The [`ReadOptions::by_col`] value of each sentence, in the order of
    /// `sentences` (empty when no such column was asked for).
    pub by: Vec<String>,
}

fn err(line: u64, kind: CsvErrorKind) -> Error {
    Error::Csv(CsvError { line, kind })
}

/// Where a record starts: csv reports a record that follows CRLF at the LF.
fn record_start(data: &[u8], rec: &csv::ByteRecord) -> u64 {
    let pos = rec.position().map_or(0, |p| p.byte()) as usize;
    if data.get(pos) == Some(&b'\n') {
        (pos + 1) as u64
    } else {
        pos as u64
    }
}

fn field_str<'r>(data: &[u8], rec: &'r csv::ByteRecord, i: usize, line: u64) -> Result<&'r str> {
    let bytes = rec.get(i).unwrap_or_default();
    std::str::from_utf8(bytes).map_err(|e| {
        let pos = record_start(data, rec);
        let before: usize = (0..i).map(|j| rec.get(j).map_or(0, |f| f.len() + 1)).sum();
        err(
            line,
            CsvErrorKind::InvalidUtf8 {
                byte: pos + (before + e.valid_up_to()) as u64,
            },
        )
    })
}

struct LineCounter<'a> {
    data: &'a [u8],
    byte: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// Line number (1-based) of byte offset `at`; offsets must not decrease.
    fn line_at(&mut self, at: u64) -> u64 {
        // csv reports the start of a record after CRLF at the LF: count it too. A line
        // ends with LF, or with a CR not followed by LF (as csv counts them).
        let at = (at as usize + 1).min(self.data.len());
        if at > self.byte {
            let d = self.data;
            self.line += (self.byte..at)
                .filter(|&k| d[k] == b'\n' || (d[k] == b'\r' && d.get(k + 1) != Some(&b'\n')))
                .count() as u64;
            self.byte = at;
        }
        self.line
    }
}

/// csv's message for an error, as a sentence of ours: its Display less the position
/// ("CSV error: record 2 (line: 3, byte: 30): ") that the line number replaces.
fn csv_message(e: &csv::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once("): ") {
        Some((_, rest)) => rest.to_string(),
        None => text,
    }
}

/// Our error for an error of the csv crate at a byte of `data`.
fn csv_error(data: &[u8], e: csv::Error) -> Error {
    let byte = e.position().map_or(0, |p| p.byte());
    let line = LineCounter {
        data,
        byte: 0,
        line: 1,
    }
    .line_at(byte);
    let kind = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => CsvErrorKind::FieldCount {
            expected: *expected_len as usize,
            found: *len as usize,
        },
        csv::ErrorKind::Utf8 { err: utf8, .. } => CsvErrorKind::Syntax(format!(
            "invalid UTF-8 in field {} after {} valid bytes",
            utf8.field() + 1,
            utf8.valid_up_to()
        )),
        csv::ErrorKind::Io(_) => match e.into_kind() {
            csv::ErrorKind::Io(io) => return Error::Io(io),
            _ => unreachable!("the kind was just matched as Io"),
        },
        // The rest (seeking, serde) cannot come from reading byte records; say
        // what csv says, without its position, which the line number replaces.
        _ => CsvErrorKind::Syntax(csv_message(&e)),
    };
    err(line, kind)
}

/// The header's column names (trimmed, without a BOM), checked: not all empty, none
/// twice.
fn read_header(data: &[u8], rec: &csv::ByteRecord) -> Result<Vec<String>> {
    let mut header: Vec<String> = Vec::with_capacity(rec.len());
    for i in 0..rec.len() {
        let mut h = field_str(data, rec, i, 1)?;
        if i == 0 {
            h = h.strip_prefix('\u{FEFF}').unwrap_or(h);
        }
        header.push(h.trim().to_string());
    }
    if header.iter().all(|h| h.is_empty()) {
        return Err(err(1, CsvErrorKind::Empty));
    }
    for (i, h) in header.iter().enumerate() {
        if header[..i].contains(h) {
            return Err(err(1, CsvErrorKind::DuplicateColumn(h.clone())));
        }
    }
    Ok(header)
}

/// Where the wanted columns are in the header.
struct Columns {
    /// How many fields every record has.
    count: usize,
    text: usize,
    label: usize,
    doc: Option<usize>,
    by: Option<usize>,
}

impl Columns {
    fn find(header: &[String], options: &ReadOptions) -> Result<Columns> {
        let find = |name: &str| header.iter().position(|h| h == name);
        let missing = |name: &str| {
            err(
                1,
                CsvErrorKind::MissingColumn {
                    wanted: name.to_string(),
                    available: header.to_vec(),
                },
            )
        };
        let required = |name: &str| find(name).ok_or_else(|| missing(name));
        let columns = Columns {
            count: header.len(),
            text: required(&options.text_col)?,
            label: required(&options.label_col)?,
            doc: find(&options.doc_col),
            by: options.by_col.as_deref().map(required).transpose()?,
        };
        if options.require_doc && columns.doc.is_none() {
            return Err(missing(&options.doc_col));
        }
        Ok(columns)
    }
}

/// One record as a sentence (with its `by` value), or the empty field it lacks.
type Record = std::result::Result<(LabeledSentence, Option<String>), CsvError>;

/// Read one record that starts on `line`.
fn read_record(
    data: &[u8],
    rec: &csv::ByteRecord,
    line: u64,
    columns: &Columns,
    options: &ReadOptions,
) -> Result<Record> {
    if rec.len() != columns.count {
        return Err(err(
            line,
            CsvErrorKind::FieldCount {
                expected: columns.count,
                found: rec.len(),
            },
        ));
    }
    let field = |i: usize| Ok::<_, Error>(field_str(data, rec, i, line)?.trim());
    let text = field(columns.text)?;
    let label = field(columns.label)?;
    let doc = columns.doc.map(field).transpose()?.map(str::to_string);
    for (value, col) in [(text, &options.text_col), (label, &options.label_col)] {
        if value.is_empty() {
            let kind = CsvErrorKind::EmptyField(col.clone());
            return Ok(Err(CsvError { line, kind }));
        }
    }
    let by = columns.by.map(field).transpose()?.map(str::to_string);
    let sentence = LabeledSentence {
        doc,
        text: text.to_string(),
        label: label.to_string(),
        line,
    };
    Ok(Ok((sentence, by)))
}

/// Read labeled sentences from CSV.
///
/// # Errors
///
/// [`Error::Io`] if reading fails; otherwise [`Error::Csv`], with the line and a
/// [`CsvErrorKind`]: no header (`Empty`), a wanted column missing (`MissingColumn`,
/// with the header's columns) or named twice (`DuplicateColumn`), a record with
/// another number of fields than the header (`FieldCount`), an empty text or label
/// (`EmptyField`, unless [`ReadOptions::skip_invalid`] skips the row), bytes that are
/// not UTF-8 (`InvalidUtf8`), no records (`NoRecords`).
pub fn read_labeled<R: Read>(mut reader: R, options: &ReadOptions) -> Result<Corpus> {
    let mut data = Vec::new();
    reader.read_to_end(&mut data)?;
    let data = &data[..];
    // The csv crate miscounts lines after CRLF, so lines are counted here from byte
    // offsets, which it reports correctly.
    let mut lines = LineCounter {
        data,
        byte: 0,
        line: 1,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(options.delimiter)
        .from_reader(data);
    let mut rec = csv::ByteRecord::new();
    let mut next =
        |rec: &mut csv::ByteRecord| rdr.read_byte_record(rec).map_err(|e| csv_error(data, e));
    if !next(&mut rec)? {
        return Err(err(0, CsvErrorKind::Empty));
    }
    let columns = Columns::find(&read_header(data, &rec)?, options)?;
    let mut corpus = Corpus::default();
    while next(&mut rec)? {
        let line = lines.line_at(rec.position().map_or(0, |p| p.byte()));
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        match read_record(data, &rec, line, &columns, options)? {
            Ok((sentence, by)) => {
                corpus.sentences.push(sentence);
                corpus.by.extend(by);
            }
            Err(empty) if options.skip_invalid => corpus.skipped.push(empty),
            Err(empty) => return Err(Error::Csv(empty)),
        }
    }
    if corpus.sentences.is_empty() && corpus.skipped.is_empty() {
        return Err(err(1, CsvErrorKind::NoRecords));
    }
    Ok(corpus)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &[u8]) -> Result<Corpus> {
        read_labeled(s, &ReadOptions::default())
    }

    fn kind(r: Result<Corpus>) -> (u64, CsvErrorKind) {
        match r {
            Err(Error::Csv(e)) => (e.line, e.kind),
            other => panic!("expected a CSV error, got {other:?}"),
        }
    }

    #[test]
    fn reads_bom_crlf_and_quotes() {
        let c = read(
            "\u{FEFF}doc,text,label\r\nd1,\"قال، \"\"نعم\"\"\",other\r\nd1,انشق جندي,defection\r\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(c.sentences.len(), 2);
        assert_eq!(c.sentences[0].text, "قال، \"نعم\"");
        assert_eq!(c.sentences[0].doc.as_deref(), Some("d1"));
        assert_eq!(c.sentences[1].label, "defection");
        assert_eq!(c.sentences[1].line, 3);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(kind(read(b"")).1, CsvErrorKind::Empty);
        let (line, k) = kind(read(b"doc,sentence,label\nd,x,y\n"));
        assert_eq!(line, 1);
        assert!(
            matches!(k, CsvErrorKind::MissingColumn { ref wanted, ref available } if wanted == "text" && available.len() == 3)
        );
        assert_eq!(
            kind(read(b"text,text,label\n")).1,
            CsvErrorKind::DuplicateColumn("text".into())
        );
        assert_eq!(
            kind(read(b"text,label\na,b\nc\n")),
            (
                3,
                CsvErrorKind::FieldCount {
                    expected: 2,
                    found: 1
                }
            )
        );
        assert_eq!(
            kind(read(b"text,label\na,b\n,c\n")),
            (3, CsvErrorKind::EmptyField("text".into()))
        );
        assert_eq!(
            kind(read(b"text,label\na, \n")),
            (2, CsvErrorKind::EmptyField("label".into()))
        );
        assert_eq!(kind(read(b"text,label\n")).1, CsvErrorKind::NoRecords);
        let (line, k) = kind(read(b"text,label\nok,x\nab\xffcd,x\n"));
        assert_eq!(line, 3);
        assert_eq!(k, CsvErrorKind::InvalidUtf8 { byte: 18 });
    }

    #[test]
    fn lines_end_with_lf_crlf_or_cr() {
        for (sep, name) in [("\n", "LF"), ("\r\n", "CRLF"), ("\r", "CR")] {
            let text = ["doc,text,label", "d,a,x", "d,b,y", "d,,z"].join(sep) + sep;
            let (line, k) = kind(read(text.as_bytes()));
            assert_eq!(
                (line, k),
                (4, CsvErrorKind::EmptyField("text".into())),
                "{name}"
            );
        }
        // Found by fuzzing: a header ended by a lone CR.
        let c = read(b"doc,text,label\r*db\"\",: c\",x\r\n").unwrap();
        assert_eq!(c.sentences[0].line, 2);
        // Invalid UTF-8 after CRLF: the offset counts from the start of the file.
        let (_, k) = kind(read(b"text,label\r\nok,x\r\nab\xffcd,x\r\n"));
        assert_eq!(k, CsvErrorKind::InvalidUtf8 { byte: 20 });
    }

    #[test]
    fn skip_invalid_reports_skipped() {
        let o = ReadOptions {
            skip_invalid: true,
            ..Default::default()
        };
        let c = read_labeled(&b"text,label\na,b\n,c\nd,\ne,f\n"[..], &o).unwrap();
        assert_eq!(c.sentences.len(), 2);
        assert_eq!(c.skipped.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn reads_one_more_column_when_asked() {
        let o = ReadOptions {
            by_col: Some("source".into()),
            skip_invalid: true,
            ..Default::default()
        };
        let csv = &b"text,source,label\na,x,b\n,y,c\nd,z,e\n"[..];
        let c = read_labeled(csv, &o).unwrap();
        assert_eq!(c.by, ["x", "z"], "one value a kept sentence");
        assert!(read(b"text,source,label\na,x,b\n").unwrap().by.is_empty());
        let o = ReadOptions {
            by_col: Some("site".into()),
            ..Default::default()
        };
        assert!(
            matches!(kind(read_labeled(csv, &o)).1, CsvErrorKind::MissingColumn { ref wanted, .. } if wanted == "site")
        );
    }
}
