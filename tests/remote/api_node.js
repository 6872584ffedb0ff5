// api_node.js PORT SSLPORT CAFILE ROSH DB: the npm client node-routeros
// against rosh --serve api and api-ssl: login, print, add, set, remove, a
// query, and a listen that sees a change made from the console.
'use strict';
const { RouterOSAPI } = require('node-routeros');
const { execFileSync } = require('child_process');
const fs = require('fs');

const [port, sslport, cafile, rosh, db] = process.argv.slice(2);
let fails = 0;
function check(cond, what) {
	if (!cond) {
		fails++;
		console.log('FAIL: ' + what);
	}
}
function consoleRun(cmd) {
	return execFileSync(rosh, ['--db', db, '-c', cmd], { encoding: 'utf8' });
}

async function exercise(conn, tag) {
	const added = await conn.write('/ppp/secret/add', [`=name=${tag}-a`, '=password=pw', '=service=ovpn']);
	const id = added[0] && added[0].ret;
	check(/^\*[0-9A-F]+$/.test(id || ''), `add returns an id: ${JSON.stringify(added)}`);
	await conn.write('/ppp/secret/add', [`=name=${tag}-b`]);
	let all = await conn.write('/ppp/secret/print');
	check(all.some((s) => s.name === `${tag}-a` && s['.id'] === id && s.service === 'ovpn'),
	      `print: ${JSON.stringify(all)}`);
	await conn.write('/ppp/secret/set', [`=.id=${id}`, '=comment=from node']);
	check(consoleRun(`:put [/ppp secret get ${tag}-a comment]`).trim() === 'from node', 'set reaches the console');
	const q = await conn.write('/ppp/secret/print', ['?service=ovpn', '=.proplist=name']);
	check(q.length === 1 && q[0].name === `${tag}-a` && Object.keys(q[0]).length === 1,
	      `a query with .proplist: ${JSON.stringify(q)}`);
	try {
		await conn.write('/ppp/secret/add', [`=name=${tag}-a`]);
		check(false, 'a second add of one name is refused');
	} catch (e) {
		check(/already have such name/.test(e.message), `the trap's message: ${e.message}`);
	}
	await conn.write('/ppp/secret/remove', [`=.id=${id}`]);
	all = await conn.write('/ppp/secret/print');
	check(!all.some((s) => s.name === `${tag}-a`), 'remove');
}

function listen(conn) {
	return new Promise((resolve) => {
		const seen = [];
		const timer = setTimeout(() => finish('timed out'), 20000);
		let stream;
		function finish(why) {
			clearTimeout(timer);
			stream.stop().then(() => resolve({ seen, why }), () => resolve({ seen, why }));
		}
		stream = conn.stream('/ppp/secret/listen', (err, packet) => {
			if (err) return finish('error: ' + err.message);
			seen.push(packet);
			if (packet.comment === 'changed from the console') finish('seen');
		});
		setTimeout(() => consoleRun('/ppp secret set listen-b comment="changed from the console"'), 1000);
	});
}

async function main() {
	const conn = new RouterOSAPI({ host: '127.0.0.1', user: 'admin', password: 'secret-pw',
				       port: Number(port), timeout: 20 });
	await conn.connect();
	await exercise(conn, 'node');
	await conn.write('/ppp/secret/add', ['=name=listen-b']);
	const got = await listen(conn);
	check(got.why === 'seen', `listen sees the console's change (${got.why}): ${JSON.stringify(got.seen)}`);
	const after = await conn.write('/system/identity/print');
	check(after.length === 1 && after[0].name, 'the connection works after the listen stops');
	await conn.close();

	const tls = new RouterOSAPI({ host: '127.0.0.1', user: 'admin', password: 'secret-pw',
				      port: Number(sslport), timeout: 20,
				      tls: { ca: fs.readFileSync(cafile), checkServerIdentity: () => undefined } });
	await tls.connect();
	await exercise(tls, 'node-tls');
	await tls.close();
}

main().then(() => process.exit(fails ? 1 : 0), (e) => {
	console.log('FAIL: ' + (e && e.stack ? e.stack : e));
	process.exit(1);
});
