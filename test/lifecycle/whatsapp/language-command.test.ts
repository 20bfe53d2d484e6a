import { afterEach, describe, expect, it } from 'vitest';
import { coachingWorld, type CoachingWorld } from '../../helpers/coaching-world.js';
import { backends } from '../../helpers/stores.js';

let w: CoachingWorld;
afterEach(async () => w?.close());
const last = () => w.sent[w.sent.length - 1]!;
const language = async () => (await w.t.store.users.byId(w.user.id))!.language;

describe.each(backends)('"language es" / "idioma en" on WhatsApp (%s)', (backend) => {
  it('changes the salesperson\'s language, answers in the new one, and every later text follows', async () => {
    w = await coachingWorld({ backend });
    expect(await language()).toBe('en');
    await w.inbound('Idioma ESPAÑOL');
    expect(await language()).toBe('es');
    expect(last()).toMatchObject({ to: w.user.phone, kind: 'command' });
    expect(last().body).toBe('Listo: a partir de ahora te escribo en español. _For English, send *language en*._');
    await w.inbound('ayuda');
    expect(last().body).toMatch(/^\*rolplay, tu coach de ventas\*\n• \*reuniones\*/);
    await w.inbound('reuniones');
    expect(last().body).toBe('No tienes próximas reuniones con clientes. Invita al coach a una en Outlook y te preparo un plan.');
    await w.meeting({ title: 'Renovación Acme' });
    await w.inbound('reuniones');
    expect(last().body).toMatch(/^\*Tus reuniones\*\n1\. ▶ \*Renovación Acme\*, mar, 6 de ene de 2026, 12:00–13:00 \(Europe\/Madrid\)\n\nEnvía \*cambiar N\* para hablar de otra\.$/);
    await w.inbound('language inglés');
    expect(await language()).toBe('en');
    expect(last().body).toBe('Done: I will write to you in English from now on. _Para español, envía *idioma es*._');
  });

  it('an unknown language keeps the current one and lists the available ones; "language" alone says which is in use', async () => {
    w = await coachingWorld({ backend });
    await w.inbound('language klingon');
    expect(await language()).toBe('en');
    expect(last().body).toBe('I don\'t speak "klingon" yet. I can write to you in English (en) and español (es): send *language* followed by one of them.');
    await w.inbound('language');
    expect(last().body).toBe('I write to you in English. I can also write in español (es): send *language* followed by one of them, e.g. *language es*.');
    await w.inbound('idioma es');
    await w.inbound('idioma fr');
    expect(await language()).toBe('es');
    expect(last().body).toBe('Todavía no hablo "fr". Puedo escribirte en English (en) y español (es): envía *idioma* seguido de uno de ellos.');
  });

  it('the coach and the role-played client are asked for the salesperson\'s language, and the simulator answers in it', async () => {
    w = await coachingWorld({ backend });
    await w.meeting({ title: 'Renovación Acme' });
    await w.inbound('idioma es');
    await w.inbound('¿Cómo abro la reunión?');
    expect(w.gemini.calls.at(-1)!.system).toContain('Write in Spanish (es).');
    expect(last().body).toMatch(/^Buena pregunta\. Mi sugerencia para “Renovación Acme”/);
    await w.inbound('practicar');
    expect(w.gemini.calls.at(-1)!.system).toContain('Write in Spanish (es).');
    expect(last().body).toMatch(/^🎭 _Práctica \(normal\): ahora soy Ann Lee\. Envía \*parar\* para terminar y recibir tu calificación\._\n\nGracias por tu tiempo\./);
    await w.inbound('¿Qué les preocupa del proveedor actual?');
    await w.inbound('parar');
    expect(last().kind).toBe('roleplay_score');
    expect(last().body).toMatch(/^\*Calificación de la práctica: \d+\/10\*\n\nDescubrimiento \d+\/10 · Manejo de objeciones/);
    expect(last().body).toContain('Tu primera práctica calificada');
    expect(last().body).toContain('*Dos consejos*\n1. Haz al menos dos preguntas abiertas');
  });
});
