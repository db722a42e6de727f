// Records every tabwise-* event reaching window on window.tabwiseEvents, from before the elements
// upgrade. Loaded by the element test pages as their first (classic) script, and run again by the
// tests as an init script (where an engine runs those first); the second run changes nothing.
if (!window.tabwiseEvents) {
  window.tabwiseEvents = [];
  for (const type of ['tabwise-ready', 'tabwise-token', 'tabwise-message', 'tabwise-error']) {
    addEventListener(type, (e) =>
      window.tabwiseEvents.push({
        type: e.type,
        delta: e.delta,
        role: e.message?.role,
        content: e.message?.content,
        interrupted: e.message?.interrupted,
        source: e.source,
        attribute: e.attribute,
        name: e.error?.name,
        message: e.error?.message,
        device: e.info?.device,
      }),
    );
  }
}
