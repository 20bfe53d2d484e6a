import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/support/logger.js';
import { runDemo } from '../../src/demo/run-demo.js';
import { runCli } from '../helpers/run-cli.js';

describe('rolplay demo', () => {
  it('runs the whole lifecycle against the simulators: welcome, plan, answer, role-play and score, reminder, outcome, HubSpot note', async () => {
    const lines: string[] = [];
    const result = await runDemo({ logger: silentLogger(), print: (l = '') => lines.push(l), today: new Date(Date.UTC(2026, 2, 2)) });
    expect(result.steps).toBe(12);
    const out = result.whatsApp.filter((m) => m.direction === 'out').map((m) => m.kind);
    expect(out[0]).toBe('welcome');
    expect(out).toContain('plan');
    expect(out).toContain('reminder');
    expect(out.indexOf('plan')).toBeLessThan(out.indexOf('reminder'));
    const text = lines.join('\n');
    expect(text).toContain('the Gemini simulator\'s scripted model');
    expect(text).toMatch(/\*Coaching plan: Acme renewal\*/);
    // The recurring check-in: its first occurrence's plan, filled in from the series master.
    expect(text).toMatch(/\*Coaching plan: Acme weekly check-in\*/);
    expect(out.filter((k) => k === 'plan')).toHaveLength(2);
    expect(text).toMatch(/Role-play \(normal\): I am Ann Lee now/);
    // The voice note: shown as understood, answered by the coach like a typed question.
    expect(text).toMatch(/Sara:\n {4}🎤 voice note: "Ann mentioned a competitor last time\. How do I bring up our uptime record without sounding defensive\?"\n\[\d\d:\d\d\] rolplay:\n {4}\S/);
    expect(text).toMatch(/\*Practice score: \d+\/10\*/);
    expect(text).toMatch(/\[11:01\] rolplay:\n {4}How did Acme renewal/);
    expect(text).toMatch(/── HubSpot: contact Ann Lee \(Acme Corp\)/);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]!.body).toContain('60-day pilot');
    // The outcome is the salesperson's words, not the prompt that carried them.
    expect(result.notes[0]!.body).toContain("<strong>Outcome:</strong> Ann agreed to a 60-day pilot");
    expect(result.notes[0]!.body).not.toContain('Salesperson\'s reply');
    expect(text).not.toContain('&quot;');
    expect(result.simulatedMs).toBeGreaterThan(2 * 3_600_000);
  });

  it('is a CLI command that needs no config and exits 0', async () => {
    const run = await runCli(['demo'], { GEMINI_API_KEY: '' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Demo finished in [\d.]+ s/);
    expect(run.stdout).toContain('WhatsApp: Sara Lopez\'s phone');
  });
});
