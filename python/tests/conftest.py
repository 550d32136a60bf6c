"""Shared fixtures: the repository's data and the `tasnif` binary to compare with."""

import csv
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = sorted((ROOT / "data" / "articles").glob("*.txt"))


def read_csv(path, limit=None):
    """(texts, labels) of a labeled CSV as `tasnif train --data` reads it."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:limit]
    return [r["text"] for r in rows], [r["label"] for r in rows]


@pytest.fixture(scope="session")
def cli():
    """Run the `tasnif` binary (TASNIF_BIN, or target/release/tasnif as `cargo test
    --release` leaves it) and return its standard output."""
    binary = Path(os.environ.get("TASNIF_BIN", ROOT / "target" / "release" / "tasnif"))
    if not binary.exists():
        pytest.fail(f"{binary} not found: run `cargo build --release` or set TASNIF_BIN")

    def run(*args):
        return subprocess.run(
            [str(binary), *map(str, args)], check=True, capture_output=True, text=True
        ).stdout

    return run


@pytest.fixture(scope="session")
def builtin():
    import tasnif

    return tasnif.Model.builtin()


@pytest.fixture(scope="session")
def train_data():
    return read_csv(ROOT / "data" / "train.csv")


@pytest.fixture(scope="session")
def test_data():
    return read_csv(ROOT / "data" / "test.csv")
