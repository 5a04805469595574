import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './errors';

describe('isDatabaseUnavailable', () => {
  it('recognises a database that went away, also from the ROLLBACK of a transaction', () => {
    // Seen in `npm run load -- --fault postgres-restart`: these were 500s before.
    for (const message of [
      'ROLLBACK - Client has encountered a connection error and is not queryable',
      'ROLLBACK - Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
    ]) {
      expect(isDatabaseUnavailable({ message }), message).toBe(true);
    }
    expect(isDatabaseUnavailable({ code: '57P01', message: 'terminating connection' })).toBe(true);
    expect(isDatabaseUnavailable({ code: 'ECONNREFUSED' })).toBe(true);
  });

  it('leaves real faults as faults', () => {
    expect(isDatabaseUnavailable({ code: '23505', message: 'duplicate key value' })).toBe(false);
    expect(isDatabaseUnavailable({ message: 'Cannot read properties of undefined' })).toBe(false);
  });
});
