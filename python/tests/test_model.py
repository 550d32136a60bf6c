"""tasnif.Model, tasnif.train and tasnif.evaluate against the library's binary."""

import json
import pickle
import threading
import time

import numpy as np
import pytest

import tasnif
from conftest import ARTICLES, ROOT


def jsonl(text):
    return [json.loads(line) for line in text.splitlines()]


def test_builtin_labels(builtin):
    assert builtin.labels == [
        "defection",
        "execution",
        "military_advance",
        "other",
        "propaganda",
    ]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_classify_article_is_the_cli(builtin, cli, path):
    records = [r for r in jsonl(cli("classify", "--format", "jsonl", path)) if "index" in r]
    text = path.read_text(encoding="utf-8")
    ours = builtin.classify_article(text)
    assert len(ours) == len(records) > 0
    for s, r in zip(ours, records):
        assert s["index"] == r["index"]
        assert (s["start_byte"], s["end_byte"]) == (r["start"], r["end"])
        assert s["text"] == r["text"] == text[s["start"] : s["end"]]
        assert s["label"] == r["label"]
        assert s["features"] == r["features"]
        assert s["probabilities"].keys() == r["probabilities"].keys()
        for label, p in r["probabilities"].items():
            # The CLI writes f32; compare as f32.
            assert np.float32(s["probabilities"][label]) == np.float32(p)
    # One sentence at a time gives the same probabilities.
    with_label = [(s, r) for s, r in zip(ours, records) if r["probabilities"]]
    proba = builtin.predict_proba([s["text"] for s, _ in with_label])
    assert proba.dtype == np.float32
    assert proba.shape == (len(with_label), len(builtin.labels))
    for row, (s, r) in zip(proba, with_label):
        assert list(row) == [np.float32(r["probabilities"][l]) for l in builtin.labels]
    assert builtin.predict([s["text"] for s, _ in with_label]) == [r["label"] for _, r in with_label]


def test_classify_articles_is_classify_article(builtin):
    texts = [p.read_text(encoding="utf-8") for p in ARTICLES]
    assert builtin.classify_articles(texts) == [builtin.classify_article(t) for t in texts]


TRICKY = [
    # Emoji (astral, ZWJ sequence, flag) and combining marks (Arabic harakat, Latin
    # acute, Hebrew points): characters, code points and bytes all differ.
    "🔥🔥 أعدم التنظيم خمسة رجال في ساحة المدينة 👨‍👩‍👧. تقدّمَتْ القوات نحو المدينة 🇸🇾! "
    "Café́ نُشِرَ شريط مصوّر؟ 😀 شָׁלוֹם و e\u0301\u0301 انشق عشرات المقاتلين.",
    "\u200f\u200eانشق قائد عن التنظيم.\n\n\tوتقدمت القوات نحو القرى 🚀🚀🚀",
    "...!!! 🙂",
    "",
]


@pytest.mark.parametrize("text", TRICKY)
def test_character_offsets_slice_the_python_string(builtin, text):
    sentences = builtin.classify_article(text)
    utf8 = text.encode("utf-8")
    for s in sentences:
        assert text[s["start"] : s["end"]] == s["text"]
        assert utf8[s["start_byte"] : s["end_byte"]].decode("utf-8") == s["text"]
        assert len(text[: s["start"]].encode("utf-8")) == s["start_byte"]
    assert [s["index"] for s in sentences] == list(range(len(sentences)))
    # Every non-space character is in some sentence.
    covered = set()
    for s in sentences:
        covered.update(range(s["start"], s["end"]))
    assert all(c.isspace() for i, c in enumerate(text) if i not in covered)


def test_markers(builtin):
    texts = ["... !!!", "qqqq zzzz xxxx"]
    assert builtin.predict(texts, markers=True) == ["(no text)", "(unknown)"]
    # Without markers, the intercepts decide, as evaluate scores such sentences.
    proba = builtin.predict_proba(texts)
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    assert builtin.predict(texts) == [builtin.labels[i] for i in proba.argmax(axis=1)]
    sentences = builtin.classify_article("... !!!")
    assert sentences and all(
        s["label"] == "(no text)" and s["probabilities"] == {} for s in sentences
    )


def test_predict_empty_list(builtin):
    assert builtin.predict([]) == []
    assert builtin.predict_proba([]).shape == (0, 5)


def test_info_is_the_cli(builtin, cli):
    assert builtin.info() == json.loads(cli("info", "--format", "json"))


def test_evaluate_is_the_cli(builtin, cli, test_data):
    # The report's figures; the CLI adds what it measured about the run (about, intervals,
    # calibration, mistakes), which the Python report does not carry.
    expected = json.loads(
        cli("evaluate", "--data", ROOT / "data" / "test.csv", "--format", "json", "--bootstrap", "0")
    )
    got = tasnif.evaluate(builtin, *test_data)
    assert {"accuracy", "macro_f1", "per_label", "confusion"} <= set(got)
    assert got == {k: expected[k] for k in got}


def test_train_is_the_cli(cli, tmp_path):
    data = ROOT / "data" / "train.csv"
    from conftest import read_csv

    texts, labels = read_csv(data)
    options = {"min_df": 3, "max_df": 0.2, "word_ngrams": "1-1", "alpha": 0.5}
    out = tmp_path / "cli.tasnif"
    cli(
        "train", "--data", data, "--out", out, "--quiet",
        "--min-df", 3, "--max-df", 0.2, "--word-ngrams", "1-1", "--alpha", 0.5,
    )
    model = tasnif.train(texts, labels, **options)
    assert model.to_bytes() == out.read_bytes()
    # Tuples work for ranges too.
    assert tasnif.train(texts, labels, **{**options, "word_ngrams": (1, 1)}).to_bytes() == out.read_bytes()


