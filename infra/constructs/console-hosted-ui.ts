import { Duration, Stack } from 'aws-cdk-lib';
import {
  type IUserPool,
  OAuthScope,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Properties of the {@link ConsoleHostedUi}. */
export interface ConsoleHostedUiProps {
  /** The officers' user pool (the stateful stack's). */
  readonly userPool: IUserPool;
  /**
   * The Hosted UI's domain prefix (`<prefix>.auth.<region>.amazoncognito.com`): unique across
   * AWS, lower-case letters, digits and hyphens, without `aws`, `amazon` or `cognito`.
   */
  readonly domainPrefix: string;
  /** The console's URL (`https://<host>/`): its one callback and sign-out URL. */
  readonly consoleUrl: string;
}

/** The OAuth scopes the console asks for: `openid` for the code flow, `email` for the name it shows. */
const CONSOLE_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL];

/**
 * How the Secretariat console signs officers in when the app's own user pool issues the tokens
 * (DESIGN §10): a Hosted UI domain on the pool, and an app client for the console alone, a
 * public client (no secret: a browser cannot keep one) with the authorization code flow (the
 * console adds PKCE) and no other way to sign in. Cognito puts `cognito:groups` into the
 * access token the console sends to the API.
 */
export class ConsoleHostedUi extends Construct {
  /**
   * The Hosted UI's address for `domainPrefix`, known before the domain exists: the console's
   * content security policy names it, and the console is created before its app client.
   */
  public static baseUrl(scope: Construct, domainPrefix: string): string {
    return `https://${domainPrefix}.auth.${Stack.of(scope).region}.amazoncognito.com`;
  }

  /** The Hosted UI domain. */
  public readonly domain: UserPoolDomain;
  /** The console's app client; its id is in the API's accepted audiences. */
  public readonly client: UserPoolClient;
  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  public readonly baseUrl: string;
  /** The endpoints the console's `config.json` names. */
  public readonly authorizationEndpoint: string;
  public readonly tokenEndpoint: string;
  public readonly logoutEndpoint: string;
  /** The scopes the console asks for, space-separated as OAuth sends them. */
  public readonly scopes: string;

  constructor(scope: Construct, id: string, props: ConsoleHostedUiProps) {
    super(scope, id);
    // The classic Hosted UI (managed login version 1): it enrols and asks for the TOTP factor the
    // pool requires, and needs no branding resource per client as managed login does.
    this.domain = new UserPoolDomain(this, 'Domain', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
    this.baseUrl = ConsoleHostedUi.baseUrl(this, props.domainPrefix);
    this.authorizationEndpoint = `${this.baseUrl}/oauth2/authorize`;
    this.tokenEndpoint = `${this.baseUrl}/oauth2/token`;
    this.logoutEndpoint = `${this.baseUrl}/logout`;
    this.scopes = CONSOLE_SCOPES.map((scope) => scope.scopeName).join(' ');

    this.client = new UserPoolClient(this, 'Client', {
      userPool: props.userPool,
      generateSecret: false,
      // No direct sign-in (password, SRP, custom): only the Hosted UI's code flow. Each flow is
      // named so CDK renders the refresh-token flow alone instead of Cognito's defaults.
      authFlows: {
        user: false,
        userPassword: false,
        userSrp: false,
        adminUserPassword: false,
        custom: false,
      },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: CONSOLE_SCOPES,
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // The console keeps no refresh token (an officer signs in again after the hour), so the one
      // Cognito issues anyway lives as briefly as Cognito allows.
      refreshTokenValidity: Duration.hours(1),
    });
  }
}
