//! Nothing is lost under faults: every article yields its records or one error record
//! at its place, ids stay as written, input in any line ending or common encoding is
//! read, and resources stay bounded.

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::Value;

const ARTICLE: &str = "data/articles/mosul_defections.txt";

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn article() -> String {
    std::fs::read_to_string(root().join(ARTICLE)).unwrap()
}

/// Run and return (exit code, records, stderr).
fn run(args: &[&str], stdin: &[u8]) -> (Option<i32>, Vec<Value>, String) {
    let o = tasnif_stdin(args, stdin);
    let stdout = String::from_utf8(o.stdout).expect("UTF-8 output");
    (
        o.status.code(),
        jsonl(&stdout),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The doc of each summary or error record, in order, with which it is.
fn ends(recs: &[Value]) -> Vec<(String, &'static str)> {
    recs.iter()
        .filter_map(|r| {
            let doc = r["doc"].as_str().unwrap().to_string();
            if r.get("summary").is_some() {
                Some((doc, "summary"))
            } else if r.get("error").is_some() {
                Some((doc, "error"))
            } else {
                None
            }
        })
        .collect()
}

/// (label, start, end) of every sentence record.
fn labels(recs: &[Value]) -> Vec<(String, u64, u64)> {
    recs.iter()
        .filter(|r| r.get("label").is_some())
        .map(|r| {
            (
                r["label"].as_str().unwrap().to_string(),
                r["start"].as_u64().unwrap(),
                r["end"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_missing_file_or_folder_costs_only_its_own_records() {
    let dir = tempdir();
    let a = write(&dir, "a.txt", "انشق جندي عن الجيش.".as_bytes());
    let b = write(&dir, "b.txt", "تقدمت القوات نحو القرية.".as_bytes());
    let missing = dir.path().join("missing.txt");
    let d = write(&dir, "d.txt", "أعدم التنظيم رجلين.".as_bytes());
    let sub = dir.path().join("folder");
    std::fs::create_dir(&sub).unwrap();
    let paths = [&a, &b, &missing, &sub, &d];
    let mut args = vec!["classify", "--format", "jsonl"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    let (code, recs, stderr) = run(&args, b"");
    assert_eq!(code, Some(2), "{stderr}");
    let kinds: Vec<&str> = ends(&recs).iter().map(|e| e.1).collect();
    assert_eq!(kinds, ["summary", "summary", "error", "error", "summary"]);
    for (p, (doc, _)) in paths.iter().zip(ends(&recs)) {
        assert_eq!(doc, p.to_str().unwrap());
    }
    assert_eq!(labels(&recs).len(), 3);
    assert!(stderr.contains("missing.txt") && stderr.contains("folder"));
    assert!(stderr.contains("2 of 5 article(s)"), "{stderr}");
}

/// `classify` over JSONL articles named by their `id` field.
const JSONL_BY_ID: &[&str] = &[
    "classify",
    "--input",
    "jsonl",
    "--id-field",
    "id",
    "--format",
    "jsonl",
];

/// 60 JSONL articles with line 51 malformed.
fn sixty_with_a_bad_line() -> String {
    let mut input = String::new();
    for i in 1..=60 {
        if i == 51 {
            input.push_str("{\"id\": \"a51\", \"text\": \"unterminated\n");
        } else {
            input.push_str(&format!(
                "{{\"id\": \"a{i}\", \"text\": \"تقدمت القوات نحو القرية {i}.\"}}\n"
            ));
        }
    }
    input
}

#[test]
fn a_malformed_jsonl_line_is_an_error_record_at_its_place() {
    let input = sixty_with_a_bad_line();
    let (code, recs, stderr) = run(JSONL_BY_ID, input.as_bytes());
    assert_eq!(code, Some(2));
    let ends = ends(&recs);
    assert_eq!(ends.len(), 60);
    for (i, (doc, kind)) in ends.iter().enumerate() {
        assert_eq!(*kind, if i == 50 { "error" } else { "summary" });
        if i != 50 {
            assert_eq!(doc, &format!("a{}", i + 1));
        }
    }
    assert!(stderr.contains("-: line 51: not a JSON object"), "{stderr}");
}

#[test]
fn fail_fast_writes_what_came_before_then_stops() {
    let input = sixty_with_a_bad_line();
    let args = [JSONL_BY_ID, &["--fail-fast"]].concat();
    let (code, recs, stderr) = run(&args, input.as_bytes());
    assert_eq!(code, Some(2));
    let ends = ends(&recs);
    assert_eq!(ends.len(), 51);
    assert_eq!(ends[49], ("a50".to_string(), "summary"));
    assert_eq!(ends[50].1, "error");
    assert_eq!(stderr.matches("line 51").count(), 1, "{stderr}");
}

#[test]
fn error_rows_in_csv_and_table() {
    let dir = tempdir();
    let missing = dir.path().join("missing.txt");
    let m = missing.to_str().unwrap();
    let o = tasnif(&["classify", "--format", "csv", ARTICLE, m]);
    assert_eq!(o.status.code(), Some(2));
    let csv = String::from_utf8(o.stdout).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let last = rows.last().unwrap();
    assert_eq!((&last[0], &last[5]), (m, tasnif::pipeline::ERROR_LABEL));
    assert!(last[4].contains("cannot read"));
    let o = tasnif(&["classify", "--format", "table", m, ARTICLE]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(table.contains("error: "), "{table}");
    assert!(table.contains("summary:"));
}

#[test]
fn ids_come_out_exactly_as_written() {
    let input = concat!(
        "{\"id\": 12345678901234567890123, \"text\": \"انشق جندي.\"}\n",
        "{\"id\": 12345678901234567890124, \"text\": \"انشق جندي.\"}\n",
        "{\"id\": \"خبر-٧ 🙂\", \"text\": \"انشق جندي.\"}\n",
    );
    let args = ["classify", "--input", "jsonl", "--id-field", "id"];
    let (code, recs, _) = run(&args, input.as_bytes());
    assert_eq!(code, Some(0));
    let docs: Vec<String> = ends(&recs).into_iter().map(|e| e.0).collect();
    assert_eq!(
        docs,
        [
            "12345678901234567890123",
            "12345678901234567890124",
            "خبر-٧ 🙂"
        ]
    );
}

#[test]
fn every_line_ending_gives_the_same_records() {
    let lf = article().replace("\r\n", "\n");
    let want = labels(&run(&["classify", "-"], lf.as_bytes()).1);
    assert!(want.len() > 5);
    for eol in ["\r\n", "\r", "\u{2028}"] {
        let text = lf.replace('\n', eol);
        let (code, recs, _) = run(&["classify", "-"], text.as_bytes());
        assert_eq!(code, Some(0));
        let got: Vec<String> = labels(&recs).into_iter().map(|l| l.0).collect();
        let want: Vec<String> = want.iter().map(|l| l.0.clone()).collect();
        assert_eq!(got, want, "line ending {eol:?}");
    }
}

#[test]
fn a_sentence_past_the_length_limit_is_cut_and_says_so() {
    let text = "تقدمت القوات نحو القرية ".repeat(3000);
    let (code, recs, _) = run(&["classify", "-"], text.as_bytes());
    assert_eq!(code, Some(0));
    let sentences: Vec<&Value> = recs.iter().filter(|r| r.get("label").is_some()).collect();
    assert!(sentences.len() >= 4);
    for (k, r) in sentences.iter().enumerate() {
        let cut = r.get("cut_at_limit") == Some(&Value::Bool(true));
        assert_eq!(cut, k + 1 < sentences.len(), "record {k}");
        let len = r["end"].as_u64().unwrap() - r["start"].as_u64().unwrap();
        assert!(len as usize <= tasnif::sentence::MAX_SENTENCE_BYTES);
    }
}

#[test]
fn too_many_threads_are_refused_at_once() {
    for jobs in ["100000", "18446744073709551615"] {
        let err = fails(&tasnif(&["classify", "--jobs", jobs, ARTICLE]));
        assert!(err.contains("--jobs"), "{err}");
    }
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_articles_and_csvs_are_read_as_text() {
    let text = article();
    let want = labels(&run(&["classify", "-"], text.as_bytes()).1);
    for be in [false, true] {
        let (code, recs, stderr) = run(&["classify", "-"], &utf16(&text, be));
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(labels(&recs), want, "big endian: {be}");
    }
    let dir = tempdir();
    let csv = "doc,text,label\nd1,انشق الجندي عن الجيش,defection\nd2,تقدمت القوات نحو القرية,military_advance\n";
    let path = write(&dir, "u16.csv", &utf16(csv, false));
    let out = dir.path().join("m.tasnif");
    ok(&tasnif(&[
        "train",
        "--data",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--min-df",
        "1",
        "--max-df",
        "1",
    ]));
}

#[test]
fn windows_1256_is_an_error_record_unless_named() {
    let fits = |c: &char| !encoding_rs::WINDOWS_1256.encode(&c.to_string()).2;
    let text: String = article().chars().filter(fits).collect();
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1256.encode(&text);
    assert!(!lossy && text.len() > 1000);
    let dir = tempdir();
    let path = write(&dir, "cp1256.txt", &bytes);
    let p = path.to_str().unwrap();
    let (code, recs, stderr) = run(&["classify", p], b"");
    assert_eq!(code, Some(2));
    assert_eq!(ends(&recs), [(p.to_string(), "error")]);
    assert!(stderr.contains("--encoding"), "{stderr}");
    let (code, recs, _) = run(&["classify", "--encoding", "windows-1256", p], b"");
    assert_eq!(code, Some(0));
    let want = labels(&run(&["classify", "-"], text.as_bytes()).1);
    assert_eq!(labels(&recs), want);
    let err = fails(&tasnif(&["classify", "--encoding", "klingon", p]));
    assert!(err.contains("windows-1256"), "{err}");
}

#[test]
fn sentences_without_known_features_are_unknown_not_intercepts() {
    let input = "The army advanced on the town. تقدمت القوات نحو القرية.";
    let (code, recs, _) = run(&["classify", "-"], input.as_bytes());
    assert_eq!(code, Some(0));
    assert_eq!(recs[0]["label"], tasnif::pipeline::UNKNOWN_LABEL);
    assert_eq!(recs[0]["features"], 0);
    assert!(recs[0]["probabilities"].as_object().unwrap().is_empty());
    assert!(recs[1]["features"].as_u64().unwrap() > 3);
    assert_eq!(recs[2]["summary"][tasnif::pipeline::UNKNOWN_LABEL], 1);
}

#[test]
fn a_failed_write_names_standard_output() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: /dev/full is not there");
        return;
    };
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tasnif"))
        .args(["classify", ARTICLE])
        .current_dir(root())
        .stdout(full)
        .output()
        .unwrap();
    let err = fails(&o);
    assert!(err.contains("standard output"), "{err}");
}

#[test]
fn text_and_jsonl_input_give_the_same_sentences_for_odd_layouts() {
    let layouts = [
        [" ".repeat(65000), "قتل الجنود في المدينة ".repeat(3000)].concat(),
        ["كلمة", &" ".repeat(70000), "أخرى"].concat(),
        "ب.".repeat(200_000),
    ];
    let dir = tempdir();
    for (i, text) in layouts.iter().enumerate() {
        let path = write(&dir, &format!("{i}.txt"), text.as_bytes());
        let (_, from_file, _) = run(&["classify", path.to_str().unwrap()], b"");
        let line = serde_json::json!({ "text": text }).to_string();
        let (_, from_jsonl, _) = run(&["classify", "--input", "jsonl"], line.as_bytes());
        let marks = |recs: &[Value]| -> Vec<(u64, u64, bool)> {
            recs.iter()
                .filter(|r| r.get("label").is_some())
                .map(|r| {
                    let cut = r.get("cut_at_limit").is_some();
                    (
                        r["start"].as_u64().unwrap(),
                        r["end"].as_u64().unwrap(),
                        cut,
                    )
                })
                .collect()
        };
        assert!(!marks(&from_file).is_empty());
        assert_eq!(marks(&from_file), marks(&from_jsonl), "layout {i}");
    }
}

#[test]
fn a_file_that_turns_to_another_encoding_keeps_its_records_then_fails() {
    let line = "قتل الجنود في المدينة. تقدمت القوات نحو المدينة.\n";
    let (cp, _, _) = encoding_rs::WINDOWS_1256.encode(line);
    let bytes = [line.repeat(2000).into_bytes(), cp.repeat(5000)].concat();
    let dir = tempdir();
    let p = write(&dir, "late.txt", &bytes);
    let (code, recs, stderr) = run(&["classify", p.to_str().unwrap()], b"");
    assert_eq!(code, Some(2));
    assert!(labels(&recs).len() >= 4000);
    assert_eq!(ends(&recs), [(p.to_str().unwrap().to_string(), "error")]);
    assert!(stderr.contains("--encoding"), "{stderr}");
}

#[test]
fn binary_files_and_utf8_named_for_another_encoding_are_refused() {
    let dir = tempdir();
    let zeros = write(&dir, "zeros.dat", &[0u8; 200_000]);
    let (cp, _, _) = encoding_rs::WINDOWS_1256.encode("قتل الجنود في المدينة. ");
    let cp = write(&dir, "cp.txt", &cp.repeat(100));
    let (code, recs, stderr) = run(&["classify", zeros.to_str().unwrap()], b"");
    assert_eq!((code, ends(&recs).len()), (Some(2), 1));
    assert!(
        recs[0]["error"].as_str().unwrap().contains("NUL"),
        "{stderr}"
    );
    let args = ["classify", "--encoding", "utf-8", cp.to_str().unwrap()];
    let (code, recs, _) = run(&args, b"");
    assert_eq!(code, Some(2));
    assert!(recs[0]["error"].as_str().unwrap().contains("not UTF-8"));
}

#[test]
fn a_windows_1256_csv_trains_when_its_encoding_is_named() {
    let csv = "doc,text,label\nd1,انشق الجندي عن الجيش,defection\nd2,تقدمت القوات نحو القرية,military_advance\n";
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1256.encode(csv);
    assert!(!lossy);
    let dir = tempdir();
    let path = write(&dir, "cp.csv", &bytes);
    let out = dir.path().join("m.tasnif");
    let train = |extra: &[&str]| {
        let base = [
            "train",
            "--data",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        tasnif(&[&base[..], &["--min-df", "1", "--max-df", "1"], extra].concat())
    };
    let err = fails(&train(&[]));
    assert!(err.contains("cp.csv") && err.contains("UTF-8"), "{err}");
    ok(&train(&["--encoding", "windows-1256"]));
    let (_, recs, _) = run(
        &["classify", "--model", out.to_str().unwrap(), "-"],
        "انشق الجندي عن الجيش".as_bytes(),
    );
    assert_eq!(recs[0]["label"], "defection");
}

#[test]
fn input_lines_makes_each_line_an_article() {
    let input = "انشق جندي عن الجيش.\n\nتقدمت القوات نحو القرية. ثم انسحبت.\r\nThe end\n";
    let (code, recs, _) = run(&["classify", "--input", "lines", "-"], input.as_bytes());
    assert_eq!(code, Some(0));
    let docs: Vec<String> = ends(&recs).into_iter().map(|e| e.0).collect();
    assert_eq!(docs, ["-:1", "-:3", "-:4"]);
    assert_eq!(labels(&recs).len(), 4);
    assert_eq!(labels(&recs)[1].1, 0, "offsets are into the line");
}

#[test]
fn out_writes_a_whole_file_and_is_checked_first() {
    let dir = tempdir();
    let path = dir.path().join("labels.jsonl");
    let missing = dir.path().join("missing.txt");
    let args = [
        "classify",
        "--out",
        path.to_str().unwrap(),
        ARTICLE,
        missing.to_str().unwrap(),
    ];
    let o = tasnif(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let recs = jsonl(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(ends(&recs).len(), 2, "JSONL by default, error record kept");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file left");
    let bad = dir.path().join("no/such/dir/x.jsonl");
    let err = fails(&tasnif(&[
        "classify",
        "--out",
        bad.to_str().unwrap(),
        ARTICLE,
    ]));
    assert!(err.contains("no/such/dir/x.jsonl: cannot write"), "{err}");
}
