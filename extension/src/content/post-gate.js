// At Post: a click on the site's Post/Send control, a form submit, Ctrl/Cmd+Enter (or Enter where
// the site sends on Enter) waits for up-to-date findings; confirm asks, block stops.
import { composers, byElement, overlayOwners } from './registry.js';
import { conn } from './connection.js';
import { getAdapter, findPostButton } from './adapters.js';

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

export function watchPosts() {
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
    let plainSends = c.node instanceof HTMLInputElement;
    try { plainSends ||= !!getAdapter().enterSends?.(c.node); } catch { /* optional */ }
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
}
