//! Split the news corpus into sentences 5 times, for profiling
//! (`cargo run --profile profiling --example split_loop -- ../shared/corpus/news-ar.txt`).
fn main() {
    let path = std::env::args().nth(1).expect("a text file");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..5 {
        n += tasnif::sentence::split_sentences(&text).count();
    }
    println!(
        "{n} sentences, {:.0} MB/s",
        5.0 * text.len() as f64 / 1e6 / t.elapsed().as_secs_f64()
    );
}
