import type { Messages } from './catalogue.js';

export const en = {
  locale: 'en-GB',
  names: ['en', 'english', 'inglés', 'ingles'],
  // (voice section last)
  voice: {
    unsupportedMedia: 'I can read text and listen to voice notes, but not images or documents. Type your message or send a voice note.',
    couldNotFetch: 'I could not open that voice note. Please type your message or send it again.',
    notUnderstood: 'Sorry, I could not make out that voice note. Please type your message or record it again.',
    tooLong: (limit) => `That voice note is longer than ${limit}, more than I can listen to. Please type it or send a shorter one.`,
    heard: (transcript) => `🎤 I heard: "${transcript}"`,
  },
} satisfies Messages;
