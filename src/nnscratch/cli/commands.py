"""Every command of ``nnscratch``, in the order ``nnscratch --help`` lists them.

The one place a command is registered: a new command is its module (a
function ``run(args) -> int`` and, if it has options, a function that adds
them to its parser) and one ``Command`` line in :data:`COMMANDS`. A training command
is named in :data:`TRAINING` too: it then owns its output folder while it runs (a lock, no
mixing with an earlier run, ``--overwrite``; see ``nnscratch.cli.run_folder``).
"""

from nnscratch.cli import check as check_command
from nnscratch.cli import experiments, lectures
from nnscratch.cli import lecture_notebooks as notebooks_command
from nnscratch.cli import playground as playground_command
from nnscratch.cli import spiral as spiral_command
from nnscratch.cli import sweep as sweep_command
from nnscratch.cli.common import Command
from nnscratch.cli.run_folder import owning

TRAINING = ("spiral", "mnist", "fashion", "iris", "cifar10", "digits", "xor")

_COMMANDS = (
    Command("numdiff", lectures.numdiff, "numerical derivative: h = 1e-4 central vs h = 1e-50 forward"),
    Command(
        "descent",
        lectures.descent,
        "gradient descent on x0^2 + x1^2, with lr 10 and 1e-10 too",
        lectures.descent_options,
    ),
    Command("graph", lectures.graph, "backprop by hand on four computational graphs", lectures.graph_options),
    Command("gates", lectures.gates, "perceptron truth tables: AND, NAND, OR and XOR = AND(NAND, OR)"),
    Command("forward", lectures.forward_pass, "Iris single-layer forward pass and the softmax example"),
    Command(
        "gradcheck",
        lectures.gradcheck,
        "numerical vs backprop gradients of a TwoLayerNet",
        lectures.gradcheck_options,
    ),
    Command(
        "spiral",
        spiral_command.spiral,
        "softmax classifier and two-layer ReLU net on the spiral data",
        spiral_command.spiral_options,
    ),
    Command(
        "mnist",
        experiments.mnist,
        "seed 001: TwoLayerNet 784-50-10 sigmoid on MNIST, epoch table and plots",
        experiments.mnist_options,
    ),
    Command(
        "fashion",
        experiments.fashion,
        "Fashion-MNIST (real data): the best 5-minute model, or --config seed001",
        experiments.fashion_options,
    ),
    Command(
        "iris",
        experiments.iris,
        "seed 002: 4x3 softmax layer on Iris, 5000 epochs, weights every 1000",
        experiments.iris_options,
    ),
    Command(
        "cifar10",
        experiments.cifar10_command,
        "seed 000: two-layer net on CIFAR-10 (binary version)",
        experiments.cifar10_options,
    ),
    Command(
        "digits",
        experiments.digits,
        "scikit-learn's 8x8 digits with an MLP (needs scikit-learn)",
        experiments.digits_options,
    ),
    Command("xor", experiments.xor, "a two-layer net learns XOR; decision boundary plot", experiments.xor_options),
    Command(
        "sweep",
        sweep_command.sweep,
        "hyperparameter sweep (Optuna) producing seed 000's table",
        sweep_command.sweep_options,
    ),
    Command("check", check_command.run_check, check_command.HELP, check_command.check_options, False),
    Command("lectures", notebooks_command.lectures, notebooks_command.HELP, notebooks_command.lectures_options, False),
    Command(
        "playground",
        playground_command.playground,
        playground_command.HELP,
        playground_command.playground_options,
        False,
    ),
)

COMMANDS = tuple(owning(command) if command.name in TRAINING else command for command in _COMMANDS)
