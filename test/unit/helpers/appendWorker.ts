/** Test helper process: appends COUNT rows (writer id, sequence number, a value) to FILE, one append per row. */
import { appendResultRow } from '../../../src/eval/appendRow';

async function main(): Promise<void> {
  const [file, writer, count] = process.argv.slice(2);
  for (let seq = 0; seq < Number(count); seq++) {
    await appendResultRow(file, { writer, seq, value: `${writer}-${seq}` });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`appendWorker ${process.argv[3]}: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
