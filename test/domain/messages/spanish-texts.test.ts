import { describe, expect, it } from 'vitest';
import { CATALOGUES, languageInstruction } from '../../../src/domain/messages/index.js';
import { meetingTime, plural } from '../../../src/domain/messages/intl-text.js';
import { clientLabel, confirmationText, lateReminderText, reminderText } from '../../../src/domain/follow-up-text.js';
import { formatPlan } from '../../../src/domain/format-plan.js';
import { digestSummaryLine } from '../../../src/domain/digest-text.js';
import { compareWithRecent } from '../../../src/domain/practice-focus.js';
import { doneOutcome, type Outcome } from '../../../src/domain/outcome.js';
import { buildPlanPrompt } from '../../../src/domain/plan-prompt.js';
import { buildCoachRequest } from '../../../src/domain/conversation-prompts.js';
import type { ReportFigures } from '../../../src/domain/report-figures.js';

const es = CATALOGUES.es;
/** Mon 5 Jan 2026, 16:00-17:00 UTC: 10:00-11:00 in Mexico City (UTC-6). */
const START = Date.UTC(2026, 0, 5, 16, 0);
const END = Date.UTC(2026, 0, 5, 17, 0);

describe('Spanish texts', () => {
  it('dates in es-MX in the salesperson\'s time zone', () => {
    expect(meetingTime(es.locale, START, END, 'America/Mexico_City')).toBe('lun, 5 de ene de 2026, 10:00–11:00 (America/Mexico_City)');
    expect(meetingTime(es.locale, START, END, 'America/Argentina/Buenos_Aires')).toBe('lun, 5 de ene de 2026, 13:00–14:00 (America/Argentina/Buenos_Aires)');
    expect(lateReminderText('Revisión', 'Ana', END, 'America/Mexico_City', es)).toMatch(/^Revisión con Ana terminó el lun 5 de ene, 11:00 y no pude preguntarte/);
  });

  it('plurals from Intl.PluralRules and lists from Intl.ListFormat', () => {
    expect(plural(es.locale, 1, { one: '# reunión', other: '# reuniones' })).toBe('1 reunión');
    expect(plural(es.locale, 3, { one: '# reunión', other: '# reuniones' })).toBe('3 reuniones');
    expect(plural(es.locale, 1200, { one: '# reunión', other: '# reuniones' })).toBe('1,200 reuniones');
    const people = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `P${i + 1}`, email: null, company: null }));
    expect(clientLabel(people(2), es)).toBe('P1 y P2');
    expect(clientLabel(people(3), es)).toBe('P1, P2 y 1 persona más');
    expect(clientLabel(people(4), es)).toBe('P1, P2 y 2 personas más');
    expect(clientLabel([], es)).toBe('tu cliente');
    expect(clientLabel(people(4))).toBe('P1, P2 and 2 others');
  });

  it('reminder and confirmation with one and several tasks, dates of next steps in Spanish', () => {
    expect(reminderText('Revisión trimestral', 'Ana López', es)).toBe('¿Cómo te fue en Revisión trimestral con Ana López? Responde con el resultado y los próximos pasos, o solo Listo.');
    const outcome: Outcome = { ...doneOutcome('x'), source: 'model', result: 'Quieren un piloto', nextSteps: [{ action: 'Armar el piloto', due: '2026-03-01' }] };
    const one = confirmationText({ title: 'Revisión', outcome, loggedFor: ['Ana López (Acme)'], tasks: 1 }, es);
    expect(one).toBe('Registré Revisión en HubSpot para Ana López (Acme) con 1 tarea de seguimiento: "Quieren un piloto". Próximos pasos: Armar el piloto (antes del 1 mar 2026).');
    expect(confirmationText({ title: 'Revisión', outcome, loggedFor: ['Ana'], tasks: 2 }, es)).toContain('con 2 tareas de seguimiento');
    const done = confirmationText({ title: 'Revisión', outcome: doneOutcome('Listo'), loggedFor: [], tasks: 0, problem: es.followUp.problem({ kind: 'notConfigured' }) }, es);
    expect(done).toBe('Guardé el resultado de Revisión: marcada como lista. HubSpot no está configurado (hubspot.accessToken), así que no se registró nada ahí.');
  });

  it('plan headings in Spanish around the model\'s text', () => {
    const plan = { greeting: '¡Hola!', summary: 'Resumen.', steps: ['a', 'b', 'c'], objections: [{ objection: 'Caro', answer: 'Valor' }], questions: ['¿Por qué?'], openingLine: 'Hola' };
    const text = formatPlan(plan, { title: 'Renovación', when: meetingTime(es.locale, START, END, 'America/Mexico_City') }, es);
    expect(text.split('\n\n').map((s) => s.split('\n')[0])).toEqual([
      '*Plan de preparación: Renovación*', '¡Hola!', 'Resumen.', '*Prepárate*', '*Objeciones probables*', '*Preguntas para hacer*', '*Frase de apertura*',
      'Responde *practicar* para ensayar conmigo haciendo de cliente, o *ayuda* para ver todo lo que puedo hacer.',
    ]);
    expect(text).toContain('_lun, 5 de ene de 2026, 10:00–11:00 (America/Mexico_City)_');
  });

  it('numbers with the locale\'s decimal mark: the digest line and the practice comparison', () => {
    const figures = { meetings: 1, plansSent: 1, roleplays: 2, averageScore: 6.5, missingOutcomes: [{}] } as unknown as ReportFigures;
    expect(digestSummaryLine(figures, es)).toBe('1 reunión (1 preparada); 2 prácticas, promedio 6.5/10; falta 1 resultado');
    expect(digestSummaryLine(figures)).toBe('1 meeting (1 prepared); 2 role-plays, average 6.5/10; 1 outcome missing');
    expect(compareWithRecent(8, [{ score: 6, discovery: 6, objectionHandling: 6, nextStep: 6 }], es)).toBe('Mejor que el 6 de tu última práctica.');
  });

  it('prompts name the salesperson\'s language', () => {
    expect(languageInstruction('es')).toBe('Write in Spanish (es).');
    expect(languageInstruction('xx')).toBe('Write in English (en).');
    const brief = { title: 'Renovación', bodyPreview: null, location: null, startAt: START, endAt: END, timeZone: 'UTC', salespersonName: 'Sara', clients: [], crm: [], language: 'es' };
    expect(buildPlanPrompt(brief).system).toContain('Write in Spanish (es).');
    expect(buildCoachRequest(brief, undefined, [], 'hola', 500).system).toContain('Write in Spanish (es).');
    expect(buildPlanPrompt({ ...brief, language: undefined }).system).toContain('Write in English (en).');
  });
});
