import { afterEach, describe, expect, it } from 'vitest';
import { coachingWorld, type CoachingWorld } from '../../helpers/coaching-world.js';
import { backends } from '../../helpers/stores.js';
import { planJobRequest } from '../../../src/lifecycle/coaching/prepare-plan.js';
import { replayPlan } from '../../../src/lifecycle/coaching/replay-plan.js';
import { PLAN_BLOCKED_MARK } from '../../../src/lifecycle/coaching/generate-plan.js';
import { runChecks } from '../../../src/lifecycle/doctor/doctor-checks.js';
import { storeChecks } from '../../../src/lifecycle/doctor/doctor-store-checks.js';

let w: CoachingWorld;
afterEach(async () => w?.close());

const AGENDA = 'Discuss the 2026 renewal and the analytics add-on.';

describe.each(backends)('a plan Gemini blocks (%s)', (backend) => {
  async function planFor(extra: { hubspot?: boolean } = {}) {
    w = await coachingWorld({ backend, ...extra });
    const meeting = await w.meeting({ body: AGENDA });
    const { job } = await w.services.queue.enqueue(planJobRequest(meeting, w.services.config, w.clock.now()));
    return { meeting, job };
  }

  it('is asked once more without the invitation text and CRM notes, and that plan is sent', async () => {
    w = await coachingWorld({ backend, hubspot: true });
    const company = w.hub!.addCompany({ name: 'Acme Corp', domain: 'acme.example' });
    const contact = w.hub!.addContact({ email: 'ann@acme.example', firstname: 'Ann', lastname: 'Lee', jobtitle: 'Head of Ops' }, company);
    await w.services.crm!.createNote({ body: 'Ann said something our filters dislike.', timestamp: w.clock.now() - 86_400_000, contactIds: [contact], companyIds: [] });
    const meeting = await w.meeting({ body: AGENDA });
    w.gemini.script({ blocked: 'PROHIBITED_CONTENT' });
    await w.services.queue.enqueue(planJobRequest(meeting, w.services.config, w.clock.now()));
    await w.run();

    expect(w.gemini.calls).toHaveLength(2);
    const [full, rephrased] = w.gemini.calls.map((c) => c.contents[0]!.text);
    expect(full).toContain(AGENDA);
    expect(full).toContain('filters dislike');
    expect(rephrased).not.toContain(AGENDA);
    expect(rephrased).not.toContain('filters dislike');
    expect(rephrased).toContain('jobtitle: Head of Ops');
    expect(rephrased).toContain('<data name="meeting_title">\nAcme renewal\n</data>');
    expect(w.sent.filter((s) => s.kind === 'plan')).toHaveLength(1);
    expect((await w.t.store.meetings.byId(meeting.id))!.status).toBe('plan_sent');
  });

  it('is tried at most twice and never sent: the job fails for good with the reasons, and doctor counts it', async () => {
    const { meeting, job } = await planFor();
    w.gemini.script({ finish: 'SAFETY', text: '{"greeting": "Hi' }, { blocked: 'SAFETY' });
    await w.run();

    expect(w.gemini.calls).toHaveLength(2);
    expect(w.sent).toHaveLength(0);
    const failed = await w.t.store.jobs.byId(job.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.last_error).toContain(PLAN_BLOCKED_MARK);
    expect(failed!.last_error).toContain('finishReason SAFETY');
    expect(failed!.last_error).toContain('blockReason SAFETY');
    expect((await w.t.store.meetings.byId(meeting.id))!).toMatchObject({ status: 'scheduled', plan_json: null });

    // Nothing is retried later.
    await w.clock.advance(24 * 3_600_000);
    await w.run();
    expect(w.gemini.calls).toHaveLength(2);

    const checks = Object.fromEntries((await runChecks(storeChecks(w.t.store, w.clock))).map((r) => [r.name, r]));
    expect(checks['Blocked plans']).toMatchObject({ status: 'warn', detail: expect.stringContaining(`1 plan blocked by Gemini's safety filters`) });
    expect(checks['Blocked plans']!.detail).toContain(`meetings ${meeting.id}`);
  });

  it('a job retried after a 429 goes straight to the rephrased prompt: still two blocked requests at most', async () => {
    const { job } = await planFor();
    w.gemini.script({ blocked: 'SAFETY' }, { error: 429, retryDelaySeconds: 30 }, { blocked: 'SAFETY' });
    await w.run();
    const waiting = await w.t.store.jobs.byId(job.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    await w.clock.advance(waiting!.run_at - w.clock.now());
    await w.run();

    expect(w.gemini.calls).toHaveLength(3);
    expect(w.gemini.calls[2]!.contents[0]!.text).not.toContain(AGENDA);
    expect(await w.t.store.jobs.byId(job.id)).toMatchObject({ status: 'failed', attempts: 2 });
    expect(w.sent).toHaveLength(0);
  });

  it('a blocked plan is not a blocked job when the model merely answers badly (that still backs off and retries)', async () => {
    const { job } = await planFor();
    w.gemini.script({ text: 'not json' }, { text: 'still not json' });
    await w.run();
    expect(await w.t.store.jobs.byId(job.id)).toMatchObject({ status: 'pending' });
    const checks = await runChecks(storeChecks(w.t.store, w.clock));
    expect(checks.find((c) => c.name === 'Blocked plans')!.status).toBe('ok');
  });

  it('`meetings replay` rephrases a blocked plan too, and says so when it is blocked again', async () => {
    const { meeting } = await planFor();
    w.gemini.script({ blocked: 'OTHER' }, { blocked: 'OTHER' });
    await expect(replayPlan(w.services, meeting.id, { dryRun: true })).rejects.toMatchObject({ code: 'GEMINI_BLOCKED', retryable: false });
    expect(w.gemini.calls).toHaveLength(2);
  });
});
