//! The binary end to end: train → classify → evaluate, in every format.

mod common;

use common::*;
use std::process::Command;
use tasnif::sentence::split_sentences;

const ARTICLE: &str = "data/articles/mosul_defections.txt";

fn model_arg() -> String {
    trained_model().to_str().unwrap().to_string()
}

#[test]
fn train_prints_summary_and_writes_a_model() {
    let dir = tempdir();
    let out = dir.path().join("m.tasnif");
    let text = ok(&tasnif(&[
        "train",
        "--data",
        "data/train.csv",
        "--out",
        out.to_str().unwrap(),
    ]));
    for label in [
        "defection",
        "execution",
        "military_advance",
        "other",
        "propaganda",
    ] {
        assert!(text.contains(label), "summary lacks {label}: {text}");
    }
    assert!(
        text.contains("vocabulary:") && text.contains("time:"),
        "{text}"
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"tasnif-model format=3 "));
}

#[test]
fn classify_jsonl_gives_one_record_per_sentence_then_a_summary() {
    let article = std::fs::read_to_string(common::root().join(ARTICLE)).unwrap();
    let spans: Vec<_> = split_sentences(&article).collect();
    let m = model_arg();
    let recs = jsonl(&ok(&tasnif(&[
        "classify", "--model", &m, "--format", "jsonl", ARTICLE,
    ])));
    assert_eq!(recs.len(), spans.len() + 1);
    let labels = [
        "defection",
        "execution",
        "military_advance",
        "other",
        "propaganda",
    ];
    for (i, (r, span)) in recs.iter().zip(&spans).enumerate() {
        assert_eq!(r["doc"], ARTICLE);
        assert_eq!(r["index"], i);
        assert_eq!(r["start"], span.start);
        assert_eq!(r["end"], span.end);
        assert_eq!(
            r["text"],
            &article[span.clone()],
            "the original text is quoted"
        );
        assert!(labels.contains(&r["label"].as_str().unwrap()));
        let probs = r["probabilities"].as_object().unwrap();
        assert_eq!(probs.len(), 5);
        let sum: f64 = probs.values().map(|v| v.as_f64().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-4, "probabilities sum to {sum}");
        let top = probs
            .iter()
            .max_by(|a, b| a.1.as_f64().partial_cmp(&b.1.as_f64()).unwrap())
            .unwrap()
            .0;
        assert_eq!(top, r["label"].as_str().unwrap());
    }
    let summary = &recs[spans.len()];
    assert_eq!(summary["doc"], ARTICLE);
    let total: u64 = summary["summary"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, spans.len());
}

#[test]
fn classify_labels_clear_sentences_as_a_reader_would() {
    let m = model_arg();
    let article = "أعدم التنظيم خمسة من عناصره رميا بالرصاص بتهمة التخابر.\n\
                   تقدمت القوات العراقية نحو مركز المدينة وسيطرت على ثلاثة أحياء بعد معارك عنيفة.\n\
                   ارتفعت أسعار الخبز والوقود في أسواق المدينة مع انقطاع الرواتب.";
    let recs = jsonl(&ok(&tasnif_stdin(
        &["classify", "--model", &m, "--format", "jsonl"],
        article.as_bytes(),
    )));
    let got: Vec<&str> = recs[..3]
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["execution", "military_advance", "other"]);
    assert_eq!(recs[0]["doc"], "-");
}

#[test]
fn classify_csv_and_table_formats() {
    let m = model_arg();
    let csv = ok(&tasnif(&[
        "classify", "--model", &m, "--format", "csv", ARTICLE,
    ]));
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..8],
        [
            "doc",
            "index",
            "start",
            "end",
            "text",
            "label",
            "features",
            "cut_at_limit"
        ]
    );
    assert_eq!(header.len(), 13);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let article = std::fs::read_to_string(common::root().join(ARTICLE)).unwrap();
    assert_eq!(rows.len(), split_sentences(&article).count());
    let table = ok(&tasnif(&[
        "classify", "--model", &m, "--format", "table", ARTICLE,
    ]));
    assert!(table.lines().next().unwrap().contains("label"));
    assert!(table.contains("summary:"));
}

