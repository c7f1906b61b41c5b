#!/usr/bin/python3
# smtp_server.py: the SMTP server of test_notify.mjs: Debian's aiosmtpd
# (python3-aiosmtpd) on 127.0.0.1:PORT, STARTTLS required before
# authentication, AUTH PLAIN/LOGIN with one user, each message kept as
# DIR/N.json (envelope and the raw message). While DIR/refuse exists every
# recipient is refused with 451 (a temporary failure). Prints "ready" once
# listening.
#
#   smtp_server.py PORT DIR CERT KEY USER PASSWORD
import json, os, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, outdir, cert, key, user, password = sys.argv[1:7]

class Keep:
    n = 0
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(outdir, 'refuse')):
            return '451 4.3.0 mailbox busy, try again later'
        envelope.rcpt_tos.append(address)
        return '250 OK'
    async def handle_DATA(self, server, session, envelope):
        Keep.n += 1
        path = os.path.join(outdir, '%d.json' % Keep.n)
        with open(path + '.tmp', 'w') as f:
            json.dump({'from': envelope.mail_from, 'to': envelope.rcpt_tos,
                       'tls': session.ssl is not None,
                       'auth': session.authenticated,
                       'data': envelope.content.decode('utf-8', 'replace')}, f)
        os.rename(path + '.tmp', path)
        return '250 Message accepted'

def check(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)

ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)
c = Controller(Keep(), hostname='127.0.0.1', port=int(port), tls_context=ctx,
               require_starttls=True, authenticator=check, auth_required=True,
               auth_require_tls=True)
c.start()
print('ready', flush=True)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    c.stop()
