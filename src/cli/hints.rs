//! What to do about a library error, in this tool's terms. The library's messages
//! state what is wrong; the flags and commands that fix it are named here, where the
//! command line is known.

use std::fmt;

use tasnif::error::{CsvError, CsvErrorKind, ModelError};
use tasnif::model::ParamsError;
use tasnif::tokenize::FeatureKind;
use tasnif::Error;

/// The hint for `e`, or `None` when the message says all there is to say. For an
/// error reading a corpus whose article column is `group_col` (`--group-col`), that
/// flag is named when it is the column missing.
pub fn hint(e: &Error, group_col: Option<&str>) -> Option<String> {
    if let Error::Csv(CsvError {
        kind: CsvErrorKind::MissingColumn { wanted, .. },
        ..
    }) = e
    {
        if Some(wanted.as_str()) == group_col {
            return Some("choose the article column with --group-col".to_string());
        }
    }
    let retrain = "retrain the model with this version's `tasnif train`";
    let hint = match e {
        Error::Csv(CsvError { kind, .. }) => match kind {
            CsvErrorKind::MissingColumn { .. } => {
                "choose the columns with --text-col / --label-col"
            }
            CsvErrorKind::DuplicateColumn(_) => "rename one of them",
            CsvErrorKind::FieldCount { .. } => "quote fields that contain commas",
            CsvErrorKind::EmptyField(_) => "fill it in or pass --skip-invalid to skip such rows",
            CsvErrorKind::InvalidUtf8 { .. } => {
                "save the file as UTF-8 or name its encoding with --encoding"
            }
            _ => return None,
        },
        Error::Model(m) => match m {
            ModelError::NotAModel => "train one with `tasnif train`",
            ModelError::FormatVersion { .. }
            | ModelError::FeaturesVersion { .. }
            | ModelError::FeaturesDiffer { .. } => retrain,
            ModelError::Length { .. } | ModelError::Checksum { .. } => {
                "copy the file again or retrain"
            }
            _ => return None,
        },
        Error::Params(ParamsError::UnweightedSolver { .. }) => {
            "pass --class-weight none to fit with linfa unweighted, or --solver sparse"
        }
        Error::NoWeightedBlock { blocks } => {
            let flags: Vec<&str> = blocks
                .iter()
                .map(|(kind, _)| match kind {
                    FeatureKind::Word => "--word-weight",
                    _ => "--char-weight",
                })
                .collect();
            return Some(format!("give {} a value above 0", flags.join(" or ")));
        }
        Error::EmptyVocabulary { .. } => "lower --min-df or add sentences",
        Error::TooFewGroups { .. } => "lower --folds or add articles",
        Error::TooFewResamples { .. } => "pass --bootstrap 0 to turn intervals off",
        _ => return None,
    };
    Some(hint.to_string())
}

/// `e` as the tool reports it: the library's message, then its hint after "; ".
pub fn hinted(e: Error) -> anyhow::Error {
    hinted_with_groups(e, None)
}

/// [`hinted`] for an error reading a corpus with the article column `group_col`.
pub fn hinted_with_groups(e: Error, group_col: Option<&str>) -> anyhow::Error {
    match hint(&e, group_col) {
        Some(hint) => Hinted { error: e, hint }.into(),
        None => e.into(),
    }
}

/// A library error with the hint the tool adds.
#[derive(Debug)]
struct Hinted {
    error: Error,
    hint: String,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.error, self.hint)
    }
}

impl std::error::Error for Hinted {
    /// The library error's own source: its text is already in the message.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_follows_the_fact() {
        let e = Error::EmptyVocabulary {
            min_df: 100,
            max_df: 0.5,
        };
        let msg = hinted(e).to_string();
        assert!(
            msg.starts_with("the vocabulary is empty")
                && msg.ends_with("; lower --min-df or add sentences"),
            "{msg}"
        );
    }

    #[test]
    fn the_weight_hint_names_the_blocks_that_are_on() {
        let e = Error::NoWeightedBlock {
            blocks: vec![(FeatureKind::Char, 0.0)],
        };
        assert_eq!(
            hint(&e, None).unwrap(),
            "give --char-weight a value above 0"
        );
    }

    #[test]
    fn a_missing_article_column_names_group_col() {
        let e = Error::Csv(CsvError {
            line: 1,
            kind: CsvErrorKind::MissingColumn {
                wanted: "article".into(),
                available: vec!["text".into(), "label".into()],
            },
        });
        assert_eq!(
            hint(&e, Some("article")).unwrap(),
            "choose the article column with --group-col"
        );
        assert_eq!(
            hint(&e, None).unwrap(),
            "choose the columns with --text-col / --label-col"
        );
    }

    #[test]
    fn errors_without_a_hint_are_left_as_they_are() {
        let e = Error::TooFewFolds { folds: 1 };
        assert!(hint(&e, None).is_none());
        assert_eq!(hinted(e).to_string(), "folds 1: need at least 2");
    }
}
