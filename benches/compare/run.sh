#!/usr/bin/env bash
# Side-by-side comparison of tasnif with scikit-learn, CAMeL Tools normalization and
# fastText (library and command line) on the same text and the same labeled data.
# Installs its Python packages in benches/compare/.venv on first use (and, as root
# with apt-get, Debian's fasttext package). Usage: benches/compare/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install -q --upgrade pip
  "$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
  # CAMeL Tools' normalization needs none of its heavy dependencies (torch, ...).
  "$here/.venv/bin/pip" install -q --no-deps camel-tools && "$here/.venv/bin/pip" install -q emoji six || echo "note: camel-tools did not install"
  "$here/.venv/bin/pip" install -q fasttext-wheel || echo "note: fastText did not install"
fi
# The fastText command line (Debian's package), for classify and cold start.
if ! command -v fasttext >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get install -y -q fasttext >/dev/null || echo "note: the fasttext package did not install"
fi
cargo build --release --quiet --bin tasnif --example throughput
"$here/.venv/bin/python" "$here/compare.py" "$@"
