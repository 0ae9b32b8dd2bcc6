#!/usr/bin/env python3
"""A QueueMetrics XML-RPC peer for Keyfleet's tests, written independently of the client
(Python standard library only, so it shares no XML-RPC code with the Node side).

It serves QM.setActivationKey(login, password, newKey) at /queuemetrics/xmlrpc.do:
  - the caller must be an enabled user holding the security keys ROBOT and KEYUPDATE,
    otherwise the answer is an XML-RPC fault;
  - an empty newKey queries the current key; a non-empty one is accepted and then the
    instance "restarts": the listening socket is closed for --restart-ms (connections are
    refused), then it listens again on the SAME port with the new key (or the old one with
    --keep-old-key, as if QueueMetrics had refused the key). A negative --restart-ms never
    comes back. --starting-ms makes it answer 503 for a while after coming back, as Tomcat
    does while the webapp loads.
  - answers are a struct of named blocks, each a list of rows of strings, "result" first.

Stdout: "PORT <n>" once listening, then "EVENT <json>" per call/restart and "ACK <cmd>" for each
control command. Stdin (one command per line): "mode <ok|http401|http403|http500|hang|html200|malformed>",
"key <key>" (set the current key directly), "restart-ms <n>", "starting-ms <n>", "keep-old-key <0|1>",
"sync" (does nothing; its ACK tells the parent every earlier EVENT has been read).
End of stdin ends the process.
"""

import argparse
import json
import os
import sys
import threading
import time
from socketserver import ThreadingMixIn
from xmlrpc.client import Fault
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

XMLRPC_PATH = "/queuemetrics/xmlrpc.do"
MODES = ("ok", "http401", "http403", "http500", "hang", "html200", "malformed")
FAULT_AUTH = 1
FAULT_DENIED = 2

out_lock = threading.Lock()


def emit(line):
    with out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def event(kind, **fields):
    emit("EVENT " + json.dumps(dict(type=kind, **fields)))


class User:
    def __init__(self, spec):
        # login:password:KEY1+KEY2[:disabled]
        parts = spec.split(":")
        if len(parts) < 3:
            raise SystemExit("--user wants login:password:KEY1+KEY2[:disabled], got " + spec)
        self.login = parts[0]
        self.password = parts[1]
        self.keys = set(k for k in parts[2].split("+") if k)
        self.enabled = not (len(parts) > 3 and parts[3] == "disabled")


class State:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.key = args.key
        self.mode = args.mode
        self.restart_ms = args.restart_ms
        self.starting_ms = args.starting_ms
        self.keep_old_key = args.keep_old_key
        self.users = {u.login: u for u in (User(s) for s in args.user)}
        self.pending_key = None
        self.ready_at = 0.0
        self.hang_forever = threading.Event()
        # Set by the "up" command: an instance that was down for good is started again by hand.
        self.brought_up = threading.Event()
        self.bring_up_with_new_key = False


STATE = None


def blocks(rows):
    """QueueMetrics-style answer: named blocks of string rows, with "result" first."""
    return {"result": rows, "info": [["Server", "QueueMetrics simulator"], ["Method", "QM.setActivationKey"]]}


def set_activation_key(login, password, new_key):
    user = STATE.users.get(login)
    if user is None or user.password != password:
        event("call", method="QM.setActivationKey", login=login, outcome="auth-failed")
        raise Fault(FAULT_AUTH, "Authentication failed: invalid login or password for user '%s'" % login)
    if not user.enabled:
        event("call", method="QM.setActivationKey", login=login, outcome="disabled")
        raise Fault(FAULT_AUTH, "Authentication failed: user '%s' is disabled" % login)
    missing = [k for k in ("ROBOT", "KEYUPDATE") if k not in user.keys]
    if missing:
        event("call", method="QM.setActivationKey", login=login, outcome="denied")
        raise Fault(FAULT_DENIED, "User '%s' does not hold the security key %s" % (login, " and ".join(missing)))
    with STATE.lock:
        current = STATE.key
        if new_key == "":
            event("call", method="QM.setActivationKey", login=login, outcome="query")
            return blocks([["Status", "OK"], ["Key", current], ["Agents", "50"], ["Message", "Current configuration key"]])
        STATE.pending_key = new_key
    event("call", method="QM.setActivationKey", login=login, outcome="set", newKey=new_key)
    return blocks([["Status", "OK"], ["Key", new_key], ["Message", "Key updated; QueueMetrics will now restart"]])


