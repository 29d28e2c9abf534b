"""What the property-based tests share: hostile values, the judge of an error, and the counts.

``outcome`` runs one call and judges it: a result (checked further by the
test), or a ``TypeError``/``ValueError`` whose message names the argument (a
"clear error"). ``OUTCOMES`` counts each kind per test; ``summary`` turns the
counts into the lines the test run prints at its end (see ``conftest.py``).
"""

import collections
import re

import numpy as np
from hypothesis import HealthCheck
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

OUTCOMES = collections.Counter()
SETTINGS = {"deadline": 2000, "suppress_health_check": [HealthCheck.too_slow], "database": None}

DTYPES = [np.float64, np.float32, np.float16, np.int64, np.int8, np.uint64, np.uint8, np.bool_, np.complex128]
numeric_arrays = hnp.arrays(st.sampled_from(DTYPES), hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
float_batches = hnp.arrays(  # the shapes the functions are made for, with any float values
    st.sampled_from([np.float64, np.float32, np.float16]), hnp.array_shapes(min_dims=1, max_dims=2, max_side=5)
)
not_arrays = st.one_of(
    st.none(),
    st.text(max_size=3),
    st.lists(st.text(max_size=2), min_size=1, max_size=3),
    st.lists(st.lists(st.floats(), max_size=3), min_size=2, max_size=3),  # often ragged
    st.integers(min_value=-(2**70), max_value=2**70),  # some beyond int64
    st.floats(),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


def mostly(usual, rare):
    """Draw from ``usual`` three times in four (``one_of`` would pick each branch alike)."""
    return st.integers(0, 3).flatmap(lambda k: usual if k else rare)


hostile = st.one_of(numeric_arrays, float_batches, not_arrays)


def outcome(test, call, names, errors=(TypeError, ValueError)):
    """Run ``call``; return ``(True, result)`` or ``(False, None)`` after checking its error is clear.

    ``errors`` are the kinds of the package's own errors the call may raise
    (TypeError and ValueError; the Trainer adds DivergenceError). Every case
    is counted before it is judged, so a failing run's summary
    still says how many errors were unclear (an error that does not name any
    of ``names``, or one of another kind than TypeError and ValueError).
    """
    try:
        result = call()
    except errors as error:
        pattern = rf"(^|[\s'(\[]){'|'.join(map(re.escape, names))}\b"
        clear = re.search(pattern, str(error)) is not None
        OUTCOMES[test, "clear error" if clear else "unclear error"] += 1
        assert clear, f"error does not name {names}: {error!r}"
        return False, None
    except Exception:
        OUTCOMES[test, "unclear error"] += 1
        raise
    OUTCOMES[test, "result"] += 1
    return True, result


@st.composite
def labels_for(draw, y):
    """Labels of every form for ``y``: valid indices, one-hot rows, and hostile values and shapes."""
    n, c = (1, y.shape[0]) if y.ndim == 1 else y.shape
    index = st.integers(0, max(c - 1, 0))
    if y.ndim == 1:  # a class index, or a one-hot vector
        valid = st.one_of(index, index.map(lambda k: np.eye(max(c, 1))[k][:c]))
    else:  # (N,) indices, or (N, C) one-hot rows
        indices = hnp.arrays(np.int64, (n,), elements=index)
        valid = st.one_of(indices, indices.map(lambda k: np.eye(max(c, 1))[k][:, :c]))
    shape = (c,) if y.ndim == 1 else (n, c)
    wrong = st.one_of(
        hnp.arrays(st.sampled_from([np.int64, np.float64, np.int8]), (n,)),  # out of range, -1, non-integer, NaN
        hnp.arrays(np.float64, shape, elements=st.floats(-2, 2)),  # rows that are no distribution
        hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0])),  # all-zero or several ones
        hostile,
    )
    return draw(mostly(valid, wrong))


def finite_float64(x):
    """``x`` as float64 if it is a finite numeric array, else None (no claim on the result)."""
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "iuf":
        return None
    x64 = x.astype(np.float64)
    return x64 if np.isfinite(x64).all() else None


def tolerance(dtype):
    return {np.dtype(np.float16): 2e-3, np.dtype(np.float32): 2e-6}.get(np.dtype(dtype), 1e-12)


def summary():
    """Lines: per test, the cases tried and how they ended; then the totals and the share of clear errors."""
    tests = sorted({test for test, _ in OUTCOMES})
    lines = []
    for test in tests:
        counts = {kind: OUTCOMES[test, kind] for kind in ("result", "clear error", "unclear error")}
        lines.append(f"{test}: {sum(counts.values())} cases, " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    totals = collections.Counter()
    for (_, kind), count in OUTCOMES.items():
        totals[kind] += count
    errors = totals["clear error"] + totals["unclear error"]
    share = 100.0 * totals["clear error"] / errors if errors else 100.0
    lines.append(
        f"hostile API inputs tried: {sum(totals.values())}; results {totals['result']}, errors {errors}, "
        f"of which clear {totals['clear error']} ({share:.1f}%)"
    )
    return lines
