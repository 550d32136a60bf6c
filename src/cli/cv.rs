//! `tasnif cv` and `tasnif tune`: cross-validation and grid search.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use tasnif::corpus::LabeledSentence;
use tasnif::cv::{cross_validate, folds, CvReport};
use tasnif::pipeline::{Pipeline, TrainConfig};

use super::files::{read_corpus, read_corpus_with_groups, write_atomic};
use super::hints::hinted;
use super::train::config_from_args;
use super::{CvArgs, CvFormat, ModelArgs, RankBy, TuneArgs};

fn progress(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

fn run_cv(
    data: &[LabeledSentence],
    config: &TrainConfig,
    a: &CvArgs,
    show: bool,
) -> Result<CvReport> {
    let f = folds(data, a.folds, a.group_col.is_some(), a.seed).map_err(hinted)?;
    let bar = show.then(|| {
        let b = indicatif::ProgressBar::new(f.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {pos}/{len} folds, {elapsed}",
            )
            .unwrap(),
        );
        b.set_message("cross-validating");
        b
    });
    let report = cross_validate(data, config, &f, |_, _| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    })
    .map_err(hinted)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(report)
}

/// The JSON of a cross-validation: each fold's report in `evaluate`'s shape
/// (`per_label` a map by label).
fn cv_json(r: &CvReport) -> serde_json::Value {
    serde_json::json!({
        "folds": r.folds.iter().map(super::evaluate::json_value).collect::<Vec<_>>(),
        "accuracy": r.accuracy,
        "macro_f1": r.macro_f1,
        "weighted_f1": r.weighted_f1,
        "per_label_f1": r.per_label_f1,
    })
}

pub fn run_cv_command(a: CvArgs) -> Result<()> {
    let started = Instant::now();
    let config = config_from_args(&a.model)?;
    let corpus = read_corpus_with_groups(&a.data, a.group_col.as_deref(), a.quiet)?;
    let report = run_cv(&corpus.sentences, &config, &a, progress(a.quiet))
        .with_context(|| a.data.data.display().to_string())?;
    let out = match a.format {
        CvFormat::Json => serde_json::to_string_pretty(&cv_json(&report))? + "\n",
        CvFormat::Markdown => markdown(&report, a.folds),
        CvFormat::Text => text(&report, a.folds),
    };
    super::write_stdout(out.as_bytes())?;
    if !a.quiet {
        eprintln!(
            "cv: {} folds in {:.1} s",
            a.folds,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn text(r: &CvReport, k: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{k}-fold cross-validation (mean ± standard deviation over folds)"
    );
    let _ = writeln!(
        s,
        "accuracy:    {:.4} ± {:.4}",
        r.accuracy.mean, r.accuracy.std
    );
    let _ = writeln!(
        s,
        "macro F1:    {:.4} ± {:.4}",
        r.macro_f1.mean, r.macro_f1.std
    );
    let _ = writeln!(
        s,
        "weighted F1: {:.4} ± {:.4}\n",
        r.weighted_f1.mean, r.weighted_f1.std
    );
    let _ = writeln!(s, "{:<20} {:>16}", "label", "F1");
    for (l, v) in &r.per_label_f1 {
        let _ = writeln!(s, "{l:<20} {:>7.4} ± {:.4}", v.mean, v.std);
    }
    s
}

fn markdown(r: &CvReport, k: usize) -> String {
    let mut s = format!("{k}-fold cross-validation\n\n| metric | mean | std |\n|---|---:|---:|\n");
    for (name, v) in [
        ("accuracy", r.accuracy),
        ("macro F1", r.macro_f1),
        ("weighted F1", r.weighted_f1),
    ] {
        let _ = writeln!(s, "| {name} | {:.4} | {:.4} |", v.mean, v.std);
    }
    let _ = writeln!(s, "\n| label | F1 mean | F1 std |\n|---|---:|---:|");
    for (l, v) in &r.per_label_f1 {
        let _ = writeln!(s, "| {l} | {:.4} | {:.4} |", v.mean, v.std);
    }
    s
}

/// One axis of the grid: an option name and its values.
fn parse_grid(spec: &str) -> Result<Vec<(String, Vec<String>)>> {
    let mut axes = Vec::new();
    for part in spec.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, values)) = part.split_once('=') else {
            bail!("--grid: {part:?} is not NAME=V1,V2,...");
        };
        let values: Vec<String> = values
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            bail!("--grid: {name} has no values");
        }
        axes.push((name.trim().to_string(), values));
    }
    if axes.is_empty() {
        bail!("--grid is empty; e.g. --grid 'alpha=0.03,0.1,0.3;char_ngrams=2-5,1-4'");
    }
    Ok(axes)
}

