//! Loading arbitrary bytes as a model never panics. Half the inputs are framed with a
//! valid header (format version, length and checksum) so that the content checks
//! behind it are reached; a model that loads must then classify without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tasnif::model_file;
use tasnif::pipeline::Pipeline;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let bytes = if mode & 1 == 1 {
        model_file::frame(rest)
    } else {
        rest.to_vec()
    };
    if let Ok(model) = Pipeline::from_bytes(&bytes) {
        let _ = model.classify_article("تقدمت القوات نحو المدينة. أعدم التنظيم رجلين.");
        let _ = model.to_bytes();
    }
});
