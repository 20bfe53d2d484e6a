import type { Messages } from './catalogue.js';
import { plural } from './intl-text.js';

/** Neutral Latin American Spanish, "tú" (the team is in Mexico and Argentina). */
const locale = 'es-MX';
const rubric = { discovery: 'descubrimiento', objectionHandling: 'manejo de objeciones', nextStep: 'próximo paso' } as const;

export const es = {
  locale,
  names: ['es', 'español', 'espanol', 'spanish'],
  englishName: 'Spanish',
  nativeName: 'español',
  general: {
    welcome: ({ firstName, botEmail }) => [
      `¡Hola, ${firstName}! Ya tienes acceso a rolplay, tu coach de ventas.`,
      `Invita a ${botEmail} a una reunión con un cliente en Outlook y te mandaré aquí un plan de preparación, practicaré contigo y después registraré el resultado.`,
      'Escribe "ayuda" cuando quieras para ver lo que puedo hacer.',
    ].join('\n\n'),
    notRegistered: 'Este número no está registrado en rolplay. Si eres parte del equipo de ventas, pídele a tu administrador que te agregue.',
    yourClient: 'tu cliente',
    cancelled: ({ title, when }) => `Aviso: "${title}" (${when}) se canceló en Outlook. Detuve su preparación y su recordatorio. Si se reprograma, la retomo.`,
    languageChanged: 'Listo: a partir de ahora te escribo en español. _For English, send *language en*._',
    languageUnknown: ({ asked, available }) => `Todavía no hablo "${asked}". Puedo escribirte en ${available}: envía *idioma* seguido de uno de ellos.`,
    languageCurrent: ({ available }) => `Te escribo en español. También puedo escribirte en ${available}: envía *idioma* seguido de uno de ellos, por ejemplo *idioma en*.`,
    coachNotConfigured: 'Por ahora solo puedo seguir comandos (envía *ayuda*): el modelo del coach no está configurado. Pídele a tu administrador que configure gemini.apiKey.',
    coachRefused: 'Perdón, no puedo responder eso. ¿Puedes decirlo de otra forma? Te ayudo con tu reunión, el cliente o cómo manejar una objeción.',
    coachCannotHelp: 'Con eso no te puedo ayudar. Pregúntame sobre tu reunión, el cliente o cómo manejar una objeción.',
  },
  commands: {
    help: [
      '*rolplay, tu coach de ventas*',
      '• *reuniones*: tus próximas reuniones',
      '• *cambiar N*: hablar de la reunión número N',
      '• *plan*: volver a enviarte el plan',
      '• *practicar* (o *practicar fácil* / *practicar difícil*): yo hago de cliente',
      '• *parar*: terminar la práctica y recibir tu calificación, comparada con las últimas tres',
      '_En cada práctica, el cliente insiste en tu punto más débil últimamente (descubrimiento, objeciones o próximo paso)._',
      '• *resumen off* / *resumen on*: pausar o reanudar tu resumen semanal',
      '• *idioma en*: switch to English',
      '• cualquier otra cosa: pregúntame sobre tu reunión',
    ].join('\n'),
    helpAbout: ({ title }) => `\n\nAhora estamos hablando de *${title}*.`,
    noMeetings: 'No tienes próximas reuniones con clientes. Invita al coach a una en Outlook y te preparo un plan.',
    planNotReady: ({ title }) => `El plan para *${title}* todavía no está listo. Te lo mando en cuanto esté.`,
    meetingsHeading: '*Tus reuniones*',
    meetingsFooter: 'Envía *cambiar N* para hablar de otra.',
    noSuchMeeting: ({ index, count }) => `No hay una reunión ${index}. ${count === 0 ? 'No tienes próximas reuniones.' : `Elige un número del 1 al ${count} (envía *reuniones* para verlas).`}`,
    switched: ({ title, when, roleplayStopped }) => `Ahora hablamos de *${title}*, ${when}${roleplayStopped ? ' (detuve la práctica)' : ''}. Pregúntame lo que quieras, o envía *plan* o *practicar*.`,
    digestOn: 'Tu resumen semanal está activado: al terminar la semana te mando un resumen (reuniones, prácticas, resultados). Envía *resumen off* para pausarlo.',
    digestOff: 'Tu resumen semanal está pausado. Envía *resumen on* para recibirlo de nuevo.',
    digestUnscheduled: ' (Los resúmenes semanales todavía no están activados para tu equipo).',
  },
  plan: {
    heading: ({ title }) => `Plan de preparación: ${title}`,
    prepare: 'Prepárate',
    objections: 'Objeciones probables',
    questions: 'Preguntas para hacer',
    openingLine: 'Frase de apertura',
    footer: 'Responde *practicar* para ensayar conmigo haciendo de cliente, o *ayuda* para ver todo lo que puedo hacer.',
  },
  roleplay: {
    noMeeting: 'Todavía no hay una reunión para practicar. Envía *reuniones* para elegir una.',
    notConfigured: 'Para practicar hace falta el modelo Gemini, que todavía no está configurado. Pídele a tu administrador que configure gemini.apiKey.',
    startRefused: 'Perdón, no pude empezar la práctica para esta reunión. Prueba *practicar fácil* o pregúntame sobre la reunión.',
    turnRefused: '_(El cliente no quiso responder a eso. Prueba decirlo de otra forma, o envía *parar* para terminar y recibir tu calificación.)_',
    scoreRefused: 'Práctica terminada. Perdón, no pude calificarla. Envía *practicar* para volver a practicar.',
    cannotContinue: 'La práctica no puede continuar. Envía *parar* para terminarla.',
    notRunning: 'No hay ninguna práctica en curso. Envía *practicar* (o *practicar difícil*) para empezar una.',
    nothingToScore: 'Práctica terminada. Todavía no había nada que calificar: envía *practicar* y respóndele al cliente unas cuantas veces primero.',
    sayAgain: 'Perdón, ¿me lo puedes decir de otra forma?',
    difficulty: { easy: 'fácil', normal: 'normal', hard: 'difícil' },
    intro: ({ difficulty, client, focus }) => `_Práctica (${difficulty}): ahora soy ${client}.${focus ? ` ${focus}` : ''} Envía *parar* para terminar y recibir tu calificación._`,
    rubric,
    focusIntro: ({ part, average, practices }) =>
      `Este cliente pone a prueba tu ${rubric[part]}, tu punto más débil últimamente (${average}/10 en ${practices === 1 ? 'tu última práctica' : `tus últimas ${practices} prácticas`}).`,
    compared: ({ direction, average, practices }) => {
      const base = practices === 1 ? `el ${average} de tu última práctica` : `tu promedio de ${average} en las últimas ${practices} prácticas`;
      return `${{ up: 'Mejor que', down: 'Por debajo de', level: 'Igual que' }[direction]} ${base}.`;
    },
    firstPractice: 'Tu primera práctica calificada: las siguientes se comparan con esta.',
    trained: ({ part, mark }) => `Esta práctica entrenó tu ${rubric[part]}: ${mark}/10.`,
    scoreHeading: ({ score }) => `Calificación de la práctica: ${score}/10`,
    scoreParts: (s) => `Descubrimiento ${s.discovery}/10 · Manejo de objeciones ${s.objectionHandling}/10 · Próximo paso ${s.nextStep}/10`,
    twoTips: 'Dos consejos',
    practiseAgain: 'Envía *practicar* (o *practicar difícil*) para volver a practicar.',
  },
  followUp: {
    reminder: ({ title, client }) => `¿Cómo te fue en ${title} con ${client}? Responde con el resultado y los próximos pasos, o solo Listo.`,
    lateReminder: ({ title, client, ended }) => `${title} con ${client} terminó el ${ended} y no pude preguntarte en ese momento. ¿Cómo te fue? Responde con el resultado y los próximos pasos, o solo Listo.`,
    nudge: ({ title, client }) => `Sigo con ganas de saber cómo te fue en ${title} con ${client}. Responde con el resultado y los próximos pasos, o solo Listo.`,
    next: ({ question }) => `Siguiente: ${question}`,
    alreadyAnswered: ({ title }) => `Ya tengo tu respuesta sobre ${title} y la estoy registrando.`,
    alreadyLogged: ({ title, inHubSpot }) => `${title} ya está registrada${inHubSpot ? ' en HubSpot' : ''}; no hace falta nada más.`,
    others: ({ count }) => plural(locale, count, { one: '# persona más', other: '# personas más' }),
    markedDone: 'marcada como lista',
    nextSteps: ({ steps }) => ` Próximos pasos: ${steps}.`,
    dueBy: ({ action, day }) => `${action} (antes del ${day})`,
    logged: ({ title, people, tasks, summary }) =>
      `Registré ${title} en HubSpot para ${people}${tasks > 0 ? ` con ${plural(locale, tasks, { one: '# tarea de seguimiento', other: '# tareas de seguimiento' })}` : ''}: ${summary}.`,
    note: ({ problem }) => ` Nota: ${problem}`,
    saved: ({ title, summary }) => `Guardé el resultado de ${title}: ${summary}.`,
    problem: (p) => {
      switch (p.kind) {
        case 'notConfigured': return 'HubSpot no está configurado (hubspot.accessToken), así que no se registró nada ahí.';
        case 'noClientEmail': return 'No se registró nada en HubSpot: la reunión no tiene el correo de ningún cliente.';
        case 'noContact': {
          const what = `no hay un contacto de HubSpot para ${p.missing.join(', ')}${p.canCreate ? '' : ' (activa hubspot.createMissingContacts para crearlos)'}.`;
          return p.noteLogged ? `Ojo: ${what}` : `No se registró nada en HubSpot: ${what}`;
        }
        case 'failed': {
          const why = { token: 'su token de acceso no es válido', permission: 'a la app de rolplay le falta un permiso de HubSpot', limit: 'se agotó el límite de la API de HubSpot', unreachable: 'no se pudo conectar con HubSpot' }[p.why];
          return p.noteLogged
            ? `La nota está en HubSpot, pero no se pudieron crear las tareas de seguimiento: ${why}. Ya le avisé a tu administrador.`
            : `No se pudo registrar en HubSpot: ${why}. Ya le avisé a tu administrador.`;
        }
      }
    },
  },
  digest: {
    heading: ({ period }) => `*Tu semana con rolplay* (${period})`,
    period: ({ days, to }) => `los ${days} días hasta el ${to}`,
    meetings: ({ meetings, prepared }) => `• Reuniones: ${meetings}, ${prepared} preparadas con un plan`,
    noRoleplays: '• Prácticas: ninguna esta semana. Envía *practicar* para preparar tu próxima reunión.',
    roleplays: ({ count, average, change, trend }) => `• Prácticas: ${count}, promedio ${average}/10${change}${trend}`,
    change: ({ direction, by }) => (direction === 'level' ? ', igual que la semana anterior' : `, ${by} ${direction === 'up' ? 'más' : 'menos'} que la semana anterior`),
    trend: ({ marks }) => `; por día ${marks}`,
    workOn: ({ part, average }) => `• Trabaja en: *${part}* (${average}/10 en promedio)`,
    outcomesLogged: ({ count }) => `• Resultados registrados en HubSpot: ${count}`,
    missingHeading: '• Todavía falta el resultado de:',
    missingItem: ({ title, day, answered }) => `  - ${title}, ${day}${answered ? ' (respondida, aún no está en HubSpot)' : ''}`,
    more: ({ count }) => `  - y ${plural(locale, count, { one: '# más', other: '# más' })}`,
    footer: ({ firstName }) => `_Responde *resumen off* para dejar de recibir estos resúmenes semanales, ${firstName}._`,
    summaryLine: ({ meetings, prepared, roleplays, average, missing }) => [
      `${plural(locale, meetings, { one: '# reunión', other: '# reuniones' })} (${plural(locale, prepared, { one: '# preparada', other: '# preparadas' })})`,
      roleplays === 0 ? 'ninguna práctica' : `${plural(locale, roleplays, { one: '# práctica', other: '# prácticas' })}, promedio ${average}/10`,
      ...(missing > 0 ? [`${plural(locale, missing, { one: 'falta # resultado', other: 'faltan # resultados' })}`] : []),
    ].join('; '),
  },
  // (voice section last)
  voice: {
    unsupportedMedia: 'Puedo leer texto y escuchar notas de voz, pero no imágenes ni documentos. Escribe tu mensaje o envía una nota de voz.',
    couldNotFetch: 'No pude abrir esa nota de voz. Escribe tu mensaje o vuelve a enviarla, por favor.',
    notUnderstood: 'Perdón, no logré entender esa nota de voz. Escribe tu mensaje o grábala de nuevo, por favor.',
    tooLong: (limit) => `Esa nota de voz dura más de ${limit} y no alcanzo a escucharla. Escríbela o manda una más corta, por favor.`,
    heard: (transcript) => `🎤 Entendí: "${transcript}"`,
  },
} satisfies Messages;
