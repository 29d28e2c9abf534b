"""im2col/col2im and the convolutional layers: both formulations agree, geometry, bad input, saving.

The per-layer gradient checks and PyTorch comparisons on random shapes live in
test_layer_gradients.py and test_torch_reference.py (through tests/layer_registry.py);
here a fixed matrix of shapes, strides and paddings is checked the same two ways.
"""

import copy

import numpy as np
import pytest

from nnscratch import AvgPooling, Convolution, Flatten, Pooling, Relu, Sequential, col2im, im2col
from nnscratch.gradcheck import relative_error
from nnscratch.layers.im2col import col2im_loops, col2im_t, im2col_loops, im2col_t, output_size
from nnscratch.numgrad import numerical_gradient

# (input shape (N, C, H, W), window (FH, FW), stride, pad): square and not, dividing evenly and not.
GEOMETRIES = [
    ((2, 3, 7, 7), (3, 3), 1, 0),
    ((2, 2, 6, 9), (2, 4), 1, 0),
    ((3, 1, 7, 5), (3, 2), 2, 1),  # (7 + 2 - 3) / 2 and (5 + 2 - 2) / 2: the second does not divide
    ((1, 2, 8, 11), (3, 3), 3, 2),
    ((2, 1, 5, 6), (5, 6), 1, 0),  # the window is the whole image: one output position
    ((2, 2, 4, 4), (1, 1), 2, 0),
    ((2, 3, 7, 9), (2, 2), 2, 0),  # pooling's side-by-side windows; the last row and column are left out
    ((1, 2, 9, 6), (3, 3), 3, 0),
]


@pytest.mark.parametrize(("shape", "window", "stride", "pad"), GEOMETRIES)
def test_fast_im2col_and_col2im_equal_the_loops(shape, window, stride, pad, rng):
    x = rng.standard_normal(shape)
    col = im2col_loops(x, *window, stride, pad)
    np.testing.assert_array_equal(im2col(x, *window, stride, pad), col)
    np.testing.assert_array_equal(im2col_t(x, *window, stride, pad), _batch_last_columns(col, shape[0]))
    dcol = rng.standard_normal(col.shape)
    expected = col2im_loops(dcol, shape, *window, stride, pad)
    assert expected.shape == shape
    np.testing.assert_allclose(col2im(dcol, shape, *window, stride, pad), expected, rtol=1e-13, atol=1e-13)
    dcols = _batch_last_columns(dcol, shape[0])
    np.testing.assert_allclose(col2im_t(dcols, shape, *window, stride, pad), expected, rtol=1e-13, atol=1e-13)


def _batch_last_columns(col, n):
    """The book's col (N*OH*OW, C*FH*FW), transposed, its columns reordered from (n, y, x) to (y, x, n)."""
    return col.reshape(n, -1, col.shape[1]).transpose(2, 1, 0).reshape(col.shape[1], -1)


def test_im2col_t_writes_into_the_rows_it_is_given(rng):
    x = rng.standard_normal((2, 3, 5, 4))
    matrix = np.full((3 * 9 + 1, 2 * 5 * 4), 7.0)  # one row more, as the convolution's bias row
    assert im2col_t(x, 3, 3, 1, 1, out=matrix[:-1]) is not None
    np.testing.assert_array_equal(matrix[:-1], im2col_t(x, 3, 3, 1, 1))
    np.testing.assert_array_equal(matrix[-1], 7.0)  # left alone
    with pytest.raises(ValueError, match=r"out must be a C-contiguous array of shape \(27, 40\), got shape \(28, 40\)"):
        im2col_t(x, 3, 3, 1, 1, out=matrix)
    with pytest.raises(ValueError, match=r"shape \(27, 40\), got a non-contiguous array of that shape"):
        im2col_t(x, 3, 3, 1, 1, out=np.empty((40, 27)).T)


