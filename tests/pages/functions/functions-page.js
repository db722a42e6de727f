// Test page: exposes the drop-in bundle's API on window, for page.evaluate() to connect() workers.
const tabwise = await import('/dist/tabwise.js');

window.tabwise = tabwise;
/** connect() to one of this folder's workers; `query` picks a case of declaration.worker.js. */
window.connectTo = (file, options) => tabwise.connect(new URL(file, import.meta.url), options);
document.getElementById('status').textContent = 'ready';
document.body.dataset.ready = 'true';
