import { describe, expect, it } from 'vitest';
import { clientLabel, confirmationText, formatWhen, lateReminderText, noteBody, reminderText } from '../../src/domain/follow-up-text.js';
import { doneOutcome, type Outcome } from '../../src/domain/outcome.js';

const c = (name: string | null, email: string | null = null, company: string | null = null) => ({ name, email, company });

describe('follow-up text', () => {
  it('names the clients', () => {
    expect(clientLabel([])).toBe('your client');
    expect(clientLabel([c(null, 'ann@acme.example')])).toBe('ann@acme.example');
    expect(clientLabel([c('Ann Lee'), c('Bob Roe')])).toBe('Ann Lee and Bob Roe');
    expect(clientLabel([c('Ann'), c('Bob'), c('Cy'), c(null, null, 'Acme')])).toBe('Ann, Bob and 2 others');
  });

  it('asks the issue\'s question, and words a late one with the meeting time in the user\'s zone', () => {
    expect(reminderText('Quarterly review', 'Ann Lee')).toBe('How did Quarterly review with Ann Lee go? Reply with the outcome and next steps, or just Done.');
    expect(formatWhen(Date.UTC(2026, 0, 5, 14, 0), 'Europe/Madrid')).toBe('Mon 5 Jan, 15:00');
    expect(lateReminderText('Review', 'Ann', Date.UTC(2026, 0, 5, 14, 0), 'Europe/Madrid')).toMatch(/^Review with Ann ended Mon 5 Jan, 15:00, and I couldn't ask you then\. How did it go\?/);
  });

  it('writes an escaped HTML note with the title, time, outcome, next steps, plan summary and marker', () => {
    const outcome: Outcome = { result: 'They want a <pilot>', nextSteps: [{ action: 'Pilot', due: '2026-03-01' }], sentiment: 'positive', source: 'model', reply: 'Done - pilot' };
    const body = noteBody({ meetingId: 7, title: 'Review & plan', startAt: Date.UTC(2026, 0, 5, 10), endAt: Date.UTC(2026, 0, 5, 11), timeZone: 'UTC', outcome, planSummary: 'Lead with ROI', salesperson: 'Sam' });
    expect(body).toContain('<strong>Review &amp; plan</strong>');
    expect(body).toContain('Mon 5 Jan, 10:00 to 11:00 (UTC)');
    expect(body).toContain('They want a &lt;pilot&gt;');
    expect(body).toContain('<li>Pilot (by 1 Mar 2026)</li>');
    expect(body).toContain('Lead with ROI');
    expect(body).toContain('[rolplay:meeting:7]');
  });

  it('confirms what was logged, or why nothing was', () => {
    const outcome: Outcome = { result: 'Pilot in March', nextSteps: [{ action: 'Pilot', due: '2026-03-01' }], sentiment: 'positive', source: 'model', reply: 'x' };
    expect(confirmationText({ title: 'Review', outcome, loggedFor: ['Ann Lee (Acme)'], tasks: 1 }))
      .toBe('Logged Review to HubSpot for Ann Lee (Acme) and 1 follow-up task: "Pilot in March". Next steps: Pilot (by 1 Mar 2026).');
    expect(confirmationText({ title: 'Review', outcome: doneOutcome('Done'), loggedFor: [], tasks: 0, problem: 'HubSpot is not set up.', next: 'Next: ...' }))
      .toBe('Saved the outcome of Review: marked as done. HubSpot is not set up.\n\nNext: ...');
  });
});
