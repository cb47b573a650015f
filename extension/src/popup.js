// Popup and options page: which policy source is in force, the school, and any policy problems;
// in the popup, a per-site pause toggle, shown only when the policy in force allows pausing.
const t = (k, s) => chrome.i18n.getMessage(k, s) || k;
for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
document.documentElement.lang = chrome.i18n.getUILanguage();
const isOptions = !!document.querySelector('main.options');
if (isOptions) document.title = t('optionsTitle');

// The site of the tab this popup is about: `?tab=ID` when opened for a given tab (tests, or a
// page that links here), otherwise the active tab of the last focused browser window. The same
// host form as the content script's (no leading "www.").
async function currentSite() {
  try {
    const id = Number(new URLSearchParams(location.search).get('tab'));
    let tab = null;
    if (id) tab = await chrome.tabs.get(id);
    else [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    const url = new URL(tab?.url || '');
    return /^https?:$/.test(url.protocol) ? url.hostname.replace(/^www\./, '') : '';
  } catch {
    return '';
  }
}

const sitePromise = isOptions ? Promise.resolve('') : currentSite();

async function show() {
  const site = await sitePromise;
  const s = await chrome.runtime.sendMessage({ type: 'status', site });
  const main = document.getElementById('status');
  main.dataset.source = s.source;
  main.dataset.school = s.school;
  main.dataset.problems = String((s.problems || []).length);
  document.getElementById('source').textContent = t(`source_${s.source}`);
  document.getElementById('school').textContent = s.school || t('popupNoSchool');
  const p = document.getElementById('problems');
  p.replaceChildren();
  if (!s.problems || !s.problems.length) p.textContent = t('popupNoProblems');
  for (const pr of s.problems || []) {
    const div = document.createElement('div');
    div.className = 'problem';
    div.textContent = [pr.code, pr.message, pr.file && `(${pr.file}${pr.pointer ? ' ' + pr.pointer : ''})`].filter(Boolean).join(' ');
    p.append(div);
  }
  document.getElementById('engine').textContent = s.engineVersion || (s.error && s.error.message) || '';
  // Pause: only what the policy allows. Not allowed (or no web site in the tab): no toggle at all.
  // (The options page has none: pausing is about the site in the tab.)
  const pause = document.getElementById('pause');
  if (!pause) return;
  pause.hidden = !(s.allowSitePause && site);
  if (!pause.hidden) {
    document.getElementById('pause-label').textContent = t('popupPause', [site]);
    document.getElementById('pause-toggle').checked = s.paused === true;
  }
  main.dataset.pause = pause.hidden ? 'unavailable' : s.paused ? 'paused' : 'on';
}

document.getElementById('pause-toggle')?.addEventListener('change', async (e) => {
  const site = await sitePromise;
  const r = await chrome.runtime.sendMessage({ type: 'setPause', site, paused: e.target.checked });
  if (r?.type !== 'pause') e.target.checked = false;
  show();
});

document.getElementById('reload').addEventListener('click', async () => {
  await chrome.runtime.sendMessage({ type: 'reloadPolicy' });
  show();
});
show();
