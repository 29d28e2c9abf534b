/**
 * The network drawn as columns: input features, hidden layers, outputs. Each neuron is a
 * small canvas showing its output over the whole plane; the links between them are SVG
 * lines whose width is the weight's size and whose colour is its sign.
 * @module network
 */

import { CLASS_COLORS, drawSignedPlane } from "./heatmap.js";

const SVG = "http://www.w3.org/2000/svg";

/**
 * Make an element with attributes and children.
 * @param {string} tag
 * @param {Object<string, string>} [attributes]
 * @param {(Node|string)[]} [children]
 * @returns {HTMLElement}
 */
export function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

export class NetworkView {
  /**
   * @param {HTMLElement} columns where the columns go
   * @param {SVGSVGElement} svg the links' layer, over the columns
   * @param {{addNeuron: function(number): void, removeNeuron: function(number): void,
   *   showSource: function(number): void, toggleFeature: function(string): void}} actions
   */
  constructor(columns, svg, actions) {
    this.columns = columns;
    this.svg = svg;
    this.actions = actions;
    /** @type {HTMLElement[][]} nodes per column: active features, each hidden layer, outputs */
    this.nodes = [];
    /** @type {SVGLineElement[][][]} links[k][i][j] from node i of column k to node j of column k + 1 */
    this.links = [];
    this.grid = 0;
    window.addEventListener("resize", () => this.placeLinks());
  }

  /**
   * Rebuild the columns for a configuration.
   * @param {import("./config.js").Config} config
   * @param {string[]} allFeatures every feature the page offers, in order
   */
  build(config, allFeatures) {
    this.columns.replaceChildren();
    this.nodes = [this.featureColumn(config, allFeatures)];
    config.hidden.forEach((size, layer) => this.nodes.push(this.hiddenColumn(layer, size)));
    this.nodes.push(this.outputColumn(config));
    this.makeLinks();
    requestAnimationFrame(() => this.placeLinks());
  }

  featureColumn(config, allFeatures) {
    const column = element("div", { class: "column" }, [element("h3", {}, ["inputs"])]);
    const active = [];
    allFeatures.forEach((name, index) => {
      const on = config.features.includes(name);
      const canvas = element("canvas", { class: "node", "data-testid": `feature-${index}`, title: name });
      const row = element("div", { class: on ? "feature" : "feature off", title: `click to turn ${name} ${on ? "off" : "on"}` }, [
        canvas,
        name,
      ]);
      row.addEventListener("click", () => this.actions.toggleFeature(name));
      column.append(row);
      if (on) active.push(canvas);
    });
    this.columns.append(column);
    return active;
  }

  hiddenColumn(layer, size) {
    const title = element("h3", { title: "show this layer's code" }, [`layer ${layer + 1}`]);
    title.addEventListener("click", () => this.actions.showSource(layer));
    const add = element("button", { "data-testid": `add-neuron-${layer}`, title: "add a neuron" }, ["+"]);
    const remove = element("button", { "data-testid": `remove-neuron-${layer}`, title: "remove a neuron" }, ["\u2212"]);
    add.addEventListener("click", () => this.actions.addNeuron(layer));
    remove.addEventListener("click", () => this.actions.removeNeuron(layer));
    const nodes = [];
    for (let unit = 0; unit < size; unit++) {
      nodes.push(element("canvas", { class: "node", "data-testid": `neuron-${layer}-${unit}`, title: `layer ${layer + 1}, neuron ${unit + 1}` }));
    }
    const column = element("div", { class: "column" }, [title, element("div", { class: "buttons" }, [add, remove]), ...nodes]);
    this.columns.append(column);
    return nodes;
  }

  outputColumn(config) {
    const title = element("h3", { title: "show the output layer's code" }, ["output"]);
    title.addEventListener("click", () => this.actions.showSource(config.hidden.length));
    const nodes = [];
    for (let c = 0; c < config.classes; c++) {
      const [r, g, b] = CLASS_COLORS[c];
      nodes.push(element("div", { class: "out-node", style: `background: rgb(${r},${g},${b})`, title: `class ${c}` }));
    }
    this.columns.append(element("div", { class: "column" }, [title, ...nodes]));
    return nodes;
  }

  makeLinks() {
    this.svg.replaceChildren();
    this.links = [];
    for (let k = 0; k + 1 < this.nodes.length; k++) {
      this.links.push(
        this.nodes[k].map(() =>
          this.nodes[k + 1].map(() => {
            const line = document.createElementNS(SVG, "line");
            this.svg.append(line);
            return line;
          }),
        ),
      );
    }
  }

  /** Put every link between the right edge of its source and the left edge of its target. */
  placeLinks() {
    const origin = this.svg.getBoundingClientRect();
    const edge = (node, side) => {
      const box = node.getBoundingClientRect();
      return [(side ? box.right : box.left) - origin.left, (box.top + box.bottom) / 2 - origin.top];
    };
    this.links.forEach((rows, k) =>
      rows.forEach((row, i) =>
        row.forEach((line, j) => {
          const [x1, y1] = edge(this.nodes[k][i], true);
          const [x2, y2] = edge(this.nodes[k + 1][j], false);
          line.setAttribute("x1", x1);
          line.setAttribute("y1", y1);
          line.setAttribute("x2", x2);
          line.setAttribute("y2", y2);
        }),
      ),
    );
  }

  /**
   * Draw a frame: the feature and neuron heatmaps and the links' weights.
   * @param {Object} frame the JSON half (grid, scales, weights)
   * @param {Uint8Array} bytes the heatmaps
   */
  draw(frame, bytes) {
    const grid = frame.grid;
    const area = grid * grid;
    let offset = 2 * area; // after the boundary's two planes
    for (const canvas of this.nodes.slice(0, -1).flat()) {
      if (canvas.width !== grid) canvas.width = canvas.height = grid;
      drawSignedPlane(canvas, bytes, offset, grid);
      offset += area;
    }
    frame.weights.forEach(({ W }, k) => {
      (this.links[k] || []).forEach((row, i) => row.forEach((line, j) => styleLink(line, W[i][j])));
    });
  }
}

/**
 * Show a weight on its link: width from its size, orange for negative, blue for positive.
 * Attributes are written only when they change, so a still network costs nothing to redraw.
 * @param {SVGLineElement} line
 * @param {number} weight
 */
function styleLink(line, weight) {
  const colour = weight < 0 ? "#f59322" : "#0877bd";
  const width = Math.min(0.3 + 1.5 * Math.abs(weight), 6).toFixed(1);
  if (line.getAttribute("stroke") !== colour) line.setAttribute("stroke", colour);
  if (line.getAttribute("stroke-width") !== width) line.setAttribute("stroke-width", width);
}
