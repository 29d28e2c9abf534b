"""Compare backprop with numerical gradients, parameter by parameter (SPEC 1.5)."""

from dataclasses import dataclass

import numpy as np

GOOD_BELOW = 1e-7
WRONG_ABOVE = 1e-2


def relative_error(a, b):
    """``||a - b|| / max(||a|| + ||b||, tiny)``, a scale-free distance of two arrays.

    A norm ratio rather than an elementwise maximum, so that gradients that
    are zero in both (a dead ReLU unit) do not count as an error.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = max(np.linalg.norm(a) + np.linalg.norm(b), np.finfo(np.float64).tiny)
    return float(np.linalg.norm(a - b) / scale)


def verdict(rel_error):
    """'good' below 1e-7, 'wrong' above 1e-2, 'check' between."""
    if rel_error < GOOD_BELOW:
        return "good"
    return "wrong" if rel_error > WRONG_ABOVE else "check"


@dataclass(frozen=True)
class ParamCheck:
    """The comparison of one parameter's two gradients."""

    max_abs_diff: float
    mean_abs_diff: float
    rel_error: float
    verdict: str


class GradcheckReport(dict):
    """dict of parameter name -> :class:`ParamCheck`, printable as a table."""

    @property
    def worst(self):
        """The largest relative error over all parameters."""
        return max(check.rel_error for check in self.values())

    @property
    def ok(self):
        """True when no parameter is judged 'wrong'."""
        return all(check.verdict != "wrong" for check in self.values())

    def __str__(self):
        lines = [f"{'param':<12} {'max |diff|':>11} {'mean |diff|':>11} {'rel error':>10}  verdict"]
        for name, c in self.items():
            lines.append(f"{name:<12} {c.max_abs_diff:11.3e} {c.mean_abs_diff:11.3e} {c.rel_error:10.3e}  {c.verdict}")
        return "\n".join(lines)


def gradcheck(model, x, t, h=1e-4):
    """Check backprop (``model.loss_and_grads``) against ``model.numerical_gradient`` in float64.

    The model is copied to float64 first (float32 rounding alone would give
    relative errors near 1e-4), so the model itself is untouched.

    Parameters
    ----------
    model : Network
        Anything with ``astype``, ``loss_and_grads(x, t)`` and ``numerical_gradient(x, t, h)``.
    x : ndarray, shape (N, D)
        A few samples suffice; the numerical gradient costs two losses per parameter.
    t : ndarray, shape (N,) or (N, C)
    h : float, default=1e-4
        The lectures' step: central-difference truncation error ~h^2 stays
        below rounding noise, which grows as h shrinks.

    Returns
    -------
    GradcheckReport
    """
    model64 = model.astype(np.float64)
    x = np.asarray(x, dtype=np.float64)
    numeric = model64.numerical_gradient(x, t, h)
    _, _, analytic = model64.loss_and_grads(x, t)
    report = GradcheckReport()
    for name, num in numeric.items():
        diff = np.abs(analytic[name] - num)
        rel = relative_error(analytic[name], num)
        report[name] = ParamCheck(float(diff.max()), float(diff.mean()), rel, verdict(rel))
    return report