/// Columns a line takes on a terminal (Arabic diacritics take none).
fn columns(line: &str) -> usize {
    line.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}'))
        .count()
}

#[test]
fn classify_table_fits_an_80_column_terminal_and_keeps_every_word() {
    let out = Command::new(env!("CARGO_BIN_EXE_tasnif"))
        .args(["classify", "--format", "table", "--explain", ARTICLE])
        .current_dir(common::root())
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let table = ok(&out);
    let long: Vec<&str> = table.lines().filter(|l| columns(l) > 80).collect();
    assert!(long.is_empty(), "lines wider than 80 columns: {long:?}");
    let article = std::fs::read_to_string(common::root().join(ARTICLE)).unwrap();
    // Glued sentences ("أيام.وأفاد") are two records: compare the words around the dot.
    let words = |s: &str| {
        s.split(|c: char| c.is_whitespace() || c == '.')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect::<Vec<_>>()
    };
    for w in words(&article) {
        assert!(table.contains(&w), "{w} is missing from the table");
    }
}

#[test]
fn evaluate_text_confusion_matrix_fits_80_columns_with_a_legend() {
    let report = ok(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--bootstrap",
        "0",
    ]));
    let matrix: Vec<&str> = report
        .lines()
        .skip_while(|l| !l.starts_with("confusion matrix"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(matrix.len() >= 8, "{report}");
    assert!(matrix.iter().all(|l| l.len() <= 80), "{matrix:#?}");
    assert!(matrix.iter().any(|l| l.contains("mil = military_advance")));
}

#[test]
fn classify_many_files_keeps_input_order() {
    let m = model_arg();
    let files = [
        "data/articles/sinai_wire.txt",
        "data/articles/raqqa_media.txt",
        "data/articles/economy_background.txt",
        "data/articles/sinai_wire.txt",
    ];
    let mut args = vec![
        "classify", "--model", &m, "--format", "jsonl", "--jobs", "2",
    ];
    args.extend(files);
    let recs = jsonl(&ok(&tasnif(&args)));
    let summaries: Vec<&str> = recs
        .iter()
        .filter(|r| r.get("summary").is_some())
        .map(|r| r["doc"].as_str().unwrap())
        .collect();
    assert_eq!(summaries, files);
    // The same article gives the same records wherever it stands.
    let one = jsonl(&ok(&tasnif(&[
        "classify", "--model", &m, "--format", "jsonl", files[0],
    ])));
    let first: Vec<_> = recs.iter().take(one.len()).cloned().collect();
    let last: Vec<_> = recs[recs.len() - one.len()..].to_vec();
    assert_eq!(first, one);
    assert_eq!(last, one);
}

#[test]
fn jsonl_input_shards_concatenate_to_one_run() {
    let m = model_arg();
    let mut lines = Vec::new();
    for (i, f) in [
        "mosul_defections",
        "raqqa_media",
        "sirte_offensive",
        "yemen_court",
        "sinai_wire",
        "economy_background",
    ]
    .iter()
    .enumerate()
    {
        let text =
            std::fs::read_to_string(common::root().join(format!("data/articles/{f}.txt"))).unwrap();
        lines.push(serde_json::json!({"id": format!("a{i}"), "body": text}).to_string());
    }
    let all = lines.join("\n") + "\n";
    let args = [
        "classify",
        "--model",
        &m,
        "--input",
        "jsonl",
        "--text-field",
        "body",
        "--id-field",
        "id",
        "--format",
        "jsonl",
    ];
    let whole = ok(&tasnif_stdin(&args, all.as_bytes()));
    let mut sharded = String::new();
    for shard in lines.chunks(2) {
        sharded += &ok(&tasnif_stdin(&args, (shard.join("\n") + "\n").as_bytes()));
    }
    assert_eq!(whole, sharded);
    assert_eq!(
        jsonl(&whole)
            .iter()
            .filter(|r| r.get("summary").is_some())
            .count(),
        6
    );
}

#[test]
fn min_confidence_marks_uncertain_sentences() {
    let m = model_arg();
    let recs = jsonl(&ok(&tasnif(&[
        "classify",
        "--model",
        &m,
        "--format",
        "jsonl",
        "--min-confidence",
        "0.99",
        ARTICLE,
    ])));
    let uncertain = recs.iter().filter(|r| r["label"] == "uncertain").count();
    assert!(uncertain > 0, "some sentence is below 0.99");
    let summary = recs.last().unwrap();
    assert_eq!(
        summary["summary"]["uncertain"].as_u64().unwrap() as usize,
        uncertain
    );
}

#[test]
fn evaluate_reports_in_every_format() {
    let m = model_arg();
    let report = |format: &str| {
        ok(&tasnif(&[
            "evaluate",
            "--model",
            &m,
            "--data",
            "data/test.csv",
            "--format",
            format,
        ]))
    };
    let json: serde_json::Value = serde_json::from_str(&report("json")).unwrap();
    for key in [
        "accuracy",
        "macro_f1",
        "weighted_f1",
        "per_label",
        "confusion",
    ] {
        assert!(json.get(key).is_some(), "no {key}");
    }
    let acc = json["accuracy"].as_f64().unwrap();
    assert!(acc > 0.6, "accuracy on held-out articles is {acc}");
    let matrix = json["confusion"]["matrix"].as_array().unwrap();
    let total: u64 = matrix
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|v| v.as_u64().unwrap())
        .sum();
    let support: u64 = json["per_label"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v["support"].as_u64().unwrap())
        .sum();
    assert_eq!(total, support);
    let text = report("text");
    assert!(text.contains("macro F1") && text.contains("confusion matrix"));
    let md = report("markdown");
    assert!(md.contains("| label | precision | recall | F1 | support |"));
}

