//! The HTML report rendered in headless Chromium. Its own test binary without the
//! test harness, so that what it did shows in `cargo test`'s output: it renders the
//! report, or says in plain sight that it skipped because Chromium is not installed.
//! Under `CI=true` a missing browser is a failure (`.ci/run` installs Debian's
//! `chromium`).

mod common;

use std::process::{Command, ExitCode};

use common::*;

const NAME: &str = "html_report_renders_in_chromium";

fn main() -> ExitCode {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    match chromium {
        Some(chromium) => {
            renders_in(chromium);
            println!("test {NAME} ... ok");
            ExitCode::SUCCESS
        }
        None if std::env::var("CI").as_deref() == Ok("true") => {
            println!("test {NAME} ... FAILED: chromium is not installed under CI=true; .ci/run installs it");
            ExitCode::FAILURE
        }
        None => {
            println!(
                "test {NAME} ... SKIPPED: chromium is not installed (apt-get install chromium)"
            );
            ExitCode::SUCCESS
        }
    }
}

fn html_report(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let page = dir.path().join("report.html");
    ok(&tasnif(&[
        "evaluate",
        "--data",
        "data/test.csv",
        "--format",
        "html",
        "--out",
        page.to_str().unwrap(),
    ]));
    page
}

/// Renders the report in headless Chromium when it is installed (`.ci/run` installs
/// Debian's `chromium`), and checks the page and its SVG are there.
fn renders_in(chromium: &str) {
    let dir = tempdir();
    let page = html_report(&dir);
    let profile = dir.path().join("profile");
    let shot = dir.path().join("report.png");
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let url = format!("file://{}", page.display());
    let run = |args: &[&str]| {
        Command::new(chromium)
            .args(flags)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args)
            .output()
            .unwrap()
    };
    let dom = run(&["--dump-dom", &url]);
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    assert!(
        dom_text.contains("<svg id=\"confusion\""),
        "rendered DOM lacks the SVG"
    );
    assert!(dom_text.contains("tasnif evaluation"));
    let stderr = String::from_utf8_lossy(&dom.stderr);
    assert!(
        !stderr.contains("Uncaught") && !stderr.contains("CONSOLE("),
        "page errors: {stderr}"
    );
    let shot_run = run(&[
        "--window-size=1200,1800",
        &format!("--screenshot={}", shot.display()),
        &url,
    ]);
    assert!(
        shot_run.status.success(),
        "{}",
        String::from_utf8_lossy(&shot_run.stderr)
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "screenshot of {} bytes",
        png.len()
    );
    if let Ok(keep) = std::env::var("TASNIF_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}
