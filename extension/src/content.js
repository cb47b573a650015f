// PostGuard content script: finds composers, sends their text to the service worker's engine
// over a port, draws highlights in a <postguard-overlay> outside the editor's DOM, offers fixes
// through the editor's own input path, and steps in at Post for confirm/block findings.
//
// Rules kept here: never write into the editor's DOM except through the editor's own input path
// (execCommand insertText) when staff pick a fix; never log draft text; no work while idle (no
// timers or polling — only input, mutation, focus, scroll and resize events wake this script).
(() => {
  'use strict';
  if (globalThis.__postguardContent) return;
  globalThis.__postguardContent = true;

  const SEVERITY_RANK = { info: 0, warn: 1, confirm: 2, block: 3 };
  const STALE_RENDER_MS = 100;
  const t = (key, subs) => {
    try { return chrome.i18n.getMessage(key, subs) || key; } catch { return key; }
  };

  // ---- connection to the service worker ----------------------------------------------------
  // One port per frame. The worker may be stopped at any time (idle, update, crash): the port
  // disconnects, and requests still waiting are re-sent on a new port (which wakes the worker).
  const conn = {
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

  function request(msg) {
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
    discovery.stop();
  }

  // ---- site adapters ----------------------------------------------------------------------
  // Each adapter may say which surface a composer is (post|comment|dm|bio), where its Post/Send
  // button is, and whether plain Enter sends. The generic fallback covers every other site.
  const host = location.hostname.replace(/^www\./, '');
  const onHost = (...names) => names.some((n) => host === n || host.endsWith('.' + n));
  const labelOf = (el) => [el.getAttribute('aria-label'), el.getAttribute('placeholder'),
    el.getAttribute('aria-placeholder'), el.getAttribute('name'), el.id, el.getAttribute('data-testid')]
    .filter(Boolean).join(' ').toLowerCase();

  const ADAPTERS = [
    { match: () => onHost('x.com', 'twitter.com'),
      post: '[data-testid="tweetButton"], [data-testid="tweetButtonInline"], [data-testid="dmComposerSendButton"]',
      surface: (el) => (location.pathname.startsWith('/messages') ? 'dm'
        : location.pathname.includes('/status/') || el.closest('[aria-labelledby*="reply"]') ? 'comment' : null),
      handle: () => document.querySelector('[data-testid="SideNav_AccountSwitcher_Button"]')?.textContent.match(/@\w+/)?.[0] },
    { match: () => onHost('facebook.com'),
      post: '[aria-label="Post"][role="button"], [aria-label="Comment"][role="button"], [aria-label="Press enter to send"]',
      surface: (el) => (location.pathname.startsWith('/messages') ? 'dm' : el.closest('[role="dialog"]') ? 'post' : 'comment') },
    { match: () => onHost('linkedin.com'),
      post: '.share-actions__primary-action, .comments-comment-box__submit-button, .msg-form__send-button',
      surface: (el) => (el.closest('.msg-form') ? 'dm' : el.closest('.comments-comment-box, .comments-comment-texteditor') ? 'comment' : null) },
    { match: () => onHost('instagram.com'),
      surface: () => (location.pathname.startsWith('/direct') ? 'dm' : location.pathname.startsWith('/accounts/edit') ? 'bio' : 'comment') },
    { match: () => onHost('tiktok.com'), surface: () => 'comment' },
    { match: () => onHost('threads.net', 'threads.com') },
    { match: () => onHost('bsky.app'), post: '[data-testid="composerPublishBtn"]' },
    { match: () => !!document.querySelector('.compose-form'),  // Mastodon, on any instance's host
      post: '.compose-form__publish button, .compose-form__submit button' },
    { match: () => onHost('youtube.com'), post: '#submit-button', surface: () => 'comment' },
    { match: () => onHost('web.whatsapp.com'), surface: () => 'dm', enterSends: true,
      post: '[data-testid="send"], button[aria-label="Send"], span[data-icon="send"]' },
    { match: () => onHost('reddit.com'), surface: (el) => (el.closest('comment-composer-host, shreddit-composer') ? 'comment' : null) },
    { match: () => onHost('medium.com') },
    { match: () => /\/wp-admin\//.test(location.pathname) || !!document.querySelector('.block-editor') },
  ];
  const adapter = ADAPTERS.find((a) => { try { return a.match(); } catch { return false; } }) || {};

  const POST_WORDS = /^(post|send|tweet|reply|publish|share|submit|comment|toot|post all|postio|anfon|ateb|cyhoeddi)$/i;

  function genericSurface(el) {
    const label = labelOf(el);
    if (/\bbio\b|about you|about me|headline|description/.test(label)) return 'bio';
    if (/message|\bdm\b|chat/.test(label)) return 'dm';
    if (/comment|reply|respond/.test(label)) return 'comment';
    return 'post';
  }

  function findPostButton(el) {
    if (adapter.post) {
      // The nearest matching button: walk up from the composer (inside shadow roots too).
      for (let n = el; n; n = n.parentNode || n.host) {
        if (n.querySelector) {
          const b = n.querySelector(adapter.post);
          if (b) return b.closest('button, [role="button"]') || b;
        }
      }
    }
    const form = el.form || el.closest?.('form');
    if (form) {
      const b = form.querySelector('button[type="submit"], input[type="submit"], button:not([type])');
      if (b) return b;
    }
    // Generic: the closest button labelled like Post/Send within a few ancestors (crossing out of
    // shadow roots: a shadow root is searched, then its host's surroundings).
    let n = el;
    for (let depth = 0; n && depth < 8; depth++) {
      n = n instanceof ShadowRoot ? n.host : n.parentNode;
      if (!n || !n.querySelectorAll) break;
      for (const b of n.querySelectorAll('button, [role="button"], input[type="submit"]')) {
        const words = (b.getAttribute('aria-label') || b.value || b.textContent || '').trim();
        if (POST_WORDS.test(words)) return b;
      }
    }
    return null;
  }

  // ---- reading a composer's text and mapping offsets back to the DOM -------------------------
  const BLOCK = new Set(['ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION',
    'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL',
    'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL']);
  const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);

  // Text of a contenteditable as the engine sees it, with segments mapping offsets to text nodes.
  function readEditable(root) {
    const segs = [];   // {node, start, end} for text nodes; {br, start} for line breaks
    let text = '';
    let pendingBreak = false;
    const flush = () => {
      if (pendingBreak && text.length && !text.endsWith('\n')) text += '\n';
      pendingBreak = false;
    };
    const walk = (node) => {
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          if (!c.data.length) continue;
          flush();
          segs.push({ node: c, start: text.length, end: text.length + c.data.length });
          text += c.data;
        } else if (c.nodeType === 1) {
          const tag = c.tagName;
          if (SKIP.has(tag)) continue;
          if (tag === 'BR') {
            flush();
            segs.push({ br: c, start: text.length, end: text.length });
            text += '\n';
            continue;
          }
          const block = BLOCK.has(tag);
          if (block) pendingBreak = true;
          walk(c);
          if (block) pendingBreak = true;
        }
      }
    };
    walk(root);
    return { text, segs };
  }

  // A DOM position for a text offset (a text node and an offset in it).
  function domPoint(model, root, offset, preferEnd) {
    const { segs } = model;
    let lo = 0, hi = segs.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid].start <= offset) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    // Prefer the end of the previous text node when the offset sits on a boundary.
    if (preferEnd && best > 0 && segs[best].start === offset && segs[best - 1].node && segs[best - 1].end === offset) best--;
    if (best < 0) {
      const first = segs.find((s) => s.node);
      return first ? { node: first.node, offset: 0 } : { node: root, offset: 0 };
    }
    const s = segs[best];
    if (s.node) {
      if (offset <= s.end) return { node: s.node, offset: offset - s.start };
      // In a virtual line break after this node.
      return { node: s.node, offset: s.node.data.length };
    }
    // A <br>: before it.
    const parent = s.br.parentNode;
    return { node: parent, offset: Array.prototype.indexOf.call(parent.childNodes, s.br) };
  }

  function editableRange(model, root, start, end) {
    const a = domPoint(model, root, start, false);
    const b = domPoint(model, root, end, true);
    const r = document.createRange();
    try {
      r.setStart(a.node, a.offset);
      r.setEnd(b.node, b.offset);
    } catch {
      r.selectNodeContents(root);
      r.collapse(false);
    }
    return r;
  }

  // ---- the overlay ----------------------------------------------------------------------------
  const OVERLAY_CSS = `
    :host { all: initial; position: fixed; left: 0; top: 0; width: 0; height: 0; z-index: 2147483646;
            pointer-events: none; font: 13px/1.4 system-ui, sans-serif; color: #1d1d1f; }
    .clip { position: fixed; overflow: hidden; pointer-events: none; }
    .hl { position: absolute; pointer-events: none; border-bottom: 2px solid; box-sizing: border-box;
          border-radius: 1px; }
    .hl.info { border-bottom-style: dotted; border-color: #2f6fdb; background: rgba(47,111,219,.07); }
    .hl.warn { border-color: #d98a00; background: rgba(217,138,0,.12); }
    .hl.confirm { border-color: #d45500; background: rgba(212,85,0,.14); }
    .hl.block { border-color: #c4001a; background: rgba(196,0,26,.14); }
    .badge { position: fixed; pointer-events: auto; min-width: 22px; height: 22px; padding: 0 6px;
             border-radius: 11px; border: 0; background: #d98a00; color: #fff; font: 600 12px/22px system-ui, sans-serif;
             cursor: pointer; box-shadow: 0 1px 3px rgba(0,0,0,.3); }
    .badge.confirm { background: #d45500; } .badge.block { background: #c4001a; }
    .badge:focus-visible, button:focus-visible { outline: 3px solid #1a5fd0; outline-offset: 2px; }
    .panel, .dialog { position: fixed; pointer-events: auto; width: 340px; max-height: 60vh; overflow: auto;
             background: #fff; border: 1px solid #c7c7cc; border-radius: 8px; padding: 10px 12px;
             box-shadow: 0 6px 24px rgba(0,0,0,.18); }
    .panel h2, .dialog h2 { font-size: 14px; margin: 0 0 8px; }
    .panel ul, .dialog ul { list-style: none; margin: 0; padding: 0; }
    .panel li, .dialog li { border-top: 1px solid #e5e5ea; padding: 8px 0; }
    .sev { font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
    .sev.warn { color: #9a6200; } .sev.confirm { color: #b04600; } .sev.block { color: #c4001a; } .sev.info { color: #2f6fdb; }
    .ref { color: #6e6e73; font-size: 12px; margin-top: 2px; }
    .actions { margin-top: 6px; display: flex; gap: 6px; flex-wrap: wrap; }
    button.act { font: inherit; padding: 3px 10px; border-radius: 5px; border: 1px solid #8e8e93; background: #f5f5f7; cursor: pointer; }
    button.primary { background: #1a5fd0; border-color: #1a5fd0; color: #fff; }
    .close { position: absolute; right: 8px; top: 6px; }
    .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .mirror { position: absolute; left: 0; top: 0; visibility: hidden; overflow: hidden; pointer-events: none; }
    [hidden] { display: none !important; }
  `;

  const MIRROR_PROPS = ['direction', 'boxSizing', 'fontFamily', 'fontSize', 'fontWeight', 'fontStyle',
    'fontVariant', 'fontStretch', 'fontFeatureSettings', 'fontKerning', 'lineHeight', 'letterSpacing',
    'wordSpacing', 'textTransform', 'textIndent', 'textAlign', 'tabSize', 'paddingTop', 'paddingRight',
    'paddingBottom', 'paddingLeft', 'wordBreak', 'overflowWrap', 'hyphens'];

  function el(tag, attrs = {}, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const k of kids) if (k) e.append(k);
    return e;
  }

  // ---- composers ------------------------------------------------------------------------------
  const composers = new Set();
  const byElement = new WeakMap();

  class Composer {
    constructor(node) {
      this.node = node;
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
      this.onFocus = () => { if (!this.overlay) this.schedule(true); };
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

    context() {
      const ctx = { site: host || location.protocol.replace(':', ''), surface: genericSurface(this.node), account: 'personal' };
      try {
        const s = adapter.surface?.(this.node);
        if (s) ctx.surface = s;
        const h = adapter.handle?.();
        if (h) ctx.handle = h;
      } catch { /* the adapter's guess is optional */ }
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
      if (!stale || performance.now() - this.renderedAt > STALE_RENDER_MS) {
        this.checkedText = text;
        this.checkedModel = model;
        this.findings = reply.findings;
        this.disclaimer = reply.disclaimer;
        this.lastCheckMs = reply.ms;
        this.render();
        this.renderedAt = performance.now();
      }
      if (stale) { this.dirty = false; this.run(); return; }
      this.overlay.dataset.state = 'checked';
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

    ensureOverlay() {
      if (this.overlay) return;
      const o = document.createElement('postguard-overlay');
      o.dataset.state = 'checking';
      o.dataset.findings = '0';
      o.dataset.categories = '';
      o.dataset.kind = this.kind === 'text' ? this.node.tagName.toLowerCase() : 'contenteditable';
      const root = o.attachShadow({ mode: 'open' });
      root.append(el('style', { text: OVERLAY_CSS }));
      this.clip = el('div', { class: 'clip', part: 'highlights' });
      this.badge = el('button', { class: 'badge', type: 'button', hidden: '', 'aria-haspopup': 'dialog',
        'aria-expanded': 'false', onclick: () => this.togglePanel(), onkeydown: (e) => this.onBadgeKey(e) });
      this.panel = el('div', { class: 'panel', role: 'dialog', 'aria-label': t('panelTitle'), hidden: '',
        onkeydown: (e) => this.onPanelKey(e) });
      this.live = el('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
      this.dialog = el('div', { class: 'dialog', role: 'alertdialog', 'aria-modal': 'true', hidden: '',
        onkeydown: (e) => { if (e.key === 'Escape') { e.stopPropagation(); this.closeDialog(false); } } });
      root.append(this.clip, this.badge, this.panel, this.dialog, this.live);
      if (this.kind === 'text') {
        this.mirror = el('div', { class: 'mirror', 'aria-hidden': 'true' });
        root.append(this.mirror);
      }
      // Outside the editor's DOM: the document element of the composer's own document.
      (this.node.ownerDocument.documentElement).append(o);
      this.overlay = o;
      overlayOwners.set(o, this);
    }

    // -- geometry --
    rectsFor(start, end) {
      if (this.kind === 'editable') {
        const model = this.checkedModel;
        if (!model) return [];
        return [...editableRange(model, this.node, start, end).getClientRects()];
      }
      return this.mirrorRects(start, end);
    }

    mirrorRects(start, end) {
      const ta = this.node;
      const cs = getComputedStyle(ta);
      const m = this.mirror;
      const isInput = ta instanceof HTMLInputElement;
      for (const p of MIRROR_PROPS) m.style[p] = cs[p];
      m.style.boxSizing = 'content-box';
      m.style.border = '0';
      m.style.whiteSpace = isInput ? 'pre' : 'pre-wrap';
      if (!isInput) m.style.overflowWrap = cs.overflowWrap === 'normal' ? 'break-word' : cs.overflowWrap;
      const padX = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
      m.style.width = `${Math.max(0, ta.clientWidth - padX)}px`;
      m.style.height = 'auto';
      const value = this.checkedText ?? '';
      if (this.mirrorText !== value) {
        m.textContent = value + ' ';  // a trailing space keeps a final empty line measurable
        this.mirrorText = value;
      }
      const node = m.firstChild;
      if (!node) return [];
      const r = document.createRange();
      r.setStart(node, Math.min(start, value.length));
      r.setEnd(node, Math.min(end, value.length));
      const origin = m.getBoundingClientRect();
      const box = ta.getBoundingClientRect();
      const dx = box.left + parseFloat(cs.borderLeftWidth) - ta.scrollLeft - origin.left;
      const dy = box.top + parseFloat(cs.borderTopWidth) - ta.scrollTop - origin.top;
      return [...r.getClientRects()].map((q) => new DOMRect(q.left + dx, q.top + dy, q.width, q.height));
    }

    // Client rect of the composer's visible text area (highlights are clipped to it), in the
    // top-level coordinates of this frame.
    clipRect() {
      const b = this.node.getBoundingClientRect();
      if (this.kind !== 'text') return b;
      const cs = getComputedStyle(this.node);
      return new DOMRect(b.left + parseFloat(cs.borderLeftWidth), b.top + parseFloat(cs.borderTopWidth),
        this.node.clientWidth, this.node.clientHeight);
    }

    render() {
      const o = this.overlay;
      const atWarn = this.findings.filter((f) => SEVERITY_RANK[f.severity] >= 1);
      o.dataset.findings = String(atWarn.length);
      o.dataset.categories = [...new Set(atWarn.map((f) => f.category))].sort().join(' ');
      o.dataset.severity = atWarn.reduce((s, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[s] ? f.severity : s), 'info');
      o.dataset.rev = String((Number(o.dataset.rev) || 0) + 1);
      if (atWarn.length > this.lastAnnounced) {
        this.live.textContent = t('announceNew', [String(atWarn.length - this.lastAnnounced)]);
      }
      this.lastAnnounced = atWarn.length;
      this.reposition();
      if (this.panelOpen) this.fillPanel();
    }

    reposition() {
      if (!this.overlay || this.checkedText === null) return;
      const clip = this.clipRect();
      const c = this.clip;
      Object.assign(c.style, { left: `${clip.left}px`, top: `${clip.top}px`, width: `${clip.width}px`, height: `${clip.height}px` });
      const frag = document.createDocumentFragment();
      for (const f of this.findings) {
        for (const r of this.rectsFor(f.start, f.end)) {
          if (r.width < 0.5 && r.height < 0.5) continue;
          const box = el('div', { class: `hl ${f.severity}`, 'data-rule': f.rule, 'data-category': f.category,
            'data-start': String(f.start), 'data-end': String(f.end) });
          box.style.left = `${r.left - clip.left}px`;
          box.style.top = `${r.top - clip.top}px`;
          box.style.width = `${r.width}px`;
          box.style.height = `${r.height}px`;
          frag.append(box);
        }
      }
      c.replaceChildren(frag);
      const count = Number(this.overlay.dataset.findings);
      const b = this.badge;
      b.hidden = count === 0 && !this.panelOpen;
      b.className = `badge ${this.overlay.dataset.severity}`;
      b.textContent = String(count);
      b.setAttribute('aria-label', count ? t('badgeLabel', [String(count)]) : t('badgeLabelNone'));
      const box = this.node.getBoundingClientRect();
      b.style.left = `${Math.max(0, box.right - 30)}px`;
      b.style.top = `${Math.max(0, box.bottom - 28)}px`;
      for (const p of [this.panel, this.dialog]) {
        if (p.hidden) continue;
        const below = box.bottom + 6;
        p.style.left = `${Math.max(4, Math.min(box.right - 340, innerWidth - 348))}px`;
        p.style.top = `${below + 200 < innerHeight ? below : Math.max(4, box.top - 206)}px`;
      }
    }

    // -- the panel --
    // An overlay showing its panel or dialog goes above the other composers' overlays.
    raise() {
      const up = this.panelOpen || !this.dialog.hidden;
      this.overlay.style.zIndex = up ? '2147483647' : '';
    }

    togglePanel(open = !this.panelOpen) {
      this.panelOpen = open;
      this.raise();
      this.panel.hidden = !open;
      this.badge.setAttribute('aria-expanded', String(open));
      if (open) {
        this.fillPanel();
        this.reposition();
        this.panel.querySelector('button')?.focus();
      } else {
        this.reposition();
      }
    }

    onBadgeKey(e) {
      if (e.key === 'Escape' && this.panelOpen) { e.preventDefault(); this.togglePanel(false); this.node.focus(); }
    }

    onPanelKey(e) {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.togglePanel(false);
        this.node.focus();
        return;
      }
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        const buttons = [...this.panel.querySelectorAll('button')];
        const i = buttons.indexOf(this.overlay.shadowRoot.activeElement);
        const next = buttons[(i + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length];
        if (next) { e.preventDefault(); next.focus(); }
      }
    }

    findingItem(f, withFixes) {
      const li = el('li', { 'data-rule': f.rule, 'data-category': f.category },
        el('div', { class: `sev ${f.severity}`, text: t(`severity_${f.severity}`) }),
        el('div', { class: 'msg', text: f.message }),
        f.policyRef ? el('div', { class: 'ref', text: t('policyClause', [f.policyRef]) }) : null);
      if (withFixes) {
        const actions = el('div', { class: 'actions' });
        if (f.fix) {
          actions.append(el('button', { class: 'act primary fix', type: 'button', 'data-fix': f.rule, text: f.fix.label,
            onclick: () => this.applyFix(f.fix.start, f.fix.end, f.fix.text) }));
        } else if (f.category !== 'disclaimer' && f.end > f.start) {
          actions.append(el('button', { class: 'act remove', type: 'button', 'data-remove': f.rule, text: t('fixRemove'),
            onclick: () => this.applyFix(f.start, f.end, '') }));
        }
        if (actions.childNodes.length) li.append(actions);
      }
      return li;
    }

    fillPanel() {
      const list = el('ul');
      for (const f of this.findings) list.append(this.findingItem(f, true));
      this.panel.replaceChildren(
        el('h2', { text: t('panelTitle') }),
        el('button', { class: 'act close', type: 'button', text: t('panelClose'), onclick: () => { this.togglePanel(false); this.node.focus(); } }),
        this.findings.length ? list : el('p', { text: t('panelEmpty') }));
    }

    // A fix goes through the editor's own input path, so the editor's state stays right and
    // Ctrl+Z undoes it: select the range, then insertText (which fires beforeinput/input).
    async applyFix(start, end, text) {
      const node = this.node;
      if (this.checkedText !== this.text()) return false;  // stale offsets: wait for the next check
      node.focus();
      if (this.kind === 'text') {
        node.setSelectionRange(start, end);
        let ok = false;
        try { ok = document.execCommand('insertText', false, text); } catch { ok = false; }
        if (!ok || node.value.slice(start, start + text.length) !== text) {
          if (!ok) {
            node.setRangeText(text, start, end, 'end');
            node.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
          }
        }
      } else {
        const range = editableRange(this.checkedModel, node, start, end);
        const sel = node.getRootNode().getSelection?.() || document.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        // Editors that keep their own selection (Lexical, Draft.js) pick it up from selectionchange,
        // which is a task: let it run before the insertion.
        await new Promise((r) => setTimeout(r, 0));
        await new Promise((r) => requestAnimationFrame(r));
        if (text) {
          // Rich editors (Lexical, Draft.js, ProseMirror, Quill) take multi-line text best as a
          // paste, which they turn into their own transaction (and undo step). When nothing on
          // the page handles the paste, the browser's own insertText does it (plain editables).
          let handled = false;
          if (text.includes('\n')) {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            handled = !node.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
          }
          if (!handled) document.execCommand('insertText', false, text);
        } else {
          document.execCommand('delete', false);
        }
      }
      this.togglePanel(false);
      this.schedule(true);
      return true;
    }

    // -- at Post --
    blocking() {
      const block = this.findings.filter((f) => f.severity === 'block');
      const confirm = this.findings.filter((f) => f.severity === 'confirm');
      return { block, confirm };
    }

    showDialog(kind, list) {
      return new Promise((resolve) => {
        this.dialogResolve = resolve;
        const items = el('ul');
        for (const f of list) items.append(this.findingItem(f, kind === 'block'));
        const buttons = el('div', { class: 'actions' });
        if (kind === 'confirm') {
          buttons.append(
            el('button', { class: 'act back', type: 'button', text: t('confirmBack'), onclick: () => this.closeDialog(false) }),
            el('button', { class: 'act primary post-anyway', type: 'button', text: t('confirmPost'), onclick: () => this.closeDialog(true) }));
        } else {
          buttons.append(el('button', { class: 'act primary back', type: 'button', text: t('blockBack'), onclick: () => this.closeDialog(false) }));
        }
        const title = el('h2', { id: 'pg-dialog-title', text: t(kind === 'confirm' ? 'confirmTitle' : 'blockTitle') });
        this.dialog.replaceChildren(title, el('p', { text: t(kind === 'confirm' ? 'confirmBody' : 'blockBody') }), items, buttons);
        this.dialog.setAttribute('aria-labelledby', 'pg-dialog-title');
        this.dialog.dataset.kind = kind;
        this.dialog.hidden = false;
        this.raise();
        this.overlay.dataset.dialog = kind;
        this.reposition();
        this.dialog.querySelector('button.back')?.focus();
      });
    }

    closeDialog(result) {
      this.dialog.hidden = true;
      this.raise();
      delete this.overlay.dataset.dialog;
      const r = this.dialogResolve;
      this.dialogResolve = null;
      if (!result) this.node.focus();
      r?.(result);
    }
  }

  const overlayOwners = new WeakMap();

  function deepActive() {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a;
  }

  // ---- finding composers ------------------------------------------------------------------------
  const CANDIDATES = 'textarea, input[type="text"], input:not([type]), [contenteditable]:not([contenteditable="false"]), [role="textbox"]';

  function editingHost(node) {
    if (node instanceof HTMLTextAreaElement) return node.readOnly || node.disabled ? null : node;
    if (node instanceof HTMLInputElement) {
      const type = (node.getAttribute('type') || 'text').toLowerCase();
      return type === 'text' && !node.readOnly && !node.disabled ? node : null;
    }
    if (!(node instanceof HTMLElement)) return null;
    if (!node.isContentEditable) {
      if (node.getAttribute('role') === 'textbox') {
        const inner = node.querySelector('[contenteditable]:not([contenteditable="false"]), textarea');
        return inner ? editingHost(inner) : null;
      }
      return null;
    }
    let top = node;
    while (top.parentElement && top.parentElement.isContentEditable) top = top.parentElement;
    return top;
  }

  function consider(node) {
    if (conn.dead) return;
    const h = editingHost(node);
    if (!h || byElement.has(h) || h.closest('postguard-overlay')) return;
    new Composer(h);
  }

  const discovery = {
    observers: [],
    queue: new Set(),
    timer: 0,
    observe(root) {
      if (root.__pgObserved) return;
      root.__pgObserved = true;
      const mo = new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'attributes') { this.queue.add(r.target); continue; }
          for (const n of r.addedNodes) if (n.nodeType === 1 && n.localName !== 'postguard-overlay') this.queue.add(n);
        }
        if (this.queue.size && !this.timer) this.timer = setTimeout(() => this.flush(), 50);
      });
      mo.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['contenteditable', 'role'] });
      this.observers.push(mo);
    },
    flush() {
      this.timer = 0;
      const nodes = [...this.queue];
      this.queue.clear();
      for (const n of nodes) if (n.isConnected) scan(n);
      // Composers whose element left the page.
      for (const c of [...composers]) if (!c.node.isConnected) c.destroy();
    },
    stop() {
      for (const mo of this.observers) mo.disconnect();
      this.observers = [];
      clearTimeout(this.timer);
    },
  };

  function scan(root) {
    if (root.nodeType === 1) {
      if (root.localName === 'postguard-overlay') return;
      if (root.matches(CANDIDATES)) consider(root);
      if (root.shadowRoot) { discovery.observe(root.shadowRoot); scan(root.shadowRoot); }
    }
    if (!root.querySelectorAll) return;
    for (const n of root.querySelectorAll(CANDIDATES)) consider(n);
    // Open shadow roots below this node.
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.shadowRoot && n.localName !== 'postguard-overlay') { discovery.observe(n.shadowRoot); scan(n.shadowRoot); }
    }
  }

  // Focus anywhere (even in a shadow root added in a way we did not see) finds the composer.
  document.addEventListener('focusin', (e) => {
    const target = e.composedPath()[0];
    if (target instanceof Element && !overlayOwners.has(target)) {
      const h = editingHost(target);
      if (h && !byElement.has(h)) consider(h);
    }
  }, true);

  // ---- at Post --------------------------------------------------------------------------------
  function composerForButton(button) {
    for (const c of composers) {
      if (!c.overlay) continue;
      if (!c.postButton || !c.postButton.isConnected) c.postButton = findPostButton(c.node);
      if (c.postButton && (c.postButton === button || c.postButton.contains(button))) return c;
    }
    return null;
  }

  function composerForNode(node) {
    for (let n = node; n; n = n.parentNode || n.host) {
      const c = byElement.get(n);
      if (c) return c;
    }
    return null;
  }

  // Decides whether a post may go ahead; `retrigger` repeats it after "post anyway".
  async function gate(c, retrigger) {
    const findings = await c.fresh();
    const block = findings.filter((f) => f.severity === 'block');
    const confirm = findings.filter((f) => f.severity === 'confirm');
    if (block.length) {
      await c.showDialog('block', block);
      return;
    }
    if (confirm.length) {
      const go = await c.showDialog('confirm', confirm);
      if (!go) return;
    }
    c.bypass = true;
    try { retrigger(); } finally { c.bypass = false; }
  }

  function needsGate(c) {
    if (c.bypass) return false;
    // Up-to-date findings with nothing at confirm/block: let the event through untouched.
    if (!c.inflight && c.checkedText !== null && c.checkedText === c.text()) {
      return c.findings.some((f) => f.severity === 'block' || f.severity === 'confirm');
    }
    return c.overlay !== null;
  }

  function stop(e) {
    e.preventDefault();
    e.stopImmediatePropagation();
  }

  window.addEventListener('click', (e) => {
    if (conn.dead || !composers.size) return;
    const target = e.composedPath()[0];
    if (!(target instanceof Element) || overlayOwners.has(target.getRootNode()?.host)) return;
    const button = target.closest('button, [role="button"], input[type="submit"]');
    if (!button) return;
    const c = composerForButton(button);
    if (!c || !needsGate(c)) return;
    stop(e);
    gate(c, () => button.click());
  }, true);

  window.addEventListener('keydown', (e) => {
    if (conn.dead || e.key !== 'Enter' || e.isComposing || e.shiftKey) return;
    const c = composerForNode(e.composedPath()[0]);
    if (!c) return;
    const modifier = e.ctrlKey || e.metaKey;
    const plainSends = adapter.enterSends || c.node instanceof HTMLInputElement;
    if (!modifier && !plainSends) return;
    if (!needsGate(c)) return;
    stop(e);
    const init = { key: 'Enter', code: 'Enter', keyCode: 13, which: 13, ctrlKey: e.ctrlKey, metaKey: e.metaKey,
      bubbles: true, cancelable: true, composed: true };
    gate(c, () => {
      const form = c.node.form || c.node.closest?.('form');
      const ev = new KeyboardEvent('keydown', init);
      const notCancelled = c.node.dispatchEvent(ev);
      if (notCancelled && c.node instanceof HTMLInputElement && form) form.requestSubmit();
    });
  }, true);

  window.addEventListener('submit', (e) => {
    if (conn.dead) return;
    const form = e.target;
    const c = [...composers].find((x) => x.overlay && (x.node.form === form || form.contains(x.node)));
    if (!c || !needsGate(c)) return;
    stop(e);
    gate(c, () => form.requestSubmit(e.submitter || undefined));
  }, true);

  // ---- scroll and resize move the highlights ------------------------------------------------
  let frame = 0;
  function repositionAll() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      for (const c of composers) if (c.overlay && c.checkedText !== null) c.reposition();
    });
  }
  window.addEventListener('scroll', repositionAll, { capture: true, passive: true });
  window.addEventListener('resize', repositionAll, { passive: true });

  // ---- start ------------------------------------------------------------------------------------
  discovery.observe(document);
  scan(document.documentElement || document);
})();
