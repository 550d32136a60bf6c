"""A scikit-learn estimator over tasnif: ``TasnifClassifier``.

Needs scikit-learn (``pip install "tasnif[sklearn]"``). ``X`` is a sequence of
sentences (a list or 1-D array of ``str``, or a 2-D array with one column of them, such
as ``df[["text"]]``); ``y`` their labels, of any type scikit-learn accepts as classes.
The parameters are the options of ``tasnif train`` (``tasnif.train``), with the same
defaults: ``None`` keeps the value of ``config`` or the library's default.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

import tasnif

__all__ = ["TasnifClassifier"]


def _texts(X):
    """The sentences of ``X`` as a list of ``str``; TypeError for anything else."""
    if isinstance(X, str):
        raise TypeError("X must be a sequence of sentences, not one str")
    if hasattr(X, "tocsr") or hasattr(X, "nnz"):
        raise TypeError(
            "X is a sparse matrix; sparse input is not supported: TasnifClassifier"
            " reads sentences (str)"
        )
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) == 2:
        if shape[1] != 1:
            raise ValueError(
                f"X has {shape[1]} columns; a 2-D X must be one column of sentences"
            )
        X = X.iloc[:, 0] if hasattr(X, "iloc") else np.asarray(X)[:, 0]
    elif shape is not None and len(shape) != 1:
        raise ValueError(f"X has {len(shape)} dimensions; give a sequence of sentences")
    texts = list(X)
    for t in texts:
        if not isinstance(t, str):
            raise TypeError(
                f"X must hold sentences as str, found {type(t).__name__}"
                " (TasnifClassifier reads text, not numeric features)"
            )
    return texts


class TasnifClassifier(ClassifierMixin, BaseEstimator):
    """tasnif's sentence classifier as a scikit-learn estimator.

    Parameters are those of ``tasnif.train``; after ``fit``, ``model_`` is the
    ``tasnif.Model`` and ``classes_`` the sorted classes of ``y``.
    """

    def __init__(
        self,
        *,
        config=None,
        word_ngrams=None,
        char_ngrams=None,
        strip_clitics=None,
        stopwords=None,
        min_df=None,
        max_df=None,
        max_features=None,
        word_weight=None,
        char_weight=None,
        normalize_off=None,
        alpha=None,
        max_iter=None,
        solver=None,
        class_weight=None,
    ):
        self.config = config
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.strip_clitics = strip_clitics
        self.stopwords = stopwords
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.word_weight = word_weight
        self.char_weight = char_weight
        self.normalize_off = normalize_off
        self.alpha = alpha
        self.max_iter = max_iter
        self.solver = solver
        self.class_weight = class_weight

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        # A column of sentences; 1-D sequences work too, but the tag one_d_array
        # would make scikit-learn's checks cut their numeric X to 1-D, which breaks
        # their own sparse-input checks before X reaches fit.
        tags.input_tags.two_d_array = True
        return tags

    def fit(self, X, y):
        """Train on sentences ``X`` with labels ``y``; returns self."""
        texts = _texts(X)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if len(texts) != len(y):
            raise ValueError(f"{len(texts)} sentences but {len(y)} labels")
        classes, y_index = np.unique(y, return_inverse=True)
        names = [str(c) for c in classes]
        if len(set(names)) != len(names):
            raise ValueError(f"classes {list(classes)} are not distinct as text")
        self.model_ = tasnif.train(
            texts, [names[i] for i in y_index], **self.get_params(deep=False)
        )
        self.classes_ = classes
        # tasnif orders labels as text; classes_ is in NumPy's order.
        labels = self.model_.labels
        self._columns = np.array([labels.index(n) for n in names])
        self._class_of = dict(zip(names, classes))
        return self

    def predict_proba(self, X):
        """Probabilities of each class for each sentence, columns in ``classes_`` order."""
        check_is_fitted(self)
        return self.model_.predict_proba(_texts(X))[:, self._columns]

    def predict(self, X):
        """The class of each sentence."""
        check_is_fitted(self)
        labels = self.model_.predict(_texts(X))
        return np.array([self._class_of[l] for l in labels], dtype=self.classes_.dtype)
