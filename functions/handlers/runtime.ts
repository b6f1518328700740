// What every lifecycle handler shares, created once per module (Lambda container or the embedded runner's
// process): the clock, the logger, the typed configuration and the adapters. The embedded runner swaps the clock
// for its virtual one (`useClock`); handlers never read the wall clock themselves.
import { Logger } from '@aws-lambda-powertools/logger';
import { systemClock, type Clock } from '../ports/clock.js';
import { DEFAULT_POLICY, parsePolicyJson, type Policy } from '../core/policy.js';
import { isTimeZone } from '../core/dates.js';
import type { Mailer } from '../ports/mailer.js';
import type { VendorStore } from '../ports/vendor-store.js';
import { createVendorStore } from '../adapters/dynamodb/vendor-store.js';
import { createSesMailer } from '../adapters/ses/mailer.js';
import { createLifecycleControl, createSfnClient, type LifecycleControl } from '../adapters/sfn/lifecycle.js';

let current: Clock = systemClock;

/** The handlers' clock: delegates to whichever clock is installed (the system clock unless swapped). */
export const clock: Clock = { now: () => current.now() };

/** Installs another clock (the local runner's virtual clock); returns the previous one. */
export function useClock(next: Clock): Clock {
  const previous = current;
  current = next;
  return previous;
}

export const logger = new Logger({ serviceName: 'bridgekeeper' });

/** Configuration every lifecycle handler reads, from the environment (names fixed with the infra). */
export interface LifecycleConfig {
  tableName: string;
  /** Only functions with the mail:send need have it (the mailer refuses to start without it). */
  mailFrom: string | undefined;
  mailConfigurationSet: string | undefined;
  publicBaseUrl: string;
  timeZone: string;
  mailHour: number;
  policy: Policy;
  stateMachineArn: string | undefined;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`configuration: ${name} is not set`);
  return value;
}

/** Reads and checks the configuration; throws naming the first variable that is missing or wrong. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): LifecycleConfig {
  const timeZone = env.INSTITUTION_TIME_ZONE || 'UTC';
  if (!isTimeZone(timeZone))
    throw new Error(`configuration: INSTITUTION_TIME_ZONE ${timeZone} is not a time zone`);
  const mailHour = Number(env.MAIL_HOUR ?? '9');
  if (!Number.isInteger(mailHour) || mailHour < 0 || mailHour > 23)
    throw new Error(`configuration: MAIL_HOUR ${env.MAIL_HOUR} is not an hour 0-23`);
  return {
    tableName: required(env, 'TABLE_NAME'),
    mailFrom: env.MAIL_FROM || undefined,
    mailConfigurationSet: env.MAIL_CONFIGURATION_SET || undefined,
    publicBaseUrl: required(env, 'PUBLIC_BASE_URL').replace(/\/+$/, ''),
    timeZone,
    mailHour,
    policy: env.POLICY_JSON ? parsePolicyJson(env.POLICY_JSON) : DEFAULT_POLICY,
    stateMachineArn: env.STATE_MACHINE_ARN || undefined,
  };
}

/** Read once per module, on first use, so that the embedded stack can set the environment first. */
let cached: LifecycleConfig | undefined;
export function config(): LifecycleConfig {
  cached ??= readConfig();
  return cached;
}

/** Forgets the cached configuration and adapters (the embedded stack, between runs in one process). */
export function resetRuntime(): void {
  cached = undefined;
  for (const reset of resetters) reset();
}

const resetters: (() => void)[] = [];
/** A per-module singleton that `resetRuntime` drops (clients bound to an endpoint that may change in tests). */
export function lazy<T>(create: () => T): () => T {
  let value: T | undefined;
  resetters.push(() => (value = undefined));
  return () => (value ??= create());
}

/** The adapters the lifecycle handlers use, made once per module from the configuration. */
export interface LifecycleDeps {
  store: VendorStore;
  mailer: Mailer;
  /** Step Functions (start a successor generation; the reconciler). Undefined without STATE_MACHINE_ARN. */
  control: LifecycleControl | undefined;
  clock: Clock;
  config: LifecycleConfig;
}

const realDeps = lazy((): LifecycleDeps => {
  const cfg = config();
  let mailer: Mailer | undefined;
  return {
    store: createVendorStore({ tableName: cfg.tableName, clock }),
    // Made on first use: the functions without the mail:send need have no MAIL_FROM and never send.
    get mailer(): Mailer {
      if (!cfg.mailFrom) throw new Error('configuration: MAIL_FROM is not set');
      mailer ??= createSesMailer({
        from: cfg.mailFrom,
        ...(cfg.mailConfigurationSet ? { configurationSet: cfg.mailConfigurationSet } : {}),
      });
      return mailer;
    },
    control: cfg.stateMachineArn
      ? createLifecycleControl({ client: createSfnClient(), stateMachineArn: cfg.stateMachineArn })
      : undefined,
    clock,
    config: cfg,
  };
});

let overrides: Partial<LifecycleDeps> = {};

/** Replaces some adapters (tests: a mailer that fails after sending, a store that crashes). `{}` restores. */
export function overrideDeps(next: Partial<LifecycleDeps>): void {
  overrides = next;
}

export function lifecycleDeps(): LifecycleDeps {
  const real = realDeps();
  const o = overrides;
  // Getters, not a spread: a function without MAIL_FROM must not build (or fail on) a mailer it never uses.
  return {
    get store() {
      return o.store ?? real.store;
    },
    get mailer() {
      return o.mailer ?? real.mailer;
    },
    get control() {
      return 'control' in o ? o.control : real.control;
    },
    get clock() {
      return o.clock ?? real.clock;
    },
    get config() {
      return o.config ?? real.config;
    },
  };
}
