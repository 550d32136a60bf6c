//! Normalize the news corpus 5 times, for profiling:
//! `cargo run --release --example normalize_loop -- ../shared/corpus/news-ar.txt`
fn main() {
    let path = std::env::args().nth(1).expect("a text file");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let n = tasnif::normalize::Normalizer::default();
    let mut out = String::new();
    let t = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..5 {
        for line in text.lines() {
            n.normalize_into(line, &mut out);
            total += tasnif::tokenize::words(&out).count();
        }
    }
    let mb = 5.0 * text.len() as f64 / 1e6;
    println!("{total} words, {:.0} MB/s", mb / t.elapsed().as_secs_f64());
}
