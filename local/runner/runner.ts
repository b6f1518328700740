// The embedded Step Functions: every execution of the synthesized lifecycle runs in-process on
// aws-local-stepfunctions, each Lambda ARN bound to its handler module, driven by a virtual clock. A callback
// task (every sleep is one) registers its timeout in virtual time; when every execution is blocked, the clock
// jumps to the earliest wake-up (or scheduled event). A year of a hundred vendors takes seconds, deterministically.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Clock } from '../../functions/ports/clock.js';
import { forRunner, TIMEOUT_PAYLOAD_KEY, type Json, type SynthesizedLifecycle } from './definition.js';

// aws-local-stepfunctions 3 needs Promise.withResolvers (Node 22); without it every Task fails, silently caught.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/**
 * A per-vendor timeline (independent-lanes mode): vendors share nothing, so each one's virtual time may run ahead
 * of the others'. Inside a lane's async context the clock reads the lane's time.
 */
interface Lane {
  key: string;
  now: number;
  busy: number;
  timers: Timer[];
  pending: Set<PendingTask>;
  pumpQueued: boolean;
  /** Counted among the lanes allowed to run at once. */
  running: boolean;
}

/**
 * A clock the runner moves: never backwards, only when everything is blocked (or by hand). Standing still by
 * default (simulate, the tests: the same run gives the same instants); `flowWithRealTime` makes it run with the
 * real time between the runner's moves (`npm start`: what a person does carries its own instants), and
 * `whileStill` holds it still while a jump runs.
 */
export class VirtualClock implements Clock {
  private ms: number;
  private lanes?: AsyncLocalStorage<Lane>;
  /** The real time (ms, monotonic) at which `ms` was the virtual time, while the clock flows. */
  private realBase?: number;
  private realNow: () => number = () => performance.now();
  private stillCount = 0;
  constructor(start: Date) {
    this.ms = start.getTime();
  }
  private current(): number {
    return this.realBase === undefined || this.stillCount > 0
      ? this.ms
      : this.ms + Math.max(0, this.realNow() - this.realBase);
  }
  now(): Date {
    return new Date(this.lanes?.getStore()?.now ?? this.current());
  }
  set(instant: Date): void {
    const now = this.current();
    this.ms = Math.max(now, instant.getTime());
    if (this.realBase !== undefined) this.realBase = this.realNow();
  }
  /** From now on, the clock runs with the real time between moves (`realNow`: a monotonic clock in ms). */
  flowWithRealTime(realNow: () => number = () => performance.now()): void {
    this.ms = this.current();
    this.realNow = realNow;
    this.realBase = realNow();
  }
  /** Holds the clock still while `work` runs (a jump: the runner alone moves it), then lets it flow again. */
  async whileStill<T>(work: () => Promise<T>): Promise<T> {
    this.ms = this.current();
    this.stillCount++;
    try {
      return await work();
    } finally {
      this.stillCount--;
      if (this.stillCount === 0 && this.realBase !== undefined) this.realBase = this.realNow();
    }
  }
  /** @internal The runner's lanes: code running for a vendor reads that vendor's time. */
  attachLanes(lanes: AsyncLocalStorage<Lane>): void {
    this.lanes = lanes;
  }
}

/** Step Functions API errors, by the `__type` the SDK maps to an error name. */
export class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

