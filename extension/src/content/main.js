// PostGuard content script: finds composers, sends their text to the service worker's engine
// over a port, draws highlights in a <postguard-overlay> outside the editor's DOM, offers fixes
// through the editor's own input path, and steps in at Post for confirm/block findings.
// Bundled into content.js by extension/build.mjs (esbuild, one IIFE: content scripts are not
// modules).
//
// Rules kept here: never write into the editor's DOM except through the editor's own input path
// (execCommand insertText) when staff pick a fix; never log draft text; no work while idle (no
// timers or polling — only input, mutation, focus, scroll and resize events wake this script).
import { composers } from './registry.js';
import { whenOrphaned } from './connection.js';
import { discovery, scan, watchFocus } from './discovery.js';
import { watchPosts } from './post-gate.js';

if (!globalThis.__postguardContent) {   // once per frame, even if injected twice
  globalThis.__postguardContent = true;
  whenOrphaned(() => discovery.stop());
  watchFocus();
  watchPosts();
  // Scroll and resize move the highlights (one reposition per frame at most).
  let frame = 0;
  const repositionAll = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      for (const c of composers) if (c.overlay && c.checkedText !== null) c.reposition();
    });
  };
  window.addEventListener('scroll', repositionAll, { capture: true, passive: true });
  window.addEventListener('resize', repositionAll, { passive: true });
  discovery.observe(document);
  scan(document.documentElement || document);
}
