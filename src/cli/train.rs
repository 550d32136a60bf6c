//! `tasnif train`.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use linfa::ParamGuard;
use tasnif::model::{ClassWeight, Solver};
use tasnif::normalize::NormalizeOptions;
use tasnif::pipeline::{Pipeline, TrainConfig};

use super::files::{check_writable, read_corpus, write_atomic};
use super::hints::hinted;
use super::{ClassWeightArg, ModelArgs, SolverArg, TrainArgs};

fn parse_range(s: &str, what: &str) -> Result<(usize, usize)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let parse = |x: &str| {
        x.trim()
            .parse::<usize>()
            .with_context(|| format!("--{what} {s:?}: expected MIN-MAX such as 1-2"))
    };
    Ok((parse(a)?, parse(b)?))
}

fn turn_off(n: &mut NormalizeOptions, rule: &str) -> Result<()> {
    let flag = match rule.trim() {
        "presentation_forms" => &mut n.presentation_forms,
        "diacritics" => &mut n.diacritics,
        "tatweel" => &mut n.tatweel,
        "alef" => &mut n.alef,
        "alef_maqsura" => &mut n.alef_maqsura,
        "teh_marbuta" => &mut n.teh_marbuta,
        "hamza_carriers" => &mut n.hamza_carriers,
        "persian_forms" => &mut n.persian_forms,
        "digits" => &mut n.digits,
        "punctuation" => &mut n.punctuation,
        "zero_width" => &mut n.zero_width,
        "lowercase" => &mut n.lowercase,
        "collapse_whitespace" => &mut n.collapse_whitespace,
        "all" => {
            *n = NormalizeOptions::none();
            return Ok(());
        }
        other => bail!(
            "--normalize-off: unknown rule {other:?}; rules are presentation_forms, diacritics, tatweel, alef, alef_maqsura, teh_marbuta, hamza_carriers, persian_forms, digits, punctuation, zero_width, lowercase, collapse_whitespace, all"
        ),
    };
    *flag = false;
    Ok(())
}

/// The training configuration: defaults, then `--config`, then single flags.
pub fn config_from_args(a: &ModelArgs) -> Result<TrainConfig> {
    let mut c = match &a.config {
        None => TrainConfig::default(),
        Some(path) => read_config_file(path)?,
    };
    apply_feature_args(&mut c, a)?;
    apply_training_args(&mut c, a);
    // Refuse options before any data is read; the messages name the options.
    c.tokenize.validate().map_err(hinted)?;
    c.vectorize.validate_with(&c.tokenize).map_err(hinted)?;
    c.train.params().check().map_err(|e| hinted(e.into()))?;
    Ok(c)
}

/// A `--config` file: JSON when it is named `.json` or starts with `{`, TOML otherwise.
fn read_config_file(path: &Path) -> Result<TrainConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let is_json =
        path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    if is_json {
        serde_json::from_str(&text)
            .with_context(|| format!("{}: invalid JSON config", path.display()))
    } else {
        toml::from_str(&text).with_context(|| format!("{}: invalid TOML config", path.display()))
    }
}

/// The normalization, tokenizer and vectorizer flags given, over the config.
fn apply_feature_args(c: &mut TrainConfig, a: &ModelArgs) -> Result<()> {
    if let Some(r) = &a.word_ngrams {
        (c.tokenize.word_min, c.tokenize.word_max) = parse_range(r, "word-ngrams")?;
    }
    if let Some(r) = &a.char_ngrams {
        (c.tokenize.char_min, c.tokenize.char_max) = parse_range(r, "char-ngrams")?;
    }
    if let Some(v) = a.strip_clitics {
        c.tokenize.strip_clitics = v;
    }
    if let Some(v) = a.stopwords {
        c.tokenize.stopwords = v;
    }
    if let Some(v) = a.min_df {
        c.vectorize.min_df = v;
    }
    if let Some(v) = a.max_df {
        c.vectorize.max_df = v;
    }
    if let Some(v) = a.max_features {
        c.vectorize.max_features = v;
    }
    if let Some(v) = a.word_weight {
        c.vectorize.word_weight = v;
    }
    if let Some(v) = a.char_weight {
        c.vectorize.char_weight = v;
    }
    for rule in &a.normalize_off {
        turn_off(&mut c.normalize, rule)?;
    }
    Ok(())
}

/// The solver flags given, over the config.
fn apply_training_args(c: &mut TrainConfig, a: &ModelArgs) {
    if let Some(v) = a.alpha {
        c.train.alpha = v;
    }
    if let Some(v) = a.max_iter {
        c.train.max_iterations = v;
    }
    if let Some(s) = a.solver {
        c.train.solver = match s {
            SolverArg::Sparse => Solver::Sparse,
            SolverArg::Linfa => Solver::Linfa,
        };
    }
    if let Some(w) = a.class_weight {
        c.train.class_weight = match w {
            ClassWeightArg::None => ClassWeight::None,
            ClassWeightArg::Balanced => ClassWeight::Balanced,
        };
    }
}

pub fn run(a: TrainArgs) -> Result<()> {
    let started = Instant::now();
    let config = config_from_args(&a.model)?;
    check_writable(&a.out)?;
    let corpus = read_corpus(&a.data, a.quiet)?;
    let spinner = (!a.quiet && std::io::stderr().is_terminal()).then(|| {
        let s = indicatif::ProgressBar::new_spinner();
        s.set_message(format!("training on {} sentences", corpus.sentences.len()));
        s.enable_steady_tick(std::time::Duration::from_millis(120));
        s
    });
    let fitted = Pipeline::fit(&corpus.sentences, &config);
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    let pipeline = fitted
        .map_err(hinted)
        .with_context(|| format!("{}", a.data.data.display()))?;
    let bytes = pipeline.to_bytes()?;
    write_atomic(&a.out, &bytes)?;
    let info = pipeline.info();
    if info
        .iterations
        .is_some_and(|i| i >= info.options.max_iterations)
    {
        // A warning even under --quiet: the model may be worse than it could be.
        eprintln!(
            "tasnif: warning: the solver stopped at --max-iter {} without converging; raise --max-iter",
            info.options.max_iterations
        );
    }
    if !a.quiet {
        let info = pipeline.info();
        let mut out = format!(
            "trained on {} sentences from {}\n",
            info.sentences,
            a.data.data.display()
        );
        for (label, n) in &info.sentences_per_label {
            let _ = writeln!(out, "  {label:<20} {n:>7}");
        }
        let _ = writeln!(
            out,
            "vocabulary: {} features",
            pipeline.featurizer().n_features()
        );
        let about = super::about::ModelAbout::new(Some(&a.out), &bytes, &pipeline);
        let _ = writeln!(out, "solver: {}", about.solver_line());
        let _ = writeln!(out, "model: {} ({} bytes)", a.out.display(), bytes.len());
        let _ = writeln!(out, "time: {:.2} s", started.elapsed().as_secs_f64());
        super::write_stdout(out.as_bytes())?;
    }
    Ok(())
}
