// One composer being checked: reads its text on every change, asks the engine (one request in
// flight, later keystrokes coalesced into one more), and keeps the findings for the overlay.
import { composers, byElement } from './registry.js';
import { conn, request } from './connection.js';
import { getAdapter, refreshAdapter, genericSurface, host } from './adapters.js';
import { readEditable } from './text-model.js';
import { deepActive } from './dom.js';
import { OverlayMethods } from './overlay.js';
import { PanelMethods } from './panel.js';
import { FixMethods } from './fixes.js';

const STALE_RENDER_MS = 100;
const CONTEXT_MS = 1000;

export class Composer {
  constructor(node) {
    this.node = node;
    refreshAdapter();
    this.kind = node instanceof HTMLTextAreaElement || node instanceof HTMLInputElement ? 'text' : 'editable';
    this.overlay = null;
    this.findings = [];
    this.checkedText = null;
    this.model = null;
    this.inflight = false;
    this.dirty = false;
    this.timer = 0;
    this.seq = 0;
    this.lastAnnounced = 0;
    this.bypass = false;
    this.renderedAt = 0;
    this.panelOpen = false;
    this.mirrorText = null;
    this.onInput = () => this.schedule();
    this.onFocus = () => { this.ctx = null; if (!this.overlay) this.schedule(true); };
    node.addEventListener('input', this.onInput);
    node.addEventListener('focus', this.onFocus);
    if (this.kind === 'editable') {
      // Editors that handle beforeinput themselves (Lexical, ProseMirror, Draft.js) change the
      // DOM without an input event: watch the DOM (reading only).
      this.mo = new MutationObserver(() => this.schedule());
      this.mo.observe(node, { childList: true, characterData: true, subtree: true });
    }
    this.ro = new ResizeObserver(() => this.reposition());
    this.ro.observe(node);
    composers.add(this);
    byElement.set(node, this);
    if (node.contains(deepActive())) this.schedule(true);
  }

  destroy() {
    this.node.removeEventListener('input', this.onInput);
    this.node.removeEventListener('focus', this.onFocus);
    this.mo?.disconnect();
    this.ro.disconnect();
    clearTimeout(this.timer);
    this.overlay?.remove();
    this.overlay = null;
    composers.delete(this);
    byElement.delete(this.node);
  }

  text() {
    if (this.kind === 'text') return this.node.value;
    this.model = readEditable(this.node);
    return this.model.text;
  }

  // The check context (surface, handle) is worked out at most every CONTEXT_MS while typing:
  // the adapters' DOM lookups are the costly part, and a composer rarely changes surface.
  context() {
    const now = performance.now();
    if (this.ctx && now - this.ctxAt < CONTEXT_MS) return this.ctx;
    this.ctxAt = now;
    const ctx = { site: host || location.protocol.replace(':', ''), surface: genericSurface(this.node), account: 'personal' };
    try {
      const s = getAdapter().surface?.(this.node);
      if (s) ctx.surface = s;
      const h = getAdapter().handle?.();
      if (h) ctx.handle = h;
    } catch { /* the adapter's guess is optional */ }
    this.ctx = ctx;
    return ctx;
  }

  // Checks as soon as nothing is in flight; keystrokes during a check coalesce into one more.
  schedule(now) {
    if (conn.dead) return;
    if (!this.node.isConnected) { this.destroy(); return; }
    this.ensureOverlay();
    this.overlay.dataset.state = 'checking';
    if (this.inflight) { this.dirty = true; return; }
    clearTimeout(this.timer);
    // A zero-delay task merges the mutation records of one keystroke into one check.
    this.timer = setTimeout(() => this.run(), now ? 0 : 0);
  }

  async run() {
    if (this.inflight) { this.dirty = true; return; }
    const text = this.text();
    const model = this.model;
    this.inflight = true;
    this.dirty = false;
    const seq = ++this.seq;
    let reply = null, error = null;
    try {
      reply = await request({ type: 'check', seq, text, context: this.context() });
    } catch (e) {
      error = e;
    }
    this.inflight = false;
    if (!this.overlay) return;
    if (error) {
      if (conn.dead) return;
      this.overlay.dataset.state = 'error';
      this.overlay.dataset.error = String(error.info?.code ?? 'check');
      if (this.dirty) this.schedule();
      return;
    }
    const current = this.kind === 'text' ? this.node.value : null;
    const stale = this.dirty || (current !== null && current !== text);
    // While typing faster than a round trip, a result is already stale when it arrives: show it
    // anyway now and then (highlights may lag a character), so they never freeze.
    // Staff paused checks on this site (and the policy allows it): nothing to show or gate.
    const paused = reply.type === 'paused';
    if (!stale || performance.now() - this.renderedAt > STALE_RENDER_MS) {
      this.checkedText = text;
      this.checkedModel = model;
      this.findings = paused ? [] : reply.findings;
      // What the adapter decided, as the engine applied it (for tests and page automation).
      if (reply.context) {
        this.overlay.dataset.surface = reply.context.surface || '';
        this.overlay.dataset.account = reply.context.account || '';
        this.overlay.dataset.adapter = getAdapter().name;
      }
      this.disclaimer = reply.disclaimer;
      this.lastCheckMs = reply.ms;
      this.render();
      this.renderedAt = performance.now();
    }
    if (stale) { this.dirty = false; this.run(); return; }
    this.overlay.dataset.state = paused ? 'paused' : 'checked';
    this.resolveWaiters();
  }

  // Resolves with up-to-date findings (used at Post).
  fresh() {
    return new Promise((resolve) => {
      if (!this.inflight && this.checkedText !== null && this.checkedText === this.text()) { resolve(this.findings); return; }
      (this.waiters ||= []).push(resolve);
      if (!this.inflight) { clearTimeout(this.timer); this.run(); }
    });
  }

  resolveWaiters() {
    const w = this.waiters;
    this.waiters = null;
    if (w) for (const r of w) r(this.findings);
  }
}

for (const part of [OverlayMethods, PanelMethods, FixMethods]) {
  for (const k of Object.getOwnPropertyNames(part.prototype)) {
    if (k !== 'constructor') Object.defineProperty(Composer.prototype, k, Object.getOwnPropertyDescriptor(part.prototype, k));
  }
}
