//! The built-in model (the `builtin-model` feature, on by default).
//!
//! `models/default.tasnif`, trained from the project's `data/train.csv` with
//! `models/default.toml` by `scripts/train-default`, is embedded in the library, so a
//! program can classify without a model file. Its labels are `defection`, `execution`,
//! `military_advance`, `other` and `propaganda`.
//!
//! ```
//! let model = tasnif::builtin::model().unwrap();
//! let sentences = model.classify_article("أعدم التنظيم خمسة رجال في ساحة المدينة.");
//! assert_eq!(model.label_name(&sentences[0].prediction), "execution");
//! ```

use crate::error::Result;
use crate::pipeline::Pipeline;

/// The built-in model's file, as [`Pipeline::to_bytes`] wrote it (about 1.8 MB).
pub const MODEL_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/default.tasnif"
));

/// Load the built-in model. Each call parses [`MODEL_BYTES`] anew (about 10 ms); keep
/// the pipeline rather than calling this per article.
///
/// # Errors
///
/// As [`Pipeline::from_bytes`]; the embedded file always loads in the build it came
/// with (`tests/default_model.rs` checks it), so an error means a broken build.
pub fn model() -> Result<Pipeline> {
    Pipeline::from_bytes(MODEL_BYTES)
}

#[cfg(test)]
mod tests {
    #[test]
    fn loads_with_its_labels() {
        let model = super::model().unwrap();
        assert_eq!(
            model.labels(),
            [
                "defection",
                "execution",
                "military_advance",
                "other",
                "propaganda"
            ]
        );
    }
}
