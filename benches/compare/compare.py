"""tasnif next to scikit-learn, CAMeL Tools and fastText on the same data.

Throughput on the first MB of ../shared/corpus/news-ar.txt (or data/articles when it
is not there), also of the whole command (tasnif classify against the fastText command
line, and each one's cold start); training time and macro F1 with the same training data
(data/train.csv) on data/test.csv and, when present, ../shared/eval/dev.csv.
Run through benches/compare/run.sh, which sets up the environment.
"""
import csv
import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TASNIF = os.path.join(ROOT, "target", "release", "tasnif")
THROUGHPUT = os.path.join(ROOT, "target", "release", "examples", "throughput")
MAX_BYTES = int(os.environ.get("COMPARE_BYTES", 4 * 1024 * 1024))
ALPHA = 0.1  # tasnif's default L2 strength; scikit-learn's C = 1 / alpha


def news_text():
    p = os.path.join(ROOT, "..", "shared", "corpus", "news-ar.txt")
    if os.path.exists(p):
        return p, open(p, encoding="utf-8").read()[: MAX_BYTES // 2]
    text = "\n".join(open(f, encoding="utf-8").read() for f in sorted(glob.glob(os.path.join(ROOT, "data/articles/*.txt"))))
    return "data/articles", text


def read(path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def best_time(fn, runs=3):
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def best_run(cmd, runs=3, stdin=None):
    """Fastest wall time of `cmd` (output thrown away), in seconds."""
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT)
        best = min(best, time.perf_counter() - t)
    return best


def fasttext_command_line(train_x, train_y, sample, mb, model):
    """Rows for the fastText command line (Debian's `fasttext`): classifying the sample,
    one article a line, with probabilities, on one thread; and a cold start on one
    sentence. Empty (with a note) when the command is not installed."""
    exe = shutil.which("fasttext")
    if exe is None:
        print("note: the fastText command line is not installed (apt-get install fasttext)", file=sys.stderr)
        return []
    tmp = tempfile.mkdtemp()
    train = os.path.join(tmp, "train.txt")
    with open(train, "w", encoding="utf-8") as f:
        for x, y in zip(train_x, train_y):
            f.write(f"__label__{y} {' '.join(x.split())}\n")
    ft_model = os.path.join(tmp, "ft")
    subprocess.check_call([exe, "supervised", "-input", train, "-output", ft_model, "-lr", "0.5", "-epoch", "50",
                           "-wordNgrams", "2", "-minn", "2", "-maxn", "5", "-thread", "1", "-verbose", "0"],
                          stdout=subprocess.DEVNULL)
    ours = best_run([TASNIF, "classify", "--model", model, "--jobs", "1", "--input", "lines", "--format", "jsonl",
                     sample])
    theirs = best_run([exe, "predict-prob", ft_model + ".bin", sample, "-1"])
    one = "قال مصدر عسكري إن القوات سيطرت على البلدة بعد معارك عنيفة.\n".encode()
    cold_ours = best_run([TASNIF, "classify", "--model", model, "--format", "jsonl"], runs=5, stdin=one)
    cold_theirs = best_run([exe, "predict-prob", ft_model + ".bin", "-", "-1"], runs=5, stdin=one)
    return [
        ("classify, one thread (MB/s)", mb / ours, mb / theirs, "fastText predict-prob (command line)"),
        ("cold start, one sentence (s)", cold_ours, cold_theirs, "fastText predict-prob (command line)"),
    ]


def main():
    src, text = news_text()
    lines = text.splitlines()
    mb = len(text.encode("utf-8")) / 1e6
    rows = []  # (what, tasnif, other, other name, unit)

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(text)
        sample = f.name
    ours = json.loads(subprocess.check_output([THROUGHPUT, sample], cwd=ROOT))

    try:
        from camel_tools.utils.dediac import dediac_ar
        from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                                 normalize_teh_marbuta_ar, normalize_unicode)

        def camel():
            for l in lines:
                normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(normalize_unicode(l)))))

        rows.append(("normalize (MB/s)", ours["normalize_mb_s"], mb / best_time(camel), "CAMeL Tools"))
    except Exception as e:  # noqa: BLE001
        print(f"note: CAMeL Tools not measured: {e}", file=sys.stderr)

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.pipeline import FeatureUnion, make_pipeline

    analyzer = TfidfVectorizer(ngram_range=(1, 2)).build_analyzer()
    rows.append(("normalize + word tokens (MB/s)", ours["normalize_words_mb_s"],
                 mb / best_time(lambda: [analyzer(l) for l in lines]), "scikit-learn word 1-2 analyzer"))
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    rows.append(("featurize (MB/s)", ours["featurize_mb_s"], mb / best_time(lambda: char.fit_transform(lines), runs=1),
                 "scikit-learn char_wb 2-5 fit_transform"))

    train_x, train_y = read(os.path.join(ROOT, "data", "train.csv"))
    evals = [("data/test.csv", os.path.join(ROOT, "data", "test.csv"))]
    dev = os.path.join(ROOT, "..", "shared", "eval", "dev.csv")
    if os.path.exists(dev):
        evals.append(("dev.csv (real news)", dev))

    model = os.path.join(tempfile.mkdtemp(), "m.tasnif")
    t = time.perf_counter()
    subprocess.check_call([TASNIF, "train", "--data", "data/train.csv", "--config", "models/default.toml",
                           "--out", model, "-q"], cwd=ROOT)
    t_ours = time.perf_counter() - t
    sk = make_pipeline(
        FeatureUnion([
            ("w", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
            ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
        ]),
        LogisticRegression(C=1 / ALPHA, max_iter=1000, class_weight="balanced"),
    )
    t = time.perf_counter()
    sk.fit(train_x, train_y)
    t_sk = time.perf_counter() - t
    rows.append(("train on data/train.csv (s)", t_ours, t_sk, "scikit-learn tf-idf + LogisticRegression(lbfgs)"))

    ft = None
    try:
        import fasttext

        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
            for x, y in zip(train_x, train_y):
                f.write(f"__label__{y} {' '.join(x.split())}\n")
            ft_train = f.name
        t = time.perf_counter()
        ft = fasttext.train_supervised(ft_train, lr=0.5, epoch=50, wordNgrams=2, minn=2, maxn=5, verbose=0)
        t_ft = time.perf_counter() - t
        rows.append(("train on data/train.csv (s)", t_ours, t_ft, "fastText supervised"))
    except Exception as e:  # noqa: BLE001
        print(f"note: fastText not measured: {e}", file=sys.stderr)

    rows.extend(fasttext_command_line(train_x, train_y, sample, mb, model))

    for name, path in evals:
        x, y = read(path)
        ours_f1 = json.loads(subprocess.check_output([TASNIF, "evaluate", "--model", model, "--data", path,
                                                     "--format", "json"], cwd=ROOT))["macro_f1"]
        rows.append((f"macro F1 on {name}", ours_f1, f1_score(y, sk.predict(x), average="macro"), "scikit-learn"))
        if ft is not None:
            pred = [ft.predict(" ".join(s.split()))[0][0].replace("__label__", "") for s in x]
            rows.append((f"macro F1 on {name}", ours_f1, f1_score(y, pred, average="macro"), "fastText"))

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.processor() or platform.platform()}")
    print(f"text: {src}, {mb:.1f} MB; single thread for throughput\n")
    print("| measure | tasnif | other | other tool | tasnif / other |")
    print("|---|---:|---:|---|---:|")
    for what, a, b, tool in rows:
        ratio = a / b if "(s)" not in what else b / a
        label = "×" if "F1" not in what else ""
        print(f"| {what} | {a:.3f} | {b:.3f} | {tool} | {ratio:.2f}{label} |")
    print("\n(for times, the ratio is other / tasnif: above 1 means tasnif is faster)")


if __name__ == "__main__":
    main()
