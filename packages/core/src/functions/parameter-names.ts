// Best-effort parameter names of a function, read from its source, so an argument error can say
// "score" rather than "input 1" (Gradio labels components from the signature the same way).

export function parameterNames(fn: Function): (string | undefined)[] {
  const source = Function.prototype.toString.call(fn);
  const list = /^[^(=]*\(([^)]*)\)/.exec(source)?.[1] ?? /^\s*(?:async\s+)?([\w$]+)\s*=>/.exec(source)?.[1];
  if (list === undefined) return [];
  return list.split(',').map((part) => /^\s*(?:\.\.\.)?([\w$]+)\s*(?:=|$)/.exec(part.replace(/\/\*.*?\*\//g, ''))?.[1]);
}
