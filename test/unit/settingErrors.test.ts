/** A setting that does not fit the file: one neutral error in the core, worded by the CLI with flags and by the panel without. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SettingError } from '../../src/core/errors';
import { settingErrorForCli } from '../../src/cli/settingErrors';
import { settingErrorForPanel } from '../../src/worker/settingErrors';
import { fitFiles, thrown } from './fitHelper';

const file = '/runs.csv';
const runs = 'model,compute,loss\na,1e18,3.1\nb,1e19,2.8\nc,1e20,2.5\nd,1e21,2.3\ne,1e22,2.1\n';

const cases: [string, () => unknown, RegExp, RegExp][] = [
  [
    'the joint law on a file without parameters and samples',
    () => fitFiles({ [file]: runs }, file, { law: 'joint' }),
    /^--law joint: .*needs parameters and samples.*--params COL --samples COL$/,
    /^Law joint: .*needs parameters and samples.*choose a compute law/,
  ],
  [
    'a task on a file without a task column',
    () => fitFiles({ [file]: runs }, file, { task: 'imagenet1k' }),
    /^--task: \/runs\.csv has no task column; use --filter COL=VALUE$/,
    /^Task: \/runs\.csv has no task column/,
  ],
  [
    'a group column the file does not have',
    () => fitFiles({ [file]: runs }, file, { group: 'family' }),
    /^--group family: /,
    /^Group family: /,
  ],
];

for (const [what, run, cli, panel] of cases) {
  test(`setting errors: ${what} — the core's words name no flag; the CLI adds its flags, the panel its controls`, () => {
    const error = thrown(run);
    assert.ok(error instanceof SettingError, `${what}: ${error.name}: ${error.message}`);
    assert.doesNotMatch(error.message, /--/, 'the core names no flag');
    assert.match(settingErrorForCli(error), cli);
    assert.match(settingErrorForPanel(error), panel);
    assert.doesNotMatch(settingErrorForPanel(error), /--[a-z]/, 'no flag in the panel');
  });
}
