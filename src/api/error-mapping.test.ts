// Errors of the layers behind the API become statuses in one place (asApiError): their catalogued
// code decides, so the incident engine and the pipeline's services never mention HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IllegalTransitionError, UnknownIncidentError } from '../incidents/index.js';
import { ChangeRefused } from '../pipeline/refused.js';
import { InvalidCursorError } from '../store/index.js';
import { asApiError } from './errors.js';

void test("the engine's and the pipeline's coded errors map to their catalogued status, with their message", () => {
  const illegal = asApiError(new IllegalTransitionError('7', 'resolved', 'acknowledged'));
  assert.deepEqual([illegal?.code, illegal?.status], ['VIGIL_ILLEGAL_TRANSITION', 409]);
  assert.match(illegal!.message, /incident 7 is resolved; it cannot become acknowledged/);
  const unknown = asApiError(new UnknownIncidentError('42'));
  assert.deepEqual([unknown?.code, unknown?.status], ['VIGIL_NOT_FOUND', 404]);
  const taken = asApiError(new ChangeRefused('VIGIL_CONFLICT', 'an SLO named "checkout" exists'));
  assert.deepEqual([taken?.code, taken?.status, taken?.message], ['VIGIL_CONFLICT', 409, 'an SLO named "checkout" exists']);
  assert.equal(asApiError(new ChangeRefused('VIGIL_BAD_REQUEST', 'endsAt must be after startsAt'))?.status, 400);
  assert.equal(asApiError(new ChangeRefused('VIGIL_NOT_FOUND', 'no silence 9'))?.status, 404);
  assert.equal(asApiError(new InvalidCursorError())?.status, 400);
});

void test("other errors stay unmapped (a 500 with nothing of them shown): a system error's code is not a catalogued one", () => {
  assert.equal(asApiError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), undefined);
  assert.equal(asApiError(new Error('boom')), undefined);
  assert.equal(asApiError({ code: 'VIGIL_CONFLICT', message: 'not an Error' }), undefined);
});
