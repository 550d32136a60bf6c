//! Sentence spans are in order, disjoint, on char boundaries, trimmed, and cover every
//! non-space character, whatever the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tasnif::sentence::split_sentences;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut covered = vec![false; text.len()];
    let mut last = 0;
    for s in split_sentences(text) {
        assert!(s.start >= last && s.start < s.end);
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert_eq!(text[s.clone()].trim(), &text[s.clone()]);
        covered[s.clone()].iter_mut().for_each(|c| *c = true);
        last = s.end;
    }
    for (i, c) in text.char_indices() {
        assert!(c.is_whitespace() || covered[i], "{c:?} at {i} not covered");
    }
});
