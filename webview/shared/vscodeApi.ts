/** The webview side of the protocol: typed posting, validated receiving, persisted state. */
import { parseHostMessage, type HostToWebview, type WebviewToHost } from '../../src/shared/protocol';

interface VsCodeApi<State> {
  postMessage(message: WebviewToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

/**
 * Connects to the host and says 'ready'. A message posted while the host was still starting (window reload) can be
 * lost, so 'ready' is repeated until the first status arrives.
 */
export function connect<State>(onMessage: (message: HostToWebview) => void): VsCodeApi<State> {
  const api = acquireVsCodeApi<State>();
  let heard = false;
  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseHostMessage(event.data);
    if (!message) {
      // Other senders share this channel; a host message the protocol refuses is an extension bug worth seeing.
      const type = (event.data as { type?: unknown } | null)?.type;
      if (type === 'status' || type === 'files' || type === 'exportRequest') console.error(`Scaling Lens: refused a malformed "${type}" message from the extension`);
      return;
    }
    heard = true;
    onMessage(message);
  });
  const sayReady = (attempt: number) => {
    if (heard || attempt > 30) return;
    api.postMessage({ type: 'ready' });
    setTimeout(() => sayReady(attempt + 1), 1000);
  };
  setTimeout(() => sayReady(0), 0);
  return api;
}
