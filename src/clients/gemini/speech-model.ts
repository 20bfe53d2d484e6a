/**
 * Text to speech, kept apart from LanguageModel: another model (gemini.speechModel), another
 * answer (audio, not text), and optional (conversation.voiceReplies). Callers never see SDK types.
 */
export interface SpeechRequest {
  /** Read out word for word: TTS models speak their input, so no instructions go in here. */
  text: string;
  /** The salesperson's language code ("en", "es"): speechConfig.languageCode. */
  language?: string;
}

export interface SpeechAudio {
  audio: Uint8Array;
  /** As Gemini labelled it: "audio/L16;codec=pcm;rate=24000", or "audio/wav". */
  mimeType: string;
}

export interface SpeechModel {
  /** ProviderError, ModelBlockedError or ModelOutputError (no audio in the answer) on failure. */
  speak(request: SpeechRequest): Promise<SpeechAudio>;
}