HTML_401 = (
    "<html><head><title>401 Unauthorized</title></head><body><h1>Unauthorized</h1>"
    "<p>This server could not verify that you are authorized to access the document requested.</p></body></html>"
)
HTML_403 = "<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>"
HTML_500 = (
    "<html><head><title>Apache Tomcat - Error report</title></head><body><h1>HTTP Status 500 - "
    "java.lang.NullPointerException</h1></body></html>"
)
HTML_503 = "<html><head><title>Apache Tomcat - Error report</title></head><body><h1>HTTP Status 503 - Servlet QueueMetrics is currently unavailable</h1></body></html>"
HTML_404 = "<html><head><title>Apache Tomcat - Error report</title></head><body><h1>HTTP Status 404 - %s</h1></body></html>"
HTML_200 = "<html><head><title>QueueMetrics</title></head><body><p>Please log in</p></body></html>"
MALFORMED = '<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>result'


class Handler(SimpleXMLRPCRequestHandler):
    rpc_paths = (XMLRPC_PATH,)

    def log_message(self, fmt, *args):  # keep stdout for the protocol, stderr quiet
        pass

    def send_page(self, status, text, headers=None):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html;charset=utf-8")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def report_404(self):
        self.send_page(404, HTML_404 % self.path)

    def do_POST(self):
        mode = STATE.mode
        if self.path.split("?")[0] in self.rpc_paths:
            if time.monotonic() < STATE.ready_at:
                return self.send_page(503, HTML_503)
            if mode == "http401":
                return self.send_page(401, HTML_401, {"WWW-Authenticate": 'Basic realm="QueueMetrics"'})
            if mode == "http403":
                return self.send_page(403, HTML_403)
            if mode == "http500":
                return self.send_page(500, HTML_500)
            if mode == "html200":
                return self.send_page(200, HTML_200)
            if mode == "malformed":
                body = MALFORMED.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if mode == "hang":
                STATE.hang_forever.wait()
                return
        super().do_POST()
        # The answer has been written (wfile is unbuffered); now restart if a key was set.
        with STATE.lock:
            restart = STATE.pending_key is not None
        if restart:
            threading.Thread(target=self.server.shutdown, daemon=True).start()


class Server(ThreadingMixIn, SimpleXMLRPCServer):
    daemon_threads = True
    block_on_close = False  # a hung request must not hold up a restart
    allow_reuse_address = True


def make_server(port):
    server = Server(("127.0.0.1", port), requestHandler=Handler, logRequests=False, allow_none=True, encoding="utf-8")
    server.register_function(set_activation_key, "QM.setActivationKey")
    return server


def control_loop():
    for raw in sys.stdin:
        line = raw.strip()
        if not line:
            continue
        cmd, _, arg = line.partition(" ")
        with STATE.lock:
            if cmd == "mode" and arg in MODES:
                STATE.mode = arg
            elif cmd == "key":
                STATE.key = arg
            elif cmd == "restart-ms":
                STATE.restart_ms = int(arg)
            elif cmd == "starting-ms":
                STATE.starting_ms = int(arg)
            elif cmd == "keep-old-key":
                STATE.keep_old_key = arg == "1"
            elif cmd == "up":
                STATE.bring_up_with_new_key = arg == "new"
                STATE.brought_up.set()
            elif cmd == "sync":
                pass  # its ACK follows every EVENT already written
            else:
                emit("ERR unknown command " + line)
                continue
        emit("ACK " + cmd)
    os._exit(0)  # the parent closed our stdin: it is done with us


def main():
    global STATE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key", default="")
    parser.add_argument("--mode", choices=MODES, default="ok")
    parser.add_argument("--restart-ms", type=int, default=800)
    parser.add_argument("--starting-ms", type=int, default=0)
    parser.add_argument("--keep-old-key", action="store_true")
    parser.add_argument("--http-401", action="store_true", help="same as --mode http401")
    parser.add_argument("--user", action="append", default=None, help="login:password:KEY1+KEY2[:disabled]")
    args = parser.parse_args()
    if args.http_401:
        args.mode = "http401"
    if args.user is None:
        args.user = ["keyupdater:ku-secret:ROBOT+KEYUPDATE", "robot:robot-secret:ROBOT", "sleeper:sleeper-secret:ROBOT+KEYUPDATE:disabled"]
    STATE = State(args)

    server = make_server(args.port)
    port = server.server_address[1]
    threading.Thread(target=control_loop, daemon=True).start()
    emit("PORT %d" % port)
    while True:
        server.serve_forever(poll_interval=0.02)
        server.server_close()
        with STATE.lock:
            new_key = STATE.pending_key
            STATE.pending_key = None
            down_ms = STATE.restart_ms
        event("restarting", downMs=down_ms)
        if down_ms < 0:
            STATE.brought_up.wait()  # down until an operator starts it again ("up")
            with STATE.lock:
                STATE.brought_up.clear()
                if not STATE.bring_up_with_new_key:
                    new_key = None
        else:
            time.sleep(down_ms / 1000.0)
        with STATE.lock:
            if new_key is not None and not STATE.keep_old_key:
                STATE.key = new_key
            STATE.ready_at = time.monotonic() + STATE.starting_ms / 1000.0
        server = make_server(port)
        event("up", key=STATE.key)


if __name__ == "__main__":
    main()
