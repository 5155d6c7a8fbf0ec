import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '#shared/manifest/index.ts';
import type { QueueName, SecretName, SettingName, TableName } from '#shared/manifest/types.ts';
import { HouseFunction, type HouseFunctionProps } from './house-function.ts';

/** What a function's manifest bindings can name: the stateful resources and the deployment's settings. */
export interface BindableResources {
  readonly tables: Readonly<Record<TableName, ITable>>;
  readonly queues: Readonly<Record<QueueName, IQueue>>;
  readonly secrets: Readonly<Record<SecretName, ISecret>>;
  readonly settings: Readonly<Record<SettingName, string>>;
  /** The configuration set and the sender identities SES authorises sends against. */
  readonly email: {
    readonly configurationSet: IConfigurationSet;
    readonly senderIdentityArns: readonly string[];
  };
}

/**
 * Gives the function every binding of its manifest: each environment variable, and a grant of
 * exactly the commands the manifest names on exactly that resource (DESIGN §7). Nothing else
 * adds environment variables or grants to a manifest function.
 */
function bindManifest(fn: HouseFunction, spec: FunctionSpec, resources: BindableResources): HouseFunction {
  for (const [envName, binding] of Object.entries(spec.bindings)) {
    switch (binding.kind) {
      case 'table':
        fn.bindTable(resources.tables[binding.table], envName, binding.commands, {
          ...(binding.indexes ? { indexes: binding.indexes } : {}),
          ...(binding.commandsOnKeys ? { commandsOnKeys: binding.commandsOnKeys } : {}),
        });
        break;
      case 'queue':
        fn.bindQueue(resources.queues[binding.queue], envName);
        break;
      case 'secret':
        fn.bindSecret(resources.secrets[binding.secret], envName);
        break;
      case 'email':
        fn.bindEmailSending(resources.email.configurationSet, envName, resources.email.senderIdentityArns);
        break;
      case 'setting':
        fn.bindValue(envName, resources.settings[binding.setting]);
        break;
    }
  }
  return fn;
}

/** The house function of a manifest entry, bound as its manifest says. */
export function manifestFunction(
  scope: Construct,
  spec: FunctionSpec,
  resources: BindableResources,
  props: Omit<HouseFunctionProps, 'entry' | 'description'> = {},
): HouseFunction {
  const fn = new HouseFunction(scope, spec.id, {
    entry: spec.entry,
    description: spec.description,
    ...props,
  });
  return bindManifest(fn, spec, resources);
}
