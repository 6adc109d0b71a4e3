// Is anything listening where the assistant's Temporal should be? A plain TCP connect
// answers in milliseconds (a refused connection is definite), where a gRPC client would
// retry for many seconds. No npm packages: scripts/preflight.ts runs this before install.
import { connect } from 'node:net';
import type { Config } from './config.ts';

export function isListening(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Where the assistant's Temporal is: TEMPORAL_ADDRESS, or the embedded server `npm start` runs. */
export function temporalTarget(config: Pick<Config, 'temporalAddress' | 'temporalPort'>) {
  const address = config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
  const colon = address.lastIndexOf(':');
  return { address, host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** One line for a person who ran `npm run chat` while nothing answers there. */
export function notRunningMessage(config: Pick<Config, 'temporalAddress' | 'temporalPort'>): string {
  const { address } = temporalTarget(config);
  return config.temporalAddress
    ? `Jobs is not reachable: nothing answers at TEMPORAL_ADDRESS (${address}). Start the cluster and Jobs' worker, then run \`npm run chat\` again.`
    : `Jobs is not running (nothing answers on ${address}): start it with \`npm start\` in another terminal, then run \`npm run chat\` again.`;
}
