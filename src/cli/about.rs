//! What a report is about: which model (path or built-in, its hash, how it was
//! trained), on which file, and when. Shared by `evaluate` and `compare`.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};
use tasnif::model_file::model_hash;
use tasnif::pipeline::Pipeline;

/// A model as the reports name it.
#[derive(Debug, Clone)]
pub struct ModelAbout {
    /// The path given, or `built-in`.
    pub name: String,
    /// `model_file::model_hash` of its bytes.
    pub hash: String,
    /// Training sentences, per label.
    pub sentences_per_label: Vec<(String, usize)>,
    /// Solver iterations (the sparse solver reports them).
    pub iterations: Option<u64>,
    /// The iteration cap it was trained with.
    pub max_iterations: u64,
}

impl ModelAbout {
    pub fn new(path: Option<&Path>, bytes: &[u8], model: &Pipeline) -> ModelAbout {
        let info = model.info();
        ModelAbout {
            name: path.map_or("built-in".to_string(), |p| p.display().to_string()),
            hash: model_hash(bytes),
            sentences_per_label: info
                .sentences_per_label
                .iter()
                .map(|(l, n)| (l.clone(), *n))
                .collect(),
            iterations: info.iterations,
            max_iterations: info.options.max_iterations,
        }
    }

    /// Whether the solver stopped before its iteration cap (`None` when it does not
    /// report iterations).
    pub fn converged(&self) -> Option<bool> {
        self.iterations.map(|i| i < self.max_iterations)
    }

    /// `1200 iterations, converged` / `300 iterations, stopped at max_iter 300 without converging`.
    pub fn solver_line(&self) -> String {
        match (self.iterations, self.converged()) {
            (Some(i), Some(true)) => format!("{i} solver iterations, converged"),
            (Some(i), _) => format!(
                "{i} solver iterations, stopped at max_iter {} without converging",
                self.max_iterations
            ),
            (None, _) => "solver iterations not reported (linfa solver)".to_string(),
        }
    }

    /// `defection 812, execution 640, ...`.
    pub fn per_label_line(&self) -> String {
        let parts: Vec<String> = self
            .sentences_per_label
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect();
        parts.join(", ")
    }

    pub fn json(&self) -> Value {
        let per_label: serde_json::Map<String, Value> = self
            .sentences_per_label
            .iter()
            .map(|(l, n)| (l.clone(), json!(n)))
            .collect();
        json!({
            "name": self.name,
            "hash": self.hash,
            "sentences_per_label": per_label,
            "iterations": self.iterations,
            "max_iterations": self.max_iterations,
            "converged": self.converged(),
        })
    }

    /// Text lines, each starting with `indent`.
    pub fn text(&self, indent: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{indent}model:    {} ({})", self.name, self.hash);
        let _ = writeln!(s, "{indent}trained:  {}", self.per_label_line());
        let _ = writeln!(s, "{indent}solver:   {}", self.solver_line());
        s
    }
}

/// The time a report is made, as `2026-12-02T21:05:05Z`; `SOURCE_DATE_EPOCH` (seconds)
/// stands in for the clock when set, so reports can be reproduced byte for byte.
pub fn timestamp() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    utc(secs)
}

/// Seconds since 1970 as an ISO 8601 UTC time (days to civil date after H. Hinnant).
fn utc(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_796_246_705), "2026-12-02T21:25:05Z");
    }
}
