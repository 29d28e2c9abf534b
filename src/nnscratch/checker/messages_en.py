"""English messages. A pass is one sentence; anything else is three:
what we saw, why it matters, where to look. None of them gives the fix as code."""

# ruff: noqa: E501 - prose reads better unbroken than split mid-sentence

PASSES = {
    "close": "{what} matches the reference (relative error {error}).",
    "close-numeric": "{what} matches the central difference (relative error {error}).",
    "shapes-ok": "The shapes of {what} are right.",
    "inputs-kept": "The arguments are left exactly as they were.",
    "dout-kept": "dout is left exactly as it was.",
    "twice-same": "A second backward gives the same gradients.",
    "batch-of-one-ok": "A batch of one sample works.",
    "overflow-harmless": "{what} is finite and right for scores of +-1000 (exp overflowed on the way, harmlessly: 1 / (1 + inf) = 0).",
    "is-scalar": "{what} returns one number.",
    "finite": "{what} stays finite when a probability is exactly 0.",
    "x-kept": "x is exactly as it was after the call.",
    "in-place-ok": "The parameter arrays are updated in place.",
    "loss-fell": "On a quadratic the loss fell from {start} to {end} in 30 steps.",
    "dropout-mask-ok": "In training {received} of the units are dropped and the rest share one scale.",
}

PROBLEMS = {
    "not-numbers": (
        "{what} is a {received}, not an array of numbers.",
        "The next step of the network does arithmetic on it.",
        "The return statement.",
    ),
    "wrong-shape": (
        "{what} has shape {received}; expected {expected}.",
        "A gradient has the shape of what it is the gradient of; any other shape breaks the update or broadcasts silently.",
        "The line that computes {what}: write the shape of each operand beside it.",
    ),
    "mismatch": (
        "{what} differs from the expected value (relative error {error}): at index {index} we expected {expected} and received {received}.",
        "An error above 1e-4 is a mistake in the formula, not rounding.",
        "The formula for {what}; compare it term by term with the one in the lecture.",
    ),
    "slightly-off": (
        "{what} is close but not exact (relative error {error}; a pass needs 1e-7 or less).",
        "float64 arithmetic agrees to about 1e-15, so an error this size usually comes from a constant (an eps, a step h) or from float32.",
        "Small constants and dtypes in the formula for {what}.",
    ),
    "missing-gradient": (
        "After backward the layer has no {what}.",
        "The optimizer reads each parameter's gradient from the layer.",
        "The end of backward: where is the gradient of each parameter stored, and under which name?",
    ),
    "dout-modified": (
        "backward wrote into the dout it received.",
        "dout belongs to the caller. The book's Relu does `dout[self.mask] = 0`, which changes the next layer's array; "
        "it works only because nobody reads that dout again. When someone does (two branches sharing a gradient, a "
        "gradient check reusing it), the numbers are silently wrong.",
        "The first lines of backward: which array is written into?",
    ),
    "backward-differs": (
        "A second backward with the same dout gave a different {what}.",
        "backward should depend only on what forward cached and on dout; otherwise a gradient depends on how often it was asked for.",
        "Attributes that backward changes.",
    ),
    "not-finite": (
        "{what} contains inf or NaN.",
        "One NaN spreads to every weight at the next update.",
        "exp and log: where can they overflow, or see a 0?",
    ),
    "not-scalar": (
        "{what} returned shape {received}, not one number.",
        "A loss is one number: training and numerical gradients assume it.",
        "The end of the function: the sum or mean over the batch.",
    ),
    "dout-ignored": (
        "backward(2.5) gave the same dx as backward(1).",
        "The chain rule multiplies by the upstream gradient. At the end of a network dout = 1 hides this; a weighted or summed loss does not.",
        "The return line of backward.",
    ),
    "loss-not-falling": (
        "On a convex quadratic the loss went from {start} to {end} in 30 steps.",
        "With these learning rates the right update always goes downhill there.",
        "The sign of the step and how the state is updated.",
    ),
    "dropout-not-mask": (
        "In training the output is not the input times a mask of zeros and one constant.",
        "Dropout only switches units off (and perhaps rescales the rest); anything else changes what the network computes.",
        "How the mask is built and applied in forward.",
    ),
    "dropout-fraction": (
        "{received} of the units were dropped; about {expected} should be.",
        "The ratio says how many units to switch off; a wrong fraction trains a different network.",
        "The comparison that builds the mask.",
    ),
    "integer-truncated": (
        "With an int array x the gradient is wrong (at index {index} we expected {expected} and received {received}); "
        "the same numbers as floats give the right one.",
        "An int array cannot hold x + h: writing 3 + 1e-4 into it stores 3, so f sees no change, or a change of a whole unit.",
        "The dtype of x before the first assignment into x[idx].",
    ),
    "exception": (
        "The code raised {text}.",
        "A check cannot judge code that stops.",
        "The line named in the error.",
    ),
    "timeout": (
        "The check did not finish within {seconds} s.",
        "An endless loop stops training as surely as an error, only more quietly.",
        "Loops in the methods this check calls: does each one end?",
    ),
    "crashed": (
        "The process running your code ended (exit code {code}).",
        "sys.exit, os._exit or a crash in compiled code stops everything after it.",
        "Calls that end the program in the methods this check calls.",
    ),
}

