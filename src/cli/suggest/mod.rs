//! `tasnif suggest`: the sentences the model is least sure of, to label next.
//!
//! Articles are read and labeled as `classify` reads them ([`super::classify::stream`]);
//! every labeled sentence goes to a [`tasnif::suggest::Selector`], which keeps a
//! bounded pool, so memory stays flat however large the input. The picks are
//! written at the end in one of the [`output`] formats.

mod output;

use anyhow::{Context, Result};
use tasnif::pipeline::SentenceLabel;
use tasnif::suggest::{Selector, Strategy, SuggestOptions};

use super::classify::{stream, Settings, Sink};
use super::files::{load_model, Destination};
use super::{StrategyArg, SuggestArgs};

pub fn run(a: SuggestArgs) -> Result<()> {
    let model = load_model(a.model.as_deref())?;
    let options = SuggestOptions {
        n: a.n,
        per_doc: a.per_doc,
        strategy: match a.strategy {
            StrategyArg::Margin => Strategy::Margin,
            StrategyArg::Entropy => Strategy::Entropy,
        },
        min_per_label: a.min_per_label,
        similarity: a.similarity,
    };
    let selector = Selector::new(&model, options).with_context(|| {
        format!(
            "--n {} --per-doc {} --similarity {}",
            a.n, a.per_doc, a.similarity
        )
    })?;
    let dest = Destination::new(a.out.as_deref())?;
    let settings = Settings {
        inputs: &a.inputs,
        jobs: a.jobs,
        fail_fast: a.fail_fast,
        progress: !a.quiet,
        explain_top: 0,
        write_error: String::new(),
        verb: "reading",
    };
    let collect = Collect { selector, index: 0 };
    let (result, streamed) = stream(&model, collect, &settings);
    result?;
    let failures = streamed.check_failures("read");
    let articles = streamed.articles;
    let stats = streamed.sink.selector.stats();
    let picks = streamed.sink.selector.finish();
    let mut w = dest.writer()?;
    output::write(&mut *w, a.format, model.labels(), &picks)
        .and_then(|()| w.flush().map_err(Into::into))
        .with_context(|| dest.write_error())?;
    drop(w);
    dest.finish()?;
    if !a.quiet {
        eprintln!(
            "tasnif: suggested {} of {} sentences ({} without a label) from {} article(s)",
            picks.len(),
            stats.sentences,
            stats.markers,
            articles
        );
    }
    failures
}

/// Hands every labeled sentence to the selector, numbered within its article.
struct Collect<'p> {
    selector: Selector<'p>,
    /// The number of the next sentence of the article being read.
    index: usize,
}

impl Sink for Collect<'_> {
    fn header(&mut self) -> Result<()> {
        Ok(())
    }

    fn chunk(
        &mut self,
        doc: &str,
        text: &str,
        _base: usize,
        last: bool,
        sentences: Vec<SentenceLabel>,
    ) -> Result<()> {
        for s in &sentences {
            let sentence = &text[s.start..s.end];
            self.selector
                .offer(doc, self.index, sentence, &s.prediction);
            self.index += 1;
        }
        if last {
            self.index = 0;
        }
        Ok(())
    }

    fn error(&mut self, _doc: &str, _message: &str) -> Result<()> {
        self.index = 0;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
}