@pytest.mark.parametrize(
    ("shape", "window", "stride", "pad"),
    [((2, 1, 1, 3), (5, 3), 1, 2), ((1, 2, 2, 2), (5, 5), 2, 3)],  # filter offsets that see only padding
)
def test_col2im_drops_what_falls_on_the_padding(shape, window, stride, pad, rng):
    OH, OW = output_size(shape, *window, stride, pad)
    col = rng.standard_normal((shape[0] * OH * OW, shape[1] * window[0] * window[1]))
    np.testing.assert_allclose(
        col2im(col, shape, *window, stride, pad), col2im_loops(col, shape, *window, stride, pad), rtol=0, atol=1e-12
    )


@pytest.mark.parametrize(("shape", "window", "stride", "pad"), GEOMETRIES)
def test_col2im_is_the_adjoint_of_im2col(shape, window, stride, pad, rng):
    # <im2col(x), c> == <x, col2im(c)>: col2im is exactly the backward of im2col.
    x = rng.standard_normal(shape)
    col = im2col(x, *window, stride, pad)
    c = rng.standard_normal(col.shape)
    assert (col * c).sum() == pytest.approx((x * col2im(c, shape, *window, stride, pad)).sum(), rel=1e-12)


def test_a_row_of_im2col_is_one_window_channel_by_channel():
    x = np.arange(2 * 3 * 4, dtype=float).reshape(1, 2, 3, 4)
    col = im2col(x, 2, 2, stride=1, pad=0)
    assert col.shape == (1 * 2 * 3, 2 * 2 * 2)  # (N*OH*OW, C*FH*FW)
    # Row 4 is position (y, x) = (1, 1): channel 0's window, then channel 1's.
    np.testing.assert_array_equal(col[4], [5, 6, 9, 10, 17, 18, 21, 22])
    padded = im2col(x, 3, 3, stride=2, pad=1)
    np.testing.assert_array_equal(padded[0, :9], [0, 0, 0, 0, 0, 1, 0, 4, 5])


def _layer_checks(layer, x, rng):
    """The largest relative error of dx and of each parameter gradient against central differences."""
    pristine = copy.deepcopy(layer)
    out = layer.forward(x)
    dout = rng.standard_normal(out.shape)
    grads = {"x": layer.backward(dout), **layer.grads}
    inputs = {"x": x, **pristine.params}

    def f(_):
        return float((copy.deepcopy(pristine).forward(x) * dout).sum())

    return {key: relative_error(grads[key], numerical_gradient(f, inputs[key], 1e-6)) for key in grads}


@pytest.mark.parametrize(("shape", "window", "stride", "pad"), GEOMETRIES)
def test_convolution_matches_numerical_gradients(shape, window, stride, pad, rng):
    fn = 3
    layer = Convolution(rng.standard_normal((fn, shape[1], *window)), rng.standard_normal(fn), stride, pad)
    errors = _layer_checks(layer, rng.standard_normal(shape), rng)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("cls", [Pooling, AvgPooling])
