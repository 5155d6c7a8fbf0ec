import { describe, expect, it } from 'vitest';

describe('the Node the project runs on', () => {
  it("is the Lambda runtime's major (nodejs22.x), from the exact node@22 dev dependency", () => {
    // npm scripts put node_modules/.bin first on PATH, so its Node 22 runs every script.
    expect(process.versions.node).toMatch(/^22\./);
    expect(process.execPath).toMatch(/node_modules[/\\]node[/\\]bin[/\\]node$/);
  });
});
