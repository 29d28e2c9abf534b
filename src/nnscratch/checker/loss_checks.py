"""Checks for cross_entropy_error and sum_squared_error.

The book guards ``log`` with ``+ 1e-7``; an exact loss is right too, so a
loss is compared with whichever of the two references it is closer to.
"""

import numpy as np

import nnscratch
from nnscratch.checker.compare import FAIL, PASS, N, judge, match, rel_error, result, rng_for

C = 4  # classes


def probabilities(n=N, tag="probs"):
    """``(y, t_index, t_one_hot)``: softmax probabilities with the true class most likely."""
    rng = rng_for(tag)
    scores = rng.standard_normal((n, C))
    labels = rng.integers(0, C, n)
    scores[np.arange(n), labels] += 3.0  # keeps log's 1e-7 guard far below the pass threshold
    return nnscratch.softmax(scores), labels, np.eye(C)[labels]


def exact_cross_entropy(y, t_index):
    """The unguarded batch-averaged loss ``-mean(log y[n, t[n]])``."""
    y = y.reshape(-1, y.shape[-1])
    return float(-np.log(y[np.arange(y.shape[0]), np.ravel(t_index)]).mean())


def closest(value, candidates):
    """The candidate reference that ``value`` is nearest to."""
    try:
        return min(candidates, key=lambda c: rel_error(np.asarray(value, dtype=float), c))
    except (TypeError, ValueError):
        return candidates[0]


def check_scalar(name, f):
    y, _, t = probabilities()
    value = f(y, t)
    if np.ndim(value) != 0:
        return result("scalar", FAIL, "not-scalar", what=name, received=np.shape(value))
    return result("scalar", PASS, "is-scalar", what=name)


def check_cross_entropy(f):
    y, labels, t = probabilities()
    value = f(y.copy(), t.copy())
    reference = closest(value, [nnscratch.cross_entropy_error(y, t), exact_cross_entropy(y, labels)])
    return judge("values", value, reference, [("cross-entropy-not-averaged", N * reference)], what="the loss")


def check_index_labels(f):
    y, labels, t = probabilities()
    return judge("index-labels", f(y.copy(), labels.copy()), f(y.copy(), t.copy()), what="the loss with index labels")


def check_duplicated(f):
    y, _, t = probabilities()
    single = f(y.copy(), t.copy())
    double = f(np.vstack([y, y]), np.vstack([t, t]))
    return judge(
        "duplicated-batch",
        double,
        single,
        [("cross-entropy-not-averaged", 2 * np.asarray(single))],
        what="the loss of the batch twice over",
    )


def check_zero_probability(f):
    y, _, t = probabilities()
    y[0] = [0.0, 0.5, 0.5, 0.0]
    t[0] = [1.0, 0.0, 0.0, 0.0]  # the true class has probability exactly 0, and so does a wrong one
    value = f(y, t)
    if np.ndim(value) != 0 or not np.isfinite(value):
        mistake = match(value, [("cross-entropy-log-zero", np.inf), ("cross-entropy-log-zero", np.nan)])
        return result("zero-probability", FAIL, mistake or "not-finite", mistake, what="the loss")
    return result("zero-probability", PASS, "finite", what="the loss")


def check_single_sample(name, f):
    y, labels, t = probabilities(1, tag="single")
    value = f(y[0].copy(), t[0].copy())
    reference = getattr(nnscratch, name)(y[0], t[0])
    if name == "cross_entropy_error":
        reference = closest(value, [reference, exact_cross_entropy(y, labels)])
    return judge("single-sample", value, reference, what="the loss of one sample")


def check_sse(f):
    y, _, t = probabilities()
    return judge("values", f(y.copy(), t.copy()), nnscratch.sum_squared_error(y, t), what="the loss")


def loss_checks(name, f):
    """``([(check name, callable)], None)`` for a loss function."""
    checks = [("scalar", lambda: check_scalar(name, f))]
    if name == "sum_squared_error":
        checks.append(("values", lambda: check_sse(f)))
    else:
        checks += [
            ("values", lambda: check_cross_entropy(f)),
            ("index-labels", lambda: check_index_labels(f)),
            ("duplicated-batch", lambda: check_duplicated(f)),
            ("zero-probability", lambda: check_zero_probability(f)),
        ]
    checks.append(("single-sample", lambda: check_single_sample(name, f)))
    return checks, None
