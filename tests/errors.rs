//! Bad input gets one clear message and exit code 2; odd articles lose nothing.

mod common;

use std::path::PathBuf;

use common::*;

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A two-label CSV of `n` articles, with the given line end and optional BOM.
fn two_label_csv(n: usize, eol: &str, bom: bool) -> String {
    let mut content = format!("{}doc,text,label{eol}", if bom { "\u{FEFF}" } else { "" });
    for i in 0..n {
        content += &format!("d{i},انشق الجندي رقم {i} عن الجيش,defection{eol}d{i},تقدمت القوات نحو القرية {i},military_advance{eol}");
    }
    content
}

/// Train on a small CSV (every feature kept) into `dir/m.tasnif`.
fn train_tiny(
    dir: &tempfile::TempDir,
    csv: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let out = dir.path().join("m.tasnif");
    let mut args = vec![
        "train",
        "--data",
        csv.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--min-df",
        "1",
        "--max-df",
        "1",
    ];
    args.extend_from_slice(extra);
    tasnif(&args)
}

/// Run `train` on a CSV with the given content; returns stderr of the failure.
fn train_fails(content: &[u8]) -> String {
    train_fails_with(content, &[])
}

/// [`train_fails`] with more arguments.
fn train_fails_with(content: &[u8], extra: &[&str]) -> String {
    let dir = tempdir();
    let csv = write(&dir, "data.csv", content);
    let out = dir.path().join("m.tasnif");
    let mut args = vec![
        "train",
        "--data",
        csv.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let err = fails(&tasnif(&args));
    assert!(!out.exists(), "no model is written on error");
    assert!(
        err.contains("data.csv"),
        "the message names the file: {err}"
    );
    err
}

/// CSV files `train` refuses: name, content, what the message must say.
const CSV_CASES: &[(&str, &[u8], &[&str])] = &[
    ("empty file", b"", &["empty", "header"]),
    (
        "no text column",
        b"doc,sentence,label\nd,x,other\n",
        &[
            "no column 'text'",
            "'doc', 'sentence', 'label'",
            "--text-col",
        ],
    ),
    (
        "no label column",
        b"doc,text,tag\nd,x,other\n",
        &["no column 'label'"],
    ),
    (
        "too few fields",
        b"doc,text,label\nd,x,other\nd,y\n",
        &["line 3", "expected 3 fields", "found 2"],
    ),
    (
        "empty text",
        b"doc,text,label\nd,x,other\nd,,other\n",
        &["line 3", "'text' field is empty", "--skip-invalid"],
    ),
    (
        "empty label",
        b"doc,text,label\nd,x,\n",
        &["line 2", "'label' field is empty"],
    ),
    (
        "duplicate header",
        b"text,text,label\nx,y,z\n",
        &["line 1", "'text' twice"],
    ),
    (
        "invalid UTF-8",
        b"doc,text,label\nd,ok,other\nd,ab\xff,other\n",
        &["line 3", "invalid UTF-8", "byte offset 30"],
    ),
    ("header only", b"doc,text,label\n", &["no sentences"]),
    (
        "unclosed quote",
        b"doc,text,label\nd,\"x,other\nd,y,other\n",
        &["line 2", "fields"],
    ),
];

#[test]
fn csv_problems_name_file_line_and_fix() {
    for (name, content, needles) in CSV_CASES {
        let err = train_fails(content);
        for n in *needles {
            assert!(err.contains(n), "{name}: message lacks {n:?}: {err}");
        }
        assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
    }
}

/// Command lines refused for their paths: name, arguments, what the message must say.
const PATH_CASES: &[(&str, &[&str], &[&str])] = &[
    (
        "missing file",
        &["train", "--data", "no/such.csv", "--out", "/tmp/x.tasnif"],
        &["no/such.csv"],
    ),
    (
        "data is a directory",
        &["train", "--data", "data", "--out", "/tmp/x.tasnif"],
        &["is a directory"],
    ),
    (
        "article is a directory",
        &["classify", "data/articles"],
        &["data/articles", "is a directory"],
    ),
];

#[test]
fn missing_file_and_directory() {
    for (name, args, needles) in PATH_CASES {
        let err = fails(&tasnif(args));
        for n in *needles {
            assert!(err.contains(n), "{name}: message lacks {n:?}: {err}");
        }
    }
}

#[test]
fn skip_invalid_reports_and_counts() {
    let dir = tempdir();
    let content = two_label_csv(6, "\n", false) + "dx,,other\ndy,نص بلا تسمية,\n";
    let csv = write(&dir, "d.csv", content.as_bytes());
    let o = train_tiny(&dir, &csv, &["--skip-invalid"]);
    let stdout = ok(&o);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("line 14") && stderr.contains("line 15"),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped 2 invalid row(s), kept 12"),
        "{stderr}"
    );
    assert!(stdout.contains("trained on 12 sentences"));
}

