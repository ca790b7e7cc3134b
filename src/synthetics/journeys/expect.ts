// The `expect` a TypeScript journey receives: web-first assertions on elements and pages (retried
// until they hold or time out, like Playwright Test's, which playwright-core does not ship) and
// plain value checks. Each outcome is recorded on the current step as an assertion result
// (expected / actual, with the journey's file and line) and a failure ends the step.
import { isDeepStrictEqual } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import type { AssertionResult } from '../result.js';
import type { JourneyExpect, LocatorExpectations, PageExpectations, ValueExpectations, WaitOptions } from './api.js';

/** A failed assertion: already recorded on its step, so the step reports it, not this message. */
export class JourneyAssertionError extends Error {}

export interface ExpectPorts {
  record(result: AssertionResult): void;
  /** `file.journey.ts:LINE` of the journey's frame in a stack, if any. */
  locate(stack: string | undefined): string | undefined;
  /** Milliseconds left in the run (a web-first assertion never outlives it). */
  remainingMs(): number;
}

const defaultWaitMs = 5_000;
const pollMs = 100;
const show = (v: unknown): string =>
  (v instanceof RegExp ? String(v) : typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))).slice(0, 200);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const textMatches = (actual: string, expected: string | RegExp): boolean =>
  typeof expected === 'string' ? actual.replace(/\s+/g, ' ').trim() === expected.replace(/\s+/g, ' ').trim() : expected.test(actual);

const isLocator = (v: unknown): v is Locator =>
  typeof v === 'object' && v !== null && typeof (v as Locator).allInnerTexts === 'function' && typeof (v as Locator).nth === 'function';
const isPage = (v: unknown): v is Page =>
  typeof v === 'object' && v !== null && typeof (v as Page).goto === 'function' && typeof (v as Page).title === 'function';

export function createExpect(ports: ExpectPorts): JourneyExpect {
  const settle = (name: string, where: string | undefined, ok: boolean, expected: string, actual: string): void => {
    ports.record({ assertion: `${name}${where ? ` (${where})` : ''}`, ok, expected, actual });
    if (!ok) throw new JourneyAssertionError(`${name}: expected ${expected}, got ${actual}`);
  };

  /** Probes until `holds` or the time is up; `describe` turns the last probe into the "got" text. */
  const retry = async <T>(
    name: string,
    stack: string | undefined,
    expected: string,
    probe: () => Promise<T>,
    holds: (v: T) => boolean,
    describe: (v: T | undefined) => string,
    o?: WaitOptions,
  ): Promise<void> => {
    const end = Date.now() + Math.min(o?.timeout ?? defaultWaitMs, ports.remainingMs());
    let last: T | undefined;
    for (;;) {
      try {
        last = await probe();
        if (holds(last)) return settle(name, ports.locate(stack), true, expected, describe(last));
      } catch {
        // a detached or navigating page: probe again
      }
      if (Date.now() >= end) return settle(name, ports.locate(stack), false, expected, describe(last));
      await sleep(pollMs);
    }
  };

  const onLocator = (l: Locator): LocatorExpectations => {
    const target = String(l);
    const texts = async (): Promise<string> => (await l.allInnerTexts()).join(' ');
    return {
      toBeVisible: (o) =>
        retry(
          `${target} toBeVisible`,
          new Error().stack,
          'visible',
          () => l.first().isVisible(),
          Boolean,
          (v) => (v ? 'visible' : 'not visible'),
          o,
        ),
      toBeHidden: (o) =>
        retry(
          `${target} toBeHidden`,
          new Error().stack,
          'hidden',
          () => l.first().isVisible(),
          (v) => !v,
          (v) => (v ? 'visible' : 'hidden'),
          o,
        ),
      toHaveText: (expected, o) =>
        retry(
          `${target} toHaveText`,
          new Error().stack,
          show(expected),
          texts,
          (v) => textMatches(v, expected),
          (v) => (v === undefined ? 'no element' : show(v)),
          o,
        ),
      toContainText: (expected, o) =>
        retry(
          `${target} toContainText`,
          new Error().stack,
          `text containing ${show(expected)}`,
          texts,
          (v) => v.includes(expected),
          (v) => (v === undefined ? 'no element' : show(v)),
          o,
        ),
      toHaveValue: (expected, o) =>
        retry(
          `${target} toHaveValue`,
          new Error().stack,
          show(expected),
          () => l.first().inputValue({ timeout: 500 }),
          (v) => textMatches(v, expected),
          (v) => (v === undefined ? 'no input' : show(v)),
          o,
        ),
      toHaveCount: (expected, o) =>
        retry(
          `${target} toHaveCount`,
          new Error().stack,
          String(expected),
          () => l.count(),
          (v) => v === expected,
          (v) => String(v ?? 'nothing'),
          o,
        ),
    };
  };

  const onPage = (p: Page): PageExpectations => ({
    toHaveURL: (expected, o) =>
      retry(
        'page toHaveURL',
        new Error().stack,
        show(expected),
        () => Promise.resolve(p.url()),
        (v) => (typeof expected === 'string' ? v === expected : expected.test(v)),
        (v) => show(v ?? ''),
        o,
      ),
    toHaveTitle: (expected, o) =>
      retry(
        'page toHaveTitle',
        new Error().stack,
        show(expected),
        () => p.title(),
        (v) => textMatches(v, expected),
        (v) => show(v ?? ''),
        o,
      ),
  });

  const onValue = <T>(value: T): ValueExpectations<T> => {
    const check = (name: string, ok: boolean, expected: string): void => settle(name, ports.locate(new Error().stack), ok, expected, show(value));
    return {
      toBe: (expected) => check('toBe', Object.is(value, expected), show(expected)),
      toEqual: (expected) => check('toEqual', isDeepStrictEqual(value, expected), show(expected)),
      toBeTruthy: () => check('toBeTruthy', Boolean(value), 'a truthy value'),
      toContain: (expected) =>
        check('toContain', (typeof value === 'string' || Array.isArray(value)) && value.includes(expected as never), `something containing ${show(expected)}`),
      toMatch: (expected) => check('toMatch', typeof value === 'string' && expected.test(value), String(expected)),
      toBeLessThan: (expected) => check('toBeLessThan', typeof value === 'number' && value < expected, `less than ${expected}`),
      toBeGreaterThan: (expected) => check('toBeGreaterThan', typeof value === 'number' && value > expected, `more than ${expected}`),
    };
  };

  return ((target: unknown) => (isLocator(target) ? onLocator(target) : isPage(target) ? onPage(target) : onValue(target))) as JourneyExpect;
}
