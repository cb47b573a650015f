// PostGuard service worker: runs the WebAssembly engine (content scripts cannot on strict-CSP
// pages), keeps the compiled policy, and answers check requests from content scripts over ports.
//
// Policy source order: chrome.storage.managed (`policy` object or `policyJson`, plus `school`)
// -> the native host's getPolicy (org.postguard.host) -> the engine's built-in baseline.
// Changes apply live: storage.onChanged (managed) and the host's policyChanged push both reload the
// policy and tell every connected content script to re-check.
//
// Never logs draft text: check requests carry it, nothing here prints a request.
import { createEngine } from './engine/postguard-engine.mjs';

const HOST = 'org.postguard.host';
const HOST_TIMEOUT_MS = 3000;

const state = {
  source: 'baseline',      // managed | native | baseline
  school: '',
  disclaimer: '',
  problems: [],            // [{code?, message, file?, pointer?, from}]
  officialAccounts: [],
  allowSitePause: false,
  loadedAt: 0,
  revision: 0,
  engineVersion: '',
  error: null,             // the engine failed to start
};

// Sites where staff paused checks (chrome.storage.local), honoured only while the policy in
// force allows it (managed `allowSitePause`): revoking the permission resumes checks at once.
let pausedSites = new Set();
const pausedLoaded = chrome.storage.local.get('pausedSites').then((v) => {
  pausedSites = new Set(Array.isArray(v.pausedSites) ? v.pausedSites : []);
}, () => {});

let engine = null;
const ports = new Set();
let hostPort = null;       // the subscribed native host port (live policyChanged)
let hostEtag = null;

// ---- listeners: registered synchronously at the top level so a restarted worker gets events ----
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'postguard-check') return;
  ports.add(port);
  port.onDisconnect.addListener(() => ports.delete(port));
  port.onMessage.addListener((msg) => { onPortMessage(port, msg); });
});

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || typeof msg !== 'object') return false;
  if (msg.type === 'status') {
    const reply = () => ({ ...statusReply(), ...(typeof msg.site === 'string' ? { site: msg.site, paused: isPaused(msg.site) } : {}) });
    Promise.all([ready, pausedLoaded]).then(() => sendResponse(reply()), (e) => sendResponse({ ...reply(), error: String(e && e.message || e) }));
    return true;
  }
  if (msg.type === 'setPause') {
    setPause(String(msg.site || ''), msg.paused === true).then(sendResponse);
    return true;
  }
  if (msg.type === 'reloadPolicy') {
    reload('request').then(() => sendResponse(statusReply()));
    return true;
  }
  return false;
});

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed') reload('managed-changed');
  if (area === 'local' && changes.pausedSites) {
    pausedSites = new Set(Array.isArray(changes.pausedSites.newValue) ? changes.pausedSites.newValue : []);
    broadcast({ type: 'policyChanged', revision: state.revision, why: 'pause' });
  }
});

async function setPause(site, paused) {
  await ready.catch(() => {});
  await pausedLoaded;
  if (!site) return { type: 'error', error: { code: 'pause-no-site', message: 'no site to pause' } };
  if (!state.allowSitePause) {
    return { type: 'error', error: { code: 'pause-not-allowed',
      message: 'your school\'s policy does not let staff pause checks (managed setting allowSitePause)' } };
  }
  const next = new Set(pausedSites);
  if (paused) next.add(site); else next.delete(site);
  await chrome.storage.local.set({ pausedSites: [...next].sort() });
  pausedSites = next;
  return { type: 'pause', site, paused: isPaused(site) };
}

function isPaused(site) {
  return state.allowSitePause && !!site && pausedSites.has(site);
}

let ready = start();

async function start() {
  const t0 = performance.now();
  const prefetched = prefetchPolicy();
  try {
    engine = await createEngine();
    state.engineVersion = engine.version;
  } catch (e) {
    state.error = errorInfo(e, 'engine');
    throw e;
  }
  await loadBestPolicy(prefetched);
  state.loadedAt = Date.now();
  state.startMs = Math.round(performance.now() - t0);
  // After the checks already waiting on `ready` (a timer runs after their promise jobs): ICU's
  // regex start-up and V8's compile of the check path, so the first draft does not pay them.
  setTimeout(() => {
    try {
      engine.warmUp();
    } catch {
      // an engine that cannot warm up reports itself on the next check
    }
  }, 0);
}

// The policy is read (managed storage, else the native host) while the engine starts, so the host's
// round trip overlaps the engine's compile instead of following it. The host is asked only when
// managed storage holds no policy, as loadBestPolicy would.
function prefetchPolicy() {
  const managed = readManaged();
  const host = managed.then((m) => (managedPolicyOf(m) === null ? hostGetPolicy() : null));
  host.catch(() => {});  // awaited (and its failure recorded) in loadBestPolicy
  return { managed, host };
}

