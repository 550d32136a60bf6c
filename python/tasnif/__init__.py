"""tasnif: label the sentences of Arabic news articles.

A thin layer over the tasnif Rust library (the extension module ``tasnif._tasnif``):
every result comes from the library, which is the same code the ``tasnif`` command
runs.

>>> import tasnif
>>> model = tasnif.Model.builtin()
>>> [s["label"] for s in model.classify_article("أعدم التنظيم خمسة رجال في ساحة المدينة.")]
['execution']

- ``Model.builtin()``, ``Model.load(path)``, ``model.save(path)``, ``model.labels``,
  ``model.info()``;
- ``model.classify_article(text)`` (a dict a sentence; ``start``/``end`` are character
  offsets into ``text``, ``start_byte``/``end_byte`` UTF-8 offsets),
  ``model.classify_articles(texts)``, ``model.predict(sentences)``,
  ``model.predict_proba(sentences)`` (a NumPy array, columns in ``model.labels`` order);
- ``train(texts, labels, **options)``: the options and defaults of ``tasnif train``
  (``default_config()`` shows the defaults);
- ``evaluate(model, texts, labels)``: the report of ``tasnif evaluate --format json``;
- ``tasnif.sklearn.TasnifClassifier``: a scikit-learn estimator (needs scikit-learn).

Bad input raises ``ValueError`` with the library's message; file errors raise
``OSError``. Training and batch prediction release the GIL.
"""

from tasnif._tasnif import Model, __version__, default_config, evaluate, train

__all__ = ["Model", "train", "evaluate", "default_config", "__version__"]
