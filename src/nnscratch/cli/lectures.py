"""Commands for the worked examples: numdiff, descent, graph, gates, forward, gradcheck."""

import numpy as np

from nnscratch import perceptron
from nnscratch.cli.common import (
    finite_float,
    format_table,
    positive_float,
    positive_int,
    run_record,
    save_plot,
    write_metrics,
)
from nnscratch.functional import softmax
from nnscratch.gradcheck import gradcheck as check_gradients
from nnscratch.layers import ACTIVATIONS
from nnscratch.lectures import backprop, calculus, forward
from nnscratch.models import TwoLayerNet
from nnscratch.viz import plot_descent_paths, plot_probabilities, plot_tangent


def numdiff(args):
    """Central difference with h = 1e-4 against the naive h = 1e-50."""
    story = calculus.numdiff_story()
    rows = [(x, story["central"][x], story["naive"][x], story["exact"][x]) for x in story["central"]]
    print("f(x) = 0.01x^2 + 0.1x")
    print(
        format_table(
            ["x", "central h=1e-4", "forward h=1e-50", "exact 0.02x+0.1"],
            [(x, repr(c), repr(n), repr(e)) for x, c, n, e in rows],
        )
    )
    print(
        f"\nwhy 0.0: in float64, 5 + 1e-50 == 5 is {story['rounding']} (and float32(1e-50) = "
        f"{story['float32_of_1e-50']}), so f(x + h) - f(x) = 0."
    )
    x0, x1 = story["partials"]
    print(f"partial derivatives of x0^2 + x1^2 at (3, 4): {x0!r}, {x1!r}")
    runs = {f"x={x:g}": run_record({"x": x, "h": 1e-4}, central=c, naive=n, exact=e) for x, c, n, e in rows}
    runs["partials"] = run_record({"point": [3.0, 4.0]}, gradient=story["partials"])
    write_metrics(args.output_dir, "numdiff", runs)
    save_plot(plot_tangent, calculus.function_1, story["central"], args.output_dir / "tangent.png")
    return 0


def descent(args):
    """Gradient descent on x0^2 + x1^2 from (-3, 4): lr 0.1, and lr 10 and 1e-10 for contrast."""
    results = calculus.descent_runs(step_num=args.steps, learning_rates=(args.learning_rate, 10.0, 1e-10))
    x_end, path = results[args.learning_rate]
    print(f"path with lr = {args.learning_rate:g}:")
    print(
        format_table(
            ["step", "x0", "x1"],
            [(i, float(p[0]), float(p[1])) for i, p in enumerate(path)]
            + [(len(path), float(x_end[0]), float(x_end[1]))],
        )
    )
    print("\nend points:")
    print(
        format_table(
            ["lr", "x0", "x1", "f(x)"],
            [(f"{lr:g}", float(x[0]), float(x[1]), calculus.function_2(x)) for lr, (x, _) in results.items()],
        )
    )
    print("lr = 10 overshoots and diverges; lr = 1e-10 barely moves from the start.")
    runs, paths = {}, {}
    for lr, (x, before_each_step) in results.items():
        points = np.vstack([before_each_step, x[None]])
        paths[f"lr={lr:g}"] = points
        config = {"learning_rate": lr, "steps": args.steps, "init": [-3.0, 4.0]}
        history = [{"step": i, "x": p.tolist()} for i, p in enumerate(points)]
        runs[f"lr={lr:g}"] = run_record(config, history, loss=calculus.function_2(x), x=x.tolist())
    write_metrics(args.output_dir, "descent", runs)
    save_plot(plot_descent_paths, paths, calculus.function_2, args.output_dir / "descent_path.png")
    return 0


def graph(args):
    """The four backprop-by-hand examples, with their gradients."""
    price, shop = backprop.shopping()
    f_add, g_add = backprop.add_then_multiply()
    f_sig, g_sig = backprop.sigmoid_neuron()
    f_norm, g_norm = backprop.squared_norm_of_product()
    z, dz = backprop.chain_rule(args.x)
    examples = {
        "shopping": (round(price, 10), {k: round(v, 10) for k, v in shop.items()}),
        "add_multiply": (f_add, g_add),
        "sigmoid_neuron": (f_sig, {k: v.round(4).tolist() for k, v in g_sig.items()}),
        "squared_norm": (round(f_norm, 10), {k: v.round(10).tolist() for k, v in g_norm.items()}),
        "chain_rule": (z, {"x": dz}),
    }
    descriptions = {
        "shopping": "apples 100 x 2, oranges 150 x 3, tax 1.1",
        "add_multiply": "f = (x + y) z at x=-2, y=5, z=-4",
        "sigmoid_neuron": "f = sigmoid(w0 x0 + w1 x1 + w2), w=(2,-3,-3), x=(-1,-2)",
        "squared_norm": "f = ||W x||^2, W=[[0.1,0.5],[-0.3,0.8]], x=(0.2,0.4)",
        "chain_rule": f"z = 4y^2, y = 5x + 3 at x={args.x:g}; dz/dx = 40(5x + 3)",
    }
    runs = {}
    for name, (value, grads) in examples.items():
        print(f"{name}: {descriptions[name]}\n  f = {value:.4f}")
        for key, grad in grads.items():
            print(f"  d/d{key} = {grad}")
        runs[name] = run_record({"example": descriptions[name]}, value=value, gradients=grads)
    write_metrics(args.output_dir, "graph", runs)
    return 0