#[test]
fn built_in_model_classifies_without_setup() {
    let recs = jsonl(&ok(&tasnif(&["classify", "--format", "jsonl", ARTICLE])));
    assert!(recs.len() > 5);
    assert!(recs.last().unwrap().get("summary").is_some());
}

#[test]
fn training_twice_gives_identical_files() {
    let dir = tempdir();
    let a = dir.path().join("a.tasnif");
    let b = dir.path().join("b.tasnif");
    for p in [&a, &b] {
        ok(&tasnif(&[
            "train",
            "--data",
            "data/test.csv",
            "--out",
            p.to_str().unwrap(),
            "-q",
            "--max-iter",
            "50",
        ]));
    }
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}

#[test]
fn options_from_config_and_flags_are_saved_in_the_model() {
    let dir = tempdir();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "[tokenize]\nword_min = 1\nword_max = 1\nchar_min = 3\nchar_max = 4\n[train]\nalpha = 0.5\n").unwrap();
    let out = dir.path().join("m.tasnif");
    ok(&tasnif(&[
        "train",
        "--data",
        "data/test.csv",
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--config",
        cfg.to_str().unwrap(),
        "--normalize-off",
        "alef,teh_marbuta",
        "--max-iter",
        "30",
    ]));
    let p = tasnif::pipeline::Pipeline::from_bytes(&std::fs::read(&out).unwrap()).unwrap();
    let c = p.config();
    assert_eq!(
        (
            c.tokenize.word_max,
            c.tokenize.char_min,
            c.tokenize.char_max
        ),
        (1, 3, 4)
    );
    assert_eq!(c.train.alpha, 0.5);
    assert_eq!(c.train.max_iterations, 30);
    assert!(!c.normalize.alef && !c.normalize.teh_marbuta && c.normalize.diacritics);
}

