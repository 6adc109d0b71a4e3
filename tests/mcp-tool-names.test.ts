// The names MCP tools get for the model: valid for the Messages API and unique by
// construction, whatever names a server chooses (punctuation, near-duplicates, length).
import { describe, expect, it } from 'vitest';
import { assignToolNames } from '../pure/mcp-tool-names.ts';

const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

describe('MCP tool names', () => {
  it('keeps a valid name that fits, so ordinary tools read naturally', () => {
    expect(assignToolNames('weather', ['weather', 'get-forecast']).assigned).toEqual([
      { tool: 'weather', name: 'mcp__weather__weather' },
      { tool: 'get-forecast', name: 'mcp__weather__get-forecast' },
    ]);
  });

  it('keeps apart names that sanitise to the same thing', () => {
    const { assigned, skipped } = assignToolNames('files', ['files.read', 'files_read', 'files read']);
    const names = assigned.map((a) => a.name);
    expect(skipped).toEqual([]);
    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(name).toMatch(VALID);
    // The plain name is not given to either: a server adding `files.read` later must not rename `files_read`'s call target.
    expect(names).not.toContain('mcp__files__files_read');
  });

  it('keeps apart long names that share their first 64 characters', () => {
    const server = 'my-github-enterprise';
    const a = 'repository_collaborators_permission_check_for_user';
    const b = 'repository_collaborators_permission_check_for_team';
    const { assigned } = assignToolNames(server, [a, b]);
    expect(assigned).toHaveLength(2);
    expect(assigned[0]!.name).not.toBe(assigned[1]!.name);
    for (const { name } of assigned) {
      expect(name).toMatch(VALID);
      expect(name.startsWith('mcp__my-github-enterprise__repository_')).toBe(true);
    }
  });

  it('gives the same name on every worker and every run (dispatch recomputes it)', () => {
    const once = assignToolNames('x', ['a.b', 'ünïcode tool', 'a_b']);
    expect(assignToolNames('x', ['a.b', 'ünïcode tool', 'a_b'])).toEqual(once);
  });

  it('turns empty and non-Latin names into valid ones, and skips a tool listed twice', () => {
    const { assigned, skipped } = assignToolNames('s', ['', 'погода', 'ok', 'ok']);
    expect(assigned.map((a) => a.tool)).toEqual(['', 'погода', 'ok']);
    for (const { name } of assigned) expect(name).toMatch(VALID);
    expect(skipped).toEqual([{ tool: 'ok', reason: 'the server lists this tool twice' }]);
  });
});
