//! Normalize the news corpus 5 times (and count words with `--words`), for profiling:
//! `cargo run --profile profiling --example normalize_loop -- ../shared/corpus/news-ar.txt [--words]`
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a text file");
    let count_words = args.next().is_some_and(|a| a == "--words");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let n = tasnif::normalize::Normalizer::default();
    let mut out = String::new();
    let t = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..5 {
        for line in text.lines() {
            n.normalize_into(line, &mut out);
            total += if count_words {
                tasnif::tokenize::words(&out).count()
            } else {
                out.len()
            };
        }
    }
    let mb = 5.0 * text.len() as f64 / 1e6;
    println!("{total}, {:.0} MB/s", mb / t.elapsed().as_secs_f64());
}
