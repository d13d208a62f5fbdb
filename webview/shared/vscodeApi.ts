/**
 * The webview side of the protocol: typed posting, validated receiving, persisted state, and the handshake. A
 * webview says it is ready once; the host answers once with the state to show (an InitialState of the same id).
 */
import type { InitialState, ReadyRequest } from '../../src/shared/protocol';
import { PendingRequests } from '../../src/shared/pendingRequests';

export interface VsCodeApi<State, ToHost> {
  postMessage(message: ToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State, ToHost>(): VsCodeApi<State, ToHost>;

/** How long a handshake waits for its answer before it is asked again (the host may still be starting). */
const HANDSHAKE_TIMEOUT_MS = 10_000;
const HANDSHAKE_ATTEMPTS = 3;

/**
 * Connects to the host: every message `parse` accepts goes to `onMessage` (the initial state too); others are
 * logged and dropped. Then the handshake: 'ready', answered by the host with the state to show.
 */
export function connect<State, ToHost extends { type: string }, FromHost extends { type: string }>(
  parse: (value: unknown) => FromHost | undefined,
  onMessage: (message: FromHost) => void,
): VsCodeApi<State, ToHost> {
  const api = acquireVsCodeApi<State, ToHost | ReadyRequest>();
  const handshake = new PendingRequests<true>();
  window.addEventListener('message', (event: MessageEvent) => {
    const message = parse(event.data);
    if (!message) return console.warn("Scaling Lens: ignored a message not in this view's protocol", event.data);
    if (isInitialState(message)) handshake.settle(message.id, true);
    onMessage(message);
  });
  const sayReady = (attempt: number) => {
    const { id, answer } = handshake.start({ timeoutMs: HANDSHAKE_TIMEOUT_MS });
    api.postMessage({ type: 'ready', id });
    void answer.then((answered) => {
      if (answered || attempt >= HANDSHAKE_ATTEMPTS) return;
      console.warn(`Scaling Lens: no answer to 'ready' after ${HANDSHAKE_TIMEOUT_MS / 1000} s; asking again`);
      sayReady(attempt + 1);
    });
  };
  sayReady(1);
  return api;
}

function isInitialState(message: { type: string }): message is InitialState {
  return message.type === 'initialState';
}
