// Site adapters: fixture pages with each real site's composer markup (the attributes the adapter
// keys on: data-testid, aria-label, role, class names, the Post/Send control), served over HTTPS
// on localhost under the site's real host name (Chromium's --host-resolver-rules maps the names to
// 127.0.0.1; the certificate is a throwaway self-signed one made with openssl). For each: the
// adapter picks the surface (post|comment|dm|bio) and the account (official when the signed-in
// handle is one of the bundle's), and stops a blocked draft at the site's own Post/Send control
// (click or Enter) while a clean draft goes out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { here, launch, checked, makePolicyRoot, testPolicy, DRAFTS, STRICT_CSP } from './lib.mjs';

// The shapes, from the sites' own markup (reduced to what the adapters read).
const CE = 'contenteditable="true" role="textbox" data-fixture-composer';
const SITES = [
  { host: 'x.com', path: '/home', expect: { adapter: 'x', surface: 'post', account: 'official' }, body: `
    <nav><div data-testid="SideNav_AccountSwitcher_Button" role="button"><span>Bideford Road</span> <span>@BidefordRoadPS</span></div></nav>
    <div class="DraftEditor-root"><div class="public-DraftEditor-content" data-testid="tweetTextarea_0" aria-label="Post text" ${CE}></div></div>
    <div><button type="button" data-testid="addButton" aria-label="Add post">+</button>
    <button type="button" data-testid="tweetButtonInline" data-fixture-post><span>Post</span></button></div>` },
  { host: 'x.com', path: '/BidefordRoadPS/status/1790000000000000000', expect: { adapter: 'x', surface: 'comment', account: 'personal' }, body: `
    <nav><div data-testid="SideNav_AccountSwitcher_Button" role="button"><span>Sam Jones</span> <span>@sjones_teaches</span></div></nav>
    <article data-testid="tweet">Our open evening is on Thursday.</article>
    <div class="public-DraftEditor-content" data-testid="tweetTextarea_0" aria-label="Post text" ${CE}></div>
    <button type="button" data-testid="tweetButtonInline" data-fixture-post><span>Reply</span></button>` },
  { host: 'x.com', path: '/messages/123-456', expect: { adapter: 'x', surface: 'dm', account: 'personal' }, body: `
    <aside data-testid="DmActivityContainer"><div data-testid="dmComposerTextInput" aria-label="Start a new message" ${CE}></div>
    <button type="button" data-testid="dmComposerSendButton" aria-label="Send" data-fixture-post><svg viewBox="0 0 24 24"></svg></button></aside>` },
  { host: 'x.com', path: '/settings/profile', expect: { adapter: 'x', surface: 'bio', account: 'personal' }, body: `
    <div role="dialog" aria-labelledby="modal-header"><h2 id="modal-header">Edit profile</h2>
    <label>Bio <textarea name="description" maxlength="160" data-fixture-composer></textarea></label>
    <button type="button" data-testid="Profile_Save_Button" data-fixture-post><span>Save</span></button></div>` },
  { host: 'www.facebook.com', path: '/', expect: { adapter: 'facebook', surface: 'post', account: 'personal' }, body: `
    <div role="dialog" aria-label="Create post"><h2>Create post</h2>
    <div data-lexical-editor="true" aria-label="What's on your mind, Sam?" ${CE}><p><br></p></div>
    <div aria-label="Post" role="button" tabindex="0" data-fixture-post><span>Post</span></div></div>` },
  { host: 'www.facebook.com', path: '/BidefordRoadPS/posts/pfbid0123', post: 'Enter', expect: { adapter: 'facebook', surface: 'comment', account: 'personal' }, body: `
    <div role="article">Our open evening is on Thursday.
    <form><div data-lexical-editor="true" aria-label="Write a comment…" data-fixture-enter ${CE}><p><br></p></div>
    <div aria-label="Comment" role="button" tabindex="0"><svg></svg></div></form></div>` },
  { host: 'www.facebook.com', path: '/messages/t/100000000000001', post: 'Enter', expect: { adapter: 'facebook', surface: 'dm', account: 'personal' }, body: `
    <div role="main"><div aria-label="Message" data-lexical-editor="true" data-fixture-enter ${CE}><p><br></p></div>
    <div aria-label="Press enter to send" role="button" tabindex="0"><svg></svg></div></div>` },
  { host: 'www.linkedin.com', path: '/feed/', expect: { adapter: 'linkedin', surface: 'post', account: 'personal' }, body: `
    <div role="dialog" class="share-box"><div class="share-creation-state__text-editor"><div class="editor-container">
    <div class="ql-editor" aria-label="Text editor for creating content" aria-multiline="true" ${CE}><p><br></p></div></div></div>
    <div class="share-box_actions"><button class="share-actions__primary-action artdeco-button" type="button" data-fixture-post><span>Post</span></button></div></div>` },
  { host: 'www.linkedin.com', path: '/feed/update/urn:li:activity:1/', expect: { adapter: 'linkedin', surface: 'comment', account: 'personal' }, body: `
    <div class="comments-comment-box"><form class="comments-comment-box__form"><div class="comments-comment-texteditor">
    <div class="ql-editor" aria-label="Add a comment…" ${CE}><p><br></p></div></div>
    <button class="comments-comment-box__submit-button artdeco-button" type="button" data-fixture-post><span>Comment</span></button></form></div>` },
  { host: 'www.linkedin.com', path: '/messaging/thread/2-abc/', expect: { adapter: 'linkedin', surface: 'dm', account: 'personal' }, body: `
    <form class="msg-form"><div class="msg-form__msg-content-container"><div class="msg-form__contenteditable" aria-label="Write a message…" ${CE}><p><br></p></div></div>
    <footer class="msg-form__footer"><button class="msg-form__send-button artdeco-button" type="button" data-fixture-post>Send</button></footer></form>` },
  { host: 'www.instagram.com', path: '/p/C7abcdEFGhi/', expect: { adapter: 'instagram', surface: 'comment', account: 'personal' }, body: `
    <section><form method="POST"><textarea aria-label="Add a comment…" placeholder="Add a comment…" autocomplete="off" data-fixture-composer></textarea>
    <div role="button" tabindex="0" data-fixture-post>Post</div></form></section>` },
  { host: 'www.instagram.com', path: '/direct/t/340282366841710300949128/', post: 'Enter', expect: { adapter: 'instagram', surface: 'dm', account: 'personal' }, body: `
    <div aria-label="Message" aria-describedby="Message" aria-placeholder="Message…" data-lexical-editor="true" data-fixture-enter ${CE}><p><br></p></div>
    <div role="button" tabindex="0">Send</div>` },
  { host: 'www.instagram.com', path: '/accounts/edit/', expect: { adapter: 'instagram', surface: 'bio', account: 'personal' }, body: `
    <form><label for="pepBio">Bio</label><textarea id="pepBio" data-fixture-composer></textarea>
    <div role="button" tabindex="0" data-fixture-post>Submit</div></form>` },
  { host: 'www.instagram.com', path: '/', expect: { adapter: 'instagram', surface: 'post', account: 'personal' }, body: `
    <div role="dialog" aria-label="Create new post"><h2>Create new post</h2>
    <div aria-label="Write a caption..." ${CE}><p><br></p></div><div role="button" tabindex="0" data-fixture-post>Share</div></div>` },
  { host: 'www.tiktok.com', path: '/@bidefordroadps/video/7300000000000000000', expect: { adapter: 'tiktok', surface: 'comment', account: 'personal' }, body: `
    <div class="DivCommentFooter"><div data-e2e="comment-input"><div class="DraftEditor-root">
    <div class="public-DraftEditor-content" aria-label="Add comment..." ${CE}></div></div></div>
    <div data-e2e="comment-post" role="button" aria-label="Post" tabindex="0" data-fixture-post><svg></svg></div></div>` },
  { host: 'www.tiktok.com', path: '/tiktokstudio/upload', expect: { adapter: 'tiktok', surface: 'post', account: 'personal' }, body: `
    <div class="caption-editor"><div class="public-DraftEditor-content" ${CE}></div></div>
    <button type="button" data-e2e="post_video_button" data-fixture-post><div>Post</div></button>` },
  { host: 'www.threads.net', path: '/', expect: { adapter: 'threads', surface: 'post', account: 'personal' }, body: `
    <div role="dialog"><div data-lexical-editor="true" aria-label="Empty text field. Type to compose a new post." aria-placeholder="What's new?" ${CE}><p><br></p></div>
    <div role="button" tabindex="0">Add to thread</div><div role="button" tabindex="0" data-fixture-post><div>Post</div></div></div>` },
  { host: 'www.threads.net', path: '/@bidefordroadps/post/C7abc', expect: { adapter: 'threads', surface: 'comment', account: 'personal' }, body: `
    <div role="dialog"><div data-lexical-editor="true" aria-label="Empty text field. Type to compose a new post." aria-placeholder="Reply to bidefordroadps…" ${CE}><p><br></p></div>
    <div role="button" tabindex="0" data-fixture-post><div>Post</div></div></div>` },
  { host: 'bsky.app', path: '/', expect: { adapter: 'bluesky', surface: 'post', account: 'personal' }, body: `
    <div role="dialog" aria-label="Compose new post"><div class="tiptap ProseMirror" aria-label="Rich-Text Editor" data-testid="composerTextInput" ${CE}><p><br></p></div>
    <button type="button" data-testid="composerPublishBtn" aria-label="Publish post" data-fixture-post><div>Post</div></button></div>` },
  { host: 'bsky.app', path: '/profile/bidefordroadps.bsky.social/post/3kabc', expect: { adapter: 'bluesky', surface: 'comment', account: 'personal' }, body: `
    <div role="dialog" aria-label="Compose reply"><div class="tiptap ProseMirror" aria-label="Rich-Text Editor" data-testid="composerTextInput" ${CE}><p><br></p></div>
    <button type="button" data-testid="composerPublishBtn" aria-label="Publish reply" data-fixture-post><div>Reply</div></button></div>` },
  { host: 'bsky.app', path: '/messages/3kconvo', expect: { adapter: 'bluesky', surface: 'dm', account: 'personal' }, body: `
    <textarea placeholder="Write a message" aria-label="Message input field" data-fixture-composer></textarea>
    <button type="button" aria-label="Send message" data-fixture-post><svg></svg></button>` },
  { host: 'mastodon.social', path: '/home', expect: { adapter: 'mastodon', surface: 'post', account: 'official' }, body: `
    <div class="navigation-bar"><a href="/@TarkaLP"><span class="navigation-bar__profile-account">@TarkaLP</span></a></div>
    <form class="compose-form"><div class="autosuggest-textarea"><textarea class="autosuggest-textarea__textarea" aria-label="What's on your mind?" placeholder="What's on your mind?" data-fixture-composer></textarea></div>
    <div class="compose-form__submit"><button type="submit" class="button" data-fixture-post>Post</button></div></form>` },
  { host: 'mastodon.social', path: '/@BidefordRoadPS/112000000000000000', expect: { adapter: 'mastodon', surface: 'comment', account: 'personal' }, body: `
    <div class="navigation-bar"><a href="/@sjones"><span class="navigation-bar__profile-account">@sjones</span></a></div>
    <form class="compose-form"><div class="reply-indicator">Replying to @BidefordRoadPS</div>
    <div class="autosuggest-textarea"><textarea class="autosuggest-textarea__textarea" aria-label="Post your reply" data-fixture-composer></textarea></div>
    <div class="compose-form__submit"><button type="submit" class="button" data-fixture-post>Reply</button></div></form>` },
  { host: 'www.youtube.com', path: '/watch?v=abcdefghijk', expect: { adapter: 'youtube', surface: 'comment', account: 'personal' }, body: `
    <ytd-comments><ytd-commentbox><div id="contenteditable-root" contenteditable="true" aria-label="Add a comment..." data-fixture-composer></div>
    <ytd-button-renderer id="submit-button"><button aria-label="Comment" data-fixture-post>Comment</button></ytd-button-renderer></ytd-commentbox></ytd-comments>` },
  { host: 'www.youtube.com', path: '/@bidefordroadps/posts', expect: { adapter: 'youtube', surface: 'post', account: 'personal' }, body: `
    <ytd-backstage-post-dialog-renderer><ytd-commentbox><div id="contenteditable-root" contenteditable="true" aria-label="Share a sneak peek, start a conversation…" data-fixture-composer></div>
    <ytd-button-renderer id="submit-button"><button aria-label="Post" data-fixture-post>Post</button></ytd-button-renderer></ytd-commentbox></ytd-backstage-post-dialog-renderer>` },
  { host: 'web.whatsapp.com', path: '/', post: 'Enter', expect: { adapter: 'whatsapp', surface: 'dm', account: 'personal' }, body: `
    <div id="main"><footer><div aria-label="Type a message" title="Type a message" data-tab="10" data-lexical-editor="true" data-fixture-enter ${CE}><p><br></p></div>
    <button aria-label="Send" data-tab="11"><span data-icon="send"></span></button></footer></div>` },
  { host: 'web.whatsapp.com', path: '/', expect: { adapter: 'whatsapp', surface: 'dm', account: 'personal' }, body: `
    <div id="main"><footer><div aria-label="Type a message" data-tab="10" ${CE}><p><br></p></div>
    <button aria-label="Send" data-tab="11" data-fixture-post><span data-icon="wds-ic-send-filled"></span></button></footer></div>` },
  { host: 'www.reddit.com', path: '/r/Teachers/submit', expect: { adapter: 'reddit', surface: 'post', account: 'personal' }, body: `
    <shreddit-composer><div aria-label="Post body text field" ${CE}><p><br></p></div></shreddit-composer>
    <button id="inner-post-submit-button" type="button" data-fixture-post>Post</button>` },
  { host: 'www.reddit.com', path: '/r/Teachers/comments/1abc/open_evening/', expect: { adapter: 'reddit', surface: 'comment', account: 'personal' }, body: `
    <comment-composer-host><shreddit-composer><div aria-label="Add a comment" ${CE}><p><br></p></div>
    <button slot="submit-button" type="button" data-fixture-post>Comment</button></shreddit-composer></comment-composer-host>` },
  { host: 'medium.com', path: '/new-story', expect: { adapter: 'medium', surface: 'post', account: 'personal' }, body: `
    <div class="postArticle-content" data-testid="editor" aria-label="Story" ${CE}><p><br></p></div>
    <button data-action="show-prepublish" type="button" data-fixture-post>Publish</button>` },
  { host: 'medium.com', path: '/@bidefordroad/open-evening-1a2b3c', expect: { adapter: 'medium', surface: 'comment', account: 'personal' }, body: `
    <div aria-label="What are your thoughts?" ${CE}></div>
    <button data-testid="ResponseRespondButton" type="button" data-fixture-post>Respond</button>` },
  { host: 'staffroom.example.org', path: '/wp-admin/post-new.php', expect: { adapter: 'wordpress', surface: 'post', account: 'personal' }, body: `
    <div class="block-editor"><div class="editor-styles-wrapper">
    <p class="block-editor-rich-text__editable wp-block-paragraph" aria-label="Empty block; start writing or type forward slash to choose a block" ${CE}></p></div>
    <button type="button" class="components-button editor-post-publish-button__button is-primary" data-fixture-post>Publish</button></div>` },
  { host: 'staffroom.example.org', path: '/2026/11/open-evening/', expect: { adapter: 'wordpress', surface: 'comment', account: 'personal' }, body: `
    <form id="commentform" class="comment-form"><p class="comment-form-comment"><label for="comment">Comment</label>
    <textarea id="comment" name="comment" data-fixture-composer></textarea></p>
    <p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" data-fixture-post></p></form>` },
];

