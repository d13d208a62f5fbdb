/**
 * Declarative validators for messages that cross a boundary (webview, worker, child process): strict objects (no
 * extra keys), capped strings, arrays and typed arrays, finite numbers in range. Each validator is a type guard and
 * never throws, whatever it is given; a message table turns one validator per message type into a parser.
 */

export interface Validator<T> {
  (value: unknown): value is T;
}

export type Infer<V> = V extends Validator<infer T> ? T : never;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Text of at most `max` UTF-16 units (and at least `min`), optionally matching `pattern`. */
export function str(max: number, options: { min?: number; pattern?: RegExp } = {}): Validator<string> {
  const min = options.min ?? 0;
  return (value): value is string =>
    typeof value === 'string' &&
    value.length >= min &&
    value.length <= max &&
    (!options.pattern || options.pattern.test(value));
}

export function oneOf<const T extends string | number | boolean>(...values: T[]): Validator<T> {
  return (value): value is T => (values as unknown[]).includes(value);
}

/** A finite number in [min, max]; whole when `integer`. */
export function num(min: number, max: number, options: { integer?: boolean } = {}): Validator<number> {
  return (value): value is number =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!options.integer || Number.isInteger(value));
}

export function int(min: number, max: number): Validator<number> {
  return num(min, max, { integer: true });
}

export const bool: Validator<boolean> = (value): value is boolean => typeof value === 'boolean';

export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return (value): value is T | null => value === null || inner(value);
}

export function either<A, B>(a: Validator<A>, b: Validator<B>): Validator<A | B> {
  return (value): value is A | B => a(value) || b(value);
}

/** An array of at most `max` items, each valid. */
export function arr<T>(item: Validator<T>, max: number): Validator<T[]> {
  return (value): value is T[] => {
    if (!Array.isArray(value) || value.length > max) return false;
    for (let i = 0; i < value.length; i++) if (!item(value[i])) return false; // holes too (every() skips them)
    return true;
  };
}

type TypedArrayKind = Float64Array | Int32Array | Int16Array | Uint8Array | Uint32Array;

/** A typed array of the given kind with at most `max` elements. */
export function typed<T extends TypedArrayKind>(kind: abstract new (...args: never[]) => T, max: number): Validator<T> {
  return (value): value is T => value instanceof kind && value.length <= max;
}

type Shape = Record<string, Validator<unknown>>;
type Output<R extends Shape, O extends Shape> = { [K in keyof R]: Infer<R[K]> } & { [K in keyof O]?: Infer<O[K]> };

/**
 * A plain object with exactly these keys: every `required` key valid, each `optional` key absent, undefined or
 * valid, and no other key.
 */
export function obj<R extends Shape, O extends Shape = Record<never, never>>(
  required: R,
  optional?: O,
): Validator<Output<R, O>> {
  const requiredKeys = Object.keys(required);
  const optionalShape: Shape = optional ?? {};
  return (value): value is Output<R, O> => {
    if (!isPlainObject(value)) return false;
    for (const key of Object.keys(value))
      if (!Object.hasOwn(required, key) && !Object.hasOwn(optionalShape, key)) return false;
    for (const key of requiredKeys) if (!Object.hasOwn(value, key) || !required[key](value[key])) return false;
    for (const key of Object.keys(optionalShape))
      if (value[key] !== undefined && !optionalShape[key](value[key])) return false;
    return true;
  };
}

/** A plain object of at most `maxKeys` entries, every key and value valid. */
export function record<T>(key: Validator<string>, item: Validator<T>, maxKeys: number): Validator<Record<string, T>> {
  return (value): value is Record<string, T> => {
    if (!isPlainObject(value)) return false;
    const keys = Object.keys(value);
    return keys.length <= maxKeys && keys.every((k) => key(k) && item(value[k]));
  };
}

/** `inner`, and also `rule` (relations between fields, e.g. equal lengths). */
export function refine<T>(inner: Validator<T>, rule: (value: T) => boolean): Validator<T> {
  return (value): value is T => inner(value) && rule(value);
}

/** A value of a shared setting validator (src/core/settings.ts): one definition of what a setting may be. */
export function checked<T>(check: (value: unknown) => { ok: true; value: T } | { ok: false }): Validator<T> {
  return (value): value is T => check(value).ok;
}

/** Any JSON value (plain objects, arrays, strings, finite numbers, booleans, null), at most `depth` deep and `nodes` values. */
export function json(depth: number, nodes: number): Validator<unknown> {
  return (value): value is unknown => {
    let budget = nodes;
    const visit = (v: unknown, level: number): boolean => {
      if (--budget < 0 || level > depth) return false;
      if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
      if (typeof v === 'number') return Number.isFinite(v);
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!visit(v[i], level + 1)) return false;
        return true;
      }
      return isPlainObject(v) && Object.keys(v).every((key) => visit(v[key], level + 1));
    };
    return visit(value, 0);
  };
}

/**
 * One validator per value of a tag field: the table of a message union (`type`) or a status (`kind`). Adding a
 * message is adding its entry. Each validator checks its whole message, the tag included.
 */
export function tagged<M extends Record<K, string>, K extends string>(
  tag: K,
  table: { [T in M[K]]: Validator<Extract<M, Record<K, T>>> },
): Validator<M> {
  const validators = table as Record<string, Validator<unknown>>;
  return (value): value is M => {
    if (!isPlainObject(value)) return false;
    const name = value[tag];
    return typeof name === 'string' && Object.hasOwn(validators, name) && validators[name](value);
  };
}

/** The parser of a validated union: the value itself when valid, undefined otherwise. */
export function parser<M>(validator: Validator<M>): (value: unknown) => M | undefined {
  return (value) => (validator(value) ? value : undefined);
}
