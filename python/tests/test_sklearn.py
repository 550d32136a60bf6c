"""tasnif.sklearn.TasnifClassifier: scikit-learn's estimator checks, and the estimator
in cross_val_score and GridSearchCV."""

import pickle

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

import tasnif
from tasnif.sklearn import TasnifClassifier

# scikit-learn's checks make numeric X (random floats, ints, NaN, complex numbers);
# TasnifClassifier reads sentences and refuses numbers with a TypeError, so every check
# that fits or predicts on numeric X fails for that reason first. They are listed here,
# each with what on text covers it; xfail_strict makes a listed check that starts to
# pass fail the run, so the list stays exact. The checks that do not need numeric X
# (repr, cloning, tags, parameters, __init__ and set_params, mixin order, unfitted
# errors, sparse input refused with a message that says so, ...) run and must pass.
NUMERIC_X = "fits or predicts on numeric X; TasnifClassifier reads sentences (str)"
NUMERIC_X_CHECKS = {
    # covered by test_fit_predict
    "check_fit_score_takes_y": "test_fit_predict",
    "check_estimators_fit_returns_self": "test_fit_predict",
    "check_classifiers_train": "test_fit_predict",
    "check_classifiers_classes": "test_classes_of_other_types_keep_their_order",
    "check_supervised_y_2d": "test_fit_predict (y as a column)",
    "check_methods_subset_invariance": "test_predictions_do_not_depend_on_the_batch",
    "check_methods_sample_order_invariance": "test_predictions_do_not_depend_on_the_batch",
    "check_fit_idempotent": "test_fit_is_deterministic",
    "check_estimators_overwrite_params": "test_clone_pickle_and_params",
    "check_dont_overwrite_parameters": "test_clone_pickle_and_params",
    "check_dict_unchanged": "test_clone_pickle_and_params",
    "check_estimators_pickle": "test_clone_pickle_and_params",
    "check_pipeline_consistency": "test_grid_search (inside a Pipeline)",
    "check_classifiers_one_label": "test_refuses_numbers_and_one_string (the library's message)",
    "check_classifiers_regression_target": "test_refuses_numbers_and_one_string",
    "check_fit_check_is_fitted": "test_fit_predict",
    "check_requires_y_none": "test_fit_predict",
    # numeric X only: no text counterpart
    "check_readonly_memmap_input": "numeric memmaps",
    "check_n_features_in_after_fitting": "n_features_in_ counts numeric columns",
    "check_n_features_in": "n_features_in_ counts numeric columns",
    "check_positive_only_tag_during_fit": "negative numbers",
    "check_estimators_dtypes": "numeric dtypes",
    "check_complex_data": "complex numbers",
    "check_dtype_object": "numbers as objects",
    "check_estimators_empty_data_messages": "an (n, 0) numeric array",
    "check_estimators_nan_inf": "NaN and inf",
    "check_f_contiguous_array_estimator": "Fortran-ordered numeric arrays",
    "check_classifier_data_not_an_array": "a non-iterable array wrapper of numbers",
    "check_class_weight_classifiers": "two numeric columns",
    "check_non_transformer_estimators_n_iter": "numeric X",
    "check_fit2d_1sample": "numeric X",
    "check_fit2d_1feature": "numeric X",
    "check_fit1d": "numeric X",
    "check_fit2d_predict1d": "numeric X",
}


def expected_failed_checks(estimator):
    return {name: f"{NUMERIC_X}; on text: {what}" for name, what in NUMERIC_X_CHECKS.items()}


@parametrize_with_checks(
    [TasnifClassifier()],
    expected_failed_checks=expected_failed_checks,
    xfail_strict=True,
)
def test_sklearn_checks(estimator, check):
    check(estimator)


SMALL = {"min_df": 2, "max_df": 0.5}


@pytest.fixture(scope="module")
def data(train_data):
    texts, labels = train_data
    # Every fifth sentence: about 2,650, all five labels.
    return texts[::5], labels[::5]


def test_fit_predict(data):
    texts, labels = data
    est = TasnifClassifier(**SMALL)
    assert est.fit(texts, labels) is est
    assert list(est.classes_) == sorted(set(labels))
    proba = est.predict_proba(texts[:50])
    assert proba.shape == (50, len(est.classes_))
    assert np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    pred = est.predict(texts[:50])
    assert list(pred) == list(est.classes_[proba.argmax(axis=1)])
    assert list(pred) == est.model_.predict(texts[:50])
    assert est.score(texts, labels) > 0.8
    # y as a column works, with scikit-learn's warning.
    with pytest.warns(Warning):
        TasnifClassifier(**SMALL).fit(texts, np.array(labels).reshape(-1, 1))
    # A column of sentences and a NumPy array of str work as well as a list.
    column = np.array(texts[:50], dtype=object).reshape(-1, 1)
    assert list(est.predict(column)) == list(pred)
    assert list(est.predict(np.array(texts[:50]))) == list(pred)