@pytest.mark.parametrize(("shape", "window", "stride", "pad"), GEOMETRIES)
def test_pooling_matches_numerical_gradients(cls, shape, window, stride, pad, rng):
    pad = min(pad, min(window) // 2)
    errors = _layer_checks(cls(*window, stride=stride, pad=pad), rng.standard_normal(shape), rng)
    assert max(errors.values()) < 1e-7, errors


def test_max_pooling_sends_the_gradient_to_the_first_maximum_only():
    # A window of ties (ReLU's zeros): the book's argmax picks the first, and so does PyTorch.
    x = np.zeros((1, 1, 2, 2))
    layer = Pooling(2, 2, stride=2)
    layer.forward(x)
    np.testing.assert_array_equal(layer.backward(np.ones((1, 1, 1, 1))), [[[[1.0, 0.0], [0.0, 0.0]]]])


@pytest.mark.parametrize("shape", [(3, 4, 8, 8), (2, 3, 7, 9), (5, 2, 9, 9)])
@pytest.mark.parametrize("batch_last", [False, True], ids=["NCHW", "batch-last"])
def test_side_by_side_windows_give_the_general_paths_numbers_bit_for_bit(shape, batch_last, rng, monkeypatch):
    x = rng.integers(-2, 3, shape).astype(np.float32)  # small integers: ties in most windows
    if batch_last:  # a convolution's output is stored (C, H, W, N)
        x = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    window = 3 if shape[2] == 9 and shape[3] == 9 else 2
    dout = None
    results = []
    for tiles in (True, False):
        if not tiles:
            monkeypatch.setattr(Pooling, "_tiles_apart", lambda self, x: False)
        layer = Pooling(window, window, stride=window)
        out = layer.forward(x)
        assert layer.tiled is tiles
        dout = rng.standard_normal(out.shape).astype(np.float32) if dout is None else dout
        results.append((out, layer.backward(dout)))
    (out, dx), (expected_out, expected_dx) = results
    np.testing.assert_array_equal(out, expected_out)
    np.testing.assert_array_equal(dx, expected_dx)
    assert dx.shape == x.shape and dx.dtype == np.float32


def test_flatten_round_trips_the_shape(rng):
    x = rng.standard_normal((3, 2, 4, 5))
    layer = Flatten()
    out = layer.forward(x)
    assert out.shape == (3, 40)
    np.testing.assert_array_equal(out[1], x[1].ravel())
    np.testing.assert_array_equal(layer.backward(out), x)


@pytest.mark.parametrize(
    ("make", "x_shape", "message"),
    [
        (lambda: Convolution(np.ones((4, 3, 3, 3)), np.zeros(4)), (2, 1, 8, 8), r"\(N, 3, H, W\).*\(2, 1, 8, 8\)"),
        (lambda: Convolution(np.ones((4, 1, 5, 5)), np.zeros(4), pad=1), (2, 1, 2, 3), r"5x5 window.*\(2, 1, 2, 3\)"),
        (lambda: Convolution(np.ones((4, 1, 3, 3)), np.zeros(4)), (2, 8, 8), r"\(N, 1, H, W\).*\(2, 8, 8\)"),
        (lambda: Pooling(3, 3, stride=3), (2, 1, 2, 7), r"3x3 window.*\(2, 1, 2, 7\).*2x7"),
        (lambda: AvgPooling(2, 2), (4, 4), r"\(N, C, H, W\).*\(4, 4\)"),
    ],
)
def test_bad_input_is_a_clear_error_naming_the_shapes(make, x_shape, message):
    with pytest.raises(ValueError, match=message):
        make().forward(np.ones(x_shape))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Convolution(np.ones((4, 1, 3, 3)), np.zeros(4), stride=0), "stride must be a positive integer, got 0"),
        (lambda: Convolution(np.ones((4, 1, 3, 3)), np.zeros(4), stride=1.5), "stride must be a positive integer"),
        (lambda: Convolution(np.ones((4, 1, 3, 3)), np.zeros(4), pad=-1), "pad must be a non-negative integer, got -1"),
        (lambda: Convolution(np.ones((4, 3, 3)), np.zeros(4)), r"W must be 4-D, got an array of shape \(4, 3, 3\)"),
        (lambda: Convolution(np.ones((4, 1, 3, 3)), np.zeros(3)), r"b must have shape \(4,\)"),
        (lambda: Pooling(2, 2, pad=2), "pad must be at most half the 2x2 window"),
        (lambda: AvgPooling(3, 4, pad=2), "pad must be at most half the 3x4 window, got pad=2"),
        (lambda: im2col(np.ones((2, 3, 4)), 2, 2), r"input_data must be 4-D.*\(2, 3, 4\)"),
        (lambda: col2im(np.ones((8, 5)), (2, 1, 3, 3), 2, 2), r"col must have shape \(8, 4\).*\(8, 5\)"),
    ],
)
def test_bad_arguments_are_clear_errors(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def _small_cnn(rng, dtype=np.float64):
    return Sequential(
        Convolution(rng.standard_normal((4, 2, 3, 3)).astype(dtype) * 0.3, np.zeros(4, dtype), stride=1, pad=1),
        Relu(),
        Pooling(2, 2, stride=2),
        Convolution(rng.standard_normal((3, 4, 2, 2)).astype(dtype) * 0.3, np.zeros(3, dtype), stride=2),
        AvgPooling(2, 1, stride=1),
        Flatten(),
    )


def test_sequential_with_conv_layers_saves_and_loads(tmp_path, rng):
    model = _small_cnn(rng)
    x = rng.standard_normal((5, 2, 9, 8))
    path = model.save(tmp_path / "cnn.npz")
    loaded = Sequential.from_file(path)
    assert repr(loaded) == repr(model)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def _torch_layer_errors(layer, formula, x, rng):
    """Max absolute differences of out, dx and each parameter gradient against torch's ``formula``."""
    torch = pytest.importorskip("torch")
    out = layer.forward(x)
    dout = rng.standard_normal(out.shape)
    grads = {"x": layer.backward(dout), **layer.grads}
    x_t = torch.tensor(x, requires_grad=True)
    params_t = {key: torch.tensor(value, requires_grad=True) for key, value in layer.params.items()}
    out_t = formula(torch.nn.functional, x_t, params_t)
    out_t.backward(torch.tensor(dout))
    expected = {"out": out_t, "x": x_t.grad, **{key: p.grad for key, p in params_t.items()}}
    ours = {"out": out, **grads}
    return {key: float(np.abs(ours[key] - expected[key].detach().numpy()).max()) for key in ours}


@pytest.mark.parametrize(("shape", "window", "stride", "pad"), GEOMETRIES)
def test_conv_and_pooling_match_torch_on_every_geometry(shape, window, stride, pad, rng):
    x = rng.standard_normal(shape)
    conv = Convolution(rng.standard_normal((3, shape[1], *window)), rng.standard_normal(3), stride, pad)
    pool_pad = min(pad, min(window) // 2)
    cases = [
        (conv, lambda F, x, p: F.conv2d(x, p["W"], p["b"], stride=stride, padding=pad)),
        (Pooling(*window, stride, pool_pad), lambda F, x, p: F.max_pool2d(x, window, stride, pool_pad)),
        (AvgPooling(*window, stride, pool_pad), lambda F, x, p: F.avg_pool2d(x, window, stride, pool_pad)),
    ]
    for layer, formula in cases:
        errors = _torch_layer_errors(layer, formula, x, rng)
        assert max(errors.values()) < 1e-10, (type(layer).__name__, errors)


def test_max_pooling_breaks_ties_as_torch_does(rng):
    # ReLU's zeros make ties common: each window's gradient goes to one input, the first maximum.
    x = np.maximum(rng.standard_normal((2, 3, 6, 7)), 0.0)
    x[0, 0] = 0.0
    errors = _torch_layer_errors(Pooling(2, 2, 2), lambda F, x, p: F.max_pool2d(x, 2, 2), x, rng)
    assert max(errors.values()) == 0.0, errors


@pytest.mark.parametrize(
    "layer",
    [Convolution(np.ones((3, 2, 3, 3)), np.zeros(3), pad=1), Pooling(2, 2, 2), AvgPooling(3, 2, 1, 1), Flatten()],
    ids=repr,
)
def test_an_empty_batch_passes_through_forward_and_backward(layer):
    x = np.zeros((0, 2, 6, 5))
    out = layer.forward(x)
    assert out.shape[0] == 0
    assert layer.backward(np.zeros(out.shape)).shape == x.shape
    assert im2col(x, 3, 3, 1, 1).shape == (0, 18)


@pytest.mark.parametrize("layer", [Convolution(np.ones((3, 2, 3, 3)), np.zeros(3), pad=1), Pooling(2, 2, 2)], ids=repr)
def test_evaluation_mode_keeps_no_cache_and_gives_the_same_output(layer, rng):
    x = rng.standard_normal((4, 2, 6, 5))
    out = layer.forward(x)
    np.testing.assert_array_equal(layer.eval().forward(x), out)
    with pytest.raises(RuntimeError, match="needs a forward pass in training mode"):
        layer.backward(np.ones(out.shape))
