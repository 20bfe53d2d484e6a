import type { Messages } from './catalogue.js';

export const es = {
  locale: 'es-MX',
  names: ['es', 'español', 'espanol', 'spanish'],
  // (voice section last)
  voice: {
    unsupportedMedia: 'Puedo leer texto y escuchar notas de voz, pero no imágenes ni documentos. Escribe tu mensaje o envía una nota de voz.',
    couldNotFetch: 'No pude abrir esa nota de voz. Escribe tu mensaje o vuelve a enviarla, por favor.',
    notUnderstood: 'Perdón, no logré entender esa nota de voz. Escribe tu mensaje o grábala de nuevo, por favor.',
    tooLong: (limit) => `Esa nota de voz dura más de ${limit} y no alcanzo a escucharla. Escríbela o manda una más corta, por favor.`,
    heard: (transcript) => `🎤 Entendí: "${transcript}"`,
  },
} satisfies Messages;