def test_predictions_do_not_depend_on_the_batch(data):
    texts, labels = data
    est = TasnifClassifier(**SMALL).fit(texts, labels)
    sample = texts[:64]
    whole = est.predict_proba(sample)
    one_by_one = np.vstack([est.predict_proba([t]) for t in sample])
    assert np.array_equal(whole, one_by_one)
    order = np.random.RandomState(0).permutation(len(sample))
    assert np.array_equal(est.predict_proba([sample[i] for i in order]), whole[order])


def test_fit_is_deterministic(data):
    texts, labels = data
    a = TasnifClassifier(**SMALL).fit(texts, labels)
    b = TasnifClassifier(**SMALL).fit(texts, labels)
    assert a.model_.to_bytes() == b.model_.to_bytes()
    # Fitting again replaces the model.
    a.fit(texts[:600], labels[:600])
    assert a.model_.to_bytes() != b.model_.to_bytes()


def test_classes_of_other_types_keep_their_order(data):
    texts, labels = data
    names = sorted(set(labels))
    # Integer classes whose text order differs from their numeric order.
    to_int = {n: [2, 10, 1, 30, 4][i] for i, n in enumerate(names)}
    y = np.array([to_int[l] for l in labels])
    est = TasnifClassifier(**SMALL).fit(texts, y)
    assert list(est.classes_) == [1, 2, 4, 10, 30]
    # The estimator trains on the classes as text ("1" < "10" < "2" ...): the same
    # training here gives the same model, so every column must match to the bit, and
    # a column given to the wrong class would not.
    by_text = tasnif.train(texts, [str(to_int[l]) for l in labels], **SMALL)
    proba_text = by_text.predict_proba(texts[:40])
    proba = est.predict_proba(texts[:40])
    for j, c in enumerate(est.classes_):
        assert np.array_equal(proba[:, j], proba_text[:, by_text.labels.index(str(c))])
    assert est.predict(texts[:40]).dtype == y.dtype
    assert list(est.predict(texts[:40])) == [int(l) for l in by_text.predict(texts[:40])]


def test_refuses_numbers_and_one_string(data):
    est = TasnifClassifier(**SMALL)
    with pytest.raises(TypeError, match="str"):
        est.fit(np.random.rand(10, 1), [0, 1] * 5)
    with pytest.raises(ValueError, match="columns"):
        est.fit(np.random.rand(10, 3), [0, 1] * 5)
    with pytest.raises(TypeError):
        est.fit("one sentence", ["a"])
    with pytest.raises(ValueError, match="at least two labels"):
        est.fit(["انشق قائد", "فر قائد"], ["a", "a"])
    with pytest.raises(ValueError, match="Unknown label type"):
        est.fit(["انشق قائد", "فر قائد"], [0.5, 1.7])
    with pytest.raises(ValueError, match="2 sentences but 1 labels"):
        est.fit(["انشق قائد", "فر قائد"], ["a"])
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TasnifClassifier().predict(["انشق قائد"])


def test_clone_pickle_and_params(data):
    texts, labels = data
    est = TasnifClassifier(alpha=0.5, **SMALL)
    assert est.get_params()["alpha"] == 0.5
    # The parameters are tasnif.train's options, with the same defaults.
    import inspect

    train_options = dict(inspect.signature(tasnif.train).parameters)
    del train_options["texts"], train_options["labels"]
    assert TasnifClassifier().get_params() == {k: p.default for k, p in train_options.items()}
    assert est.set_params(alpha=1.0) is est and est.alpha == 1.0
    params = est.get_params()
    unfitted = dict(vars(est))
    fitted = clone(est).fit(texts, labels)
    assert not hasattr(est, "model_")
    # fit changes no parameter and adds only attributes ending or starting with _.
    assert fitted.get_params() == params
    added = set(vars(fitted)) - set(unfitted)
    assert added and all(k.endswith("_") or k.startswith("_") for k in added)
    # Predicting changes nothing.
    state = dict(vars(fitted))
    fitted.predict(texts[:10])
    fitted.predict_proba(texts[:10])
    assert vars(fitted).keys() == state.keys()
    assert all(vars(fitted)[k] is v for k, v in state.items())
    again = pickle.loads(pickle.dumps(fitted))
    assert np.array_equal(again.predict_proba(texts[:30]), fitted.predict_proba(texts[:30]))
    assert fitted.model_.info()["settings"]["train"]["alpha"] == 1.0


def test_cross_val_score(data):
    texts, labels = data
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(TasnifClassifier(**SMALL), texts, labels, cv=cv, scoring="f1_macro")
    assert len(scores) == 3 and all(s > 0.6 for s in scores)


def test_grid_search(data):
    texts, labels = data
    grid = GridSearchCV(
        TasnifClassifier(**SMALL),
        {"alpha": [0.1, 1.0], "word_ngrams": ["1-1", (1, 2)]},
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        scoring="f1_macro",
        n_jobs=2,
    )
    grid.fit(texts, labels)
    assert set(grid.best_params_) == {"alpha", "word_ngrams"}
    assert len(grid.cv_results_["mean_test_score"]) == 4
    assert grid.best_estimator_.model_.info()["settings"]["train"]["alpha"] == grid.best_params_["alpha"]
    assert grid.score(texts, labels) > 0.8
    # Inside a Pipeline too.
    make_pipeline(TasnifClassifier(**SMALL)).fit(texts, labels).predict(texts[:5])
