import { describe, expect, it } from 'vitest';
import { REPO_RELATIVE_OAS, resolveOasPath } from './oas.ts';

describe('resolveOasPath', () => {
  it('looks next to the repository (../shared/zendesk/oas.yaml), not at a machine path', () => {
    expect(REPO_RELATIVE_OAS.endsWith('/shared/zendesk/oas.yaml')).toBe(true);
    expect(resolveOasPath({}, (p) => p === REPO_RELATIVE_OAS)).toBe(REPO_RELATIVE_OAS);
  });

  it('prefers ZENDESK_OAS_PATH, and says when it names nothing', () => {
    expect(resolveOasPath({ ZENDESK_OAS_PATH: '/elsewhere/oas.yaml' }, () => true)).toBe('/elsewhere/oas.yaml');
    expect(() => resolveOasPath({ ZENDESK_OAS_PATH: '/nope/oas.yaml' }, () => false)).toThrow('ZENDESK_OAS_PATH names /nope/oas.yaml, which does not exist');
  });

  it('fails with a message naming both ways when neither exists', () => {
    expect(() => resolveOasPath({}, () => false)).toThrow(/set ZENDESK_OAS_PATH .* or put it at \.\.\/shared\/zendesk\/oas\.yaml next to the repository/);
  });
});
