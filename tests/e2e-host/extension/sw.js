// Test-only service worker: the calls the end-to-end test makes through
// Playwright's worker.evaluate. Mirrors what the real extension must do:
// reassemble `chunk` messages, and keep a port open for `policyChanged`.
const HOST = 'org.postguard.host';

// One request on a fresh port (so the browser starts the host each time),
// resolving with the complete reply once all chunks are in.
function request(message) {
  return new Promise((resolve, reject) => {
    const port = chrome.runtime.connectNative(HOST);
    const parts = [];
    port.onMessage.addListener((m) => {
      if (m.type === 'chunk') {
        parts[m.part] = m.data;
        if (parts.filter((p) => p !== undefined).length < m.parts) return;
        m = JSON.parse(parts.join(''));
      }
      port.disconnect();
      resolve(m);
    });
    port.onDisconnect.addListener(() => reject(new Error(chrome.runtime.lastError?.message || 'host disconnected')));
    port.postMessage(message);
  });
}

// getPolicy timed from connectNative (host start included) to the full reply.
// With `etag` (from an earlier reply) the host answers notModified when the
// files are unchanged, without compiling: what the extension does at start-up
// with the policy it cached.
globalThis.timedGetPolicy = async (etag) => {
  const start = performance.now();
  const reply = await request(etag ? {type: 'getPolicy', id: 1, ifNoneMatch: etag} : {type: 'getPolicy', id: 1});
  return {ms: performance.now() - start, reply};
};

globalThis.hello = () => request({type: 'hello', id: 'h'});

// A long-lived subscription: pushes land in `events`; getPolicy on the same port.
const sub = {port: null, events: [], replies: [], disconnected: null};
globalThis.subscribe = () => new Promise((resolve) => {
  sub.port = chrome.runtime.connectNative(HOST);
  sub.port.onMessage.addListener((m) => {
    if (m.type === 'subscribed') resolve(m);
    else if (m.type === 'policyChanged') sub.events.push(m);
    else sub.replies.push(m);
  });
  sub.port.onDisconnect.addListener(() => { sub.disconnected = chrome.runtime.lastError?.message || 'closed'; });
  sub.port.postMessage({type: 'subscribe', id: 'sub'});
});
globalThis.subscription = () => ({events: sub.events, replies: sub.replies, disconnected: sub.disconnected});
globalThis.getPolicyOnSubscription = () => sub.port.postMessage({type: 'getPolicy', id: 'again'});
