/**
 * The form controls: filled from the server's choices, set from a configuration, and
 * reporting each change as a small patch of the configuration.
 * @module controls
 */

const LEARNING_RATES = [0, 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REGS = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
const DROPOUTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5];

/**
 * Fill a select with options (value = label), keeping its value if still offered.
 * @param {HTMLSelectElement} select
 * @param {(string|number)[]} values
 */
function fill(select, values) {
  select.replaceChildren(...values.map((v) => new Option(String(v), String(v))));
}

/** @param {string} id @returns {HTMLElement} */
const $ = (id) => document.getElementById(id);

export class Controls {
  /**
   * @param {function(Object): void} change called with a patch such as `{lr: 0.1}`
   */
  constructor(change) {
    this.change = change;
    this.filled = false;
    const on = (id, event, patch) => $(id).addEventListener(event, () => change(patch($(id))));
    on("dataset", "change", (e) => ({ dataset: e.value }));
    on("classes", "change", (e) => ({ classes: Number(e.value) }));
    on("noise", "change", (e) => ({ noise: Number(e.value) }));
    on("split", "change", (e) => ({ split: Number(e.value) }));
    on("learning-rate", "change", (e) => ({ lr: Number(e.value) }));
    on("activation", "change", (e) => ({ activation: e.value }));
    on("optimizer", "change", (e) => ({ optimizer: e.value }));
    on("reg", "change", (e) => ({ reg: Number(e.value) }));
    on("batch", "change", (e) => ({ batch: Math.max(1, Math.round(Number(e.value)) || 1) }));
    on("dropout", "change", (e) => ({ dropout: Number(e.value) }));
    $("noise").addEventListener("input", () => ($("noise-value").textContent = $("noise").value));
    $("split").addEventListener("input", () => ($("split-value").textContent = $("split").value));
  }

  /**
   * Offer the server's choices (once).
   * @param {{datasets: string[], activations: string[], optimizers: string[]}} choices
   */
  fillChoices(choices) {
    if (this.filled) return;
    fill($("dataset"), choices.datasets);
    fill($("classes"), [2, 3, 4, 5]);
    fill($("activation"), choices.activations);
    fill($("optimizer"), choices.optimizers);
    fill($("learning-rate"), LEARNING_RATES);
    fill($("reg"), REGS);
    fill($("dropout"), DROPOUTS);
    this.filled = true;
  }

  /**
   * Show a configuration (a value not in a list is added to it, e.g. from a hand-made URL).
   * @param {import("./config.js").Config} config
   */
  show(config) {
    const set = (id, value) => {
      const control = $(id);
      if (control.tagName === "SELECT" && ![...control.options].some((o) => o.value === String(value))) {
        control.append(new Option(String(value), String(value)));
      }
      control.value = String(value);
    };
    set("dataset", config.dataset);
    set("classes", config.classes);
    set("noise", config.noise);
    set("split", config.split);
    set("learning-rate", config.lr);
    set("activation", config.activation);
    set("optimizer", config.optimizer);
    set("reg", config.reg);
    set("batch", config.batch);
    set("dropout", config.dropout);
    $("noise-value").textContent = config.noise;
    $("split-value").textContent = config.split;
    $("seed").textContent = config.seed;
    $("classes-row").hidden = config.dataset !== "spiral";
    const clickClass = $("click-class");
    const kept = Math.min(Number(clickClass.value) || 0, config.classes - 1);
    fill(clickClass, [...Array(config.classes).keys()]);
    clickClass.value = String(kept);
    $("architecture").textContent = [config.features.length, ...config.hidden, config.classes].join(" \u2192 ");
  }
}
