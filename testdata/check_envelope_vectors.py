#!/usr/bin/env python3
"""Independent check of envelope-v1.json, stream-v1.json and session-v1.json against docs/protocol.md
sections 3, 4 and 5a.

Re-derives every output from the inputs with the Python `cryptography` package only (no OpenShard
code), following the rule text (ENV-4..ENV-8, STR-1..STR-4). Usage: python3 check_envelope_vectors.py
Exit status 0 when every value matches. Run by .ci/run after the Maven build; the Java test
KnownAnswerVectorsTest is the build's check.
"""
import hashlib
import json
import pathlib
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HERE = pathlib.Path(__file__).resolve().parent
failures = 0


def u32(v): return v.to_bytes(4, "big")
def u64(v): return v.to_bytes(8, "big")
def lp(b): return u32(len(b)) + b
def label(s): return lp(s.encode("ascii"))
def sha256(b): return hashlib.sha256(b).digest()


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def check(name, expected_hex, actual):
    global failures
    if expected_hex != actual.hex():
        failures += 1
        print(f"MISMATCH {name}\n  file:     {expected_hex}\n  computed: {actual.hex()}")


def keys(suite, priv):
    """(public key bytes, ecdh(peer_public_bytes) -> secret) for a 32-byte private key."""
    if suite == 1:
        k = ec.derive_private_key(int.from_bytes(priv, "big"), ec.SECP256K1())
        pub = k.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
        return pub, lambda peer: k.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256K1(), peer))
    k = x25519.X25519PrivateKey.from_private_bytes(priv)
    pub = k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return pub, lambda peer: k.exchange(x25519.X25519PublicKey.from_public_bytes(peer))


env = json.loads((HERE / "envelope-v1.json").read_text())
streams = {v["name"]: v for v in json.loads((HERE / "stream-v1.json").read_text())["vectors"]}
version = env["protocol_version"]

for v in env["vectors"]:
    n, suite, i, o = v["name"], v["cipher_suite_number"], v["inputs"], v["outputs"]
    x = {k: bytes.fromhex(val) for k, val in i.items() if isinstance(val, str) and k != "seller_key_id"}
    seller_id = o["seller_id"].encode()
    key_id = i["seller_key_id"].encode()

    S, _ = keys(suite, x["seller_private_key"])
    E, ecdh = keys(suite, x["ephemeral_private_key"])
    check(f"{n}.seller_public_key", o["seller_public_key"], S)
    check(f"{n}.ephemeral_public_key", o["ephemeral_public_key"], E)
    shared = ecdh(S)
    check(f"{n}.ecdh_shared_secret", o["ecdh_shared_secret"], shared)

    salt = lp(E) + lp(S)                                                                    # ENV-4
    info = label("openshard.v1.envelope.kek") + u32(version) + u32(suite) + lp(E) + lp(S) + lp(seller_id) + lp(key_id)
    kek = hkdf(shared, salt, info)
    check(f"{n}.kek_salt", o["kek_salt"], salt)
    check(f"{n}.kek_info", o["kek_info"], info)
    check(f"{n}.kek", o["kek"], kek)

    aad = (label("openshard.v1.envelope.aad") + u32(version) + u32(suite) + lp(seller_id) + lp(key_id)  # ENV-5
           + u64(i["timestamp_ms"]) + lp(x["session_id"]) + lp(E))
    check(f"{n}.associated_data", o["associated_data"], aad)

    qinfo = label("openshard.v1.envelope.query-key")                                         # ENV-6
    qkey = hkdf(x["session_key"], x["session_id"], qinfo)
    check(f"{n}.query_key_info", o["query_key_info"], qinfo)
    check(f"{n}.query_key", o["query_key"], qkey)

    esk = x["session_key_nonce"] + AESGCM(kek).encrypt(x["session_key_nonce"], x["session_key"], aad)  # ENV-7
    eq = x["query_nonce"] + AESGCM(qkey).encrypt(x["query_nonce"], x["sealed_query"], aad)
    check(f"{n}.encrypted_session_key", o["encrypted_session_key"], esk)
    check(f"{n}.encrypted_query", o["encrypted_query"], eq)

    pre = (label("openshard.v1.envelope.transcript") + u32(version) + u32(suite) + lp(E) + lp(seller_id)  # ENV-8
           + lp(key_id) + u64(i["timestamp_ms"]) + lp(x["session_id"]) + sha256(esk) + sha256(eq))
    T = sha256(pre)
    check(f"{n}.transcript_preimage", o["transcript_preimage"], pre)
    check(f"{n}.transcript_digest", o["transcript_digest"], T)

    s = streams[n]
    check(f"{n}.stream.transcript_digest", s["transcript_digest"], T)
    for d in s["directions"]:
        direction = d["direction"].encode("ascii")
        kinfo = label("openshard.v1.stream.key") + lp(direction)                              # STR-1
        k = hkdf(x["session_key"], T, kinfo)
        check(f"{n}.{d['direction']}.key_info", d["key_info"], kinfo)
        check(f"{n}.{d['direction']}.key", d["key"], k)
        for seq, c in enumerate(d["chunks"]):
            assert c["sequence"] == seq
            nonce = bytes(4) + u64(seq)                                                       # STR-2
            caad = label("openshard.v1.stream.chunk") + lp(direction) + T + u64(seq) + bytes([1 if c["final"] else 0])
            check(f"{n}.{d['direction']}.{seq}.nonce", c["nonce"], nonce)
            check(f"{n}.{d['direction']}.{seq}.associated_data", c["associated_data"], caad)
            check(f"{n}.{d['direction']}.{seq}.ciphertext", c["ciphertext"],
                  AESGCM(k).encrypt(nonce, bytes.fromhex(c["plaintext"]), caad))            # STR-4

