import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { buildApp, type App } from '../../src/daemon/build-app.js';
import { startTwilioSimulator, type TwilioSim } from '../../src/sandbox/twilio-simulator.js';
import { FakeClock } from '../../src/support/clock.js';
import { freshStore, type TestStore } from '../helpers/stores.js';
import { captureLogger, duplicateKeys } from '../helpers/log-capture.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');
let sim: TwilioSim | undefined;
let app: App | undefined;
let t: TestStore | undefined;
afterEach(async () => {
  await app?.close();
  await sim?.close();
  await t?.dispose();
});

describe('JSON log lines of a job run', () => {
  it('never repeat a key: the job kind and the WhatsApp message kind are job and messageKind', async () => {
    const clock = new FakeClock(T0);
    sim = await startTwilioSimulator({ now: () => clock.now() });
    t = await freshStore();
    const config = configSchema.parse({ twilio: { accountSid: sim.accountSid, authToken: sim.authToken, apiBaseUrl: sim.url, timeoutSeconds: 2 } });
    const log = captureLogger('debug');
    app = await buildApp({ config, logger: log.logger, clock, store: t.store });
    const { job } = await t.store.jobs.enqueue({ kind: 'send_whatsapp', payload: { to: '+34612345678', body: 'Your plan for Acme', kind: 'plan' }, runAt: T0, dedupeKey: 'plan:1', maxAttempts: 3, lane: 'whatsapp' }, T0);
    expect((await app.runner.runJob(job.id)).outcome).toBe('done');

    const sent = log.records().find((r) => r.msg === 'WhatsApp message sent');
    expect(sent).toMatchObject({ job: job.id, kind: 'send_whatsapp', messageKind: 'plan', component: 'jobs' });
    expect(log.lines().length).toBeGreaterThan(0);
    for (const line of log.lines()) expect(duplicateKeys(line), line).toEqual([]);
  });

  it('the duplicate check finds a repeated key at any depth', () => {
    expect(duplicateKeys('{"kind":"send_whatsapp","to":"x","kind":"plan"}')).toEqual(['kind']);
    expect(duplicateKeys('{"a":{"b":1,"b":2},"c":[{"d":1,"d":2}],"e":"f:g","g":{"b":1}}')).toEqual(['a.b', 'c.d']);
    expect(duplicateKeys('{"msg":"a \\"quoted\\": word","x":1}')).toEqual([]);
  });
});
