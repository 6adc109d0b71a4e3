// Voice notes to text with Whisper (any OpenAI-compatible /v1/audio/transcriptions).
// The audio is read from the person's workspace, where the gateway saved it.
import { ApplicationFailure } from '@temporalio/activity';
import type { Config } from '../infra/config.ts';
import { FailureTypes } from '../contracts/domain.ts';
import type { SessionActivities, TranscribeInput, TranscribeOutput } from '../contracts/session.ts';
import { log } from '../infra/logger.ts';
import { readPersonFile } from '../infra/workspace.ts';

export type VoiceConfig = Pick<
  Config,
  'dataDir' | 'whisperBaseUrl' | 'whisperApiKey' | 'whisperModel' | 'whisperLanguage'
>;

export function createVoiceActivities({ config }: { config: VoiceConfig }) {
  return {
    async transcribeVoice(input: TranscribeInput): Promise<TranscribeOutput> {
      if (!config.whisperApiKey) {
        throw ApplicationFailure.create({
          type: FailureTypes.voiceUnreadable,
          message: 'Voice transcription is not configured (WHISPER_API_KEY is empty)',
          nonRetryable: true,
        });
      }
      const audio = await readPersonFile(config.dataDir, input.telegramId, input.path);
      const form = new FormData();
      form.append('file', new Blob([audio], { type: input.mimeType }), input.fileName);
      form.append('model', config.whisperModel);
      form.append('response_format', 'json');
      if (config.whisperLanguage) form.append('language', config.whisperLanguage);

      const response = await fetch(`${config.whisperBaseUrl.replace(/\/$/, '')}/audio/transcriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.whisperApiKey}` },
        body: form,
      });
      const body = await response.text();
      if (!response.ok) {
        const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
        log.warn('Whisper could not transcribe a voice note', { status: response.status, body: body.slice(0, 300) });
        throw ApplicationFailure.create({
          type: retryable ? 'WhisperUnavailable' : FailureTypes.voiceUnreadable,
          message: `Whisper answered ${response.status}: ${body.slice(0, 200)}`,
          nonRetryable: !retryable,
        });
      }
      const text = (JSON.parse(body) as { text?: unknown }).text;
      if (typeof text !== 'string' || text.trim() === '') {
        throw ApplicationFailure.create({
          type: FailureTypes.voiceUnreadable,
          message: 'Whisper heard no speech in the voice note',
          nonRetryable: true,
        });
      }
      return { text: text.trim() };
    },
  } satisfies Pick<SessionActivities, 'transcribeVoice'>;
}
