// The control chat's rules, as pure functions: which chat the owner talks in, which
// logins fit a mode, and when a message in Saved Messages must ring.
import { describe, expect, it } from 'vitest';
import { controlChatKind, loginProblem, shouldRingInSavedMessages } from '../pure/control-chat.ts';

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
