// test_api_errors.mjs: every error under /api/v1 has one shape,
// {"error": {"code", "message"}} as application/json, and speaks one
// language, the API's English, whoever refuses (the router: 404, 405; the
// caller check: 401, 403; the body limits: 413; the body readers: 400,
// 415; a handler) and whatever language the caller's cookie or ?lang
// asks the pages for. A client (Wazuh's integrator, a script) reads the
// same words every time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// every Indonesian text of the catalog: none may be an API message
const INDONESIAN = new Set([...readFileSync(join(ROOT, 'po/id.po'), 'utf8').matchAll(/^msgstr "(.+)"$/gm)].map((m) => m[1]));

let S, T;
before(async () => {
	S = await startServer('[web]\nbody_max = 1K\n');
	T = S.cli('token', 'new', 'ttis', '--name', 'errors').trim();
});
after(async () => { if (S) await S.stop(); });

const bearer = (t) => ({ Authorization: `Bearer ${t}` });
const json = { 'Content-Type': 'application/json' };
// [what, method, path, headers, body, status, code]
const CASES = () => [
	['no Authorization header', 'POST', '/api/v1/ingest/wazuh', json, '{}', 401, 'unauthorized'],
	['a key without its scheme', 'POST', '/api/v1/ingest/wazuh', { ...json, Authorization: T }, '{}', 401, 'unauthorized'],
	['Basic instead of Bearer', 'GET', '/api/v1/me', { Authorization: 'Basic dGVzdDp0ZXN0' }, undefined, 401, 'unauthorized'],
	['an unknown token', 'GET', '/api/v1/me', bearer('sgp_' + '1'.repeat(40)), undefined, 401, 'unauthorized'],
	['a route for administrators', 'GET', '/api/v1/users', bearer(T), undefined, 403, 'forbidden'],
	['an unknown API route', 'GET', '/api/v1/tidak-ada', bearer(T), undefined, 404, 'not_found'],
	['an unknown route under /api', 'GET', '/api/v2/alerts', {}, undefined, 404, 'not_found'],
	['a method the route does not take', 'DELETE', '/api/v1/ingest/wazuh', bearer(T), undefined, 405, 'method_not_allowed'],
	['a body over body_max', 'POST', '/api/v1/tokens', { ...bearer(T), ...json }, JSON.stringify({ name: 'x'.repeat(2000) }), 413, 'too_large'],
	['a body that is not JSON', 'POST', '/api/v1/tokens', { ...bearer(T), 'Content-Type': 'text/plain' }, 'name=x', 415, 'unsupported_media_type'],
	['broken JSON', 'POST', '/api/v1/tokens', { ...bearer(T), ...json }, '{"name":', 400, 'invalid'],
	['a form that is not UTF-8', 'POST', '/api/v1/tokens', { ...bearer(T), 'Content-Type': 'application/x-www-form-urlencoded' }, 'name=%ff', 400, 'invalid'],
	['an address that is not UTF-8', 'GET', '/api/v1/me?q=%ff', bearer(T), undefined, 400, 'invalid'],
	['a handler refusal', 'GET', '/api/v1/alerts/999999', bearer(T), undefined, 404, 'not_found'],
];

async function call(method, path, headers, body, lang) {
	const h = { ...headers, Cookie: `sigap_lang=${lang}` };
	const sep = path.includes('?') ? '&' : '?';
	const res = await fetch(`${S.base}${path}${sep}lang=${lang}`, { method, headers: h, body });
	return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

test('every API error is {"error": {"code", "message"}} in the same words, whatever language the caller reads pages in', async () => {
	for (const [what, method, path, headers, body, status, code] of CASES()) {
		const id = await call(method, path, headers, body, 'id');
		const en = await call(method, path, headers, body, 'en');
		assert.equal(id.status, status, `${what}: ${id.text}`);
		assert.equal(id.type, 'application/json', what);
		const e = JSON.parse(id.text);
		assert.deepEqual(Object.keys(e), ['error'], what);
		assert.deepEqual(Object.keys(e.error).sort(), ['code', 'message'], what);
		assert.equal(e.error.code, code, what);
		assert.equal(typeof e.error.message, 'string', what);
		assert.ok(e.error.message.length > 0, what);
		assert.ok(!INDONESIAN.has(e.error.message), `${what}: "${e.error.message}" is a page's Indonesian text`);
		assert.match(e.error.message, /^[^A-Z]/, `${what}: "${e.error.message}" is written as the API writes (a lower-case clause)`);
		assert.equal(en.text, id.text, `${what}: the same answer in English and Indonesian`);
	}
});

test('the messages say what to do', async () => {
	const m = async (...a) => JSON.parse((await call(...a, undefined, 'id')).text).error.message;
	assert.equal(await m('POST', '/api/v1/ingest/wazuh', json),
		"this route needs an API token: send the header 'Authorization: Bearer TOKEN' (sigap token new USER makes one)");
	assert.equal(await m('DELETE', '/api/v1/ingest/wazuh', bearer(T)), 'this address does not take the method DELETE');
	assert.equal(await m('GET', '/api/v1/tidak-ada', bearer(T)), 'no API route at this address');
});

test('pages keep speaking the reader\'s language', async () => {
	const res = await fetch(`${S.base}/tidak-ada`, { headers: { Cookie: 'sigap_lang=id' } });
	assert.equal(res.status, 404);
	assert.match(res.headers.get('content-type'), /^text\/html/);
	assert.match(await res.text(), /Tidak ada halaman di alamat ini\./);
});
