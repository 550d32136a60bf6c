//! `tasnif info`: what a model is — its labels, the settings that define its features,
//! its vocabulary, how it was trained, and the hash that identifies the file.

use anyhow::Result;
use serde_json::json;
use tasnif::model_file::{model_hash, FORMAT_VERSION};
use tasnif::tokenize::FeatureKind;

use super::files::load_model_bytes;
use super::{write_stdout, ExplainFormat, InfoArgs};

pub fn run(a: InfoArgs) -> Result<()> {
    let (model, bytes) = load_model_bytes(a.model.as_deref())?;
    let terms = model.featurizer().terms();
    let words = terms.iter().filter(|t| t.kind == FeatureKind::Word).count();
    let info = model.info();
    let value = json!({
        "model": a.model.as_ref().map_or("(built-in)".to_string(), |p| p.display().to_string()),
        "hash": model_hash(&bytes),
        "bytes": bytes.len(),
        "format": FORMAT_VERSION,
        "labels": model.labels(),
        "temperature": shortest(model.temperature()),
        "vocabulary": {"words": words, "chars": terms.len() - words, "total": terms.len()},
        "settings": model.config(),
        "training": info,
    });
    let text = match a.format {
        ExplainFormat::Json => serde_json::to_string_pretty(&value)? + "\n",
        ExplainFormat::Text => text(&value),
    };
    write_stdout(text.as_bytes())
}

/// `x` as the shortest decimal that reads back as it (as the model file stores it),
/// not the `f64` widening's digits (0.6148947, not 0.614894688129425).
fn shortest(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// The same facts, one `key: value` line each, nested keys joined with dots.
fn text(v: &serde_json::Value) -> String {
    let mut out = String::new();
    lines(v, "", &mut out);
    out
}

fn lines(v: &serde_json::Value, prefix: &str, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                lines(v, &key, out);
            }
        }
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| i.to_string().replace('"', ""))
                .collect();
            out.push_str(&format!("{prefix}: {}\n", parts.join(", ")));
        }
        Value::String(s) => out.push_str(&format!("{prefix}: {s}\n")),
        other => out.push_str(&format!("{prefix}: {other}\n")),
    }
}
