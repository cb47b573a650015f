// The overlay: one <postguard-overlay> per composer (open shadow root, appended to <html>, never
// inside the editor) holding the highlight boxes, the badge, the panel and the Post dialog.
import { SEVERITY_RANK, overlayOwners, t } from './registry.js';
import { el } from './dom.js';
import { editableRange } from './text-model.js';

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

// Composer methods (mixed into Composer.prototype by composer.js).
export class OverlayMethods {
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
  // Layout is read in one phase and written in the next (measure(), then draw()): interleaving
  // style writes with rect reads forced one layout per finding (thrash on long drafts).
  rectsFor(start, end, g) {
    if (this.kind === 'editable') {
      const model = this.checkedModel;
      if (!model) return [];
      return [...editableRange(model, this.node, start, end).getClientRects()];
    }
    return this.mirrorRects(start, end, g);
  }

  // The mirror copies the textarea's text and text styles, so ranges in it give the positions
  // of the textarea's characters. Styles and text are written only when they change.
  syncMirror(cs) {
    const ta = this.node;
    const m = this.mirror;
    const isInput = ta instanceof HTMLInputElement;
    const padX = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
    const width = Math.max(0, ta.clientWidth - padX);
    const key = MIRROR_PROPS.map((p) => cs[p]).join('|') + '|' + width + '|' + isInput;
    if (key !== this.mirrorKey) {
      this.mirrorKey = key;
      for (const p of MIRROR_PROPS) m.style[p] = cs[p];
      m.style.boxSizing = 'content-box';
      m.style.border = '0';
      m.style.whiteSpace = isInput ? 'pre' : 'pre-wrap';
      if (!isInput) m.style.overflowWrap = cs.overflowWrap === 'normal' ? 'break-word' : cs.overflowWrap;
      m.style.width = `${width}px`;
      m.style.height = 'auto';
    }
    const value = this.checkedText ?? '';
    if (this.mirrorText !== value) {
      m.textContent = value + ' ';  // a trailing space keeps a final empty line measurable
      this.mirrorText = value;
    }
  }

  mirrorRects(start, end, g) {
    const node = this.mirror.firstChild;
    if (!node) return [];
    const len = this.mirrorText.length;
    const r = document.createRange();
    r.setStart(node, Math.min(start, len));
    r.setEnd(node, Math.min(end, len));
    return [...r.getClientRects()].map((q) => new DOMRect(q.left + g.dx, q.top + g.dy, q.width, q.height));
  }

  // Everything reposition() needs from layout, read in one go (one forced layout at most).
  measure() {
    const box = this.node.getBoundingClientRect();
    const g = { box, clip: box, dx: 0, dy: 0, rects: [] };
    if (this.kind === 'text') {
      const ta = this.node;
      const cs = getComputedStyle(ta);
      this.syncMirror(cs);   // writes only into our own shadow root, and only on change
      const bl = parseFloat(cs.borderLeftWidth), bt = parseFloat(cs.borderTopWidth);
      const origin = this.mirror.getBoundingClientRect();
      g.dx = box.left + bl - ta.scrollLeft - origin.left;
      g.dy = box.top + bt - ta.scrollTop - origin.top;
      g.clip = new DOMRect(box.left + bl, box.top + bt, ta.clientWidth, ta.clientHeight);
    }
    for (const f of this.findings) g.rects.push(this.rectsFor(f.start, f.end, g));
    return g;
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
    const g = this.measure();
    // -- write phase: no layout reads below this line --
    const clip = g.clip;
    const c = this.clip;
    const clipCss = `left:${clip.left}px;top:${clip.top}px;width:${clip.width}px;height:${clip.height}px`;
    if (c.__pgCss !== clipCss) { c.__pgCss = clipCss; c.style.cssText = clipCss; }
    // Boxes are reused and only changed where they differ: rebuilding every box on every check
    // was most of the content script's time per keystroke on a long draft.
    const specs = [];
    this.findings.forEach((f, i) => {
      for (const r of g.rects[i]) {
        if (r.width < 0.5 && r.height < 0.5) continue;
        specs.push({ f, css: `left:${r.left - clip.left}px;top:${r.top - clip.top}px;width:${r.width}px;height:${r.height}px`,
          key: `${f.severity} ${f.rule} ${f.category} ${f.start} ${f.end}` });
      }
    });
    const boxes = c.children;
    while (boxes.length > specs.length) boxes[boxes.length - 1].remove();
    const added = document.createDocumentFragment();
    specs.forEach((s, i) => {
      let box = boxes[i];
      if (!box) { box = document.createElement('div'); added.append(box); }
      if (box.__pgKey !== s.key) {
        box.__pgKey = s.key;
        box.className = `hl ${s.f.severity}`;
        box.dataset.rule = s.f.rule;
        box.dataset.category = s.f.category;
        box.dataset.start = String(s.f.start);
        box.dataset.end = String(s.f.end);
      }
      if (box.__pgCss !== s.css) { box.__pgCss = s.css; box.style.cssText = s.css; }
    });
    if (added.childNodes.length) c.append(added);
    const count = Number(this.overlay.dataset.findings);
    const b = this.badge;
    const badgeKey = `${count} ${this.overlay.dataset.severity} ${this.panelOpen}`;
    if (b.__pgKey !== badgeKey) {
      b.__pgKey = badgeKey;
      b.hidden = count === 0 && !this.panelOpen;
      b.className = `badge ${this.overlay.dataset.severity}`;
      b.textContent = String(count);
      b.setAttribute('aria-label', count ? t('badgeLabel', [String(count)]) : t('badgeLabelNone'));
    }
    const box = g.box;
    b.style.left = `${Math.max(0, box.right - 30)}px`;
    b.style.top = `${Math.max(0, box.bottom - 28)}px`;
    for (const p of [this.panel, this.dialog]) {
      if (p.hidden) continue;
      const below = box.bottom + 6;
      p.style.left = `${Math.max(4, Math.min(box.right - 340, innerWidth - 348))}px`;
      p.style.top = `${below + 200 < innerHeight ? below : Math.max(4, box.top - 206)}px`;
    }
  }
}
