// The API: one HTTP API for the people's side. Staff routes require a JWT from the bank's identity provider;
// vendor routes are public (the upload link in the path is the credential, checked by the handler) and throttled
// harder. Access logs go to an encrypted log group and name the route template, never the path: a vendor's
// link token must not end up in a log.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
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
  jwtIssuer: string;
  jwtAudience: string[];
  /** Header carrying the JWT (default Authorization). */
  jwtHeader?: string;
  publicRateLimit: number;
  publicBurstLimit: number;
  /** Stage-wide default for the staff routes. */
  staffRateLimit?: number;
  staffBurstLimit?: number;
  logKey: kms.IKey;
  logRetentionDays: number;
}

export const routeKeyOf = (route: Pick<HttpRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

export class Api extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Bridgekeeper: vendor upload links and the staff console',
      createDefaultStage: false,
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
            subject: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('StaffJwt', props.jwtIssuer, {
      jwtAudience: props.jwtAudience,
      identitySource: [`$request.header.${props.jwtHeader ?? 'Authorization'}`],
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
    for (const route of props.routes) {
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationFor(route.entry),
        authorizer: route.auth === 'staff' ? this.authorizer : new apigw.HttpNoneAuthorizer(),
      });
      if (route.auth === 'public' && created) {
        publicRouteSettings[routeKeyOf(route)] = {
          ThrottlingRateLimit: props.publicRateLimit,
          ThrottlingBurstLimit: props.publicBurstLimit,
        };
        acknowledge(
          created,
          'AwsSolutions-APIG4',
          route.path.includes('{token}')
            ? 'Vendor route: vendors have no account at the bank. The 256-bit upload link in the path is the ' +
                'credential (only its SHA-256 is stored, compared in constant time, expires); the route is ' +
                'throttled and its token never logged.'
            : 'Static stylesheet and script of the pages (no data, no side effect), needed before sign-in; ' +
                'throttled like the vendor routes.',
        );
      }
    }
    // Per-route throttling is not exposed by the L2 stage; the L1 property is read by every tool (and cdk-nag).
    (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = publicRouteSettings;
  }
}
