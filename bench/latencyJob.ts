// In-process baseline for bench/latency.mjs: the quick fit job (no bootstrap) after each of N appended rows, with a
// full re-parse and with the fit worker's incremental reader and parser. Prints {full: ms[], incremental: ms[]}.
import fs from 'node:fs';
import { runFitJob } from '../src/worker/fitJob';
import { AppendingParser } from '../src/core/ingest/appendingParser';
import { GrowingFileReader, readTextFile } from '../src/node/files';

const [file, repeatsText] = process.argv.slice(2);
const repeats = Number(repeatsText);
const settings = { law: 'power' as const, frontier: 'default', bootstrap: false, budgets: [] };
const tryRead = (read: (p: string) => string | undefined) => (p: string) => {
  try {
    return read(p);
  } catch {
    return undefined;
  }
};
const reader = new GrowingFileReader();
const parser = new AppendingParser();
const full: number[] = [];
const incremental: number[] = [];
runFitJob(file, settings, tryRead(readTextFile));
runFitJob(file, settings, tryRead(reader.read), { parse: parser.parse });
for (let i = 0; i < repeats; i++) {
  fs.appendFileSync(
    file,
    `ViT-B-32,20000000000.0,148000000000.0,7.4,LAION-2B,imagenet1k,0.66,zeroshot_classification,baseline-${i}\n`,
  );
  let started = performance.now();
  runFitJob(file, settings, tryRead(readTextFile));
  full.push(performance.now() - started);
  started = performance.now();
  runFitJob(file, settings, tryRead(reader.read), { parse: parser.parse });
  incremental.push(performance.now() - started);
}
console.log(JSON.stringify({ full, incremental }));
