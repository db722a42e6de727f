// Test page: exposes the drop-in bundle's API on window for page.evaluate().
const tabwise = await import('/dist/tabwise.js');
window.tabwise = tabwise;
window.chats = [];
document.getElementById('status').textContent = 'ready';
document.body.dataset.ready = 'true';
