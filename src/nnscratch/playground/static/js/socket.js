/**
 * The page's line to its trainer thread on the server.
 *
 * Out: JSON commands `{type: ...}`. In: JSON messages; a `frame` message is followed by
 * one binary message with its heatmaps, and the two are handed over together. The page
 * calls {@link Link#ready} once it has drawn a frame, and only then does the server send
 * the next one: frames come as fast as the page draws them, never piling up.
 * @module socket
 */

export class Link {
  /**
   * @param {{onMessage: function(Object): void, onFrame: function(Object, Uint8Array): void,
   *   onClose: function(): void}} handlers
   */
  constructor(handlers) {
    this.handlers = handlers;
    /** @type {Object|null} the JSON half of a frame, waiting for its heatmaps */
    this.pendingFrame = null;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.socket = new WebSocket(`${scheme}//${location.host}/socket`);
    this.socket.binaryType = "arraybuffer";
    this.socket.addEventListener("message", (event) => this.receive(event.data));
    this.socket.addEventListener("close", () => handlers.onClose());
    /** @type {Promise<void>} resolves when the socket is open */
    this.opened = new Promise((resolve) => this.socket.addEventListener("open", () => resolve()));
  }

  /** @param {string|ArrayBuffer} data */
  receive(data) {
    if (typeof data !== "string") {
      const frame = this.pendingFrame;
      this.pendingFrame = null;
      if (frame) this.handlers.onFrame(frame, new Uint8Array(data));
      return;
    }
    const message = JSON.parse(data);
    if (message.type === "frame") this.pendingFrame = message;
    else this.handlers.onMessage(message);
  }

  /**
   * Send a command.
   * @param {string} type e.g. "play", "config", "trace"
   * @param {Object} [fields] the command's other keys
   */
  async send(type, fields = {}) {
    await this.opened;
    this.socket.send(JSON.stringify({ type, ...fields }));
  }

  /** Tell the server the last frame is drawn. */
  ready() {
    this.send("ready");
  }
}
