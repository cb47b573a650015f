// Site adapters: which surface a composer is (post|comment|dm|bio), the signed-in handle, where
// the Post/Send control is and whether plain Enter sends. The generic fallback covers other sites.
export const host = location.hostname.replace(/^www\./, '');
const onHost = (...names) => names.some((n) => host === n || host.endsWith('.' + n));
const labelOf = (el) => [el.getAttribute('aria-label'), el.getAttribute('placeholder'),
  el.getAttribute('aria-placeholder'), el.getAttribute('name'), el.id, el.getAttribute('data-testid')]
  .filter(Boolean).join(' ').toLowerCase();

// What each adapter keys on is the site's own composer markup (data-testid, aria-label, role,
// class names of the composer and its Post/Send button); tests/e2e-extension/sites.test.mjs
// reproduces each shape. `surface(el)` returns null to fall back to the composer's labels.
const path = () => location.pathname;
const within = (el, sel) => !!el.closest?.(sel);
const handleIn = (sel) => document.querySelector(sel)?.textContent.match(/@[A-Za-z0-9_.]+/)?.[0];
const ADAPTERS = [
  { name: 'x', match: () => onHost('x.com', 'twitter.com'),
    post: '[data-testid="tweetButton"], [data-testid="tweetButtonInline"], [data-testid="dmComposerSendButton"], ' +
      '[data-testid="Profile_Save_Button"]',
    surface: (el) => (path().startsWith('/messages') || within(el, '[data-testid="dmComposerTextInput"]') || el.matches('[data-testid="dmComposerTextInput"]') ? 'dm'
      : path().startsWith('/settings/profile') || el.getAttribute('name') === 'description' ? 'bio'
        : path().includes('/status/') || within(el, '[aria-labelledby*="reply"]') ? 'comment' : 'post'),
    handle: () => handleIn('[data-testid="SideNav_AccountSwitcher_Button"]') },
  { name: 'facebook', match: () => onHost('facebook.com', 'messenger.com'),
    post: '[aria-label="Post"][role="button"], [aria-label="Comment"][role="button"], [aria-label="Press enter to send"], [aria-label="Send"][role="button"]',
    // Comments and Messenger send on Enter; the post composer (a dialog) does not.
    enterSends: (el) => !within(el, '[role="dialog"][aria-label="Create post"]'),
    surface: (el) => (path().startsWith('/messages') || onHost('messenger.com') ? 'dm'
      : within(el, '[role="dialog"]') && !/comment/i.test(labelOf(el)) ? 'post'
        : /comment|reply/i.test(labelOf(el)) ? 'comment' : 'post') },
  { name: 'linkedin', match: () => onHost('linkedin.com'),
    post: '.share-actions__primary-action, .comments-comment-box__submit-button, .msg-form__send-button, ' +
      '.comments-comment-box__submit-button--cr',
    surface: (el) => (within(el, '.msg-form') ? 'dm'
      : within(el, '.comments-comment-box, .comments-comment-texteditor') ? 'comment'
        : /\/edit\/(forms|intro|about)/.test(path()) ? 'bio' : 'post') },
  { name: 'instagram', match: () => onHost('instagram.com'),
    enterSends: () => path().startsWith('/direct'),
    surface: (el) => (path().startsWith('/direct') ? 'dm'
      : path().startsWith('/accounts/edit') ? 'bio'
        : within(el, '[role="dialog"][aria-label="Create new post"]') || /caption/i.test(labelOf(el)) ? 'post' : 'comment') },
  { name: 'tiktok', match: () => onHost('tiktok.com'),
    post: '[data-e2e="comment-post"], [data-e2e="post_video_button"], [data-e2e="message-send"]',
    enterSends: (el) => within(el, '[data-e2e="comment-input"], [data-e2e="message-input-area"]'),
    surface: (el) => (within(el, '[data-e2e="comment-input"]') ? 'comment'
      : path().startsWith('/messages') || within(el, '[data-e2e="message-input-area"]') ? 'dm'
        : /upload|tiktokstudio/.test(path()) ? 'post'
          : path().startsWith('/setting') || path().includes('/profile') ? 'bio' : 'comment') },
  { name: 'threads', match: () => onHost('threads.net', 'threads.com'),
    // The composer's placeholder says "Reply to …" on replies, "What's new?" on new posts.
    surface: (el) => (/reply/i.test(labelOf(el)) ? 'comment' : 'post') },
  { name: 'bluesky', match: () => onHost('bsky.app'),
    post: '[data-testid="composerPublishBtn"], button[aria-label="Send message"]',
    surface: (el) => {
      if (path().startsWith('/messages')) return 'dm';
      const dialog = el.closest?.('[role="dialog"]') || document;
      const publish = dialog.querySelector('[data-testid="composerPublishBtn"]');
      return publish && /reply/i.test(publish.getAttribute('aria-label') || publish.textContent) ? 'comment' : 'post';
    } },
  { name: 'mastodon', match: () => !!document.querySelector('.compose-form'),  // any instance's host
    post: '.compose-form__publish button, .compose-form__submit button',
    surface: (el) => (el.closest?.('.compose-form')?.querySelector('.reply-indicator, .edit-indicator') ? 'comment' : 'post'),
    handle: () => handleIn('.navigation-bar__profile-account') },
  { name: 'youtube', match: () => onHost('youtube.com'),
    post: '#submit-button',
    surface: (el) => (within(el, 'ytd-backstage-post-dialog-renderer, ytd-backstage-post-renderer') ? 'post' : 'comment') },
  { name: 'whatsapp', match: () => onHost('web.whatsapp.com'), surface: () => 'dm', enterSends: () => true,
    post: 'button[aria-label="Send"], [data-testid="send"], span[data-icon="send"], span[data-icon^="wds-ic-send"]' },
  { name: 'reddit', match: () => onHost('reddit.com'),
    post: '#inner-post-submit-button, button[slot="submit-button"], comment-composer-host button[type="submit"]',
    surface: (el) => (within(el, 'comment-composer-host') || /comment/i.test(labelOf(el)) ? 'comment'
      : onHost('chat.reddit.com') ? 'dm' : 'post') },
  { name: 'medium', match: () => onHost('medium.com'),
    post: '[data-action="show-prepublish"], [data-testid="publishButton"], [data-testid="ResponseRespondButton"]',
    surface: (el) => (/thoughts|respon/i.test(labelOf(el)) ? 'comment' : 'post') },
  { name: 'wordpress', match: () => /\/wp-admin\//.test(location.pathname) || !!document.querySelector('.block-editor, #commentform'),
    post: '.editor-post-publish-button, .editor-post-publish-button__button, .editor-post-publish-panel__toggle, #commentform #submit',
    surface: (el) => (within(el, '#commentform') ? 'comment' : 'post') },
];
// Looked up once, and again when a new composer appears while none matched: single-page apps
// draw the markup a DOM-keyed adapter (Mastodon, WordPress) looks for after this script starts.
// (Matching on every check cost more than the rest of the check's page-side work.)
const GENERIC = { name: 'generic' };
let matched = null;
export function refreshAdapter() {
  if (matched && matched !== GENERIC) return;
  matched = ADAPTERS.find((a) => { try { return a.match(); } catch { return false; } }) || GENERIC;
}
export function getAdapter() {
  if (!matched) refreshAdapter();
  return matched;
}

