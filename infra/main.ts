import { buildApp } from './app.ts';

// The CDK CLI's entry point (cdk.json). Importing `buildApp` elsewhere never synthesizes.
buildApp().app.synth();
