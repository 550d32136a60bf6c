//! Featurize the first 4 MB of the news corpus with the built-in model, for profiling:
//! `cargo run --profile profiling --example featurize_loop -- ../shared/corpus/news-ar.txt`
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("a text file, one article a line");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let model =
        tasnif::pipeline::Pipeline::from_bytes(&std::fs::read("models/default.tasnif").unwrap())
            .unwrap();
    let mut scratch = tasnif::vectorize::FeatureScratch::default();
    let mut row = tasnif::vectorize::SparseRow::default();
    let t = std::time::Instant::now();
    let mut nnz = 0;
    for _ in 0..3 {
        for line in text.lines().take(1500) {
            model
                .featurizer()
                .transform_unsorted_into(line, &mut scratch, &mut row);
            nnz += row.nnz();
        }
    }
    println!("{nnz} entries in {:?}", t.elapsed());
}
