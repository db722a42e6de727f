// Demo 02's scope switch: the same two boards, shared by every tab of this browser (SharedWorker) or by
// every visitor of the site (the state server `npm start` runs at /tabwise-state). `?scope=server` keeps
// the choice for a second tab.
const serverUrl = new URL('/tabwise-state', location.href);
serverUrl.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';

const notes = {
  browser: 'Every tab of this browser shares the boards through a SharedWorker.',
  server: `Every visitor shares the boards through the state server at ${serverUrl.href}: open this page in another browser to see.`,
};

function apply(scope) {
  for (const board of document.querySelectorAll('tabwise-scoreboard')) {
    if (scope === 'server') board.setAttribute('server', serverUrl.href);
    else board.removeAttribute('server');
  }
  document.getElementById('scope-note').textContent = notes[scope];
  const query = scope === 'server' ? '?scope=server' : '';
  document.getElementById('second-tab').href = `/02-scoreboard/${query}`;
  history.replaceState(null, '', `${location.pathname}${query}`);
}

const initial = new URLSearchParams(location.search).get('scope') === 'server' ? 'server' : 'browser';
document.querySelector(`input[name="scope"][value="${initial}"]`).checked = true;
apply(initial);
document.getElementById('scope').addEventListener('change', (event) => apply(event.target.value));
