/**
 * The train and test loss curves, one point per frame.
 * @module chart
 */

/**
 * Draw the curves.
 * @param {HTMLCanvasElement} canvas
 * @param {{epoch: number, train: number, test: number}[]} history oldest first
 */
export function drawLossChart(canvas, history) {
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  if (history.length < 2) return;
  const first = history[0].epoch;
  const span = Math.max(history[history.length - 1].epoch - first, 1);
  const top = Math.max(...history.map((h) => Math.max(h.train, h.test)), 1e-9);
  const curve = (key, colour) => {
    context.strokeStyle = colour;
    context.beginPath();
    history.forEach((h, i) => {
      const x = ((h.epoch - first) / span) * (width - 2) + 1;
      const y = height - 1 - (Math.min(h[key], top) / top) * (height - 2);
      if (i === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    });
    context.stroke();
  };
  curve("test", "#999");
  curve("train", "#222");
}

/**
 * Add a point, keeping at most `limit` by dropping every other old one when full.
 * @param {Object[]} history changed in place
 * @param {Object} point
 * @param {number} [limit=600]
 */
export function addPoint(history, point, limit = 600) {
  history.push(point);
  if (history.length > limit) {
    const thinned = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
    history.splice(0, history.length, ...thinned);
  }
}
