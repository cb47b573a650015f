// The content script's port to the service worker, where the engine runs (strict-CSP pages
// forbid WebAssembly here). Requests still waiting when the worker stops are re-sent on a new port.
import { composers } from './registry.js';

let onOrphaned = () => {};
/** What to do when the extension goes away (reloaded or removed): this script is orphaned. */
export function whenOrphaned(fn) { onOrphaned = fn; }

// One port per frame. The worker may be stopped at any time (idle, update, crash): the port
// disconnects, and requests still waiting are re-sent on a new port (which wakes the worker).
export const conn = {
  port: null,
  nextId: 1,
  pending: new Map(),  // id -> {msg, resolve, reject}
  dead: false,         // the extension was reloaded or removed: this script is orphaned
};

function contextAlive() {
  try { return !!chrome.runtime?.id; } catch { return false; }
}

function connect() {
  if (conn.port || conn.dead) return conn.port;
  if (!contextAlive()) { orphaned(); return null; }
  let port;
  try {
    port = chrome.runtime.connect({ name: 'postguard-check' });
  } catch {
    orphaned();
    return null;
  }
  conn.port = port;
  port.onMessage.addListener(onWorkerMessage);
  port.onDisconnect.addListener(() => {
    void chrome.runtime.lastError;
    if (conn.port === port) conn.port = null;
    if (!contextAlive()) { orphaned(); return; }
    if (conn.pending.size) {
      // The worker went away mid-request: send them again on a fresh port.
      const p = connect();
      if (p) for (const { msg } of conn.pending.values()) p.postMessage(msg);
    }
  });
  return port;
}

export function request(msg) {
  return new Promise((resolve, reject) => {
    const id = conn.nextId++;
    const full = { ...msg, id };
    conn.pending.set(id, { msg: full, resolve, reject });
    const port = connect();
    if (!port) { conn.pending.delete(id); reject(new Error('orphaned')); return; }
    try {
      port.postMessage(full);
    } catch {
      // Disconnected between connect() and now: onDisconnect re-sends it.
      conn.port = null;
      const p = connect();
      if (p) p.postMessage(full);
    }
  });
}

function onWorkerMessage(m) {
  if (!m) return;
  if (m.type === 'policyChanged') {
    for (const c of composers) if (c.overlay) c.schedule(true);
    return;
  }
  const p = conn.pending.get(m.id);
  if (!p) return;
  conn.pending.delete(m.id);
  if (m.type === 'error') p.reject(Object.assign(new Error(m.error?.message || 'check failed'), { info: m.error }));
  else p.resolve(m);
}

function orphaned() {
  if (conn.dead) return;
  conn.dead = true;
  for (const { reject } of conn.pending.values()) reject(new Error('orphaned'));
  conn.pending.clear();
  for (const c of [...composers]) c.destroy();
  onOrphaned();
}
