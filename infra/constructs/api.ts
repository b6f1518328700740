// The API: one HTTP API for the people's side. API Gateway authorizes no route: browsers send no Authorization
// header on page loads and form posts, so a JWT authorizer would answer 401 before any handler ran. The handlers
// authenticate instead (functions/edge/session.ts: a server-side session from the OpenID sign-in, same-origin
// checks on every post), in every runtime alike. Vendor and sign-in routes are throttled harder than the stage.
// Access logs go to an encrypted log group and name the route template, never the path: a vendor's link token
// must not end up in a log.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpRoute } from '../../functions/catalog.js';
import { acknowledge } from '../nag.js';

export interface ApiProps {
  routes: readonly HttpRoute[];
  /** The function serving a route's handler module. */
  functionFor: (entry: string) => lambda.IFunction;
  publicRateLimit: number;
  publicBurstLimit: number;
  /** Stage-wide default for the staff routes. */
  staffRateLimit?: number;
  staffBurstLimit?: number;
  logKey: kms.IKey;
  logRetentionDays: number;
  /**
   * The bank's own host name for the pages, with a regional ACM certificate (same region as the stack) covering
   * it. When set, the API's default execute-api endpoint is switched off: the custom domain (or whatever the bank
   * puts in front of it) is the only way in.
   */
  customDomain?: { domainName: string; certificateArn: string };
}

export const routeKeyOf = (route: Pick<HttpRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** The custom domain, when configured (its regionalDomainName is the DNS target). */
  readonly domain?: apigw.DomainName;
  /** Where the API answers: https://<custom domain>, else the execute-api endpoint. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Bridgekeeper: vendor upload links and the staff console',
      createDefaultStage: false,
      // With a custom domain, https://<id>.execute-api.<region>.amazonaws.com would be a second, unadvertised way
      // around whatever the bank puts in front of that domain (CloudFront, WAF): it answers 403 instead.
      disableExecuteApiEndpoint: props.customDomain !== undefined,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = this.httpApi.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.staffRateLimit ?? 50, burstLimit: props.staffBurstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationFor = (entry: string) => {
      let integration = integrations.get(entry);
      if (!integration) {
        integration = new HttpLambdaIntegration(`Integration${integrations.size}`, props.functionFor(entry));
        integrations.set(entry, integration);
      }
      return integration;
    };

    const publicRouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> =
      {};
    const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
    for (const route of props.routes) {
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationFor(route.entry),
        authorizer: new apigw.HttpNoneAuthorizer(),
      });
      if (route.auth === 'staff' && created)
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          'Staff route: authenticated by the handler, not API Gateway (browsers send no Authorization header). ' +
            'Every request needs a server-side session from the OpenID Connect sign-in (PKCE, state, nonce; a ' +
            'random HttpOnly __Host- cookie whose hash names the session, ended on sign-out); posts must come ' +
            'from this origin; every action is authorized by role. No valid session: no data.',
        );
      if (route.auth === 'public' && created) {
        publicRouteSettings[routeKeyOf(route)] = {
          ThrottlingRateLimit: props.publicRateLimit,
          ThrottlingBurstLimit: props.publicBurstLimit,
        };
        // API Gateway refuses a stage whose RouteSettings name a route that does not exist yet ("Unable to find
        // Route by key ... within the provided RouteSettings"), and nothing else orders the two in CloudFormation:
        // the stage waits for every route it names.
        this.stage.node.addDependency(created);
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          route.path.startsWith('/calendar/')
            ? 'Calendar feed: calendar applications poll it without a sign-in. The 256-bit secret link in the ' +
                'path is the credential (only its SHA-256 is stored, compared in constant time, revocable); ' +
                'the function only reads, the route is throttled and its token never logged.'
            : route.path.includes('{token}')
              ? 'Vendor route: vendors have no account at the bank. The 256-bit upload link in the path is the ' +
                'credential (only its SHA-256 is stored, compared in constant time, expires); the route is ' +
                'throttled, each link has its own request budget, and its token is never logged.'
              : route.path.startsWith('/assets/')
                ? 'Static stylesheet and script of the pages (no data, no side effect), needed before sign-in; ' +
                  'throttled like the vendor routes.'
                : 'Sign-in itself (OpenID Connect: to the identity provider and back) and sign-out: reachable ' +
                  'before a session exists by design; throttled like the vendor routes.',
        );
      }
    }
    // Per-route throttling is not exposed by the L2 stage; the L1 property is read by every tool (and cdk-nag).
    cfnStage.routeSettings = publicRouteSettings;

    if (props.customDomain) {
      this.domain = new apigw.DomainName(this, 'Domain', {
        domainName: props.customDomain.domainName,
        certificate: acm.Certificate.fromCertificateArn(
          this,
          'Certificate',
          props.customDomain.certificateArn,
        ),
        securityPolicy: apigw.SecurityPolicy.TLS_1_2,
      });
      new apigw.ApiMapping(this, 'Mapping', {
        api: this.httpApi,
        domainName: this.domain,
        stage: this.stage,
      });
      this.url = `https://${props.customDomain.domainName}`;
    } else {
      this.url = this.httpApi.apiEndpoint;
    }
  }
}
