//! Train a model on four sentences, save and load it, and label an article: the
//! library's surface, without any of the binary's dependencies.

use tasnif::{LabeledSentence, Pipeline, TrainConfig};

fn main() -> tasnif::Result<()> {
    let s = LabeledSentence::new;
    let data = [
        s("انشق عشرات المقاتلين عن التنظيم وفروا إلى تركيا", "defection"),
        s("فر قائد ميداني من صفوف التنظيم وسلم نفسه", "defection"),
        s("تقدمت القوات نحو المدينة وسيطرت على ثلاث قرى", "military_advance"),
        s("شنت الطائرات غارات على مواقع التنظيم قرب المدينة", "military_advance"),
    ];
    let mut config = TrainConfig::default();
    config.vectorize.min_df = 1;
    config.vectorize.max_df = 1.0;
    let bytes = Pipeline::fit(&data, &config)?.to_bytes()?;
    let model = Pipeline::from_bytes(&bytes)?;
    for sentence in model.classify_article("انشق قائد عن التنظيم. وتقدمت القوات نحو القرى.") {
        println!("{}\t{}", sentence.index, model.label_name(&sentence.prediction));
    }
    Ok(())
}
