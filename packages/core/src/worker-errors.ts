// Comlink turns a thrown error into {name, message, stack} and back into a plain Error. This keeps
// Comlink's own serializer and replaces only the rebuilding, so the page gets the named class
// (`instanceof RangeError`, `name === 'ModelLoadError'`). Both ends of every link import it.
import * as Comlink from 'comlink';
import { errorClasses } from './errors.js';

interface SerializedThrow {
  isError: boolean;
  value: unknown;
}

const comlinkThrowHandler = Comlink.transferHandlers.get('throw') as Comlink.TransferHandler<unknown, SerializedThrow>;

if (!(comlinkThrowHandler as { tabwise?: boolean }).tabwise) {
  Comlink.transferHandlers.set('throw', {
    tabwise: true,
    canHandle: comlinkThrowHandler.canHandle,
    serialize: comlinkThrowHandler.serialize,
    deserialize(serialized: SerializedThrow): never {
      if (!serialized.isError) throw serialized.value;
      const { name, message, stack } = serialized.value as { name: string; message: string; stack?: string };
      throw rebuildError(name, message, stack);
    },
  } as Comlink.TransferHandler<unknown, SerializedThrow>);
}

export function rebuildError(name: string, message: string, stack?: string): Error {
  const ErrorClass = errorClasses[name] ?? Error;
  const error = new ErrorClass(message);
  error.name = name;
  if (stack) error.stack = stack;
  return error;
}
