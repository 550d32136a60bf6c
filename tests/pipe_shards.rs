//! `classify --input jsonl` under a distributed engine, driven the way PySpark's
//! `RDD.pipe` drives it (issue 9): one child per partition with an empty environment,
//! standard input written from another thread, standard output read line by line, and
//! the exit code checked afterwards (what `checkCode=True` does).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, ExitStatus, Stdio};

use common::*;

/// The README recipe's command line.
const RECIPE: &[&str] = &[
    "classify",
    "--input",
    "jsonl",
    "--id-field",
    "id",
    "--format",
    "jsonl",
    "--jobs",
    "1",
];

/// What one partition's child gave back.
struct Piped {
    /// The lines of standard output, without their line ends (as Spark yields them).
    lines: Vec<String>,
    status: ExitStatus,
    stderr: String,
}

/// Pipe `records` through tasnif with `args` as `RDD.pipe` does: `Popen(shlex.split(cmd),
/// env={})`, a writer thread that sends each record plus "\n" and closes standard input,
/// standard output read line by line on this thread, then `wait()`.
fn pipe_partition(args: &[&str], records: &[String]) -> Piped {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tasnif"))
        .args(args)
        .env_clear()
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tasnif");
    let mut stdin = child.stdin.take().unwrap();
    let records = records.to_vec();
    let writer = std::thread::spawn(move || {
        for r in &records {
            // A child that stops reading early closes the pipe; Spark's writer thread
            // dies on that too, and only the exit code tells.
            if stdin
                .write_all(format!("{}\n", r.trim_end_matches('\n')).as_bytes())
                .is_err()
            {
                return;
            }
        }
    });
    let mut stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if stdout.read_until(b'\n', &mut buf).expect("read tasnif") == 0 {
            break;
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        lines.push(String::from_utf8(buf.clone()).expect("UTF-8 output"));
    }
    let status = child.wait().expect("wait for tasnif");
    writer.join().unwrap();
    Piped {
        lines,
        status,
        stderr: errors.join().unwrap(),
    }
}

/// Articles as `{"id": ..., "text": ...}` lines: the first 200 of the news corpus, or
/// the repository's own articles when `../shared/` is not there.
fn articles() -> Vec<String> {
    let texts: Vec<String> = match shared("corpus/news-ar.txt") {
        Some(path) => std::fs::read_to_string(path)
            .expect("read the news corpus")
            .lines()
            .take(200)
            .map(str::to_string)
            .collect(),
        None => {
            eprintln!("pipe_shards: using data/articles/ instead of the news corpus");
            let mut paths: Vec<_> = std::fs::read_dir(root().join("data/articles"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .collect();
            paths.sort();
            paths
                .iter()
                .map(|p| std::fs::read_to_string(p).unwrap())
                .collect()
        }
    };
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| serde_json::json!({"id": format!("art-{i:04}"), "text": text}).to_string())
        .collect()
}

/// Four partitions of uneven sizes, the second one empty.
fn partitions(records: &[String]) -> Vec<&[String]> {
    let n = records.len();
    let a = (n / 7).max(1);
    let c = (n * 3 / 4).max(a);
    vec![&records[..a], &records[a..a], &records[a..c], &records[c..]]
}

#[test]
fn piped_partitions_concatenate_to_one_run() {
    let records = articles();
    assert!(records.len() >= 6);
    let whole = ok(&tasnif_stdin(
        RECIPE,
        (records.join("\n") + "\n").as_bytes(),
    ));

    let mut saved = String::new();
    for (i, part) in partitions(&records).iter().enumerate() {
        let out = pipe_partition(RECIPE, part);
        assert!(
            out.status.success(),
            "partition {i}: tasnif exited with {:?}\nstderr: {}",
            out.status,
            out.stderr
        );
        if part.is_empty() {
            assert!(out.lines.is_empty(), "an empty partition gives no records");
        }
        // saveAsTextFile writes each element and a line end; part files in order.
        for line in &out.lines {
            saved += line;
            saved += "\n";
        }
    }
    assert!(
        saved == whole,
        "the partitions' output differs from one run"
    );

    let ids: Vec<String> = records
        .iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(r).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let summarized: Vec<String> = jsonl(&saved)
        .iter()
        .filter(|r| r.get("summary").is_some())
        .map(|r| r["doc"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(summarized, ids, "one summary per article, in input order");
}

#[test]
fn default_ids_repeat_across_partitions() {
    // Why the recipe passes --id-field: without it an article is named by its line in
    // the child's input, and every partition starts again at line 1.
    let records = articles();
    let args: Vec<&str> = RECIPE
        .iter()
        .copied()
        .filter(|a| *a != "--id-field" && *a != "id")
        .collect();
    let mut docs = Vec::new();
    for part in partitions(&records) {
        let out = pipe_partition(&args, part);
        assert!(out.status.success(), "stderr: {}", out.stderr);
        for line in &out.lines {
            let r: serde_json::Value = serde_json::from_str(line).unwrap();
            if r.get("summary").is_some() {
                docs.push(r["doc"].as_str().unwrap().to_string());
            }
        }
    }
    assert_eq!(docs.len(), records.len());
    let mut unique = docs.clone();
    unique.sort();
    unique.dedup();
    assert!(unique.len() < docs.len(), "default ids collide: {docs:?}");
}

#[test]
fn a_malformed_line_fails_the_partition() {
    // checkCode=True turns this exit code into a failed task; without it Spark keeps
    // whatever was written and reports success.
    let records = articles();
    let mut part: Vec<String> = records[..3].to_vec();
    part.insert(1, r#"{"id": "broken", "text": "#.to_string());
    let out = pipe_partition(RECIPE, &part);
    assert!(
        out.status.code().is_some_and(|c| c != 0),
        "a malformed line must give a non-zero exit code, got {:?}",
        out.status
    );
    for line in &out.lines {
        assert!(
            serde_json::from_str::<serde_json::Value>(line).is_ok(),
            "not a JSON line: {line}"
        );
    }
}
