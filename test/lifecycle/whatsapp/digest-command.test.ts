import { afterEach, describe, expect, it } from 'vitest';
import { coachingWorld, type CoachingWorld } from '../../helpers/coaching-world.js';
import { backends } from '../../helpers/stores.js';
import { HELP_TEXT } from '../../../src/lifecycle/whatsapp/conversation-commands.js';

let w: CoachingWorld;
afterEach(async () => w?.close());
const last = () => w.sent[w.sent.length - 1]!;

describe.each(backends)('"digest off" and "digest on" on WhatsApp (%s)', (backend) => {
  it('turn the weekly digest off and on for the salesperson who wrote, and help mentions them', async () => {
    w = await coachingWorld({ backend });
    expect((await w.t.store.users.byId(w.user.id))!.digest_enabled).toBe(1);
    await w.inbound('Digest off');
    expect(last()).toMatchObject({ to: w.user.phone, kind: 'command' });
    expect(last().body).toMatch(/weekly digest is off\. Send \*digest on\*/);
    expect((await w.t.store.users.byId(w.user.id))!.digest_enabled).toBe(0);
    await w.inbound('digest on');
    expect(last().body).toMatch(/weekly digest is on.*\(Weekly digests are not switched on for your team yet\.\)$/);
    expect((await w.t.store.users.byId(w.user.id))!.digest_enabled).toBe(1);
    await w.inbound('help');
    expect(HELP_TEXT).toContain('*digest off* / *digest on*');
    expect(last().body).toContain('*digest off*');
  });

  it('say nothing about the team schedule when schedule.digest is set', async () => {
    w = await coachingWorld({ backend, config: { schedule: { digest: '0 8 * * MON' } } });
    await w.inbound('digest on');
    expect(last().body).toBe('Your weekly digest is on: a summary of your week (meetings, role-plays, outcomes) when the week ends. Send *digest off* to stop it.');
  });
});
