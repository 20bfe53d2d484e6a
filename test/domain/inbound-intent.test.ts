import { describe, expect, it } from 'vitest';
import { parseIntent } from '../../src/domain/inbound-intent.js';

describe('parseIntent', () => {
  it.each([
    ['help', { kind: 'help' }], ['HELP', { kind: 'help' }], ['Ayuda', { kind: 'help' }], ['help?', { kind: 'help' }], ['/help', { kind: 'help' }],
    ['plan', { kind: 'plan' }], ['Plan.', { kind: 'plan' }],
    ['meetings', { kind: 'meetings' }], ['Reuniones', { kind: 'meetings' }], ['reuniónes', { kind: 'meetings' }],
    ['switch 2', { kind: 'switch', index: 2 }], ['Cambiar 3', { kind: 'switch', index: 3 }], ['switch to #4', { kind: 'switch', index: 4 }],
    ['roleplay', { kind: 'roleplay', difficulty: 'normal' }], ['Roleplay HARD', { kind: 'roleplay', difficulty: 'hard' }],
    ['role-play easy', { kind: 'roleplay', difficulty: 'easy' }], ['practicar difícil', { kind: 'roleplay', difficulty: 'hard' }],
    ['stop', { kind: 'stop' }], ['STOP!', { kind: 'stop' }], ['Parar', { kind: 'stop' }], ['terminar', { kind: 'stop' }],
    ['digest off', { kind: 'digest', on: false }], ['Digest OFF.', { kind: 'digest', on: false }], ['weekly digest on', { kind: 'digest', on: true }],
    ['resumen off', { kind: 'digest', on: false }], ['Resumen semanal ON', { kind: 'digest', on: true }],
    ['language es', { kind: 'language', name: 'es' }], ['Language English', { kind: 'language', name: 'english' }],
    ['language español', { kind: 'language', name: 'espanol' }], ['IDIOMA ESPAÑOL', { kind: 'language', name: 'espanol' }],
    ['idioma inglés', { kind: 'language', name: 'ingles' }], ['Idioma EN!', { kind: 'language', name: 'en' }], ['/language fr', { kind: 'language', name: 'fr' }],
    ['idioma', { kind: 'language', name: null }], ['Language?', { kind: 'language', name: null }],
  ])('%s is a command', (text, intent) => {
    expect(parseIntent(text)).toEqual(intent);
  });

  it.each([
    'they asked us to stop the pilot', 'what plan do you suggest for pricing?', 'switch vendors', 'roleplay with my boss tomorrow', 'helpful, thanks',
    'digest off the record: they want a discount',
    'language is a barrier with this client', 'idioma: they only speak Portuguese', 'language es muy importante',
  ])('"%s" is conversation', (text) => {
    expect(parseIntent(text)).toEqual({ kind: 'text', text });
  });
});
