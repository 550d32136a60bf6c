//! README's examples are real output of the current binary. Every fenced block whose
//! first line is `$ COMMAND` is run (through `sh`, with the binary first on `PATH`, in
//! a scratch folder that sees the repository's `data/` and `models/` and
//! `../shared/`), and the lines the block shows must come out, in order: `...` stands
//! for lines left out, and a line that says when the run happened or how long it took
//! only has to be there. A block may hold several commands, each followed by its
//! output. Blocks that read `../shared/` skip, with a message, when it is absent.

mod common;

use std::path::Path;
use std::process::Command;

use common::{root, shared};

/// One `$ command` of a block and the lines shown after it.
struct Example {
    line: usize,
    command: String,
    shown: Vec<String>,
}

/// The examples of README.md, block by block.
fn examples(readme: &str) -> Vec<Vec<Example>> {
    let mut blocks = Vec::new();
    let mut lines = readme.lines().enumerate();
    while let Some((_, l)) = lines.next() {
        if !l.starts_with("```") {
            continue;
        }
        let body: Vec<(usize, &str)> = lines
            .by_ref()
            .take_while(|(_, l)| !l.starts_with("```"))
            .collect();
        if !body.first().is_some_and(|(_, l)| l.starts_with("$ ")) {
            continue;
        }
        let mut block: Vec<Example> = Vec::new();
        for (i, l) in body {
            match l.strip_prefix("$ ") {
                Some(cmd) => block.push(Example {
                    line: i + 1,
                    command: cmd.to_string(),
                    shown: Vec::new(),
                }),
                None => block.last_mut().unwrap().shown.push(l.to_string()),
            }
        }
        blocks.push(block);
    }
    blocks
}

/// Lines whose content depends on when or how fast the example ran.
fn volatile(line: &str) -> Option<&str> {
    let t = line.trim_start();
    ["when:", "time:"]
        .into_iter()
        .find(|p| t.starts_with(p))
        .map(|p| &line[..line.len() - t.len() + p.len()])
}

/// The lines of `shown` missing from `out` in order (`...` skips any lines).
fn missing(shown: &[String], out: &str) -> Vec<String> {
    let mut out = out.lines().map(str::trim_end);
    let mut missed = Vec::new();
    for want in shown.iter().map(|s| s.trim_end()) {
        if want == "..." {
            continue;
        }
        let matches = |got: &str| match volatile(want) {
            Some(prefix) => got.starts_with(prefix),
            None => got == want,
        };
        if !out.any(matches) {
            missed.push(want.to_string());
            break;
        }
    }
    missed
}

/// A scratch folder under target/ where `data`, `models` and `../shared` are the
/// repository's.
fn scratch() -> tempfile::TempDir {
    let base = root().join("target").join("readme-examples");
    std::fs::create_dir_all(&base).unwrap();
    let shared = root().join("..").join("shared");
    let link = base.join("shared");
    if shared.exists() && !link.exists() {
        std::os::unix::fs::symlink(&shared, &link).unwrap();
    }
    let dir = tempfile::tempdir_in(&base).unwrap();
    for name in ["data", "models"] {
        std::os::unix::fs::symlink(root().join(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn run(command: &str, dir: &Path) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_tasnif")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .args(["-c", command])
        .current_dir(dir)
        .env("PATH", path)
        .env("COLUMNS", "100")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "README: `{command}` failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn readme_examples_are_what_the_binary_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let blocks = examples(&readme);
    assert!(blocks.len() >= 8, "found {} example blocks", blocks.len());
    let mut wrong = Vec::new();
    for block in &blocks {
        if block.iter().any(|e| e.command.contains("../shared/")) && shared("eval").is_none() {
            continue;
        }
        let dir = scratch();
        for e in block {
            let out = run(&e.command, dir.path());
            for m in missing(&e.shown, &out) {
                wrong.push(format!(
                    "README.md:{}: `{}` did not print\n  {m}\nit printed:\n{out}",
                    e.line, e.command
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn missing_follows_order_and_elisions() {
    let shown = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(missing(&shown(&["a", "...", "c"]), "a\nb\nc\n").is_empty());
    assert_eq!(missing(&shown(&["c", "a"]), "a\nb\nc\n"), ["a"]);
    assert!(missing(&shown(&["  when: 2020"]), "  when: 2026\n").is_empty());
    assert_eq!(missing(&shown(&["x"]), "a\n"), ["x"]);
}
