// The control chat's rules, as pure functions: which chat the owner talks in, which
// logins fit a mode, and when a message in Saved Messages must ring.
import { describe, expect, it } from 'vitest';
import { controlChatKind, loginProblem, shouldRingInSavedMessages } from '../pure/control-chat.ts';
import { withSetting } from '../pure/env-settings.ts';

describe('control chat rules', () => {
  it('picks the control chat from the account kind and the bot token', () => {
    expect(controlChatKind('owner', true)).toBe('companion-bot');
    expect(controlChatKind('owner', false)).toBe('saved-messages');
    expect(controlChatKind('assistant', false)).toBe('direct-chat');
    // A bot token means nothing for an assistant account: the owner writes to that account.
    expect(controlChatKind('assistant', true)).toBe('direct-chat');
  });

  it('accepts a login that fits the mode and says what to fix otherwise', () => {
    const owner = 111;
    expect(loginProblem('owner', { id: owner, name: 'Olga' }, owner)).toBeUndefined();
    expect(loginProblem('assistant', { id: 222, name: 'Jobs' }, owner)).toBeUndefined();
    expect(loginProblem('owner', { id: 222, name: 'Jobs' }, owner)).toMatch(
      /^The saved Telegram login is Jobs \(id 222\), but OWNER_TELEGRAM_ID is 111: .*TELEGRAM_ACCOUNT=assistant/,
    );
    expect(loginProblem('assistant', { id: owner, name: 'Olga' }, owner)).toMatch(
      /your own account \(Olga\), but TELEGRAM_ACCOUNT=assistant expects a separate account/,
    );
  });

  it('rings in Saved Messages unless the owner typed there in the last two minutes', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    expect(shouldRingInSavedMessages(undefined, now)).toBe(true);
    expect(shouldRingInSavedMessages(new Date('2026-11-22T09:59:00Z'), now)).toBe(false);
    expect(shouldRingInSavedMessages(new Date('2026-11-22T09:57:59Z'), now)).toBe(true);
  });
});

describe('.env settings written by `npm run setup`', () => {
  it('replaces the line that sets a variable, keeping the rest, or adds it', () => {
    const env = '# mine\nOWNER_TELEGRAM_ID=123456789\nTELEGRAM_ACCOUNT=owner\n';
    expect(withSetting(env, 'TELEGRAM_ACCOUNT', 'assistant')).toBe(
      '# mine\nOWNER_TELEGRAM_ID=123456789\nTELEGRAM_ACCOUNT=assistant\n',
    );
    expect(withSetting('A=1', 'OWNER_BOT_TOKEN', '1:x')).toBe('A=1\nOWNER_BOT_TOKEN=1:x\n');
    expect(withSetting('', 'OWNER_TELEGRAM_ID', '42')).toBe('OWNER_TELEGRAM_ID=42\n');
    // A longer name that merely starts the same is a different variable.
    expect(withSetting('OWNER_TELEGRAM_ID_OLD=1\n', 'OWNER_TELEGRAM_ID', '42')).toBe(
      'OWNER_TELEGRAM_ID_OLD=1\nOWNER_TELEGRAM_ID=42\n',
    );
  });
});
