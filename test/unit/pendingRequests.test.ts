/** The request/response helper: answers paired by id, partial answers, giving up, timeouts and a lost peer. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PendingRequests } from '../../src/shared/pendingRequests';

test('pending requests: each answer reaches its own request, once; a late or stray answer is refused', async () => {
  const requests = new PendingRequests<string>();
  const first = requests.start();
  const second = requests.start();
  assert.notEqual(first.id, second.id);
  assert.equal(requests.settle(second.id, 'b'), true);
  assert.equal(requests.settle(first.id, 'a'), true);
  assert.equal(await first.answer, 'a');
  assert.equal(await second.answer, 'b');
  assert.equal(requests.settle(first.id, 'again'), false, 'answered already');
  assert.equal(requests.settle(999, 'x'), false, 'never asked');
});

test('pending requests: partial answers go to the hook and leave the request waiting', async () => {
  const requests = new PendingRequests<number>();
  const seen: number[] = [];
  const { id, answer } = requests.start({ onPartial: (n) => seen.push(n) });
  assert.equal(requests.partial(id, 1), true);
  assert.equal(requests.partial(id, 2), true);
  assert.equal(requests.has(id), true);
  requests.settle(id, 3);
  assert.equal(await answer, 3);
  assert.deepEqual(seen, [1, 2]);
  assert.equal(requests.partial(id, 4), false, 'no one waits any more');
});

test('pending requests: a dropped request resolves undefined and runs its cancel hook; its late answer is refused', async () => {
  const requests = new PendingRequests<string>();
  let cancelled = 0;
  const { id, answer } = requests.start({ cancel: () => cancelled++ });
  requests.drop(id);
  requests.drop(id);
  assert.equal(await answer, undefined);
  assert.equal(cancelled, 1, 'cancelled once');
  assert.equal(requests.settle(id, 'late'), false);
});

test('pending requests: an unanswered request times out (undefined, cancelled); an answered one does not', async () => {
  const requests = new PendingRequests<string>();
  let cancelled = false;
  const silent = requests.start({ timeoutMs: 0, cancel: () => (cancelled = true) });
  assert.equal(await silent.answer, undefined);
  assert.equal(cancelled, true);
  assert.equal(requests.has(silent.id), false);
  const answered = requests.start({ timeoutMs: 0, cancel: () => assert.fail('an answered request is not cancelled') });
  requests.settle(answered.id, 'in time');
  assert.equal(await answered.answer, 'in time');
  await new Promise((resolve) => setTimeout(resolve, 5));
});

test('pending requests: when the peer is lost every request gets its own lost answer (or undefined)', async () => {
  const requests = new PendingRequests<string>();
  const withAnswer = requests.start({ lost: (reason) => `failed: ${reason}` });
  const without = requests.start();
  requests.loseAll('exit code 1');
  assert.equal(await withAnswer.answer, 'failed: exit code 1');
  assert.equal(await without.answer, undefined);
  assert.equal(requests.has(withAnswer.id) || requests.has(without.id), false);
});
