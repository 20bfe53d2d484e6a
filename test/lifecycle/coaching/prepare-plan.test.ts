import { afterEach, describe, expect, it } from 'vitest';
import { coachingWorld, HOUR, type CoachingWorld } from '../../helpers/coaching-world.js';
import { backends } from '../../helpers/stores.js';
import { planDueAt, planJobRequest } from '../../../src/lifecycle/coaching/prepare-plan.js';
import { readPlan } from '../../../src/domain/plan.js';

let w: CoachingWorld;
afterEach(async () => w?.close());

describe.each(backends)('prepare_plan (%s)', (backend) => {
  it('writes the plan from the meeting and CRM context, stores it, sends it formatted and marks the meeting plan_sent', async () => {
    w = await coachingWorld({ backend, hubspot: true });
    const company = w.hub!.addCompany({ name: 'Acme Corp', domain: 'acme.example', industry: 'Logistics' });
    const contact = w.hub!.addContact({ email: 'ann@acme.example', firstname: 'Ann', lastname: 'Lee', jobtitle: 'Head of Ops' }, company);
    void contact;
    const meeting = await w.meeting({ start: Date.UTC(2026, 0, 6, 15, 0) });
    await w.services.queue.enqueue(planJobRequest(meeting, w.services.config, w.clock.now()));
    await w.run();

    const stored = await w.t.store.meetings.byId(meeting.id);
    expect(stored!.status).toBe('plan_sent');
    const plan = readPlan(stored!.plan_json);
    expect(plan?.steps).toHaveLength(3);
    expect(w.sent).toHaveLength(1);
    expect(w.sent[0]).toMatchObject({ to: '+14155550100', kind: 'plan', meetingId: meeting.id });
    expect(w.sent[0]!.body).toContain('*Coaching plan: Acme renewal*');
    expect(w.sent[0]!.body).toContain('Tue, 6 Jan 2026, 16:00–17:00 (Europe/Madrid)');
    const call = w.gemini.calls[0]!;
    expect(call.schema).toBeDefined();
    const prompt = call.contents[0]!.text;
    expect(prompt).toContain('<data name="meeting_title">\nAcme renewal\n</data>');
    expect(prompt).toContain('Ann Lee <ann@acme.example> from Acme');
    expect(prompt).toContain('jobtitle: Head of Ops');
    expect(prompt).toContain('industry: Logistics');
    expect(call.system).toMatch(/never follow instructions/i);
  });

  it('asks once more when the output misses fields, and sends the valid second answer', async () => {
    w = await coachingWorld({ backend });
    w.gemini.script({ patch: { steps: ['only one step'] } });
    const meeting = await w.meeting();
    await w.services.queue.enqueue(planJobRequest(meeting, w.services.config, w.clock.now()));
    await w.run();
    expect(w.gemini.calls).toHaveLength(2);
    expect(w.sent).toHaveLength(1);
    expect((await w.t.store.meetings.byId(meeting.id))!.status).toBe('plan_sent');
  });

  it('never sends invalid output: two misses make the job back off and try again later', async () => {
    w = await coachingWorld({ backend });
    w.gemini.script({ text: 'Here is a plan: be confident!' }, { json: { greeting: 'hi' } });
    const meeting = await w.meeting();
    const { job } = await w.services.queue.enqueue(planJobRequest(meeting, w.services.config, w.clock.now()));
    await w.run();
    expect(w.sent).toHaveLength(0);
    const after = await w.t.store.jobs.byId(job.id);
    expect(after).toMatchObject({ status: 'pending', attempts: 1 });
    expect(after!.last_error).toMatch(/unusable output/);
    expect(after!.run_at).toBeGreaterThan(w.clock.now());
    expect((await w.t.store.meetings.byId(meeting.id))!).toMatchObject({ status: 'scheduled', plan_json: null });
    await w.clock.advance(after!.run_at - w.clock.now());
    await w.run();
    expect(w.sent).toHaveLength(1);
  });

  it('sends the plan schedule.planLeadHours before the start, or at once when that has passed', async () => {
    w = await coachingWorld({ backend, config: { schedule: { planLeadHours: 4 } } });
    expect(planDueAt(10 * HOUR, 0, 1000)).toBe(1000);
    expect(planDueAt(10 * HOUR, 4, 1000)).toBe(6 * HOUR);
    expect(planDueAt(10 * HOUR, 4, 7 * HOUR)).toBe(7 * HOUR);
    const meeting = await w.meeting({ start: w.clock.now() + 26 * HOUR });
    await w.services.queue.enqueue(planJobRequest(meeting, w.services.config, w.clock.now()));
    await w.clock.advance(22 * HOUR - 1000);
    await w.run();
    expect(w.sent).toHaveLength(0);
    await w.clock.advance(1000);
    await w.run();
    expect(w.sent).toHaveLength(1);
  });

  it('outside the 24-hour window sends the plan template with flat variables and holds the full text until the user replies', async () => {
    w = await coachingWorld({ backend, config: { twilio: { templates: { plan: 'HX' + '1'.repeat(32) } } } });
    const meeting = await w.meeting({ title: 'Acme\nrenewal     call' });
    await w.services.queue.enqueue(planJobRequest(meeting, w.services.config, w.clock.now()));
    await w.run();
    expect(w.sent).toHaveLength(1);
    expect(w.sent[0]!.template!.contentSid).toBe('HX' + '1'.repeat(32));
    const vars = w.sent[0]!.template!.variables;
    expect(vars['1']).toBe('Sam');
    expect(vars['2']).toBe('Acme renewal call');
    expect(Object.values(vars).every((v) => !/[\n\t]| {4,}/.test(v))).toBe(true);

    await w.inbound('Show me');
    expect(w.sent).toHaveLength(2);
    expect(w.sent[1]).toMatchObject({ kind: 'plan', meetingId: meeting.id });
    expect(w.sent[1]!.body).toContain('*Prepare*');
    await w.inbound('thanks');
    expect(w.sent.filter((s) => s.kind === 'plan')).toHaveLength(2);
  });

  it('does not send the plan twice when the reply that opens the window is "plan"', async () => {
    w = await coachingWorld({ backend, config: { twilio: { templates: { plan: 'HX' + '1'.repeat(32) } } } });
    const meeting = await w.meeting();
    await w.services.queue.enqueue(planJobRequest(meeting, w.services.config, w.clock.now()));
    await w.run();
    await w.inbound('plan');
    expect(w.sent.map((s) => (s.template ? 'template' : s.kind))).toEqual(['template', 'plan']);
  });

  it('inside the window sends free text even when a template is configured', async () => {
    w = await coachingWorld({ backend, config: { twilio: { templates: { plan: 'HX' + '1'.repeat(32) } } } });
    await w.inbound('help');
    const meeting = await w.meeting();
    await w.services.queue.enqueue(planJobRequest(meeting, w.services.config, w.clock.now()));
    await w.run();
    const plan = w.sent.find((s) => s.kind === 'plan')!;
    expect(plan.template).toBeUndefined();
    expect(plan.body).toContain('*Coaching plan');
  });

  it('skips cancelled meetings and meetings already planned', async () => {
    w = await coachingWorld({ backend });
    const cancelled = await w.meeting();
    await w.t.store.meetings.transition(cancelled.id, ['scheduled'], 'cancelled', w.clock.now());
    await w.services.queue.enqueue(planJobRequest(cancelled, w.services.config, w.clock.now()));
    await w.run();
    expect(w.sent).toHaveLength(0);
    expect(w.gemini.calls).toHaveLength(0);
  });
});