#[test]
fn bom_and_crlf_are_accepted() {
    let dir = tempdir();
    let csv = write(&dir, "d.csv", two_label_csv(5, "\r\n", true).as_bytes());
    ok(&train_tiny(&dir, &csv, &["-q"]));
}

fn one_label_error() -> String {
    train_fails("doc,text,label\nd,انشق جندي,defection\nd,فر قائد,defection\n".as_bytes())
}

#[test]
fn one_label_or_tiny_data_is_a_clear_error() {
    let err = one_label_error();
    assert!(err.contains("at least two labels"), "{err}");
    // A label with a single sentence trains (and says nothing alarming).
    let dir = tempdir();
    let csv = write(&dir, "d.csv", "text,label\nانشق جندي عن الجيش,defection\nتقدمت القوات,military_advance\nتقدمت القوات نحو القرية,military_advance\n".as_bytes());
    ok(&train_tiny(&dir, &csv, &["-q"]));
}

fn unknown_labels_error() -> String {
    let dir = tempdir();
    let csv = write(
        &dir,
        "e.csv",
        "text,label\nقتل,execution\nفر,desertion\nهرب,desertion\nx,spam\n".as_bytes(),
    );
    let err = fails(&tasnif(&[
        "evaluate",
        "--model",
        trained_model().to_str().unwrap(),
        "--data",
        csv.to_str().unwrap(),
    ]));
    assert!(err.contains("e.csv"), "{err}");
    err
}

/// `train` on data that trains (every feature kept) plus one sentence labeled `label`.
fn train_with_label_fails(label: &str) -> String {
    let content = two_label_csv(3, "\n", false) + &format!("d9,انشق الضابط عن الجيش,{label}\n");
    train_fails_with(content.as_bytes(), &["--min-df", "1", "--max-df", "1"])
}

#[test]
fn marker_labels_are_refused_for_training() {
    for label in tasnif::pipeline::MARKER_LABELS {
        let err = train_with_label_fails(label);
        assert!(
            err.contains(&format!("'{label}'")) && err.contains("reserved for output markers"),
            "{label}: {err}"
        );
        assert!(
            err.contains("'(no text)', '(unknown)', 'uncertain', '(error)'"),
            "{err}"
        );
    }
}

/// `train` with a `min_df` no feature reaches.
fn empty_vocabulary_error() -> String {
    train_fails_with(
        two_label_csv(3, "\n", false).as_bytes(),
        &["--min-df", "100"],
    )
}

#[test]
fn training_to_an_empty_vocabulary_is_refused() {
    let err = empty_vocabulary_error();
    assert!(err.contains("vocabulary is empty"), "{err}");
}

/// Feature weights `train` refuses: name, arguments, what the message must say.
const WEIGHT_CASES: &[(&str, &[&str], &[&str])] = &[
    (
        "both weights 0",
        &["--word-weight", "0", "--char-weight", "0"],
        &["word_weight", "char_weight", "--word-weight"],
    ),
    (
        "the only block on weighs 0",
        &["--char-ngrams", "0-0", "--word-weight", "0"],
        &["word_weight 0", "--word-weight"],
    ),
    (
        "negative weight",
        &["--word-weight=-1"],
        &["word_weight -1", ">= 0"],
    ),
    (
        "infinite weight",
        &["--char-weight", "inf"],
        &["char_weight inf"],
    ),
    (
        "NaN weight",
        &["--char-weight", "NaN"],
        &["char_weight NaN"],
    ),
];

