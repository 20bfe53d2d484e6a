import type { Messages } from './catalogue.js';

export const es = {
  locale: 'es-MX',
  names: ['es', 'español', 'espanol', 'spanish'],
  // (voice section last)
  voice: {
    unsupportedMedia: 'Puedo leer texto y escuchar notas de voz, pero no imágenes ni documentos. Escribe tu mensaje o envía una nota de voz.',
  },
} satisfies Messages;