function timeoutOf(task: PendingTask): void {
  const timeout = new Error('The callback task timed out (virtual time)');
  timeout.name = 'States.Timeout';
  task.reject(timeout);
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface PendingTask {
  token: string;
  execution: Execution;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
  timeoutAt?: number;
  settled: boolean;
}

interface Execution {
  name: string;
  arn: string;
  input: Json;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: Json;
  error?: string;
  cause?: string;
  abort?: () => void;
  /** Not blocked on a callback: counts towards "busy". */
  active: boolean;
  pending?: PendingTask;
  lane?: Lane;
  done: Promise<void>;
}

interface Timer {
  at: number;
  seq: number;
  fire: () => void | Promise<void>;
}

export interface RunnerStats {
  executionsStarted: number;
  stateTransitions: number;
  lambdaInvocations: number;
  lambdaMs: number;
  byFunction: Record<string, number>;
}

type LambdaHandler = (event: Json, context: Json) => Promise<Json>;

export interface RunnerOptions {
  lifecycle: SynthesizedLifecycle;
  clock: VirtualClock;
  /** Loads a handler module (default: import from the project root). */
  loadHandler?: (entry: string) => Promise<LambdaHandler>;
  /**
   * Independent lanes: each vendor (execution input `vendorId`) keeps its own virtual time, so vendors do not
   * wait for each other at every wake-up. Valid when vendors share nothing (simulate, the bench); scheduled
   * events must then name their vendor. Default false: one clock, the strict global order.
   */
  independentLanes?: boolean;
  /** In lanes mode, how many vendors may advance at once (default 12). */
  maxRunningLanes?: number;
}

/**
 * Loads a handler module by a specifier relative to this file (like every static import), so that the handlers
 * share their module instances (the runtime's clock and configuration) with the rest of the stack, under tsx and
 * vitest alike.
 */
const defaultLoad = async (entry: string): Promise<LambdaHandler> => {
  if (!/^functions\/handlers\/[\w-]+\.ts$/.test(entry))
    throw new Error(`runner: not a handler entry: ${entry}`);
  const specifier = `../../${entry.replace(/\.ts$/, '.js')}`;
  const mod = (await import(/* @vite-ignore */ specifier)) as { handler?: LambdaHandler };
  if (typeof mod.handler !== 'function') throw new Error(`runner: ${entry} does not export a handler`);
  return mod.handler;
};

export class LifecycleRunner {
  readonly clock: VirtualClock;
  readonly lifecycle: SynthesizedLifecycle;
  readonly stats: RunnerStats = {
    executionsStarted: 0,
    stateTransitions: 0,
    lambdaInvocations: 0,
    lambdaMs: 0,
    byFunction: {},
  };
  private readonly machine: StateMachine;
  private readonly definition: Json;
  private readonly executions = new Map<string, Execution>();
  private readonly tasks = new Map<string, PendingTask>();
  private readonly handlers = new Map<string, Promise<LambdaHandler>>();
  private readonly loadHandler: (entry: string) => Promise<LambdaHandler>;
  private timers: Timer[] = [];
  private timerSeq = 0;
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private readonly laneStorage?: AsyncLocalStorage<Lane>;
  private readonly lanes = new Map<string, Lane>();
  /** While `runUntil` runs in lanes mode: how far lanes may go. */
  private target?: number;
  /** Lanes moving at once (more only adds contention for the one DynamoDB server). */
  private readonly maxRunningLanes: number;
  private runningLanes = 0;
  private readonly waitingLanes: Lane[] = [];

  constructor(options: RunnerOptions) {
    this.clock = options.clock;
    this.lifecycle = options.lifecycle;
    this.definition = forRunner(options.lifecycle.definition);
    this.machine = new StateMachine(this.definition, {
      // Checked once in CI instead (test/infra/workflow.test.ts): validating here on every start cost about a
      // tenth of a `simulate` run.
      validationOptions: { noValidate: true },
    });
    this.loadHandler = options.loadHandler ?? defaultLoad;
    this.maxRunningLanes = options.maxRunningLanes ?? 12;
    if (options.independentLanes) {
      this.laneStorage = new AsyncLocalStorage<Lane>();
      this.clock.attachLanes(this.laneStorage);
    }
  }

  get stateMachineArn(): string {
    return this.lifecycle.stateMachineArn;
  }

  executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  // ---- the Step Functions API (the local endpoint speaks it over HTTP) ----

  startExecution(request: { stateMachineArn?: string; name?: string; input?: string | Json }): {
    executionArn: string;
    startDate: Date;
  } {
    if (this.closed) throw new SfnApiError('ServiceUnavailable', 'the runner is stopped');
    if (request.stateMachineArn && request.stateMachineArn !== this.stateMachineArn)
      throw new SfnApiError('StateMachineDoesNotExist', `no state machine ${request.stateMachineArn}`);
    const name = request.name ?? randomBytes(8).toString('hex');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
      throw new SfnApiError('InvalidName', `invalid execution name ${name}`);
    const inputText = typeof request.input === 'string' ? request.input : JSON.stringify(request.input ?? {});
    const existing = this.executions.get(name);
    if (existing) {
      // As on AWS: the same name and input while running is the same execution; anything else is refused.
      if (
        existing.status === 'RUNNING' &&
        JSON.stringify(existing.input) === JSON.stringify(JSON.parse(inputText))
      )
        return { executionArn: existing.arn, startDate: existing.startDate };
      throw new SfnApiError('ExecutionAlreadyExists', `execution ${name} already exists`);
    }
    let input: Json;
    try {
      input = JSON.parse(inputText);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', 'input is not JSON');
    }
    const lane = this.laneStorage ? this.laneFor(String(input?.vendorId ?? name)) : undefined;
    const execution: Execution = {
      name,
      arn: this.executionArn(name),
      input,
      status: 'RUNNING',
      startDate: lane ? new Date(lane.now) : this.clock.now(),
      active: true,
      ...(lane ? { lane } : {}),
      done: Promise.resolve(),
    };
    this.executions.set(name, execution);
    this.stats.executionsStarted += 1;
    this.acquire(lane);
    execution.done = lane ? this.laneStorage!.run(lane, () => this.run(execution)) : this.run(execution);
    return { executionArn: execution.arn, startDate: execution.startDate };
  }

  describeExecution(executionArn: string) {
    const execution = this.byArn(executionArn);
    return {
      executionArn: execution.arn,
      stateMachineArn: this.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
      input: JSON.stringify(execution.input),
      ...(execution.output !== undefined ? { output: JSON.stringify(execution.output) } : {}),
      ...(execution.error ? { error: execution.error } : {}),
      ...(execution.cause ? { cause: execution.cause } : {}),
    };
  }

  /** Ends an execution now (StopExecution; also how tests crash a lifecycle). */
  stopExecution(executionArn: string, error?: string, cause?: string): { stopDate: Date } {
    const execution = this.byArn(executionArn);
    if (execution.status === 'RUNNING') {
      execution.error = error;
      execution.cause = cause;
      this.finish(execution, 'ABORTED');
      execution.abort?.();
      // Settle the blocked task too, so that the interpreter lets go of its (real) task timer.
      const task = execution.pending;
      if (task) {
        this.dropTask(task);
        const aborted = new Error('execution stopped');
        aborted.name = 'ExecutionAborted';
        task.reject(aborted);
      }
    }
    return { stopDate: execution.stopDate ?? this.clock.now() };
  }

  sendTaskSuccess(taskToken: string, output: string): void {
    let parsed: Json;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', 'output is not JSON');
    }
    this.settle(taskToken, (task) => task.resolve(parsed));
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.settle(taskToken, (task) => {
      const failure = new Error(cause ?? '');
      failure.name = error ?? 'States.TaskFailed';
      task.reject(failure);
    });
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.taskFor(taskToken);
  }

  listExecutions(): { name: string; status: ExecutionStatus; startDate: Date; stopDate?: Date }[] {
    return [...this.executions.values()].map((e) => ({
      name: e.name,
      status: e.status,
      startDate: e.startDate,
      ...(e.stopDate ? { stopDate: e.stopDate } : {}),
    }));
  }

  // ---- virtual time ----

  /**
   * Runs `fire` when the virtual clock reaches `at` (a scripted upload, the daily reconciler). In lanes mode an
   * event belongs to one vendor (`vendorId`) and runs on that vendor's time.
   */
  schedule(at: Date, fire: () => void | Promise<void>, vendorId?: string): void {
    const timer = { at: at.getTime(), seq: ++this.timerSeq, fire };
    if (this.laneStorage) {
      if (vendorId === undefined) throw new Error('runner: in lanes mode a scheduled event names its vendor');
      const lane = this.laneFor(vendorId);
      lane.timers.push(timer);
      lane.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      this.queuePump(lane);
      return;
    }
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Resolves when no execution is running (all are blocked on a callback, or ended). */
  idle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The earliest pending wake-up (callback timeout or scheduled event), if any. */
  nextWakeUp(): Date | undefined {
    let next = this.timers[0]?.at;
    for (const task of this.tasks.values())
      if (task.timeoutAt !== undefined && (next === undefined || task.timeoutAt < next))
        next = task.timeoutAt;
    for (const lane of this.lanes.values()) {
      const n = this.laneNext(lane);
      if (n !== undefined && (next === undefined || n < next)) next = n;
    }
    return next === undefined ? undefined : new Date(next);
  }

  /** Moves the clock forward to `until`, firing every wake-up on the way, each once everything has settled. */
  async runUntil(until: Date): Promise<void> {
    if (this.laneStorage) return this.runLanesUntil(until.getTime());
    for (;;) {
      await this.idle();
      const next = this.nextWakeUp();
      if (next === undefined || next.getTime() > until.getTime()) {
        this.clock.set(until);
        return;
      }
      this.clock.set(next);
      await this.fireDue(next.getTime());
    }
  }

  /** Stops every execution and forgets pending timers (no real timer is left behind). */
  async close(): Promise<void> {
    this.closed = true;
    this.timers = [];
    for (const lane of this.lanes.values()) lane.timers = [];
    for (const execution of this.executions.values())
      if (execution.status === 'RUNNING')
        this.stopExecution(execution.arn, 'Shutdown', 'the embedded stack stopped');
    await Promise.allSettled([...this.executions.values()].map((e) => e.done));
  }

  // ---- internals ----

  private async fireDue(at: number): Promise<void> {
    while (this.timers[0] && this.timers[0].at <= at) {
      const timer = this.timers.shift()!;
      this.acquire(undefined);
      try {
        await timer.fire();
      } finally {
        this.release(undefined);
      }
    }
    for (const task of [...this.tasks.values()])
      if (task.timeoutAt !== undefined && task.timeoutAt <= at) this.settle(task.token, timeoutOf);
  }

  private acquire(lane: Lane | undefined): void {
    this.busy += 1;
    if (lane) lane.busy += 1;
  }

  private release(lane: Lane | undefined): void {
    if (lane) {
      lane.busy -= 1;
      if (lane.busy === 0) this.queuePump(lane);
    }
    this.busy -= 1;
    if (this.busy === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  // ---- lanes ----

  private laneFor(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = {
        key,
        now: this.clock.now().getTime(),
        busy: 0,
        timers: [],
        pending: new Set(),
        pumpQueued: false,
        running: false,
      };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private laneNext(lane: Lane): number | undefined {
    let next = lane.timers[0]?.at;
    for (const task of lane.pending)
      if (task.timeoutAt !== undefined && (next === undefined || task.timeoutAt < next))
        next = task.timeoutAt;
    return next;
  }

  /** A lane that went idle moves on by itself (no waiting for the other vendors), while `runUntil` runs. */
  private queuePump(lane: Lane): void {
    if (this.target === undefined || lane.pumpQueued) return;
    lane.pumpQueued = true;
    this.acquire(undefined);
    setImmediate(() => {
      lane.pumpQueued = false;
      try {
        this.pump(lane);
      } finally {
        this.release(undefined);
      }
    });
  }

  private pump(lane: Lane): void {
    if (this.target === undefined || lane.busy > 0) return;
    if (lane.running) {
      // The lane went idle: it gives its turn back before it moves on again.
      lane.running = false;
      this.runningLanes -= 1;
      const waiting = this.waitingLanes.shift();
      if (waiting) this.queuePump(waiting);
    }
    const next = this.laneNext(lane);
    if (next === undefined || next > this.target) return;
    if (this.runningLanes >= this.maxRunningLanes) {
      if (!this.waitingLanes.includes(lane)) this.waitingLanes.push(lane);
      return;
    }
    lane.running = true;
    this.runningLanes += 1;
    lane.now = Math.max(lane.now, next);
    while (lane.timers[0] && lane.timers[0].at <= lane.now) {
      const timer = lane.timers.shift()!;
      this.acquire(lane);
      void this.laneStorage!.run(lane, async () => {
        try {
          await timer.fire();
        } finally {
          this.release(lane);
        }
      });
    }
    for (const task of [...lane.pending])
      if (task.timeoutAt !== undefined && task.timeoutAt <= lane.now) this.settle(task.token, timeoutOf);
  }

  private async runLanesUntil(until: number): Promise<void> {
    this.target = until;
    try {
      for (;;) {
        for (const lane of this.lanes.values()) this.queuePump(lane);
        await this.idle();
        const behind = [...this.lanes.values()].some((lane) => {
          const n = this.laneNext(lane);
          return n !== undefined && n <= until;
        });
        if (!behind) break;
      }
    } finally {
      this.target = undefined;
    }
    for (const lane of this.lanes.values()) lane.now = Math.max(lane.now, until);
    this.clock.set(new Date(until));
  }

  private byArn(arn: string): Execution {
    const name = arn.split(':').pop() ?? '';
    const execution = this.executions.get(name);
    if (!execution || execution.arn !== arn)
      throw new SfnApiError('ExecutionDoesNotExist', `no execution ${arn}`);
    return execution;
  }

  private taskFor(token: string): PendingTask {
    const task = this.tasks.get(token);
    if (!task)
      throw new SfnApiError('TaskDoesNotExist', 'no task waits on that token (it timed out or ended)');
    return task;
  }

  private settle(token: string, how: (task: PendingTask) => void): void {
    const task = this.taskFor(token);
    this.dropTask(task);
    const execution = task.execution;
    if (!execution.active && execution.status === 'RUNNING') {
      execution.active = true;
      this.acquire(execution.lane);
    }
    task.settled = true;
    how(task);
  }

  private dropTask(task: PendingTask): void {
    this.tasks.delete(task.token);
    task.execution.lane?.pending.delete(task);
    if (task.execution.pending === task) task.execution.pending = undefined;
  }

  private finish(execution: Execution, status: ExecutionStatus): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = status;
    execution.stopDate = this.clock.now();
    if (execution.active) {
      execution.active = false;
      this.release(execution.lane);
    }
  }

  private handler(entry: string): Promise<LambdaHandler> {
    let h = this.handlers.get(entry);
    if (!h) {
      h = this.loadHandler(entry);
      this.handlers.set(entry, h);
    }
    return h;
  }

  private async invoke(functionArn: string, payload: Json): Promise<Json> {
    const entry = this.lifecycle.handlers.get(functionArn);
    if (!entry) throw new Error(`runner: no handler bound to ${functionArn}`);
    const handler = await this.handler(entry);
    this.stats.lambdaInvocations += 1;
    this.stats.byFunction[entry] = (this.stats.byFunction[entry] ?? 0) + 1;
    const started = performance.now();
    const name = functionArn.split(':').pop()!;
    try {
      return await handler(structuredClone(payload), {
        functionName: name,
        functionVersion: '$LATEST',
        invokedFunctionArn: functionArn,
        memoryLimitInMB: '256',
        awsRequestId: randomBytes(16).toString('hex'),
        logGroupName: `/aws/lambda/${name}`,
        logStreamName: 'local',
        callbackWaitsForEmptyEventLoop: false,
        getRemainingTimeInMillis: () => 60_000,
      });
    } finally {
      this.stats.lambdaMs += performance.now() - started;
    }
  }

  private overrides(execution: Execution): Record<string, (input: Json) => Promise<Json>> {
    const out: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [stateName, state] of Object.entries<Json>(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource.endsWith(':states:::lambda:invoke'))
        out[stateName] = async (input) => ({
          StatusCode: 200,
          ExecutedVersion: '$LATEST',
          Payload: await this.invoke(input.FunctionName, input.Payload),
        });
      else if (resource.endsWith(':states:::lambda:invoke.waitForTaskToken'))
        out[stateName] = (input) => this.callback(execution, input);
      else if (resource.endsWith(':states:::states:startExecution'))
        out[stateName] = async (input) => {
          const started = this.startExecution({
            stateMachineArn: input.StateMachineArn,
            name: input.Name,
            input: input.Input,
          });
          return { ExecutionArn: started.executionArn, StartDate: started.startDate.toISOString() };
        };
      else if (resource.startsWith('arn:aws:lambda:'))
        out[stateName] = (input) => this.invoke(resource, input);
      else
        throw new Error(
          `runner: state ${stateName} uses ${resource}, which the embedded runner does not run`,
        );
    }
    return out;
  }

  /** A `.waitForTaskToken` task: hand the token to the handler, then block until a callback or the timeout. */
  private async callback(execution: Execution, input: Json): Promise<Json> {
    const payload = { ...input.Payload };
    const timeoutSeconds = payload[TIMEOUT_PAYLOAD_KEY] as number | undefined;
    delete payload[TIMEOUT_PAYLOAD_KEY];
    const token = String(payload.taskToken ?? '');
    const result = new Promise<Json>((resolve, reject) => {
      const task: PendingTask = { token, execution, resolve, reject, settled: false };
      if (timeoutSeconds !== undefined) task.timeoutAt = this.clock.now().getTime() + timeoutSeconds * 1000;
      this.tasks.set(token, task);
      execution.lane?.pending.add(task);
      execution.pending = task;
    });
    try {
      await this.invoke(input.FunctionName, payload);
    } catch (error) {
      const task = this.tasks.get(token);
      if (task) this.dropTask(task);
      throw error;
    }
    // Blocked from here on, unless a callback already came (even from inside the handler).
    const task = this.tasks.get(token);
    if (task && !task.settled && execution.active && execution.status === 'RUNNING') {
      execution.active = false;
      this.release(execution.lane);
    }
    return result;
  }

  private newToken(execution: Execution): string {
    return Buffer.from(
      JSON.stringify({ e: execution.name, n: randomBytes(12).toString('base64url') }),
    ).toString('base64url');
  }

  private async run(execution: Execution): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the token getter below needs the runner
    const runner = this;
    const context = {
      Execution: {
        Id: execution.arn,
        Name: execution.name,
        RoleArn: 'arn:aws:iam::000000000000:role/local',
      },
      StateMachine: { Id: this.stateMachineArn, Name: this.lifecycle.stateMachineName },
      // $$.Task.Token: aws-local-stepfunctions has none, so each read mints a fresh token for this execution.
      Task: {
        get Token() {
          return runner.newToken(execution);
        },
      },
    };
    const run = this.machine.run(execution.input, {
      overrides: {
        taskResourceLocalHandlers: this.overrides(execution),
        // Retry pauses are seconds on AWS: nothing to wait for in virtual time.
        retryIntervalOverrides: Object.fromEntries(
          Object.entries<Json>(this.definition.States)
            .filter(([, s]) => s.Retry)
            .map(([name]) => [name, 0]),
        ),
      },
      context,
      noThrowOnAbort: true,
    });
    execution.abort = run.abort;
    const counting = (async () => {
      for await (const event of run.eventLogs as AsyncIterable<{ type: string }>)
        if (event.type === 'StateEntered' || event.type === 'StateRetried') this.stats.stateTransitions += 1;
    })();
    try {
      const output = await run.result;
      if (execution.status === 'RUNNING') {
        execution.output = output;
        this.finish(execution, 'SUCCEEDED');
      }
    } catch (error) {
      const cause = (error as { cause?: Error }).cause ?? (error as Error);
      execution.error = cause.name;
      execution.cause = cause.message;
      this.finish(execution, 'FAILED');
    }
    await counting.catch(() => undefined);
  }
}