def gates(args):
    """Truth tables of AND, NAND, OR and the two-layer XOR."""
    gates_ = {"AND": perceptron.AND, "NAND": perceptron.NAND, "OR": perceptron.OR, "XOR": perceptron.XOR}
    tables = {name: perceptron.truth_table(gate) for name, gate in gates_.items()}
    rows = [(x1, x2, *(tables[name][i][2] for name in gates_)) for i, (x1, x2) in enumerate(perceptron.INPUTS)]
    print(format_table(["x1", "x2", *gates_], rows))
    print("\nweights: " + ", ".join(f"{k} w={w} b={b}" for k, (w, b) in perceptron.GATE_WEIGHTS.items()))
    print("XOR is not linearly separable: XOR(x1, x2) = AND(NAND(x1, x2), OR(x1, x2)).")
    runs = {
        name: run_record(
            {"weights": perceptron.GATE_WEIGHTS.get(name, "AND(NAND, OR)")},
            truth_table=[list(row) for row in tables[name]],
        )
        for name in gates_
    }
    write_metrics(args.output_dir, "gates", runs)
    return 0


def forward_pass(args):
    """The Iris single-layer forward pass (and b2 + 1), and softmax of (3.2, 5.1, -1.7)."""
    before, after = forward.iris_forward(), forward.iris_forward(b2_shift=1.0)
    print("Iris row x = (6.3, 2.7, 4.9, 1.8), true class virginica")
    rows = [
        (
            label,
            *(round(float(v), 4) for v in r["scores"]),
            *(round(float(p), 4) for p in r["probabilities"]),
            round(r["loss"], 4),
        )
        for label, r in (("as given", before), ("b2 + 1", after))
    ]
    print(format_table(["bias", "H1", "H2", "H3", "P1", "P2", "P3", "loss (ln)"], rows))
    probs = softmax(forward.SOFTMAX_SCORES)
    print(f"\nsoftmax{tuple(forward.SOFTMAX_SCORES.tolist())} = {tuple(round(float(p), 2) for p in probs)}")
    runs = {
        name: run_record(
            {"b2_shift": shift}, loss=r["loss"], scores=r["scores"].tolist(), probabilities=r["probabilities"].tolist()
        )
        for name, shift, r in (("iris", 0.0, before), ("iris_b2_plus_1", 1.0, after))
    }
    runs["softmax"] = run_record({"scores": forward.SOFTMAX_SCORES.tolist()}, probabilities=probs.tolist())
    write_metrics(args.output_dir, "forward", runs)
    panels = {
        "Iris, b as given": before["probabilities"],
        "Iris, b2 + 1": after["probabilities"],
        "softmax(3.2, 5.1, -1.7)": probs,
    }
    save_plot(plot_probabilities, panels, ["setosa", "versicolor", "virginica"], args.output_dir / "probabilities.png")
    return 0


def gradcheck(args):
    """Numerical against backprop gradients on a TwoLayerNet, in float64."""
    rng = np.random.default_rng(args.seed)
    net = TwoLayerNet(
        args.input_size,
        args.hidden_size,
        args.classes,
        activation=args.activation,
        seed=rng,
        weight_init_std=args.weight_init_std,
    )
    x = rng.standard_normal((args.samples, args.input_size))
    t = rng.integers(0, args.classes, args.samples)
    report = check_gradients(net, x, t)
    print(f"{net} on {args.samples} random samples\n")
    print(report)
    print(f"\nworst relative error {report.worst:.2e}: < 1e-7 good, > 1e-2 wrong")
    config = {
        "input_size": args.input_size,
        "hidden_size": args.hidden_size,
        "classes": args.classes,
        "activation": args.activation,
        "samples": args.samples,
        "seed": args.seed,
    }
    runs = {
        "two_layer_net": run_record(
            config, worst_rel_error=report.worst, params={name: vars(check) for name, check in report.items()}
        )
    }
    write_metrics(args.output_dir, "gradcheck", runs)
    return 0 if report.ok else 1


def descent_options(sub):
    sub.add_argument("--learning-rate", type=positive_float, default=0.1, help="(default: 0.1)")
    sub.add_argument("--steps", type=positive_int, default=20, help="(default: 20)")


def graph_options(sub):
    sub.add_argument("--x", type=finite_float, default=1.0, help="x for the chain-rule example (default: 1)")


def gradcheck_options(sub):
    sub.add_argument("--input-size", type=positive_int, default=4, help="(default: 4)")
    sub.add_argument("--hidden-size", type=positive_int, default=10, help="(default: 10)")
    sub.add_argument("--classes", type=positive_int, default=3, help="(default: 3)")
    sub.add_argument("--samples", type=positive_int, default=3, help="(default: 3)")
    sub.add_argument("--activation", choices=list(ACTIVATIONS), default="relu", help="(default: relu)")
    sub.add_argument("--weight-init-std", type=positive_float, default=0.01, help="(default: 0.01)")
