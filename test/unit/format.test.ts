/** The one number formatter: the cases the panel, CLI and hover used to disagree on (issue #12, item 6). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatExponent, formatNumber, MINUS, parseTypedNumber } from '../../src/core/format';

const cases: [number, string][] = [
  [1e12, '1e12'],
  [6.756e8, '6.76e8'],
  [16183346310.730501, '1.62e10'],
  [1.667e10, '1.67e10'],
  [0.161, '0.161'],
  [5.858059, '5.86'],
  [23.184, '23.2'],
  [2200, '2200'],
  [12345, '1.23e4'],
  [0.000999, `9.99e${MINUS}4`],
  [-0.111388, `${MINUS}0.111`],
  [0, '0'],
  [Number.NaN, '—'],
  [Number.POSITIVE_INFINITY, '—'],
];
for (const [value, expected] of cases) {
  test(`formatNumber(${value}) = ${expected}`, () => assert.equal(formatNumber(value), expected));
}

test('no hyphen-minus anywhere: negative numbers and negative exponents use U+2212', () => {
  for (const value of [-1, -0.5, -1e-7, 1e-7, -3.3e12])
    assert.ok(!formatNumber(value).includes('-'), formatNumber(value));
});

test('exponents keep the digits that tell them apart from a round number', () => {
  assert.equal(formatExponent(-1.004), `${MINUS}1.004`);
  assert.equal(formatExponent(-1), `${MINUS}1`);
  assert.equal(formatExponent(-0.111388), `${MINUS}0.111`);
  assert.equal(formatExponent(0.1001), '0.1001');
  assert.equal(formatExponent(-0.5), `${MINUS}0.5`);
  assert.equal(formatExponent(-0.0794), `${MINUS}0.0794`);
});

test('typed numbers are read as typed (1e20 stays a number the user wrote, U+2212 accepted)', () => {
  assert.equal(parseTypedNumber('1e20'), 1e20);
  assert.equal(parseTypedNumber(` ${MINUS}2.5 `), -2.5);
  assert.equal(parseTypedNumber('1e'), null);
  assert.equal(parseTypedNumber('abc'), null);
  assert.equal(parseTypedNumber('1e999'), null);
});
