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
    expect(last().body).toMatch(/weekly digest is on/);
    expect((await w.t.store.users.byId(w.user.id))!.digest_enabled).toBe(1);
    await w.inbound('help');
    expect(HELP_TEXT).toContain('*digest off* / *digest on*');
    expect(last().body).toContain('*digest off*');
  });
});
