#!/usr/bin/env python3
"""Independent interop check of the bridge's E2EE modes with pyca/cryptography (python3-cryptography).

Encrypts chat requests the way ACI v2 and legacy (Dstack/NEAR) clients do, sends them to a running
bridge in front of `./openshard upstream-echo`, and decrypts the answers:

    OPENSHARD_BRIDGE_URL=http://127.0.0.1:8080/v1 python3 e2ee_interop_check.py

Exits non-zero on the first failure. Uses only the standard library and `cryptography`.
"""
import hashlib
import json
import os
import secrets
import sys
import time
import urllib.request

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

BASE = os.environ.get("OPENSHARD_BRIDGE_URL", "http://127.0.0.1:8080/v1")
P = 2**255 - 19


def http(method, path, body=None, headers=None):
    req = urllib.request.Request(BASE + path, method=method, data=body, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, dict(r.headers), r.read()


def hkdf(secret, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info.encode()).derive(secret)


def raw(pub):
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def unc(pub):
    return pub.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def seal(curve, recipient, plaintext, aad, info):
    if curve == "secp256k1":
        eph = ec.generate_private_key(ec.SECP256K1())
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(), recipient)
        shared, eph_pub = eph.exchange(ec.ECDH(), peer), unc(eph.public_key())
    else:
        eph = x25519.X25519PrivateKey.generate()
        shared, eph_pub = eph.exchange(x25519.X25519PublicKey.from_public_bytes(recipient)), raw(eph.public_key())
    nonce = secrets.token_bytes(12)
    return (eph_pub + nonce + AESGCM(hkdf(shared, info)).encrypt(nonce, plaintext.encode(), aad)).hex()


def open_field(curve, priv, field_hex, aad, info):
    b = bytes.fromhex(field_hex)
    n = 65 if curve == "secp256k1" else 32
    if curve == "secp256k1":
        shared = priv.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(), b[:n]))
    else:
        shared = priv.exchange(x25519.X25519PublicKey.from_public_bytes(b[:n]))
    return AESGCM(hkdf(shared, info)).decrypt(b[n:n + 12], b[n + 12:], aad).decode()


def check(name, ok):
    print(("PASS " if ok else "FAIL ") + name)
    if not ok:
        sys.exit(1)


def aci(algo):
    curve = "secp256k1" if algo.startswith("secp256k1") else "x25519"
    info = "aci.e2ee.v2." + curve
    _, _, body = http("GET", "/aci/attestation?nonce=" + secrets.token_hex(32))
    att = json.loads(body)
    service = next(k["public_key"] for k in att["attestation"]["workload_keyset"]["e2ee_public_keys"] if k["algo"] == algo)
    priv = ec.generate_private_key(ec.SECP256K1()) if curve == "secp256k1" else x25519.X25519PrivateKey.generate()
    client_pub = unc(priv.public_key()) if curve == "secp256k1" else raw(priv.public_key())
    nonce, ts, model = secrets.token_hex(32), int(time.time()), "py-model"

    def aad(purpose, field, rid=None):
        o = {"algo": algo, "field": field, "model": model, "nonce": nonce, "purpose": purpose, "ts": ts}
        if rid is not None:
            o["id"] = rid
        return json.dumps(o, sort_keys=True, separators=(",", ":")).encode()

    ct = seal(curve, bytes.fromhex(service), "hello from python", aad("aci.e2ee.request.v2", "messages.0.content"), info)
    req = {"model": model, "messages": [{"role": "user", "content": ct}]}
    headers = {"Content-Type": "application/json", "X-E2EE-Version": "2", "X-Client-Pub-Key": client_pub.hex(),
               "X-Model-Pub-Key": service, "X-E2EE-Nonce": nonce, "X-E2EE-Timestamp": str(ts)}
    status, h, body = http("POST", "/chat/completions", json.dumps(req).encode(), headers)
    resp = json.loads(body)
    text = open_field(curve, priv, resp["choices"][0]["message"]["content"],
                      aad("aci.e2ee.response.v2", "choices.0.message.content", resp["id"]), info)
    check(f"ACI {algo}: {text!r}", status == 200 and text == "hello from python" and h.get("x-e2ee-algo") == algo)


def legacy(algo):
    _, _, body = http("GET", "/attestation/report?signing_algo=" + algo)
    service = json.loads(body)["signing_public_key"]
    info = algo + "_encryption"
    nonce, ts, model = "n%dabcd1234abcd" % int(time.time()), int(time.time()), "py-legacy"
    if algo == "ecdsa":
        priv = ec.generate_private_key(ec.SECP256K1())
        client_hex = unc(priv.public_key())[1:].hex()
        curve, recipient, dec_priv = "secp256k1", bytes.fromhex("04" + service), priv
    else:
        ed = ed25519.Ed25519PrivateKey.generate()
        client_hex = raw(ed.public_key()).hex()
        y = int.from_bytes(bytes.fromhex(service), "little") & ((1 << 255) - 1)
        u = (1 + y) * pow(1 - y, P - 2, P) % P
        seed = ed.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        k = bytearray(hashlib.sha512(seed).digest()[:32])
        k[0] &= 248
        k[31] &= 127
        k[31] |= 64
        curve, recipient, dec_priv = "x25519", u.to_bytes(32, "little"), x25519.X25519PrivateKey.from_private_bytes(bytes(k))
    req_aad = f"v2|req|algo={algo}|model={model}|m=0|c=-|n={nonce}|ts={ts}".encode()
    req = {"model": model, "messages": [{"role": "user", "content": seal(curve, recipient, "legacy hello", req_aad, info)}]}
    headers = {"Content-Type": "application/json", "X-Signing-Algo": algo, "X-Client-Pub-Key": client_hex,
               "X-Model-Pub-Key": service, "X-E2EE-Version": "2", "X-E2EE-Nonce": nonce, "X-E2EE-Timestamp": str(ts)}
    status, _, body = http("POST", "/chat/completions", json.dumps(req).encode(), headers)
    resp = json.loads(body)
    resp_aad = f"v2|resp|algo={algo}|model={resp['model']}|id={resp['id']}|choice=0|field=content|n={nonce}|ts={ts}".encode()
    text = open_field(curve, dec_priv, resp["choices"][0]["message"]["content"], resp_aad, info)
    check(f"legacy {algo} v2: {text!r}", status == 200 and text == "legacy hello")


aci("x25519-aes-256-gcm-hkdf-sha256")
aci("secp256k1-aes-256-gcm-hkdf-sha256")
legacy("ecdsa")
legacy("ed25519")
print("ALL PASSED")
