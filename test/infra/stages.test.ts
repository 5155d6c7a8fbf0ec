import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { SKIP_BUNDLING } from './support/templates.ts';

const PROD = {
  ...SKIP_BUNDLING,
  stage: 'prod',
  senderEmail: 'no-reply@review.example.org',
  secretariatEmail: 'untoc.review@un.org',
};

describe('stages (DESIGN §8)', () => {
  it('puts the stage in every stack name, dev by default', () => {
    expect([buildApp(SKIP_BUNDLING).stateful.stackName, buildApp(SKIP_BUNDLING).stateless.stackName]).toEqual(
      ['UntocReviewTracker-dev-Stateful', 'UntocReviewTracker-dev-Stateless'],
    );
    const pr = buildApp({ ...SKIP_BUNDLING, stage: 'pr-42', retainData: 'false' });
    expect([pr.stateful.stackName, pr.stateless.stackName]).toEqual([
      'UntocReviewTracker-pr-42-Stateful',
      'UntocReviewTracker-pr-42-Stateless',
    ]);
  });

  it('refuses a stage name that cannot be part of a stack name', () => {
    expect(() => buildApp({ ...SKIP_BUNDLING, stage: 'Prod Stage' })).toThrow(/context stage must be/);
  });

  it('requires senderEmail and secretariatEmail for prod, naming each one missing', () => {
    const { senderEmail: _s, secretariatEmail: _t, ...bare } = PROD;
    expect(() => buildApp(bare)).toThrow(
      'context senderEmail and secretariatEmail are required for stage prod (-c senderEmail=... -c secretariatEmail=...)',
    );
    expect(() => buildApp({ ...bare, secretariatEmail: 'untoc.review@un.org' })).toThrow(
      /^context senderEmail is required for stage prod/,
    );
    expect(() => buildApp({ ...bare, senderEmail: 'no-reply@review.example.org' })).toThrow(
      /^context secretariatEmail is required for stage prod/,
    );
  });

  it('refuses retainData=false for prod, and allows it elsewhere', () => {
    expect(() => buildApp({ ...PROD, retainData: 'false' })).toThrow(
      /retainData=false is refused for stage prod/,
    );
    expect(() => buildApp({ ...SKIP_BUNDLING, stage: 'scratch', retainData: 'false' })).not.toThrow();
  });

  it('turns termination protection on for prod only', () => {
    const prod = buildApp(PROD);
    expect([prod.stateful.terminationProtection, prod.stateless.terminationProtection]).toEqual([true, true]);
    const dev = buildApp(SKIP_BUNDLING);
    expect([dev.stateful.terminationProtection, dev.stateless.terminationProtection]).toEqual([false, false]);
  });

  it('checks context values with the schemas the functions parse them with', () => {
    expect(() => buildApp({ ...PROD, senderEmail: 'a..b@example.org' })).toThrow(
      /context senderEmail is not valid/,
    );
    expect(() => buildApp({ ...PROD, secretariatEmail: 'untoc review@un.org' })).toThrow(
      /context secretariatEmail is not valid/,
    );
    expect(() => buildApp({ ...PROD, timeZone: 'Europe/Atlantis' })).toThrow(/context timeZone is not valid/);
  });
});