function managedPolicyOf(managed) {
  if (managed.policy && typeof managed.policy === 'object') return managed.policy;
  if (typeof managed.policyJson === 'string' && managed.policyJson.trim()) return managed.policyJson;
  return null;
}

async function reload(why) {
  try { await ready; } catch { ready = start(); return ready.catch(() => {}); }
  ready = (async () => {
    await loadBestPolicy();
    state.loadedAt = Date.now();
  })();
  try { await ready; } catch { /* recorded in state */ }
  broadcast({ type: 'policyChanged', revision: state.revision, why });
}

function broadcast(msg) {
  for (const port of ports) {
    try { port.postMessage(msg); } catch { ports.delete(port); }
  }
}

function errorInfo(e, from) {
  const out = { message: String(e && e.message || e), from };
  if (e && e.code !== undefined) out.code = e.code;
  if (e && e.file) out.file = e.file;
  if (e && e.pointer) out.pointer = e.pointer;
  return out;
}

async function readManaged() {
  try {
    return await chrome.storage.managed.get(null);
  } catch {
    return {};   // no managed storage on this browser / profile
  }
}

function officialFrom(layers) {
  const out = [];
  for (const layer of layers) {
    try {
      const doc = typeof layer.json === 'string' ? JSON.parse(layer.json) : layer.json;
      if (!doc || typeof doc !== 'object') continue;
      // The employer's own accounts: `officialAccounts`, and the handles the bundle lists for the
      // trust and each school (posting from one of those is posting as the school).
      const lists = [doc.officialAccounts, doc.organisation?.handles];
      for (const s of Array.isArray(doc.schools) ? doc.schools : []) lists.push(s?.handles, s?.officialAccounts);
      for (const l of lists) if (Array.isArray(l)) out.push(...l.filter((h) => typeof h === 'string'));
    } catch { /* the engine reports it */ }
  }
  return out;
}

// `prefetched`: what prefetchPolicy() started (at worker start); later reloads read afresh.
async function loadBestPolicy(prefetched = null) {
  const problems = [];
  const managed = await (prefetched ? prefetched.managed : readManaged());
  const managedSchool = typeof managed.school === 'string' ? managed.school : null;
  state.allowSitePause = managed.allowSitePause === true;

  // 1. Managed storage (Google Admin console, GPO/Intune 3rdparty, /etc/chromium/policies/managed).
  const managedPolicy = managedPolicyOf(managed);
  if (managedPolicy !== null) {
    const layers = [{ name: 'managed:policy', json: managedPolicy }];
    try {
      const r = engine.loadPolicy(layers, managedSchool ?? '');
      closeHost();
      return settle('managed', r, problems, officialFrom(layers));
    } catch (e) {
      problems.push(errorInfo(e, 'managed'));
    }
  }

  // 2. The native host (machine policy files, registry, managed preferences).
  // (The prefetch did not ask the host when managed storage had a policy: that one failed to load.)
  const asked = prefetched ? prefetched.host.then((r) => r ?? hostGetPolicy()) : hostGetPolicy();
  const reply = await asked.catch((e) => {
    problems.push({ message: String(e.message || e), from: 'native', code: 'host-unavailable' });
    return null;
  });
  if (reply && reply.type === 'policy') {
    for (const p of reply.problems || []) problems.push({ ...p, from: 'native' });
    if (reply.basis !== 'baseline' && Array.isArray(reply.sources) && reply.sources.length) {
      try {
        const school = managedSchool ?? reply.school ?? '';
        const r = engine.loadPolicy(reply.sources, school);
        return settle('native', r, problems, officialFrom(reply.sources));
      } catch (e) {
        problems.push(errorInfo(e, 'native'));
      }
    }
  }

  // 3. The baseline built into the engine.
  try {
    const r = engine.loadPolicy([], '');
    return settle('baseline', r, problems, []);
  } catch (e) {
    problems.push(errorInfo(e, 'baseline'));
    state.problems = problems;
    throw e;
  }
}

function settle(source, loaded, problems, officialAccounts) {
  state.source = source;
  state.school = loaded.school || '';
  state.disclaimer = loaded.disclaimer || '';
  state.problems = problems;
  state.officialAccounts = officialAccounts;
  state.revision++;
}

// ---- native host ------------------------------------------------------------------------------
function closeHost() {
  if (hostPort) { try { hostPort.disconnect(); } catch { /* gone */ } }
  hostPort = null;
}

