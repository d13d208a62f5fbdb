/** The webview side of the protocol: typed posting, validated receiving, persisted state. */
import { parseHostMessage, type HostToWebview, type WebviewToHost } from '../../src/shared/protocol';

interface VsCodeApi<State> {
  postMessage(message: WebviewToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export function connect<State>(onMessage: (message: HostToWebview) => void): VsCodeApi<State> {
  const api = acquireVsCodeApi<State>();
  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseHostMessage(event.data);
    if (message) onMessage(message);
  });
  return api;
}
