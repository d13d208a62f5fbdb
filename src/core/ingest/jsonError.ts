/** Where invalid JSON first goes wrong: V8's messages no longer carry a position, jsonc-parser's scanner does. */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export function firstJsonError(text: string): { offset: number; message: string } | undefined {
  const errors: ParseError[] = [];
  try {
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    return undefined; // jsonc-parser recurses: a very deeply nested text overflows its stack
  }
  const first = errors[0];
  return first ? { offset: first.offset, message: describe(printParseErrorCode(first.error)) } : undefined;
}

function describe(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words === 'value expected'
    ? 'a value is expected here'
    : words === 'property name expected'
      ? 'a property name is expected here (trailing comma?)'
      : words;
}
