// Named errors of served functions. The caller mistakes the issue promises as TypeErrors stay
// TypeErrors (`instanceof TypeError` holds on the page too) with a more specific name. Registered in
// errorClasses at load, so both ends of a link rebuild them by name.
import { errorClasses, TabwiseError } from '../errors.js';

/** The page called a function the worker does not serve; the message lists the served names. */
export class UnknownFunctionError extends TabwiseError {
  override name = 'UnknownFunctionError';
}

/** Arguments that don't match a function's declared inputs (count or type); the message names the parameter. */
export class FunctionArgumentError extends TypeError {
  override name = 'FunctionArgumentError';
}

/** serve() was given a declaration it cannot honour (two states on an Interface, an unknown component, …). */
export class FunctionDeclarationError extends TypeError {
  override name = 'FunctionDeclarationError';
}

/** A session state default or a returned state cannot be structured-cloned; the old state is kept. */
export class StateValueError extends TypeError {
  override name = 'StateValueError';
}

/** A function returned something that doesn't match its declared outputs. */
export class FunctionOutputError extends TypeError {
  override name = 'FunctionOutputError';
}

Object.assign(errorClasses, {
  UnknownFunctionError,
  FunctionArgumentError,
  FunctionDeclarationError,
  StateValueError,
  FunctionOutputError,
});
