/** Prompt tokenisation with @huggingface/tokenizers from tokenizer.json, padded or truncated to the context length. */
import { Tokenizer } from '@huggingface/tokenizers';
import { EvalError } from './errors';
import { readRegularText } from './regularFile';

export interface PromptTokenizer {
  /** int64 ids, [texts × contextLength]. */
  encode(texts: readonly string[]): BigInt64Array;
}

export function loadTokenizer(file: string, contextLength: number, padIdOverride?: number): PromptTokenizer {
  let json: Record<string, unknown>;
  let tokenizer: Tokenizer;
  try {
    json = JSON.parse(readRegularText(file, 'the tokenizer', 256 << 20));
    tokenizer = new Tokenizer(json, {});
  } catch (error) {
    if (error instanceof EvalError) throw error;
    throw new EvalError(file, `not a usable tokenizer.json: ${(error as Error).message}`);
  }
  const padding = json.padding as { pad_id?: unknown } | null | undefined;
  const padId = padIdOverride ?? padding?.pad_id ?? 0;
  if (typeof padId !== 'number' || !Number.isInteger(padId) || padId < 0)
    throw new EvalError(file, `"padding.pad_id" must be a token id (a whole number ≥ 0), got ${JSON.stringify(padId)}`);
  return {
    encode(texts) {
      const out = new BigInt64Array(texts.length * contextLength).fill(BigInt(padId));
      texts.forEach((text, i) => {
        let ids = tokenizer.encode(text).ids;
        // Too long: keep the start and end with the last token (end-of-text), as OpenCLIP's tokenizer does.
        if (ids.length > contextLength) ids = [...ids.slice(0, contextLength - 1), ids[ids.length - 1]];
        ids.forEach((id, k) => (out[i * contextLength + k] = BigInt(id)));
      });
      return out;
    },
  };
}
