/** The worker's file reader decodes only appended bytes, and still returns exactly the file's text after any change. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { GrowingFileReader } from '../../src/node/files';
import { withTempDir } from './helpers/tempDir';

test('appends (ASCII and UTF-8), partial lines, edits in place and truncation all read back as the file', () =>
  withTempDir('scaling-lens-reader', (dir) => {
    const file = path.join(dir, 'results.csv');
    const reader = new GrowingFileReader();
    const check = (step: string) => assert.equal(reader.read(file), fs.readFileSync(file, 'utf8'), step);
    fs.writeFileSync(file, 'arch,acc1\nViT-B-32,0.5\n');
    check('first read');
    fs.appendFileSync(file, 'ViT-L-14,0.7\n');
    check('ASCII append');
    fs.appendFileSync(file, 'ViT-é,0.6\n');
    check('UTF-8 append');
    fs.appendFileSync(file, Buffer.from('日本', 'utf8').subarray(0, 4)); // a character cut in half by a writer
    check('partial character');
    fs.appendFileSync(file, Buffer.from('日本', 'utf8').subarray(4));
    fs.appendFileSync(file, ',0.8\n');
    check('character completed');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('0.5', '0.9'));
    check('edit in place, same length');
    fs.writeFileSync(file, 'arch,acc1\n');
    check('truncated');
    fs.rmSync(file);
    assert.equal(reader.read(file), undefined, 'deleted');
  }));
