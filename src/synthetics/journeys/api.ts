// The public surface of TypeScript browser journeys, imported by `*.journey.ts` files as
// `vigil-qa/journeys`: `defineJourney` and the types of the helpers a journey receives. Kept free
// of runtime dependencies (playwright-core is a type import) so loading a journey stays cheap.
import type { BrowserContext, Locator, Page } from 'playwright-core';

export type { BrowserContext, Locator, Page } from 'playwright-core';

/** What Vigil needs to schedule a journey; the same fields as a YAML check (see docs/synthetics.md). */
export interface JourneyDefinition<S extends string = string> {
  /** Unique across the checks directory. */
  name: string;
  /** The service whose incident a failure opens or joins. */
  service?: string;
  /** How often it runs: `30s`, `5m`, `1h` (default 1m). */
  every?: string;
  /** The whole run's time limit (default 10s). */
  timeout?: string;
  /** Consecutive failed runs before the journey counts as failing (default 2). */
  confirm?: number;
  /** A failing critical journey is at least a high-severity incident. */
  critical?: boolean;
  /** Run right after each deployment of `service`. */
  smoke?: boolean;
  tags?: string[];
  /** Environment variables the journey reads through `secrets` (checked when the file is loaded). */
  secrets?: readonly S[];
  viewport?: { width: number; height: number };
}

export interface StepOptions {
  /** Abandon the step after this many ms (default: what is left of the run's timeout). */
  timeout?: number;
}

export interface WaitOptions {
  /** How long a web-first assertion retries before it fails (default 5,000 ms, within the run's timeout). */
  timeout?: number;
}

/** Web-first assertions on an element: retried until they hold or time out, like Playwright Test's. */
export interface LocatorExpectations {
  toBeVisible(options?: WaitOptions): Promise<void>;
  toBeHidden(options?: WaitOptions): Promise<void>;
  /** The element's visible text equals `expected` (a string, trimmed) or matches it (a RegExp). */
  toHaveText(expected: string | RegExp, options?: WaitOptions): Promise<void>;
  toContainText(expected: string, options?: WaitOptions): Promise<void>;
  toHaveValue(expected: string | RegExp, options?: WaitOptions): Promise<void>;
  toHaveCount(expected: number, options?: WaitOptions): Promise<void>;
}

export interface PageExpectations {
  toHaveURL(expected: string | RegExp, options?: WaitOptions): Promise<void>;
  toHaveTitle(expected: string | RegExp, options?: WaitOptions): Promise<void>;
}

/** Assertions on a plain value: checked once. */
export interface ValueExpectations<T> {
  toBe(expected: T): void;
  toEqual(expected: T): void;
  toBeTruthy(): void;
  toContain(expected: T extends string ? string : T extends ReadonlyArray<infer E> ? E : never): void;
  toMatch(expected: RegExp): void;
  toBeLessThan(expected: number): void;
  toBeGreaterThan(expected: number): void;
}

export interface JourneyExpect {
  (target: Locator): LocatorExpectations;
  (target: Page): PageExpectations;
  <T>(value: T): ValueExpectations<T>;
}

/** What a journey's body receives. */
export interface JourneyHelpers<S extends string = string> {
  /** A fresh page in a fresh browser context (Chromium); every request carries the run's trace. */
  page: Page;
  context: BrowserContext;
  /** A named step: its duration and outcome are recorded; a failure ends the journey there. */
  step<T>(name: string, body: () => Promise<T>, options?: StepOptions): Promise<T>;
  expect: JourneyExpect;
  /** The values of the environment variables declared in `secrets`. */
  secrets: Readonly<Record<S, string>>;
  /** The W3C trace id every request of this run propagates. */
  traceId: string;
}

export type JourneyBody<S extends string = string> = (helpers: JourneyHelpers<S>) => Promise<void>;

/** Marks a journey so the loader can tell it from any other export (stable across copies of this module). */
export const journeyMarker: unique symbol = Symbol.for('vigil.journey') as never;

export interface Journey<S extends string = string> {
  readonly [journeyMarker]: true;
  readonly definition: JourneyDefinition<S>;
  readonly run: JourneyBody<S>;
}

/**
 * A browser journey: `export default defineJourney({ name: 'checkout', service: 'shop', every: '5m' },
 * async ({ page, step, expect }) => { ... })`. The secrets named in the definition are typed keys of
 * `secrets`.
 */
export function defineJourney<const S extends string = never>(definition: JourneyDefinition<S>, run: JourneyBody<S>): Journey<S> {
  return { [journeyMarker]: true, definition, run };
}
