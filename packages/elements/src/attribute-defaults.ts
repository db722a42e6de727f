// Lit sets a property to null when its attribute is removed. For attributes with a default, a
// removed attribute should mean "back to the default", as if it had never been set.
import type { PropertyValues } from 'lit';

/** Call from willUpdate(): puts `defaults` back for the properties whose attribute was just removed. */
export function restoreDefaults(host: object, changed: PropertyValues, defaults: Readonly<Record<string, unknown>>): void {
  const properties = host as Record<string, unknown>;
  for (const [name, value] of Object.entries(defaults)) {
    if (changed.has(name) && properties[name] === null) properties[name] = value;
  }
}
