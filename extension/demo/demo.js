// The demo page's own script: records posts (nothing is sent anywhere).
const status = document.getElementById('status');
document.getElementById('post').addEventListener('click', () => { status.textContent = 'Posted.'; });
document.getElementById('reply-form').addEventListener('submit', (e) => { e.preventDefault(); status.textContent = 'Replied.'; });
