// Finding composers: textarea, text inputs, contenteditable and role=textbox, in open shadow roots
// and (with all_frames) same-origin iframes, including ones added later (MutationObserver, focus).
import { composers, byElement, overlayOwners } from './registry.js';
import { conn } from './connection.js';
import { Composer } from './composer.js';

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

export const discovery = {
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

export function scan(root) {
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
export function watchFocus() {
  document.addEventListener('focusin', (e) => {
    const target = e.composedPath()[0];
    if (target instanceof Element && !overlayOwners.has(target)) {
      const h = editingHost(target);
      if (h && !byElement.has(h)) consider(h);
    }
  }, true);
}
