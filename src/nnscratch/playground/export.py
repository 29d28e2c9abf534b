"""The page's run as a Python script (public API only) and its weights as ``.npz``.

The script repeats :mod:`nnscratch.playground.model`'s steps in the open, with the same
configuration and seed, so running it reaches the page's loss at the page's epoch.
"""

import base64
import tempfile
from pathlib import Path

from nnscratch.layers import ACTIVATIONS
from nnscratch.optim import OPTIMIZERS
from nnscratch.playground.model import RELU_FAMILY

# Class names for the script, read from the registries the page's choices come from.
LAYER_CLASS = {name: layer.__name__ for name, layer in ACTIVATIONS.items()}
OPTIMIZER_CLASS = {name: optimizer.__name__ for name, optimizer in OPTIMIZERS.items()}

TEMPLATE = '''\
"""nnscratch playground run, exported at epoch {epoch}: {summary}.

Run it with ``python {name}``; it trains the same network on the same points with the
same seed as the page did, and prints the loss the page showed at epoch {epoch}.
"""

import numpy as np

from nnscratch import {imports}
from nnscratch.init import {init}
from nnscratch.optim import {optimizer_class}
from nnscratch.playground.datasets import input_features, make_dataset

CONFIG = {config!r}
EPOCHS = {epoch}
PAGE_TRAIN_LOSS = {loss_train!r}

# The points: the page's data set, split, and the user's own points (all training points).
x_train, t_train, x_test, t_test = make_dataset(
    CONFIG["dataset"], CONFIG["classes"], CONFIG["noise"], CONFIG["split"], CONFIG["points"], CONFIG["seed"]
)
inputs_train = input_features(x_train, CONFIG["features"])
inputs_test = input_features(x_test, CONFIG["features"])

# The network: {init} initialisation drawn from its own generator, then dropout seeds.
rng = np.random.default_rng([CONFIG["seed"], 1])
layers, fan_in = [], len(CONFIG["features"])
for fan_out in CONFIG["hidden"]:
    layers.append(Affine({init}(rng, fan_in, fan_out), np.zeros(fan_out)))
{activation_lines}    fan_in = fan_out
layers.append(Affine({init}(rng, fan_in, CONFIG["classes"]), np.zeros(CONFIG["classes"])))
model = Sequential(*layers, reg=CONFIG["reg"])
print(model)

# Training: each epoch one shuffled pass in mini-batches, the order from a third generator.
{optimizer_line}
order_rng = np.random.default_rng([CONFIG["seed"], 2])
for epoch in range(EPOCHS):
    model.train()
    order = order_rng.permutation(len(t_train))
    for start in range(0, len(t_train), CONFIG["batch"]):
        batch = order[start : start + CONFIG["batch"]]
        grads = model.gradient(inputs_train[batch], t_train[batch])
{update_line}
model.eval()
loss = model.loss(inputs_train, t_train)
print(f"epoch {{EPOCHS}}: train loss {{loss:.6f}} (the page showed {{PAGE_TRAIN_LOSS:.6f}}), "
      f"test loss {{model.loss(inputs_test, t_test):.6f}}, test accuracy {{model.accuracy(inputs_test, t_test):.4f}}")
model.save("{weights}")
'''


def export_script(config, epoch, loss_train, name="playground_run.py", weights="playground_weights.npz"):
    """The text of a script that redoes the page's run up to ``epoch``.

    Parameters
    ----------
    config : dict
        A checked configuration.
    epoch : int
        How many epochs the page had trained.
    loss_train : float
        The train loss the page showed then (the script prints it beside its own).
    name, weights : str
        The script's file name (for its docstring) and where it saves its weights.

    Returns
    -------
    str
    """
    activation = config["activation"]
    activation_lines = ""
    if activation != "linear":
        activation_lines += f"    layers.append({LAYER_CLASS[activation]}())\n"
    if config["dropout"]:
        activation_lines += '    layers.append(Dropout(CONFIG["dropout"], seed=rng.spawn(1)[0]))\n'
    imports = ["Affine", "Sequential"] + ([LAYER_CLASS[activation]] if activation != "linear" else [])
    imports += ["Dropout"] if config["dropout"] else []
    optimizer_class = OPTIMIZER_CLASS[config["optimizer"]]
    if config["lr"]:
        optimizer_line = f'optimizer = {optimizer_class}(lr=CONFIG["lr"])'
        update_line = "        optimizer.update(model.params, grads)"
    else:
        optimizer_line = f"# Learning rate 0: {optimizer_class} would refuse it, and no parameter moves."
        update_line = "        # (no update at learning rate 0)"
    hidden = " x ".join(str(h) for h in config["hidden"]) or "no hidden layer"
    summary = f"{config['dataset']}, {hidden}, {activation}, {config['optimizer']} lr {config['lr']}"
    return TEMPLATE.format(
        epoch=epoch,
        summary=summary,
        name=name,
        imports=", ".join(sorted(imports)),
        init="he" if activation in RELU_FAMILY else "xavier",
        optimizer_class=optimizer_class,
        config=config,
        loss_train=float(loss_train),
        activation_lines=activation_lines,
        optimizer_line=optimizer_line,
        update_line=update_line,
        weights=weights,
    )


def weights_npz(model):
    """The bytes of ``model.save`` (an ``.npz`` that ``Sequential.from_file`` reads back)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "weights.npz"
        model.save(path)
        return path.read_bytes()


def exported_files(session):
    """The ``export`` message: the script's text and the weights, base64-encoded."""
    metrics = session.metrics()
    script = export_script(session.config, session.epoch, metrics["loss_train"])
    data = base64.b64encode(weights_npz(session.model)).decode("ascii")
    return {
        "type": "export",
        "script": script,
        "weights": data,
        "epoch": session.epoch,
        "loss_train": metrics["loss_train"],
    }