#[test]
fn semicolon_and_tab_separated_csvs_train_with_delimiter() {
    let dir = tempdir();
    let out = dir.path().join("m.tasnif");
    for (sep, flag) in [(";", "';'"), ("\t", "tab")] {
        let csv = format!(
            "doc{sep}text{sep}label\nd1{sep}انشق الجندي عن الجيش{sep}defection\nd2{sep}تقدمت القوات نحو القرية{sep}military_advance\n"
        );
        let path = dir.path().join("d.csv");
        std::fs::write(&path, csv).unwrap();
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
        assert!(
            err.contains(&format!(
                "looks separated by {flag}: pass --delimiter {flag}"
            )),
            "{err}"
        );
        let value = if sep == "\t" { "tab" } else { sep };
        ok(&train(&["--delimiter", value]));
    }
    let err = fails(&tasnif(&[
        "train",
        "--data",
        "x.csv",
        "--out",
        "m",
        "--delimiter",
        "ab",
    ]));
    assert!(err.contains("not a separator"), "{err}");
}

#[test]
fn options_newcomers_trip_over_say_what_to_do() {
    // The output is checked before the data is read or a model trained.
    let err = fails(&tasnif(&[
        "train",
        "--data",
        "no-such.csv",
        "--out",
        "/no/such/dir/m.tasnif",
    ]));
    assert!(err.contains("/no/such/dir/m.tasnif: cannot write"), "{err}");
    // Flags are named, not the data file.
    let err = fails(&tasnif(&["cv", "--data", "data/train.csv", "--folds", "1"]));
    assert!(
        err.contains("--folds") && !err.contains("data/train.csv"),
        "{err}"
    );
    // Only formats that are implemented are offered.
    for (cmd, format) in [("cv", "html"), ("explain", "markdown"), ("explain", "html")] {
        let mut args = vec![cmd, "--format", format];
        if cmd == "cv" {
            args.extend(["--data", "data/train.csv"]);
        }
        let err = fails(&tasnif(&args));
        assert!(err.contains("invalid value"), "{cmd} {format}: {err}");
    }
}

#[test]
fn cv_json_has_evaluate_json_shape_per_fold() {
    let dir = tempdir();
    let csv = dir.path().join("d.csv");
    let mut rows = String::from("doc,text,label\n");
    for i in 0..12 {
        rows += &format!("a{i},انشق الجندي رقم {i} عن الجيش,defection\nb{i},تقدمت القوات نحو القرية {i},military_advance\n");
    }
    std::fs::write(&csv, rows).unwrap();
    let out = ok(&tasnif(&[
        "cv",
        "--data",
        csv.to_str().unwrap(),
        "--folds",
        "2",
        "--format",
        "json",
        "-q",
        "--min-df",
        "1",
        "--max-df",
        "1",
    ]));
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fold = &r["folds"][0];
    assert!(fold["per_label"]["defection"]["f1"].is_number(), "{fold}");
    assert!(fold["confusion"]["matrix"].is_array());
}

#[test]
fn info_describes_a_model_and_version_names_the_built_in_one() {
    let m = model_arg();
    let v: serde_json::Value =
        serde_json::from_str(&ok(&tasnif(&["info", "--model", &m, "--format", "json"]))).unwrap();
    let bytes = std::fs::read(&m).unwrap();
    assert_eq!(v["hash"], tasnif::model_file::model_hash(&bytes));
    assert_eq!(v["labels"].as_array().unwrap().len(), 5);
    let vocab = &v["vocabulary"];
    assert_eq!(
        vocab["total"].as_u64().unwrap(),
        vocab["words"].as_u64().unwrap() + vocab["chars"].as_u64().unwrap()
    );
    assert!(v["settings"]["tokenize"]["char_min"].is_number());
    assert!(v["training"]["sentences"].as_u64().unwrap() > 1000);
    let builtin = std::fs::read(root().join("models/default.tasnif")).unwrap();
    let version = ok(&tasnif(&["--version"]));
    assert!(
        version.contains(&tasnif::model_file::model_hash(&builtin)),
        "{version}"
    );
    let text = ok(&tasnif(&["info"]));
    assert!(text.contains("labels: defection, execution"), "{text}");
}
