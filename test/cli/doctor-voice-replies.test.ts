import { describe, expect, it } from 'vitest';
import { runCli, tempConfig } from '../helpers/run-cli.js';

/** doctor says when conversation.voiceReplies is on but cannot work, as the daemon's start-up log does. */
describe('rolplay doctor and conversation.voiceReplies', () => {
  it('warns when voice replies are on without server.publicUrl, and when Gemini is missing', async () => {
    const { dir } = tempConfig();
    const { path } = tempConfig({ dataDir: `${dir}/data`, conversation: { voiceReplies: 'roleplay' } });
    const noUrl = await runCli(['--config', path, 'doctor']);
    expect(noUrl.stdout).toContain('Voice replies: conversation.voiceReplies is "roleplay" but server.publicUrl is not set');

    const withUrl = tempConfig({ dataDir: `${dir}/data`, server: { publicUrl: 'https://coach.acme.com' }, conversation: { voiceReplies: 'always' } });
    const noGemini = await runCli(['--config', withUrl.path, 'doctor']);
    expect(noGemini.stdout).toContain('Voice replies: conversation.voiceReplies is "always" but Gemini is not configured (gemini.apiKey)');

    const off = tempConfig({ dataDir: `${dir}/data` });
    expect((await runCli(['--config', off.path, 'doctor'])).stdout).not.toContain('Voice replies');
  });
});