MISTAKES = {
    "affine-dx-not-transposed": (
        "dx is dout multiplied by W itself; with D != M the shapes do not even fit.",
        "dx must have x's shape (N, D); from dout (N, M) only W's transpose leads there.",
        "The dx line in backward: write the shape of each factor under it.",
    ),
    "affine-dw-wrong-orientation": (
        "dW has the shape of W's transpose: its factors are in the wrong order or orientation.",
        "W -= lr * dW needs dW shaped like W, (D, M).",
        "The dW line in backward: which factor gives D rows, which gives M columns?",
    ),
    "bias-grad-not-summed": (
        "db keeps the batch axis: it is dout itself, shape (N, M).",
        "b is added to every sample, so its gradient collects the contribution of every sample.",
        "The db line in backward: over which axis do the samples lie?",
    ),
    "bias-grad-averaged": (
        "db is the batch mean of dout, N times too small.",
        "The loss already divides by N; dividing again shrinks the bias updates.",
        "The db line in backward: sum or mean?",
    ),
    "affine-input-not-flattened": (
        "Given input of shape (N, 2, 3), the layer fails or returns dx in the flattened shape.",
        "Images arrive as (N, C, H, W); the layer must flatten them for the product and give dx back in the input's shape.",
        "The first line of forward (remember the input's shape) and the last line of backward.",
    ),
    "mutates-input": (
        "{method} changed the array it was given.",
        "The caller still uses that array: the data set, or the previous layer's output that backward needs.",
        "Assignments into the argument (x[...] = ..., x -= ..., x *= ...) in {method}.",
    ),
    "backward-accumulates": (
        "A second backward doubled {what}.",
        "Each backward must give the gradient of this batch; adding to the last one makes every update grow with the number of calls.",
        "+= on the gradient attributes in backward.",
    ),
    "sigmoid-backward-uses-input": (
        "dx equals dout * x * (1 - x): the input x is used where the output belongs.",
        "The derivative of the sigmoid is written in its output y = sigmoid(x), not in x.",
        "What forward caches, and what backward reads from it.",
    ),
    "relu-backward-wrong-mask": (
        "dx lets the gradient through at the wrong places.",
        "ReLU passes dout where the input was positive and blocks it elsewhere; any other mask trains the wrong units.",
        "The mask built in forward and how backward applies it.",
    ),
    "softmax-no-max-shift": (
        "For scores of about 1000 the output is NaN: exp overflowed to inf.",
        "Real scores grow large in training; inf / inf gives NaN and training stops.",
        "The line before exp: softmax(x) does not change when a constant is subtracted from each row.",
    ),
    "softmax-wrong-axis": (
        "The probabilities are normalised over the wrong axis (each row should sum to 1).",
        "Each sample gets its own distribution over the classes; mixing samples changes every probability.",
        "The axis of the sum (and of the max) in softmax.",
    ),
    "cross-entropy-not-averaged": (
        "The loss grows with the batch size: it is the sum over the batch, not the mean.",
        "With a sum, the learning rate would have to change with the batch size.",
        "The last step of the function: divide by what?",
    ),
    "cross-entropy-log-zero": (
        "A probability of exactly 0 makes the loss inf or NaN.",
        "log(0) = -inf; one such sample makes the loss and every gradient useless.",
        "The argument of log.",
    ),
    "softmaxwithloss-not-divided-by-n": (
        "dx is y - t, N times too large.",
        "The loss is a mean over N samples, so each sample's gradient carries 1/N.",
        "The return line of backward.",
    ),
    "softmaxwithloss-divided-twice": (
        "dx is (y - t) / N**2: divided by N once too often.",
        "The mean over the batch contributes 1/N once.",
        "Every division by the batch size in backward (and what was divided already).",
    ),
    "numgrad-forward-difference": (
        "The derivative is the forward difference (f(x + h) - f(x)) / h; its error grows with x.",
        "A forward difference is off by about h * f''(x) / 2; the central one only by about h**2 * f'''(x) / 6.",
        "The two points where f is evaluated: on both sides of x?",
    ),
    "numgrad-x-not-restored": (
        "After the call x is not what it was.",
        "x is often a network's own weight array: leaving it moved changes the network.",
        "What happens to x[idx] after the two evaluations.",
    ),
    "optimizer-not-in-place": (
        "After update the caller's arrays are unchanged: new arrays were put into the dict.",
        "The layers hold the original arrays; a new array in the dict never reaches the network.",
        "The assignment to params[key] in update.",
    ),
    "momentum-wrong-sign": (
        "The parameters move uphill: the velocity collects +lr * grad and is added to the parameters.",
        "The gradient points uphill; momentum must move against it.",
        "The signs in the velocity update and in the parameter update.",
    ),
    "adam-no-bias-correction": (
        "The steps equal Adam's without bias correction: the first steps are too large.",
        "m and v start at 0, so early on they are biased towards 0; dividing by 1 - beta**t undoes that.",
        "Where the step counter t enters the update.",
    ),
}

LABELS = ("Saw", "Why it matters", "Where to look")

# What a check compares is already written in English.
WORDS = {}