/// Solver options that cannot train: (name, extra `train` arguments, what the message
/// must say).
const SOLVER_CASES: &[(&str, &[&str], &[&str])] = &[
    (
        "linfa solver with balanced class weights",
        &["--solver", "linfa"],
        &[
            "the linfa solver cannot weight sentences",
            "class_weight balanced",
            "--class-weight none",
        ],
    ),
    (
        "negative alpha",
        &["--alpha=-1"],
        &["alpha -1 must be a finite number >= 0"],
    ),
    (
        "no iterations",
        &["--max-iter", "0"],
        &["max_iterations must be at least 1"],
    ),
];

#[test]
fn solver_options_are_refused_not_dropped() {
    for (name, extra, needles) in SOLVER_CASES {
        let err = train_options_fail(extra);
        for n in *needles {
            assert!(err.contains(n), "{name}: message lacks {n:?}: {err}");
        }
        assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
    }
    // The linfa solver trains when no sentence is weighted.
    let dir = tempdir();
    let csv = write(&dir, "d.csv", two_label_csv(3, "\n", false).as_bytes());
    ok(&train_tiny(
        &dir,
        &csv,
        &["-q", "--solver", "linfa", "--class-weight", "none"],
    ));
}

/// `train` with `extra` on data that trains; returns stderr of the failure.
fn train_options_fail(extra: &[&str]) -> String {
    let dir = tempdir();
    let csv = write(&dir, "d.csv", two_label_csv(3, "\n", false).as_bytes());
    let out = train_tiny(&dir, &csv, extra);
    assert!(
        !dir.path().join("m.tasnif").exists(),
        "no model is written on error"
    );
    fails(&out)
}

#[test]
fn useless_feature_weights_are_refused() {
    for (name, extra, needles) in WEIGHT_CASES {
        let err = train_options_fail(extra);
        for n in *needles {
            assert!(err.contains(n), "{name}: message lacks {n:?}: {err}");
        }
        assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
    }
    // A weight of 0 on a block that is off is no problem.
    let dir = tempdir();
    let csv = write(&dir, "d.csv", two_label_csv(3, "\n", false).as_bytes());
    ok(&train_tiny(
        &dir,
        &csv,
        &["-q", "--char-ngrams", "0-0", "--char-weight", "0"],
    ));
}

#[test]
fn evaluate_names_unknown_labels() {
    let err = unknown_labels_error();
    assert!(
        err.contains("'desertion' (2 sentences)") && err.contains("'spam' (1 sentence)"),
        "{err}"
    );
}

/// Damaged model files: name, bytes, what the message must say.
fn damaged_models() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let good = std::fs::read(trained_model()).unwrap();
    let nl = good.iter().position(|&b| b == b'\n').unwrap();
    let mut flipped = good.clone();
    flipped[nl + 1000] ^= 0x04;
    let mut other_version = b"tasnif-model format=9".to_vec();
    other_version.extend_from_slice(&good[b"tasnif-model format=3".len()..]);
    // Content edits behind a valid frame: the schema refuses them.
    let edited = |edit: fn(&mut serde_json::Value)| {
        let mut c: serde_json::Value =
            serde_json::from_slice(tasnif::model_file::unframe(&good).unwrap()).unwrap();
        edit(&mut c);
        tasnif::model_file::frame(&serde_json::to_vec(&c).unwrap())
    };
    let option_left_out = edited(|c| {
        c["normalizer"].as_object_mut().unwrap().remove("lowercase");
    });
    let stopword_added = edited(|c| {
        c["tokenizer"]["stopword_list"]
            .as_array_mut()
            .unwrap()
            .push("قصف".into())
    });
    let other_features = edited(|c| c["features_version"] = 99.into());
    vec![
        (
            "not a model",
            b"doc,text,label\n".to_vec(),
            "not a tasnif model",
        ),
        ("empty", Vec::new(), "empty"),
        ("truncated", good[..good.len() / 2].to_vec(), "truncated"),
        ("bit flipped", flipped, "damaged"),
        ("other version", other_version, "format version 9"),
        ("header only", good[..nl + 1].to_vec(), "truncated"),
        (
            "option left out",
            option_left_out,
            "missing field `lowercase`",
        ),
        (
            "stopword list changed",
            stopword_added,
            "the stopword list differs from this build's: this build's has 1 word removed ('قصف')",
        ),
        ("features version", other_features, "features version 99"),
    ]
}

