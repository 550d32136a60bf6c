//! The model file: one self-contained, checksummed file per trained [`Pipeline`].
//!
//! Layout: one header line, then the content.
//!
//! ```text
//! tasnif-model format=1 length=<content bytes> crc32=<8 hex digits>\n
//! <content: JSON>
//! ```
//!
//! The JSON holds the normalizer, tokenizer and vectorizer settings, the vocabulary
//! (word n-grams, then character n-grams, in index order), the IDF, the weights and
//! intercepts (little-endian `f32`, base64), the labels and the training metadata.
//! Loading checks, in order: the header, the format version, the length, the CRC-32 of
//! the content, and the content itself; each failure is its own [`ModelError`].
//! Writing is deterministic: the same pipeline gives the same bytes.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ModelError, Result};
use crate::model::LinearModel;
use crate::normalize::{NormalizeOptions, Normalizer};
use crate::pipeline::{Pipeline, TrainingInfo};
use crate::tokenize::{FeatureKind, TokenizeOptions, Tokenizer};
use crate::vectorize::{Featurizer, Term, VectorizeOptions};

/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
const MAGIC: &str = "tasnif-model";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Content {
    labels: Vec<String>,
    normalizer: NormalizeOptions,
    tokenizer: TokenizeOptions,
    vectorizer: VectorizeOptions,
    word_vocabulary: Vec<String>,
    char_vocabulary: Vec<String>,
    idf_f32le: String,
    weights_f32le: String,
    intercept: Vec<f32>,
    training: TrainingInfo,
}

