// Generated and fuzzed drafts for the differential tests: corpus texts mutated the ways real
// posts and evasions look (look-alike letters, zero-width and combining characters, full-width
// forms, emoji ZWJ sequences, spaced letters, other scripts), plain random Unicode, and huge
// inputs. Deterministic for a seed.
import { readFileSync } from 'node:fs';

export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {  // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (arr) => arr[int(arr.length)];
  return { next, int, pick, chance: (p) => next() < p };
}

// Latin letter -> look-alikes (Cyrillic, Greek, Latin extensions, math alphanumerics).
const LOOKALIKE = {
  a: ['а', 'ɑ', 'α', '𝐚', 'ａ'], c: ['с', 'ϲ', 'ⅽ'], e: ['е', 'ҽ', '℮', 'ｅ'], i: ['і', 'ı', 'ⅰ', 'ι'],
  o: ['о', 'ο', 'օ', '૦', '𝗈', '0'], p: ['р', 'ρ', '𝐩'], s: ['ѕ', 'ꜱ', '$'], x: ['х', 'ⅹ'], y: ['у', 'ү'],
  h: ['һ', 'ℎ'], j: ['ј'], k: ['κ'], l: ['ⅼ', 'ǀ', '1', 'I'], n: ['ո', 'ռ'], t: ['т'], u: ['υ', 'ս'],
  A: ['А', 'Α', 'Ａ'], B: ['В', 'Β'], C: ['С', 'Ϲ'], E: ['Е', 'Ε'], H: ['Н', 'Η'], I: ['І', 'Ι', 'l'],
  K: ['К', 'Κ'], M: ['М', 'Μ'], N: ['Ν'], O: ['О', 'Ο', '0'], P: ['Р', 'Ρ'], T: ['Т', 'Τ'], X: ['Х', 'Χ'],
  Y: ['Υ', 'Ү'], S: ['Ѕ'], D: ['Ꭰ'], G: ['Ԍ'],
};
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\ufeff', '\u180e', '\u034f', '\ufe0f', '\ufe0e',
  '\u{e0061}', '\u202e', '\u202c', '\u061c'];
const COMBINING = ['\u0301', '\u0300', '\u0308', '\u0327', '\u0335', '\u0336', '\u0338', '\u20dd', '\u0489', '\u05b4',
  '\u093c', '\u0e31', '\u302a'];
const EMOJI = ['😂', '🏊‍♂️', '💜', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇬🇧', '👍🏽', '1️⃣', '❤️', '🧑🏿‍🏫', '🏴󠁧󠁢󠁷󠁬󠁳󠁿', '👩‍🔬', '🤷‍♀️', '✌🏻', '#️⃣',
  '🫶', '\u{1f1e6}', '☺'];
const SCRIPTS = ['สวัสดีครับ นักเรียน', 'ສະບາຍດີ', 'សួស្តី', 'မင်္ဂလာပါ', '学校の先生です', '我们学校的老师', 'カタカナ テスト',
  'ひらがなのぶん', '안녕하세요 학교', 'مرحبا بالمدرسة', 'שלום לתלמידים', 'नमस्ते विद्यालय', 'Γειά σου σχολείο',
  'Привет школа', 'Ḽơᶉëᶆ ȋṕšᶙṁ', 'ᏣᎳᎩ', 'ⴰⵣⵓⵍ', 'ᚠᚢᚦ', '𓀀𓀁', 'Ꭰ𐐀𐐷'];
const SPACES = [' ', '\u00a0', '\u2009', '\u3000', '\t', '\n', '\r\n', '\u2028', '  ', '\u202f', '\u205f'];
const PUNCT = ['.', ',', '!', '?', "'", '’', '"', '“', '”', '-', '–', '—', '@', '#', '/', ':', ';', '(', ')', '…', '&'];

function fullWidth(s) {
  return s.replace(/[!-~]/g, (ch) => String.fromCodePoint(ch.codePointAt(0) + 0xfee0));
}

// A random code point from all of Unicode (no surrogates; nonchars and unassigned included).
function randomCodePoint(r) {
  const bucket = r.int(10);
  let cp;
  if (bucket < 3) cp = 0x20 + r.int(0x5f);               // ASCII
  else if (bucket < 5) cp = 0xa0 + r.int(0x2000 - 0xa0);  // Latin ext, Greek, Cyrillic, ... Indic
  else if (bucket < 6) cp = 0x2000 + r.int(0x1000);        // punctuation, symbols
  else if (bucket < 7) cp = 0x3000 + r.int(0xa000);        // CJK etc.
  else if (bucket < 8) cp = 0xf900 + r.int(0x700);         // compat, presentation forms, half/full-width
  else if (bucket < 9) cp = 0x1f000 + r.int(0x1000);       // emoji
  else cp = 0x10000 + r.int(0x100000 - 0x10000);           // anything astral
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  return String.fromCodePoint(cp);
}

