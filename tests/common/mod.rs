//! Helpers for tests that drive the `tasnif` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/<rel>` when it exists; otherwise prints why the caller skips.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = root().join("..").join("shared").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} is not there", p.display());
        None
    }
}

/// Run tasnif with `args`, standard input from `stdin`.
pub fn tasnif_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tasnif"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tasnif");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait for tasnif");
    writer.join().unwrap();
    out
}

/// Run tasnif with `args` and empty standard input.
pub fn tasnif(args: &[&str]) -> Output {
    tasnif_stdin(args, b"")
}

/// Standard output as text, after checking the exit code is 0.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "tasnif failed: {:?}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// Standard error as text, after checking the exit code is 2.
pub fn fails(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit code 2; stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty() || !out.stderr.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh temporary folder.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// A model trained once per test binary on `data/train.csv` with default options.
pub fn trained_model() -> &'static Path {
    static MODEL: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &MODEL
        .get_or_init(|| {
            let dir = tempdir();
            let path = dir.path().join("model.tasnif");
            ok(&tasnif(&[
                "train",
                "--data",
                "data/train.csv",
                "--out",
                path.to_str().unwrap(),
                "-q",
            ]));
            (dir, path)
        })
        .1
}

/// Parse JSON lines.
pub fn jsonl(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}