const POST_WORDS = /^(post|send|tweet|reply|publish|share|submit|comment|toot|post all|postio|anfon|ateb|cyhoeddi)$/i;

export function genericSurface(el) {
  const label = labelOf(el);
  if (/\bbio\b|about you|about me|headline|description/.test(label)) return 'bio';
  if (/message|\bdm\b|chat/.test(label)) return 'dm';
  if (/comment|reply|respond/.test(label)) return 'comment';
  return 'post';
}

export function findPostButton(el) {
  if (getAdapter().post) {
    // The nearest matching button: walk up from the composer (inside shadow roots too).
    for (let n = el; n; n = n.parentNode || n.host) {
      if (n.querySelector) {
        const b = n.querySelector(getAdapter().post);
        if (b) return b.closest('button, [role="button"]') || b;
      }
    }
  }
  const form = el.form || el.closest?.('form');
  if (form) {
    const b = form.querySelector('button[type="submit"], input[type="submit"], button:not([type])');
    if (b) return b;
  }
  // Generic: the closest button labelled like Post/Send within a few ancestors (crossing out of
  // shadow roots: a shadow root is searched, then its host's surroundings).
  let n = el;
  for (let depth = 0; n && depth < 8; depth++) {
    n = n instanceof ShadowRoot ? n.host : n.parentNode;
    if (!n || !n.querySelectorAll) break;
    for (const b of n.querySelectorAll('button, [role="button"], input[type="submit"]')) {
      const words = (b.getAttribute('aria-label') || b.value || b.textContent || '').trim();
      if (POST_WORDS.test(words)) return b;
    }
  }
  return null;
}
