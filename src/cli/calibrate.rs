//! `tasnif calibrate`: fit a model's temperature on held-out sentences and write the
//! calibrated model, with the log loss and expected calibration error before and after.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use tasnif::calibrate::{Calibration, Confidence};
use tasnif::evaluate::calibration::{ece_of_top_probabilities, DEFAULT_BINS};

use super::files::{check_writable, load_model, read_corpus, write_atomic};
use super::hints::hinted;
use super::CalibrateArgs;

/// Bins of the top probability for the expected calibration error.
const ECE_BINS: usize = DEFAULT_BINS;

pub fn run(a: CalibrateArgs) -> Result<()> {
    let model_path = a.model.as_deref().filter(|p| *p != Path::new("builtin"));
    let model = load_model(model_path)?;
    check_writable(&a.out)?;
    let corpus = read_corpus(&a.data, a.quiet)?;
    let source = a.data.data.display().to_string();
    let found = model
        .calibrate(&corpus.sentences)
        .map_err(hinted)
        .with_context(|| source.clone())?;
    let calibrated = model.with_temperature(found.temperature)?;
    let bytes = calibrated.to_bytes()?;
    write_atomic(&a.out, &bytes)?;
    if !a.quiet {
        let out = summary(&found, &source, &a.out, bytes.len());
        super::write_stdout(out.as_bytes())?;
    }
    Ok(())
}

/// What calibration found, one figure a line.
fn summary(c: &Calibration, source: &str, out: &Path, bytes: usize) -> String {
    let ex = &c.excluded;
    let mut s = format!("calibrated on {} sentences of {source}", c.logits.len());
    if ex.total() > 0 {
        let _ = write!(
            s,
            " (left out: {} with no text, {} with no known feature, {} with a label the model lacks)",
            ex.no_text, ex.unknown, ex.unknown_label
        );
    }
    let ece = |t| expected_calibration_error(&c.logits.confidences(t));
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "temperature:   {:.4} -> {:.4}",
        c.temperature_before, c.temperature
    );
    let _ = writeln!(
        s,
        "log loss:      {:.4} -> {:.4}",
        c.log_loss_before, c.log_loss_after
    );
    let _ = writeln!(
        s,
        "ECE ({ECE_BINS} bins): {:.4} -> {:.4}",
        ece(c.temperature_before),
        ece(c.temperature)
    );
    let _ = writeln!(s, "model: {} ({bytes} bytes)", out.display());
    s
}

/// Expected calibration error of the top probabilities, as `evaluate` reports it.
fn expected_calibration_error(cs: &[Confidence]) -> f64 {
    let tops = cs.iter().map(|c| (f64::from(c.top), c.correct));
    ece_of_top_probabilities(tops, ECE_BINS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(top: f32, correct: bool) -> Confidence {
        Confidence { top, correct }
    }

    #[test]
    fn ece_is_the_weighted_gap_between_confidence_and_accuracy() {
        // Bin 14/15..=1: mean confidence 0.975, accuracy 1/2; bin 9/15..: 0.6, accuracy 1.
        let cs = [c(0.95, true), c(1.0, false), c(0.6, true)];
        let want = (2.0 * (0.975f64 - 0.5) + (1.0 - 0.6f64)) / 3.0;
        assert!((expected_calibration_error(&cs) - want).abs() < 1e-6);
        assert_eq!(expected_calibration_error(&[]), 0.0);
        assert!(expected_calibration_error(&[c(0.5, true), c(0.5, false)]) < 1e-9);
    }
}
