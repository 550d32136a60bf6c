//! `tasnif suggest` end to end: what to label next, in every format.

mod common;

use std::collections::{BTreeSet, HashMap, HashSet};

use common::*;
use tasnif::sentence::split_sentences;

const LABELS: [&str; 5] = [
    "defection",
    "execution",
    "military_advance",
    "other",
    "propaganda",
];

/// The repository's articles, sorted.
fn articles() -> Vec<String> {
    let mut paths: Vec<String> = std::fs::read_dir(root().join("data/articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| format!("data/articles/{}", p.file_name().unwrap().to_str().unwrap()))
        .collect();
    paths.sort();
    paths
}

fn suggest(extra: &[&str], files: &[String]) -> String {
    let mut args = vec!["suggest"];
    args.extend_from_slice(extra);
    args.extend(files.iter().map(String::as_str));
    ok(&tasnif(&args))
}

/// The CSV rows as (doc, index, text, label, suggested, probabilities).
fn rows(csv_text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// No (doc, index) twice and at most `per_doc` rows per doc.
fn assert_spread(rows: &[Vec<String>], per_doc: usize) {
    let mut seen = HashSet::new();
    let mut per: HashMap<&str, usize> = HashMap::new();
    for row in rows {
        assert!(
            seen.insert((&row[0], &row[1])),
            "{} {} twice",
            row[0],
            row[1]
        );
        *per.entry(&row[0]).or_default() += 1;
    }
    assert!(per.values().all(|&n| n <= per_doc), "{per:?}");
}

#[test]
fn csv_is_ready_to_label_and_quotes_the_article() {
    let files = articles();
    let out = suggest(&["--n", "12", "--per-doc", "2"], &files);
    let (header, rows) = rows(&out);
    let mut want = vec!["doc", "index", "text", "label", "suggested"];
    let p: Vec<String> = LABELS.iter().map(|l| format!("p_{l}")).collect();
    want.extend(p.iter().map(String::as_str));
    assert_eq!(header, want);
    assert_eq!(rows.len(), 12);
    assert_spread(&rows, 2);
    for row in &rows {
        assert_eq!(row[3], "", "label is left to the annotator");
        assert!(LABELS.contains(&row[4].as_str()), "{}", row[4]);
        let probs: Vec<f32> = row[5..].iter().map(|p| p.parse().unwrap()).collect();
        assert!((probs.iter().sum::<f32>() - 1.0).abs() < 1e-2);
        // `index` is the sentence's number in its article, as classify counts.
        let article = std::fs::read_to_string(root().join(&row[0])).unwrap();
        let index: usize = row[1].parse().unwrap();
        let span = split_sentences(&article).nth(index).unwrap();
        assert_eq!(article[span].trim(), row[2]);
    }
}

#[test]
fn the_same_input_gives_the_same_picks_and_per_doc_holds() {
    let files = articles();
    for per_doc in ["1", "3"] {
        for strategy in ["margin", "entropy"] {
            let args = ["--n", "200", "--per-doc", per_doc, "--strategy", strategy];
            let a = suggest(&args, &files);
            assert_eq!(a, suggest(&args, &files));
            let (_, rows) = rows(&a);
            assert_spread(&rows, per_doc.parse().unwrap());
            assert!(rows.len() >= files.len(), "{strategy}: {}", rows.len());
        }
    }
}

#[test]
fn every_predicted_label_is_represented() {
    let files = articles();
    // The labels classify predicts for these articles.
    let mut args = vec!["classify", "--format", "csv"];
    args.extend(files.iter().map(String::as_str));
    let (header, all) = rows(&ok(&tasnif(&args)));
    let label_col = header.iter().position(|h| h == "label").unwrap();
    let predicted: BTreeSet<String> = all
        .iter()
        .map(|r| r[label_col].clone())
        .filter(|l| LABELS.contains(&l.as_str()))
        .collect();
    assert!(predicted.len() >= 4, "{predicted:?}");
    // Ten picks, most of them could go to the least sure label; all labels still come.
    let (_, picks) = rows(&suggest(&["--n", "10"], &files));
    let suggested: BTreeSet<String> = picks.iter().map(|r| r[4].clone()).collect();
    assert_eq!(suggested, predicted);
}

#[test]
fn doccano_and_prodigy_lines_carry_the_suggestion() {
    let files = articles();
    let doccano = suggest(&["--n", "5", "--format", "doccano"], &files);
    let prodigy = suggest(&["--n", "5", "--format", "prodigy"], &files);
    let (_, csv_rows) = rows(&suggest(&["--n", "5"], &files));
    let parse = |s: &str| -> Vec<serde_json::Value> {
        s.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let (d, p) = (parse(&doccano), parse(&prodigy));
    assert_eq!((d.len(), p.len()), (5, 5));
    for ((d, p), row) in d.iter().zip(&p).zip(&csv_rows) {
        assert_eq!(d["text"], row[2].as_str());
        assert_eq!(d["label"], serde_json::json!([row[4]]));
        assert_eq!(d["doc"], row[0].as_str());
        assert_eq!(p["text"], row[2].as_str());
        assert_eq!(p["label"], row[4].as_str());
        assert_eq!(p["accept"], serde_json::json!([row[4]]));
        assert_eq!(p["options"].as_array().unwrap().len(), LABELS.len());
        assert_eq!(p["meta"]["index"], row[1].parse::<u64>().unwrap());
    }
}

#[test]
fn out_writes_the_file_and_nothing_to_stdout() {
    let dir = tempdir();
    let path = dir.path().join("next.csv");
    let files = articles();
    let out = suggest(&["--n", "3", "--out", path.to_str().unwrap()], &files);
    assert_eq!(out, "");
    let (_, rows) = rows(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(rows.len(), 3);
}

#[test]
fn jsonl_input_names_articles_by_id_and_skips_markers() {
    let lines = [
        r#"{"id": "a1", "text": "انشق عشرات المقاتلين عن التنظيم وفروا إلى تركيا. !!! ..."}"#,
        r#"{"id": "a2", "text": "تقدمت القوات نحو المدينة وسيطرت على ثلاث قرى."}"#,
    ]
    .join("\n");
    let out = tasnif_stdin(
        &[
            "suggest",
            "--input",
            "jsonl",
            "--id-field",
            "id",
            "--n",
            "10",
        ],
        lines.as_bytes(),
    );
    let (_, rows) = rows(&ok(&out));
    let docs: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        rows.len(),
        2,
        "the marker sentences are not suggested: {docs:?}"
    );
    assert!(docs.contains(&"a1") && docs.contains(&"a2"));
}

#[test]
fn counts_of_zero_are_refused() {
    for args in [["--n", "0"], ["--per-doc", "0"]] {
        let mut all = vec!["suggest"];
        all.extend(args);
        all.push("data/articles/mosul_defections.txt");
        let out = tasnif(&all);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains(args[0]));
    }
}

#[test]
fn the_news_corpus_first_200_articles() {
    let Some(corpus) = shared("corpus/news-ar.txt") else {
        return;
    };
    let dir = tempdir();
    let part = dir.path().join("news-200.txt");
    let text = std::fs::read_to_string(corpus).unwrap();
    let head: Vec<&str> = text.lines().take(200).collect();
    std::fs::write(&part, head.join("\n") + "\n").unwrap();
    let name = part.to_str().unwrap().to_string();
    let args = ["--input", "lines", "--n", "60", "--per-doc", "2", "--quiet"];
    let out = suggest(&args, std::slice::from_ref(&name));
    let (_, rows) = rows(&out);
    assert_eq!(rows.len(), 60);
    assert_spread(&rows, 2);
    let texts: HashSet<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(texts.len(), 60, "no text twice");
    for row in &rows {
        let line: usize = row[0].rsplit_once(':').unwrap().1.parse().unwrap();
        assert!(
            row[0].starts_with(&name) && (1..=200).contains(&line),
            "{}",
            row[0]
        );
        assert!(head[line - 1].contains(&row[2]));
    }
    let labels: BTreeSet<&str> = rows.iter().map(|r| r[4].as_str()).collect();
    assert!(labels.len() >= 4, "{labels:?}");
    assert_eq!(out, suggest(&args, &[name]));
}
