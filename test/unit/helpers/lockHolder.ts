/** Test helper process: takes the lock of FILE, says "locked" on stdout, then holds it until killed. */
import { acquireLock } from '../../../src/eval/fileLock';

acquireLock(`${process.argv[2]}.lock`).then(
  () => {
    process.stdout.write('locked\n');
    setInterval(() => {}, 1 << 30);
  },
  (error: unknown) => {
    process.stderr.write(`lockHolder: ${String(error)}\n`);
    process.exit(1);
  },
);
