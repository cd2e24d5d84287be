// A WebSocket client for Node 20 (which has no global WebSocket), for tests only: enough of RFC 6455
// for the WebTalk client over ws:// — the handshake, masked text frames out, text frames (fragmented or
// not) in, pongs for the server's pings, the close handshake. Plus destroy(), which drops the TCP
// connection without a close frame, as a network failure would. The WebTalk client has no runtime
// dependency: a page uses the browser's WebSocket, Node 22+ its global one, Node 20 a library's.

import crypto from 'node:crypto';
import net from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class MiniWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  /** Every socket opened, oldest first, so a test can reach the one the client holds. */
  static instances = [];

  readyState = MiniWebSocket.CONNECTING;
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  /** The HTTP status of a refused handshake. */
  status = 0;
  #buffer = Buffer.alloc(0);
  #fragments = [];
  #closeCode = null;
  #key = crypto.randomBytes(16).toString('base64');

  constructor(url) {
    const address = new URL(url);
    if (address.protocol !== 'ws:') throw new SyntaxError(`only ws: URLs: ${address.protocol}`);
    this.url = address.href;
    MiniWebSocket.instances.push(this);
    this.socket = net.connect(Number(address.port || 80), address.hostname);
    this.socket.on('connect', () => {
      this.socket.write(`GET ${address.pathname}${address.search} HTTP/1.1\r\nHost: ${address.host}\r\n`
        + 'Upgrade: websocket\r\nConnection: Upgrade\r\n'
        + `Sec-WebSocket-Key: ${this.#key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    this.socket.on('data', (chunk) => this.#data(chunk));
    this.socket.on('error', () => this.onerror?.({}));
    this.socket.on('close', () => this.#finish());
  }

  static get last() {
    return MiniWebSocket.instances[MiniWebSocket.instances.length - 1];
  }

  send(text) {
    if (this.readyState !== MiniWebSocket.OPEN) throw new Error('WebSocket is not open');
    this.#write(0x1, Buffer.from(String(text), 'utf8'));
  }

  close(code = 1000, reason = '') {
    if (this.readyState >= MiniWebSocket.CLOSING) return;
    if (this.readyState === MiniWebSocket.OPEN) {
      const payload = Buffer.alloc(2);
      payload.writeUInt16BE(code);
      this.#write(0x8, Buffer.concat([payload, Buffer.from(reason, 'utf8')]));
    }
    this.#closeCode = code;
    this.readyState = MiniWebSocket.CLOSING;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  /** Drops the connection at once, without a close frame (the other side sees the TCP connection end). */
  destroy() {
    this.socket.destroy();
  }

  #data(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    if (this.readyState === MiniWebSocket.CONNECTING) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.#buffer.subarray(0, end).toString('latin1');
      this.#buffer = this.#buffer.subarray(end + 4);
      const expected = crypto.createHash('sha1').update(this.#key + GUID).digest('base64');
      if (!head.startsWith('HTTP/1.1 101') || !head.toLowerCase().includes(`sec-websocket-accept: ${expected}`.toLowerCase())) {
        this.status = Number(head.split(' ')[1]) || 0;
        this.socket.destroy();
        return;
      }
      this.readyState = MiniWebSocket.OPEN;
      this.onopen?.({});
    }
    this.#frames();
  }

  #frames() {
    for (;;) {
      if (this.#buffer.length < 2) return;
      const first = this.#buffer[0];
      let length = this.#buffer[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.#buffer.length < 4) return;
        length = this.#buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.#buffer.length < 10) return;
        length = Number(this.#buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.#buffer.length < offset + length) return;
      const payload = this.#buffer.subarray(offset, offset + length);
      this.#buffer = this.#buffer.subarray(offset + length);
      const opcode = first & 0x0f;
      if (opcode === 0x9) {
        this.#write(0xa, payload); // a pong echoes the ping's payload
      } else if (opcode === 0x8) {
        this.#closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        if (this.readyState === MiniWebSocket.OPEN) this.#write(0x8, payload.subarray(0, 2));
        this.readyState = MiniWebSocket.CLOSING;
        this.socket.end();
      } else if (opcode === 0x1 || opcode === 0x0) {
        this.#fragments.push(Buffer.from(payload));
        if (first & 0x80) {
          const text = Buffer.concat(this.#fragments).toString('utf8');
          this.#fragments = [];
          if (this.readyState === MiniWebSocket.OPEN) this.onmessage?.({ data: text });
        }
      }
    }
  }

  #write(opcode, payload) {
    if (this.socket.destroyed) return;
    const length = payload.length;
    let head;
    if (length < 126) {
      head = Buffer.from([0x80 | opcode, 0x80 | length]);
    } else if (length < 65536) {
      head = Buffer.alloc(4);
      head[0] = 0x80 | opcode;
      head[1] = 0x80 | 126;
      head.writeUInt16BE(length, 2);
    } else {
      head = Buffer.alloc(10);
      head[0] = 0x80 | opcode;
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(length), 2);
    }
    const mask = crypto.randomBytes(4);
    const masked = Buffer.alloc(length);
    for (let i = 0; i < length; i++) masked[i] = payload[i] ^ mask[i & 3];
    this.socket.write(Buffer.concat([head, mask, masked]));
  }

  #finish() {
    if (this.readyState === MiniWebSocket.CLOSED) return;
    this.readyState = MiniWebSocket.CLOSED;
    this.onclose?.({ code: this.#closeCode ?? 1006 });
  }
}
