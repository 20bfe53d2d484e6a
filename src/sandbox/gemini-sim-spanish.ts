import type { GeminiSimCall } from './gemini-simulator.js';

/**
 * The simulator's unscripted answers in Spanish, for prompts that ask for it ("Write in Spanish
 * (es)." is how rolplay names the salesperson's language; see domain/messages languageInstruction).
 * Gemini writes in the language the instructions ask for; these stand in for that so a test and
 * `rolplay demo` can see Spanish end to end. Same shapes as the English tables in
 * gemini-sim-replies.ts.
 */
export interface SpanishFacts {
  title: string;
  client: string;
  company: string;
  salesperson: string;
  agenda: string;
  transcript: string;
  userTurns: number;
  hard: boolean;
}

export function asksForSpanish(call: Pick<GeminiSimCall, 'system'>): boolean {
  return /\bWrite in Spanish \(es\)/.test(call.system);
}

export const SPANISH_STRINGS: Record<string, (f: SpanishFacts) => string> = {
  greeting: (f) => `¡Hola, ${f.salesperson}! Aquí está tu plan para “${f.title}”.`,
  summary: (f) => (f.transcript
    ? 'Respondiste a varias intervenciones del cliente y mantuviste la conversación en movimiento. El próximo paso al final podría ser más firme.'
    : `${f.client}${f.company ? ` de ${f.company}` : ''} se reúne contigo para hablar de “${f.title}”. Aprovecha para entender qué motiva su interés ahora, muestra el valor en sus términos y sal con un próximo paso con fecha.`),
  openingLine: (f) => `Gracias por tu tiempo, ${firstName(f.client)}: antes de mostrarte nada, ¿qué haría que esta reunión valiera la pena para ti?`,
};

export const SPANISH_ARRAYS: Record<string, (f: SpanishFacts) => unknown[]> = {
  steps: (f) => [
    `Revisa las noticias recientes de ${f.company || f.client} y sus últimas interacciones, y anota dos datos para mencionar.`,
    `Escribe el resultado que quieres de “${f.title}” y el próximo paso que vas a proponer.`,
    'Prepara un caso de cliente de dos minutos con cifras parecidas a su situación.',
  ],
  objections: (f) => [
    { objection: 'Ya trabajamos con otro proveedor.', answer: `Pregunta qué funciona bien y qué cambiarían; muestra dónde ganaría ${f.company || 'el cliente'} sin un cambio riesgoso.` },
    { objection: 'Suena caro.', answer: 'Primero pon en números el costo del problema y luego ofrece un piloto pequeño con criterios de éxito claros.' },
  ],
  questions: () => [
    '¿Qué hizo que este tema se volviera prioridad ahora?',
    '¿Quién más participa en la decisión y cómo suelen decidir?',
    '¿Cómo se vería el éxito dentro de seis meses?',
  ],
  tips: () => [
    'Haz al menos dos preguntas abiertas antes de presentar nada.',
    'Cierra proponiendo una fecha concreta para el próximo paso en lugar de preguntar si les interesa.',
  ],
  nextSteps: () => [{ action: 'Enviar el resumen y la propuesta', due: null }],
};

export function spanishClientLine(f: SpanishFacts): string {
  const company = f.company || 'nuestra empresa';
  const lines = f.hard
    ? [
      `Tengo diez minutos. En ${company} estamos contentos con nuestro proveedor actual, así que convénceme de que esto vale la pena.`,
      'Su competencia nos cotizó un 30 % menos el mes pasado. ¿Por qué pagaríamos más?',
      'Está bien, una llamada corta con mi responsable de finanzas. Si los números no cierran, ahí lo dejamos.',
    ]
    : [
      `Gracias por tu tiempo. La verdad, en ${company} ya trabajamos con otro proveedor, ¿por qué deberíamos ver esto?`,
      'Suena bien en papel, pero ¿cuánto nos costaría y cómo se compara con lo que pagamos hoy?',
      'Está bien. Mándame una propuesta corta con números y la reviso la próxima semana.',
    ];
  return lines[Math.min(Math.max(f.userTurns - 1, 0), lines.length - 1)]!;
}

export function spanishCoachText(f: SpanishFacts): string {
  const topic = f.title ? ` para “${f.title}”` : '';
  return `Buena pregunta. Mi sugerencia${topic}: empieza preguntándole a ${firstName(f.client)} qué motivó la reunión, escucha el impacto en su negocio y solo después conéctalo con tu oferta. Cierra con un próximo paso concreto y una fecha.`;
}

function firstName(name: string): string {
  return name.split(/\s+/)[0] || name;
}
