"""``nnscratch.check``: a learner's own layers, functions, optimizers and
TwoLayerNet, checked against the library's, with a verdict per check, the
likely mistake named, and never the solution.

Reading order: ``names`` (what is recognised), ``compare`` (how outputs are
judged), the checks per kind (``layer_specs``, ``layer_checks``,
``softmax_loss_checks``, ``dropout_checks``, ``function_checks``,
``loss_checks``, ``numgrad_checks``, ``optim_checks``, ``network_checks``),
``registry``, the sandbox (``worker`` in the child, ``runner`` in the
parent), ``messages`` (English and Korean), ``report``.
"""

import os
import re
import types
from pathlib import Path

from nnscratch.checker.messages import check_language
from nnscratch.checker.names import RECOGNISED, recognised_hint, recognised_objects
from nnscratch.checker.report import Report
from nnscratch.checker.runner import DEFAULT_TIMEOUT, CheckError, run
from nnscratch.validation import POSITIVE

__all__ = ["DEFAULT_TIMEOUT", "RECOGNISED", "CheckError", "Report", "check"]

_MODULE_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def _source(target, only):
    """``(source, label)`` for the runner from whatever the caller passed."""
    if isinstance(target, (str, os.PathLike)):
        path = Path(target)
        if path.suffix == ".py" or path.exists():
            if not path.exists():
                raise CheckError(f"no such file: {target}")
            if not path.is_file() or path.suffix != ".py":
                raise CheckError(f"expected a .py file or a module name like package.module, got {str(target)!r}")
            return ("path", str(path)), str(target)
        if _MODULE_NAME.fullmatch(str(target)):
            return ("module", str(target)), str(target)
        raise CheckError(f"expected a .py file or a module name like package.module, got {str(target)!r}")
    if isinstance(target, types.ModuleType):
        return ("objects", recognised_objects(vars(target), only)), target.__name__
    name = getattr(target, "__name__", None)
    if name not in RECOGNISED:
        raise CheckError(
            f"cannot check {target!r}: its name {name!r} is not one the checker knows; {recognised_hint()}"
        )
    return ("objects", recognised_objects({name: target}, only)), name


def check(target, only=None, lang=None, timeout=DEFAULT_TIMEOUT):
    """Check a learner's implementations against the library's.

    Parameters
    ----------
    target : class, function, module, str or path
        One object (its ``__name__`` must be a recognised name, such as
        ``Affine`` or ``softmax``), a module, a ``.py`` file, or a module
        name ``package.module``. Every top-level object with a recognised
        name is checked.
    only : iterable of str, optional
        Check only these names.
    lang : {"en", "ko"}, optional
        Language of the messages; by default the locale's.
    timeout : float, default=20.0
        Seconds each object's checks may take; the code runs in a separate
        process, so an endless loop ends as an ERROR, not a hung checker.

    Returns
    -------
    Report
        Prints as a table; ``.passed``, ``.to_dict()``, ``.to_junit()``.

    Raises
    ------
    CheckError
        When the code cannot be loaded or nothing in it has a recognised name.

    Examples
    --------
    >>> import nnscratch
    >>> class Relu:
    ...     def forward(self, x):
    ...         self.mask = x <= 0
    ...         out = x.copy()
    ...         out[self.mask] = 0
    ...         return out
    ...     def backward(self, dout):
    ...         dx = dout.copy()
    ...         dx[self.mask] = 0
    ...         return dx
    >>> report = nnscratch.check(Relu, lang="en")
    >>> report.passed
    True
    >>> str(report).splitlines()[-1]
    '7 passed, 0 failed'
    """
    lang = check_language(lang)
    if only is not None:
        only = set(only)
        unknown = sorted(only - set(RECOGNISED))
        if unknown:
            raise CheckError(f"--only names {', '.join(unknown)}, which the checker does not know; {recognised_hint()}")
    POSITIVE.check(timeout, "timeout")
    source, label = _source(target, only)
    return Report(run(source, label, only, float(timeout)), lang)