let server, browser, root, tmp, base;

function page(site) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${site.host}${site.path}</title>` +
    `<link rel="stylesheet" href="/__fixture/fixture.css"></head><body>${site.body}<div id="posted"></div>` +
    `<script src="/__fixture/site.js"></script></body></html>`;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-e2e-sites-'));
  // A throwaway certificate for the fixture server (Chromium is told to accept it).
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=postguard-fixtures',
    '-keyout', path.join(tmp, 'key.pem'), '-out', path.join(tmp, 'cert.pem')], { stdio: 'ignore' });
  server = https.createServer({ key: fs.readFileSync(path.join(tmp, 'key.pem')), cert: fs.readFileSync(path.join(tmp, 'cert.pem')) },
    (req, res) => {
      const url = new URL(req.url, `https://${req.headers.host}`);
      const headers = { 'content-security-policy': STRICT_CSP, 'cache-control': 'no-store' };
      if (url.pathname.startsWith('/__fixture/')) {
        const file = path.join(here, 'fixtures', path.basename(url.pathname));
        res.writeHead(200, { ...headers, 'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript' });
        res.end(fs.readFileSync(file));
        return;
      }
      const i = Number(url.searchParams.get('fixture'));
      const site = SITES[i];
      if (!site || site.host !== url.hostname) { res.writeHead(404, headers); res.end('not found'); return; }
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
      res.end(page(site));
    });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = server.address().port;
  const hosts = [...new Set(SITES.map((s) => s.host))];
  root = makePolicyRoot(testPolicy({ rules: { 'category:confidential': { severity: 'block' } } }), 'bideford-road');
  browser = await launch({
    nativeHost: { root }, ignoreHTTPSErrors: true,
    args: [`--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`, '--ignore-certificate-errors'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
  if (root) fs.rmSync(root, { recursive: true, force: true });
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function urlOf(i) {
  const s = SITES[i];
  const u = new URL(`https://${s.host}:${base}${s.path}`);
  u.searchParams.set('fixture', String(i));
  return u.href;
}

async function replaceText(p, text) {
  await p.click('[data-fixture-composer], [data-fixture-enter]');
  await p.keyboard.press('Control+A');
  await p.keyboard.insertText(text);
}

for (const [i, site] of SITES.entries()) {
  const how = site.post === 'Enter' ? 'Enter' : 'its Post/Send control';
  test(`${site.host}${site.path}: ${site.expect.surface}, ${site.expect.account} account; ${how} is stopped for a blocked draft`, async () => {
    const p = await browser.context.newPage();
    try {
      await p.goto(urlOf(i));
      assert.equal(await p.evaluate(() => location.hostname), site.host);
      await replaceText(p, DRAFTS.confidential);
      const s = await checked(p, 0, 10000);
      const o = await p.evaluate(() => ({ ...document.querySelector('postguard-overlay').dataset }));
      assert.deepEqual({ adapter: o.adapter, surface: o.surface, account: o.account }, site.expect);
      assert.equal(s.severity, 'block', 'the confidential draft is a block for this trust');

      // The site's own control (or Enter) is stopped, with the reason.
      if (site.post === 'Enter') await p.keyboard.press('Enter');
      else await p.click('[data-fixture-post]');
      await p.waitForFunction(() => document.querySelector('postguard-overlay').dataset.dialog === 'block', null, { timeout: 5000 });
      assert.deepEqual(await p.evaluate(() => window.posted), [], 'nothing went out');
      await p.keyboard.press('Escape');

      // A clean draft goes out through the same control, untouched.
      await replaceText(p, DRAFTS.clean);
      await p.waitForFunction(() => {
        const d = document.querySelector('postguard-overlay').dataset;
        return d.state === 'checked' && d.findings === '0';
      }, null, { timeout: 5000 });
      if (site.post === 'Enter') await p.keyboard.press('Enter');
      else await p.click('[data-fixture-post]');
      await p.waitForFunction(() => window.posted.length === 1, null, { timeout: 5000 });
    } finally {
      await p.close();
    }
  });
}