/// The options a `--grid` may vary (`tune --help` lists each).
pub const GRID_KEYS: &[&str] = &[
    "alpha",
    "max_iter",
    "min_df",
    "max_df",
    "max_features",
    "word_weight",
    "char_weight",
    "word_ngrams",
    "char_ngrams",
    "strip_clitics",
    "stopwords",
    "class_weight",
    "normalize_off",
];

fn apply(m: &mut ModelArgs, name: &str, v: &str) -> Result<()> {
    let num = |what: &str| -> Result<f64> {
        v.parse()
            .with_context(|| format!("--grid {what}={v}: not a number"))
    };
    match name {
        "alpha" => m.alpha = Some(num(name)?),
        "max_iter" => m.max_iter = Some(num(name)? as u64),
        "min_df" => m.min_df = Some(num(name)? as usize),
        "max_df" => m.max_df = Some(num(name)?),
        "max_features" => m.max_features = Some(num(name)? as usize),
        "word_weight" => m.word_weight = Some(num(name)? as f32),
        "char_weight" => m.char_weight = Some(num(name)? as f32),
        "word_ngrams" => m.word_ngrams = Some(v.to_string()),
        "char_ngrams" => m.char_ngrams = Some(v.to_string()),
        "strip_clitics" => {
            m.strip_clitics = Some(
                v.parse()
                    .with_context(|| format!("--grid strip_clitics={v}"))?,
            )
        }
        "stopwords" => {
            m.stopwords = Some(v.parse().with_context(|| format!("--grid stopwords={v}"))?)
        }
        "class_weight" => {
            m.class_weight = Some(match v {
                "none" => super::ClassWeightArg::None,
                "balanced" => super::ClassWeightArg::Balanced,
                _ => bail!("--grid class_weight={v}: none or balanced"),
            })
        }
        "normalize_off" => {
            m.normalize_off = if v == "none" {
                Vec::new()
            } else {
                v.split('+').map(String::from).collect()
            }
        }
        other => bail!(
            "--grid: unknown option {other:?}; options are {} (normalize_off: rules joined with +)",
            GRID_KEYS.join(", ")
        ),
    }
    Ok(())
}

/// One setting of the grid and its scores.
struct Scored {
    cv: tasnif::cv::Spread,
    holdout: Option<f64>,
    label: String,
    config: TrainConfig,
}

pub fn run_tune(a: TuneArgs) -> Result<()> {
    let started = Instant::now();
    if a.rank_by == RankBy::Holdout && a.holdout.is_none() {
        bail!("--rank-by holdout needs --holdout FILE.csv");
    }
    let axes = parse_grid(&a.grid)?;
    let corpus = read_corpus_with_groups(&a.cv.data, a.cv.group_col.as_deref(), a.cv.quiet)?;
    let holdout = read_holdout(&a)?;
    let combos = combinations(&axes);
    let show = progress(a.cv.quiet);
    let stop = stop_on_interrupt();
    let mut results = Vec::with_capacity(combos.len());
    for (n, combo) in combos.iter().enumerate() {
        if stop.load(Ordering::SeqCst) {
            eprintln!(
                "tune: interrupted; the {} of {} settings scored so far:",
                n,
                combos.len()
            );
            break;
        }
        if show {
            eprintln!("[{}/{}] {}", n + 1, combos.len(), setting_label(combo));
        }
        results.push(score_setting(
            &a,
            combo,
            &corpus.sentences,
            holdout.as_deref(),
            show,
        )?);
    }
    if results.is_empty() {
        bail!("tune: interrupted before the first setting was scored");
    }
    let order = rank(&results, a.rank_by);
    super::write_stdout(ranking_table(&results, &order, holdout.is_some()).as_bytes())?;
    if let Some(path) = &a.out {
        write_best(path, &a.grid, &results[order[0]])?;
    }
    if !a.cv.quiet {
        eprintln!(
            "tune: {} settings × {} folds in {:.1} s",
            results.len(),
            a.cv.folds,
            started.elapsed().as_secs_f64()
        );
    }
    if results.len() < combos.len() {
        // Interrupted: the partial ranking is out; exit as an interrupted program does.
        std::process::exit(130);
    }
    Ok(())
}

