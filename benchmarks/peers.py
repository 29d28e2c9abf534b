"""One epoch of the same network in each peer: PyTorch eager and scikit-learn."""

import time
import warnings

import numpy as np


def torch_epoch(x, t, x_test, t_test, hidden, batch_size=100, lr=0.1, seed=0, threads=None, device="cpu"):
    """``nn.Sequential`` + ``torch.optim.SGD``, one pass over shuffled data. Returns (seconds, test accuracy)."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
    model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs, ts = torch.from_numpy(x).to(device), torch.from_numpy(t).to(device)
    _sync(device)
    start = time.perf_counter()
    order = torch.randperm(len(xs), device=device)
    for i in range(0, len(xs), batch_size):
        index = order[i : i + batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[index]), ts[index])
        loss.backward()
        optimizer.step()
    _sync(device)
    seconds = time.perf_counter() - start
    with torch.no_grad():
        scores = model(torch.from_numpy(x_test).to(device))
        accuracy = float((scores.argmax(1).cpu().numpy() == t_test).mean())
    return seconds, accuracy


def _sync(device):
    if device != "cpu":
        import torch

        torch.cuda.synchronize()


def sklearn_epoch(x, t, x_test, t_test, hidden, batch_size=100, lr=0.1, seed=0):
    """``MLPClassifier(solver="sgd")`` with plain SGD (no momentum, no L2) for one epoch."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(hidden,),
        solver="sgd",
        learning_rate_init=lr,
        batch_size=batch_size,
        momentum=0.0,
        alpha=0.0,
        max_iter=1,
        shuffle=True,
        random_state=seed,
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, t)
    seconds = time.perf_counter() - start
    return seconds, float((clf.predict(x_test) == t_test).mean())


def gemm_rate(n=2048, repeats=5, dtype=np.float32):
    """Best float32 FLOP/s of ``np.matmul`` on two n x n matrices (2 n^3 flops each)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n), dtype=dtype), rng.random((n, n), dtype=dtype)
    out = np.empty((n, n), dtype=dtype)
    np.matmul(a, b, out=out)  # warm-up
    best = min(_timed(lambda: np.matmul(a, b, out=out)) for _ in range(repeats))
    return 2 * n**3 / best


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def epoch_gemm_flops(n, d, hidden, classes=10, batch_size=100):
    """FLOPs of the matrix products one epoch of a D-H-C net needs.

    Forward ``x @ W1`` and ``h @ W2``; backward ``dW2 = h.T @ dout``,
    ``dh = dout @ W2.T`` and ``dW1 = x.T @ dh`` (no gradient for the input).
    """
    steps = -(-n // batch_size)
    per_sample = 2 * (d * hidden + hidden * classes) + 2 * (hidden * classes * 2 + d * hidden)
    return steps * batch_size * per_sample