def test_train_defaults_are_the_cli(cli, tmp_path):
    data = ROOT / "data" / "train.csv"
    from conftest import read_csv

    out = tmp_path / "cli.tasnif"
    cli("train", "--data", data, "--out", out, "--quiet")
    model = tasnif.train(*read_csv(data))
    assert model.to_bytes() == out.read_bytes()
    assert model.info()["settings"] == tasnif.default_config()


def test_train_config_dict_and_file(train_data, tmp_path):
    texts, labels = train_data
    texts, labels = texts[:1500], labels[:1500]
    config = {"vectorize": {"min_df": 2}, "train": {"alpha": 2.0}}
    a = tasnif.train(texts, labels, config=config)
    (tmp_path / "c.toml").write_text("[vectorize]\nmin_df = 2\n[train]\nalpha = 2.0\n")
    b = tasnif.train(texts, labels, config=tmp_path / "c.toml")
    c = tasnif.train(texts, labels, min_df=2, alpha=2.0)
    assert a.to_bytes() == b.to_bytes() == c.to_bytes()
    # A single option overrides the config.
    d = tasnif.train(texts, labels, config=config, alpha=1.0)
    assert d.info()["settings"]["train"]["alpha"] == 1.0


def test_train_save_load_round_trip(train_data, tmp_path):
    texts, labels = train_data
    model = tasnif.train(texts[:2000], labels[:2000], min_df=2, class_weight="balanced")
    path = tmp_path / "m.tasnif"
    model.save(path)
    loaded = tasnif.Model.load(path)
    assert loaded.labels == model.labels == sorted(set(labels[:2000]))
    assert loaded.to_bytes() == model.to_bytes() == path.read_bytes()
    sample = texts[2000:2300]
    assert np.array_equal(loaded.predict_proba(sample), model.predict_proba(sample))
    assert loaded.info()["model"] == str(path)
    assert loaded.info()["training"]["options"]["class_weight"] == "balanced"
    # Pickling goes through the model file's bytes.
    again = pickle.loads(pickle.dumps(loaded))
    assert again.to_bytes() == model.to_bytes()


def test_errors(builtin, tmp_path, train_data):
    texts, labels = train_data
    with pytest.raises(FileNotFoundError) as e:
        tasnif.Model.load(tmp_path / "missing.tasnif")
    assert "missing.tasnif" in str(e.value)
    bad = tmp_path / "bad.tasnif"
    bad.write_bytes(b"hello")
    with pytest.raises(ValueError, match="not a tasnif model file"):
        tasnif.Model.load(bad)
    with pytest.raises(OSError):
        builtin.save(tmp_path / "no-such-dir" / "m.tasnif")
    with pytest.raises(ValueError, match=r"max_df 2 must be in \(0, 1\]"):
        tasnif.train(texts, labels, max_df=2.0)
    with pytest.raises(ValueError, match="at least two labels"):
        tasnif.train(["انشق قائد", "فر قائد"], ["defection", "defection"])
    with pytest.raises(ValueError, match="reserved for output markers"):
        tasnif.train(["انشق قائد", "فر قائد"], ["(unknown)", "defection"])
    with pytest.raises(ValueError, match="2 texts but 1 labels"):
        tasnif.train(["a", "b"], ["x"])
    with pytest.raises(ValueError, match="word_ngrams"):
        tasnif.train(texts, labels, word_ngrams="one-two")
    with pytest.raises(ValueError, match="unknown rule"):
        tasnif.train(texts, labels, normalize_off="alef,nonsense")
    with pytest.raises(ValueError, match="solver"):
        tasnif.train(texts, labels, solver="adam")
    with pytest.raises(ValueError, match=r"labels not known to the model: 'spam' \(1 sentence\)"):
        tasnif.evaluate(builtin, ["انشق قائد"], ["spam"])
    with pytest.raises(TypeError):
        builtin.predict("one string, not a list")
    # A lone surrogate is no text: UnicodeEncodeError, a ValueError.
    with pytest.raises(ValueError):
        builtin.classify_article("\ud800 انشق قائد")
    assert list(tmp_path.glob("*.tmp")) == []


# classify_articles releases it too, but only while labeling: making a dict a
# sentence needs the GIL, and takes about as long.
@pytest.mark.parametrize("work", ["train", "predict_proba"])
def test_gil_is_released(builtin, train_data, work):
    texts, labels = train_data
    run = {
        "train": lambda: tasnif.train(texts, labels),
        "predict_proba": lambda: builtin.predict_proba(texts * 20),
    }[work]
    done = threading.Event()
    result = {}

    def work():
        started = time.perf_counter()
        result["model"] = run()
        result["seconds"] = time.perf_counter() - started
        done.set()

    t = threading.Thread(target=work)
    t.start()
    longest, last = 0.0, time.perf_counter()
    while not done.is_set():
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    t.join()
    # With the GIL held through the work, this loop would stop for all of it.
    assert longest < result["seconds"] / 4, (longest, result["seconds"])


def test_train_takes_the_cli_options(cli):
    import inspect
    import re

    flags = set(re.findall(r"^\s+(?:-\w, )?--([a-z-]+)", cli("train", "--help"), re.M))
    # Where the data comes from, where the model goes, and the command's own flags.
    reading = {"data", "text-col", "label-col", "skip-invalid", "delimiter", "encoding"}
    own = {"out", "quiet", "help"}
    options = {f.replace("-", "_") for f in flags - reading - own}
    params = inspect.signature(tasnif.train).parameters
    assert set(params) - {"texts", "labels"} == options
    assert all(params[o].default is None for o in options)
