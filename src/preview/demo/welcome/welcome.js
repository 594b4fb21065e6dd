// A file rather than an inline script: the demo pages run under a strict Content-Security-Policy.
document.getElementById('terms').textContent = new URLSearchParams(location.search).get('terms') || '（无）';
