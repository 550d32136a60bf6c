# Types of the extension module (python/src/lib.rs), for editors and type checkers.
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, TypedDict, Union

import numpy as np
import numpy.typing as npt

__version__: str

class Sentence(TypedDict):
    index: int
    start: int
    end: int
    start_byte: int
    end_byte: int
    text: str
    label: str
    probabilities: Dict[str, float]
    features: int
    cut_at_limit: bool

_Path = Union[str, os.PathLike]

class Model:
    @staticmethod
    def builtin() -> Model: ...
    @staticmethod
    def load(path: _Path) -> Model: ...
    @staticmethod
    def from_bytes(bytes: bytes) -> Model: ...
    def to_bytes(self) -> bytes: ...
    def save(self, path: _Path) -> None: ...
    @property
    def labels(self) -> List[str]: ...
    def info(self) -> Dict[str, Any]: ...
    def classify_article(self, text: str) -> List[Sentence]: ...
    def classify_articles(self, texts: Sequence[str]) -> List[List[Sentence]]: ...
    def predict(self, texts: Sequence[str], *, markers: bool = False) -> List[str]: ...
    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...

def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    config: Optional[Union[Dict[str, Any], _Path]] = None,
    word_ngrams: Optional[Union[str, Tuple[int, int]]] = None,
    char_ngrams: Optional[Union[str, Tuple[int, int]]] = None,
    strip_clitics: Optional[bool] = None,
    stopwords: Optional[bool] = None,
    min_df: Optional[int] = None,
    max_df: Optional[float] = None,
    max_features: Optional[int] = None,
    word_weight: Optional[float] = None,
    char_weight: Optional[float] = None,
    normalize_off: Optional[Union[str, Sequence[str]]] = None,
    alpha: Optional[float] = None,
    max_iter: Optional[int] = None,
    solver: Optional[str] = None,
    class_weight: Optional[str] = None,
) -> Model: ...
def evaluate(model: Model, texts: Sequence[str], labels: Sequence[str]) -> Dict[str, Any]: ...
def default_config() -> Dict[str, Any]: ...