// getPolicy on a long-lived, subscribed port (opened on first use), so the host can push
// policyChanged. Resolves with the full reply (chunks reassembled), rejects when there is no host.
function hostGetPolicy() {
  return new Promise((resolve, reject) => {
    let port = hostPort;
    const fresh = !port;
    if (fresh) {
      try {
        port = chrome.runtime.connectNative(HOST);
      } catch (e) {
        reject(e);
        return;
      }
      hostPort = port;
      port.__pending = new Map();
      port.__parts = new Map();
      port.onMessage.addListener((m) => onHostMessage(port, m));
      port.onDisconnect.addListener(() => {
        const why = chrome.runtime.lastError?.message || 'the native host closed';
        if (hostPort === port) hostPort = null;
        for (const { reject: rj } of port.__pending.values()) rj(new Error(why));
        port.__pending.clear();
      });
      port.postMessage({ type: 'subscribe', id: 'sub' });
    }
    const id = `gp-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const timer = setTimeout(() => {
      port.__pending.delete(id);
      reject(new Error('the native host did not answer in time'));
    }, HOST_TIMEOUT_MS);
    port.__pending.set(id, {
      resolve: (m) => { clearTimeout(timer); resolve(m); },
      reject: (e) => { clearTimeout(timer); reject(e); },
    });
    port.postMessage({ type: 'getPolicy', id });
  });
}

function onHostMessage(port, m) {
  if (m && m.type === 'chunk') {
    const parts = port.__parts.get(m.id) || [];
    parts[m.part] = m.data;
    port.__parts.set(m.id, parts);
    if (parts.filter((p) => p !== undefined).length < m.parts) return;
    port.__parts.delete(m.id);
    m = JSON.parse(parts.join(''));
  }
  if (!m) return;
  if (m.type === 'policyChanged') {
    if (state.source !== 'managed') reload('native-changed');
    return;
  }
  const pending = port.__pending.get(m.id);
  if (pending) {
    port.__pending.delete(m.id);
    if (m.type === 'error') pending.reject(new Error(`native host error ${m.code}: ${m.message}`));
    else pending.resolve(m);
  }
  if (m.etag) hostEtag = m.etag;
}

// ---- checks -----------------------------------------------------------------------------------
async function onPortMessage(port, msg) {
  if (!msg || msg.type !== 'check') return;
  try {
    await ready;
    await pausedLoaded;
    const context = sanitizeContext(msg.context);
    if (isPaused(context.site)) {
      port.postMessage({ type: 'paused', id: msg.id, seq: msg.seq, site: context.site });
      return;
    }
    const t0 = performance.now();
    const findings = engine.check(String(msg.text ?? ''), context);
    const ms = performance.now() - t0;
    port.postMessage({
      type: 'findings', id: msg.id, seq: msg.seq, findings, ms,
      context: { site: context.site, surface: context.surface, account: context.account || 'personal' },
      revision: state.revision, disclaimer: state.disclaimer, school: state.school, source: state.source,
    });
  } catch (e) {
    // The error never quotes the draft (the core guarantees it; we add nothing from msg.text).
    try {
      port.postMessage({ type: 'error', id: msg.id, seq: msg.seq, error: errorInfo(e, 'check') });
    } catch { /* port closed */ }
    if (e && e.code === 91) { engine = null; ready = start(); }
  }
}

const SURFACES = new Set(['post', 'comment', 'dm', 'bio']);
function sanitizeContext(c) {
  const out = {};
  if (!c || typeof c !== 'object') return out;
  if (typeof c.site === 'string') out.site = c.site.slice(0, 253);
  if (SURFACES.has(c.surface)) out.surface = c.surface;
  if (c.account === 'official' || c.account === 'personal') out.account = c.account;
  if (typeof c.handle === 'string' && state.officialAccounts.some((h) => h.toLowerCase() === c.handle.toLowerCase())) {
    out.account = 'official';
  }
  if (Number.isInteger(c.images) && c.images >= 0) out.images = c.images;
  if (typeof c.time === 'string') out.time = c.time;
  return out;
}

function statusReply() {
  return {
    type: 'status',
    source: state.source,
    school: state.school,
    disclaimer: state.disclaimer,
    problems: state.problems,
    revision: state.revision,
    engineVersion: state.engineVersion,
    allowSitePause: state.allowSitePause,
    loadedAt: state.loadedAt,
    startMs: state.startMs,
    error: state.error,
    hostEtag,
  };
}

// For tests and diagnostics from the worker's console (never includes drafts).
globalThis.postguardStatus = async () => { await ready.catch(() => {}); return statusReply(); };
