// Reading a client's frame: anything that is not exactly this protocol is a MalformedFrame, and the
// connection that sent it is closed (code 1007). Limits are checked later, per request.
import { commitIdPattern, type HelloFrame, type RequestFrame } from '@tabwise/core/server-protocol';

export class MalformedFrame extends Error {
  override name = 'MalformedFrame';
}

const keyOps = new Set(['read', 'subscribe', 'unsubscribe', 'stats']);

function object(data: string): Record<string, unknown> {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    throw new MalformedFrame('not JSON');
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) throw new MalformedFrame('not a JSON object');
  return frame as Record<string, unknown>;
}

export function parseHello(data: string): HelloFrame {
  const frame = object(data);
  if (frame.op !== 'hello') throw new MalformedFrame('the first frame must be { op: "hello", protocol }');
  if (!Number.isInteger(frame.protocol)) throw new MalformedFrame('hello needs an integer protocol');
  if (frame.token !== undefined && typeof frame.token !== 'string') throw new MalformedFrame('hello token must be a string');
  return frame as unknown as HelloFrame;
}

export function parseRequest(data: string): RequestFrame {
  const frame = object(data);
  const { id, op, name, key } = frame;
  if (!Number.isSafeInteger(id) || (id as number) < 0) throw new MalformedFrame('id must be a non-negative integer');
  if (typeof name !== 'string' || name.length === 0) throw new MalformedFrame('name must be a non-empty string');
  if (typeof key !== 'string' || key.length === 0) throw new MalformedFrame('key must be a non-empty string');
  if (typeof op === 'string' && keyOps.has(op)) return frame as unknown as RequestFrame;
  if (op !== 'commit') throw new MalformedFrame(`unknown op ${JSON.stringify(op)?.slice(0, 40)}`);
  const { values, commitId, expectedEpoch, expectedVersion } = frame;
  if (!Array.isArray(values) || values.length === 0) throw new MalformedFrame('commit values must be a non-empty array');
  if (typeof commitId !== 'string' || !commitIdPattern.test(commitId)) throw new MalformedFrame('commit needs a commitId of [A-Za-z0-9_:.-], at most 128');
  const blind = expectedEpoch === undefined && expectedVersion === undefined;
  const compared = typeof expectedEpoch === 'string' && expectedEpoch.length <= 128 && Number.isSafeInteger(expectedVersion) && (expectedVersion as number) >= 0;
  if (!blind && !compared) throw new MalformedFrame('commit needs both expectedEpoch and expectedVersion, or neither');
  if (frame.clientId !== undefined && (typeof frame.clientId !== 'string' || frame.clientId.length > 128)) throw new MalformedFrame('clientId must be a string');
  return frame as unknown as RequestFrame;
}