/// `classify` with the model file `bytes`; returns stderr of the failure.
fn classify_with_model_fails(bytes: &[u8]) -> String {
    let dir = tempdir();
    let p = write(&dir, "m.tasnif", bytes);
    fails(&tasnif(&[
        "classify",
        "--model",
        p.to_str().unwrap(),
        "data/articles/sinai_wire.txt",
    ]))
}

#[test]
fn damaged_model_files_are_refused() {
    for (name, bytes, needle) in damaged_models() {
        let err = classify_with_model_fails(&bytes);
        assert!(
            err.contains(needle) && err.contains("m.tasnif"),
            "{name}: {err}"
        );
    }
}

#[test]
fn writing_a_model_replaces_the_old_one_whole() {
    let dir = tempdir();
    let out = dir.path().join("m.tasnif");
    std::fs::write(&out, b"old").unwrap();
    // A failing train leaves the old file untouched.
    let bad = write(&dir, "bad.csv", b"text,label\n");
    fails(&tasnif(&[
        "train",
        "--data",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert_eq!(std::fs::read(&out).unwrap(), b"old");
    // No temporary files are left beside it.
    ok(&tasnif(&[
        "train",
        "--data",
        "data/test.csv",
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--max-iter",
        "20",
    ]));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn odd_articles_each_get_their_records() {
    let dir = tempdir();
    let mut long = "كلمة ".repeat(2_000_000).into_bytes();
    long.truncate(10 * 1024 * 1024);
    while long.last() != Some(&b' ') {
        long.pop();
    }
    // One sentence of 10 MB: cut into pieces at the sentence length limit.
    let long_pieces =
        tasnif::sentence::split_sentences(std::str::from_utf8(&long).unwrap()).count();
    assert!(long_pieces > 600);
    let files = [
        ("empty.txt", b"".to_vec(), 0usize),
        ("spaces.txt", b"  \n\n\t ".to_vec(), 0),
        ("punct.txt", "... !!! ؟؟ «»".as_bytes().to_vec(), 4),
        ("digits.txt", b"123 456. 789".to_vec(), 2),
        ("latin.txt", b"The army advanced. Nothing else.".to_vec(), 2),
        (
            "invalid.txt",
            [
                "انشق الجندي ".as_bytes(),
                b"\xff\xd8 ",
                "عن الجيش. تقدمت القوات".as_bytes(),
            ]
            .concat(),
            2,
        ),
        ("long.txt", long.clone(), long_pieces),
    ];
    let mut args: Vec<String> = vec!["classify".into(), "--format".into(), "jsonl".into()];
    for (name, bytes, _) in &files {
        args.push(write(&dir, name, bytes).to_str().unwrap().to_string());
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = tasnif(&argv);
    let recs = jsonl(&ok(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("invalid UTF-8"));
    let mut i = 0;
    for (name, _, n) in &files {
        let mine: Vec<_> = recs[i..=i + n].to_vec();
        for r in &mine[..*n] {
            assert!(r["doc"].as_str().unwrap().ends_with(name));
            assert!(r.get("label").is_some());
        }
        assert!(
            mine[*n]["doc"].as_str().unwrap().ends_with(name),
            "{name}: {:?}",
            mine[*n]
        );
        let total: u64 = mine[*n]["summary"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(total as usize, *n, "{name}");
        i += n + 1;
    }
    assert_eq!(i, recs.len());
    // Sentences with no words carry the explicit marker.
    assert!(recs
        .iter()
        .any(|r| r["label"] == tasnif::pipeline::NO_TEXT_LABEL));
}

#[test]
fn closed_output_pipe_is_quiet() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_tasnif"))
        .args(["classify", "--format", "jsonl", "-"])
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let line = "تقدمت القوات نحو المدينة.\n".repeat(20_000);
        let _ = stdin.write_all(line.as_bytes());
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('{'));
    // stdout is dropped here: the reader goes away.
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "{:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Run tasnif with standard output on `/dev/full`; returns stderr of the failure, or
/// `None` (after saying so) where there is no `/dev/full`.
fn to_dev_full(args: &[&str]) -> Option<String> {
    use std::process::{Command, Stdio};
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full here");
        return None;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_tasnif"))
        .args(args)
        .current_dir(common::root())
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    Some(fails(&out))
}

#[test]
fn failing_output_is_an_error() {
    let Some(err) = to_dev_full(&[
        "classify",
        "--format",
        "jsonl",
        "data/articles/mosul_defections.txt",
    ]) else {
        return;
    };
    assert!(
        err.contains("standard output: cannot write: No space left"),
        "{err}"
    );
}

/// Every command says a failed write was to standard output.
#[test]
fn failing_output_names_standard_output() {
    let dir = tempdir();
    let csv = write(&dir, "d.csv", two_label_csv(6, "\n", false).as_bytes());
    let (csv, model) = (csv.to_str().unwrap(), trained_model().to_str().unwrap());
    let out = dir.path().join("m.tasnif");
    let tiny = ["--min-df", "1", "--max-df", "1"];
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("explain", vec!["explain"]),
        ("explain json", vec!["explain", "--format", "json"]),
        (
            "evaluate",
            vec!["evaluate", "--model", model, "--data", "data/test.csv"],
        ),
        (
            "train",
            [
                &["train", "--data", csv, "--out", out.to_str().unwrap()][..],
                &tiny,
            ]
            .concat(),
        ),
        (
            "cv",
            [&["cv", "-q", "--folds", "2", "--data", csv][..], &tiny].concat(),
        ),
        (
            "tune",
            [
                &[
                    "tune",
                    "-q",
                    "--folds",
                    "2",
                    "--grid",
                    "alpha=0.1",
                    "--data",
                    csv,
                ][..],
                &tiny,
            ]
            .concat(),
        ),
    ];
    for (name, args) in cases {
        let Some(err) = to_dev_full(&args) else {
            return;
        };
        assert!(
            err.contains("standard output: cannot write: No space left on device"),
            "{name}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
    }
}

/// A clause of three or more words that appears twice in one line of `err` (clauses
/// are what lies between ": " and "; "), with its line.
fn repeated_clause(err: &str) -> Option<(&str, &str)> {
    for line in err.lines() {
        let mut seen = std::collections::HashSet::new();
        for clause in line.split(": ").flat_map(|c| c.split("; ")) {
            let clause = clause.trim();
            if clause.split_whitespace().count() >= 3 && !seen.insert(clause) {
                return Some((clause, line));
            }
        }
    }
    None
}

/// Every error case of this file, run again: no message says the same thing twice.
#[test]
fn every_error_says_each_clause_once() {
    let mut errors: Vec<(String, String)> = Vec::new();
    for (name, content, _) in CSV_CASES {
        errors.push((name.to_string(), train_fails(content)));
    }
    for (name, args, _) in PATH_CASES {
        errors.push((name.to_string(), fails(&tasnif(args))));
    }
    for (name, bytes, _) in damaged_models() {
        errors.push((name.to_string(), classify_with_model_fails(&bytes)));
    }
    errors.push(("one label".into(), one_label_error()));
    for (name, extra, _) in WEIGHT_CASES.iter().chain(SOLVER_CASES) {
        errors.push((name.to_string(), train_options_fail(extra)));
    }
    errors.push(("marker label".into(), train_with_label_fails("uncertain")));
    errors.push(("empty vocabulary".into(), empty_vocabulary_error()));
    errors.push(("unknown labels".into(), unknown_labels_error()));
    if let Some(err) = to_dev_full(&["explain"]) {
        errors.push(("explain to /dev/full".into(), err));
    }
    if let Some(err) = to_dev_full(&[
        "classify",
        "--format",
        "jsonl",
        "data/articles/mosul_defections.txt",
    ]) {
        errors.push(("classify to /dev/full".into(), err));
    }
    let repeats: Vec<String> = errors
        .iter()
        .filter_map(|(name, err)| {
            repeated_clause(err).map(|(c, line)| format!("{name}: {c:?} is said twice: {line}"))
        })
        .collect();
    assert!(repeats.is_empty(), "{}", repeats.join("\n"));
}
