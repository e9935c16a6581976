"""A real SMTP server for cmq's tests (aiosmtpd): every message received is written, decoded, as one JSON file.

    python3 smtp_server.py --dir DIR [--auth USER:PASSWORD] [--starttls CERT KEY] [--refuse-first N]

Prints "PORT <n>" once it listens on 127.0.0.1, then serves until its standard input closes.
"""
import argparse
import email
import email.policy
import json
import os
import socket
import ssl
import sys
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--starttls", nargs=2)
    parser.add_argument("--implicit-tls", nargs=2, help="TLS from the first byte (smtps) with this certificate and key")
    parser.add_argument("--refuse-first", type=int, default=0, help="answer 451 to the first N messages")
    args = parser.parse_args()

    state = {"refused": 0}

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            if state["refused"] < args.refuse_first:
                state["refused"] += 1
                return "451 Essayez plus tard"
            raw = envelope.original_content or envelope.content
            message = email.message_from_bytes(raw, policy=email.policy.default)
            plain = message.get_body(("plain",))
            html = message.get_body(("html",))
            record = {
                "mailFrom": envelope.mail_from,
                "rcptTos": envelope.rcpt_tos,
                "subject": str(message["subject"]),
                "to": str(message["to"]),
                "from": str(message["from"]),
                "listUnsubscribe": str(message["list-unsubscribe"] or ""),
                "text": plain.get_content() if plain else "",
                "html": html.get_content() if html else "",
                "tls": session.ssl is not None,
                "authenticated": bool(session.authenticated),
                "raw": raw.decode("utf-8", "replace"),
            }
            name = os.path.join(args.dir, uuid.uuid4().hex + ".json")
            with open(name + ".tmp", "w", encoding="utf-8") as f:
                json.dump(record, f, ensure_ascii=False)
            os.rename(name + ".tmp", name)
            return "250 OK"

    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = bool(args.starttls)
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.starttls[0], args.starttls[1])
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = True

    if args.implicit_tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.implicit_tls[0], args.implicit_tls[1])
        kwargs["ssl_context"] = context

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
