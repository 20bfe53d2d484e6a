import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { dirWith, noEnv, problems } from '../helpers/config-files.js';

describe('schedule.digest', () => {
  it('is off by default and takes a cron expression, from the file or ROLPLAY_DIGEST_SCHEDULE', () => {
    expect(loadConfig({ env: noEnv, cwd: dirWith({}) }).config.schedule.digest).toBe('');
    expect(loadConfig({ env: noEnv, cwd: dirWith({ schedule: { digest: '0 8 * * MON' } }) }).config.schedule.digest).toBe('0 8 * * MON');
    expect(loadConfig({ env: { ...noEnv, ROLPLAY_DIGEST_SCHEDULE: '30 17 * * FRI' }, cwd: dirWith({}) }).config.schedule.digest).toBe('30 17 * * FRI');
  });

  it('a malformed expression is a config error naming the key', () => {
    const lines = problems(() => loadConfig({ env: noEnv, cwd: dirWith({ schedule: { digest: 'every monday' } }) }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/config\.json: schedule\.digest: expected a cron expression .*"0 8 \* \* MON".*found "every monday"$/);
    expect(problems(() => loadConfig({ env: noEnv, cwd: dirWith({ schedule: { digest: '61 8 * * *' } }) }))[0]).toMatch(/schedule\.digest: expected a cron expression/);
    expect(problems(() => loadConfig({ env: { ...noEnv, ROLPLAY_DIGEST_SCHEDULE: '0 8 * *' }, cwd: dirWith({}) }))[0]).toMatch(/^ROLPLAY_DIGEST_SCHEDULE \(schedule\.digest\): expected a cron expression/);
  });

  it('twilio.templates.digest is a known key; a misspelled one is not', () => {
    expect(loadConfig({ env: noEnv, cwd: dirWith({ twilio: { templates: { digest: 'HX0123456789abcdef0123456789abcdef' } } }) }).config.twilio.templates.digest).toBe('HX0123456789abcdef0123456789abcdef');
    expect(problems(() => loadConfig({ env: noEnv, cwd: dirWith({ twilio: { templates: { digets: 'HX1' } } }) }))[0]).toMatch(/twilio\.templates\.digets: unknown key; did you mean "digest"\?/);
  });
});