/// A flag set by the first Ctrl-C, so that tune ranks the settings scored so far after
/// the current one; a second Ctrl-C quits at once.
fn stop_on_interrupt() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let installed = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\ntune: stopping after the current setting (Ctrl-C again to quit now)");
    });
    if let Err(e) = installed {
        eprintln!("tune: Ctrl-C will quit without partial results ({e})");
    }
    stop
}

/// The `--holdout` file's sentences, read with the data's column options.
fn read_holdout(a: &TuneArgs) -> Result<Option<Vec<LabeledSentence>>> {
    let Some(path) = &a.holdout else {
        return Ok(None);
    };
    let args = super::DataArgs {
        data: path.clone(),
        ..a.cv.data.clone()
    };
    Ok(Some(read_corpus(&args, a.cv.quiet)?.sentences))
}

/// Every combination of the axes' values, the first axis varying slowest.
fn combinations(axes: &[(String, Vec<String>)]) -> Vec<Vec<(String, String)>> {
    let mut combos: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (name, values) in axes {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                values
                    .iter()
                    .map(move |v| [c.clone(), vec![(name.clone(), v.clone())]].concat())
            })
            .collect();
    }
    combos
}

fn setting_label(combo: &[(String, String)]) -> String {
    combo
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cross-validates one setting and, with a holdout file, scores a model trained on all
/// the data on it.
fn score_setting(
    a: &TuneArgs,
    combo: &[(String, String)],
    data: &[LabeledSentence],
    holdout: Option<&[LabeledSentence]>,
    show: bool,
) -> Result<Scored> {
    let mut m = a.cv.model.clone();
    for (name, v) in combo {
        apply(&mut m, name, v)?;
    }
    let config = config_from_args(&m)?;
    let label = setting_label(combo);
    let at = |path: &Path| format!("{}: {label}", path.display());
    let cv = run_cv(data, &config, &a.cv, show).with_context(|| at(&a.cv.data.data))?;
    let holdout = match holdout {
        Some(h) => {
            let pipeline = Pipeline::fit(data, &config)
                .map_err(hinted)
                .with_context(|| at(&a.cv.data.data))?;
            let path = a.holdout.as_deref().unwrap_or(Path::new("holdout"));
            let (report, _) = pipeline
                .evaluate(h)
                .map_err(hinted)
                .with_context(|| at(path))?;
            Some(report.macro_f1)
        }
        None => None,
    };
    Ok(Scored {
        cv: cv.macro_f1,
        holdout,
        label,
        config,
    })
}

/// Indices of `results`, best first by the chosen macro F1 (ties in grid order).
fn rank(results: &[Scored], by: RankBy) -> Vec<usize> {
    let score = |r: &Scored| match by {
        RankBy::Cv => r.cv.mean,
        RankBy::Holdout => r.holdout.unwrap_or(f64::NEG_INFINITY),
    };
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by(|&x, &y| {
        score(&results[y])
            .total_cmp(&score(&results[x]))
            .then(x.cmp(&y))
    });
    order
}

fn ranking_table(results: &[Scored], order: &[usize], with_holdout: bool) -> String {
    let mut out = String::new();
    let holdout_head = if with_holdout { "holdout F1  " } else { "" };
    let _ = writeln!(out, "rank  cv macro F1        {holdout_head}options");
    for (rank, &i) in order.iter().enumerate() {
        let r = &results[i];
        let h = r
            .holdout
            .map(|h| format!("{h:.4}      "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:>4}  {:.4} ± {:.4}   {h}{}",
            rank + 1,
            r.cv.mean,
            r.cv.std,
            r.label
        );
    }
    out
}

/// The best setting as a training config in TOML, with its scores in a comment.
fn write_best(path: &Path, grid: &str, best: &Scored) -> Result<()> {
    let toml = toml::to_string(&best.config).context("cannot write the config as TOML")?;
    let holdout = best
        .holdout
        .map(|h| format!(", holdout macro F1 {h:.4}"))
        .unwrap_or_default();
    let text = format!(
        "# best of `tasnif tune --grid {grid:?}`: cv macro F1 {:.4} ± {:.4}{holdout}\n# {}\n{toml}",
        best.cv.mean, best.cv.std, best.label
    );
    write_atomic(path, text.as_bytes())
}
