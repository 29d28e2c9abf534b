/**
 * The panels under the page: the step-mode walk, the gradient check, a layer's source
 * code and the export links. Each takes a server reply and renders it.
 * @module panels
 */

import { element } from "./network.js";

const STAGES = ["forward", "loss", "backward", "update"];

/**
 * Format an array's first values.
 * @param {number[]} values
 * @returns {string}
 */
function numbers(values) {
  return "[" + values.map((v) => (v === null ? "NaN" : v.toFixed(4))).join(", ") + (values.length >= 16 ? ", ..." : "") + "]";
}

/**
 * One stage of a trace as lines of text.
 * @param {Object} trace the server's `trace` message
 * @param {string} stage one of STAGES
 * @returns {string}
 */
export function stageText(trace, stage) {
  if (stage === "forward") {
    const lines = [`x ${JSON.stringify(trace.input.shape)} = ${numbers(trace.input.values)}`];
    for (const f of trace.forward) {
      lines.push(`${f.index}: ${f.layer}  ${JSON.stringify(f.in)} -> ${JSON.stringify(f.out)}  out = ${numbers(f.values)}`);
    }
    return lines.join("\n");
  }
  if (stage === "loss") {
    return `softmax = ${numbers(trace.loss.probabilities)}\nclass t = ${trace.label}\nloss = -log softmax[t] (+ L2) = ${trace.loss.value === null ? "NaN" : trace.loss.value.toFixed(6)}`;
  }
  if (stage === "backward") {
    const lines = ["dout = (softmax - one_hot(t)) / N, then each layer's backward, last layer first:"];
    for (const b of trace.backward) {
      const grads = Object.entries(b.grads).map(([name, g]) => `d${name} ${JSON.stringify(g.shape)} = ${numbers(g.values)}`);
      lines.push(`${b.index}: ${b.layer}` + (grads.length ? "\n    " + grads.join("\n    ") : ""));
    }
    return lines.join("\n");
  }
  const lines = ["the optimizer's step, param_after - param_before (on a copy: the run is unchanged):"];
  for (const u of trace.update) lines.push(`${u.param} ${JSON.stringify(u.shape)}: ${numbers(u.change)}`);
  return lines.join("\n");
}

/**
 * Show a trace with buttons walking forward -> loss -> backward -> update.
 * @param {HTMLElement} panel
 * @param {Object} trace
 */
export function showTrace(panel, trace) {
  let stage = 0;
  const text = element("pre", { "data-testid": "trace-text" });
  const title = element("h3");
  const next = element("button", { "data-testid": "trace-next" }, ["next \u2192"]);
  const back = element("button", { "data-testid": "trace-back" }, ["\u2190 back"]);
  const render = () => {
    title.textContent = `Step mode at (${trace.point.map((v) => v.toFixed(2)).join(", ")}), class ${trace.label}: ${STAGES
      .map((s, i) => (i === stage ? s.toUpperCase() : s))
      .join(" \u2192 ")}`;
    text.textContent = stageText(trace, STAGES[stage]);
    back.disabled = stage === 0;
    next.disabled = stage === STAGES.length - 1;
  };
  next.addEventListener("click", () => { stage += 1; render(); });
  back.addEventListener("click", () => { stage -= 1; render(); });
  panel.replaceChildren(title, back, next, text);
  panel.hidden = false;
  render();
}

/**
 * Show a gradient check: a verdict line and one row per parameter.
 * @param {HTMLElement} panel
 * @param {{ok: boolean, worst: number, params: {name: string, rel_error: number, verdict: string}[]}} report
 */
export function showGradcheck(panel, report) {
  const verdict = report.ok ? "pass" : "fail";
  const rows = report.params.map((p) =>
    element("tr", {}, [element("td", {}, [p.name]), element("td", {}, [p.rel_error === null ? "NaN" : p.rel_error.toExponential(2)]), element("td", { class: p.verdict }, [p.verdict])]),
  );
  const header = element("tr", {}, ["parameter", "relative error", "verdict"].map((h) => element("th", {}, [h])));
  panel.replaceChildren(
    element("h3", { class: report.ok ? "good" : "wrong" }, [`Gradient check: ${verdict} (worst relative error ${report.worst === null ? "NaN" : report.worst.toExponential(2)})`]),
    element("p", { class: "hint" }, ["nnscratch.gradcheck: backprop against central differences, float64, first training points."]),
    element("table", {}, [header, ...rows]),
  );
  panel.hidden = false;
}

/**
 * Show the code of one column's layers beside their live shapes.
 * @param {HTMLElement} panel
 * @param {{column: number, layers: {layer: string, class: string, shapes: Object, forward: string, backward: string}[]}} source
 */
export function showSource(panel, source) {
  const parts = [element("h3", {}, [`Column ${source.column + 1}: the code that runs (from the installed package)`])];
  for (const layer of source.layers) {
    const shapes = Object.entries(layer.shapes).map(([name, shape]) => `${name} ${JSON.stringify(shape)}`);
    const heading = [layer.layer, layer.class, ...shapes].join("  \u2014  ");
    parts.push(element("h4", {}, [heading]), element("pre", {}, [layer.forward]), element("pre", {}, [layer.backward]));
  }
  panel.replaceChildren(...parts);
  panel.hidden = false;
}

/**
 * Offer the exported script and weights as two download links.
 * @param {HTMLElement} place
 * @param {{script: string, weights: string, epoch: number}} exported weights base64-encoded
 */
export function showExport(place, exported) {
  const bytes = Uint8Array.from(atob(exported.weights), (c) => c.charCodeAt(0));
  const script = element("a", { "data-testid": "export-script", download: "playground_run.py" }, ["script"]);
  script.href = URL.createObjectURL(new Blob([exported.script], { type: "text/x-python" }));
  const weights = element("a", { "data-testid": "export-weights", download: "playground_weights.npz" }, ["weights"]);
  weights.href = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
  place.replaceChildren(`epoch ${exported.epoch}: `, script, " ", weights);
}
