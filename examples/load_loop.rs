//! Load the built-in model 20 times, for profiling model load
//! (`cargo run --profile profiling --example load_loop`).
fn main() {
    let bytes = std::fs::read("models/default.tasnif").unwrap();
    let t = std::time::Instant::now();
    for _ in 0..20 {
        let p = tasnif::pipeline::Pipeline::from_bytes(&bytes).unwrap();
        std::hint::black_box(p.predict("تقدمت القوات نحو المدينة"));
    }
    println!(
        "{:.1} ms per load + predict",
        t.elapsed().as_secs_f64() * 1000.0 / 20.0
    );
}
