/**
 * The page: wires the socket, the controls, the network view, the output and the panels.
 * The server owns the run; this file keeps only what it needs to draw.
 * @module main
 */

import { addPoint, drawLossChart } from "./chart.js";
import { fromQuery, toQuery } from "./config.js";
import { drawPoints, paintBoundary, planePoint } from "./heatmap.js";
import { Controls } from "./controls.js";
import { NetworkView } from "./network.js";
import { showExport, showGradcheck, showSource, showTrace } from "./panels.js";
import { Link } from "./socket.js";

const MAX_LAYERS = 6;
const MAX_NEURONS = 16;

/** @param {string} id @returns {HTMLElement} */
const $ = (id) => document.getElementById(id);

const state = {
  /** @type {import("./config.js").Config|null} the server's checked configuration */
  config: null,
  /** @type {number} the server's count of runs; a frame of an older run is not drawn */
  run: 0,
  /** @type {string} the architecture the network view was built for */
  built: "",
  /** @type {{train: number[][], test: number[][]}} */
  points: { train: [], test: [] },
  /** @type {Object[]} loss curve points */
  history: [],
  /** @type {Partial<import("./config.js").Config>|null} the URL's configuration, sent once */
  fromUrl: location.search ? fromQuery(location.search) : null,
  choices: null,
};

const scratch = document.createElement("canvas");
const boundary = /** @type {HTMLCanvasElement} */ ($("boundary"));

const link = new Link({ onMessage: receive, onFrame: (frame, bytes) => requestAnimationFrame(() => drawFrame(frame, bytes)), onClose });

/**
 * Ask the server for a new configuration (it answers with `points`).
 * @param {Partial<import("./config.js").Config>} patch
 */
function change(patch) {
  const config = { ...state.config, ...patch };
  const classes = config.dataset === "spiral" ? config.classes : 2;
  config.points = config.points.filter((point) => point[2] < classes); // a point of a class the data no longer has goes
  link.send("config", { config });
}

const controls = new Controls(change);
const network = new NetworkView($("columns"), /** @type {any} */ ($("links")), {
  addNeuron: (layer) => resize(layer, +1),
  removeNeuron: (layer) => resize(layer, -1),
  showSource: (column) => link.send("source", { column }),
  toggleFeature,
});

/** @param {number} layer @param {number} delta */
function resize(layer, delta) {
  const hidden = [...state.config.hidden];
  hidden[layer] = Math.min(Math.max(hidden[layer] + delta, 1), MAX_NEURONS);
  change({ hidden });
}

/** @param {string} name */
function toggleFeature(name) {
  const on = state.config.features.includes(name);
  if (on && state.config.features.length === 1) return; // the network needs an input
  change({ features: on ? state.config.features.filter((f) => f !== name) : [...state.config.features, name] });
}

/** @param {Object} message any JSON message but a frame */
function receive(message) {
  if (message.type === "points") return receivePoints(message);
  if (message.type === "trace") return showTrace($("trace"), message);
  if (message.type === "gradcheck") return showGradcheck($("gradcheck-result"), message);
  if (message.type === "source") return showSource($("code"), message);
  if (message.type === "export") return showExport($("export-links"), message);
  if (message.type === "error") {
    $("error").textContent = `${message.command}: ${message.message}`;
    $("error").hidden = false;
  }
}

/** A new run: its configuration, its points; the URL follows. */
function receivePoints(message) {
  if (state.fromUrl) {
    const wanted = { ...message.config, ...state.fromUrl };
    state.fromUrl = null;
    link.send("config", { config: wanted });
  }
  state.config = message.config;
  state.run = message.run;
  state.points = { train: message.train, test: message.test };
  state.history = [];
  $("error").hidden = true;
  controls.fillChoices(message.choices);
  controls.show(state.config);
  const architecture = JSON.stringify([state.config.features, state.config.hidden, state.config.classes]);
  if (architecture !== state.built) {
    network.build(state.config, message.choices.features);
    state.built = architecture;
  }
  history.replaceState(null, "", toQuery(state.config));
}

/**
 * Draw one frame, then tell the server the page is ready for the next.
 * @param {Object} frame
 * @param {Uint8Array} bytes
 */
function drawFrame(frame, bytes) {
  if (frame.run !== state.run) return link.ready(); // drawn for a network the page no longer shows
  const show = (value, digits) => (value === null ? "NaN" : value.toFixed(digits)); // null: NaN or infinity
  $("epoch").textContent = String(frame.epoch);
  $("loss-train").textContent = show(frame.loss_train, 4);
  $("loss-test").textContent = show(frame.loss_test, 4);
  $("accuracy-train").textContent = show(frame.accuracy_train, 3);
  $("accuracy-test").textContent = show(frame.accuracy_test, 3);
  $("error").hidden = !frame.diverged;
  if (frame.diverged) {
    $("error").textContent = `The loss diverged at epoch ${frame.epoch} (NaN or infinity): training paused. Lower the learning rate and reset.`;
  }
  const context = boundary.getContext("2d");
  scratch.width = scratch.height = frame.grid;
  context.imageSmoothingEnabled = true;
  context.drawImage(paintBoundary(scratch, bytes, frame.grid), 0, 0, boundary.width, boundary.height);
  drawPoints(context, state.points.train, false);
  if ($("show-test").checked) drawPoints(context, state.points.test, true);
  network.draw(frame, bytes);
  addPoint(state.history, { epoch: frame.epoch, train: frame.loss_train, test: frame.loss_test });
  drawLossChart(/** @type {HTMLCanvasElement} */ ($("loss-chart")), state.history);
  link.ready();
}

function onClose() {
  $("error").textContent = "The connection to the server is closed: restart `nnscratch playground` and reload.";
  $("error").hidden = false;
}

/** Clicking the output: in step mode, trace the nearest point; else add a point of the chosen class. */
boundary.addEventListener("click", (event) => {
  const [x1, x2] = planePoint(event, boundary);
  if ($("step-mode").checked) {
    const all = [...state.points.train, ...state.points.test];
    const distance = (p) => (p[0] - x1) ** 2 + (p[1] - x2) ** 2;
    const nearest = all.reduce((best, p) => (distance(p) < distance(best) ? p : best), all[0]);
    link.send("trace", { point: [nearest[0], nearest[1]], label: nearest[2] });
    return;
  }
  const chosen = Number(/** @type {HTMLSelectElement} */ ($("click-class")).value);
  const label = event.shiftKey ? (chosen + 1) % state.config.classes : chosen;
  change({ points: [...state.config.points, [x1, x2, label]] });
});

for (const command of ["play", "pause", "step", "gradcheck", "export"]) {
  $(command).addEventListener("click", () => link.send(command));
}
$("reset").addEventListener("click", () => link.send("reset"));
$("regenerate").addEventListener("click", () => change({ seed: state.config.seed + 1 }));
$("clear-points").addEventListener("click", () => change({ points: [] }));
$("add-layer").addEventListener("click", () => {
  if (state.config.hidden.length < MAX_LAYERS) change({ hidden: [...state.config.hidden, 2] });
});
$("remove-layer").addEventListener("click", () => change({ hidden: state.config.hidden.slice(0, -1) }));
