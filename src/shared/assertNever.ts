/**
 * The default case of a switch over a validated message union. A message type without its case is a compile error
 * (`value` is not `never`); at run time, should one get through all the same, it is logged, never thrown.
 */
export function assertNever(value: never, log: (text: string) => void): void {
  log(`unhandled message: ${JSON.stringify(value)?.slice(0, 200)}`);
}
