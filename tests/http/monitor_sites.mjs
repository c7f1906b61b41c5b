// monitor_sites.mjs: the website monitor's fixture sites (tests/data/monitor/)
// served by a real nginx (Debian's), started here as a process of the test
// with its own configuration, on loopback ports. Certificates are made with
// openssl for the run: a CA the checks are told to trust, a valid
// certificate, one that has expired and one that ends in 10 days.
//
// Sites (name: what it serves):
//   clean      the clean site, over HTTP
//   tls        the clean site, HTTPS with a valid certificate
//   defaced    a defacer's page
//   cloaked    the clean site to visitors, gambling spam to Googlebot (an
//              nginx map on $http_user_agent)
//   footer     the clean page with hidden links to gambling sites
//   slow       the clean site at 512 bytes a second (its 1.2 KB page takes
//              2.5 s, well past the tests' 1 s limit)
//   down       a port nothing listens on
//   expired    the clean site, HTTPS, certificate ended yesterday
//   expiring   the clean site, HTTPS, certificate ending in 10 days
//   redirect   a 302 to another domain (localhost instead of 127.0.0.1)
//   changing   a copy of the clean site of its own (sites/berubah), for a
//              test to change between checks
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';

export const NGINX = '/usr/sbin/nginx';
export const HAVE_NGINX = existsSync(NGINX) && existsSync('/usr/bin/openssl');
const DATA = resolve(process.env.SIGAP_SOURCE_ROOT || '.', 'tests/data/monitor');

function freePort() {
	return new Promise((ok, fail) => {
		const s = net.createServer();
		s.on('error', fail);
		s.listen(0, '127.0.0.1', () => {
			const p = s.address().port;
			s.close(() => ok(p));
		});
	});
}

function openssl(dir, args) {
	execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

// A CA and three leaf certificates for 127.0.0.1 and localhost.
function makeCerts(dir) {
	openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj',
		'/CN=sigap test CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
	writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
	for (const [name, days] of [['valid', '365'], ['expired', '-1'], ['expiring', '10']]) {
		openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1',
			'-keyout', `${name}.key`, '-out', `${name}.csr`]);
		openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key',
			'-CAcreateserial', '-days', days, '-extfile', 'ext', '-out', `${name}.pem`]);
	}
}

// The sites are served from a copy in work (work/sites/NAME), which a test
// may change between checks.
export async function startSites(work) {
	mkdirSync(work, { recursive: true });
	makeCerts(work);
	const SITES = join(work, 'sites');
	cpSync(DATA, SITES, { recursive: true });
	cpSync(join(DATA, 'bersih'), join(SITES, 'berubah'), { recursive: true });
	const names = ['clean', 'tls', 'defaced', 'cloaked', 'footer', 'slow', 'down', 'expired',
		'expiring', 'redirect', 'changing'];
	// a port given back by the kernel may be handed out again: each site
	// its own, else two servers on one port would answer for each other
	const port = {};
	const taken = new Set();
	for (const n of names) {
		let p;
		do p = await freePort(); while (taken.has(p));
		taken.add(p);
		port[n] = p;
	}
	const root = (d) => `root ${join(SITES, d)};`;
	const tls = (c) => `ssl_certificate ${join(work, c + '.pem')}; ssl_certificate_key ${join(work, c + '.key')};`;
	const server = (name, body, ssl = false) =>
		`server { listen 127.0.0.1:${port[name]}${ssl ? ' ssl' : ''}; server_name _; ${body} }`;
	const conf = `
${process.getuid && process.getuid() === 0 ? 'user root;' : ''}
daemon off;
master_process off;
worker_processes 1;
pid ${join(work, 'nginx.pid')};
error_log ${join(work, 'error.log')} warn;
events { worker_connections 256; }
http {
	access_log ${join(work, 'access.log')};
	client_body_temp_path ${join(work, 'tmp-body')};
	proxy_temp_path ${join(work, 'tmp-proxy')};
	fastcgi_temp_path ${join(work, 'tmp-fcgi')};
	uwsgi_temp_path ${join(work, 'tmp-uwsgi')};
	scgi_temp_path ${join(work, 'tmp-scgi')};
	types { text/html html; text/css css; application/javascript js; }
	default_type application/octet-stream;
	map $http_user_agent $site_dir {
		~*googlebot judi-bot;
		default bersih;
	}
	${server('clean', root('bersih'))}
	${server('tls', root('bersih') + tls('valid'), true)}
	${server('defaced', root('deface'))}
	${server('cloaked', `root ${SITES}; location = / { try_files /$site_dir/index.html =404; } location / { try_files /bersih$uri =404; }`)}
	${server('footer', root('footer'))}
	${server('slow', root('bersih') + ' limit_rate 512;')}
	${server('expired', root('bersih') + tls('expired'), true)}
	${server('expiring', root('bersih') + tls('expiring'), true)}
	${server('redirect', `location / { return 302 http://localhost:${port.clean}/; }`)}
	${server('changing', root('berubah'))}
}
`;
	writeFileSync(join(work, 'nginx.conf'), conf);
	const proc = spawn(NGINX, ['-p', work, '-c', join(work, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
	let err = '';
	proc.stderr.on('data', (d) => (err += d));
	// ready when every port but 'down' answers
	const deadline = Date.now() + 10000;
	for (const n of names.filter((x) => x !== 'down')) {
		for (;;) {
			const ok = await new Promise((r) => {
				const c = net.connect(port[n], '127.0.0.1', () => { c.destroy(); r(true); });
				c.on('error', () => r(false));
			});
			if (ok)
				break;
			if (Date.now() > deadline || proc.exitCode !== null)
				throw new Error(`nginx did not start: ${err}${existsSync(join(work, 'error.log')) ? readFileSync(join(work, 'error.log'), 'utf8') : ''}`);
			await new Promise((r) => setTimeout(r, 50));
		}
	}
	const url = (n, path = '/') => `${['tls', 'expired', 'expiring'].includes(n) ? 'https' : 'http'}://127.0.0.1:${port[n]}${path}`;
	return {
		port, url, ca: join(work, 'ca.pem'), dir: SITES,
		stop: () => new Promise((r) => { if (proc.exitCode !== null) return r(); proc.on('exit', r); proc.kill('SIGTERM'); }),
	};
}
