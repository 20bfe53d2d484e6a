import type { Messages } from './catalogue.js';

export const en = {
  locale: 'en-GB',
  names: ['en', 'english', 'inglés', 'ingles'],
  // (voice section last)
  voice: {
    unsupportedMedia: 'I can read text and listen to voice notes, but not images or documents. Type your message or send a voice note.',
  },
} satisfies Messages;
