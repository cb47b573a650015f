// A composer's text as the engine sees it, and the way back from text offsets to DOM ranges.

const BLOCK = new Set(['ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION',
  'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL',
  'P', 'PRE', 'SECTION', 'TABLE', 'TR', 'UL']);
const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);

// Text of a contenteditable as the engine sees it, with segments mapping offsets to text nodes.
export function readEditable(root) {
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

export function editableRange(model, root, start, end) {
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
