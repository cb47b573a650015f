// State shared by the content script's modules: the composers being checked, and the overlays
// (so our own elements are never taken for composers or Post buttons).
export const SEVERITY_RANK = { info: 0, warn: 1, confirm: 2, block: 3 };
export const composers = new Set();
export const byElement = new WeakMap();   // editing host -> Composer
export const overlayOwners = new WeakMap(); // <postguard-overlay> -> Composer

export const t = (key, subs) => {
  try { return chrome.i18n.getMessage(key, subs) || key; } catch { return key; }
};
