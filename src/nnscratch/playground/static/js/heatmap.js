/**
 * Drawing the frame's uint8 planes (see the server's frames.py for their layout).
 * @module heatmap
 */

/** RGB of class 0..4: orange, blue, green, red, purple. */
export const CLASS_COLORS = [
  [245, 147, 34],
  [8, 119, 189],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
];
const WHITE = [240, 241, 242];

/**
 * Mix two RGB colours.
 * @param {number[]} a
 * @param {number[]} b
 * @param {number} amount 0 gives a, 1 gives b
 * @returns {number[]}
 */
function mix(a, b, amount) {
  return [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * amount);
}

/**
 * A colour table: entry v (0..255) as one little-endian RGBA word, for writing a whole
 * pixel at a time through a Uint32Array view of the image.
 * @param {function(number): number[]} colour RGB of a byte value
 * @returns {Uint32Array}
 */
function table(colour) {
  const words = new Uint32Array(256);
  for (let v = 0; v < 256; v++) {
    const [r, g, b] = colour(v).map(Math.round);
    words[v] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  return words;
}

/** Signed values: orange below 128 (negative), white at 128, blue above. */
const SIGNED = table((v) => {
  const value = (v - 128) / 127;
  return mix(WHITE, value < 0 ? CLASS_COLORS[0] : CLASS_COLORS[1], Math.min(Math.abs(value), 1));
});

/** Per class, confidence 0..255 to its colour, paler where the network is less sure. */
const BY_CLASS = CLASS_COLORS.map((rgb) => table((v) => mix(WHITE, rgb, 0.15 + (0.65 * v) / 255)));

/**
 * Draw one signed plane (128 = 0) on a canvas whose size is the grid's: orange below 0,
 * blue above, white at 0.
 * @param {HTMLCanvasElement} canvas width = height = grid
 * @param {Uint8Array} bytes all planes of the frame
 * @param {number} offset where this plane starts
 * @param {number} grid pixels per side
 */
export function drawSignedPlane(canvas, bytes, offset, grid) {
  const context = canvas.getContext("2d");
  const image = context.createImageData(grid, grid);
  const pixels = new Uint32Array(image.data.buffer);
  for (let i = 0; i < grid * grid; i++) pixels[i] = SIGNED[bytes[offset + i]];
  context.putImageData(image, 0, 0);
}

/**
 * Draw the decision boundary: each pixel in its winning class's colour, paler where the
 * network is less sure.
 * @param {HTMLCanvasElement} scratch a grid-sized canvas to paint on first
 * @param {Uint8Array} bytes class plane at 0, confidence plane at grid * grid
 * @param {number} grid
 * @returns {HTMLCanvasElement} scratch, ready to be scaled onto the output canvas
 */
export function paintBoundary(scratch, bytes, grid) {
  const context = scratch.getContext("2d");
  const image = context.createImageData(grid, grid);
  const pixels = new Uint32Array(image.data.buffer);
  const area = grid * grid;
  for (let i = 0; i < area; i++) pixels[i] = BY_CLASS[bytes[i]][bytes[area + i]];
  context.putImageData(image, 0, 0);
  return scratch;
}

/**
 * Draw data points over the boundary: training points with a white ring, test points
 * with a black one.
 * @param {CanvasRenderingContext2D} context the output canvas
 * @param {number[][]} points `[x1, x2, class]` rows on the plane [-6, 6]^2
 * @param {boolean} test whether these are test points
 */
export function drawPoints(context, points, test) {
  const size = context.canvas.width;
  context.lineWidth = 1;
  context.strokeStyle = test ? "#000" : "#fff";
  for (const [x1, x2, label] of points) {
    const [r, g, b] = CLASS_COLORS[label];
    context.fillStyle = `rgb(${r},${g},${b})`;
    context.beginPath();
    context.arc(((x1 + 6) / 12) * size, ((6 - x2) / 12) * size, 3.2, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}

/**
 * Where a mouse event lands on the plane [-6, 6]^2.
 * @param {MouseEvent} event
 * @param {HTMLCanvasElement} canvas
 * @returns {number[]} [x1, x2]
 */
export function planePoint(event, canvas) {
  const box = canvas.getBoundingClientRect();
  const x = event.clientX - box.left - canvas.clientLeft; // from the inner edge, not the border
  const y = event.clientY - box.top - canvas.clientTop;
  return [(x / canvas.clientWidth) * 12 - 6, 6 - (y / canvas.clientHeight) * 12];
}
