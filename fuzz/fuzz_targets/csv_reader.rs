//! The CSV reader returns sentences or an error with a line number; it never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tasnif::corpus::{read_labeled, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let skip = data.first().is_some_and(|b| b & 1 == 1);
    let opts = ReadOptions { skip_invalid: skip, ..Default::default() };
    match read_labeled(data, &opts) {
        Ok(c) => {
            for s in &c.sentences {
                assert!(!s.text.is_empty() && !s.label.is_empty() && s.line >= 2);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
