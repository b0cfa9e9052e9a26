"""Tables as plain arrays and UTF-8 text, for the caches: no pickle, the exact column types back.

A column becomes one or two numeric arrays that ``numpy.load(..., allow_pickle=False)`` reads
(values and a missing-value mask). A text column keeps each distinct text once, as one UTF-8 byte
array: the texts joined by a separator character none of them contains (one ``str.split`` gives
them back), or a JSON list when every separator occurs in some text; and one number per row
saying which text it holds (-1 when missing). The tables repeat their texts (a file name, a
sentence with several places) so this is smaller and faster to read than pickle. Only the column types the kit's tables
use are accepted (`KINDS`); reading checks every length and type, so a damaged or foreign file
raises `kit.caches.Unusable` and never gives a wrong table.

Example:
    >>> frame = pd.DataFrame({"a": pd.array(["x", None], dtype="string"), "n": pd.array([1, None], dtype="Int64")})
    >>> spec, arrays = encode_frame(frame, "t")
    >>> back = decode_frame(spec, arrays, "t")
    >>> back.equals(frame), back.dtypes.equals(frame.dtypes)
    (True, True)
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from ..caches import Unusable

SEPARATORS = ("\x00", "\x1f", "\x1e", "\ufffe", "\uffff")
# dtype name -> (how the column is kept, the numpy type of its values). Text columns: pandas'
# "string" (missing is NA) and pandas 3's "str" (missing is NaN), in Python or pyarrow storage.
KINDS = {"string[python]": ("text", None), "string[pyarrow]": ("text", None), "str[python]": ("text", None),
         "str[pyarrow]": ("text", None), "object": ("text", None),
         "boolean": ("masked", np.bool_), "Int64": ("masked", np.int64), "Float64": ("masked", np.float64),
         "bool": ("plain", np.bool_), "int64": ("plain", np.int64), "uint64": ("plain", np.uint64),
         "float64": ("plain", np.float64)}
_MISSING = {np.bool_: False, np.int64: 0, np.float64: np.nan}


def dtype_name(dtype) -> str:
    """The name a column's dtype is kept under (`KINDS`).

    >>> dtype_name(pd.StringDtype("python")), dtype_name(np.dtype("int64"))
    ('string[python]', 'int64')
    """
    if isinstance(dtype, pd.StringDtype):
        return f"{'string' if dtype.na_value is pd.NA else 'str'}[{dtype.storage}]"
    name = str(dtype)
    if name not in KINDS:
        raise TypeError(f"columns of type {name} are not kept in the caches")
    return name


def _string_dtype(name: str) -> pd.StringDtype:
    storage = name[name.index("[") + 1:-1]
    return pd.StringDtype(storage) if name.startswith("string") else pd.StringDtype(storage, na_value=np.nan)


def encode_text(values: list[str]) -> tuple[str, np.ndarray]:
    """(how, bytes) of a list of texts: ``sep:N`` (joined by `SEPARATORS`[N]) or ``json``.

    >>> how, data = encode_text(["a", "b\\x00c"])
    >>> how, decode_text(how, data, 2)
    ('sep:1', ['a', 'b\\x00c'])
    """
    for number, sep in enumerate(SEPARATORS):
        joined = sep.join(values)
        if joined.count(sep) == max(len(values) - 1, 0):
            return f"sep:{number}", _utf8(joined)
    return "json", _utf8(json.dumps(values, ensure_ascii=False))


def decode_text(how: str, data: np.ndarray, count: int) -> list[str]:
    """The ``count`` texts `encode_text` kept; `Unusable` when they are not that."""
    try:
        text = utf8_text(data)
        if how == "json":
            values = json.loads(text)
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ValueError("not a list of texts")
        elif how.startswith("sep:"):
            values = text.split(SEPARATORS[int(how[4:])]) if count else []
        else:
            raise ValueError(how)
    except (ValueError, IndexError, TypeError, UnicodeDecodeError) as exc:
        raise Unusable(f"a text column is damaged ({exc})") from None
    if len(values) != count:
        raise Unusable("a text column has the wrong number of texts")
    return values


def utf8_text(data: np.ndarray) -> str:
    """The text of a byte array `encode_text` wrote (decoded in place, not copied first)."""
    if data.dtype != np.uint8 or data.ndim != 1:
        raise ValueError("not a byte array")
    return str(memoryview(np.ascontiguousarray(data)), "utf-8", "surrogatepass")


def _utf8(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)


def encode_frame(frame: pd.DataFrame, prefix: str) -> tuple[dict, dict[str, np.ndarray]]:
    """(spec, arrays) of ``frame``: the spec (JSON-ready) names each column, its dtype and how it is
    kept; the arrays are named ``prefix/column number/part``."""
    spec, arrays = {"rows": len(frame), "columns": []}, {}
    for number, name in enumerate(frame.columns):
        column = frame[name]
        dtype = dtype_name(column.dtype)
        kind, numpy_type = KINDS[dtype]
        where = f"{prefix}/{number}"
        entry = {"name": str(name), "dtype": dtype}
        if kind == "text":  # each distinct text once, and a number per row (-1: missing)
            codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
            texts = uniques.tolist()
            if not all(type(t) is str for t in texts):
                raise TypeError(f"column {name} holds values that are not text")
            entry["text"], arrays[f"{where}/text"] = encode_text(texts)
            entry["distinct"] = len(texts)
            arrays[f"{where}/codes"] = codes.astype(np.int32 if len(texts) < 2**31 else np.int64, copy=False)
        elif kind == "masked":
            arrays[f"{where}/values"] = column.array.to_numpy(dtype=numpy_type, na_value=_MISSING[numpy_type])
            arrays[f"{where}/missing"] = column.isna().to_numpy(dtype=bool)
        else:
            arrays[f"{where}/values"] = column.to_numpy(dtype=numpy_type)
        spec["columns"].append(entry)
    return spec, arrays


def decode_frame(spec, arrays, prefix: str) -> pd.DataFrame:
    """The frame `encode_frame` kept, with its exact dtypes; `Unusable` when ``arrays`` do not fit ``spec``."""
    try:
        rows, columns = int(spec["rows"]), list(spec["columns"])
        data = {}
        for number, entry in enumerate(columns):
            name, dtype = str(entry["name"]), str(entry["dtype"])
            if dtype not in KINDS or name in data:
                raise Unusable(f"column {name!r} of type {dtype!r} is not one the kit keeps")
            data[name] = _decode_column(entry, dtype, arrays, f"{prefix}/{number}", rows)
    except Unusable:
        raise
    except (KeyError, TypeError, ValueError, ImportError) as exc:  # ImportError: pyarrow storage, no pyarrow
        raise Unusable(f"a table in it is damaged ({type(exc).__name__}: {exc})") from None
    return pd.DataFrame(data, index=pd.RangeIndex(rows), copy=False) if data else pd.DataFrame(index=pd.RangeIndex(rows))


def decode_lists(spec, arrays, prefix: str) -> dict[str, list]:
    """The columns `encode_frame` kept, as plain Python lists (None where missing), without
    building a frame: for text, int64 and Float64 columns (a block's parts in `kit.tables.snapshot`)."""
    try:
        rows, found = int(spec["rows"]), {}
        for number, entry in enumerate(spec["columns"]):
            name, dtype, where = str(entry["name"]), str(entry["dtype"]), f"{prefix}/{number}"
            kind = KINDS.get(dtype, (None,))[0]
            if kind == "text":
                found[name] = _texts(entry, arrays, where, rows, None).tolist()
            elif kind == "plain":
                found[name] = _array(arrays, f"{where}/values", KINDS[dtype][1], rows).tolist()
            elif kind == "masked":
                values = _array(arrays, f"{where}/values", KINDS[dtype][1], rows).astype(object)
                values[_array(arrays, f"{where}/missing", np.bool_, rows)] = None
                found[name] = values.tolist()
            else:
                raise Unusable(f"column {name!r} of type {dtype!r} is not one the kit keeps")
    except Unusable:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise Unusable(f"a table in it is damaged ({type(exc).__name__}: {exc})") from None
    return found


def _texts(entry: dict, arrays, where: str, rows: int, missing) -> np.ndarray:
    """A text column's values as an object array, ``missing`` where a row has none."""
    distinct = int(entry["distinct"])
    codes = arrays[f"{where}/codes"]
    if codes.dtype not in (np.int32, np.int64) or codes.shape != (rows,):
        raise Unusable(f"the array {where}/codes has the wrong type or length")
    if rows and (codes.min() < -1 or codes.max() >= distinct):
        raise Unusable(f"the array {where}/codes points outside its texts")
    texts = np.empty(distinct + 1, dtype=object)  # the last one stands for a missing value (code -1)
    texts[:distinct] = decode_text(str(entry["text"]), arrays[f"{where}/text"], distinct)
    texts[distinct] = missing
    return texts.take(codes)


def _array(arrays, name: str, numpy_type, rows: int) -> np.ndarray:
    value = arrays[name]
    if value.dtype != numpy_type or value.shape != (rows,):
        raise Unusable(f"the array {name} has the wrong type or length")
    return value


def _decode_column(entry: dict, dtype: str, arrays, where: str, rows: int):
    kind, numpy_type = KINDS[dtype]
    if kind == "plain":
        return pd.Series(_array(arrays, f"{where}/values", numpy_type, rows), dtype=dtype)
    if kind == "masked":
        missing = _array(arrays, f"{where}/missing", np.bool_, rows)
        values = _array(arrays, f"{where}/values", numpy_type, rows)
        return pd.Series(pd.arrays.BooleanArray(values, missing) if dtype == "boolean" else
                         pd.arrays.IntegerArray(values, missing) if dtype == "Int64" else
                         pd.arrays.FloatingArray(values, missing))
    if dtype == "object":
        return pd.Series(_texts(entry, arrays, where, rows, None), dtype=object)
    string = _string_dtype(dtype)
    values = _texts(entry, arrays, where, rows, string.na_value)
    if dtype == "string[python]":  # the checked constructor, without the copy pd.Series(..., dtype) makes
        return pd.Series(pd.arrays.StringArray(values))
    return pd.Series(values, dtype=string)
