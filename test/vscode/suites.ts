/** Registers every in-host suite (mocha's tdd globals exist only after pre-require, so suites are functions). */
import { extensionSuite, hostileFilesSuite, liveSuite } from './extension.test';
import { panelSuite } from './panel.test';

export function registerSuites(): void {
  extensionSuite();
  liveSuite();
  hostileFilesSuite();
  panelSuite();
}