fn encode_f32(v: &[f32]) -> String {
    let mut bytes = Vec::with_capacity(v.len() * 4);
    for x in v {
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn decode_f32(s: &str, what: &str) -> Result<Vec<f32>> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| invalid(format!("{what}: {e}")))?;
    if bytes.len() % 4 != 0 {
        return Err(invalid(format!(
            "{what}: {} bytes is not a whole number of f32",
            bytes.len()
        )));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

fn invalid(msg: String) -> Error {
    Error::Model(ModelError::Invalid(msg))
}

/// A part of the content refused by its constructor: the constructor's reason, as a
/// fact about the file (a model file has no options to get wrong).
fn invalid_part(e: Error) -> Error {
    match e {
        Error::InvalidOption(msg) => invalid(msg),
        other => invalid(other.to_string()),
    }
}

/// Serialize a pipeline into model-file bytes.
pub fn to_bytes(p: &Pipeline) -> Result<Vec<u8>> {
    let fz = &p.featurizer;
    let content = Content {
        labels: p.labels.clone(),
        normalizer: *fz.normalizer().options(),
        tokenizer: *fz.tokenizer().options(),
        vectorizer: *fz.options(),
        word_vocabulary: fz
            .terms()
            .iter()
            .filter(|t| t.kind == FeatureKind::Word)
            .map(|t| t.text.clone())
            .collect(),
        char_vocabulary: fz
            .terms()
            .iter()
            .filter(|t| t.kind == FeatureKind::Char)
            .map(|t| t.text.clone())
            .collect(),
        idf_f32le: encode_f32(fz.idf()),
        weights_f32le: encode_f32(p.model.weights()),
        intercept: p.model.intercept().to_vec(),
        training: p.info.clone(),
    };
    let json = serde_json::to_vec(&content).map_err(|e| invalid(e.to_string()))?;
    Ok(frame(&json))
}

/// The header line (version, length, CRC-32 of `content`), then `content`.
fn frame(content: &[u8]) -> Vec<u8> {
    let crc = crc32fast::hash(content);
    let mut out = format!(
        "{MAGIC} format={FORMAT_VERSION} length={} crc32={crc:08x}\n",
        content.len()
    )
    .into_bytes();
    out.extend_from_slice(content);
    out
}

/// Load a pipeline from model-file bytes.
pub fn from_bytes(bytes: &[u8]) -> Result<Pipeline> {
    if !bytes.starts_with(MAGIC.as_bytes()) {
        return Err(ModelError::NotAModel.into());
    }
    let nl = bytes
        .iter()
        .take(200)
        .position(|&b| b == b'\n')
        .ok_or(ModelError::NotAModel)?;
    let header = std::str::from_utf8(&bytes[..nl]).map_err(|_| ModelError::NotAModel)?;
    let field = |name: &str| {
        header
            .split(' ')
            .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
            .map(str::to_string)
    };
    let format = field("format").ok_or(ModelError::NotAModel)?;
    if format != FORMAT_VERSION.to_string() {
        return Err(ModelError::FormatVersion {
            found: format,
            supported: FORMAT_VERSION,
        }
        .into());
    }
    let length: usize = field("length")
        .and_then(|v| v.parse().ok())
        .ok_or(ModelError::NotAModel)?;
    let crc = field("crc32")
        .and_then(|v| u32::from_str_radix(&v, 16).ok())
        .ok_or(ModelError::NotAModel)?;
    let content = &bytes[nl + 1..];
    if content.len() != length {
        return Err(ModelError::Length {
            expected: length,
            found: content.len(),
        }
        .into());
    }
    let found = crc32fast::hash(content);
    if found != crc {
        return Err(ModelError::Checksum {
            expected: crc,
            found,
        }
        .into());
    }
    let c: Content = serde_json::from_slice(content).map_err(|e| invalid(e.to_string()))?;
    build(c)
}

fn build(c: Content) -> Result<Pipeline> {
    let words = c.word_vocabulary.into_iter().map(|text| Term {
        kind: FeatureKind::Word,
        text,
    });
    let chars = c.char_vocabulary.into_iter().map(|text| Term {
        kind: FeatureKind::Char,
        text,
    });
    let terms: Vec<Term> = words.chain(chars).collect();
    let idf = decode_f32(&c.idf_f32le, "idf")?;
    let weights = decode_f32(&c.weights_f32le, "weights")?;
    let n_features = terms.len();
    if n_features == 0 {
        return Err(invalid(
            "the vocabulary is empty (no word or character n-grams): no sentence would have a feature".into(),
        ));
    }
    if c.labels.len() < 2 || c.labels.windows(2).any(|w| w[0] >= w[1]) {
        return Err(invalid(
            "labels must be at least two, sorted and distinct".into(),
        ));
    }
    if let Some(why) = crate::pipeline::reserved_labels(&c.labels) {
        return Err(invalid(format!(
            "{why}; a model label cannot be a marker, retrain"
        )));
    }
    let tokenizer = Tokenizer::new(c.tokenizer).map_err(invalid_part)?;
    let featurizer = Featurizer::from_parts(
        Normalizer::new(c.normalizer),
        tokenizer,
        c.vectorizer,
        terms,
        idf,
    )
    .map_err(invalid_part)?;
    let model = LinearModel::from_parts(n_features, c.labels.len(), weights, c.intercept)
        .map_err(invalid_part)?;
    Ok(Pipeline {
        featurizer,
        model,
        labels: c.labels,
        info: c.training,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::LabeledSentence;
    use crate::pipeline::TrainConfig;
    use serde_json::Value;

    /// A small trained pipeline (labels `defection`, `military_advance`).
    fn trained() -> Pipeline {
        let s = LabeledSentence::new;
        let data = [
            s("انشق عشرات المقاتلين عن التنظيم", "defection"),
            s("فر قائد ميداني من صفوف التنظيم", "defection"),
            s("تقدمت القوات نحو المدينة", "military_advance"),
            s("سيطرت القوات على ثلاث قرى", "military_advance"),
        ];
        let mut config = TrainConfig::default();
        config.vectorize.min_df = 1;
        config.vectorize.max_df = 1.0;
        Pipeline::fit(&data, &config).unwrap()
    }

    /// The JSON content of a trained pipeline's model file.
    fn content() -> Value {
        let bytes = to_bytes(&trained()).unwrap();
        let nl = bytes.iter().position(|&b| b == b'\n').unwrap();
        serde_json::from_slice(&bytes[nl + 1..]).unwrap()
    }

    /// Load `content` framed with a valid header and checksum.
    fn load(content: &Value) -> Result<Pipeline> {
        from_bytes(&frame(&serde_json::to_vec(content).unwrap()))
    }

    /// The reason a framed `content` is refused; panics if it loads.
    fn refused(content: &Value) -> String {
        match load(content) {
            Err(Error::Model(ModelError::Invalid(why))) => why,
            Err(e) => panic!("refused, but not as invalid content: {e}"),
            Ok(_) => panic!("loaded"),
        }
    }

    #[test]
    fn reframed_content_loads() {
        let p = load(&content()).unwrap();
        assert_eq!(p.labels(), ["defection", "military_advance"]);
    }

    #[test]
    fn marker_labels_are_refused() {
        // Each marker in a place that keeps the labels sorted and distinct.
        for (i, marker) in [(0, "(no text)"), (0, "(unknown)"), (1, "uncertain")] {
            let mut c = content();
            c["labels"][i] = Value::from(marker);
            let why = refused(&c);
            assert!(
                why.contains(&format!("'{marker}'")) && why.contains("reserved"),
                "{marker}: {why}"
            );
        }
    }

    /// A case of edited content: name, the edit, what the reason must say.
    type Edit = (&'static str, fn(&mut Value), &'static str);

    #[test]
    fn useless_or_inconsistent_content_is_refused() {
        let edits: &[Edit] = &[
            (
                "empty vocabulary",
                |c| {
                    c["word_vocabulary"] = Value::Array(Vec::new());
                    c["char_vocabulary"] = Value::Array(Vec::new());
                    c["idf_f32le"] = Value::from("");
                    c["weights_f32le"] = Value::from("");
                },
                "vocabulary is empty",
            ),
            (
                "NaN idf",
                |c| {
                    let n = c["word_vocabulary"].as_array().unwrap().len()
                        + c["char_vocabulary"].as_array().unwrap().len();
                    let mut idf = vec![1.5f32; n];
                    idf[n / 2] = f32::NAN;
                    c["idf_f32le"] = Value::from(encode_f32(&idf));
                },
                "idf",
            ),
            (
                "zero idf",
                |c| {
                    let n = c["word_vocabulary"].as_array().unwrap().len()
                        + c["char_vocabulary"].as_array().unwrap().len();
                    c["idf_f32le"] = Value::from(encode_f32(&vec![0.0; n]));
                },
                "idf",
            ),
            (
                "idf shorter than the vocabulary",
                |c| c["idf_f32le"] = Value::from(encode_f32(&[1.0])),
                "idf values",
            ),
            (
                "no block weighs anything",
                |c| {
                    c["vectorizer"]["word_weight"] = Value::from(0.0);
                    c["vectorizer"]["char_weight"] = Value::from(0.0);
                },
                "weight above 0",
            ),
            (
                "infinite weight",
                |c| {
                    let mut w = decode_f32(c["weights_f32le"].as_str().unwrap(), "w").unwrap();
                    w[0] = f32::INFINITY;
                    c["weights_f32le"] = Value::from(encode_f32(&w));
                },
                "infinity",
            ),
        ];
        for (name, edit, needle) in edits {
            let mut c = content();
            edit(&mut c);
            let why = refused(&c);
            assert!(why.contains(needle), "{name}: {why}");
            assert!(
                !why.contains("invalid option"),
                "{name}: a model file has no options: {why}"
            );
        }
    }
}