# Section 5a: session resumption (RES-1..RES-7, RES-10).
for v in json.loads((HERE / "session-v1.json").read_text())["vectors"]:
    n, i, o = v["name"], v["inputs"], v["outputs"]
    x = {k: bytes.fromhex(val) for k, val in i.items() if isinstance(val, str) and k != "seller_id"}
    seller_id, num, ticket = i["seller_id"].encode(), i["request_number"], x["ticket"]
    secret = hkdf(x["session_key"], x["transcript_digest"], label("openshard.v1.session.resume"))        # RES-1
    rkey = hkdf(secret, ticket, label("openshard.v1.session.request-key") + u64(num))                   # RES-4
    qkey = hkdf(rkey, ticket, label("openshard.v1.envelope.query-key"))
    qaad = label("openshard.v1.session.query") + lp(seller_id) + lp(ticket) + u64(num)                  # RES-5
    eq = x["query_nonce"] + AESGCM(qkey).encrypt(x["query_nonce"], x["sealed_query"], qaad)
    T = sha256(label("openshard.v1.session.transcript") + lp(seller_id) + lp(ticket) + u64(num) + sha256(eq))  # RES-6
    check(f"{n}.query_associated_data", o["query_associated_data"], qaad)
    check(f"{n}.encrypted_query", o["encrypted_query"], eq)
    check(f"{n}.transcript_digest", o["transcript_digest"], T)
    check(f"{n}.request_hash", o["request_hash"], sha256(ticket + eq))                                  # RES-10
    skey = hkdf(rkey, T, label("openshard.v1.stream.key") + lp(b"seller-to-buyer"))                      # RES-7, STR-1
    caad = label("openshard.v1.stream.chunk") + lp(b"seller-to-buyer") + T + u64(0) + bytes([1])
    check(f"{n}.response_chunk_0_final", o["response_chunk_0_final"],
          AESGCM(skey).encrypt(bytes(4) + u64(0), x["response_payload"], caad))

print("all values match" if failures == 0 else f"{failures} mismatches")
sys.exit(1 if failures else 0)
