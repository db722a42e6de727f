// Demo 05: passes ?model=…&device=…&dtype=… on to the worker. Runs before /dist/tabwise.js, so the
// element starts with the chosen model.
const chat = document.getElementById('chat');
chat.setAttribute('src', `./app.worker.js${location.search}`);
