// Popup and options page: which policy source is in force, the school, and any policy problems.
const t = (k, s) => chrome.i18n.getMessage(k, s) || k;
for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
document.documentElement.lang = chrome.i18n.getUILanguage();
if (document.querySelector('main.options')) document.title = t('optionsTitle');

async function show(reply) {
  const s = reply || await chrome.runtime.sendMessage({ type: 'status' });
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
}

document.getElementById('reload').addEventListener('click', async () => {
  show(await chrome.runtime.sendMessage({ type: 'reloadPolicy' }));
});
show();
