// The X connector's public face: one factory, like every other network's.
import type { PlatformConnector } from '../connector';
import { createXConnectorWith } from './connector';
import type { XConnectorOptions } from './context';

export type { XConnectorOptions } from './context';
export { weightedLength } from './text';

/**
 * Takes the shared ConnectorOptions plus X's extras: a separate consent-page base, the user's app
 * for `revoke`, and the wait used between media-processing polls.
 */
export function createXConnector(opts: XConnectorOptions = {}): PlatformConnector {
  return createXConnectorWith(opts);
}
