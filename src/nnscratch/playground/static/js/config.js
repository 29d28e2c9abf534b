/**
 * The page's configuration in the URL: every key of the server's config as a query
 * parameter, so a link restores a run. Lists are comma-separated; the user's points are
 * `x1_x2_class` triples joined by `~`.
 * @module config
 */

/** @typedef {{dataset: string, classes: number, noise: number, split: number, seed: number,
 *   features: string[], hidden: number[], activation: string, optimizer: string, lr: number,
 *   reg: number, batch: number, dropout: number, points: number[][]}} Config */

const NUMBER_KEYS = ["classes", "noise", "split", "seed", "lr", "reg", "batch", "dropout"];
const TEXT_KEYS = ["dataset", "activation", "optimizer"];

/**
 * Turn a configuration into a query string.
 * @param {Config} config
 * @returns {string} e.g. `?dataset=xor&hidden=4,2&...`
 */
export function toQuery(config) {
  const params = new URLSearchParams();
  for (const key of [...TEXT_KEYS, ...NUMBER_KEYS]) params.set(key, String(config[key]));
  params.set("features", config.features.join(","));
  params.set("hidden", config.hidden.join(","));
  params.set("points", config.points.map((p) => p.map((v) => +v.toFixed(3)).join("_")).join("~"));
  return "?" + params.toString();
}

/**
 * Read whatever configuration keys a query string holds (the server checks the values).
 * @param {string} query `location.search`
 * @returns {Partial<Config>} only the keys present
 */
export function fromQuery(query) {
  const params = new URLSearchParams(query);
  /** @type {Partial<Config>} */
  const config = {};
  for (const key of TEXT_KEYS) if (params.has(key)) config[key] = params.get(key);
  for (const key of NUMBER_KEYS) if (params.has(key)) config[key] = Number(params.get(key));
  const list = (key) => (params.get(key) ? params.get(key).split(",") : []);
  if (params.has("features")) config.features = list("features");
  if (params.has("hidden")) config.hidden = list("hidden").map(Number);
  if (params.has("points")) {
    config.points = (params.get("points") ? params.get("points").split("~") : []).map((p) => p.split("_").map(Number));
  }
  return config;
}