function mutate(r, text) {
  const chars = [...text];
  const out = [];
  const mode = r.int(9);
  for (const ch of chars) {
    const p = r.next();
    switch (mode) {
      case 0:  // look-alikes
        out.push(LOOKALIKE[ch] && p < 0.3 ? r.pick(LOOKALIKE[ch]) : ch);
        break;
      case 1:  // invisible characters inside words
        out.push(ch);
        if (p < 0.15) out.push(r.pick(INVISIBLE));
        break;
      case 2:  // combining marks
        out.push(ch);
        if (p < 0.15) out.push(r.pick(COMBINING));
        if (p < 0.02) out.push(r.pick(COMBINING), r.pick(COMBINING));
        break;
      case 3:  // spaced letters: "N o a h"
        out.push(ch);
        if (/\p{L}/u.test(ch) && p < 0.5) out.push(r.pick([' ', ' ', '.', '-', '\u200b', '_']));
        break;
      case 4:  // case games
        out.push(p < 0.5 ? ch.toUpperCase() : ch.toLowerCase());
        break;
      case 5:  // emoji and punctuation sprinkled
        out.push(ch);
        if (p < 0.05) out.push(r.pick(EMOJI));
        else if (p < 0.08) out.push(r.pick(PUNCT));
        break;
      case 6:  // random code points sprinkled
        out.push(p < 0.05 ? randomCodePoint(r) : ch);
        break;
      case 7:  // other spaces
        out.push(ch === ' ' && p < 0.5 ? r.pick(SPACES) : ch);
        break;
      default:  // NFD / NFKD decomposition of parts
        out.push(p < 0.5 ? ch.normalize('NFD') : ch.normalize('NFKD'));
    }
  }
  let s = out.join('');
  if (mode === 4 && r.chance(0.3)) s = fullWidth(s);
  if (r.chance(0.2)) {  // a piece of another script at a random place
    const at = r.int(s.length + 1);
    const cut = at > 0 && at < s.length && /[\udc00-\udfff]/.test(s[at]) ? at + 1 : at;
    s = s.slice(0, cut) + r.pick([' ', '']) + r.pick(SCRIPTS) + r.pick([' ', '']) + s.slice(cut);
  }
  return s;
}

function randomString(r, len) {
  let s = '';
  for (let i = 0; i < len; i++) {
    const k = r.int(20);
    if (k < 10) s += randomCodePoint(r);
    else if (k < 13) s += r.pick(SPACES);
    else if (k < 15) s += r.pick(EMOJI);
    else if (k < 17) s += r.pick(COMBINING);
    else if (k < 18) s += r.pick(INVISIBLE);
    else s += r.pick(PUNCT);
  }
  return s;
}

/**
 * Cases in the corpus format ({id, school, site, surface, account, text}) for one bundle.
 * corpusTexts: texts to mutate; schools: school ids of the bundle (plus "" for trust staff).
 */
export function generateCases({ seed, count, corpusTexts, schools, huge = true }) {
  const r = rng(seed);
  const sites = ['x.com', 'facebook.com', 'instagram.com', 'linkedin.com', 'tiktok.com', 'bsky.app', 'mastodon.social', ''];
  const cases = [];
  const ctx = () => ({ school: r.pick(schools), site: r.pick(sites), surface: r.pick(['post', 'comment', 'dm', 'bio']),
    account: r.pick(['personal', 'personal', 'official']) });
  for (let i = 0; i < count; i++) {
    const kind = r.int(10);
    let text;
    if (kind < 6) text = mutate(r, r.pick(corpusTexts));
    else if (kind < 7) text = mutate(r, mutate(r, r.pick(corpusTexts) + r.pick(['\n\n', ' ', ' — ']) + r.pick(corpusTexts)));
    else if (kind < 9) text = randomString(r, 1 + r.int(r.chance(0.2) ? 2000 : 120));
    else text = r.pick(['', ' ', '\u200d', '😂', '\u0301', 'a\u0301', '\ufeff', '\u0000', 'x\u0000y', '\r', '\uFFFD',
      'ǅ', 'ß', 'İ', 'ﬁ', 'ﬃ', 'Ⅻ', '㎏', '①', 'ｘ'.repeat(20), 'ꝏ', '\u{10ffff}', '\u{e01ef}']);
    cases.push({ id: `g${i}`, ...ctx(), text });
  }
  if (huge) {
    let big = '';
    for (let k = 0; big.length < 120_000; k++) big += corpusTexts[k % corpusTexts.length] + '\n\n';
    cases.push({ id: 'huge-120k', ...ctx(), text: big });
    cases.push({ id: 'huge-120k-mutated', ...ctx(), text: mutate(r, big) });
    let mb = '';
    while (mb.length < 1_100_000) mb += big;
    cases.push({ id: 'huge-1m', ...ctx(), text: mb });
    cases.push({ id: 'huge-random-200k', ...ctx(), text: randomString(r, 200_000) });
    // One 20,000-letter word, and a base64-like blob: the core's time grows with the square of a
    // word's length (40,000 letters take ~14 s natively), so these stay at a size that runs in
    // seconds; a 300,000-letter word would take many minutes on either side.
    cases.push({ id: 'huge-one-word', ...ctx(), text: 'a'.repeat(20_000) });
    let blob = '';
    while (blob.length < 20_000) blob += r.pick(['QmFzZTY0', 'aGVsbG8', 'd29ybGQ', '9zZWNy', 'ZXQ', '+/', 'Zm9v']);
    cases.push({ id: 'huge-base64-blob', ...ctx(), text: blob });
    cases.push({ id: 'huge-emoji-zwj', ...ctx(), text: '👨‍👩‍👧‍👦'.repeat(20_000) });
    cases.push({ id: 'huge-combining', ...ctx(), text: 'e' + '\u0301'.repeat(100_000) });
  }
  return cases;
}

export function corpusTexts(file) {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l).text);
}
